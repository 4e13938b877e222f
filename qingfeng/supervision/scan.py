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
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, bulk, notify
from qingfeng.core.calendar import WorkCalendar
from qingfeng.org.models import Department, RoleAssignment, User
from qingfeng.org.roles import Role
from qingfeng.supervision.models import Reminder, Task, TaskEvent, TaskPart

CHUNK = 5000
OPEN = [Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS]
ESCALATION_NAMES = {1: "科室负责人", 2: "牵头领导", 3: "党组书记"}


@dataclass
class ScanResult:
    parts: int = 0
    reminders: int = 0
    notices: int = 0
    by_kind: Counter = field(default_factory=Counter)


class _Row(NamedTuple):
    """The columns of one open part (and of its task) the scan reads: plain values, no model instances."""

    pk: int
    task_id: int
    unit_id: int
    department_id: int
    role: str
    sign_late: bool  # unsigned and past its sign deadline, decided by the database against `now`
    year: int
    seq: int
    title: str
    deadline: dt.date | None
    responsible_person_id: int | None
    lead_leader_id: int
    kind: str
    last_reported_at: dt.datetime | None


_COLUMNS = (
    "pk",
    "task_id",
    "unit_id",
    "department_id",
    "role",
    "sign_late",
    "task__year",
    "task__seq",
    "task__title",
    "task__deadline",
    "task__responsible_person_id",
    "task__lead_leader_id",
    "task__kind",
    "last_reported_at",
)


@dataclass
class _Planned:
    part: _Row
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


