"""Organisation reads for other systems: who am I, units, departments, people — all through access."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.org import access, selectors
from qingfeng.org.models import Department, Person, Unit

router = Router(tags=["组织"])


class RoleOut(Schema):
    role: str
    role_name: str
    unit_id: int
    unit_name: str
    include_subunits: bool


class MeOut(Schema):
    username: str
    name: str
    unit_id: int | None
    roles: list[RoleOut]


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None


class DepartmentOut(Schema):
    id: int
    unit_id: int
    name: str


class PersonOut(Schema):
    id: int
    unit_id: int
    employee_no: str
    name: str
    post: str
    department_id: int | None
    department_name: str | None
    branch_id: int | None
    is_party_member: bool
    is_leadership: bool
    status: str

    @staticmethod
    def resolve_department_name(obj: Person) -> str | None:
        return obj.department.name if obj.department_id else None


@router.get("/me", response=MeOut, url_name="me")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "username": user.username,
        "name": str(user),
        "unit_id": user.unit_id,
        "roles": [
            {
                "role": a.role,
                "role_name": a.get_role_display(),
                "unit_id": a.unit_id,
                "unit_name": a.unit.name,
                "include_subunits": a.include_subunits,
            }
            for a in access.assignments(user)
        ],
    }


@router.get("/units", response=list[UnitOut], url_name="unit_list")
@paginate(PageNumberPagination, page_size=100)
def unit_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Unit.objects.filter(access.visible_q(request.user, Unit)).order_by("path")


@router.get("/units/{int:pk}", response=UnitOut, url_name="unit_detail")
def unit_detail(request: HttpRequest, pk: int) -> Unit:
    return access.get_object_for_user(request.user, Unit, pk)


@router.get("/departments", response=list[DepartmentOut], url_name="department_list")
@paginate(PageNumberPagination, page_size=100)
def department_list(request: HttpRequest, unit: int | None = None):  # type: ignore[no-untyped-def]
    qs = Department.objects.filter(access.visible_q(request.user, Department))
    return qs.filter(unit_id=unit) if unit else qs


@router.get("/people", response=list[PersonOut], url_name="person_list")
@paginate(PageNumberPagination, page_size=50)
def person_list(
    request: HttpRequest,
    q: str = "",
    unit: int | None = None,  # type: ignore[no-untyped-def]
    department: int | None = None,
):
    return selectors.people_for(request.user, filters={"q": q[:50], "unit": unit, "department": department})


@router.get("/people/{int:pk}", response=PersonOut, url_name="person_detail")
def person_detail(request: HttpRequest, pk: int) -> Person:
    return access.get_object_for_user(request.user, Person, pk, queryset=Person.objects.select_related("department"))
