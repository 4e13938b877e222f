"""廉政风险点 register and the 督促检查 of 关键部位和环节. A problem a check finds goes on, as the user chooses, as a
督办事项 (supervision's task_create) or as a finding of the check's 自查 round (rectification's services) — never
machinery of our own. 完成检查 (check_complete) ends a check: no problem is added afterwards, and the 督办事项 of a
scheduled check (services/schedule.py) is closed with it (supervision's task_close_for_module)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.integrity.models import DEFAULT_RISK_AREAS, RiskCheck, RiskPoint, RiskProblem, RiskReview
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.rectification.services.rounds import (
    add_months,
    finding_create,
    next_finding_number,
    next_finding_order,
    round_create,
)
from qingfeng.supervision.models import Task
from qingfeng.supervision.services._common import cn_date
from qingfeng.supervision.services.modules import task_close_for_module
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
    point.next_review_on = next_review(timezone.localdate(), data.review_cycle)
    point.full_clean()
    point.save()
    audit.record(
        actor=actor,
        action="riskpoint.create",
        obj=point,
        changes={"area": point.area, "department": point.department.name, "level": point.level},
    )
    return point


def next_review(start: dt.date, cycle: str) -> dt.date:
    """One cycle after `start` (a review, or the registration before the first review)."""
    return add_months(start, RiskPoint.CYCLE_MONTHS.get(cycle, 12))


# The fields an edit may change, with how each shows in the audit event (names, not ids).
POINT_FIELDS = ["area", "department", "post", "name", "description", "level", "controls", "owner", "review_cycle"]


def _point_values(point: RiskPoint) -> dict[str, Any]:
    return {f: (str(getattr(point, f)) if f in ("department", "owner") else getattr(point, f)) for f in POINT_FIELDS}


@transaction.atomic
def point_update(*, actor: Any, point: RiskPoint, data: PointData) -> RiskPoint:
    """Correct a line of the register. A changed 复核周期 moves the next review date: one new cycle after the last
    review (or the registration)."""
    access.require(actor, MANAGE, point.unit)
    problems = point_problems(point.unit, data)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    before = _point_values(point)
    point.area, point.department, point.post = data.area, data.department, data.post.strip()[:50]
    point.name, point.description = data.name.strip()[:100], data.description.strip()
    point.level, point.controls, point.owner = data.level, data.controls.strip(), data.owner
    fields = [*POINT_FIELDS, "updated_at"]
    if data.review_cycle != point.review_cycle:
        point.review_cycle = data.review_cycle
        start = point.last_reviewed_on or timezone.localtime(point.created_at).date()
        point.next_review_on = next_review(start, data.review_cycle)
        fields.append("next_review_on")
    changes = audit.diff(before, _point_values(point))
    if not changes:
        return point
    point.save(update_fields=fields)
    audit.record(actor=actor, action="riskpoint.update", obj=point, changes=changes)
    return point


@transaction.atomic
def point_delete(*, actor: Any, point: RiskPoint, reason: str) -> None:
    """Soft delete (撤销) of a point no longer at risk; its checks and problems keep pointing at it."""
    access.require(actor, MANAGE, point.unit)
    if not reason.strip():
        raise UserError("请填写删除原因", field="reason")
    point.deleted_at = timezone.now()
    point.save(update_fields=["deleted_at", "updated_at"])
    audit.record(
        actor=actor,
        action="riskpoint.delete",
        obj=point,
        changes={"reason": reason.strip()[:200], "department": point.department.name, "level": point.level},
    )


@transaction.atomic
def point_review(*, actor: Any, point: RiskPoint, date: dt.date | None, note: str) -> RiskReview:
    """复核: record who reviewed the point when and what they found; the next review follows the cycle from this one."""
    access.require(actor, MANAGE, point.unit)
    problems = []
    if date is None:
        problems.append("请填写复核日期")
    elif date > timezone.localdate():
        problems.append("复核日期不能晚于今天")
    elif point.last_reviewed_on and date < point.last_reviewed_on:
        problems.append(f"复核日期不能早于上次复核（{point.last_reviewed_on:%Y年%m月%d日}）")
    if not note.strip():
        problems.append("请填写复核意见（风险描述、等级、防控措施是否仍然适当）")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    assert date is not None
    point = RiskPoint.objects.select_for_update().get(pk=point.pk)
    review = RiskReview.objects.create(
        point=point,
        unit=point.unit,
        date=date,
        reviewer=actor,
        note=note.strip(),
        next_review_on=next_review(date, point.review_cycle),
    )
    before = {"last_reviewed_on": point.last_reviewed_on, "next_review_on": point.next_review_on}
    point.last_reviewed_on, point.next_review_on = date, review.next_review_on
    point.save(update_fields=["last_reviewed_on", "next_review_on", "updated_at"])
    audit.record(
        actor=actor,
        action="riskpoint.review",
        obj=point,
        changes={
            **audit.diff(before, {"last_reviewed_on": date, "next_review_on": review.next_review_on}),
            "note": review.note[:200],
        },
    )
    return review


@transaction.atomic
def check_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    date: dt.date,
    points: list[RiskPoint],
    summary: str = "",
    cycle: str = "",
) -> RiskCheck:
    """A 督促检查 run by hand over the chosen risk points (each point's 最近检查 moves to the date). With a cycle
    (每季度/每半年/每年), the worker opens the next one when the cycle has passed (services/schedule.py)."""
    access.require(actor, MANAGE, unit)
    problems = []
    if cycle and cycle not in RiskPoint.Cycle.values:
        problems.append("检查周期须为每季度、每半年或每年")
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
    check = RiskCheck.objects.create(
        unit=unit, name=name.strip()[:100], date=date, summary=summary, created_by=actor, cycle=cycle
    )
    check.points.set(points)
    RiskPoint.objects.filter(pk__in=[p.pk for p in points]).update(last_checked_on=date)
    audit.record(
        actor=actor,
        action="riskcheck.create",
        obj=check,
        changes={"points": [p.pk for p in points], **({"cycle": cycle} if cycle else {})},
    )
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
    check = _locked(check)  # a completion running at the same time waits, and then this one sees it
    if check.completed_at is not None:
        raise UserError(f"检查已于{_completed_on(check)}完成，不能再登记发现的问题；新发现的问题请另行开展检查登记")
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


def _locked(check: RiskCheck) -> RiskCheck:
    return RiskCheck.objects.select_for_update(of=("self",)).select_related("unit", "round", "task").get(pk=check.pk)


def _completed_on(check: RiskCheck) -> str:
    return cn_date(timezone.localtime(check.completed_at).date()) if check.completed_at else ""


@transaction.atomic
def check_complete(*, actor: Any, check: RiskCheck, summary: str, no_problems: bool = False) -> RiskCheck:
    """完成检查: who completed it and when, the 检查情况, and the result.

    1. The result is said explicitly: problems were registered (each already a 督办事项 or 整改问题), or none and
       the user ticks 未发现问题 — a check with problems cannot end as 未发现问题, nor one without as 发现问题
       (a problem forgotten would otherwise pass silently).
    2. Afterwards no problem is added (problem_create refuses) and the check is not completed again.
    3. A scheduled check's points are now checked: their 最近检查 moves to today (a check run by hand moved it
       when it was registered).
    4. A scheduled check's 督办事项 is closed with it (supervision's task_close_for_module): on time when completed
       by its deadline; the reminders and escalation stop."""
    access.require(actor, MANAGE, check.unit)
    check = _locked(check)
    if check.completed_at is not None:
        raise UserError(f"检查已于{_completed_on(check)}完成，不能重复完成")
    found = check.problems.count()
    problems = []
    if not summary.strip():
        problems.append("请填写检查情况")
    if no_problems and found:
        problems.append(f"本次检查已登记{found}个问题，不能以“未发现问题”完成")
    elif not no_problems and not found:
        problems.append("本次检查尚未登记发现的问题：请先登记问题，或选择“未发现问题”")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    today = timezone.localdate()
    state = check.state(today)
    check.summary, check.completed_at, check.completed_by = summary.strip(), timezone.now(), actor
    check.result = RiskCheck.Result.CLEAN if no_problems else RiskCheck.Result.FOUND
    check.save(update_fields=["summary", "completed_at", "completed_by", "result", "updated_at"])
    if check.scheduled:
        RiskPoint.objects.filter(checks=check).filter(
            Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=today)
        ).update(last_checked_on=today)
    changes: dict[str, Any] = {
        "result": check.result,
        "problems": found,
        "summary": check.summary[:200],
        **({"overdue": True} if state == RiskCheck.State.OVERDUE else {}),
    }
    if check.task is not None:
        outcome = "未发现问题" if no_problems else f"发现问题{found}个（已逐项转办）"
        task_close_for_module(actor=actor, task=check.task, perm=MANAGE, note=f"{check.name}已完成检查：{outcome}。")
        changes["task"] = check.task.number
    audit.record(actor=actor, action="riskcheck.complete", obj=check, changes=changes)
    return check


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
