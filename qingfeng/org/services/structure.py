"""Units (the tree), departments and party branches."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Branch, Department, Person, Unit
from qingfeng.org.services._common import snapshot, validated_save

UNIT_FIELDS = ["name", "code", "kind", "parent", "order"]
DEPARTMENT_FIELDS = ["name", "order"]
BRANCH_FIELDS = ["name", "order"]


@transaction.atomic
def unit_create(*, actor: Any, name: str, code: str, kind: str, parent: Unit | None, order: int = 0) -> Unit:
    if parent is None:
        raise UserError("请选择上级单位", field="parent")
    access.require(actor, "org.manage", parent)
    if Unit.all_objects.filter(code=code).exists():
        raise UserError(f"单位代码“{code}”已被使用", field="code")
    unit = Unit(name=name, code=code, kind=kind, parent=parent, order=order)
    validated_save(unit)
    unit.path = f"{parent.path}{unit.pk}/"
    unit.save(update_fields=["path"])
    audit.record(actor=actor, action="unit.create", obj=unit, changes=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_create_root(*, actor: Any | None, name: str, code: str, kind: str) -> Unit:
    """The top of a tree: only the bootstrap and demo commands make one."""
    unit = Unit(name=name, code=code, kind=kind)
    validated_save(unit)
    unit.path = f"/{unit.pk}/"
    unit.save(update_fields=["path"])
    audit.record(actor=actor, action="unit.create", obj=unit, changes=snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, name: str, code: str, kind: str, order: int) -> Unit:
    access.require(actor, "org.manage", unit)
    if Unit.all_objects.filter(code=code).exclude(pk=unit.pk).exists():
        raise UserError(f"单位代码“{code}”已被使用", field="code")
    before = snapshot(unit, UNIT_FIELDS)
    unit.name, unit.code, unit.kind, unit.order = name, code, kind, order
    validated_save(unit)
    audit.record(actor=actor, action="unit.update", obj=unit, changes=audit.diff(before, snapshot(unit, UNIT_FIELDS)))
    return unit


@transaction.atomic
def unit_delete(*, actor: Any, unit: Unit) -> None:
    access.require(actor, "org.manage", unit)
    if unit.parent_id is None:
        raise UserError("顶级单位不能删除")
    if Unit.objects.filter(parent=unit).exists():
        raise UserError("该单位还有下级单位，不能删除")
    if Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).exists():
        raise UserError("该单位还有在岗人员，不能删除")
    unit.deleted_at = timezone.now()
    unit.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor=actor, action="unit.delete", obj=unit)


@transaction.atomic
def department_create(*, actor: Any, unit: Unit, name: str, order: int = 0) -> Department:
    access.require(actor, "org.manage", unit)
    if Department.objects.filter(unit=unit, name=name).exists():
        raise UserError(f"本单位已有科室“{name}”", field="name")
    dept = Department(unit=unit, name=name, order=order)
    validated_save(dept)
    audit.record(actor=actor, action="department.create", obj=dept, changes=snapshot(dept, DEPARTMENT_FIELDS))
    return dept


@transaction.atomic
def department_update(*, actor: Any, department: Department, name: str, order: int) -> Department:
    access.require(actor, "org.manage", department.unit)
    if Department.objects.filter(unit=department.unit_id, name=name).exclude(pk=department.pk).exists():
        raise UserError(f"本单位已有科室“{name}”", field="name")
    before = snapshot(department, DEPARTMENT_FIELDS)
    department.name, department.order = name, order
    validated_save(department)
    audit.record(
        actor=actor,
        action="department.update",
        obj=department,
        changes=audit.diff(before, snapshot(department, DEPARTMENT_FIELDS)),
    )
    return department


@transaction.atomic
def department_delete(*, actor: Any, department: Department) -> None:
    access.require(actor, "org.manage", department.unit)
    if Person.objects.filter(department=department, status=Person.Status.ACTIVE).exists():
        raise UserError("该科室还有在岗人员，请先调整人员所在科室")
    department.deleted_at = timezone.now()
    department.save(update_fields=["deleted_at", "updated_at"])
    department.supervising_leaders.clear()
    audit.record(actor=actor, action="department.delete", obj=department)


@transaction.atomic
def branch_create(*, actor: Any, unit: Unit, name: str, order: int = 0) -> Branch:
    access.require(actor, "org.manage", unit)
    if Branch.objects.filter(unit=unit, name=name).exists():
        raise UserError(f"本单位已有支部“{name}”", field="name")
    branch = Branch(unit=unit, name=name, order=order)
    validated_save(branch)
    audit.record(actor=actor, action="branch.create", obj=branch, changes=snapshot(branch, BRANCH_FIELDS))
    return branch


@transaction.atomic
def branch_update(*, actor: Any, branch: Branch, name: str, order: int) -> Branch:
    access.require(actor, "org.manage", branch.unit)
    if Branch.objects.filter(unit=branch.unit_id, name=name).exclude(pk=branch.pk).exists():
        raise UserError(f"本单位已有支部“{name}”", field="name")
    before = snapshot(branch, BRANCH_FIELDS)
    branch.name, branch.order = name, order
    validated_save(branch)
    audit.record(
        actor=actor, action="branch.update", obj=branch, changes=audit.diff(before, snapshot(branch, BRANCH_FIELDS))
    )
    return branch


@transaction.atomic
def branch_delete(*, actor: Any, branch: Branch) -> None:
    access.require(actor, "org.manage", branch.unit)
    if Person.objects.filter(branch=branch, status=Person.Status.ACTIVE).exists():
        raise UserError("该支部还有在岗党员，请先调整人员所在支部")
    branch.deleted_at = timezone.now()
    branch.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor=actor, action="branch.delete", obj=branch)
