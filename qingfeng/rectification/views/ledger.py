"""整改台账 (page and .xlsx) and the 整改进展情况报告 (.docx) of a round."""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qingfeng.core import audit
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.rectification.models import Round
from qingfeng.rectification.services import ledger, report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FINDINGS_PER_PAGE = 20


def _round(request: HttpRequest, pk: int) -> Round:
    return access.get_object_for_user(request.user, Round, pk, queryset=Round.objects.select_related("unit"))


@require_GET
@perm_required("rectification.view")
def ledger_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    context = paginate(request, ledger.ledger_page_findings(request.user, round_), per_page=FINDINGS_PER_PAGE)
    groups = ledger.ledger_groups(request.user, round_, list(context["page_obj"].object_list))
    return render(
        request,
        "rectification/ledger.html",
        {
            "round": round_,
            "title": ledger.ledger_title(round_),
            "header": ledger.HEADER,
            "groups": groups,
            "can_report": access.can(request.user, "rectification.manage", round_.unit),
            **context,
        },
    )


@require_GET
@perm_required("rectification.view")
def ledger_export(request: HttpRequest, pk: int) -> FileResponse:
    round_ = _round(request, pk)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    rows = ledger.export_ledger(handle, request.user, round_)
    audit.record(actor=request.user, action="ledger.export", obj=round_, changes={"rows": rows})
    handle.seek(0)
    filename = f"{ledger.ledger_title(round_)}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@perm_required("rectification.manage")
def report_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    access.require(request.user, "rectification.manage", round_.unit)
    data = report.report_docx(request.user, round_)
    audit.record(actor=request.user, action="report.export", obj=round_)
    filename = f"{report.report_title(round_)}.docx"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
