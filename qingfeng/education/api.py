"""学习教育 for other systems: study sessions (list, detail with the attendance, record, 补学) and the materials library
(list, detail, add).

Same selectors, services, forms and visibility as the pages: a route the role may not use → 403 (recording without
a branch led or education.manage); an object outside the user's scope → 404 (decided before the body is read); a
broken rule or a bad field → 400 with the Chinese message. Writes take a JSON object or form fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core.request_body import json_or_form, valid_data
from qingfeng.education import kinds, selectors, services
from qingfeng.education.forms import MakeupForm, MaterialForm, SessionForm
from qingfeng.education.models import Material, StudySession
from qingfeng.org import access
from qingfeng.org.models import Person

router = Router(tags=["学习教育"])
VIEW, RECORD, MANAGE = "education.view", "education.record", "education.manage"


class SessionOut(Schema):
    id: int
    unit_id: int
    branch_id: int | None
    branch: str | None
    kind: str
    kind_display: str
    date: dt.date
    place: str
    host: str
    topic: str
    hours: Decimal
    expected: int

    @staticmethod
    def resolve_branch(obj: StudySession) -> str | None:
        return obj.branch.name if obj.branch_id else None

    @staticmethod
    def resolve_host(obj: StudySession) -> str:
        return obj.host.name


class AttendanceOut(Schema):
    person_id: int
    person: str
    present: bool
    absence_reason: str
    makeup_date: dt.date | None
    makeup_note: str

    @staticmethod
    def resolve_person(obj: object) -> str:
        return obj.person.name  # type: ignore[attr-defined]


class SessionDetailOut(SessionOut):
    recorder: str | None
    speaker: str | None
    content: str
    summary: str
    materials: list[int]
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_recorder(obj: StudySession) -> str | None:
        return obj.recorder.name if obj.recorder_id else None

    @staticmethod
    def resolve_speaker(obj: StudySession) -> str | None:
        return obj.speaker.name if obj.speaker_id else None

    @staticmethod
    def resolve_materials(obj: StudySession) -> list[int]:
        return [m.pk for m in obj.materials.order_by("pk")]

    @staticmethod
    def resolve_attendance(obj: StudySession) -> list[object]:
        return list(obj.attendances.select_related("person"))


def _detail(pk: int) -> StudySession:
    return StudySession.objects.select_related("branch", "host", "recorder", "speaker").get(pk=pk)


@router.get("/sessions", response=list[SessionOut], url_name="education_session_list_api")
@paginate(PageNumberPagination, page_size=50)
def session_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, kind: str = "", branch: int | None = None, year: int | None = None
):
    access.require(request.user, VIEW)
    filters = selectors.SessionFilters(
        kind=kind if kind in kinds.BY_CODE else "",
        branch=branch,
        year=year if year and 2000 <= year <= 2100 else None,
    )
    return selectors.sessions(request.user, filters).order_by("-date", "-id")


@router.get("/sessions/{int:pk}", response=SessionDetailOut, url_name="education_session_detail_api")
def session_detail(request: HttpRequest, pk: int) -> StudySession:
    access.require(request.user, VIEW)
    return _detail(selectors.get_session(request.user, pk).pk)


@router.post("/sessions", response={201: SessionDetailOut}, url_name="education_session_create_api")
def session_create(request: HttpRequest) -> Status:
    """JSON: {"kind": "committee" (支委会; the codes of GET /sessions' kind), "branch": branch id (a branch kind),
    "date": "2026-11-20" (not after today), "place", "host": person id, "recorder", "speaker" (党课), "topic",
    "content", "summary", "hours": 2, "present": [person id, …] (from the roster), "absence_reasons": "姓名：原因\\n…"
    (every absent person), "materials": [material id, …]}."""
    access.require(request.user, RECORD)
    unit = access.unit_with(request.user, RECORD)
    branches = services.recordable_branches(request.user, unit)
    if not access.can(request.user, MANAGE, unit) and not branches.exists():
        raise PermissionDenied(RECORD)
    body = json_or_form(request, as_fields=True)
    for name in ("present", "materials"):
        if name in body and not isinstance(body[name], list):
            body[name] = [body[name]]
    form = SessionForm(body, unit=unit, branches=branches)
    valid_data(form)
    session = services.session_create(actor=request.user, unit=unit, data=form.data_object())
    return Status(201, _detail(session.pk))


@router.post("/sessions/{int:pk}/makeup", response=SessionDetailOut, url_name="education_session_makeup_api")
def session_makeup(request: HttpRequest, pk: int) -> StudySession:
    """JSON: {"person": person id (absent from the session), "date": "2026-11-25", "note": "自学会议精神并提交心得"}."""
    access.require(request.user, RECORD)
    unit = access.unit_with(request.user, RECORD)
    if not access.can(request.user, MANAGE, unit) and not services.led_branches(request.user).exists():
        raise PermissionDenied(RECORD)
    session = selectors.get_session(request.user, pk)
    if not services.can_record(request.user, session.unit, session.branch):
        raise PermissionDenied(RECORD)
    absent = Person.objects.filter(pk__in=session.attendances.filter(present=False).values("person"))
    data = valid_data(MakeupForm(json_or_form(request, as_fields=True), absent=absent))
    services.attendance_makeup(actor=request.user, session=session, **data)
    return _detail(session.pk)


class MaterialOut(Schema):
    id: int
    unit_id: int
    kind: str
    kind_display: str
    title: str
    case_category: str
    tags: list[str]
    source: str
    content: str

    @staticmethod
    def resolve_kind_display(obj: Material) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_tags(obj: Material) -> list[str]:
        return obj.tag_list


@router.get("/materials", response=list[MaterialOut], url_name="education_material_list_api")
@paginate(PageNumberPagination, page_size=50)
def material_list(request: HttpRequest, kind: str = "", q: str = "", tag: str = ""):  # type: ignore[no-untyped-def]
    access.require(request.user, VIEW)
    kind = kind if kind in Material.Kind.values else ""
    return selectors.materials(request.user, kind=kind, q=q[:50], tag=tag[:30]).order_by("-created_at", "-id")


@router.get("/materials/{int:pk}", response=MaterialOut, url_name="education_material_detail_api")
def material_detail(request: HttpRequest, pk: int) -> Material:
    access.require(request.user, VIEW)
    return selectors.get_material(request.user, pk)


@router.post("/materials", response={201: MaterialOut}, url_name="education_material_create_api")
def material_create(request: HttpRequest) -> Status:
    """JSON: {"kind": "positive" | "negative" | "family" | "policy", "title", "case_category" (警示案例: political,
    organization, integrity, masses, work, life, crime), "tags": "a,b", "source", "content"}."""
    access.require(request.user, MANAGE)
    unit = access.unit_with(request.user, MANAGE)
    form = MaterialForm(json_or_form(request, as_fields=True))
    valid_data(form)
    return Status(201, services.material_create(actor=request.user, unit=unit, data=form.data_object()))
