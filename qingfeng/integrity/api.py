"""廉政建设 for other systems: risk points (read, register, correct, delete, 复核), their 督促检查 (read, run, add a
problem, complete), filings (read, file, correct, withdraw), and the confidential ledger (its list with the clear
fields, one record decrypted — audited — and the statistics) only to those who may see it.

Same selectors, services, forms and visibility as the pages: a route the role may not use → 403; an object
outside the user's scope → 404 (decided before the body is read); a broken rule or a bad field → 400 with the
Chinese message. Writes take a JSON object (or form fields; a 廉洁承诺书's scan as a multipart file "file"); an
update sends only the fields to change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core import audit
from qingfeng.core.request_body import json_or_form, valid_data
from qingfeng.integrity import selectors
from qingfeng.integrity.forms import CheckForm, CompleteForm, DeleteForm, FilingForm, PointForm, ProblemForm, ReviewForm
from qingfeng.integrity.models import DisciplineRecord, Filing, RiskCheck, RiskPoint, RiskProblem, RiskReview
from qingfeng.integrity.services import filings, ledger, risks
from qingfeng.org import access

router = Router(tags=["廉政风险与廉政档案"])
MANAGE = risks.MANAGE


class RiskPointOut(Schema):
    id: int
    unit_id: int
    area: str
    department: str
    post: str
    name: str
    description: str
    level: str
    level_display: str
    controls: str
    owner: str
    review_cycle: str
    last_checked_on: dt.date | None
    last_reviewed_on: dt.date | None
    next_review_on: dt.date | None

    @staticmethod
    def resolve_department(obj: RiskPoint) -> str:
        return obj.department.name

    @staticmethod
    def resolve_owner(obj: RiskPoint) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_level_display(obj: RiskPoint) -> str:
        return obj.get_level_display()


class FilingOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    kind_display: str
    year: int
    filed_on: dt.date
    event_date: dt.date | None
    summary: str
    has_changes: bool
    giver: str
    value: Decimal | None
    event_kind: str
    guests: int | None
    tables: int | None
    gifts_policy: str
    over_limit: bool

    @staticmethod
    def resolve_person_name(obj: Filing) -> str:
        return obj.person.name

    @staticmethod
    def resolve_kind_display(obj: Filing) -> str:
        return obj.get_kind_display()


class RecordOut(Schema):
    id: int
    unit_id: int
    person_id: int
    person_name: str
    date: dt.date
    form: int
    measure: str
    category: str
    clue_source: str
    decided_by: str

    @staticmethod
    def resolve_person_name(obj: DisciplineRecord) -> str:
        return obj.person.name


class RecordDetailOut(RecordOut):
    description: str
    decision: str


class FormStatOut(Schema):
    form: int
    label: str
    count: int
    percent: float


class UnitStatOut(Schema):
    unit_id: int
    name: str
    counts: dict[int, int]
    total: int


class StatsOut(Schema):
    year: int | None
    total: int
    forms: list[FormStatOut]
    units: list[UnitStatOut]


@router.get("/risk-points", response=list[RiskPointOut], url_name="integrity_risk_list_api")
@paginate(PageNumberPagination, page_size=50)
def risk_point_list(request: HttpRequest, area: str = "", level: str = "", department: int | None = None, q: str = ""):  # type: ignore[no-untyped-def]
    access.require(request.user, "integrity.view")
    filters = selectors.RiskFilters(area=area[:30], level=level[:10], department=department, q=q[:50])
    return selectors.risk_points(request.user, filters).order_by("id")


@router.get("/risk-points/{int:pk}", response=RiskPointOut, url_name="integrity_risk_detail_api")
def risk_point_detail(request: HttpRequest, pk: int) -> RiskPoint:
    access.require(request.user, "integrity.view")
    return access.get_object_for_user(
        request.user, RiskPoint, pk, queryset=RiskPoint.objects.select_related("department", "owner")
    )


@router.get("/filings", response=list[FilingOut], url_name="integrity_filing_list_api")
@paginate(PageNumberPagination, page_size=50)
def filing_list(request: HttpRequest, kind: str = "", person: int | None = None, year: int | None = None):  # type: ignore[no-untyped-def]
    access.require(request.user, "integrity.view")
    qs = selectors.visible_filings(request.user).order_by("-filed_on", "-id")
    if kind:
        qs = qs.filter(kind=kind[:10])
    if person:
        qs = qs.filter(person_id=person)
    if year and 0 < year < 10_000:
        qs = qs.filter(year=year)
    return qs


def _ledger_guard(request: HttpRequest) -> None:
    access.require(request.user, "integrity.ledger_view")
    selectors.require_ledger(request.user)


@router.get("/ledger", response=list[RecordOut], url_name="integrity_ledger_list_api")
@paginate(PageNumberPagination, page_size=50)
def ledger_list(request: HttpRequest, year: int | None = None, form: int | None = None, clue_source: str = ""):  # type: ignore[no-untyped-def]
    _ledger_guard(request)
    audit.record(
        actor=request.user,
        action="ledger.list",
        object_type="integrity.disciplinerecord",
        object_repr="四种形态台账列表（接口）",
        changes={"filters": request.GET.dict()},
    )
    filters = selectors.LedgerFilters(
        year=year if year and 0 < year < 10_000 else None,
        form=form if form in DisciplineRecord.Form.values else None,
        clue_source=clue_source[:12],
    )
    return selectors.ledger_records(request.user, filters)


@router.get("/ledger/stats", response=StatsOut, url_name="integrity_ledger_stats_api")
def ledger_stats(request: HttpRequest, year: int | None = None) -> Any:
    _ledger_guard(request)
    stats = selectors.ledger_stats(request.user, year=year if year and 0 < year < 10_000 else None)
    return {
        "year": stats.year,
        "total": stats.total,
        "forms": stats.forms,
        "units": [{"unit_id": u.unit_id, "name": u.name, "counts": u.counts, "total": u.total} for u in stats.units],
    }


@router.get("/ledger/{int:pk}", response=RecordDetailOut, url_name="integrity_ledger_detail_api")
def ledger_detail(request: HttpRequest, pk: int) -> Any:
    """One record with its texts decrypted; the read is an audit event."""
    _ledger_guard(request)
    record = access.get_object_for_user(
        request.user, DisciplineRecord, pk, queryset=DisciplineRecord.objects.select_related("person")
    )
    opened = ledger.record_open(actor=request.user, record=record)
    record.description, record.decision = opened.description, opened.decision
    return record


# --- writes ------------------------------------------------------------------------------------------------------


def _point(request: HttpRequest, pk: int, *, write: bool = False) -> RiskPoint:
    return access.get_object_for_user(
        request.user,
        RiskPoint,
        pk,
        write=write,
        queryset=RiskPoint.objects.select_related("unit", "department", "owner"),
    )


def _reread(point: RiskPoint) -> RiskPoint:
    return RiskPoint.all_objects.select_related("department", "owner").get(pk=point.pk)


@router.post("/risk-points", response={201: RiskPointOut}, url_name="integrity_risk_create_api")
def risk_point_create(request: HttpRequest) -> Status:
    """JSON: {"area", "department": 科室 id, "post", "name", "description", "level": "high|medium|low",
    "controls", "owner": 责任人 person id, "review_cycle": "quarterly|half_yearly|yearly" (default yearly)}; in the
    unit whose register the user keeps."""
    access.require(request.user, MANAGE)
    unit = selectors.managed_unit(request.user)
    form = PointForm({"review_cycle": RiskPoint.Cycle.YEARLY, **json_or_form(request, as_fields=True)}, unit=unit)
    point = risks.point_create(actor=request.user, unit=unit, data=risks.PointData(**valid_data(form)))
    return Status(201, _reread(point))


@router.post("/risk-points/{int:pk}/update", response=RiskPointOut, url_name="integrity_risk_update_api")
def risk_point_update(request: HttpRequest, pk: int) -> RiskPoint:
    """JSON: the fields of risk_point_create to change; the others keep their values."""
    access.require(request.user, MANAGE)
    point = _point(request, pk, write=True)
    current = {f: getattr(point, f) for f in risks.POINT_FIELDS}
    current.update(department=point.department_id, owner=point.owner_id)
    form = PointForm({**current, **json_or_form(request, as_fields=True)}, unit=point.unit)
    risks.point_update(actor=request.user, point=point, data=risks.PointData(**valid_data(form)))
    return _reread(point)


class DeletedOut(Schema):
    id: int
    deleted: bool


@router.post("/risk-points/{int:pk}/delete", response=DeletedOut, url_name="integrity_risk_delete_api")
def risk_point_delete(request: HttpRequest, pk: int) -> dict[str, Any]:
    """JSON: {"reason": "…"} (required). Soft: the point leaves the register; its checks keep it."""
    access.require(request.user, MANAGE)
    point = _point(request, pk, write=True)
    reason = valid_data(DeleteForm(json_or_form(request, as_fields=True)))["reason"]
    risks.point_delete(actor=request.user, point=point, reason=reason)
    return {"id": point.pk, "deleted": True}


class ReviewOut(Schema):
    id: int
    point_id: int
    date: dt.date
    note: str
    reviewer: str
    next_review_on: dt.date

    @staticmethod
    def resolve_reviewer(obj: RiskReview) -> str:
        return str(obj.reviewer)


@router.post("/risk-points/{int:pk}/reviews", response={201: ReviewOut}, url_name="integrity_risk_review_api")
def risk_point_review(request: HttpRequest, pk: int) -> Status:
    """复核. JSON: {"note": "…", "date": "2024-03-01" (default today)}; the next review follows the cycle."""
    access.require(request.user, MANAGE)
    point = _point(request, pk, write=True)
    form = ReviewForm({"date": timezone.localdate().isoformat(), **json_or_form(request, as_fields=True)})
    return Status(201, risks.point_review(actor=request.user, point=point, **valid_data(form)))


# --- 督促检查 --------------------------------------------------------------------------------------------------


class ProblemOut(Schema):
    id: int
    point_id: int
    point_name: str
    description: str
    route: str
    task_id: int | None
    task_number: str | None
    finding_id: int | None

    @staticmethod
    def resolve_point_name(obj: RiskProblem) -> str:
        return obj.point.name

    @staticmethod
    def resolve_task_number(obj: RiskProblem) -> str | None:
        return obj.task.number if obj.task_id else None


class CheckOut(Schema):
    id: int
    unit_id: int
    name: str
    date: dt.date
    cycle: str
    scheduled: bool
    deadline: dt.date | None
    state: str
    state_display: str
    summary: str
    result: str
    completed_at: dt.datetime | None
    completed_by: str | None
    task_id: int | None
    task_number: str | None

    @staticmethod
    def resolve_state(obj: RiskCheck) -> str:
        return obj.state()

    @staticmethod
    def resolve_state_display(obj: RiskCheck) -> str:
        return obj.state_label

    @staticmethod
    def resolve_completed_by(obj: RiskCheck) -> str | None:
        return str(obj.completed_by) if obj.completed_by_id else None

    @staticmethod
    def resolve_task_number(obj: RiskCheck) -> str | None:
        return obj.task.number if obj.task_id else None


class CheckDetailOut(CheckOut):
    points: list[int]
    problems: list[ProblemOut]

    @staticmethod
    def resolve_points(obj: RiskCheck) -> list[int]:
        return list(RiskPoint.all_objects.filter(checks=obj).order_by("id").values_list("pk", flat=True))

    @staticmethod
    def resolve_problems(obj: RiskCheck) -> list[RiskProblem]:
        return list(obj.problems.select_related("point", "task"))


CHECK_RELATED = ("unit", "round", "task", "completed_by")


def _check(request: HttpRequest, pk: int, *, write: bool = False) -> RiskCheck:
    return access.get_object_for_user(
        request.user, RiskCheck, pk, write=write, queryset=RiskCheck.objects.select_related(*CHECK_RELATED)
    )


def _check_out(check: RiskCheck) -> RiskCheck:
    return RiskCheck.objects.select_related(*CHECK_RELATED).get(pk=check.pk)


@router.get("/checks", response=list[CheckOut], url_name="integrity_check_list_api")
@paginate(PageNumberPagination, page_size=50)
def check_list(request: HttpRequest, state: str = ""):  # type: ignore[no-untyped-def]
    """state: pending (待检查), done (已完成), overdue (逾期未完成)."""
    access.require(request.user, "integrity.view")
    qs = selectors.risk_checks(request.user, state[:10]).select_related("task", "completed_by")
    return qs.order_by("-date", "-id")


@router.get("/checks/{int:pk}", response=CheckDetailOut, url_name="integrity_check_detail_api")
def check_detail(request: HttpRequest, pk: int) -> RiskCheck:
    access.require(request.user, "integrity.view")
    return _check(request, pk)


@router.post("/checks", response={201: CheckDetailOut}, url_name="integrity_check_create_api")
def check_create(request: HttpRequest) -> Status:
    """JSON: {"name", "date": "2024-03-01" (not after today), "points": [风险点 id, …] (of the user's unit),
    "summary" (optional), "cycle": "" | "quarterly" | "half_yearly" | "yearly"}."""
    access.require(request.user, MANAGE)
    unit = selectors.managed_unit(request.user)
    body = json_or_form(request, as_fields=True)
    if "points" in body and not isinstance(body["points"], list):
        body["points"] = [body["points"]]
    form = CheckForm(body, points=RiskPoint.objects.filter(unit=unit).select_related("department"))
    data = valid_data(form)
    check = risks.check_create(actor=request.user, unit=unit, **{**data, "points": list(data["points"])})
    return Status(201, _check_out(check))


@router.post("/checks/{int:pk}/problems", response={201: ProblemOut}, url_name="integrity_problem_create_api")
def problem_create(request: HttpRequest, pk: int) -> Status:
    """JSON: {"point": 风险点 id (of the check), "description", "route": "task" | "finding", and for a task
    "lead_leader": 班子成员 person id and "deadline": "2024-03-01"}. Refused once the check is completed."""
    access.require(request.user, MANAGE)
    check = _check(request, pk, write=True)
    data = valid_data(ProblemForm(json_or_form(request, as_fields=True), check=check))
    return Status(201, risks.problem_create(actor=request.user, check=check, **data))


@router.post("/checks/{int:pk}/complete", response=CheckDetailOut, url_name="integrity_check_complete_api")
def check_complete(request: HttpRequest, pk: int) -> RiskCheck:
    """完成检查. JSON: {"summary": "检查情况", "no_problems": true when no problem was registered}; a scheduled
    check's 督办事项 is closed with it."""
    access.require(request.user, MANAGE)
    check = _check(request, pk, write=True)
    data = valid_data(CompleteForm(json_or_form(request, as_fields=True)))
    return _check_out(risks.check_complete(actor=request.user, check=check, **data))


# --- 廉政档案 filings --------------------------------------------------------------------------------------------


def _filing_out(filing: Filing) -> Filing:
    return Filing.all_objects.select_related("person").get(pk=filing.pk)


@router.post("/files/{int:pk}/filings", response={201: FilingOut}, url_name="integrity_filing_create_api")
def filing_create(request: HttpRequest, pk: int) -> Status:
    """File for person `pk` (oneself; the 纪检组长 for anyone of the unit). JSON or form fields: {"kind":
    "matters|gift|event|pledge", "filed_on", "year", "event_date", "summary", "has_changes", "giver", "value",
    "event_kind", "guests", "tables", "gifts_policy"}; a 廉洁承诺书 as multipart with its signed scan in "file"."""
    access.require(request.user, "integrity.file_submit")
    person = selectors.file_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("对象不存在")
    if not filings.may_file_for(request.user, person):
        raise PermissionDenied("integrity.file_submit")
    data = dict(valid_data(FilingForm(json_or_form(request, as_fields=True), request.FILES or None)))
    upload = data.pop("file")
    filing = filings.filing_create(actor=request.user, person=person, data=filings.FilingData(**data), upload=upload)
    return Status(201, _filing_out(filing))


def _filing(request: HttpRequest, pk: int) -> Filing:
    """A filing the user sees (else 404) of a person they may file for (else 403); the time limits of a person's
    own corrections are the service's rule (400 with its message)."""
    access.require(request.user, "integrity.file_submit")
    filing = access.get_object_for_user(
        request.user, Filing, pk, queryset=Filing.objects.select_related("person", "person__unit", "unit")
    )
    if not filings.may_file_for(request.user, filing.person):
        raise PermissionDenied("integrity.file_submit")
    return filing


@router.post("/filings/{int:pk}/update", response=FilingOut, url_name="integrity_filing_update_api")
def filing_update(request: HttpRequest, pk: int) -> Filing:
    """JSON: the fields to change of those the filing's kind allows (services.filings.EDITABLE); the kind and the
    person never change."""
    filing = _filing(request, pk)
    current = {f: getattr(filing, f) for f in filings.FilingData.__dataclass_fields__}
    fields = ["kind", *filings.EDITABLE[filing.kind]]
    data = {**{f: current[f] for f in fields}, **json_or_form(request, as_fields=True)}
    form = FilingForm(data, initial={"kind": filing.kind}).for_edit(filing.kind)
    data = filings.FilingData(**{**current, **valid_data(form), "kind": filing.kind})
    return _filing_out(filings.filing_update(actor=request.user, filing=filing, data=data))


@router.post("/filings/{int:pk}/delete", response=DeletedOut, url_name="integrity_filing_delete_api")
def filing_delete(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Withdraw a filing. JSON: {"reason": "…"} (required)."""
    filing = _filing(request, pk)
    reason = valid_data(DeleteForm(json_or_form(request, as_fields=True)))["reason"]
    filings.filing_delete(actor=request.user, filing=filing, reason=reason)
    return {"id": filing.pk, "deleted": True}
