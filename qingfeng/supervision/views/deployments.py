"""工作部署 pages: the list, a new deployment (pasted text or a .txt/.docx), the review of its 任务分解表 (the
clerk edits, drops and adds rows, then confirms: all the tasks in one transaction, or none), the board, and the
table's .xlsx/.docx export."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from qingfeng.core import audit
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.gongwen import Paragraph, Table, gongwen_docx
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Unit
from qingfeng.org.roles import PERMISSIONS
from qingfeng.supervision import drafting, selectors
from qingfeng.supervision.decompose import Outline
from qingfeng.supervision.decompose_dates import format_date
from qingfeng.supervision.forms_deployments import DeploymentCreateForm, RowChoices, initial_row, row_formset
from qingfeng.supervision.models import Deployment, Task
from qingfeng.supervision.services.deployments import deployment_confirm, deployment_create

BROKEN_FORM = "分解表数据不完整（可能页面已过期），请核对下表后重新确认"
ROW_NO = re.compile(r"^第(\d+)行")


def _with_progress(qs: Any) -> Any:
    alive = Q(tasks__deleted_at__isnull=True)
    return qs.annotate(
        task_count=Count("tasks", filter=alive),
        done_count=Count("tasks", filter=alive & Q(tasks__status=Task.Status.DONE)),
        avg_percent=Avg("tasks__percent", filter=alive),
    )


def _deploy_unit(user: Any) -> Unit:
    """The unit the user deploys in: the first unit of a role holding supervision.deploy."""
    for a in access.assignments(user):
        if "supervision.deploy" in PERMISSIONS.get(a.role, frozenset()):
            return a.unit
    raise PermissionDenied("supervision.deploy")


@require_GET
@perm_required("supervision.view")
def deployment_list(request: HttpRequest) -> HttpResponse:
    qs = _with_progress(
        Deployment.objects.filter(access.visible_q(request.user, Deployment)).select_related("unit", "issuing_leader")
    ).order_by("-date", "-id")
    context = {**paginate(request, qs), "can_deploy": access.can(request.user, "supervision.deploy")}
    return render(request, "supervision/deployment_list.html", context)


@require_http_methods(["GET", "POST"])
@perm_required("supervision.deploy")
def deployment_create_view(request: HttpRequest) -> HttpResponse:
    unit = _deploy_unit(request.user)
    form = DeploymentCreateForm(request.POST if request.method == "POST" else None, request.FILES or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            deployment = deployment_create(
                actor=request.user,
                unit=unit,
                title=d["title"],
                date=d["date"],
                kind=d["kind"],
                issuing_leader=d["issuing_leader"],
                text=d["text"],
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "部署已创建，请核对任务分解表后确认")
            return redirect("supervision:deployment_review", pk=deployment.pk)
    return render(request, "supervision/deployment_form.html", {"form": form, "unit": unit})


def _outline(deployment: Deployment) -> tuple[Outline | None, list[str]]:
    try:
        return drafting.outline_of(deployment), []
    except UserError as exc:
        return None, [exc.message]


def _table_numbers(errors: list[str], used: list[int]) -> list[str]:
    """The service numbers the kept rows 1…n; the clerk sees the table's own 序号."""

    def renumber(message: str) -> str:
        m = ROW_NO.match(message)
        if not m or not 0 < int(m.group(1)) <= len(used):
            return message
        return f"第{used[int(m.group(1)) - 1]}行" + message[m.end() :]

    return [renumber(e) for e in errors]


