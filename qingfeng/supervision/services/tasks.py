"""督办事项: 交办 (create with its parts), 签收, 提交审核, 办结 (approve with a rating) and 退回.

Decisions (see also models.py):
1. A task has one part per responsible department. Each part is signed for on its own, by the department's
   head or by the task's responsible person when that person belongs to the department.
2. The task becomes 办理中 when its lead part is signed. Partner parts do not move the task's status, but an
   unsigned partner part past its 事不过夜 limit turns the task red and counts as 超时未签收 for its department;
   the task cannot be submitted for review until every part has signed.
3. The 牵头单位 (its head, or the responsible person) submits for review, asks for extensions and answers 批示.
4. The lead leader, or a clerk of the unit acting for them, approves (办结, with a rating) or returns.
5. "On time" is decided when the task is approved: the date of the approved submission against the ORIGINAL
   deadline (extensions move `deadline`, never `original_deadline`); a slow review does not make a unit late.
6. Missing permission codes raise PermissionDenied; a user who holds the code but has no relation to the task or
   part gets a UserError saying who may act."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import notify
from qingfeng.core.calendar import WorkCalendar
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.supervision.models import Deployment, Task, TaskCounter, TaskEvent, TaskPart
from qingfeng.supervision.services._common import (
    account_of,
    acts_for_part,
    clerks_of,
    cn_date,
    heads_of,
    lock,
    record,
    require_lead_unit,
    require_reviewer,
    task_snapshot,
)


@dataclass
class TaskDraft:
    """One row of a reviewed 任务分解表 (or one 上级交办 item), with its people and departments resolved."""

    title: str
    lead_department: Department | None
    lead_leader: Person | None
    deadline: dt.date | None
    content: str = ""
    partner_departments: list[Department] = field(default_factory=list)
    responsible_person: Person | None = None
    kind: str = Task.Kind.LIMITED
    is_urgent: bool = False
    recurrence: str = ""  # 每月/每季度/每半年/每年 for a 周期性 task (monthly when left empty)
    recurs_until: dt.date | None = None  # a 周期性 task's last period ends by this day (None: no end)


def refresh_drafts(drafts: list[TaskDraft]) -> None:
    """Re-read the drafts' people and departments from the database (two queries for any number of rows): a
    form or a reviewed table may hold objects loaded before someone left or a department was removed."""
    people = {p.pk: p for p in Person.all_objects.filter(pk__in=_ids(drafts, "people"))}
    departments = {d.pk: d for d in Department.all_objects.filter(pk__in=_ids(drafts, "departments"))}
    for d in drafts:
        d.lead_leader = people.get(d.lead_leader.pk) if d.lead_leader else None
        d.responsible_person = people.get(d.responsible_person.pk) if d.responsible_person else None
        d.lead_department = departments.get(d.lead_department.pk) if d.lead_department else None
        d.partner_departments = [departments[p.pk] for p in d.partner_departments if p.pk in departments]


def _ids(drafts: list[TaskDraft], kind: str) -> set[int]:
    if kind == "people":
        return {p.pk for d in drafts for p in (d.lead_leader, d.responsible_person) if p is not None}
    return {x.pk for d in drafts for x in [d.lead_department, *d.partner_departments] if x is not None}


def draft_problems(unit: Unit, draft: TaskDraft, *, earliest: dt.date, earliest_label: str) -> list[str]:
    """Every problem of one draft (call refresh_drafts first), in Chinese; empty when it can be assigned."""
    problems: list[str] = []
    if not draft.title.strip():
        problems.append("工作任务不能为空")
    if draft.kind not in Task.Kind.values:
        problems.append(f"任务类型“{draft.kind}”无效")
    dept = draft.lead_department
    if dept is None:
        problems.append("请选择牵头单位")
    elif dept.unit_id != unit.pk or dept.is_deleted:
        problems.append(f"牵头单位“{dept.name}”不是本单位的科室")
    seen = {dept.pk} if dept is not None else set()
    for partner in draft.partner_departments:
        if partner.unit_id != unit.pk or partner.is_deleted:
            problems.append(f"配合单位“{partner.name}”不是本单位的科室")
        elif partner.pk in seen:
            problems.append(f"配合单位“{partner.name}”与牵头单位或其他配合单位重复")
        seen.add(partner.pk)
    leader = draft.lead_leader
    if leader is None:
        problems.append("请选择牵头领导")
    elif leader.unit_id != unit.pk or leader.is_deleted:
        problems.append(f"牵头领导“{leader.name}”不是本单位人员")
    elif leader.status != Person.Status.ACTIVE:
        problems.append(f"牵头领导“{leader.name}”已离岗，不能交办")
    elif not leader.is_leadership:
        problems.append(f"牵头领导“{leader.name}”不是班子成员")
    person = draft.responsible_person
    if person is not None:
        if person.unit_id != unit.pk or person.is_deleted:
            problems.append(f"责任人“{person.name}”不是本单位人员")
        elif person.status != Person.Status.ACTIVE:
            problems.append(f"责任人“{person.name}”已离岗，不能交办")
        elif dept is not None and person.department_id != dept.pk:
            problems.append(f"责任人“{person.name}”不在牵头单位“{dept.name}”")
    if draft.deadline is None:
        if draft.kind != Task.Kind.LONG_TERM:
            problems.append("请填写完成时限（只有长期坚持的任务可以不填）")
    elif draft.deadline < earliest:
        problems.append(f"完成时限{cn_date(draft.deadline)}早于{earliest_label}{cn_date(earliest)}")
    return problems


def _next_seq(unit: Unit, year: int) -> int:
    """The next 督办编号 of the unit's year; the counter row is locked until the transaction ends."""
    TaskCounter.objects.get_or_create(unit=unit, year=year)
    counter = TaskCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _assign(
    *,
    actor: Any,
    unit: Unit,
    draft: TaskDraft,
    source: str,
    source_ref: str = "",
    deployment: Deployment | None = None,
    parent: Task | None = None,
    calendar: WorkCalendar,
) -> Task:
    """Create the task and its parts, assigned now; 事不过夜: each part must be signed by the end of this working
    day (after hours or on a day off: the end of the next working day)."""
    now = timezone.now()
    sign_deadline = calendar.end_of_working_day(now)
    year = timezone.localtime(now).year
    task = Task(
        unit=unit,
        year=year,
        seq=_next_seq(unit, year),
        title=draft.title.strip(),
        content=draft.content.strip(),
        source=source,
        source_ref=source_ref,
        deployment=deployment,
        parent=parent,
        lead_leader=draft.lead_leader,
        responsible_person=draft.responsible_person,
        kind=draft.kind,
        recurrence=(draft.recurrence or Task.Recurrence.MONTHLY) if draft.kind == Task.Kind.RECURRING else "",
        recurs_until=draft.recurs_until if draft.kind == Task.Kind.RECURRING else None,
        is_urgent=draft.is_urgent,
        deadline=draft.deadline,
        original_deadline=draft.deadline,
        assigned_at=now,
        assigned_by=actor,
        sign_deadline=sign_deadline,
    )
    task.full_clean(exclude=["unit", "lead_leader", "responsible_person", "deployment", "parent", "assigned_by"])
    task.save()
    departments = [(draft.lead_department, TaskPart.Role.LEAD)] + [
        (d, TaskPart.Role.PARTNER) for d in draft.partner_departments
    ]
    TaskPart.objects.bulk_create(
        [
            TaskPart(task=task, unit=unit, department=d, role=role, sign_deadline=sign_deadline)
            for d, role in departments
        ]
    )
    record(
        task=task,
        kind=TaskEvent.Kind.ASSIGNED,
        actor=actor,
        action="task.create",
        snapshot={
            "number": task.number,
            "title": task.title,
            "source": source,
            "lead_leader": draft.lead_leader.name if draft.lead_leader else "",
            "lead_department": draft.lead_department.name if draft.lead_department else "",
            "partner_departments": [d.name for d in draft.partner_departments],
            "responsible_person": draft.responsible_person.name if draft.responsible_person else "",
            "deadline": task.deadline,
            "sign_deadline": sign_deadline,
        },
        changes={
            "number": task.number,
            "title": task.title,
            "deadline": task.deadline,
            "departments": [d.name for d, _ in departments],
        },
    )
    recipients = [u for d, _ in departments for u in heads_of(d)]
    recipients += [u for u in [account_of(draft.responsible_person)] if u is not None]
    if recipients:
        notify.send(
            recipients=recipients,
            title=f"新督办事项待签收：{task.number}",
            body=f"{task.title}\n请于{timezone.localtime(sign_deadline):%Y-%m-%d %H:%M}前签收（事不过夜）。",
            link=task.get_absolute_url(),
        )
    return task


