"""THE visibility module (DESIGN.md): who may do what, on which units, and which rows each user sees.

Every selector starts from `visible_q(user, Model)`; every object route resolves its object through
`get_object_for_user`. A route a role may not use → PermissionDenied (the audited Chinese 403 page); an object
outside the user's scope → Http404, indistinguishable from a missing one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from qingfeng.org.models import Branch, Department, Person, RoleAssignment, Unit, User
from qingfeng.org.roles import ADMIN_ROLES, BUSINESS_ROLES, LEDGER_ROLES, PERMISSIONS, Role, reads_ledger

M = TypeVar("M", bound=models.Model)
NOTHING = Q(pk__in=[])

# Which roles see rows of the organisation models (read), and which permission writes them.
_ORG_READERS: dict[type[models.Model], frozenset[str]] = {
    Unit: frozenset(set(Role) - {Role.AUDITOR}),
    Department: BUSINESS_ROLES | {Role.SYSADMIN},
    Branch: BUSINESS_ROLES | {Role.SYSADMIN},
    Person: BUSINESS_ROLES | {Role.SYSADMIN},
    User: frozenset({Role.SYSADMIN, Role.SECADMIN}),
    RoleAssignment: frozenset({Role.SECADMIN}),
}
_ORG_WRITE_PERM: dict[type[models.Model], str] = {
    Unit: "org.manage",
    Department: "org.manage",
    Branch: "org.manage",
    Person: "org.manage",
    User: "org.manage",
    RoleAssignment: "roles.manage",
}
_ORG_UNIT_FIELD: dict[type[models.Model], str] = {
    Unit: "",
    Department: "unit",
    Branch: "unit",
    Person: "unit",
    User: "unit",
    RoleAssignment: "unit",
}


@dataclass(frozen=True)
class BusinessScope:
    """How a business model is scoped, declared on it as `access_scope = BusinessScope(...)`.

    unit: the unit FK; department: the responsible department (FK or M2M) for heads and leaders' 分管;
    person: the field naming the person the row belongs to (staff see only their own); confidential: only the
    secretary, the inspector and a 纪委 superior see it (the 四种形态 ledger); personal: a person's own records
    (the 廉政档案): the person, the leader who supervises their department, the secretary, the inspector and the
    superiors, but not the office or the department head; write_perm: the permission needed to change it."""

    unit: str = "unit"
    department: str | None = None
    person: str | None = None
    leader: str | None = None
    confidential: bool = False
    personal: bool = False
    write_perm: str | None = None


def assignments(user: Any) -> list[RoleAssignment]:
    """The user's active role assignments, loaded once per request object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_qf_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, revoked_at__isnull=True, unit__deleted_at__isnull=True)
            .select_related("unit")
            .order_by("role", "unit__path")
        )
        user._qf_assignments = cached
    return cached


def forget(user: Any) -> None:
    if hasattr(user, "_qf_assignments"):
        del user._qf_assignments


def roles(user: Any) -> set[str]:
    return {a.role for a in assignments(user)}


def _covers(assignment: RoleAssignment, unit: Unit) -> bool:
    if assignment.unit_id == unit.pk:
        return True
    return assignment.include_subunits and unit.path.startswith(assignment.unit.path)


def can(user: Any, perm: str, unit: Unit | None = None) -> bool:
    """True when one of the user's roles grants `perm` (on `unit`, when given)."""
    return any(
        perm in PERMISSIONS.get(a.role, frozenset()) and (unit is None or _covers(a, unit)) for a in assignments(user)
    )


def unit_with(user: Any, *perms: str) -> Unit | None:
    """The first unit (in the order of the user's grants) on which one of the user's roles grants one of `perms`:
    where a record the user creates goes."""
    return next((a.unit for a in assignments(user) if any(p in PERMISSIONS.get(a.role, ()) for p in perms)), None)


def holds(user: Any, role: str, unit: Unit | None = None) -> bool:
    """True when the user holds `role` (on `unit`, directly or through a grant including its sub-units)."""
    return any(a.role == role and (unit is None or _covers(a, unit)) for a in assignments(user))


def require(user: Any, perm: str, unit: Unit | None = None) -> None:
    if not can(user, perm, unit):
        raise PermissionDenied(perm)


def units_q(user: Any, *, roles_: Iterable[str] | None = None, field: str = "") -> Q:
    """Q over a unit FK (`field`, or the Unit itself when empty) for the units the given roles cover."""
    wanted = set(roles_) if roles_ is not None else None
    q = NOTHING
    for a in assignments(user):
        if wanted is not None and a.role not in wanted:
            continue
        if a.include_subunits:
            q |= Q(**{f"{field}__path__startswith" if field else "path__startswith": a.unit.path})
        else:
            q |= Q(**{f"{field}_id" if field else "pk": a.unit_id})
    return q


