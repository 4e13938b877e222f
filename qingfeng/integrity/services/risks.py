"""廉政风险点 register and the 督促检查 of 关键部位和环节. A problem a check finds goes on, as the user chooses, as a
督办事项 (supervision's task_create) or as a finding of the check's 自查 round (rectification's services) — never
machinery of our own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.integrity.models import DEFAULT_RISK_AREAS, RiskCheck, RiskPoint, RiskProblem
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.rectification.services.rounds import finding_create, next_finding_number, next_finding_order, round_create
from qingfeng.supervision.models import Task
from qingfeng.supervision.services.tasks import TaskDraft, task_create

MANAGE = "integrity.risk_manage"


def risk_areas() -> list[str]:
    return list(getattr(settings, "INTEGRITY_RISK_AREAS", None) or DEFAULT_RISK_AREAS)


@dataclass
class PointData:
    area: str
    department: Department | None
    post: str
    name: str
    description: str
    level: str
    controls: str
    owner: Person | None
    review_cycle: str = RiskPoint.Cycle.YEARLY


def point_problems(unit: Unit, data: PointData) -> list[str]:
    problems = []
    if data.area not in risk_areas():
        problems.append(f"岗位/业务环节“{data.area}”不在配置的清单中（{'、'.join(risk_areas())}）")
    if data.department is None or data.department.unit_id != unit.pk:
        problems.append("请选择本单位的科室")
    if not data.post.strip():
        problems.append("请填写岗位")
    if not data.name.strip():
        problems.append("请填写风险点")
    if not data.description.strip():
        problems.append("请填写风险描述")
    if data.level not in RiskPoint.Level.values:
        problems.append("风险等级须为高、中或低")
    if not data.controls.strip():
        problems.append("请填写防控措施")
    if data.owner is None or data.owner.unit_id != unit.pk:
        problems.append("请选择本单位的责任人")
    if data.review_cycle not in RiskPoint.Cycle.values:
        problems.append("请选择复核周期")
    return problems


@transaction.atomic
def point_create(*, actor: Any, unit: Unit, data: PointData) -> RiskPoint:
    access.require(actor, MANAGE, unit)
    problems = point_problems(unit, data)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    point = RiskPoint(
        unit=unit,
        area=data.area,
        department=data.department,
        post=data.post.strip()[:50],
        name=data.name.strip()[:100],
        description=data.description.strip(),
        level=data.level,
        controls=data.controls.strip(),
        owner=data.owner,
        review_cycle=data.review_cycle,
    )
    point.full_clean()
    point.save()
    audit.record(
        actor=actor,
        action="riskpoint.create",
        obj=point,
        changes={"area": point.area, "department": point.department.name, "level": point.level},
    )
    return point


@transaction.atomic
def check_create(
    *, actor: Any, unit: Unit, name: str, date: dt.date, points: list[RiskPoint], summary: str = ""
) -> RiskCheck:
    """A 督促检查 run by hand over the chosen risk points (each point's 最近检查 moves to the date)."""
    access.require(actor, MANAGE, unit)
    problems = []
    if not name.strip():
        problems.append("请填写检查名称")
    if date > timezone.localdate():
        problems.append("检查日期不能晚于今天")
    if not points:
        problems.append("请至少选择一个风险点")
    if any(p.unit_id != unit.pk for p in points):
        problems.append("只能检查本单位的风险点")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    check = RiskCheck.objects.create(unit=unit, name=name.strip()[:100], date=date, summary=summary, created_by=actor)
    check.points.set(points)
    RiskPoint.objects.filter(pk__in=[p.pk for p in points]).update(last_checked_on=date)
    audit.record(actor=actor, action="riskcheck.create", obj=check, changes={"points": [p.pk for p in points]})
    return check


@transaction.atomic
def problem_create(
    *,
    actor: Any,
    check: RiskCheck,
    point: RiskPoint,
    description: str,
    route: str,
    lead_leader: Person | None = None,
    deadline: dt.date | None = None,
) -> RiskProblem:
    """One problem found at `point`: as a 督办事项 to the point's department (lead_leader, deadline), or as a
    finding of the check's own 自查 round (made with the first such problem), whose measures the office adds."""
    access.require(actor, MANAGE, check.unit)
    if not description.strip():
        raise UserError("请填写发现的问题", field="description")
    if not check.points.filter(pk=point.pk).exists():
        raise UserError("该风险点不在本次检查范围内", field="point")
    if route not in RiskProblem.Route.values:
        raise UserError("请选择转为督办事项或整改问题", field="route")
    problem = RiskProblem(check_run=check, unit=check.unit, point=point, description=description.strip(), route=route)
    if route == RiskProblem.Route.TASK:
        draft = TaskDraft(
            title=f"【廉政风险点检查】{point.name}：{description.strip()[:100]}",
            content=f"{check.name}发现：{description.strip()}\n风险点：{point.name}（{point.area}）\n防控措施：{point.controls}",
            lead_department=point.department,
            lead_leader=lead_leader,
            deadline=deadline,
            responsible_person=point.owner if point.owner.department_id == point.department_id else None,
        )
        problem.task = task_create(
            actor=actor,
            unit=check.unit,
            draft=draft,
            source=Task.Source.MODULE,
            source_ref=f"{check.name}·{point.name}",
            assign_perm=MANAGE,
        )
    else:
        round_ = _round_of(actor, check)
        problem.finding = _as_finding(actor, round_, point, description)
    problem.save()
    audit.record(
        actor=actor,
        action="riskproblem.create",
        obj=problem,
        changes={"check": check.pk, "point": point.pk, "route": route},
    )
    return problem


def _round_of(actor: Any, check: RiskCheck) -> Any:
    if check.round_id is None:
        # rectification.manage is needed there: the secretary, the 纪检组长 and the clerk hold both codes.
        check.round = round_create(
            actor=actor,
            unit=check.unit,
            name=check.name,
            body="廉政风险点督促检查",
            kind="self",
            feedback_date=check.date,
        )
        check.save(update_fields=["round", "updated_at"])
    return check.round


def _as_finding(actor: Any, round_: Any, point: RiskPoint, description: str) -> Any:
    return finding_create(
        actor=actor,
        round_=round_,
        number=next_finding_number(round_),
        category="党风廉政建设",
        description=f"{point.name}：{description.strip()}",
        order=next_finding_order(round_),
    )