@transaction.atomic
def task_create(
    *,
    actor: Any,
    unit: Unit,
    draft: TaskDraft,
    source: str = Task.Source.SUPERIOR,
    source_ref: str = "",
    parent: Task | None = None,
    assign_perm: str = "supervision.assign",
) -> Task:
    """交办 one task that does not come from a deployment (上级交办, 会议, 信访, 自查, another module), or a
    subtask of `parent`. `assign_perm`: the permission that lets the actor assign it — another module that turns
    its own records into tasks (巡察整改's measures) passes its own (its services check it)."""
    access.require(actor, assign_perm, unit)
    if source not in Task.Source.values or source == Task.Source.DEPLOYMENT:
        raise UserError("请选择任务来源（上级交办、会议、信访、自查或其他模块）")
    today = timezone.localdate()
    refresh_drafts([draft])
    problems = draft_problems(unit, draft, earliest=today, earliest_label="交办日期")
    if parent is not None:
        if parent.unit_id != unit.pk:
            raise UserError("上级任务不属于本单位")
        if not parent.is_open:
            problems.append(f"上级任务{parent.number}已办结，不能再分解子任务")
        if parent.deadline and draft.deadline and draft.deadline > parent.deadline:
            problems.append(f"子任务的完成时限不能晚于上级任务的时限{cn_date(parent.deadline)}")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    return _assign(
        actor=actor,
        unit=unit,
        draft=draft,
        source=source,
        source_ref=source_ref,
        parent=parent,
        calendar=WorkCalendar(),
    )


