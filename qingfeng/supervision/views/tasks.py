"""督办事项 pages: the list (filters, 三色预警, 台账 export), 交办, one task (批示, parts, progress, timeline and the
actions the user may take), the actions (each one service, always back to the task), and the 督办看板."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core import audit
from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.models import Attachment
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Unit
from qingfeng.org.roles import Role
from qingfeng.org.selectors import default_unit
from qingfeng.supervision import selectors, warnings
from qingfeng.supervision.forms_tasks import (
    ApproveForm,
    DecideForm,
    ExtensionForm,
    InstructForm,
    ReportForm,
    ReturnForm,
    SubmitForm,
    TaskCreateForm,
    TaskFilterForm,
)
from qingfeng.supervision.models import ExtensionRequest, ProgressReport, Task, TaskPart
from qingfeng.supervision.services import extensions, instructions, progress
from qingfeng.supervision.services import tasks as task_services
from qingfeng.supervision.services._common import acts_for_part, is_reviewer, person_of

# --- reading ------------------------------------------------------------------------------------------------


def _task_queryset() -> Any:
    return Task.objects.select_related("unit", "lead_leader", "responsible_person", "deployment").prefetch_related(
        Prefetch("parts", queryset=TaskPart.objects.select_related("department", "signed_by").order_by("-role", "id"))
    )


def _get_task(request: HttpRequest, pk: int) -> Task:
    return access.get_object_for_user(request.user, Task, pk, queryset=_task_queryset())


def _back(task_pk: int) -> HttpResponse:
    return redirect("supervision:task_detail", pk=task_pk)


@require_GET
@perm_required("supervision.view")
def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if request.GET else selectors.TaskFilters()
    page = paginate(request, selectors.tasks_for(request.user, filters))
    # 三色预警 for the page's rows only (the parts are prefetched with the page)
    page["page_obj"].object_list = warnings.annotate(page["page_obj"].object_list)
    return render(
        request,
        "supervision/task_list.html",
        {
            "filter": form,
            "today": timezone.localdate(),
            "can_assign": access.can(request.user, "supervision.assign"),
            "many_units": "unit" in form.fields,
            **page,
        },
    )


EXPORT_HEADER = [
    "督办编号",
    "督办事项",
    "牵头领导",
    "牵头单位",
    "配合单位",
    "责任人",
    "办理时限",
    "办理情况/状态",
    "形象进度",
    "办结评价",
]


def _export_row(task: Task, today: Any) -> list[Any]:
    parts = list(task.parts.all())
    lead = next((p.department.name for p in parts if p.role == TaskPart.Role.LEAD), "")
    partners = "、".join(p.department.name for p in parts if p.role == TaskPart.Role.PARTNER)
    return [
        task.number,
        task.title,
        task.lead_leader.name,
        lead,
        partners,
        task.responsible_person.name if task.responsible_person else "",
        task.deadline.isoformat() if task.deadline else "长期",
        task.display_status(today),
        f"{task.percent}%",
        task.get_rating_display() if task.rating else "",
    ]


@require_GET
@perm_required("supervision.view")
def task_export(request: HttpRequest) -> HttpResponse:
    """督办台账 (xlsx) of the filtered list; audited with the filters and the row count."""
    form = TaskFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if request.GET else selectors.TaskFilters()
    tasks = list(selectors.tasks_for(request.user, filters))
    today = timezone.localdate()
    audit.record(
        actor=request.user,
        action="task.export",
        changes={"rows": len(tasks), "filters": {k: v for k, v in request.GET.items() if k != "page"}},
    )
    return xlsx_response(
        "督办台账",
        EXPORT_HEADER,
        (_export_row(t, today) for t in tasks),
        filename=f"督办台账-{today:%Y%m%d}.xlsx",
    )


def _assign_unit(user: Any) -> Unit | None:
    """The unit a clerk assigns in: their own account's unit when they may assign there, else their first grant."""
    unit = getattr(user, "unit", None)
    if unit is not None and access.can(user, "supervision.assign", unit):
        return unit
    return next((a.unit for a in access.assignments(user) if a.role == Role.CLERK), None) or default_unit(user)


