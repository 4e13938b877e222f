"""作风问题: report (anyone of the unit), verify, link to a task or close (the 纪检组长)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Unit, User
from qingfeng.org.roles import Role
from qingfeng.supervision.models import StyleProblem, Task


def _inspectors(unit: Unit) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__unit=unit,
            role_assignments__role=Role.INSPECTOR,
            role_assignments__revoked_at__isnull=True,
        ).distinct()
    )


@transaction.atomic
def style_report(
    *,
    actor: Any,
    unit: Unit,
    category: str,
    description: str,
    department: Department | None = None,
    matter: str = "",
    anonymous: bool = False,
) -> StyleProblem:
    access.require(actor, "supervision.style_report", unit)
    description, matter = description.strip(), matter.strip()
    if category not in StyleProblem.Category.values:
        raise UserError("请选择问题类别", field="category")
    if department is None and not matter:
        raise UserError("请选择涉及的科室，或填写涉及的事项", field="matter")
    if department is not None and department.unit_id != unit.pk:
        raise UserError("涉及的科室不属于本单位", field="department")
    if len(description) < 10:
        raise UserError("请具体描述情况（至少 10 个字）", field="description")
    problem = StyleProblem(
        unit=unit,
        reporter=actor,
        anonymous=anonymous,
        department=department,
        matter=matter[:200],
        category=category,
        description=description,
    )
    problem.full_clean(exclude=["unit", "reporter", "department", "task", "decided_by"])
    problem.save()
    # The audit log records the reporter (the 安全审计员 reads it; he sees no business records otherwise).
    audit.record(
        actor=actor,
        action="style.report",
        obj=problem,
        changes={
            "category": category,
            "anonymous": anonymous,
            "department": department.name if department else "",
            "matter": problem.matter,
        },
    )
    notify.send(
        recipients=_inspectors(unit),
        title=f"新的作风问题反映：{problem.get_category_display()}",
        body=problem.matter or (department.name if department else ""),
        link=f"/supervision/style/{problem.pk}/",
    )
    return problem


def _require_inspector(actor: Any, problem: StyleProblem) -> StyleProblem:
    if not access.can(actor, "supervision.style_handle", problem.unit):
        raise PermissionDenied("supervision.style_handle")
    return StyleProblem.objects.select_for_update().get(pk=problem.pk)


@transaction.atomic
def style_verify(*, actor: Any, problem: StyleProblem, note: str) -> StyleProblem:
    problem = _require_inspector(actor, problem)
    if problem.status not in (StyleProblem.Status.REPORTED, StyleProblem.Status.VERIFYING):
        raise UserError("该问题已处理完毕")
    if not note.strip():
        raise UserError("请填写核实情况", field="note")
    before = problem.status
    problem.status, problem.verification = StyleProblem.Status.VERIFYING, note.strip()
    problem.save(update_fields=["status", "verification", "updated_at"])
    audit.record(actor=actor, action="style.verify", obj=problem, changes={"status": [before, problem.status]})
    return problem


@transaction.atomic
def style_link(*, actor: Any, problem: StyleProblem, task: Task, decision: str = "") -> StyleProblem:
    """交办整改: the problem is handled through an existing 督办事项 of the unit."""
    problem = _require_inspector(actor, problem)
    if problem.status in (StyleProblem.Status.LINKED, StyleProblem.Status.CLOSED):
        raise UserError("该问题已处理完毕")
    if task.unit_id != problem.unit_id:
        raise UserError("只能关联本单位的督办事项", field="task")
    before = problem.status
    problem.status, problem.task, problem.decision = StyleProblem.Status.LINKED, task, decision.strip()
    problem.decided_by, problem.decided_at = actor, timezone.now()
    problem.save(update_fields=["status", "task", "decision", "decided_by", "decided_at", "updated_at"])
    audit.record(
        actor=actor, action="style.link", obj=problem, changes={"status": [before, problem.status], "task": task.number}
    )
    return problem


@transaction.atomic
def style_close(*, actor: Any, problem: StyleProblem, reason: str) -> StyleProblem:
    problem = _require_inspector(actor, problem)
    if problem.status in (StyleProblem.Status.LINKED, StyleProblem.Status.CLOSED):
        raise UserError("该问题已处理完毕")
    if not reason.strip():
        raise UserError("了结须写明理由", field="reason")
    before = problem.status
    problem.status, problem.decision = StyleProblem.Status.CLOSED, reason.strip()
    problem.decided_by, problem.decided_at = actor, timezone.now()
    problem.save(update_fields=["status", "decision", "decided_by", "decided_at", "updated_at"])
    audit.record(actor=actor, action="style.close", obj=problem, changes={"status": [before, problem.status]})
    return problem