@transaction.atomic
def task_sign_for(*, actor: Any, part: TaskPart) -> TaskPart:
    """签收 one department's part. The lead part's signing puts the task 办理中."""
    access.require(actor, "supervision.sign", part.unit)
    task = lock(part.task)
    part = TaskPart.objects.select_for_update().select_related("department", "task").get(pk=part.pk)
    if not acts_for_part(actor, part):
        raise UserError(f"只有“{part.department.name}”的负责人或本任务责任人可以签收")
    if part.status != TaskPart.Status.PENDING_SIGN:
        raise UserError(f"“{part.department.name}”已签收该任务，无需重复签收")
    if not task.is_open:
        raise UserError("任务已办结")
    now = timezone.now()
    part.status, part.signed_at, part.signed_by = TaskPart.Status.IN_PROGRESS, now, actor
    part.save(update_fields=["status", "signed_at", "signed_by", "updated_at"])
    before = task.status
    if part.role == TaskPart.Role.LEAD:
        task.status, task.signed_at = Task.Status.IN_PROGRESS, now
        task.save(update_fields=["status", "signed_at", "updated_at"])
    late = part.signed_late
    record(
        task=task,
        kind=TaskEvent.Kind.SIGNED,
        actor=actor,
        action="task.sign_for",
        part=part,
        note="超时签收" if late else "",
        snapshot={"sign_deadline": part.sign_deadline, "signed_at": now, "late": late},
        changes={"status": [before, task.status], "part_status": [TaskPart.Status.PENDING_SIGN, part.status]},
    )
    if task.assigned_by_id and task.assigned_by_id != actor.pk:
        notify.send(
            recipients=[task.assigned_by],
            title=f"{part.department.name}已签收：{task.number}",
            body=task.title,
            link=task.get_absolute_url(),
        )
    return part