@require_http_methods(["GET", "POST"])
@perm_required("supervision.assign")
def task_new(request: HttpRequest) -> HttpResponse:
    unit = _assign_unit(request.user)
    form = TaskCreateForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            task = task_services.task_create(
                actor=request.user,
                unit=unit,
                draft=form.draft(),
                source=form.cleaned_data["source"],
                source_ref=form.cleaned_data["source_ref"] or "",
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"已交办 {task.number}，待责任单位签收")
            return _back(task.pk)
    return render(request, "supervision/task_form.html", {"form": form, "unit": unit})


def _my_parts(user: Any, task: Task) -> list[TaskPart]:
    """The parts the user acts for (their department's head, or the task's responsible person)."""
    return [p for p in task.parts.all() if acts_for_part(user, p)]


def _attachments_by_report(reports: list[ProgressReport]) -> dict[int, list[Attachment]]:
    """Every report's attachments in one query."""
    by_report: dict[int, list[Attachment]] = defaultdict(list)
    if reports:
        ct = ContentType.objects.get_for_model(ProgressReport)
        for a in Attachment.objects.filter(owner_type=ct, owner_id__in=[r.pk for r in reports]).order_by("id"):
            by_report[a.owner_id].append(a)
    return by_report


@require_GET
@perm_required("supervision.view")
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    user = request.user
    warnings.annotate([task])  # sets task.colour
    parts = list(task.parts.all())
    mine = _my_parts(user, task)
    lead_mine = any(p.role == TaskPart.Role.LEAD for p in mine)
    reviewer = is_reviewer(user, task)
    reports = list(selectors.task_reports(task))
    attachments = _attachments_by_report(reports)
    for r in reports:
        r.files = attachments.get(r.pk, [])
    pending = selectors.pending_extension(task)
    is_open, status = task.is_open, task.status
    can = {
        "sign": [p for p in mine if p.status == TaskPart.Status.PENDING_SIGN and is_open]
        if access.can(user, "supervision.sign", task.unit)
        else [],
        "report": bool(mine)
        and status == Task.Status.IN_PROGRESS
        and access.can(user, "supervision.report", task.unit),
        "submit": lead_mine and status == Task.Status.IN_PROGRESS and access.can(user, "supervision.report", task.unit),
        "review": reviewer
        and status == Task.Status.PENDING_REVIEW
        and access.can(user, "supervision.review", task.unit),
        "extend": lead_mine
        and status in (Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS)
        and task.deadline is not None
        and pending is None
        and access.can(user, "supervision.extend_request", task.unit),
        "decide": reviewer and pending is not None and access.can(user, "supervision.extend_decide", task.unit),
        "instruct": person_of(user) is not None and access.can(user, "supervision.instruct", task.unit),
    }
    person = person_of(user)
    watching = person is not None and task.watchers.filter(pk=person.pk).exists()
    report_parts = TaskPart.objects.filter(pk__in=[p.pk for p in mine]).select_related("department")
    lead_first = next((p for p in mine if p.role == TaskPart.Role.LEAD), mine[0] if mine else None)
    return render(
        request,
        "supervision/task_detail.html",
        {
            "task": task,
            "parts": parts,
            "now": timezone.now(),
            "instructions": list(selectors.open_instructions(task)),
            "reports": reports,
            "timeline": list(selectors.task_timeline(task)),
            "extensions": list(task.extension_requests.select_related("requested_by", "decided_by")),
            "pending": pending,
            "can": can,
            "watching": watching,
            "report_form": ReportForm(parts=report_parts, initial={"part": lead_first, "percent": task.percent}),
            "submit_form": SubmitForm(),
            "approve_form": ApproveForm(),
            "return_form": ReturnForm(),
            "extension_form": ExtensionForm(),
            "decide_form": DecideForm(),
            "instruct_form": InstructForm(),
        },
    )


# --- actions: one service each, always back to the task -----------------------------------------------------


@require_POST
@perm_required("supervision.sign")
def part_sign(request: HttpRequest, pk: int) -> HttpResponse:
    part = access.get_object_for_user(
        request.user, TaskPart, pk, queryset=TaskPart.objects.select_related("task", "department", "unit")
    )
    run_action(
        request,
        lambda: task_services.task_sign_for(actor=request.user, part=part),
        f"“{part.department.name}”已签收",
    )
    return _back(part.task_id)


