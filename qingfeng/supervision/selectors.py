"""Every read of supervision records that needs visibility, joins or aggregation. Each starts from
access.visible_q (a Task is seen through any of its parts' departments: the multi-valued path becomes a pk__in
subquery there, so rows never repeat) and does its own select_related/prefetch_related."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from qingfeng.core.calendar import WorkCalendar
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.org.roles import PERMISSIONS
from qingfeng.supervision import warnings
from qingfeng.supervision.models import ExtensionRequest, Instruction, StyleProblem, Task, TaskEvent, TaskPart

OVERDUE = "overdue"  # a pseudo-status of the filters: open and past the deadline (逾期)


@dataclass
class TaskFilters:
    status: str = ""  # a Task.Status value, or OVERDUE
    department: Department | int | None = None  # any part (lead or partner) of this department
    lead_leader: Person | int | None = None
    deployment: int | None = None
    year: int | None = None
    source: str = ""
    urgent: bool | None = None
    kind: str = ""  # 限期 / 立行立改 / 长期坚持 / 周期性
    q: str = ""
    unit: Unit | int | None = None  # the tasks of this unit (a county's or city's scope holds many)


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


VIEW_PERM = "supervision.view"
# The roles whose grants make up a scope of supervision records: every role that may see them.
VIEW_ROLES = frozenset(role for role, perms in PERMISSIONS.items() if VIEW_PERM in perms)


def spans_units(user: Any) -> bool:
    """Whether the user's supervision scope holds several units (a county's or a city's): lists then name each row's
    unit, and the task list asks for the unit first."""
    grants = [a for a in access.assignments(user) if a.role in VIEW_ROLES]
    return any(a.include_subunits for a in grants) or len({a.unit_id for a in grants}) > 1


def scope_units(user: Any) -> QuerySet[Unit]:
    """The units whose supervision records the user may read: each grant of a role that sees them, with its
    sub-units when the grant includes them (a query filter, never a list of ids)."""
    return Unit.objects.filter(access.units_q(user, roles_=VIEW_ROLES))


def tasks_for(user: Any, filters: TaskFilters | None = None, *, today: dt.date | None = None) -> QuerySet[Task]:
    """The tasks the user may see, filtered, with their people, deployment and parts (lead first) loaded: a
    list page costs a fixed number of queries whatever its length."""
    f = filters or TaskFilters()
    qs = Task.objects.filter(access.visible_q(user, Task))
    if f.status == OVERDUE:
        today = today or timezone.localdate()
        qs = qs.filter(status__in=[Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS], deadline__lt=today)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.department is not None:
        qs = qs.filter(pk__in=TaskPart.objects.filter(department=_pk(f.department)).values("task_id"))
    if f.unit is not None:
        qs = qs.filter(unit=_pk(f.unit))
    if f.lead_leader is not None:
        qs = qs.filter(lead_leader=_pk(f.lead_leader))
    if f.deployment is not None:
        qs = qs.filter(deployment=f.deployment)
    if f.year is not None:
        qs = qs.filter(year=f.year)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.urgent is not None:
        qs = qs.filter(is_urgent=f.urgent)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.q.strip():
        qs = qs.filter(Q(title__icontains=f.q.strip()) | Q(content__icontains=f.q.strip()))
    return qs.select_related("unit", "lead_leader", "responsible_person", "deployment").prefetch_related(
        Prefetch("parts", queryset=TaskPart.objects.select_related("department").order_by("-role", "id"))
    )


# What a line of 我的工作台 or the 督办看板 shows of a task (number, title, deadline, colour): the workbench is the
# page everyone opens first, and loading the people, unit and deployment of each task cost it a third of its time.
ITEM_FIELDS = ("id", "year", "seq", "title", "deadline", "status", "percent", "assigned_at", "submitted_at")


def task_items(user: Any) -> QuerySet[Task]:
    """The visible tasks with only what an item line needs, their parts (for 超时未签收) prefetched."""
    parts = TaskPart.objects.only("id", "task_id", "role", "status", "sign_deadline").order_by("-role", "id")
    return (
        Task.objects.filter(access.visible_q(user, Task))
        .only(*ITEM_FIELDS)
        .prefetch_related(Prefetch("parts", queryset=parts))
    )


def task_rows(user: Any, filters: TaskFilters | None = None, *, now: dt.datetime | None = None) -> list[Task]:
    """tasks_for with each task's 三色预警 colour set (`task.colour`), for lists and the workbench."""
    now = now or timezone.now()
    return warnings.annotate(tasks_for(user, filters, today=timezone.localdate(now)), now=now)


