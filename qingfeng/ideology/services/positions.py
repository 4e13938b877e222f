"""阵地管理: the register of the unit's positions (portal columns, accounts, boards, lecture series), each with its
主管科室, 责任人 (of that department), 审核人 and status. Kept by the office and the secretary (ideology.manage);
nothing is hard-deleted: a position no longer used is 已关停, one registered by mistake is deleted with a reason
(its publications keep pointing at it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.ideology.models import Position
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit

MANAGE = "ideology.manage"
FIELDS = ["name", "kind", "address", "department", "responsible_person", "reviewer", "status", "note"]


@dataclass
class PositionData:
    name: str
    kind: str
    department: Department | None
    responsible_person: Person | None
    reviewer: Person | None
    status: str = Position.Status.ACTIVE
    address: str = ""
    note: str = ""


def position_problems(unit: Unit, data: PositionData, *, exclude: int | None = None) -> list[str]:
    """Every problem of the data, in Chinese (empty when it can be saved)."""
    problems: list[str] = []
    name = data.name.strip()
    if not name:
        problems.append("请填写阵地名称")
    if data.kind not in Position.Kind.values:
        problems.append("请选择阵地类别")
    if data.status not in Position.Status.values:
        problems.append("请选择状态")
    dept = data.department
    if dept is None or dept.unit_id != unit.pk or dept.is_deleted:
        problems.append("请选择本单位的主管科室")
    person = data.responsible_person
    if person is None or person.unit_id != unit.pk or person.status != Person.Status.ACTIVE:
        problems.append("请选择本单位在岗的责任人")
    elif dept is not None and person.department_id != dept.pk:
        problems.append(f"责任人“{person.name}”不在主管科室“{dept.name}”")
    reviewer = data.reviewer
    if reviewer is None or reviewer.unit_id != unit.pk or reviewer.status != Person.Status.ACTIVE:
        problems.append("请选择本单位在岗的审核人")
    if name and data.kind in Position.Kind.values:
        same = Position.objects.filter(unit=unit, name=name, kind=data.kind)
        if exclude is not None:
            same = same.exclude(pk=exclude)
        if same.exists():
            problems.append(f"已登记同名的{Position.Kind(data.kind).label}：{name}")
    return problems


def _check(unit: Unit, data: PositionData, exclude: int | None = None) -> None:
    problems = position_problems(unit, data, exclude=exclude)
    if problems:
        raise UserError("；".join(problems), errors=problems)


def _values(position: Position) -> dict[str, Any]:
    return {
        f: (
            str(getattr(position, f).name)
            if f in ("department", "responsible_person", "reviewer")
            else getattr(position, f)
        )
        for f in FIELDS
    }


@transaction.atomic
def position_create(*, actor: Any, unit: Unit, data: PositionData) -> Position:
    access.require(actor, MANAGE, unit)
    _check(unit, data)
    position = Position(
        unit=unit,
        name=data.name.strip()[:100],
        kind=data.kind,
        address=data.address.strip()[:200],
        department=data.department,
        responsible_person=data.responsible_person,
        reviewer=data.reviewer,
        status=data.status,
        note=data.note.strip(),
        created_by=actor,
    )
    position.full_clean()
    position.save()
    audit.record(actor=actor, action="ideology_position.create", obj=position, changes=_values(position))
    return position


@transaction.atomic
def position_update(*, actor: Any, position: Position, data: PositionData) -> Position:
    """Correct a position or change its status (运行中, 暂停更新, 已关停); a position not 运行中 takes no new drafts."""
    access.require(actor, MANAGE, position.unit)
    _check(position.unit, data, exclude=position.pk)
    before = _values(position)
    position.name, position.kind, position.address = data.name.strip()[:100], data.kind, data.address.strip()[:200]
    position.department, position.responsible_person = data.department, data.responsible_person
    position.reviewer, position.status, position.note = data.reviewer, data.status, data.note.strip()
    changes = audit.diff(before, _values(position))
    if not changes:
        return position
    position.save(update_fields=[*FIELDS, "updated_at"])
    audit.record(actor=actor, action="ideology_position.update", obj=position, changes=changes)
    return position


@transaction.atomic
def position_delete(*, actor: Any, position: Position, reason: str) -> None:
    """Soft delete with a reason; the position's publications and their reviews stay on record."""
    access.require(actor, MANAGE, position.unit)
    if not reason.strip():
        raise UserError("请填写删除原因", field="reason")
    position.deleted_at = timezone.now()
    position.save(update_fields=["deleted_at", "updated_at"])
    audit.record(
        actor=actor,
        action="ideology_position.delete",
        obj=position,
        changes={"reason": reason.strip()[:200], "kind": position.kind, "department": position.department.name},
    )
