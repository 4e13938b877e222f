"""督办事项 for other systems: the list and one task, 签收, 报送进展 and 提交审核 — the same selectors, services and
visibility as the pages. Out-of-scope objects are 404 before anything else; a missing permission code is 403
(raised by the service); a rule a user breaks is 400 with the Chinese message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core.errors import UserError
from qingfeng.core.request_body import json_or_form
from qingfeng.org import access
from qingfeng.supervision import selectors
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services import progress
from qingfeng.supervision.services import tasks as task_services
from qingfeng.supervision.services._common import acts_for_part

router = Router(tags=["督查督办"])


class PartOut(Schema):
    id: int
    department_id: int
    department_name: str
    role: str
    status: str
    sign_deadline: dt.datetime
    signed_at: dt.datetime | None
    percent: int

    @staticmethod
    def resolve_department_name(obj: TaskPart) -> str:
        return obj.department.name


class TaskOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_display: str
    lead_leader_id: int
    lead_leader_name: str
    lead_department: str
    responsible_person_name: str | None
    deadline: dt.date | None
    percent: int
    rating: int | None

    @staticmethod
    def resolve_status_display(obj: Task) -> str:
        return obj.display_status()

    @staticmethod
    def resolve_lead_leader_name(obj: Task) -> str:
        return obj.lead_leader.name

    @staticmethod
    def resolve_lead_department(obj: Task) -> str:
        return obj.lead_part().department.name  # parts prefetched by tasks_for; one query on a detail

    @staticmethod
    def resolve_responsible_person_name(obj: Task) -> str | None:
        return obj.responsible_person.name if obj.responsible_person else None


class InstructionOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author)


class ReportOut(Schema):
    id: int
    part_id: int
    department_name: str
    author: str
    text: str
    percent: int
    instruction_answer: str
    created_at: dt.datetime

    @staticmethod
    def resolve_department_name(obj: Any) -> str:
        return obj.part.department.name

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author)


class TaskDetailOut(TaskOut):
    content: str
    source: str
    original_deadline: dt.date | None
    parts: list[PartOut]
    open_instructions: list[InstructionOut]
    reports: list[ReportOut]

    @staticmethod
    def resolve_parts(obj: Task) -> list[TaskPart]:
        return list(obj.parts.select_related("department").order_by("-role", "id"))

    @staticmethod
    def resolve_open_instructions(obj: Task) -> list[Any]:
        return list(selectors.open_instructions(obj))

    @staticmethod
    def resolve_reports(obj: Task) -> list[Any]:
        return list(selectors.task_reports(obj))


class ProgressIn(Schema):
    percent: int
    text: str
    instruction_answer: str = ""
    part: int | None = None  # default: the part the user acts for, the lead part first


def _task(request: HttpRequest, pk: int) -> Task:
    return access.get_object_for_user(
        request.user, Task, pk, queryset=Task.objects.select_related("unit", "lead_leader", "responsible_person")
    )


@router.get("/tasks", response=list[TaskOut], url_name="task_list_api")
@paginate(PageNumberPagination, page_size=50)
def task_list(
    request: HttpRequest,
    status: str = "",
    department: int | None = None,
    lead_leader: int | None = None,
    deployment: int | None = None,
    q: str = "",
):  # type: ignore[no-untyped-def]
    filters = selectors.TaskFilters(
        status=status[:20], department=department, lead_leader=lead_leader, deployment=deployment, q=q[:100]
    )
    return selectors.tasks_for(request.user, filters)


@router.get("/tasks/{int:pk}", response=TaskDetailOut, url_name="task_detail_api")
def task_detail(request: HttpRequest, pk: int) -> Task:
    return _task(request, pk)


@router.post("/parts/{int:pk}/sign", response=PartOut, url_name="part_sign_api")
def part_sign(request: HttpRequest, pk: int) -> TaskPart:
    part = access.get_object_for_user(
        request.user, TaskPart, pk, queryset=TaskPart.objects.select_related("task", "department", "unit")
    )
    task_services.task_sign_for(actor=request.user, part=part)
    return TaskPart.objects.select_related("department").get(pk=part.pk)


@router.post("/tasks/{int:pk}/progress", response={201: ReportOut}, url_name="task_progress_api")
def task_progress(request: HttpRequest, pk: int) -> Status:
    """JSON: {"percent": 0–100, "text": "…", "instruction_answer": "…", "part": <part id, optional>}."""
    task = _task(request, pk)
    access.require(request.user, "supervision.report", task.unit)
    try:
        body = ProgressIn(**json_or_form(request))
    except Exception:  # pydantic's ValidationError: a missing or non-integer field
        raise UserError("请填写形象进度（0到100之间的整数）和进展情况") from None
    parts = list(task.parts.select_related("task", "department", "unit").order_by("-role", "id"))
    if body.part is not None:
        part = next((p for p in parts if p.pk == body.part), None)
        if part is None:
            raise UserError("报送单位不是该任务的责任单位", field="part")
    else:
        part = next((p for p in parts if acts_for_part(request.user, p)), parts[0])
    report = progress.task_report_progress(
        actor=request.user,
        part=part,
        percent=body.percent,
        text=body.text,
        instruction_answer=body.instruction_answer,
    )
    return Status(201, report)


class SubmittedOut(Schema):
    id: int
    number: str
    status: str


@router.post("/tasks/{int:pk}/submit", response=SubmittedOut, url_name="task_submit_api")
def task_submit(request: HttpRequest, pk: int) -> Task:
    task = _task(request, pk)
    note = str(json_or_form(request).get("note", ""))[:500]
    return task_services.task_submit(actor=request.user, task=task, note=note)
