"""The audit log for the 安全审计员: browse, filter, export, verify. Nobody can change it here."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from qingfeng.core import audit
from qingfeng.core.exports import xlsx_response
from qingfeng.core.models import AuditEvent
from qingfeng.core.paging import paginate
from qingfeng.org.access import perm_required


class AuditFilter(forms.Form):
    q = forms.CharField(label="用户", required=False)
    action = forms.CharField(label="操作", required=False)
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *AuditEvent.Result.choices])
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _filtered(request: HttpRequest) -> tuple[AuditFilter, QuerySet[AuditEvent]]:
    form = AuditFilter(request.GET or None)
    qs = AuditEvent.objects.order_by("-seq")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(actor_name__icontains=data["q"])
        if data["action"]:
            qs = qs.filter(action__startswith=data["action"])
        if data["result"]:
            qs = qs.filter(result=data["result"])
        tz = timezone.get_current_timezone()
        if data["start"]:
            qs = qs.filter(occurred_at__gte=dt.datetime.combine(data["start"], dt.time.min, tz))
        if data["end"]:
            qs = qs.filter(occurred_at__lt=dt.datetime.combine(data["end"] + dt.timedelta(days=1), dt.time.min, tz))
    return form, qs


@require_GET
@perm_required("audit.view")
def audit_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    context = {"form": form, **paginate(request, qs, per_page=50)}
    return render(request, "core/audit_list.html", context)


@require_GET
@perm_required("audit.export")
def audit_export(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    audit.record(actor=request.user, action="audit.export", object_type="audit", changes=dict(request.GET.items()))
    header = ["序号", "时间", "用户", "IP地址", "操作", "对象类型", "对象ID", "对象", "结果", "变更内容"]

    def rows():  # type: ignore[no-untyped-def]
        for e in qs.iterator(chunk_size=2000):
            yield [
                e.seq,
                timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                e.ip,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.get_result_display(),
                e.changes_text,
            ]

    return xlsx_response("审计日志", header, rows(), filename=f"审计日志-{timezone.localdate():%Y%m%d}.xlsx")


@perm_required("audit.verify")
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    result = audit.verify()
    audit.record(
        actor=request.user,
        action="audit.verify",
        object_type="audit",
        changes={"ok": result.ok, "checked": result.checked, "first_bad_seq": result.first_bad_seq},
    )
    form, qs = _filtered(request)
    return render(
        request, "core/audit_list.html", {"form": form, "verify": result, **paginate(request, qs, per_page=50)}
    )