BOARD_LIMIT = 30  # rows per colour on the 督办看板 (the most urgent; 查看全部 opens the list); the counts are whole


@dataclass
class Board:
    red: list[Task]
    yellow: list[Task]
    red_total: int
    yellow_total: int


def _plain_rows(rows: QuerySet) -> Iterator[tuple[Any, ...]]:
    """The rows of a values_list queryset. On PostgreSQL straight from the driver, which already gives dates and
    numbers: Django's per-row converters were a third of the board's time at a city's 35,000 open tasks."""
    if connection.vendor != "postgresql":
        yield from rows.iterator(chunk_size=5000)
        return
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            yield from chunk


def board(user: Any, *, now: dt.datetime | None = None) -> Board:
    """The open tasks the user may see, by 三色预警 colour, most urgent (earliest deadline) first.

    The colours of all of them are worked out from plain values (a city's clerk sees tens of thousands); only the
    first BOARD_LIMIT of each colour are then loaded as tasks with their parts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = WorkCalendar()
    # The tasks with a part unsigned past its limit: one indexed read of the few unsigned parts, not a correlated
    # EXISTS for each of a city's 35,000 open tasks.
    late = set(
        TaskPart.objects.filter(
            access.visible_q(user, TaskPart), status=TaskPart.Status.PENDING_SIGN, sign_deadline__lt=now
        ).values_list("task_id", flat=True)
    )
    # The times as local dates, converted by the database: parsing 35,000 timestamps was a fifth of the page.
    rows = (
        Task.objects.filter(access.visible_q(user, Task), status__in=Task.OPEN_STATUSES)
        .values_list("pk", "status", "deadline", TruncDate("assigned_at"), "percent", TruncDate("submitted_at"))
        .order_by()  # sorted below; the model's 督办编号 order would only add a sort
    )
    shades = warnings.Shades(today, calendar)
    red: list[tuple[Any, int]] = []
    yellow: list[tuple[Any, int]] = []
    never = dt.date.max
    for pk, status, deadline, assigned_day, percent, submitted_day in _plain_rows(rows):
        # An unsigned part counts only while the task waits for signing (as warnings.colour asks it).
        unsigned = pk in late and status != Task.Status.PENDING_REVIEW
        shade = shades.of(status, deadline, assigned_day, percent, submitted_day, unsigned)
        if shade == warnings.RED:
            red.append((deadline or never, pk))
        elif shade == warnings.YELLOW:
            yellow.append((deadline or never, pk))
    red.sort()
    yellow.sort()
    shown = [pk for _, pk in red[:BOARD_LIMIT]] + [pk for _, pk in yellow[:BOARD_LIMIT]]
    loaded = {t.pk: t for t in tasks_for(user).filter(pk__in=shown)}
    red_tasks = [loaded[pk] for _, pk in red[:BOARD_LIMIT] if pk in loaded]
    yellow_tasks = [loaded[pk] for _, pk in yellow[:BOARD_LIMIT] if pk in loaded]
    for task in red_tasks:
        task.colour = warnings.RED
    for task in yellow_tasks:
        task.colour = warnings.YELLOW
    return Board(red_tasks, yellow_tasks, len(red), len(yellow))


def task_timeline(task: Task) -> QuerySet[TaskEvent]:
    """The task's timeline, oldest first (the caller has resolved the task through access)."""
    return TaskEvent.objects.filter(task=task).select_related("actor", "part__department").order_by("occurred_at", "id")


def task_reports(task: Task) -> QuerySet:
    """The progress history (newest first), for the lead leader, the clerk and the responsible units."""
    return task.reports.select_related("author", "part__department").order_by("-created_at", "-id")


def open_instructions(task: Task) -> QuerySet[Instruction]:
    """The 批示 still to be answered, shown at the top of the task."""
    return task.instructions.filter(answered_at__isnull=True).select_related("author").order_by("created_at")


def pending_extension(task: Task) -> ExtensionRequest | None:
    return task.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first()


def overdue_unsigned_counts(user: Any, *, now: dt.datetime | None = None, unit: Unit | None = None) -> list[dict]:
    """超时未签收 per department: open tasks' parts still unsigned after their 事不过夜 limit, counted per
    responsible department among the parts the user may see, most first."""
    now = now or timezone.now()
    qs = TaskPart.objects.filter(
        access.visible_q(user, TaskPart),
        status=TaskPart.Status.PENDING_SIGN,
        sign_deadline__lt=now,
        task__deleted_at__isnull=True,
    ).exclude(task__status=Task.Status.DONE)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return list(
        qs.values("department_id", department_name=F("department__name"), unit_name=F("department__unit__name"))
        .annotate(count=Count("id"))
        .order_by("-count", "department__order", "department_id")
    )


