"""延期申请: the 牵头单位 asks for a later deadline with a reason; the lead leader or a clerk approves or refuses.
An approval moves `deadline` only: `original_deadline` stays on record and decides the on-time figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import notify
from qingfeng.core.errors import UserError
from qingfeng.supervision.models import ExtensionRequest, Task, TaskEvent
from qingfeng.supervision.services._common import (
    account_of,
    clerks_of,
    cn_date,
    lock,
    record,
    require_lead_unit,
    require_reviewer,
)


@transaction.atomic
def task_extension_request(*, actor: Any, task: Task, requested_deadline: dt.date, reason: str) -> ExtensionRequest:
    lead = require_lead_unit(actor, task, "supervision.extend_request", "申请延期")
    task = lock(task)
    if task.status not in (Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS):
        raise UserError(f"任务当前为“{task.get_status_display()}”，不能申请延期")
    if task.deadline is None:
        raise UserError("长期坚持的任务没有办理时限，无需申请延期")
    if requested_deadline <= task.deadline:
        raise UserError(f"申请延至的日期须晚于现办理时限{cn_date(task.deadline)}", field="requested_deadline")
    reason = reason.strip()
    if not reason:
        raise UserError("请填写延期理由", field="reason")
    if task.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise UserError("该任务已有待审批的延期申请")
    request = ExtensionRequest(
        task=task,
        unit_id=task.unit_id,
        requested_by=actor,
        reason=reason,
        current_deadline=task.deadline,
        requested_deadline=requested_deadline,
    )
    request.full_clean(exclude=["task", "unit", "requested_by"])
    request.save()
    record(
        task=task,
        kind=TaskEvent.Kind.EXTENSION_REQUESTED,
        actor=actor,
        action="task.extension_request",
        part=lead,
        note=reason,
        snapshot={"request": request.pk, "deadline": task.deadline, "requested_deadline": requested_deadline},
        changes={"request": request.pk, "requested_deadline": requested_deadline},
    )
    notify.send(
        recipients=[u for u in [account_of(task.lead_leader), *clerks_of(task.unit)] if u is not None],
        title=f"延期申请待审批：{task.number}",
        body=f"{task.title}\n申请延至{cn_date(requested_deadline)}。理由：{reason}",
        link=task.get_absolute_url(),
    )
    return request


@transaction.atomic
def task_extension_decide(*, actor: Any, request: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    """同意 or 不同意 a pending request; a refusal needs a reason. Stores who, when and a snapshot."""
    task = request.task
    require_reviewer(actor, task, "supervision.extend_decide", "审批延期申请")
    task = lock(task)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionRequest.Status.PENDING:
        raise UserError(f"该延期申请已审批（{request.get_status_display()}）")
    note = note.strip()
    if not approve and not note:
        raise UserError("请填写不同意延期的理由", field="note")
    if approve and not task.is_open:
        raise UserError("任务已办结，不能再延期")
    now = timezone.now()
    before = task.deadline
    if approve:
        task.deadline = request.requested_deadline
        task.save(update_fields=["deadline", "updated_at"])
    request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note[:500]
    request.snapshot = {
        "task": task.number,
        "title": task.title,
        "status": task.status,
        "reason": request.reason,
        "deadline_before": before.isoformat() if before else None,
        "requested_deadline": request.requested_deadline.isoformat(),
        "deadline_after": task.deadline.isoformat() if task.deadline else None,
        "original_deadline": task.original_deadline.isoformat() if task.original_deadline else None,
        "percent": task.percent,
    }
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "snapshot", "updated_at"])
    record(
        task=task,
        kind=TaskEvent.Kind.EXTENSION_APPROVED if approve else TaskEvent.Kind.EXTENSION_REFUSED,
        actor=actor,
        action="task.extension_approve" if approve else "task.extension_refuse",
        note=note,
        snapshot=request.snapshot,
        changes={"request": request.pk, "deadline": [before, task.deadline]},
    )
    notify.send(
        recipients=[request.requested_by],
        title=f"延期申请{'已同意' if approve else '未同意'}：{task.number}",
        body=f"{task.title}\n" + (f"办理时限延至{cn_date(task.deadline)}" if approve else f"理由：{note}"),
        link=task.get_absolute_url(),
    )
    return request
