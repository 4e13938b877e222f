"""四种形态 ledger pages: the list (clear fields only), recording one, one record (decrypted, audited), correcting
and deleting one (the 纪检组长; the edit form decrypts, so showing it is audited like a view), the statistics, and
the export (decrypted, audited) behind a password re-entry (SECURITY.md A11). Confidential: no-store on every
response."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core import audit
from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.paging import paginate
from qingfeng.integrity import selectors
from qingfeng.integrity.forms import DeleteForm, PasswordForm, RecordForm
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
# SECURITY.md A11: the password again before an export of confidential data, valid this many seconds (default 5 min);
# after REAUTH_MAX_FAILURES wrong passwords in a row the session ends.
REAUTH_SECONDS = getattr(settings, "REAUTH_SECONDS", 300)
REAUTH_MAX_FAILURES = 5
REAUTH_AT = "integrity.reauth_at"
REAUTH_FAILURES = "integrity.reauth_failures"


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
    return render(
        request,
        "integrity/ledger_detail.html",
        {
            "record": record,
            "opened": opened,
            "can_keep": ledger.may_keep(request.user, record.unit),
            "delete_form": DeleteForm(),
        },
    )


def _writable_record(request: HttpRequest, pk: int) -> DisciplineRecord:
    _guard(request)
    return access.get_object_for_user(
        request.user,
        DisciplineRecord,
        pk,
        write=True,
        queryset=DisciplineRecord.objects.select_related("person", "unit"),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@perm_required("integrity.ledger_manage")
def ledger_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _writable_record(request, pk)
    if not ledger.may_keep(request.user, record.unit):
        raise PermissionDenied("integrity.ledger_manage")
    people = selectors.ledger_people(request.user).filter(unit=record.unit)
    if request.method == "POST":
        form = RecordForm(request.POST, people=people)
        if form.is_valid():
            try:
                ledger.record_update(actor=request.user, record=record, data=ledger.RecordData(**form.cleaned_data))
            except UserError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, "四种形态记录已修改（已按当前密钥重新加密）")
                return redirect("integrity:ledger_detail", pk=record.pk)
    else:
        # The form shows the decrypted texts: an audited view like the record's page.
        opened = ledger.record_open(actor=request.user, record=record, purpose="edit")
        initial = {f: getattr(record, f) for f in ledger.CLEAR_FIELDS}
        form = RecordForm(
            initial={**initial, "description": opened.description, "decision": opened.decision}, people=people
        )
    return render(
        request,
        "integrity/ledger_form.html",
        {
            "form": form,
            "unit": record.unit,
            "record": record,
            "categories": DEFAULT_PROBLEM_CATEGORIES,
            "measures": DisciplineRecord.MEASURES,
        },
    )


@require_POST
@never_cache
@perm_required("integrity.ledger_manage")
def ledger_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = _writable_record(request, pk)
    if not ledger.may_keep(request.user, record.unit):
        raise PermissionDenied("integrity.ledger_manage")
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未删除——{first_error(form)}")
        return redirect("integrity:ledger_detail", pk=record.pk)
    if run_action(
        request,
        lambda: ledger.record_delete(actor=request.user, record=record, reason=form.cleaned_data["reason"]),
        "四种形态记录已删除（保留删除留痕）",
    ):
        return redirect("integrity:ledger_list")
    return redirect("integrity:ledger_detail", pk=record.pk)


def reauth_fresh(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_AT)
    return isinstance(at, (int, float)) and 0 <= time.time() - at <= REAUTH_SECONDS


def _safe_next(value: str) -> str:
    """Back to the export only (with its filters), never to another address."""
    export = reverse("integrity:ledger_export")
    if value.startswith(export) and "//" not in value and "\\" not in value:
        return value
    return reverse("integrity:ledger_list")


@require_http_methods(["GET", "POST"])
@never_cache
@perm_required("integrity.ledger_view")
def ledger_reauth(request: HttpRequest) -> HttpResponse:
    """再次输入密码: required before the confidential export, valid REAUTH_SECONDS."""
    _guard(request)
    target = _safe_next(request.POST.get("next") or request.GET.get("next", ""))
    form = PasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            request.session[REAUTH_AT] = time.time()
            request.session.pop(REAUTH_FAILURES, None)
            audit.record(actor=request.user, action="reauth.success", object_repr="四种形态台账导出")
            return redirect(target)
        failures = int(request.session.get(REAUTH_FAILURES, 0)) + 1
        audit.record(
            actor=request.user,
            action="reauth.failure",
            result="failure",
            object_repr="四种形态台账导出",
            changes={"failures": failures},
        )
        if failures >= REAUTH_MAX_FAILURES:
            logout(request)
            messages.error(request, f"连续{REAUTH_MAX_FAILURES}次密码错误，已退出登录")
            return redirect(settings.LOGIN_URL)
        request.session[REAUTH_FAILURES] = failures
        form.add_error("password", f"密码不正确（还可尝试{REAUTH_MAX_FAILURES - failures}次）")
    return render(
        request,
        "integrity/ledger_reauth.html",
        {"form": form, "next": target, "minutes": max(1, REAUTH_SECONDS // 60)},
    )


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
    if not reauth_fresh(request):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('integrity:ledger_reauth')}?{query}")
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
