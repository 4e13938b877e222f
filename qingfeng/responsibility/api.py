"""两个责任 for other systems: the lists, one list's items with their 落实情况 (and writing them), the talks (read)
and recording a talk, the 责任书 (the year's letters, the .docx, the signed scan) and 述责述廉 (the year's reports,
submitting one, the 民主测评 counts, the year's summary table).
Same selectors, services, forms and visibility as the pages: out of scope → 404; no permission → 403; a broken
rule → 400 with the Chinese message. Writes take JSON or form fields; the uploads are multipart (field "file")."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from urllib.parse import quote

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core.actions import first_error
from qingfeng.core.errors import UserError
from qingfeng.core.request_body import json_or_form
from qingfeng.org import access
from qingfeng.org.models import Person
from qingfeng.responsibility import selectors
from qingfeng.responsibility.forms import ItemForm, ReportForm, ScoreForm, SignForm
from qingfeng.responsibility.models import DutyReport, Letter, ResponsibilityItem, ResponsibilityList, Talk
from qingfeng.responsibility.services import letters as letter_services
from qingfeng.responsibility.services import lists as list_services
from qingfeng.responsibility.services import talks as talk_services
from qingfeng.responsibility.views.lists import WRITE, writer_unit

VIEW = "responsibility.view"
MANAGE = "responsibility.manage"
DOCX = letter_services.DOCX

router = Router(tags=["两个责任"])


class ListOut(Schema):
    id: int
    unit_id: int
    year: int
    kind: str
    kind_display: str
    title: str
    leader_id: int | None
    status: str

    @staticmethod
    def resolve_kind_display(obj: ResponsibilityList) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_title(obj: ResponsibilityList) -> str:
        return obj.title


class ItemOut(Schema):
    id: int
    seq: int
    content: str
    measures: str
    owner: str
    owner_person_id: int | None
    owner_department_id: int | None
    responsible_person: str | None
    deadline: dt.date | None
    frequency: str
    timing: str
    progress: str
    task_id: int | None
    task_number: str | None

    @staticmethod
    def resolve_owner(obj: ResponsibilityItem) -> str:
        return obj.owner_name

    @staticmethod
    def resolve_responsible_person(obj: ResponsibilityItem) -> str | None:
        return obj.responsible_person.name if obj.responsible_person_id else None

    @staticmethod
    def resolve_progress(obj: ResponsibilityItem) -> str:
        return obj.progress.label

    @staticmethod
    def resolve_task_id(obj: ResponsibilityItem) -> int | None:
        return obj.progress.task.pk if obj.progress.task else None

    @staticmethod
    def resolve_task_number(obj: ResponsibilityItem) -> str | None:
        return obj.progress.task.number if obj.progress.task else None


class TalkOut(Schema):
    id: int
    unit_id: int
    kind: str
    talker_id: int
    talker_name: str
    talkee_id: int
    talkee_name: str
    date: dt.date
    place: str
    summary: str

    @staticmethod
    def resolve_talker_name(obj: Talk) -> str:
        return obj.talker.name

    @staticmethod
    def resolve_talkee_name(obj: Talk) -> str:
        return obj.talkee.name


class TalkIn(Schema):
    kind: str
    talkee: int
    date: dt.date
    place: str
    summary: str
    talker: int | None = None


@router.get("/lists", response=list[ListOut], url_name="resp_list_api")
@paginate(PageNumberPagination, page_size=50)
def list_index(request: HttpRequest, year: int | None = None, kind: str = ""):  # type: ignore[no-untyped-def]
    qs = selectors.visible_lists(request.user).order_by("-year", "kind", "leader_id", "id")
    if year is not None:
        qs = qs.filter(year=year if 1900 <= year <= 2200 else 0)
    if kind:
        qs = qs.filter(kind=kind[:12])
    return qs


@router.get("/lists/{int:pk}/items", response=list[ItemOut], url_name="resp_items_api")
def list_items(request: HttpRequest, pk: int) -> list[ResponsibilityItem]:
    return selectors.list_items(selectors.get_list(request.user, pk))


@router.get("/talks", response=list[TalkOut], url_name="talk_list_api")
@paginate(PageNumberPagination, page_size=50)
def talk_list(request: HttpRequest, kind: str = "", person: int | None = None):  # type: ignore[no-untyped-def]
    qs = selectors.visible_talks(request.user).order_by("-date", "-id")
    if kind:
        qs = qs.filter(kind=kind[:10])
    if person is not None:
        qs = qs.filter(Q(talker_id=person) | Q(talkee_id=person))
    return qs


@router.post("/talks", response={201: TalkOut}, url_name="talk_create_api")
def talk_create(request: HttpRequest) -> Status:
    """JSON: {"kind": "heart|reminder|integrity|summons", "talkee": <person id>, "date": "2024-03-01",
    "place": "…", "summary": "…", "talker": <person id, optional: yourself>}."""
    unit = writer_unit(request.user, "responsibility.talk")
    access.require(request.user, "responsibility.talk", unit)
    try:
        body = TalkIn(**json_or_form(request))
    except Exception:  # pydantic's ValidationError
        raise UserError("请填写谈话类别、谈话对象、日期（YYYY-MM-DD）、地点和谈话要点") from None
    people = {p.pk: p for p in Person.objects.filter(unit=unit, pk__in=[body.talkee, body.talker or 0])}
    if body.talker and body.talker not in people:
        raise UserError("谈话人不是本单位人员")
    talk = talk_services.talk_create(
        actor=request.user,
        unit=unit,  # type: ignore[arg-type]
        kind=body.kind,
        talker=people.get(body.talker) if body.talker else None,
        talkee=people.get(body.talkee),
        date=body.date,
        place=body.place,
        summary=body.summary,
    )
    return Status(201, talk)


# ------------------------------------------------------------------------------------------------ shared


def _require_any(request: HttpRequest, *perms: str) -> None:
    """As the pages' perm_required / any_perm_required: one of `perms` on some unit, else 403 (in and out of scope
    alike, before any object is looked up)."""
    if not any(access.can(request.user, p) for p in perms):
        raise PermissionDenied(perms[0])


FormT = TypeVar("FormT", bound=forms.Form)


def _valid(form: FormT) -> FormT:
    """The pages' form decides what is valid; its first error is the 400's message, naming the field."""
    if not form.is_valid():
        raise UserError(first_error(form), field=next(iter(form.errors), None))
    return form


def _year(year: int | None) -> int:
    if year is None:
        return timezone.localdate().year
    return year if 1900 <= year <= 2200 else 0


# ------------------------------------------------------------------------------------------------ items


@router.post("/lists/{int:pk}/items", response={201: ItemOut}, url_name="resp_item_create_api")
def item_create(request: HttpRequest, pk: int) -> Status:
    """Add an item at the end of a list (a published list's item is assigned as a 督办事项 at once). Fields, JSON
    or form: content, measures, owner_person (a 班子成员's person id) or owner_department (a department id),
    responsible_person, deadline (YYYY-MM-DD) or frequency (monthly, quarterly, halfyearly, yearly, long_term)."""
    _require_any(request, *WRITE)
    rlist = selectors.get_list(request.user, pk)
    list_services.require_write(request.user, rlist)
    form = _valid(ItemForm(json_or_form(request, as_fields=True), unit=rlist.unit))
    item = list_services.item_add(actor=request.user, rlist=rlist, data=form.item_data())
    return Status(201, selectors.item_progress(item))


@router.post("/items/{int:pk}/edit", response=ItemOut, url_name="resp_item_update_api")
def item_update(request: HttpRequest, pk: int) -> ResponsibilityItem:
    """Replace a draft list's item with the fields sent (the same fields as adding one; a field left out is
    emptied). A published list's items are not edited any more (400)."""
    _require_any(request, *WRITE)
    item = selectors.get_item(request.user, pk)
    list_services.require_write(request.user, item.rlist)
    form = _valid(ItemForm(json_or_form(request, as_fields=True), unit=item.rlist.unit))
    list_services.item_update(actor=request.user, item=item, data=form.item_data())
    return selectors.item_progress(item)


@router.post("/items/{int:pk}/delete", response={204: None}, url_name="resp_item_delete_api")
def item_delete(request: HttpRequest, pk: int) -> Status:
    """Delete a draft list's item (a published list's items stay: 400)."""
    _require_any(request, *WRITE)
    item = selectors.get_item(request.user, pk)
    list_services.require_write(request.user, item.rlist)
    list_services.item_remove(actor=request.user, item=item)
    return Status(204, None)


# ------------------------------------------------------------------------------------------------ 责任书


class LetterOut(Schema):
    id: int
    unit_id: int
    year: int
    signer_id: int
    signer_name: str
    signer_post: str
    signer_kind: str
    signer_kind_display: str
    department_id: int | None
    department_name: str | None
    signed: bool
    signed_on: dt.date | None

    @staticmethod
    def resolve_signer_name(obj: Letter) -> str:
        return obj.signer.name

    @staticmethod
    def resolve_signer_post(obj: Letter) -> str:
        return obj.signer.post

    @staticmethod
    def resolve_signer_kind_display(obj: Letter) -> str:
        return obj.get_signer_kind_display()

    @staticmethod
    def resolve_department_name(obj: Letter) -> str | None:
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_signed(obj: Letter) -> bool:
        return obj.signed_on is not None


@router.get("/letters", response=list[LetterOut], url_name="resp_letter_list_api")
@paginate(PageNumberPagination, page_size=50)
def letter_list(request: HttpRequest, year: int | None = None, unsigned: bool = False):  # type: ignore[no-untyped-def]
    """The year's letters (default: this year) the user sees, those not signed first; unsigned=true: only those
    (未签订, their number is `count`)."""
    _require_any(request, VIEW)
    return selectors.year_letters(request.user, _year(year), unsigned=unsigned)


@router.get("/letters/{int:pk}/docx", url_name="resp_letter_docx_api")
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as a 公文 .docx with the signer's items."""
    _require_any(request, VIEW)
    letter = access.get_object_for_user(
        request.user, Letter, pk, queryset=Letter.objects.select_related("signer", "department", "unit")
    )
    response = HttpResponse(letter_services.letter_docx(letter), content_type=DOCX)
    name = f"{letter.year}年度党风廉政建设责任书（{letter.signer.name}）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@router.post("/letters/{int:pk}/sign", response=LetterOut, url_name="resp_letter_sign_api")
def letter_sign(request: HttpRequest, pk: int) -> Letter:
    """Multipart: file (the signed scan: PDF, JPG, PNG or OFD), signed_on (YYYY-MM-DD, optional: today). The signer
    themself or the office for them."""
    _require_any(request, "responsibility.sign", MANAGE)
    letter = access.get_object_for_user(
        request.user, Letter, pk, queryset=Letter.objects.select_related("signer", "department", "unit")
    )
    if not letter_services.may_sign(request.user, letter):
        access.require(request.user, MANAGE, letter.unit)
    form = _valid(SignForm(request.POST, request.FILES))
    return letter_services.letter_sign(
        actor=request.user, letter=letter, upload=form.cleaned_data["file"], signed_on=form.cleaned_data["signed_on"]
    )


# ------------------------------------------------------------------------------------------------ 述责述廉


class ReportOut(Schema):
    id: int
    unit_id: int
    year: int
    leader_id: int
    leader_name: str
    leader_post: str
    due: dt.date
    submitted_at: dt.datetime | None
    state: str
    text: str
    excellent: int | None
    competent: int | None
    basic: int | None
    incompetent: int | None
    votes: int | None
    good_rate: int | None

    @staticmethod
    def resolve_leader_name(obj: DutyReport) -> str:
        return obj.leader.name

    @staticmethod
    def resolve_leader_post(obj: DutyReport) -> str:
        return obj.leader.post

    @staticmethod
    def resolve_state(obj: DutyReport) -> str:
        return letter_services.report_state(obj)


class SummaryOut(Schema):
    year: int
    title: str
    header: list[str]
    rows: list[list[int | str | None]]


@router.get("/reports", response=list[ReportOut], url_name="resp_report_list_api")
@paginate(PageNumberPagination, page_size=50)
def report_list(request: HttpRequest, year: int | None = None):  # type: ignore[no-untyped-def]
    """The year's 述责述廉 (default: this year) the user sees, with the 民主测评 counts."""
    _require_any(request, VIEW)
    return selectors.year_reports(request.user, _year(year))


@router.get("/reports/summary", response=SummaryOut, url_name="resp_report_summary_api")
def report_summary(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    """The year's 述责述廉情况汇总表: the rows of the page's .xlsx, as JSON."""
    _require_any(request, VIEW)
    year = _year(year)
    reports = list(selectors.year_reports(request.user, year))
    return {
        "year": year,
        "title": f"{year}年度述责述廉情况汇总表",
        "header": letter_services.SUMMARY_HEADER,
        "rows": letter_services.summary_rows(reports),
    }


def _report(request: HttpRequest, pk: int, *, write: bool = False) -> DutyReport:
    return access.get_object_for_user(
        request.user, DutyReport, pk, write=write, queryset=DutyReport.objects.select_related("leader", "unit")
    )


@router.post("/reports/{int:pk}/submit", response=ReportOut, url_name="resp_report_submit_api")
def report_submit(request: HttpRequest, pk: int) -> DutyReport:
    """The report as text (JSON or form field "text") or a .docx (multipart field "file"), or both: the leader
    themself or the office. Submitting again replaces the text and adds the file."""
    _require_any(request, VIEW)
    report = _report(request, pk)
    if not letter_services.may_submit(request.user, report):
        access.require(request.user, MANAGE, report.unit)
    form = _valid(ReportForm(json_or_form(request, as_fields=True), request.FILES))
    return letter_services.report_submit(
        actor=request.user, report=report, text=form.cleaned_data["text"], upload=form.cleaned_data["file"]
    )


@router.post("/reports/{int:pk}/score", response=ReportOut, url_name="resp_report_score_api")
def report_score(request: HttpRequest, pk: int) -> DutyReport:
    """民主测评, JSON or form: {"excellent": n, "competent": n, "basic": n, "incompetent": n} (the office)."""
    _require_any(request, MANAGE)
    report = _report(request, pk, write=True)
    form = _valid(ScoreForm(json_or_form(request, as_fields=True)))
    return letter_services.report_score(actor=request.user, report=report, counts=form.cleaned_data)
