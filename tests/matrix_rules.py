"""The permission-matrix rows of the rules module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope.

The in-scope objects: 办公室's 公务接待管理办法 (a rule in force), a 废改立 proposal to revise it (just proposed), and a
三重一大 decision whose 党组会议 the secretary, the leader and the inspector attended. Codes (org/roles.py): view = every
business role and the superior; comment = the business roles of a unit (not the superior); manage = the secretary
and the clerk; decide (党组审议) = the secretary (services; staff cannot reach the step route at all). The 三员 get
403 everywhere; the far bureau's objects are 404 to everyone who may use the route. A decision is seen by the
whole-unit roles, the superior and the members at its meeting (the leader), not by heads and staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.permission_matrix import BUSINESS, Route

VIEW = BUSINESS | {"outsider"}
COMMENT = BUSINESS - {"superior"} | {"outsider"}
MANAGE = frozenset({"secretary", "clerk"})
SEES_DECISION = frozenset({"secretary", "inspector", "clerk", "superior", "leader"})

ROUTES: list[Route] = [
    # --- rules: pages (an empty POST: the form again with its errors, 200; an action: a message and back, 302) ---
    Route("rules:rule_list", "GET", VIEW),
    Route("rules:rule_new", "GET", MANAGE),
    Route("rules:rule_new", "POST", MANAGE),
    Route("rules:rule_detail", "GET", VIEW, obj="rule"),
    Route("rules:rule_revise", "POST", MANAGE, ok=302, obj="rule"),
    Route("rules:rule_diff", "GET", VIEW, obj="rule"),
    Route("rules:proposal_list", "GET", VIEW),
    Route("rules:proposal_new", "GET", MANAGE),
    Route("rules:proposal_new", "POST", MANAGE),
    Route("rules:proposal_detail", "GET", VIEW, obj="rule_proposal"),
    Route("rules:proposal_step", "POST", MANAGE, ok=302, obj="rule_proposal"),
    Route("rules:proposal_comment", "POST", COMMENT, ok=302, obj="rule_proposal"),
    Route("rules:decision_list", "GET", VIEW),
    Route("rules:problem_list", "GET", VIEW),
    Route("rules:decision_new", "GET", MANAGE),
    Route("rules:decision_new", "POST", MANAGE),
    Route("rules:decision_detail", "GET", VIEW, obj="rule_decision", sees=SEES_DECISION),
    Route("rules:decision_prepare", "POST", MANAGE, ok=302, obj="rule_decision"),
    Route("rules:decision_meeting", "POST", MANAGE, ok=302, obj="rule_decision"),
    Route("rules:decision_opinion", "POST", MANAGE, ok=302, obj="rule_decision"),
    Route("rules:decision_conclude", "POST", MANAGE, ok=302, obj="rule_decision"),
    # --- rules: API (an empty body: 400 with the Chinese message) ---
    Route("api:rules_rule_list_api", "GET", VIEW),
    Route("api:rules_rule_detail_api", "GET", VIEW, obj="rule"),
    Route("api:rules_rule_create_api", "POST", MANAGE, ok=400),
    Route("api:rules_rule_revise_api", "POST", MANAGE, ok=400, obj="rule"),
    Route("api:rules_rule_diff_api", "GET", VIEW, obj="rule"),
    Route("api:rules_proposal_list_api", "GET", VIEW),
    Route("api:rules_proposal_detail_api", "GET", VIEW, obj="rule_proposal"),
    Route("api:rules_proposal_create_api", "POST", MANAGE, ok=400),
    Route("api:rules_proposal_step_api", "POST", MANAGE, ok=400, obj="rule_proposal"),
    Route("api:rules_proposal_comment_api", "POST", COMMENT, ok=400, obj="rule_proposal"),
    Route("api:rules_decision_list_api", "GET", VIEW),
    Route("api:rules_decision_detail_api", "GET", VIEW, obj="rule_decision", sees=SEES_DECISION),
    Route("api:rules_decision_create_api", "POST", MANAGE, ok=400),
    Route("api:rules_decision_prepare_api", "POST", MANAGE, ok=400, obj="rule_decision"),
    Route("api:rules_decision_meeting_api", "POST", MANAGE, ok=400, obj="rule_decision"),
    Route("api:rules_decision_opinion_api", "POST", MANAGE, ok=400, obj="rule_decision"),
    Route("api:rules_decision_conclude_api", "POST", MANAGE, ok=400, obj="rule_decision"),
]

MATRIX_RULE = "矩阵测试：公务接待管理办法"
MATRIX_DECISION = "矩阵测试：办公楼维修改造项目"


def build_objects(cast: Any, far: Any) -> None:
    """In each bureau a rule, a proposal to revise it and a 三重一大 decision; `far` is the far bureau's head account
    (also its clerk: it keeps that bureau's registry). In the demo bureau the decision's meeting is recorded with
    the secretary, the leader and the inspector present."""
    from qingfeng.rules.models import Decision, Proposal
    from qingfeng.rules.services import decisions, proposals, registry
    from qingfeng.supervision.models import Task

    today = dt.date.today()
    worlds = [
        (cast.users["clerk"], cast.bureau, cast.departments["办公室"]),
        (far, cast.far_bureau, far.person.department),
    ]
    for manager, unit, dept in worlds:
        rule = registry.rule_create(
            actor=manager,
            unit=unit,
            title=MATRIX_RULE,
            number="矩阵〔2023〕1号",
            department=dept,
            effective_date=dt.date(2023, 1, 1),
            text="第一条 为规范公务接待……\n第二条 本办法自印发之日起施行。",
        )
        values = {
            "unit": unit,
            "kind": "revise",
            "rule": rule,
            "reason": "矩阵测试：落实中央八项规定精神",
            "department": dept,
            "draft_deadline": today + dt.timedelta(days=30),
        }
        if unit == cast.bureau:
            proposal = proposals.proposal_create(actor=manager, **values)
            # its drafting 督办事项 is the matrix's, out of the supervision tests' counts (their conftest hides
            # tasks titled 【矩阵测试…】)
            Task.objects.filter(pk=proposal.task_id).update(title=f"【矩阵测试】{MATRIX_RULE}起草")
        else:  # the far bureau has no 班子成员 to lead a drafting task: the row only needs the proposal
            Proposal.objects.create(title=rule.title, created_by=manager, **values)
        decision = decisions.decision_create(
            actor=manager, unit=unit, kind=Decision.Kind.PROJECT, title=MATRIX_DECISION, proposal="维修改造办公楼"
        )
        if unit == cast.bureau:
            team = [cast.users[r].person for r in ("secretary", "leader", "inspector")]
            decisions.decision_meeting(
                actor=manager,
                decision=decision,
                meeting_kind=Decision.MeetingKind.PARTY,
                meeting_date=today,
                present=team,
                host=team[0],
            )


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    from qingfeng.rules.models import Decision, Proposal, Rule

    return {
        "rule": lambda: Rule.objects.filter(unit=unit, title=MATRIX_RULE).first(),
        "rule_proposal": lambda: Proposal.objects.filter(unit=unit, title=MATRIX_RULE).first(),
        "rule_decision": lambda: Decision.objects.filter(unit=unit, title=MATRIX_DECISION).first(),
    }
