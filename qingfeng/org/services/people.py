"""干部职工: create, change, leave (离岗). 工号 is unique across the whole system."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Branch, Department, Person, Unit
from qingfeng.org.services._common import validated_save


@dataclass
class PersonData:
    employee_no: str
    name: str
    post: str = ""
    department: Department | None = None
    branch: Branch | None = None
    is_party_member: bool = False
    is_leadership: bool = False
    phone: str = ""
    order: int = 0
    supervised_departments: list[Department] = field(default_factory=list)

    def audit_view(self) -> dict[str, Any]:
        data = asdict(self)
        data["department"] = self.department.name if self.department else ""
        data["branch"] = self.branch.name if self.branch else ""
        data["supervised_departments"] = sorted(d.name for d in self.supervised_departments)
        return data


def _check(unit: Unit, data: PersonData, person: Person | None = None) -> None:
    data.employee_no = data.employee_no.strip()
    data.name = data.name.strip()
    if not data.employee_no:
        raise UserError("工号不能为空", field="employee_no")
    if not data.name:
        raise UserError("姓名不能为空", field="name")
    clash = Person.all_objects.filter(employee_no=data.employee_no)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise UserError(f"工号“{data.employee_no}”已被使用", field="employee_no")
    for dept in [data.department, *data.supervised_departments]:
        if dept is not None and (dept.unit_id != unit.pk or dept.is_deleted):
            raise UserError(f"科室“{dept.name}”不属于{unit.name}", field="department")
    if data.branch is not None and data.branch.unit_id != unit.pk:
        raise UserError(f"支部“{data.branch.name}”不属于{unit.name}", field="branch")
    if data.supervised_departments and not data.is_leadership:
        raise UserError("只有班子成员可以分管科室", field="supervised_departments")


def _view(person: Person) -> dict[str, Any]:
    return PersonData(
        employee_no=person.employee_no,
        name=person.name,
        post=person.post,
        department=person.department,
        branch=person.branch,
        is_party_member=person.is_party_member,
        is_leadership=person.is_leadership,
        phone=person.phone,
        order=person.order,
        supervised_departments=list(person.supervised_departments.all()),
    ).audit_view()


@transaction.atomic
def person_create(*, actor: Any, unit: Unit, data: PersonData, audit_action: str = "person.create") -> Person:
    access.require(actor, "org.manage", unit)
    _check(unit, data)
    person = Person(
        unit=unit,
        employee_no=data.employee_no,
        name=data.name,
        post=data.post,
        department=data.department,
        branch=data.branch,
        is_party_member=data.is_party_member,
        is_leadership=data.is_leadership,
        phone=data.phone,
        order=data.order,
    )
    validated_save(person)
    if data.supervised_departments:
        person.supervised_departments.set(data.supervised_departments)
    audit.record(actor=actor, action=audit_action, obj=person, changes=data.audit_view())
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: PersonData) -> Person:
    access.require(actor, "org.manage", person.unit)
    _check(person.unit, data, person)
    before = _view(person)
    for name in (
        "employee_no",
        "name",
        "post",
        "department",
        "branch",
        "is_party_member",
        "is_leadership",
        "phone",
        "order",
    ):
        setattr(person, name, getattr(data, name))
    validated_save(person)
    person.supervised_departments.set(data.supervised_departments)
    audit.record(actor=actor, action="person.update", obj=person, changes=audit.diff(before, data.audit_view()))
    return person


@transaction.atomic
def person_leave(*, actor: Any, person: Person) -> Person:
    """离岗: the person stays on record (tasks name them), the account is disabled, 分管 is cleared."""
    access.require(actor, "org.manage", person.unit)
    if person.status == Person.Status.LEFT:
        raise UserError(f"{person.name}已是离岗状态")
    person.status = Person.Status.LEFT
    person.save(update_fields=["status", "updated_at"])
    person.supervised_departments.clear()
    account = getattr(person, "account", None)
    if account is not None and account.is_active:
        account.is_active = False
        account.save(update_fields=["is_active"])
    audit.record(actor=actor, action="person.leave", obj=person, changes={"status": ["active", "left"]})
    return person
