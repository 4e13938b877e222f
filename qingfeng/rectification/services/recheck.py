"""回头看: a closed (销号) measure is given a recheck date (by default RECHECK_MONTHS after it was closed); on that
date the scan assigns the unit's 纪检组长 a 督办事项 to recheck it; the 纪检组长 records the result. A failed
recheck reopens the measure: a new task goes to its original department, leader and person, and `measure.task`
points to it (the closed task stays on record, named in the audit event).

Decisions:
1. Scheduling is open to whoever manages rectification on the unit; only a measure whose task is 已办结, and not
   while a recheck task is out and unanswered. Scheduling again (after a recheck, or after a failed one has been
   closed again) starts a new recheck: the previous result stays in the audit log.
2. The default date is never before today (a measure closed long ago is rechecked from today on); a date typed
   in may not be before today.
3. The recheck task is assigned on behalf of whoever scheduled it (the round's creator when unknown); its
   deadline is recheck_on + 10 days, or 10 days from the scan when the scan runs late.
4. Recording the result closes the recheck task (办结, on time when within its deadline)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Person, RoleAssignment, Unit
from qingfeng.org.roles import Role
from qingfeng.rectification.models import Measure
from qingfeng.rectification.services.rounds import add_months
from qingfeng.supervision.models import Task, TaskEvent, TaskPart
from qingfeng.supervision.services._common import cn_date, record, task_snapshot
from qingfeng.supervision.services.tasks import TaskDraft, task_create

log = logging.getLogger(__name__)

RECHECK_TASK_DAYS = 10
REOPEN_DAYS = 30


def _lock(measure: Measure) -> Measure:
    return (
        Measure.objects.select_for_update(of=("self",))
        .select_related("task", "unit", "finding", "finding__round", "recheck_task")
        .get(pk=measure.pk)
    )


def default_recheck_date(measure: Measure) -> dt.date | None:
    """The task's closed date + RECHECK_MONTHS months, not before today; None while the measure is open."""
    task = measure.task
    if task is None or task.status != Task.Status.DONE or task.closed_at is None:
        return None
    default = add_months(timezone.localtime(task.closed_at).date(), settings.RECHECK_MONTHS)
    return max(default, timezone.localdate())


def recheck_due(measure: Measure, today: dt.date | None = None) -> bool:
    """The recheck date has come and no result is recorded yet."""
    today = today or timezone.localdate()
    return measure.recheck_on is not None and measure.recheck_on <= today and not measure.recheck_result


def recheck_pending(measure: Measure) -> bool:
    """A recheck task is out and its result not yet recorded."""
    return measure.recheck_task_id is not None and not measure.recheck_result


def annotate(measures: list[Measure]) -> None:
    """For the round page: each measure's .recheck_due, .recheck_default and its recheck task (one query)."""
    tasks = Task.objects.in_bulk([m.recheck_task_id for m in measures if m.recheck_task_id is not None])
    today = timezone.localdate()
    for m in measures:
        if m.recheck_task_id is not None:
            m.recheck_task = tasks.get(m.recheck_task_id)
        m.recheck_due = recheck_due(m, today) and m.task is not None and m.task.status == Task.Status.DONE
        m.recheck_default = default_recheck_date(m)


