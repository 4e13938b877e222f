"""Roster import (花名册导入, 系统管理员): the page with its upload form, and the template download."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from qingfeng.core.errors import UserError
from qingfeng.org import access, selectors
from qingfeng.org.access import perm_required
from qingfeng.org.models import Branch, Department, Unit
from qingfeng.org.roles import Role
from qingfeng.org.services import roster


class RosterImportForm(forms.Form):
    unit = forms.ModelChoiceField(label="导入到单位", queryset=Unit.objects.none(), empty_label=None)
    file = forms.FileField(
        label="花名册文件",
        help_text="Excel（.xlsx）文件，按模板填写；任何一行有错误都不会导入",
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "请选择要导入的花名册文件", "empty": "文件是空文件"},
    )

    def __init__(self, *args: Any, user: Any, unit: Unit | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(access.units_q(user, roles_={Role.SYSADMIN}))
        if unit is not None:
            self.fields["unit"].initial = unit.pk


def _unit(request: HttpRequest) -> Unit | None:
    """The unit named by ?unit= (404 outside the user's scope, 403 without org.manage there), else the default."""
    wanted = request.GET.get("unit")
    if wanted:
        return access.get_object_for_user(request.user, Unit, wanted, write=True)
    return selectors.default_unit(request.user)


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def roster_import(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user, unit=unit)
    problems: list[roster.RowError] = []
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            summary = roster.roster_import(actor=request.user, unit=unit, upload=form.cleaned_data["file"])
        except roster.RosterError as exc:
            problems = exc.problems
        except UserError as exc:
            problems = [roster.RowError(None, exc.message)]
        else:
            text = f"导入成功：新增 {summary.created} 人，更新 {summary.updated} 人"
            if summary.unchanged:
                text += f"，{summary.unchanged} 人无变化"
            messages.success(request, text)
            return redirect(f"{reverse('org:person_list')}?unit={unit.pk}")
    context = {
        "form": form,
        "unit": unit,
        "problems": problems,
        "columns": roster.COLUMNS,
        "upload_max_mb": settings.UPLOAD_MAX_MB,
        "departments": Department.objects.filter(unit=unit).order_by("order", "pk") if unit else [],
        "branches": Branch.objects.filter(unit=unit).order_by("order", "pk") if unit else [],
    }
    return render(request, "org/roster_import.html", context)


@require_GET
@perm_required("org.manage")
def roster_template(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    if unit is None:
        return redirect("org:unit_list")
    access.require(request.user, "org.manage", unit)
    filename = "花名册模板.xlsx"
    response = HttpResponse(
        roster.roster_template_xlsx(unit=unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
