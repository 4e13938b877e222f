"""The reminder and escalation scan (催办与逐级督办), run by `qingfeng worker` every few minutes or once by
`qingfeng scan`.

For every open part of every open task (each responsible department is reminded and late on its own part):
1. unsigned past its 事不过夜 limit → 超时未签收 to the department's heads, once per day;
2. due within the configured working days (3 and 1) → 到期提醒, once per deadline and step (an extended deadline
   is reminded again);
3. overdue → 逾期催办 to the responsible person and the department's heads on each working day, and 逐级督办 step by
   step once the part is N working days late: 1 the department head, 2 the lead leader, 3 the secretary.
Every reminder has a unique key (part, kind, level, on_date); the keys already sent are skipped, and a chunk's
reminders, notices and timeline entries are written in one transaction, so a second run or a run after a crash
sends nothing twice (SECURITY.md R3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.calendar import WorkCalendar
from qingfeng.org.models import RoleAssignment, User
from qingfeng.org.roles import Role
from qingfeng.supervision.models import Reminder, Task, TaskEvent, TaskPart

CHUNK = 2000
OPEN = [Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS]
ESCALATION_NAMES = {1: "科室负责人", 2: "牵头领导", 3: "党组书记"}


@dataclass
class ScanResult:
    parts: int = 0
    reminders: int = 0
    notices: int = 0
    by_kind: Counter = field(default_factory=Counter)


@dataclass
class _Planned:
    part: TaskPart
    kind: str
    level: int
    on_date: dt.date
    recipients: list[User]
    title: str
    body: str

    @property
    def key(self) -> tuple[int, str, int, dt.date]:
        return (self.part.pk, self.kind, self.level, self.on_date)


class _People:
    """Who to tell, loaded once per scan: heads by department, secretaries and clerks by unit, accounts by person."""

    def __init__(self) -> None:
        self.heads: dict[int, list[User]] = defaultdict(list)
        self.by_unit: dict[tuple[str, int], list[User]] = defaultdict(list)
        grants = RoleAssignment.objects.filter(
            revoked_at__isnull=True, user__is_active=True, role__in=[Role.HEAD, Role.SECRETARY, Role.CLERK]
        ).select_related("user", "user__person")
        for grant in grants:
            user = grant.user
            if grant.role == Role.HEAD and user.person is not None and user.person.department_id:
                self.heads[user.person.department_id].append(user)
            self.by_unit[(grant.role, grant.unit_id)].append(user)
        self.accounts = {u.person_id: u for u in User.objects.filter(is_active=True, person__isnull=False)}

    def account(self, person_id: int | None) -> list[User]:
        user = self.accounts.get(person_id) if person_id else None
        return [user] if user else []

    def unit_role(self, role: str, unit_id: int) -> list[User]:
        return self.by_unit.get((role, unit_id), [])


def _plan(part: TaskPart, *, now: dt.datetime, today: dt.date, cal: WorkCalendar, people: _People) -> list[_Planned]:
    task = part.task
    label = f"{task.number} {task.title}"
    heads = people.heads.get(part.department_id, [])
    responsible = people.account(task.responsible_person_id) if part.role == TaskPart.Role.LEAD else []
    planned: list[_Planned] = []
    if part.signed_at is None and part.sign_deadline and now > part.sign_deadline:
        planned.append(
            _Planned(
                part,
                Reminder.Kind.UNSIGNED,
                0,
                today,
                heads or people.unit_role(Role.CLERK, part.unit_id),
                f"超时未签收：{label}",
                f"{part.department.name}尚未签收，签收时限已过，请立即签收（事不过夜）。",
            )
        )
    if task.deadline is None:
        return planned
    if task.deadline >= today:
        left = cal.working_days_between(today, task.deadline)
        steps = sorted(k for k in settings.REMIND_BEFORE_WORKING_DAYS if left <= k)
        if steps:
            planned.append(
                _Planned(
                    part,
                    Reminder.Kind.DUE_SOON,
                    steps[0],
                    task.deadline,
                    [*responsible, *heads],
                    f"到期提醒：{label}",
                    f"距办理时限还有 {left} 个工作日，请抓紧办理并报送进展。",
                )
            )
        return planned
    late = cal.working_days_between(task.deadline, today)
    if cal.is_working_day(today):
        planned.append(
            _Planned(
                part,
                Reminder.Kind.OVERDUE,
                0,
                today,
                [*responsible, *heads],
                f"逾期催办：{label}",
                f"已逾期 {late} 个工作日，请立即办理并说明原因。",
            )
        )
    for level, step in enumerate(settings.ESCALATION_STEPS, start=1):
        if late < step or level > 3:
            continue
        recipients = {
            1: heads,
            2: people.account(task.lead_leader_id),
            3: people.unit_role(Role.SECRETARY, part.unit_id),
        }[level]
        planned.append(
            _Planned(
                part,
                Reminder.Kind.ESCALATE,
                level,
                task.deadline,
                recipients,
                f"逐级督办（{ESCALATION_NAMES[level]}）：{label}",
                f"{part.department.name}承办部分已逾期 {late} 个工作日，请督促办理。",
            )
        )
    return planned


def _chunks(now: dt.datetime) -> Iterable[list[TaskPart]]:
    qs = (
        TaskPart.objects.filter(task__status__in=OPEN, task__deleted_at__isnull=True)
        .exclude(status=TaskPart.Status.DONE)
        .select_related("task", "department")
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _write(planned: list[_Planned], now: dt.datetime, result: ScanResult) -> None:
    if not planned:
        return
    existing = set(
        Reminder.objects.filter(part_id__in={p.part.pk for p in planned}).values_list(
            "part_id", "kind", "level", "on_date"
        )
    )
    fresh = [p for p in planned if p.key not in existing]
    if not fresh:
        return
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    task_id=p.part.task_id,
                    part=p.part,
                    unit_id=p.part.unit_id,
                    kind=p.kind,
                    level=p.level,
                    on_date=p.on_date,
                    recipients=sorted({u.username for u in p.recipients}),
                    created_at=now,
                )
                for p in fresh
            ]
        )
        TaskEvent.objects.bulk_create(
            [
                TaskEvent(
                    task_id=p.part.task_id,
                    unit_id=p.part.unit_id,
                    part=p.part,
                    occurred_at=now,
                    kind=TaskEvent.Kind.ESCALATED if p.kind == Reminder.Kind.ESCALATE else TaskEvent.Kind.REMINDED,
                    note=f"{p.title}（{'、'.join(sorted({str(u) for u in p.recipients})) or '无接收人'}）",
                )
                for p in fresh
            ]
        )
        result.notices += notify.send_many(
            (user, p.title, p.body, p.part.task.get_absolute_url()) for p in fresh for user in {*p.recipients}
        )
    result.reminders += len(fresh)
    result.by_kind.update(p.kind for p in fresh)


def scan(*, now: dt.datetime | None = None) -> ScanResult:
    """One pass over every open part; returns what it sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cal, people, result = WorkCalendar(), _People(), ScanResult()
    for chunk in _chunks(now):
        result.parts += len(chunk)
        planned = [p for part in chunk for p in _plan(part, now=now, today=today, cal=cal, people=people)]
        _write(planned, now, result)
    if result.reminders:
        audit.record(
            actor=None,
            action="supervision.scan",
            actor_name="system",
            object_type="supervision",
            changes={"parts": result.parts, "reminders": result.reminders, **dict(result.by_kind)},
        )
    return result


def summary(result: ScanResult) -> str:
    kinds = "，".join(f"{Reminder.Kind(k).label} {n}" for k, n in sorted(result.by_kind.items())) or "无"
    return f"检查 {result.parts} 项承办任务，发出催办 {result.reminders} 条（{kinds}），通知 {result.notices} 条。"
