"""意识形态工作 for other systems: positions (list, detail, register, correct), publications (list, detail, a draft,
each 审 of 三审, each 校 of 三校, 发布) and the 研判 meetings (list, detail, record).

Same selectors, services, forms and visibility as the pages: a route the role may not use → 403 (终审 without
ideology.approve, 复审 without ideology.review); an object outside the user's scope → 404 (decided before the body
is read); a broken rule or a bad field → 400 with the Chinese message. Writes take a JSON object or form fields; an
update sends only the fields to change."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core.request_body import json_or_form, valid_data
from qingfeng.ideology import selectors
from qingfeng.ideology.forms import MeetingForm, PositionForm, ProofForm, PublicationForm, PublishForm, ReviewForm
from qingfeng.ideology.models import Meeting, Position, Proof, Publication, Review
from qingfeng.ideology.services import meetings as meeting_services
from qingfeng.ideology.services import positions as position_services
from qingfeng.ideology.services import publications as services
from qingfeng.org import access

router = Router(tags=["意识形态"])
VIEW, EDIT, MANAGE = "ideology.view", "ideology.edit", "ideology.manage"


# --- positions ----------------------------------------------------------------------------------------------


class PositionOut(Schema):
    id: int
    unit_id: int
    name: str
    kind: str
    kind_display: str
    address: str
    department_id: int
    department: str
    responsible_person_id: int
    responsible_person: str
    reviewer_id: int
    reviewer: str
    status: str
    status_display: str
    note: str

    @staticmethod
    def resolve_kind_display(obj: Position) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_display(obj: Position) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_department(obj: Position) -> str:
        return obj.department.name

    @staticmethod
    def resolve_responsible_person(obj: Position) -> str:
        return obj.responsible_person.name

    @staticmethod
    def resolve_reviewer(obj: Position) -> str:
        return obj.reviewer.name


POSITION_RELATED = ("unit", "department", "responsible_person", "reviewer")


def _position(request: HttpRequest, pk: int, *, write: bool = False) -> Position:
    return access.get_object_for_user(
        request.user, Position, pk, write=write, queryset=Position.objects.select_related(*POSITION_RELATED)
    )


def _position_out(position: Position) -> Position:
    return Position.all_objects.select_related(*POSITION_RELATED).get(pk=position.pk)


@router.get("/positions", response=list[PositionOut], url_name="ideology_position_list_api")
@paginate(PageNumberPagination, page_size=50)
def position_list(request: HttpRequest, kind: str = "", status: str = "", department: int | None = None, q: str = ""):  # type: ignore[no-untyped-def]
    access.require(request.user, VIEW)
    filters = selectors.PositionFilters(kind=kind[:10], status=status[:10], department=department, q=q[:50])
    return selectors.positions(request.user, filters).order_by("id")


@router.get("/positions/{int:pk}", response=PositionOut, url_name="ideology_position_detail_api")
def position_detail(request: HttpRequest, pk: int) -> Position:
    access.require(request.user, VIEW)
    return _position(request, pk)


@router.post("/positions", response={201: PositionOut}, url_name="ideology_position_create_api")
def position_create(request: HttpRequest) -> Status:
    """JSON: {"name", "kind": "portal|wechat|video|weibo|board|forum", "department": 科室 id, "responsible_person":
    person id (of that department), "reviewer": 审核人 person id, "status": "active|suspended|closed" (default
    active), "address", "note"}; in the unit whose register the user keeps."""
    access.require(request.user, MANAGE)
    unit = access.unit_with(request.user, MANAGE)
    form = PositionForm({"status": Position.Status.ACTIVE, **json_or_form(request, as_fields=True)}, unit=unit)
    data = position_services.PositionData(**valid_data(form))
    return Status(201, _position_out(position_services.position_create(actor=request.user, unit=unit, data=data)))


@router.post("/positions/{int:pk}/update", response=PositionOut, url_name="ideology_position_update_api")
def position_update(request: HttpRequest, pk: int) -> Position:
    """JSON: the fields of position_create to change; the others keep their values."""
    access.require(request.user, MANAGE)
    position = _position(request, pk, write=True)
    current = {f: getattr(position, f) for f in position_services.FIELDS}
    current.update(
        department=position.department_id,
        responsible_person=position.responsible_person_id,
        reviewer=position.reviewer_id,
    )
    form = PositionForm({**current, **json_or_form(request, as_fields=True)}, unit=position.unit)
    position_services.position_update(
        actor=request.user, position=position, data=position_services.PositionData(**valid_data(form))
    )
    return _position_out(position)


# --- publications -------------------------------------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    round: int
    level: int
    level_display: str
    reviewer: str
    decision: str
    opinion: str
    reviewed_at: dt.datetime

    @staticmethod
    def resolve_level_display(obj: Review) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_reviewer(obj: Review) -> str:
        return str(obj.reviewer)


class ProofOut(Schema):
    id: int
    round: int
    kind: str
    kind_display: str
    proofreader: str
    note: str
    proofed_at: dt.datetime

    @staticmethod
    def resolve_kind_display(obj: Proof) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_proofreader(obj: Proof) -> str:
        return str(obj.proofreader)


class PublicationOut(Schema):
    id: int
    unit_id: int
    position_id: int
    position: str
    title: str
    author: str
    status: str
    status_display: str
    round: int
    submitted_at: dt.datetime
    published_at: dt.datetime | None
    published_link: str

    @staticmethod
    def resolve_position(obj: Publication) -> str:
        return obj.position.name

    @staticmethod
    def resolve_author(obj: Publication) -> str:
        return str(obj.author)

    @staticmethod
    def resolve_status_display(obj: Publication) -> str:
        return obj.get_status_display()


class PublicationDetailOut(PublicationOut):
    body: str
    reviews: list[ReviewOut]
    proofs: list[ProofOut]
    missing_proofs: list[str]

    @staticmethod
    def resolve_reviews(obj: Publication) -> list[Review]:
        return list(obj.reviews.select_related("reviewer").order_by("round", "reviewed_at", "id"))

    @staticmethod
    def resolve_proofs(obj: Publication) -> list[Proof]:
        return list(obj.proofs.select_related("proofreader").order_by("round", "proofed_at", "id"))

    @staticmethod
    def resolve_missing_proofs(obj: Publication) -> list[str]:
        return [] if obj.status == Publication.Status.PUBLISHED else services.missing_proofs(obj)


PUBLICATION_RELATED = ("unit", "position", "position__department", "author")


def _publication(request: HttpRequest, pk: int) -> Publication:
    return access.get_object_for_user(
        request.user, Publication, pk, queryset=Publication.objects.select_related(*PUBLICATION_RELATED)
    )


def _publication_out(publication: Publication) -> Publication:
    return Publication.objects.select_related(*PUBLICATION_RELATED).get(pk=publication.pk)


@router.get("/publications", response=list[PublicationOut], url_name="ideology_publication_list_api")
@paginate(PageNumberPagination, page_size=50)
def publication_list(request: HttpRequest, status: str = "", position: int | None = None, q: str = ""):  # type: ignore[no-untyped-def]
    """status: first (待初审), second (待复审), final (待终审), approved (已审定), returned (退回修改), published."""
    access.require(request.user, VIEW)
    filters = selectors.PublicationFilters(status=status[:10], position=position, q=q[:50])
    return selectors.publications(request.user, filters).order_by("-submitted_at", "-id")


@router.get("/publications/{int:pk}", response=PublicationDetailOut, url_name="ideology_publication_detail_api")
def publication_detail(request: HttpRequest, pk: int) -> Publication:
    access.require(request.user, VIEW)
    return _publication(request, pk)


@router.post("/publications", response={201: PublicationDetailOut}, url_name="ideology_publication_create_api")
def publication_create(request: HttpRequest) -> Status:
    """A draft sent for 初审. JSON: {"position": 阵地 id (运行中, one the user sees), "title", "body"}."""
    access.require(request.user, EDIT)
    units = access.units_q(request.user, roles_=selectors._roles_with(EDIT), field="unit")
    positions = selectors.positions(request.user).filter(units)
    data = valid_data(PublicationForm(json_or_form(request, as_fields=True), positions=positions))
    return Status(201, _publication_out(services.publication_create(actor=request.user, **data)))


def _review(request: HttpRequest, pk: int, level: int) -> Publication:
    access.require(request.user, services.LEVEL_PERM[Review.Level(level)])
    publication = _publication(request, pk)
    data = valid_data(ReviewForm(json_or_form(request, as_fields=True)))
    services.publication_review(actor=request.user, publication=publication, level=level, **data)
    return _publication_out(publication)


@router.post("/publications/{int:pk}/first-review", response=PublicationDetailOut, url_name="ideology_first_review_api")
def first_review(request: HttpRequest, pk: int) -> Publication:
    """初审 (the position's department or its 审核人). JSON: {"decision": "approve" | "reject", "opinion"}."""
    return _review(request, pk, Review.Level.FIRST)


@router.post(
    "/publications/{int:pk}/second-review", response=PublicationDetailOut, url_name="ideology_second_review_api"
)
def second_review(request: HttpRequest, pk: int) -> Publication:
    """复审 (the head of the position's department). JSON: {"decision": "approve" | "reject", "opinion"}."""
    return _review(request, pk, Review.Level.SECOND)


@router.post("/publications/{int:pk}/final-review", response=PublicationDetailOut, url_name="ideology_final_review_api")
def final_review(request: HttpRequest, pk: int) -> Publication:
    """终审 (the leader who 分管s the department, or the secretary). JSON: {"decision", "opinion"}."""
    return _review(request, pk, Review.Level.FINAL)


@router.post("/publications/{int:pk}/proofs", response={201: ProofOut}, url_name="ideology_proof_api")
def proof_create(request: HttpRequest, pk: int) -> Status:
    """One of the 三校. JSON: {"kind": "text" (文字) | "political" (政治) | "fact" (事实), "note"}."""
    access.require(request.user, EDIT)
    publication = _publication(request, pk)
    data = valid_data(ProofForm(json_or_form(request, as_fields=True)))
    return Status(201, services.publication_proof(actor=request.user, publication=publication, **data))


@router.post(
    "/publications/{int:pk}/publish", response=PublicationDetailOut, url_name="ideology_publication_publish_api"
)
def publication_publish(request: HttpRequest, pk: int) -> Publication:
    """发布 once the round's three 审 and three 校 are done. JSON: {"link": "…"} (optional)."""
    access.require(request.user, EDIT)
    publication = _publication(request, pk)
    data = valid_data(PublishForm(json_or_form(request, as_fields=True)))
    return _publication_out(services.publication_publish(actor=request.user, publication=publication, **data))


# --- meetings -----------------------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    unit_id: int
    kind: str
    kind_display: str
    date: dt.date
    place: str
    host: str | None
    topics: str

    @staticmethod
    def resolve_kind_display(obj: Meeting) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_host(obj: Meeting) -> str | None:
        return obj.host.name if obj.host_id else None


class MeetingDetailOut(MeetingOut):
    conclusions: str
    participants: list[str]
    tasks: list[str]

    @staticmethod
    def resolve_participants(obj: Meeting) -> list[str]:
        return [p.name for p in obj.participants.order_by("-is_leadership", "order", "pk")]

    @staticmethod
    def resolve_tasks(obj: Meeting) -> list[str]:
        return [t.number for t in obj.tasks.order_by("id")]


@router.get("/meetings", response=list[MeetingOut], url_name="ideology_meeting_list_api")
@paginate(PageNumberPagination, page_size=50)
def meeting_list(request: HttpRequest, kind: str = "", year: int | None = None):  # type: ignore[no-untyped-def]
    access.require(request.user, VIEW)
    year = year if year and 2000 <= year <= 2100 else None
    return selectors.meetings(request.user, kind=kind[:10], year=year).order_by("-date", "-id")


@router.get("/meetings/{int:pk}", response=MeetingDetailOut, url_name="ideology_meeting_detail_api")
def meeting_detail(request: HttpRequest, pk: int) -> Meeting:
    access.require(request.user, VIEW)
    return access.get_object_for_user(request.user, Meeting, pk, queryset=Meeting.objects.select_related("host"))


@router.post("/meetings", response={201: MeetingDetailOut}, url_name="ideology_meeting_create_api")
def meeting_create(request: HttpRequest) -> Status:
    """JSON: {"kind": "study" (专题研究) | "analysis" (形势分析研判), "date": "2024-06-20" (not after today),
    "participants": [person id, …], "topics", "conclusions", "place", "host": person id}."""
    access.require(request.user, MANAGE)
    unit = access.unit_with(request.user, MANAGE)
    body = json_or_form(request, as_fields=True)
    if "participants" in body and not isinstance(body["participants"], list):
        body["participants"] = [body["participants"]]
    data = valid_data(MeetingForm(body, unit=unit))
    meeting = meeting_services.meeting_create(
        actor=request.user, unit=unit, **{**data, "participants": list(data["participants"])}
    )
    return Status(201, Meeting.objects.select_related("host").get(pk=meeting.pk))
