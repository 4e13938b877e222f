"""三色预警 of a task: pure functions over a task, its (prefetched) parts, a date and the working-day calendar.

- red: an open task past its deadline (逾期), or a part still unsigned past its 事不过夜 limit (超时未签收);
- yellow: due within DUE_SOON_WORKING_DAYS working days, or the reported percent lags the working time elapsed
  by more than LAG_MARGIN percentage points;
- green: otherwise (on track).
A task 待审核 is judged by when it was submitted: red if submitted after its deadline, else green (the unit has
done its part; a slow review must not colour it). A closed task has no colour ("")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qingfeng.core.calendar import WorkCalendar

GREEN, YELLOW, RED = "green", "yellow", "red"
LABELS = {GREEN: "正常", YELLOW: "临期", RED: "逾期"}

DUE_SOON_WORKING_DAYS = 3  # DOMAIN.md: supervision tasks turn yellow within 3 working days
LAG_MARGIN = 10  # percentage points of lag tolerated before the percent counts as behind the time elapsed

_DONE, _PENDING_REVIEW, _PENDING_SIGN = "done", "pending_review", "pending_sign"


def expected_percent(task: Any, today: dt.date, calendar: WorkCalendar) -> int | None:
    """The share of the working time from assignment to deadline that has passed by `today`, in percent; None
    for a task without a deadline."""
    if task.deadline is None:
        return None
    return _expected(task.assigned_at, task.deadline, today, calendar)


def _expected(assigned_at: dt.datetime, deadline: dt.date, today: dt.date, calendar: WorkCalendar) -> int:
    return _expected_days(timezone.localtime(assigned_at).date(), deadline, today, calendar)


def _expected_days(start: dt.date, deadline: dt.date, today: dt.date, calendar: WorkCalendar) -> int:
    total = calendar.working_days_between(start, deadline)
    if total <= 0:
        return 100
    elapsed = min(max(calendar.working_days_between(start, today), 0), total)
    return round(100 * elapsed / total)


def unsigned_overdue(task: Any, today: dt.date, now: dt.datetime | None = None) -> bool:
    """A part still 待签收 past its sign_deadline. Without `now`, only once the limit's day is over."""
    for part in task.parts.all():
        if part.status != _PENDING_SIGN:
            continue
        if now is not None and now > part.sign_deadline:
            return True
        if now is None and timezone.localtime(part.sign_deadline).date() < today:
            return True
    return False


def colour(task: Any, today: dt.date, calendar: WorkCalendar, now: dt.datetime | None = None) -> str:
    """ "green" | "yellow" | "red" for an open task, "" for a closed one."""
    # A closed or submitted task is judged without its parts.
    unsigned = task.status not in (_DONE, _PENDING_REVIEW) and unsigned_overdue(task, today, now)
    return colour_of(
        task.status, task.deadline, task.assigned_at, task.percent, task.submitted_at, unsigned, today, calendar
    )


def colour_of(
    status: str,
    deadline: dt.date | None,
    assigned_at: dt.datetime,
    percent: int,
    submitted_at: dt.datetime | None,
    unsigned_late: bool,
    today: dt.date,
    calendar: WorkCalendar,
) -> str:
    """The colour from a task's fields and whether a part is unsigned past its limit."""
    return shades_for(today, calendar).of(
        status,
        deadline,
        timezone.localtime(assigned_at).date(),
        percent,
        timezone.localtime(submitted_at).date() if submitted_at else None,
        unsigned_late,
    )


def due_soon_until(today: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last deadline that is still 即将到期 today: the day before the (N+1)th working day after today, so that a
    deadline d is due soon exactly when calendar.working_days_between(today, d) <= N."""
    calendar = calendar or WorkCalendar()
    return calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1) - dt.timedelta(days=1)


def shades_for(today: dt.date, calendar: WorkCalendar) -> Shades:
    """The Shades of `today`, kept on the calendar (one calendar is one run of questions: a list, a board)."""
    shades = getattr(calendar, "_shades", None)
    if shades is None or shades.today != today:
        shades = Shades(today, calendar)
        calendar._shades = shades  # type: ignore[attr-defined]
    return shades


class Shades:
    """The colours of many tasks on one day, from plain values with the times as local dates: what the board
    works out over a city's 35,000 open tasks. The due-soon limit is one date for the day, and the expected percent
    is remembered per (assignment day, deadline): the tasks of one deployment share both."""

    def __init__(self, today: dt.date, calendar: WorkCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self.due_soon_until = due_soon_until(today, calendar)
        self._expected: dict[tuple[dt.date, dt.date], int] = {}

    def of(
        self,
        status: str,
        deadline: dt.date | None,
        assigned_day: dt.date,
        percent: int,
        submitted_day: dt.date | None,
        unsigned_late: bool,
    ) -> str:
        if status == _DONE:
            return ""
        today = self.today
        if status == _PENDING_REVIEW:
            return RED if deadline is not None and (submitted_day or today) > deadline else GREEN
        if deadline is not None and today > deadline:
            return RED
        if unsigned_late:
            return RED
        if deadline is not None:
            if deadline <= self.due_soon_until:
                return YELLOW
            if percent + LAG_MARGIN < 100:
                key = (assigned_day, deadline)
                expected = self._expected.get(key)
                if expected is None:
                    expected = self._expected[key] = _expected_days(assigned_day, deadline, today, self.calendar)
                if percent + LAG_MARGIN < expected:
                    return YELLOW
        return GREEN


def annotate(tasks: Any, *, today: dt.date | None = None, now: dt.datetime | None = None) -> list[Any]:
    """Set `.colour` on each task (one calendar for the run) and return them as a list."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    calendar = WorkCalendar()
    rows = list(tasks)
    for task in rows:
        task.colour = colour(task, today, calendar, now)
    return rows
