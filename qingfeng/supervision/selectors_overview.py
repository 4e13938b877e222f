"""单位总览: the figures a leader reads every morning, for the units (or, within one unit, the departments) the user
sees. Every figure is a conditional COUNT in a GROUP BY over the indexed columns; no task row is ever loaded into
Python, and the number of queries does not depend on how many units, departments or tasks there are:

- the scope's units (1), open tasks per unit (1), tasks closed this year per unit (1), 超时未签收 parts per unit or
  department (1), open 整改措施 per unit or department (1);
- within one unit also: open and closed parts per department (2), the unit's departments (1), and for a leader the
  departments they supervise (1).

Definitions (each the one its module already uses, so that a figure and the list it links to agree):
- 在办: status 待签收, 办理中 or 待审核;
- 逾期: 待签收 or 办理中 and past the (current) deadline, as the task list's 逾期 filter;
- 即将到期: 待签收 or 办理中 with a deadline within DUE_SOON_WORKING_DAYS working days (三色预警's yellow by date);
- 超时未签收: a responsible department's part still unsigned after its 事不过夜 limit, counted per part (as the board);
- 本年办结: closed in the current calendar year (Asia/Shanghai); 按期办结率 = closed_on_time ÷ those with a deadline;
- 整改措施: a rectification measure whose task is open; overdue as the rectification board (Task.is_overdue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qingfeng.org import access
from qingfeng.org.models import Department, Unit
from qingfeng.org.roles import Role
from qingfeng.rectification.selectors import visible_measures
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.selectors import scope_units
from qingfeng.supervision.warnings import due_soon_until

# Who sees every department of a unit (the others see the departments their rows fall in).
WHOLE_UNIT_ROLES = (Role.SECRETARY, Role.INSPECTOR, Role.CLERK, Role.SUPERIOR)

OPEN = tuple(Task.OPEN_STATUSES)
ACTIVE = (Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS)  # the statuses 逾期 applies to (selectors.OVERDUE)


@dataclass
class Figures:
    """One line of the page (or its headline)."""

    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    unsigned: int = 0  # parts, not tasks
    closed: int = 0
    closed_on_time: int = 0
    judged: int = 0  # closed this year with a deadline: the denominator of 按期办结率
    measures_open: int = 0
    measures_overdue: int = 0

    @property
    def on_time_rate(self) -> int | None:
        """按期办结率 in percent, None when nothing closed this year had a deadline."""
        return round(100 * self.closed_on_time / self.judged) if self.judged else None

    @property
    def is_empty(self) -> bool:
        return not (self.open or self.closed or self.unsigned or self.measures_open)

    def add(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if hasattr(self, name) and isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)


@dataclass
class Row:
    pk: int | None
    name: str
    figures: Figures
    order: tuple[Any, ...] = ()  # the natural order among equals (unit path, department order)


@dataclass
class Overview:
    unit: Unit | None  # the one unit shown (drilled down, or the whole scope is one unit); None across units
    units: list[Unit]
    by_unit: bool  # rows are units (the scope spans several) rather than departments
    total: Figures
    rows: list[Row]
    year: int
    today: dt.date
    due_soon_until: dt.date
    now: dt.datetime
    notes: list[str] = field(default_factory=list)


def overview_unit_for(user: Any, pk: Any) -> Unit:
    """The unit of ?unit= if it is in the user's scope, else 404 (as if it did not exist)."""
    return access.get_object_for_user(user, Unit, pk, queryset=scope_units(user))


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, next 1 January) of `year` in the site's time zone (Asia/Shanghai)."""
    tz = timezone.get_default_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def _count(q: Q) -> Count:
    """COUNT(unit_id) FILTER (WHERE q): unit_id is never NULL and is in every index the page reads, so that
    PostgreSQL can answer from the index alone (COUNT(*) cannot carry a filter in Django)."""
    return Count("unit", filter=q)


def _open_counts(today: dt.date, until: dt.date, prefix: str = "") -> dict[str, Count]:
    """在办 / 逾期 / 即将到期 as conditional counts; `prefix` reaches the task from a part ("task__")."""
    status, deadline = f"{prefix}status__in", f"{prefix}deadline"
    return {
        "open": Count("*"),
        "overdue": _count(Q(**{status: ACTIVE, f"{deadline}__lt": today})),
        "due_soon": _count(Q(**{status: ACTIVE, f"{deadline}__gte": today, f"{deadline}__lte": until})),
    }


def _closed_counts(prefix: str = "") -> dict[str, Count]:
    on_time = f"{prefix}on_time"
    return {
        "closed": Count("*"),
        "closed_on_time": _count(Q(**{on_time: True})),
        "judged": _count(Q(**{f"{on_time}__isnull": False})),
    }


def _grouped(qs: QuerySet, key: str, counts: dict[str, Count]) -> dict[Any, dict[str, int]]:
    """{key value: {count name: n}} — one GROUP BY query (order_by() drops the model's ordering from it)."""
    return {row.pop(key): row for row in qs.order_by().values(key).annotate(**counts)}


def _merge(keys: Iterable[Any], *tables: dict[Any, dict[str, int]]) -> dict[Any, Figures]:
    out: dict[Any, Figures] = {}
    for k in keys:
        figures = Figures()
        for table in tables:
            figures.add(table.get(k, {}))
        out[k] = figures
    return out