@require_http_methods(["GET", "POST"])
@perm_required("supervision.deploy")
def deployment_review(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = access.get_object_for_user(
        request.user, Deployment, pk, write=True, queryset=Deployment.objects.select_related("unit")
    )
    if deployment.status != Deployment.Status.DRAFT:
        return redirect("supervision:deployment_detail", pk=deployment.pk)
    outline, errors = _outline(deployment)
    choices = RowChoices(deployment.unit)
    initial = []
    if outline is not None:
        directory = drafting.Directory.of(deployment.unit)
        initial = [initial_row(d) for d in drafting.outline_drafts(outline, directory)]
    formset = row_formset(None, choices=choices, initial=initial)
    if request.method == "POST":
        posted = row_formset(request.POST, choices=choices)
        if not posted.management_form.is_valid():
            errors.append(BROKEN_FORM)
        else:
            formset = posted
            if formset.is_valid():
                used = [i for i, f in enumerate(formset.forms, start=1) if f.is_used]
                rows = [formset.forms[i - 1].draft() for i in used]
                try:
                    tasks = deployment_confirm(actor=request.user, deployment=deployment, rows=rows)
                except UserError as exc:
                    errors = _table_numbers(exc.errors, used) if exc.errors else [exc.message]
                else:
                    messages.success(request, f"分解表已确认，已交办 {len(tasks)} 项任务")
                    return redirect("supervision:deployment_detail", pk=deployment.pk)
            else:
                errors.append("分解表有填写错误，请按提示修改")
    candidates = outline.candidates() if outline is not None else []
    rows = [
        {"no": i, "form": form, "flags": candidates[i - 1].flags if i <= len(candidates) else []}
        for i, form in enumerate(formset.forms, start=1)
    ]
    context = {"deployment": deployment, "outline": outline, "formset": formset, "rows": rows, "errors": errors}
    return render(request, "supervision/deployment_review.html", context)


@require_GET
@perm_required("supervision.view")
def deployment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = access.get_object_for_user(
        request.user,
        Deployment,
        pk,
        queryset=_with_progress(Deployment.objects.select_related("unit", "issuing_leader", "created_by")),
    )
    tasks = selectors.task_rows(request.user, selectors.TaskFilters(deployment=deployment.pk))
    tasks.sort(key=lambda t: (t.year, t.seq))
    context = {
        "deployment": deployment,
        "tasks": tasks,
        "can_review": deployment.status == Deployment.Status.DRAFT
        and access.can(request.user, "supervision.deploy", deployment.unit),
    }
    return render(request, "supervision/deployment_detail.html", context)


def _export_table(deployment: Deployment) -> tuple[list[str], list[list[Any]]]:
    if deployment.status == Deployment.Status.CONFIRMED:
        tasks = (
            Task.objects.filter(deployment=deployment)
            .select_related("lead_leader", "responsible_person")
            .prefetch_related("parts__department")
            .order_by("year", "seq")
        )
        return [*drafting.TABLE_HEADER, "督办编号"], drafting.task_table_rows(tasks)
    outline, _ = _outline(deployment)
    return drafting.TABLE_HEADER, drafting.outline_rows(outline) if outline is not None else []


@require_GET
@perm_required("supervision.view")
def deployment_export(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = access.get_object_for_user(
        request.user, Deployment, pk, queryset=Deployment.objects.select_related("unit")
    )
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "docx"):
        return HttpResponse("导出格式只能是 xlsx 或 docx", status=400, content_type="text/plain; charset=utf-8")
    header, rows = _export_table(deployment)
    audit.record(actor=request.user, action="deployment.export", obj=deployment, changes={"format": fmt})
    name = f"{deployment.title}-任务分解表"
    if fmt == "xlsx":
        return xlsx_response("任务分解表", header, rows, filename=f"{name}.xlsx")
    status = "已确认" if deployment.status == Deployment.Status.CONFIRMED else "待确认（按自动分解结果）"
    blocks = [
        Paragraph(f"部署日期：{format_date(deployment.date)}　类别：{deployment.get_kind_display()}　状态：{status}"),
        Table(header=header, rows=[[("" if v is None else str(v)) for v in row] for row in rows]),
    ]
    response = HttpResponse(
        gongwen_docx(title=f"{deployment.title}任务分解表", blocks=blocks, landscape=True),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name + '.docx')}"
    response["Cache-Control"] = "no-store"
    return response
