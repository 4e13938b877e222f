"""进展: a part's responsible people report text and percent with attachments as evidence. The lead part's
report is the task's own progress (形象进度) and must answer every open 批示."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from qingfeng.core import notify
from qingfeng.core.attachments import attachment_create, check_upload
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.supervision.models import Instruction, ProgressReport, Task, TaskEvent, TaskPart
from qingfeng.supervision.services._common import acts_for_part, lock, record


@transaction.atomic
def task_report_progress(
    *,
    actor: Any,
    part: TaskPart,
    percent: int,
    text: str,
    uploads: Sequence[UploadedFile] = (),
    instruction_answer: str = "",
) -> ProgressReport:
    """报送进展 on one part:
    1. the report permission, and the actor acts for the part (its head, or the responsible person);
    2. the part signed and the task 办理中; percent 0–100 and a text; every upload checked before any is stored;
    3. on the lead part, the open 批示 must be answered (`instruction_answer`) and are marked answered;
    4. the report, its attachments, the part's (and for the lead part the task's) percent, the timeline entry
       and the audit event; the 批示's authors are told of the answer."""
    access.require(actor, "supervision.report", part.unit)
    task = lock(part.task)
    part = TaskPart.objects.select_for_update().select_related("department", "task").get(pk=part.pk)
    if not acts_for_part(actor, part):
        raise UserError(f"只有“{part.department.name}”的负责人或本任务责任人可以报送进展")
    if part.status == TaskPart.Status.PENDING_SIGN:
        raise UserError("请先签收，再报送进展")
    if task.status != Task.Status.IN_PROGRESS:
        raise UserError(f"任务当前为“{task.get_status_display()}”，不能报送进展")
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise UserError("形象进度须为0到100之间的整数", field="percent") from None
    if not 0 <= percent <= 100:
        raise UserError("形象进度须为0到100之间的整数", field="percent")
    text = text.strip()
    if not text:
        raise UserError("请填写进展情况", field="text")
    for upload in uploads:
        check_upload(upload)
    open_instructions: list[Instruction] = []
    answer = instruction_answer.strip()
    if part.role == TaskPart.Role.LEAD:
        open_instructions = list(
            task.instructions.filter(answered_at__isnull=True).select_related("author").order_by("created_at")
        )
        if open_instructions and not answer:
            quoted = "；".join(f"“{i.text}”" for i in open_instructions)
            raise UserError(f"请在本次报送中答复领导批示：{quoted}", field="instruction_answer")
    now = timezone.now()
    report = ProgressReport(
        task=task,
        part=part,
        unit_id=task.unit_id,
        author=actor,
        text=text,
        percent=percent,
        instruction_answer=answer if open_instructions else "",
    )
    report.full_clean(exclude=["task", "part", "unit", "author"])
    report.save()
    names = [attachment_create(actor=actor, owner=report, unit=task.unit, upload=u).original_name for u in uploads]
    for instruction in open_instructions:
        instruction.answered_by_report, instruction.answered_at = report, now
        instruction.save(update_fields=["answered_by_report", "answered_at", "updated_at"])
    before = part.percent
    part.percent, part.last_reported_at = percent, now
    part.save(update_fields=["percent", "last_reported_at", "updated_at"])
    if part.role == TaskPart.Role.LEAD:
        task.percent, task.last_reported_at = percent, now
        task.save(update_fields=["percent", "last_reported_at", "updated_at"])
    record(
        task=task,
        kind=TaskEvent.Kind.REPORTED,
        actor=actor,
        action="task.report_progress",
        part=part,
        note=text,
        snapshot={
            "report": report.pk,
            "percent": percent,
            "attachments": names,
            "answered_instructions": [i.pk for i in open_instructions],
        },
        changes={"percent": [before, percent], "report": report.pk, "attachments": names},
    )
    authors = [i.author for i in open_instructions]
    if authors:
        notify.send(
            recipients=authors,
            title=f"批示已答复：{task.number}",
            body=f"{task.title}\n答复：{answer}",
            link=task.get_absolute_url(),
        )
    return report
