"""Who is who for the two responsibilities: the unit's secretary and 纪检组长 (by their role grants), its 班子成员
(Person.is_leadership) and each department's head (科室负责人).

A department's head is the person of the department holding the head role on the unit; a department whose head
has no account yet (the demo's other 科室) falls back to the person whose 职务 names them its head (负责人, 股长,
科长, 主任), the way the roster writes it."""

from __future__ import annotations

from django.db.models import Q

from qingfeng.org.models import Department, Person, RoleAssignment, Unit
from qingfeng.org.roles import Role

HEAD_POST_WORDS = ("负责人", "股长", "科长", "主任")


def leaders(unit: Unit) -> list[Person]:
    """The 班子成员 in post, in the roster's order."""
    return list(
        Person.objects.filter(unit=unit, is_leadership=True, status=Person.Status.ACTIVE).order_by("order", "pk")
    )


def holders(unit: Unit, role: str) -> list[Person]:
    """The people holding `role` directly on the unit."""
    grants = RoleAssignment.objects.filter(
        unit=unit, role=role, revoked_at__isnull=True, user__person__isnull=False, user__is_active=True
    ).values_list("user__person_id", flat=True)
    return list(Person.objects.filter(pk__in=grants, status=Person.Status.ACTIVE).order_by("order", "pk"))


def secretaries(unit: Unit) -> list[Person]:
    return holders(unit, Role.SECRETARY)


def inspectors(unit: Unit) -> list[Person]:
    return holders(unit, Role.INSPECTOR)


def department_heads(unit: Unit) -> dict[int, Person]:
    """Department pk → its head, for the departments that have one (two queries)."""
    by_role = set(holders(unit, Role.HEAD))
    words = Q()
    for word in HEAD_POST_WORDS:
        words |= Q(post__contains=word)
    candidates = (
        Person.objects.filter(unit=unit, status=Person.Status.ACTIVE, department__isnull=False, is_leadership=False)
        .filter(Q(pk__in=[p.pk for p in by_role]) | words)
        .order_by("order", "pk")
    )
    heads: dict[int, Person] = {}
    for person in candidates:
        current = heads.get(person.department_id)
        if current is None or (person in by_role and current not in by_role):
            heads[person.department_id] = person
    return heads


def supervising_leader(department: Department) -> Person | None:
    """The 班子成员 in post who supervises the department (分管), or None."""
    return (
        department.supervising_leaders.filter(is_leadership=True, status=Person.Status.ACTIVE)
        .order_by("order", "pk")
        .first()
    )