@transaction.atomic
def task_submit(*, actor: Any, task: Task, note: str = "") -> Task:
    """提交审核 (ask for 办结). Every part signed, every 批示 answered."""
    lead = require_lead_unit(actor, task, "supervision.report", "提交审核")
    task = lock(task)
    if task.status != Task.Status.IN_PROGRESS:
        raise UserError(f"任务当前为“{task.get_status_display()}”，不能提交审核")
    unsigned = [p.department.name for p in task.parts.select_related("department") if p.signed_at is None]
    if unsigned:
        raise UserError(f"配合单位“{'、'.join(unsigned)}”尚未签收，不能提交审核")
    if task.instructions.filter(answered_at__isnull=True).exists():
        raise UserError("领导批示尚未答复，请在进展报送中答复后再提交审核")
    task.status, task.submitted_at = Task.Status.PENDING_REVIEW, timezone.now()
    task.save(update_fields=["status", "submitted_at", "updated_at"])
    record(
        task=task,
        kind=TaskEvent.Kind.SUBMITTED,
        actor=actor,
        action="task.submit",
        part=lead,
        note=note.strip(),
        snapshot=task_snapshot(task),
        changes={"status": [Task.Status.IN_PROGRESS, task.status]},
    )
    recipients = [u for u in [account_of(task.lead_leader), *clerks_of(task.unit)] if u is not None]
    notify.send(
        recipients=recipients,
        title=f"督办事项待审核：{task.number}",
        body=f"{task.title}\n{lead.department.name}已提交办结审核。",
        link=task.get_absolute_url(),
    )
    return task


def _responsible_accounts(task: Task) -> list[Any]:
    lead = TaskPart.objects.select_related("department").get(task=task, role=TaskPart.Role.LEAD)
    return [*heads_of(lead.department), *[u for u in [account_of(task.responsible_person)] if u is not None]]


@transaction.atomic
def task_approve(*, actor: Any, task: Task, rating: int, remark: str = "") -> Task:
    """办结: approve a task 待审核, with its 办结评价 (优秀/良好/一般/较差) and a remark."""
    require_reviewer(actor, task, "supervision.review", "审核办结")
    task = lock(task)
    if task.status != Task.Status.PENDING_REVIEW:
        raise UserError(f"任务当前为“{task.get_status_display()}”，不能审核办结")
    if rating not in Task.Rating.values:
        raise UserError("请选择办结评价（优秀、良好、一般、较差）", field="rating")
    now = timezone.now()
    completed = timezone.localtime(task.submitted_at or now).date()
    task.status, task.closed_at, task.closed_by = Task.Status.DONE, now, actor
    task.rating, task.rating_remark = rating, remark.strip()[:500]
    task.completed_on = completed
    task.on_time = None if task.original_deadline is None else completed <= task.original_deadline
    task.save(
        update_fields=[
            "status",
            "closed_at",
            "closed_by",
            "rating",
            "rating_remark",
            "completed_on",
            "on_time",
            "updated_at",
        ]
    )
    task.parts.update(status=TaskPart.Status.DONE, updated_at=now)
    snapshot = task_snapshot(task)
    snapshot.update({"rating": rating, "rating_label": Task.Rating(rating).label, "remark": task.rating_remark})
    record(
        task=task,
        kind=TaskEvent.Kind.APPROVED,
        actor=actor,
        action="task.approve",
        note=f"办结评价：{Task.Rating(rating).label}" + (f"。{task.rating_remark}" if task.rating_remark else ""),
        snapshot=snapshot,
        changes={
            "status": [Task.Status.PENDING_REVIEW, Task.Status.DONE],
            "rating": rating,
            "on_time": task.on_time,
        },
    )
    notify.send(
        recipients=_responsible_accounts(task),
        title=f"督办事项已办结：{task.number}",
        body=f"{task.title}\n办结评价：{Task.Rating(rating).label}",
        link=task.get_absolute_url(),
    )
    if task.kind == Task.Kind.RECURRING:
        _next_occurrence(actor=actor, task=task)
    return task


