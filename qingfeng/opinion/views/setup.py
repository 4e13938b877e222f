"""研判规则 and 监测导入 pages (opinion.manage: the office, the secretary, the 纪检组长)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.opinion import selectors
from qingfeng.opinion.forms import ImportForm, RuleForm
from qingfeng.opinion.models import MonitorImport, SeverityRule
from qingfeng.opinion.services import importing, rules
from qingfeng.org import access
from qingfeng.org.access import perm_required

MANAGE = "opinion.manage"


def _unit(request: HttpRequest):  # type: ignore[no-untyped-def]
    unit = selectors.managed_unit(request.user)
    if unit is None:
        raise PermissionDenied(MANAGE)
    return unit


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def rule_list(request: HttpRequest) -> HttpResponse:
    """The unit's rules and the general ones; the form below adds one."""
    unit = _unit(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = rules.rule_create(actor=request.user, unit=unit, data=rules.RuleData(**form.cleaned_data))
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"规则“{rule.topic}”已添加")
            return redirect("opinion:rule_list")
    return render(request, "opinion/rule_list.html", {"rules": selectors.rules_for(unit), "form": form, "unit": unit})


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = access.get_object_for_user(request.user, SeverityRule, pk, write=True)
    initial = {"topic": rule.topic, "level": rule.level, "keywords": rule.keywords, "active": rule.active}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rules.rule_update(actor=request.user, rule=rule, data=rules.RuleData(**form.cleaned_data))
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"规则“{rule.topic}”已修改")
            return redirect("opinion:rule_list")
    return render(request, "opinion/rule_edit.html", {"rule": rule, "form": form})


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a monitoring export: it is read and judged, then shown as a preview (nothing stored yet)."""
    unit = _unit(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.import_preview(actor=request.user, unit=unit, upload=form.cleaned_data["file"])
        except UserError as exc:
            add_to_form(form, UserError(exc.message, field="file"))
        else:
            return redirect("opinion:import_preview", pk=batch.pk)
    page = paginate(request, selectors.imports_for(request.user), per_page=10)
    return render(
        request,
        "opinion/import.html",
        {**page, "form": form, "unit": unit, "columns": importing.COLUMNS, "labels": importing.LABEL},
    )


DECISIONS = {"new": "新增", "merged": "合并", "refused": "未导入"}


@require_GET
@perm_required(MANAGE)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access.get_object_for_user(request.user, MonitorImport, pk, write=True)
    decision = request.GET.get("decision", "")
    rows = batch.preview.get("rows", [])
    if decision in DECISIONS:
        rows = [r for r in rows if r.get("decision") == decision]
    page = paginate(request, rows, per_page=100)
    return render(
        request,
        "opinion/import_preview.html",
        {
            **page,
            "batch": batch,
            "counts": batch.preview.get("counts", {}),
            "decision": decision,
            "decisions": DECISIONS,
        },
    )


@require_POST
@perm_required(MANAGE)
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access.get_object_for_user(request.user, MonitorImport, pk, write=True)
    holder: dict[str, MonitorImport] = {}

    def confirm() -> None:
        holder["batch"] = importing.import_confirm(actor=request.user, batch=batch)

    if run_action(request, confirm, "导入完成"):
        done = holder["batch"]
        messages.info(
            request, f"新增舆情{done.created_count}条，合并{done.merged_count}条，未导入{done.refused_count}条"
        )
        return redirect(f"{reverse('opinion:incident_list')}?status=open")
    return redirect("opinion:import_preview", pk=batch.pk)
