"""廉政建设 for other systems: risk points, filings, and the confidential ledger (its list with the clear fields,
one record decrypted — audited — and the statistics) only to those who may see it. Same selectors and services
as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core import audit
from qingfeng.integrity import selectors
from qingfeng.integrity.models import DisciplineRecord, Filing, RiskPoint
from qingfeng.integrity.services import ledger
from qingfeng.org import access

router = Router(tags=["廉政风险与廉政档案"])


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