@require_POST
@perm_required("supervision.report")
def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    mine = _my_parts(request.user, task)
    # Anyone with the code may post; the service names who may report when the user acts for no part.
    choices = mine or [p for p in task.parts.all() if p.role == TaskPart.Role.LEAD]
    data = request.POST.copy()
    if not data.get("part"):
        lead = next((p for p in choices if p.role == TaskPart.Role.LEAD), choices[0] if choices else None)
        data["part"] = str(lead.pk) if lead else ""
    form = ReportForm(data, request.FILES, parts=TaskPart.objects.filter(pk__in=[p.pk for p in choices]))
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(task.pk)
    c = form.cleaned_data
    part = TaskPart.objects.select_related("task", "department", "unit").get(pk=c["part"].pk)
    run_action(
        request,
        lambda: progress.task_report_progress(
            actor=request.user,
            part=part,
            percent=c["percent"],
            text=c["text"],
            uploads=c["files"],
            instruction_answer=c["instruction_answer"] or "",
        ),
        "进展已报送",
    )
    return _back(task.pk)


@require_POST
@perm_required("supervision.report")
def task_submit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    form = SubmitForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_action(
        request,
        lambda: task_services.task_submit(actor=request.user, task=task, note=note or ""),
        "已提交办结审核",
    )
    return _back(task.pk)


@require_POST
@perm_required("supervision.review")
def task_approve(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(task.pk)
    run_action(
        request,
        lambda: task_services.task_approve(
            actor=request.user, task=task, rating=form.cleaned_data["rating"], remark=form.cleaned_data["remark"]
        ),
        "已审核办结",
    )
    return _back(task.pk)


@require_POST
@perm_required("supervision.review")
def task_return(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    reason = request.POST.get("reason", "")
    run_action(request, lambda: task_services.task_return(actor=request.user, task=task, reason=reason), "已退回")
    return _back(task.pk)


@require_POST
@perm_required("supervision.extend_request")
def task_extend(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(task.pk)
    run_action(
        request,
        lambda: extensions.task_extension_request(
            actor=request.user,
            task=task,
            requested_deadline=form.cleaned_data["requested_deadline"],
            reason=form.cleaned_data["reason"],
        ),
        "延期申请已提交",
    )
    return _back(task.pk)


@require_POST
@perm_required("supervision.extend_decide")
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    ext = access.get_object_for_user(
        request.user, ExtensionRequest, pk, queryset=ExtensionRequest.objects.select_related("task")
    )
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(ext.task_id)
    approve = form.cleaned_data["approve"]
    run_action(
        request,
        lambda: extensions.task_extension_decide(
            actor=request.user, request=ext, approve=approve, note=form.cleaned_data["note"] or ""
        ),
        "已同意延期" if approve else "已不同意延期",
    )
    return _back(ext.task_id)


@require_POST
@perm_required("supervision.instruct")
def task_watch(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    watch = request.POST.get("watch", "1") != "0"
    run_action(
        request,
        lambda: instructions.task_watch(actor=request.user, task=task, watch=watch),
        "已关注" if watch else "已取消关注",
    )
    return _back(task.pk)


@require_POST
@perm_required("supervision.instruct")
def task_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get_task(request, pk)
    text = request.POST.get("text", "")
    run_action(request, lambda: instructions.task_instruct(actor=request.user, task=task, text=text), "批示已发送")
    return _back(task.pk)


# --- 督办看板 --------------------------------------------------------------------------------------------------


@require_GET
@perm_required("supervision.view")
def board(request: HttpRequest) -> HttpResponse:
    """逾期 (red) and 即将到期 (yellow) open tasks, 超时未签收 per department and the 科室排名 of the user's unit."""
    now = timezone.now()
    board = selectors.board(request.user, now=now)
    unit = getattr(request.user, "unit", None) or default_unit(request.user)
    ranking = selectors.department_ranking(request.user, unit=unit, now=now) if unit is not None else []
    return render(
        request,
        "supervision/board.html",
        {
            "board": board,
            "red": board.red,
            "yellow": board.yellow,
            "limit": selectors.BOARD_LIMIT,
            "many_units": selectors.spans_units(request.user),
            "unsigned": selectors.overdue_unsigned_counts(request.user, now=now),
            "ranking": ranking,
            "unit": unit,
            "today": timezone.localdate(now),
        },
    )
