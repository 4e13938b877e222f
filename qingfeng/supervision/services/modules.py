"""Tasks another module made and answers with a record of its own (a 风险点督促检查 completed): the record is the
task's result, so the module closes the task (办结) when it writes it, instead of the 签收 → 提交审核 → 审核办结 steps.
The parts close with it, so the scan's reminders and escalation stop."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import notify
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.supervision.models import Task, TaskEvent, TaskPart
from qingfeng.supervision.services._common import lock, record, task_snapshot
from qingfeng.supervision.services.tasks import _responsible_accounts


@transaction.atomic
def task_close_for_module(*, actor: Any, task: Task, perm: str, note: str) -> Task:
    """办结 a task of source 其他模块 with the module's record that answers it. `perm`: the module's permission that
    let the actor write that record (as task_create's assign_perm). On time against the original deadline; no
    办结评价 (nobody reviewed a submission). A task already closed is left as it is."""
    access.require(actor, perm, task.unit)
    task = lock(task)
    if task.source != Task.Source.MODULE:
        raise UserError(f"{task.number}不是其他模块生成的督办事项，须按签收、提交审核、审核办结的流程办理")
    if task.status == Task.Status.DONE:
        return task
    now = timezone.now()
    previous = task.status
    task.status, task.closed_at, task.closed_by = Task.Status.DONE, now, actor
    task.completed_on = timezone.localtime(now).date()
    task.on_time = None if task.original_deadline is None else task.completed_on <= task.original_deadline
    task.save(update_fields=["status", "closed_at", "closed_by", "completed_on", "on_time", "updated_at"])
    task.parts.update(status=TaskPart.Status.DONE, updated_at=now)
    record(
        task=task,
        kind=TaskEvent.Kind.APPROVED,
        actor=actor,
        action="task.close_for_module",
        note=note.strip(),
        snapshot=task_snapshot(task),
        changes={"status": [previous, Task.Status.DONE], "on_time": task.on_time},
    )
    recipients = [u for u in _responsible_accounts(task) if u.pk != actor.pk]
    if recipients:
        notify.send(
            recipients=recipients,
            title=f"督办事项已办结：{task.number}",
            body=f"{task.title}\n{note.strip()}",
            link=task.get_absolute_url(),
        )
    return task
