"""Helpers shared by the supervision services: who acts for what, the timeline entry written together with its
audit event, snapshots, and the people to notify."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit, User
from qingfeng.org.roles import Role
from qingfeng.supervision.models import Task, TaskEvent, TaskPart


def cn_date(day: dt.date | None, empty: str = "无") -> str:
    """2023年7月1日 (DESIGN.md: dates as 2023年7月1日); `empty` for a missing day."""
    return f"{day.year}年{day.month}月{day.day}日" if day else empty


def person_of(actor: Any) -> Person | None:
    person = getattr(actor, "person", None)
    return person if person is not None and person.status == Person.Status.ACTIVE else None


def is_lead_leader(actor: Any, task: Task) -> bool:
    person = person_of(actor)
    return person is not None and person.pk == task.lead_leader_id


def acts_for_part(actor: Any, part: TaskPart) -> bool:
    """The part's department acts through its head (科室负责人), or through the task's responsible person when
    that person belongs to the department."""
    person = person_of(actor)
    if person is None or person.department_id != part.department_id:
        return False
    return access.holds(actor, Role.HEAD, part.unit) or person.pk == part.task.responsible_person_id


def is_reviewer(actor: Any, task: Task) -> bool:
    """The lead leader, or a clerk of the unit acting for them (DESIGN.md: clerk closes tasks for the lead
    leader); for tasks another module made (巡察整改's measures: 销号) also the 纪检组长."""
    return (
        is_lead_leader(actor, task)
        or access.holds(actor, Role.CLERK, task.unit)
        or (task.source == Task.Source.MODULE and access.holds(actor, Role.INSPECTOR, task.unit))
    )


def require_reviewer(actor: Any, task: Task, perm: str, what: str) -> None:
    access.require(actor, perm, task.unit)
    if not is_reviewer(actor, task):
        who = "、督查专员或纪检组长" if task.source == Task.Source.MODULE else "或督查专员"
        raise UserError(f"只有牵头领导{task.lead_leader.name}{who}可以{what}")


def require_lead_unit(actor: Any, task: Task, perm: str, what: str) -> TaskPart:
    """The 牵头单位 (its head or the responsible person) acts for the task as a whole; returns its part."""
    access.require(actor, perm, task.unit)
    lead = TaskPart.objects.select_related("task", "department").get(task=task, role=TaskPart.Role.LEAD)
    if not acts_for_part(actor, lead):
        raise UserError(f"只有牵头单位“{lead.department.name}”的负责人或本任务责任人可以{what}")
    return lead


def lock(task: Task) -> Task:
    """Re-read the task row under select_for_update, so two transitions of one task queue."""
    return Task.objects.select_for_update().select_related("unit", "lead_leader").get(pk=task.pk)


def task_snapshot(task: Task) -> dict[str, Any]:
    """What a decision applied to: the task's figures at that moment (stored on the TaskEvent)."""
    parts = list(TaskPart.objects.filter(task=task).select_related("department").order_by("-role", "id"))
    last = task.reports.order_by("-created_at", "-id").first()
    return {
        "number": task.number,
        "title": task.title,
        "status": task.status,
        "deadline": task.deadline,
        "original_deadline": task.original_deadline,
        "percent": task.percent,
        "submitted_at": task.submitted_at,
        "parts": [
            {"department": p.department.name, "role": p.role, "status": p.status, "percent": p.percent} for p in parts
        ],
        "last_report": {"id": last.pk, "text": last.text, "percent": last.percent} if last else None,
    }


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """Dates and datetimes as ISO strings, so that a snapshot reads back exactly as it was stored."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def record(
    *,
    task: Task,
    kind: str,
    actor: Any,
    action: str,
    part: TaskPart | None = None,
    note: str = "",
    snapshot: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> TaskEvent:
    """The timeline entry and the audit event of one transition, in the caller's transaction."""
    event = TaskEvent.objects.create(
        task=task,
        unit_id=task.unit_id,
        part=part,
        kind=kind,
        actor=actor,
        occurred_at=timezone.now(),
        note=note,
        snapshot=jsonable(snapshot or {}),
    )
    changes = dict(changes or {})
    if part is not None:
        changes["part"] = part.department.name
    if note:
        changes["note"] = note
    audit.record(actor=actor, action=action, obj=task, changes=changes)
    return event


def heads_of(department: Department) -> list[User]:
    """The accounts that hold the head role on the department's unit and belong to the department."""
    return list(
        User.objects.filter(
            is_active=True,
            person__department=department,
            role_assignments__unit_id=department.unit_id,
            role_assignments__role=Role.HEAD,
            role_assignments__revoked_at__isnull=True,
        ).distinct()
    )


def clerks_of(unit: Unit) -> list[User]:
    return list(
        User.objects.filter(
            Q(role_assignments__unit=unit)
            | Q(role_assignments__include_subunits=True, role_assignments__unit__path__in=_ancestors(unit)),
            is_active=True,
            role_assignments__role=Role.CLERK,
            role_assignments__revoked_at__isnull=True,
        ).distinct()
    )


def _ancestors(unit: Unit) -> list[str]:
    """The materialised paths of the unit and the units above it ("/1/", "/1/4/", …)."""
    ids = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]


def account_of(person: Person | None) -> User | None:
    if person is None:
        return None
    return User.objects.filter(person=person, is_active=True).first()