def _worst_first(rows: list[Row]) -> list[Row]:
    """Most overdue first, then most 超时未签收, most open; ties keep the natural order."""
    return sorted(rows, key=lambda r: (-r.figures.overdue, -r.figures.unsigned, -r.figures.open, r.order))


def overview(user: Any, *, unit: Unit | None = None, now: dt.datetime | None = None) -> Overview:
    """The figures of the user's scope (or of `unit`, a unit of it, and its sub-units in the scope).

    1. The scope's units; several → one row per unit, one → one row per department of that unit.
    2. Tasks the user sees (access.visible_q), grouped by unit: open ones, and those closed this year.
    3. Parts 超时未签收 and open 整改措施 the user sees, grouped by unit or by department.
    4. Within one unit, the tasks of each department (a task counts for its lead and each partner department)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = due_soon_until(today)
    start, end = year_bounds(today.year)

    units_qs = scope_units(user)
    if unit is not None:
        units_qs = units_qs.filter(path__startswith=unit.path)
    units = list(units_qs.order_by("path"))
    by_unit = len(units) > 1
    single = None if by_unit else (units[0] if units else unit)

    def scoped(qs: QuerySet, unit_field: str = "unit") -> QuerySet:
        if single is not None:
            return qs.filter(**{unit_field: single})
        if unit is not None:
            return qs.filter(**{f"{unit_field}__path__startswith": unit.path})
        return qs

    tasks = scoped(Task.objects.filter(access.visible_q(user, Task)))
    task_open = _grouped(tasks.filter(status__in=OPEN), "unit_id", _open_counts(today, until))
    task_closed = _grouped(
        tasks.filter(status=Task.Status.DONE, closed_at__gte=start, closed_at__lt=end), "unit_id", _closed_counts()
    )
    group = "unit_id" if by_unit else "department_id"
    visible_parts = scoped(TaskPart.objects.filter(access.visible_q(user, TaskPart)))
    # No join to the task: closing a task marks all its parts done (task_approve, the 回头看 closure), so a part
    # still 待签收 belongs to an open task; joining made PostgreSQL scan every task of the city.
    unsigned = _grouped(
        visible_parts.filter(status=TaskPart.Status.PENDING_SIGN, sign_deadline__lt=now),
        group,
        {"unsigned": Count("*")},
    )
    measures = _grouped(
        scoped(visible_measures(user).filter(task__status__in=OPEN, task__deleted_at__isnull=True)),
        group,
        {
            "measures_open": Count("*"),
            "measures_overdue": _count(Q(task__deadline__lt=today)),  # Task.is_overdue
        },
    )

    total = Figures()
    for table in (task_open, task_closed, unsigned, measures):
        for values in table.values():
            total.add(values)

    if by_unit:
        figures = _merge([u.pk for u in units], task_open, task_closed, unsigned, measures)
        rows = [Row(u.pk, u.name, figures[u.pk], (u.path,)) for u in units]
    else:
        rows = _department_rows(user, single, visible_parts, today, until, start, end, unsigned, measures)
    return Overview(
        unit=single if single is not None else unit,
        units=units,
        by_unit=by_unit,
        total=total,
        rows=_worst_first(rows),
        year=today.year,
        today=today,
        due_soon_until=until,
        now=now,
    )


def _department_rows(
    user: Any,
    unit: Unit | None,
    parts: QuerySet,
    today: dt.date,
    until: dt.date,
    start: dt.datetime,
    end: dt.datetime,
    unsigned: dict[Any, dict[str, int]],
    measures: dict[Any, dict[str, int]],
) -> list[Row]:
    """One row per department of `unit` that the user has figures for; every department for the whole-unit roles
    (secretary, 纪检组长, office, 上级), and a leader's 分管 departments and a head's own even when they are at zero."""
    if unit is None:
        return []
    # the same unit on the task as on the part: lets the planner start from the task indexes of the unit
    parts = parts.filter(task__unit=unit, task__deleted_at__isnull=True)
    part_open = _grouped(parts.filter(task__status__in=OPEN), "department_id", _open_counts(today, until, "task__"))
    part_closed = _grouped(
        parts.filter(task__status=Task.Status.DONE, task__closed_at__gte=start, task__closed_at__lt=end),
        "department_id",
        _closed_counts("task__"),
    )
    shown = set(part_open) | set(part_closed) | set(unsigned) | set(measures)
    whole = any(access.holds(user, role, unit) for role in WHOLE_UNIT_ROLES)
    person = getattr(user, "person", None)
    if person is not None and not whole:
        if person.department_id and (access.holds(user, Role.HEAD, unit) or access.holds(user, Role.STAFF, unit)):
            shown.add(person.department_id)
        if access.holds(user, Role.LEADER, unit):
            shown |= set(person.supervised_departments.filter(unit=unit).values_list("pk", flat=True))
    qs = Department.objects.filter(unit=unit).order_by("order", "id")
    if not whole:
        qs = qs.filter(pk__in=[pk for pk in shown if pk is not None])  # at most the unit's departments
    departments = list(qs)
    figures = _merge([d.pk for d in departments], part_open, part_closed, unsigned, measures)
    return [Row(d.pk, d.name, figures[d.pk], (d.order, d.pk)) for d in departments]