@transaction.atomic
def measure_schedule_recheck(*, actor: Any, measure: Measure, on: dt.date | None = None) -> Measure:
    access.require(actor, "rectification.manage", measure.unit)
    measure = _lock(measure)
    task = measure.task
    if task is None or task.status != Task.Status.DONE:
        raise UserError("只有已销号（已办结）的整改措施才能设定回头看日期")
    if recheck_pending(measure):
        raise UserError(f"回头看已交办（{measure.recheck_task.number}），待纪检组长回头看后才能重新设定日期")
    today = timezone.localdate()
    on = on or default_recheck_date(measure)
    assert on is not None
    if on < today:
        raise UserError(f"回头看日期{cn_date(on)}不能早于今天{cn_date(today)}", field="on")
    previous = {"recheck_on": measure.recheck_on, "recheck_result": measure.recheck_result}
    measure.recheck_on, measure.recheck_scheduled_by = on, actor
    measure.recheck_task = None
    measure.recheck_result, measure.recheck_note, measure.rechecked_at, measure.rechecked_by = "", "", None, None
    measure.save(
        update_fields=[
            "recheck_on",
            "recheck_scheduled_by",
            "recheck_task",
            "recheck_result",
            "recheck_note",
            "rechecked_at",
            "rechecked_by",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action="measure.recheck_schedule",
        obj=measure,
        changes={"recheck_on": on, "task": task.number, "previous": previous},
    )
    return measure


def _holder(unit: Unit, role: str) -> Person | None:
    """The active person of an active account holding `role` on the unit itself (the first by account)."""
    grant = (
        RoleAssignment.objects.filter(
            unit=unit,
            role=role,
            revoked_at__isnull=True,
            user__is_active=True,
            user__person__isnull=False,
            user__person__status=Person.Status.ACTIVE,
            user__person__deleted_at__isnull=True,
        )
        .select_related("user__person")
        .order_by("user_id")
        .first()
    )
    return grant.user.person if grant is not None else None


def _recheck_draft(measure: Measure, today: dt.date) -> TaskDraft | None:
    inspector = _holder(measure.unit, Role.INSPECTOR)
    if inspector is None:
        return None
    leader = inspector if inspector.is_leadership else _holder(measure.unit, Role.SECRETARY)
    finding = measure.finding
    deadline = max(measure.recheck_on + dt.timedelta(days=RECHECK_TASK_DAYS), today + dt.timedelta(days=1))
    return TaskDraft(
        title=f"回头看：{measure.text}"[:200],
        content=(
            f"{finding.round.name} 问题{finding.number}（{finding.category}）：{finding.description}\n"
            f"整改措施：{measure.text}\n原督办事项：{measure.task.number}（已销号）\n"
            "请核查整改成效是否巩固，在整改轮次页面记录回头看结果。"
        ),
        lead_department=inspector.department,
        lead_leader=leader,
        deadline=deadline,
        responsible_person=inspector,
    )


def rechecks_due(*, today: dt.date | None = None) -> list[Measure]:
    """Assign the recheck task of every closed measure whose recheck date has come (run by the scan). A measure
    that has its recheck task is skipped, so running it twice creates nothing. A measure that cannot be assigned
    now (no 纪检组长, the scheduler has lost the role…) is logged and tried again on the next scan."""
    today = today or timezone.localdate()
    done: list[Measure] = []
    candidates = Measure.objects.filter(
        recheck_on__lte=today, recheck_task__isnull=True, recheck_result="", task__status=Task.Status.DONE
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        try:
            with transaction.atomic():
                measure = (
                    Measure.objects.select_for_update(of=("self",))
                    .select_related("task", "unit", "finding__round__created_by", "recheck_scheduled_by")
                    .get(pk=pk)
                )
                if measure.recheck_task_id is not None or measure.task.status != Task.Status.DONE:
                    continue
                draft = _recheck_draft(measure, today)
                if draft is None:
                    log.warning("回头看：单位%s没有纪检组长，措施%s暂不能交办", measure.unit, measure.pk)
                    continue
                actor = measure.recheck_scheduled_by or measure.finding.round.created_by
                task = task_create(
                    actor=actor,
                    unit=measure.unit,
                    draft=draft,
                    source=Task.Source.MODULE,
                    source_ref=f"回头看·问题{measure.finding.number}",
                    assign_perm="rectification.manage",
                )
                measure.recheck_task = task
                measure.save(update_fields=["recheck_task", "updated_at"])
                audit.record(
                    actor=actor,
                    action="measure.recheck_assign",
                    obj=measure,
                    changes={"recheck_on": measure.recheck_on, "recheck_task": task.number},
                )
                done.append(measure)
        except (UserError, PermissionDenied) as exc:
            log.warning("回头看：措施%s暂不能交办：%s", pk, exc)
    return done


def _close_recheck_task(*, actor: Any, task: Task, passed: bool, note: str) -> None:
    """The recheck task is answered by the result itself: 办结 now (its parts too)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == Task.Status.DONE:
        return
    now = timezone.now()
    previous = task.status
    task.status, task.closed_at, task.closed_by = Task.Status.DONE, now, actor
    task.completed_on = timezone.localtime(now).date()
    task.on_time = None if task.original_deadline is None else task.completed_on <= task.original_deadline
    task.save(update_fields=["status", "closed_at", "closed_by", "completed_on", "on_time", "updated_at"])
    task.parts.update(status=TaskPart.Status.DONE, updated_at=now)
    label = "回头看通过" if passed else "回头看未通过"
    record(
        task=task,
        kind=TaskEvent.Kind.APPROVED,
        actor=actor,
        action="task.approve",
        note=f"{label}" + (f"：{note}" if note else ""),
        snapshot=task_snapshot(task),
        changes={"status": [previous, Task.Status.DONE], "recheck": "passed" if passed else "failed"},
    )


@transaction.atomic
def measure_recheck(*, actor: Any, measure: Measure, passed: bool, note: str = "") -> Measure:
    """The 纪检组长 records the recheck. Failed: the measure reopens with a new task for its original department,
    leader and person, carrying what the recheck found."""
    if not access.holds(actor, Role.INSPECTOR, measure.unit):
        raise PermissionDenied("rectification.recheck")
    measure = _lock(measure)
    note = note.strip()
    today = timezone.localdate()
    if measure.recheck_result:
        raise UserError(f"该措施已回头看（{measure.get_recheck_result_display()}），不能重复记录")
    if measure.task is None or measure.task.status != Task.Status.DONE:
        raise UserError("该措施尚未销号，不能回头看")
    if measure.recheck_on is None:
        raise UserError("该措施尚未设定回头看日期")
    if measure.recheck_on > today:
        raise UserError(f"回头看日期为{cn_date(measure.recheck_on)}，尚未到期")
    if not passed and not note:
        raise UserError("回头看未通过时，请写明发现的问题", field="note")
    old_task = measure.task
    changes: dict[str, Any] = {"result": "passed" if passed else "failed", "note": note, "task": old_task.number}
    if not passed:
        round_ = measure.finding.round
        draft = TaskDraft(
            title=f"【{round_.name}整改·回头看】{measure.text}"[:200],
            content=f"回头看未通过：{note}\n问题{measure.finding.number}：{measure.finding.description}\n"
            f"整改措施：{measure.text}\n原督办事项：{old_task.number}",
            lead_department=measure.department,
            lead_leader=measure.lead_leader,
            deadline=today + dt.timedelta(days=REOPEN_DAYS),
            responsible_person=measure.responsible_person,
        )
        new_task = task_create(
            actor=actor,
            unit=measure.unit,
            draft=draft,
            source=Task.Source.MODULE,
            source_ref=f"{round_.name}·问题{measure.finding.number}·回头看",
            assign_perm="rectification.manage",
        )
        changes.update({"old_task_id": old_task.pk, "new_task": new_task.number, "new_task_id": new_task.pk})
        measure.task = new_task
    measure.recheck_result = Measure.RecheckResult.PASSED if passed else Measure.RecheckResult.FAILED
    measure.recheck_note, measure.rechecked_at, measure.rechecked_by = note, timezone.now(), actor
    measure.save(update_fields=["task", "recheck_result", "recheck_note", "rechecked_at", "rechecked_by", "updated_at"])
    if measure.recheck_task is not None:
        _close_recheck_task(actor=actor, task=measure.recheck_task, passed=passed, note=note)
        changes["recheck_task"] = measure.recheck_task.number
    audit.record(actor=actor, action="measure.recheck", obj=measure, changes=changes)
    return measure
