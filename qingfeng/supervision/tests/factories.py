"""Test helpers for supervision: a settable clock, drafts and tasks made through the services (so every row
has its parts, timeline and audit events as in real use)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qingfeng.org.models import Person
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services import tasks as task_services
from qingfeng.supervision.services.tasks import TaskDraft

SH = ZoneInfo("Asia/Shanghai")
D = dt.date
MONDAY = dt.datetime(2023, 9, 4, 10, 0, tzinfo=SH)  # a working Monday, in office hours


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


class Clock:
    """timezone.now() for the services under test; starts at MONDAY 10:00."""

    def __init__(self) -> None:
        self.moment = MONDAY

    def set(self, moment: dt.datetime) -> dt.datetime:
        self.moment = moment
        return moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(timezone, "now", c)
    return c


def person(no: str) -> Person:
    return Person.objects.get(employee_no=no)


def zhao() -> Person:
    """赵春生, a deputy who supervises 建筑管理股 and 城建股 and has no account of the cast."""
    return person("QHZJL03")


def draft(cast, **overrides) -> TaskDraft:  # type: ignore[no-untyped-def]
    values = {
        "title": "落实财务报销审核制度",
        "content": "对照制度逐项检查报销审核流程",
        "lead_department": cast.departments["财务股"],
        "lead_leader": cast.users["leader"].person,
        "deadline": D(2023, 9, 28),
        "responsible_person": cast.users["staff"].person,
    }
    values.update(overrides)
    return TaskDraft(**values)


def make_task(cast, *, source: str = Task.Source.SUPERIOR, **overrides) -> Task:  # type: ignore[no-untyped-def]
    return task_services.task_create(
        actor=cast.users["clerk"], unit=cast.bureau, draft=draft(cast, **overrides), source=source
    )


def lead_part(task: Task) -> TaskPart:
    return TaskPart.objects.select_related("task", "department").get(task=task, role=TaskPart.Role.LEAD)


def part_of(task: Task, department_name: str) -> TaskPart:
    return TaskPart.objects.select_related("task", "department").get(task=task, department__name=department_name)


def signed_task(cast, **overrides) -> Task:  # type: ignore[no-untyped-def]
    task = make_task(cast, **overrides)
    task_services.task_sign_for(actor=cast.users["head"], part=lead_part(task))
    return Task.objects.get(pk=task.pk)


def submitted_task(cast, **overrides) -> Task:  # type: ignore[no-untyped-def]
    from qingfeng.supervision.services.progress import task_report_progress

    task = signed_task(cast, **overrides)
    task_report_progress(actor=cast.users["head"], part=lead_part(task), percent=100, text="已全部完成")
    task_services.task_submit(actor=cast.users["head"], task=task)
    return Task.objects.get(pk=task.pk)


def text_upload(name: str = "证明材料.txt", body: str = "报销审核台账已建立") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode(), content_type="text/plain")
