"""四种形态 ledger pages: the list (clear fields only), recording one, one record (decrypted, audited), the
statistics, and the export (decrypted, audited). Confidential: no-store on every response."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from qingfeng.core import audit
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.paging import paginate
from qingfeng.integrity import selectors
from qingfeng.integrity.forms import RecordForm
from qingfeng.integrity.models import DEFAULT_PROBLEM_CATEGORIES, DisciplineRecord
from qingfeng.integrity.services import ledger
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.roles import PERMISSIONS

EXPORT_HEADER = [
    "序号",
    "姓名",
    "单位",
    "日期",
    "形态",
    "处理方式",
    "问题类别",
    "线索来源",
    "决定机关",
    "问题描述",
    "处理决定",
]
EXPORT_MAX = 5000


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10_000_000 else None


def _filters(request: HttpRequest) -> selectors.LedgerFilters:
    source = request.GET.get("clue_source", "")
    return selectors.LedgerFilters(
        year=_int(request.GET.get("year")),
        form=_int(request.GET.get("form")),
        unit=_int(request.GET.get("unit")),
        clue_source=source if source in DisciplineRecord.ClueSource.values else "",
        q=request.GET.get("q", "").strip()[:50],
    )


def _guard(request: HttpRequest) -> None:
    access.require(request.user, "integrity.ledger_view")
    selectors.require_ledger(request.user)


@require_GET
@never_cache
@perm_required("integrity.ledger_view")
def ledger_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    filters = _filters(request)
    page = paginate(request, selectors.ledger_records(request.user, filters))
    page["page_obj"].object_list = list(page["page_obj"].object_list)
    # The list shows records (their clear fields): the view is an audit event naming them.
    audit.record(
        actor=request.user,
        action="ledger.list",
        object_type="integrity.disciplinerecord",
        object_repr="四种形态台账列表",
        changes={"records": [r.pk for r in page["page_obj"].object_list], "filters": request.GET.dict()},
    )
    return render(
        request,
        "integrity/ledger_list.html",
        {
            **page,
            "filters": filters,
            "forms": DisciplineRecord.Form.choices,
            "sources": DisciplineRecord.ClueSource.choices,
            "can_record": access.can(request.user, "integrity.ledger_manage"),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@perm_required("integrity.ledger_manage")
def ledger_new(request: HttpRequest) -> HttpResponse:
    _guard(request)
    unit = next(
        a.unit for a in access.assignments(request.user) if "integrity.ledger_manage" in PERMISSIONS.get(a.role, ())
    )
    form = RecordForm(request.POST if request.method == "POST" else None, people=selectors.ledger_people(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            record = ledger.record_create(actor=request.user, unit=unit, data=ledger.RecordData(**form.cleaned_data))
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, f"已记入四种形态台账：{record.person.name}，{record.get_form_display()}·{record.measure}"
            )
            return redirect("integrity:ledger_stats")
    return render(
        request,
        "integrity/ledger_form.html",
        {"form": form, "unit": unit, "categories": DEFAULT_PROBLEM_CATEGORIES, "measures": DisciplineRecord.MEASURES},
    )


@require_GET
@never_cache
@perm_required("integrity.ledger_view")
def ledger_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    record = access.get_object_for_user(
        request.user,
        DisciplineRecord,
        pk,
        queryset=DisciplineRecord.objects.select_related("person", "person__department", "unit", "created_by"),
    )
    opened = ledger.record_open(actor=request.user, record=record)
    return render(request, "integrity/ledger_detail.html", {"record": record, "opened": opened})


@require_GET
@never_cache
@perm_required("integrity.ledger_view")
def ledger_stats(request: HttpRequest) -> HttpResponse:
    _guard(request)
    year = _int(request.GET.get("year"))
    stats = selectors.ledger_stats(request.user, year=year)
    chart = {
        "labels": [f.label for f in stats.forms],
        "counts": [f.count for f in stats.forms],
        "percents": [f.percent for f in stats.forms],
    }
    return render(request, "integrity/ledger_stats.html", {"stats": stats, "chart": chart, "year": year})


@require_GET
@never_cache
@perm_required("integrity.ledger_view")
def ledger_export(request: HttpRequest) -> HttpResponse:
    _guard(request)
    records = list(
        selectors.ledger_records(request.user, _filters(request)).defer(None).order_by("date", "id")[:EXPORT_MAX]
    )
    opened = ledger.records_export(actor=request.user, records=records)
    rows = (
        [
            i,
            o.record.person.name,
            o.record.unit.name,
            selectors.cn(o.record.date),
            o.record.get_form_display(),
            o.record.measure,
            o.record.category,
            o.record.get_clue_source_display(),
            o.record.decided_by,
            o.description,
            o.decision,
        ]
        for i, o in enumerate(opened, start=1)
    )
    return xlsx_response("四种形态台账", EXPORT_HEADER, rows, filename="运用监督执纪四种形态台账.xlsx")
