"""问题清单导入 (rectification.manage): a round's import page with its upload form, and the template download."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from qingfeng.core.errors import UserError
from qingfeng.org import access, selectors
from qingfeng.org.access import perm_required
from qingfeng.org.models import Department
from qingfeng.rectification.models import Round
from qingfeng.rectification.services import importing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FindingImportForm(forms.Form):
    file = forms.FileField(
        label="问题清单文件",
        help_text="Excel（.xlsx）文件；任何一行有错误都不会导入",
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
        error_messages={"required": "请选择要导入的问题清单文件", "empty": "文件是空文件"},
    )


def _round_url(round_: Round) -> str:
    """The round's page when the rounds pages are there, else this import page."""
    try:
        return reverse("rectification:round_detail", kwargs={"pk": round_.pk})
    except NoReverseMatch:
        return reverse("rectification:round_import", kwargs={"pk": round_.pk})


@require_http_methods(["GET", "POST"])
@perm_required("rectification.manage")
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_object_for_user(
        request.user, Round, pk, write=True, queryset=Round.objects.select_related("unit")
    )
    form = FindingImportForm(request.POST or None, request.FILES or None)
    problems: list[importing.RowError] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                summary = importing.findings_import(actor=request.user, round_=round_, upload=form.cleaned_data["file"])
            except importing.FindingImportError as exc:
                problems = exc.problems
            except UserError as exc:
                problems = [importing.RowError(None, exc.message)]
            else:
                messages.success(request, f"导入成功：问题 {summary.findings} 个，整改措施 {summary.measures} 条")
                return redirect(_round_url(round_))
        else:
            problems = [importing.RowError(None, e) for e in form.errors.get("file", [])] or [
                importing.RowError(None, "请选择要导入的问题清单文件")
            ]
    context = {
        "round": round_,
        "round_url": _round_url(round_),
        "form": form,
        "problems": problems,
        "columns": importing.COLUMNS,
        "categories": importing.categories(),
        "upload_max_mb": settings.UPLOAD_MAX_MB,
        "departments": Department.objects.filter(unit=round_.unit).order_by("order", "pk"),
    }
    return render(request, "rectification/import.html", context, status=200)


@require_GET
@perm_required("rectification.manage")
def import_template(request: HttpRequest) -> HttpResponse:
    unit = selectors.default_unit(request.user)
    if unit is not None and not access.can(request.user, "rectification.manage", unit):
        unit = None  # the template without the unit's departments
    response = HttpResponse(importing.template_xlsx(unit=unit), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('问题清单模板.xlsx')}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
