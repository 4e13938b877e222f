"""The business-record rules of access.visible_q, which every later module's selectors start from. Exercised on
Person rows through a declared BusinessScope (Person has the unit and department fields a business record has;
"pk" stands for the row's own person)."""

from __future__ import annotations

import pytest

from qingfeng.org import access
from qingfeng.org.access import BusinessScope
from qingfeng.org.models import Person

SCOPE = BusinessScope(unit="unit", department="department", person="pk")


class _Record:
    """A stand-in business model: only its declared scope matters to visible_q."""

    access_scope = SCOPE


class _Confidential:
    access_scope = BusinessScope(unit="unit", department="department", person="pk", confidential=True)


def _seen(user, model=_Record) -> set[str]:  # type: ignore[no-untyped-def]
    return set(Person.objects.filter(access.visible_q(user, model)).values_list("employee_no", flat=True))


def _unit(unit) -> set[str]:  # type: ignore[no-untyped-def]
    return set(Person.objects.filter(unit=unit).values_list("employee_no", flat=True))


@pytest.mark.parametrize("role", ["secretary", "inspector", "clerk"])
def test_the_whole_unit_roles_see_every_record_of_the_bureau(cast, role) -> None:
    assert _seen(cast.users[role]) == _unit(cast.bureau)


def test_the_superior_sees_every_unit_below_it(cast) -> None:
    assert _seen(cast.users["superior"]) == _unit(cast.bureau) | _unit(cast.sibling)


def test_a_head_sees_the_own_departments_records(cast) -> None:
    head = cast.users["head"]
    finance = set(Person.objects.filter(department=head.person.department).values_list("employee_no", flat=True))
    assert _seen(head) == finance


def test_a_leader_sees_the_departments_it_supervises_and_its_own(cast) -> None:
    leader = cast.users["leader"]
    supervised = set(
        Person.objects.filter(department__in=leader.person.supervised_departments.all()).values_list(
            "employee_no", flat=True
        )
    )
    assert _seen(leader) == supervised | {leader.person.employee_no}
    assert supervised  # 分管 财务股 and 计划项目股


def test_staff_see_only_their_own(cast) -> None:
    staff = cast.users["staff"]
    assert _seen(staff) == {staff.person.employee_no}


def test_the_outsider_sees_nothing_of_the_bureau(cast) -> None:
    assert not (_seen(cast.users["outsider"]) & _unit(cast.bureau))


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_the_sanyuan_see_no_business_record(cast, role) -> None:
    assert _seen(cast.users[role]) == set()


def test_confidential_records_are_for_the_secretary_the_inspector_and_the_jiwei(cast) -> None:
    for role in ("secretary", "inspector"):
        assert _seen(cast.users[role], _Confidential) == _unit(cast.bureau)
    assert _seen(cast.users["superior"], _Confidential) >= _unit(cast.bureau)  # kind 纪委
    for role in ("leader", "clerk", "head", "staff", "outsider"):
        assert _seen(cast.users[role], _Confidential) == set()


def test_a_zuzhibu_superior_does_not_see_the_confidential_ledger(cast) -> None:
    from qingfeng.org.models import RoleAssignment

    RoleAssignment.objects.filter(user=cast.users["superior"]).update(superior_kind="zuzhibu")
    access.forget(cast.users["superior"])
    assert _seen(cast.users["superior"], _Confidential) == set()


class _ViaSupervised:
    """A stand-in scoped through a multi-valued path: Person rows seen through their M2M 分管 departments."""

    _meta = Person._meta
    _base_manager = Person._base_manager
    access_scope = BusinessScope(unit="unit", department="supervised_departments")


def test_a_multi_valued_department_path_returns_each_row_once(cast) -> None:
    leader = cast.users["leader"]  # 分管 财务股 and 计划项目股: a plain join would return 李志强 twice
    seen = list(Person.objects.filter(access.visible_q(leader, _ViaSupervised)).values_list("employee_no", flat=True))
    assert seen == [leader.person.employee_no]