def period_end_after(day: dt.date, recurrence: str) -> dt.date:
    """The last day of the period after the one `day` falls in (next month, quarter, half-year, year)."""
    if recurrence == Task.Recurrence.YEARLY:
        return dt.date(day.year + 1, 12, 31)
    # the last month of the next period, counted from January of day's year
    months = {Task.Recurrence.QUARTERLY: 3, Task.Recurrence.HALF_YEARLY: 6}.get(recurrence)
    target = ((day.month - 1) // months) * months + 2 * months if months else day.month + 1
    year, month = day.year + (target - 1) // 12, (target - 1) % 12 + 1
    first_after = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_after - dt.timedelta(days=1)


def has_successor(task: Task) -> bool:
    """Whether the next occurrence of a 周期性 task has been assigned (it names this one in source_ref)."""
    return Task.objects.filter(unit_id=task.unit_id, source_ref=task.number, kind=Task.Kind.RECURRING).exists()


def _next_occurrence(*, actor: Any, task: Task) -> Task | None:
    """周期性: closing one occurrence assigns the next, for the next period, to the same people. Someone who has
    left or a department gone makes it the clerk's to assign, with a notice saying why. An occurrence has at most
    one successor: a late one closed after the new period started (recurring_periods_start assigned it) gets none."""
    if has_successor(task):
        return None
    deadline = period_end_after(task.deadline or timezone.localdate(), task.recurrence)
    if task.recurs_until is not None and deadline > task.recurs_until:
        return None  # the last period is over (e.g. the end of a yearly responsibility list's year)
    parts = list(task.parts.select_related("department"))
    lead = next((p.department for p in parts if p.role == TaskPart.Role.LEAD), None)
    draft = TaskDraft(
        title=task.title,
        content=task.content,
        lead_department=lead,
        lead_leader=task.lead_leader,
        deadline=deadline,
        partner_departments=[p.department for p in parts if p.role == TaskPart.Role.PARTNER],
        responsible_person=task.responsible_person,
        kind=Task.Kind.RECURRING,
        is_urgent=task.is_urgent,
        recurrence=task.recurrence,
        recurs_until=task.recurs_until,
    )
    refresh_drafts([draft])
    problems = draft_problems(task.unit, draft, earliest=timezone.localdate(), earliest_label="今天")
    if problems:
        notify.send(
            recipients=clerks_of(task.unit),
            title=f"周期性事项下一期未能自动交办：{task.number}",
            body="；".join(problems),
            link=task.get_absolute_url(),
        )
        return None
    return _assign(
        actor=actor,
        unit=task.unit,
        draft=draft,
        source=task.source,
        source_ref=task.number,
        deployment=task.deployment,
        parent=task.parent,
        calendar=WorkCalendar(),
    )


@transaction.atomic
def task_return(*, actor: Any, task: Task, reason: str) -> Task:
    """退回: a task 待审核 goes back to 办理中 with a reason."""
    require_reviewer(actor, task, "supervision.review", "退回")
    task = lock(task)
    if task.status != Task.Status.PENDING_REVIEW:
        raise UserError(f"任务当前为“{task.get_status_display()}”，不能退回")
    reason = reason.strip()
    if not reason:
        raise UserError("请填写退回理由", field="reason")
    snapshot = task_snapshot(task)
    task.status, task.submitted_at = Task.Status.IN_PROGRESS, None
    task.save(update_fields=["status", "submitted_at", "updated_at"])
    record(
        task=task,
        kind=TaskEvent.Kind.RETURNED,
        actor=actor,
        action="task.return",
        note=reason,
        snapshot=snapshot,
        changes={"status": [Task.Status.PENDING_REVIEW, Task.Status.IN_PROGRESS], "reason": reason},
    )
    notify.send(
        recipients=_responsible_accounts(task),
        title=f"督办事项被退回：{task.number}",
        body=f"{task.title}\n退回理由：{reason}",
        link=task.get_absolute_url(),
    )
    return task


def recurring_periods_start(*, today: dt.date | None = None) -> list[Task]:
    """周期性: when a new period starts while the last occurrence is still open (its deadline has passed), the
    next occurrence is assigned anyway, by whoever assigned the last one; the late one stays open and overdue.
    Run by the scan; a task that already has its successor is skipped, so running it twice creates nothing."""
    today = today or timezone.localdate()
    created: list[Task] = []
    candidates = Task.objects.filter(
        kind=Task.Kind.RECURRING, status__in=[Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS], deadline__lt=today
    ).select_related("unit", "assigned_by", "lead_leader", "responsible_person", "parent", "deployment")
    for task in candidates:
        with transaction.atomic():
            locked = lock(task)
            successor = _next_occurrence(actor=locked.assigned_by, task=locked)
            if successor is not None:
                created.append(successor)
    return created
