"""Reads of the organisation that need visibility and joins."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from qingfeng.org import access
from qingfeng.org.models import Department, Person, RoleAssignment, Unit, User


def people_for(user: Any, *, filters: dict[str, Any] | None = None) -> QuerySet[Person]:
    filters = filters or {}
    qs = (
        Person.objects.filter(access.visible_q(user, Person))
        .select_related("unit", "department", "branch", "account")
        .prefetch_related(Prefetch("supervised_departments", queryset=Department.objects.order_by("order")))
        .order_by("unit__path", "order", "employee_no")
    )
    if filters.get("q"):
        from django.db.models import Q

        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(employee_no__icontains=filters["q"]))
    if filters.get("unit"):
        qs = qs.filter(unit=filters["unit"])
    if filters.get("department"):
        qs = qs.filter(department=filters["department"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("party") in ("0", "1"):
        qs = qs.filter(is_party_member=filters["party"] == "1")
    return qs


def accounts_for(user: Any, *, q: str = "") -> QuerySet[User]:
    qs = (
        User.objects.filter(access.visible_q(user, User))
        .select_related("unit", "person")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(revoked_at__isnull=True).select_related("unit"),
                to_attr="active_roles",
            )
        )
        .order_by("username")
    )
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(person__name__icontains=q))
    return qs


def grants_for(user: Any, *, role: str = "", q: str = "") -> QuerySet[RoleAssignment]:
    qs = (
        RoleAssignment.objects.filter(access.visible_q(user, RoleAssignment), revoked_at__isnull=True)
        .select_related("user", "user__person", "unit", "granted_by")
        .order_by("unit__path", "role", "user__username")
    )
    if role:
        qs = qs.filter(role=role)
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(user__username__icontains=q) | Q(user__display_name__icontains=q))
    return qs


def default_unit(user: Any) -> Unit | None:
    assignments = access.assignments(user)
    return assignments[0].unit if assignments else None