class _Scan:
    """What one scan computes once and reuses on every part: the day, the calendar answers per deadline, the
    reminder steps per distance, the departments' names and the task link."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.cal = WorkCalendar()
        self.people = _People()
        self.working_today = self.cal.is_working_day(self.today)
        # 长期坚持 tasks report once a quarter: the current quarter's first day, and as an aware moment.
        self.quarter_start = dt.date(self.today.year, (self.today.month - 1) // 3 * 3 + 1, 1)
        self.quarter_start_at = timezone.make_aware(dt.datetime.combine(self.quarter_start, dt.time.min))
        self.remind_before = sorted(settings.REMIND_BEFORE_WORKING_DAYS)
        self.escalation = list(enumerate(settings.ESCALATION_STEPS, start=1))
        # working_days_between walks the calendar day by day: once per distinct deadline, not once per part.
        self._distance: dict[dt.date, int] = {}
        self.departments = dict(Department.all_objects.values_list("pk", "name"))
        # Values as the database takes them, for bulk.insert_rows.
        ops = connection.ops
        self.now_value = ops.adapt_datetimefield_value(now)
        self.empty_json = ops.adapt_json_value({}, None)
        self._dates: dict[dt.date, object] = {}
        self._labels: dict[tuple[int, ...], tuple[object, str]] = {}
        marker = 918273645
        self._link = reverse("supervision:task_detail", args=[marker]).split(str(marker))

    def distance(self, deadline: dt.date) -> int:
        """Working days left until `deadline` (≥ today) or late since it (< today)."""
        days = self._distance.get(deadline)
        if days is None:
            if deadline >= self.today:
                days = self.cal.working_days_between(self.today, deadline)
            else:
                days = self.cal.working_days_between(deadline, self.today)
            self._distance[deadline] = days
        return days

    def date_value(self, day: dt.date) -> object:
        value = self._dates.get(day)
        if value is None:
            value = self._dates[day] = connection.ops.adapt_datefield_value(day)
        return value

    def labels(self, users: list[User]) -> tuple[object, str]:
        """The reminder's recipients (sorted user names, as the database takes them) and the names for the
        timeline, once per group of recipients: the same few groups recur on every part of a department."""
        key = tuple(u.pk for u in users)
        labels = self._labels.get(key)
        if labels is None:
            labels = self._labels[key] = (
                connection.ops.adapt_json_value(sorted({u.username for u in users}), None),
                "、".join(sorted({str(u) for u in users})) or "无接收人",
            )
        return labels

    def link(self, task_id: int) -> str:
        """Task.get_absolute_url() without a reverse() per notice."""
        return f"{self._link[0]}{task_id}{self._link[1]}"


def _plan(part: _Row, ctx: _Scan) -> list[_Planned]:
    people = ctx.people
    label = f"督〔{part.year}〕{part.seq}号 {part.title}"  # Task.number and Task.__str__
    heads = people.heads.get(part.department_id, [])
    responsible = people.account(part.responsible_person_id) if part.role == TaskPart.Role.LEAD else []
    planned: list[_Planned] = []
    if part.sign_late:
        planned.append(
            _Planned(
                part,
                Reminder.Kind.UNSIGNED,
                0,
                ctx.today,
                heads or people.unit_role(Role.CLERK, part.unit_id),
                f"超时未签收：{label}",
                f"{ctx.departments[part.department_id]}尚未签收，签收时限已过，请立即签收（事不过夜）。",
            )
        )
    deadline = part.deadline
    if deadline is None:
        # 长期坚持: no deadline to press, but a progress report each quarter (巡察整改: "长期坚持 … 每季度报送").
        quiet = part.last_reported_at is None or part.last_reported_at < ctx.quarter_start_at
        if part.kind == Task.Kind.LONG_TERM and part.role == TaskPart.Role.LEAD and quiet:
            planned.append(
                _Planned(
                    part,
                    Reminder.Kind.REPORT,
                    0,
                    ctx.quarter_start,
                    [*responsible, *heads],
                    f"季度进展提醒：{label}",
                    "长期坚持事项须每季度报送一次进展，本季度尚未报送，请及时报送。",
                )
            )
        return planned
    if deadline >= ctx.today:
        left = ctx.distance(deadline)
        steps = [k for k in ctx.remind_before if left <= k]
        if steps:
            planned.append(
                _Planned(
                    part,
                    Reminder.Kind.DUE_SOON,
                    steps[0],
                    deadline,
                    [*responsible, *heads],
                    f"到期提醒：{label}",
                    f"距办理时限还有 {left} 个工作日，请抓紧办理并报送进展。",
                )
            )
        return planned
    late = ctx.distance(deadline)
    if ctx.working_today:
        planned.append(
            _Planned(
                part,
                Reminder.Kind.OVERDUE,
                0,
                ctx.today,
                [*responsible, *heads],
                f"逾期催办：{label}",
                f"已逾期 {late} 个工作日，请立即办理并说明原因。",
            )
        )
    for level, step in ctx.escalation:
        if late < step or level > 3:
            continue
        if level == 1:
            recipients = heads
        elif level == 2:
            recipients = people.account(part.lead_leader_id)
        else:
            recipients = people.unit_role(Role.SECRETARY, part.unit_id)
        planned.append(
            _Planned(
                part,
                Reminder.Kind.ESCALATE,
                level,
                deadline,
                recipients,
                f"逐级督办（{ESCALATION_NAMES[level]}）：{label}",
                f"{ctx.departments[part.department_id]}承办部分已逾期 {late} 个工作日，请督促办理。",
            )
        )
    return planned


def _chunks(now: dt.datetime) -> Iterable[list[_Row]]:
    qs = (
        TaskPart.objects.filter(task__status__in=OPEN, task__deleted_at__isnull=True)
        .exclude(status=TaskPart.Status.DONE)
        .annotate(
            sign_late=ExpressionWrapper(Q(signed_at__isnull=True, sign_deadline__lt=now), output_field=BooleanField())
        )
        .order_by("pk")
        .values_list(*_COLUMNS)
    )
    last = 0
    while True:
        chunk = [_Row._make(row) for row in qs.filter(pk__gt=last)[:CHUNK]]
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _write(planned: list[_Planned], ctx: _Scan, result: ScanResult) -> None:
    if not planned:
        return
    existing = set(
        Reminder.objects.filter(
            part_id__in={p.part.pk for p in planned}, on_date__in={p.on_date for p in planned}
        ).values_list("part_id", "kind", "level", "on_date")
    )
    fresh = [p for p in planned if p.key not in existing]
    if not fresh:
        return
    labels = [ctx.labels(p.recipients) for p in fresh]
    with transaction.atomic():
        bulk.insert_rows(
            Reminder,
            ("task", "part", "unit", "kind", "level", "on_date", "recipients", "created_at"),
            [
                (
                    p.part.task_id,
                    p.part.pk,
                    p.part.unit_id,
                    p.kind,
                    p.level,
                    ctx.date_value(p.on_date),
                    recipients,
                    ctx.now_value,
                )
                for p, (recipients, _) in zip(fresh, labels, strict=True)
            ],
        )
        bulk.insert_rows(
            TaskEvent,
            ("task", "unit", "part", "occurred_at", "kind", "note", "snapshot"),
            [
                (
                    p.part.task_id,
                    p.part.unit_id,
                    p.part.pk,
                    ctx.now_value,
                    TaskEvent.Kind.ESCALATED if p.kind == Reminder.Kind.ESCALATE else TaskEvent.Kind.REMINDED,
                    f"{p.title}（{names}）",
                    ctx.empty_json,
                )
                for p, (_, names) in zip(fresh, labels, strict=True)
            ],
        )
        result.notices += notify.send_many(
            (user, p.title, p.body, ctx.link(p.part.task_id)) for p in fresh for user in {*p.recipients}
        )
    result.reminders += len(fresh)
    result.by_kind.update(p.kind for p in fresh)


def scan(*, now: dt.datetime | None = None) -> ScanResult:
    """One pass over every open part; returns what it sent."""
    ctx, result = _Scan(now or timezone.now()), ScanResult()
    for chunk in _chunks(ctx.now):
        result.parts += len(chunk)
        planned = [p for part in chunk for p in _plan(part, ctx)]
        _write(planned, ctx, result)
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
