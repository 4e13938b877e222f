"""The rules tests' small world in the demo bureau: 办公室's 公务接待管理办法 registered by the clerk, and a 三重一大
decision of the 党组 (王建国 the secretary, 李志强 the leader, 张秀英 the 纪检组长)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qingfeng.rules.models import Decision, Rule
from qingfeng.rules.services import decisions, registry

TEXT = "第一条 为规范公务接待工作，制定本办法。\n第二条 接待标准按规定执行。\n第三条 本办法自印发之日起施行。"


def rule(cast: Any, effective_date: dt.date = dt.date(2023, 3, 1), title: str = "公务接待管理办法") -> Rule:
    return registry.rule_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        title=title,
        number="清住建〔2023〕5号",
        department=cast.departments["办公室"],
        effective_date=effective_date,
        text=TEXT,
    )


def team(cast: Any) -> list[Any]:
    return [cast.users[r].person for r in ("secretary", "leader", "inspector")]


def decision(cast: Any, kind: str = Decision.Kind.PROJECT, amount: Any = None) -> Decision:
    return decisions.decision_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        kind=kind,
        title="办公楼维修改造",
        proposal="对办公楼进行维修改造",
        amount_wan=amount,
    )