@dataclass
class RankingRow:
    department_id: int
    department: str
    parts: int  # parts assigned to the department (lead and partner)
    sign_due: int  # of which signed, or past their 事不过夜 limit
    signed_in_time: int
    led: int  # tasks the department leads
    closed: int
    judged: int  # led tasks with a deadline that are closed, or open past their ORIGINAL deadline
    on_time: int  # closed by the original deadline
    average_rating: float | None  # 优秀 4 … 较差 1, over the closed led tasks
    rank: int = 0

    @property
    def sign_rate(self) -> float | None:
        return self.signed_in_time / self.sign_due if self.sign_due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.judged if self.judged else None


def department_ranking(
    user: Any, *, unit: Unit, year: int | None = None, now: dt.datetime | None = None
) -> list[RankingRow]:
    """科室排名 over the parts the user may see:
    - 签收及时率: parts signed by their 事不过夜 limit ÷ parts signed or past that limit (all parts);
    - 按期完成率: the department's led tasks closed by their ORIGINAL deadline ÷ led tasks with a deadline that
      are closed or already past the original deadline (an extension does not make a late task on time);
    - 平均评价: the mean 办结评价 score of its closed led tasks.
    Ranked by on-time rate, then average rating, then sign-for rate (no figure counts as the lowest)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # A part belongs to its task's unit; saying so of the task too lets the database find the unit's tasks by
    # index instead of scanning every task of the city to join them (a leader's board: 476 ms → see bench).
    qs = TaskPart.objects.filter(
        access.visible_q(user, TaskPart), unit=unit, task__unit=unit, task__deleted_at__isnull=True
    )
    if year is not None:
        qs = qs.filter(task__year=year)
    lead = Q(role=TaskPart.Role.LEAD)
    done = Q(task__status=Task.Status.DONE)
    rows = (
        qs.values("department_id", "department__name", "department__order")
        .annotate(
            parts=Count("id"),
            sign_due=Count("id", filter=Q(signed_at__isnull=False) | Q(sign_deadline__lt=now)),
            signed_in_time=Count("id", filter=Q(signed_at__isnull=False, signed_at__lte=F("sign_deadline"))),
            led=Count("id", filter=lead),
            closed=Count("id", filter=lead & done),
            judged=Count(
                "id",
                filter=lead
                & ((done & Q(task__on_time__isnull=False)) | (~done & Q(task__original_deadline__lt=today))),
            ),
            on_time=Count("id", filter=lead & done & Q(task__on_time=True)),
            average_rating=Avg("task__rating", filter=lead & done),
        )
        .order_by("department__order", "department_id")
    )
    result = [
        RankingRow(
            department_id=r["department_id"],
            department=r["department__name"],
            parts=r["parts"],
            sign_due=r["sign_due"],
            signed_in_time=r["signed_in_time"],
            led=r["led"],
            closed=r["closed"],
            judged=r["judged"],
            on_time=r["on_time"],
            average_rating=round(float(r["average_rating"]), 2) if r["average_rating"] is not None else None,
        )
        for r in rows
    ]

    def key(row: RankingRow) -> tuple[float, float, float]:
        return (
            -(row.on_time_rate if row.on_time_rate is not None else -1),
            -(row.average_rating if row.average_rating is not None else -1),
            -(row.sign_rate if row.sign_rate is not None else -1),
        )

    result.sort(key=key)  # stable: ties keep the departments' own order
    for i, row in enumerate(result, start=1):
        row.rank = i
    return result


# --- 作风问题 ------------------------------------------------------------------------------------------------


def style_problems_for(user: Any) -> QuerySet[StyleProblem]:
    """The confidential readers' (secretary, 纪检组长, 纪委) and the reporter's own."""
    return (
        StyleProblem.objects.filter(Q(access.visible_q(user, StyleProblem)) | Q(reporter=user))
        .select_related("department", "reporter", "task", "unit")
        .order_by("-created_at", "-id")
    )


def style_problem_for(user: Any, pk: Any) -> StyleProblem:
    try:
        return style_problems_for(user).get(pk=pk)
    except (StyleProblem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("对象不存在") from exc


def reporter_shown(problem: StyleProblem, viewer: Any) -> str:
    """The reporter's name, or 匿名 to anyone but the reporter and the 纪检组长 when anonymity was asked."""
    if (
        not problem.anonymous
        or problem.reporter_id == viewer.pk
        or access.can(viewer, "supervision.style_handle", problem.unit)
    ):
        return str(problem.reporter)
    return "匿名"