def _path_q(model: Any, path: str, value: Any) -> Q:
    """Q(path=value), except when a step of the path is multi-valued (a reverse FK or an M2M, e.g. a Task's
    `parts__department`): then `pk__in` a subquery, so that a row matching through several related rows is
    still returned once (no duplicates in lists, no MultipleObjectsReturned in get_object_for_user)."""
    meta = getattr(model, "_meta", None)
    for step in path.split("__"):
        if meta is None:
            break
        try:
            field = meta.get_field(step)
        except FieldDoesNotExist:
            break  # a lookup such as `in`, or a name only the database knows
        if field.one_to_many or field.many_to_many:
            return Q(pk__in=model._base_manager.filter(**{path: value}).values("pk"))
        related = getattr(field, "related_model", None)
        meta = related._meta if related is not None else None
    return Q(**{path: value})


def _business_q(user: Any, scope: BusinessScope, model: Any = None) -> Q:
    held = roles(user)
    person = getattr(user, "person", None)
    whole_unit = {Role.SECRETARY, Role.INSPECTOR, Role.CLERK}
    q = NOTHING
    if scope.confidential:
        # roles.reads_ledger: the secretary and the 纪检组长 on their grants' units, a 纪委 superior over the units below
        q |= units_q(user, roles_=LEDGER_ROLES, field=scope.unit)
        for a in assignments(user):
            if a.role == Role.SUPERIOR and reads_ledger(a.role, a.superior_kind):
                q |= Q(**{f"{scope.unit}__path__startswith": a.unit.path})
        return q
    if scope.personal:
        q |= units_q(user, roles_={Role.SECRETARY, Role.INSPECTOR, Role.SUPERIOR}, field=scope.unit)
        if person is None or not held & BUSINESS_ROLES:
            return q
        if scope.person:
            q |= _path_q(model, scope.person, person.pk)
        if Role.LEADER in held and scope.department:
            q |= units_q(user, roles_={Role.LEADER}, field=scope.unit) & _path_q(
                model, f"{scope.department}__in", person.supervised_departments.all()
            )
        return q
    q |= units_q(user, roles_=whole_unit | {Role.SUPERIOR}, field=scope.unit)
    if person is None:
        return q
    own = NOTHING
    if scope.person:
        own |= _path_q(model, scope.person, person.pk)
    if scope.leader:
        own |= _path_q(model, scope.leader, person.pk)
    if Role.LEADER in held and scope.department:
        own |= _path_q(model, f"{scope.department}__in", person.supervised_departments.all())
    if Role.HEAD in held and scope.department and person.department_id:
        own |= _path_q(model, scope.department, person.department_id)
    if held & {Role.LEADER, Role.HEAD, Role.STAFF}:
        q |= units_q(user, roles_={Role.LEADER, Role.HEAD, Role.STAFF}, field=scope.unit) & own
    return q


def visible_q(user: Any, model: type[models.Model]) -> Q:
    """The rows of `model` this user may see, as a Q (no id lists)."""
    if model in _ORG_READERS:
        return units_q(user, roles_=_ORG_READERS[model], field=_ORG_UNIT_FIELD[model])
    scope: BusinessScope | None = getattr(model, "access_scope", None)
    if scope is None:
        raise TypeError(f"{model.__name__} declares no access_scope")
    return scope_q(user, scope, model)


def scope_q(user: Any, scope: BusinessScope, model: type[models.Model]) -> Q:
    """The rows of `model` a business scope gives this user; for a model that is read under another record's rule
    (the people whose 廉政档案 a user may open: Person under the filings' personal scope)."""
    if roles(user) & ADMIN_ROLES and not roles(user) & BUSINESS_ROLES:
        return NOTHING  # 三员 see no business records
    return _business_q(user, scope, model)


def is_org_model(model: type[models.Model]) -> bool:
    return model in _ORG_READERS


def write_perm(model: type[models.Model]) -> str | None:
    if model in _ORG_WRITE_PERM:
        return _ORG_WRITE_PERM[model]
    scope: BusinessScope | None = getattr(model, "access_scope", None)
    return scope.write_perm if scope else None


def unit_of(obj: models.Model) -> Unit | None:
    if isinstance(obj, Unit):
        return obj
    field = _ORG_UNIT_FIELD.get(type(obj)) or getattr(getattr(obj, "access_scope", None), "unit", "unit")
    return getattr(obj, field, None)


def get_object_for_user(
    user: Any, model: type[M], pk: Any, *, write: bool = False, queryset: models.QuerySet | None = None
) -> M:
    """The object if the user may see it (else 404); with write=True also the write permission on its unit
    (else 403)."""
    qs = queryset if queryset is not None else model._default_manager.all()
    try:
        obj = qs.filter(visible_q(user, model)).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在") from exc
    if write:
        perm = write_perm(model)
        if perm is None or not can(user, perm, unit_of(obj)):
            raise PermissionDenied(perm or "write")
    return obj


def perm_required(perm: str):  # type: ignore[no-untyped-def]
    """View decorator: log-in required, then `perm` on some unit, else the audited 403 page."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    def decorator(view):  # type: ignore[no-untyped-def]
        @wraps(view)
        def wrapped(request, *args, **kwargs):  # type: ignore[no-untyped-def]
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
