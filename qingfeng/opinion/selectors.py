"""Reads of 舆情处置: the incidents a user sees (org.access decides), their list filters, an incident's timeline,
the dashboard, and report_figures for the ideology app's half-year report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from qingfeng.core.calendar import WorkCalendar
from qingfeng.opinion.models import (
    STEP_ORDER,
    IncidentStep,
    Level,
    MonitorImport,
    OpinionIncident,
    ResponseStatement,
    SeverityRule,
    Step,
)
from qingfeng.opinion.services import clocks
from qingfeng.org import access
from qingfeng.org.models import Unit

STATUS_CHOICES = [("open", "处置中"), ("closed", "处置完毕")]


def visible_incidents(user: Any) -> QuerySet[OpinionIncident]:
    return OpinionIncident.objects.filter(access.visible_q(user, OpinionIncident))


@dataclass
class IncidentFilters:
    level: int | None = None
    step: str = ""
    status: str = ""  # open / closed
    month: dt.date | None = None  # the first day of a month
    q: str = ""

    @classmethod
    def from_query(cls, get: Any) -> IncidentFilters:
        try:
            level = int(get.get("level", "")) if get.get("level", "") else None
        except ValueError:
            level = None
        month = None
        raw = (get.get("month") or "")[:7]
        try:
            month = dt.date(int(raw[:4]), int(raw[5:7]), 1) if len(raw) == 7 and raw[4] == "-" else None
        except ValueError:
            month = None
        step = get.get("step", "")
        status = get.get("status", "")
        return cls(
            level=level if level in Level.values else None,
            step=step if step in STEP_ORDER else "",
            status=status if status in dict(STATUS_CHOICES) else "",
            month=month,
            q=(get.get("q") or "").strip()[:50],
        )


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def incidents(user: Any, filters: IncidentFilters | None = None) -> QuerySet[OpinionIncident]:
    qs = visible_incidents(user).select_related("unit", "department", "leader")
    f = filters or IncidentFilters()
    if f.level:
        qs = qs.filter(level=f.level)
    if f.step:
        qs = qs.filter(step=f.step)
    if f.status == "open":
        qs = qs.filter(handled_at__isnull=True)
    elif f.status == "closed":
        qs = qs.filter(handled_at__isnull=False)
    if f.month:
        start = timezone.make_aware(dt.datetime.combine(f.month, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(_next_month(f.month), dt.time()))
        qs = qs.filter(found_at__gte=start, found_at__lt=end)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(content__icontains=f.q))
    return qs.order_by("-found_at", "-id")


def incident_for(user: Any, pk: int, *, write: bool = False) -> OpinionIncident:
    return access.get_object_for_user(
        user,
        OpinionIncident,
        pk,
        write=write,
        queryset=OpinionIncident.objects.select_related(
            "unit", "department", "leader", "recorded_by", "suggested_rule", "task"
        ),
    )


def statement_for(user: Any, pk: int, *, write: bool = False) -> ResponseStatement:
    return access.get_object_for_user(
        user,
        ResponseStatement,
        pk,
        write=write,
        queryset=ResponseStatement.objects.select_related("incident", "incident__leader", "unit", "drafted_by"),
    )


def steps_of(incident: OpinionIncident) -> list[IncidentStep]:
    return list(incident.steps.select_related("actor").order_by("at", "id"))


def statements_of(incident: OpinionIncident) -> list[ResponseStatement]:
    return list(incident.statements.select_related("drafted_by", "approved_by", "released_by").order_by("id"))


def mentions_of(incident: OpinionIncident, limit: int = 50) -> list[Any]:
    return list(incident.mention_rows.order_by("published_at", "id")[:limit])


def record_units(user: Any) -> list[Unit]:
    """Units where the user may record incidents (the create form's choice; usually one)."""
    from qingfeng.org.roles import PERMISSIONS

    seen: dict[int, Unit] = {}
    for a in access.assignments(user):
        if "opinion.record" in PERMISSIONS.get(a.role, ()):
            seen.setdefault(a.unit_id, a.unit)
    return list(seen.values())


def managed_unit(user: Any) -> Unit | None:
    """The unit whose rules and imports the user keeps (the first grant with opinion.manage)."""
    return access.unit_with(user, "opinion.manage")


def rules_for(unit: Unit) -> list[SeverityRule]:
    """The unit's rules and the general ones, the unit's first."""
    return list(
        SeverityRule.objects.filter(Q(unit=unit) | Q(unit__isnull=True))
        .select_related("unit")
        .order_by(F("unit").asc(nulls_last=True), "-level", "topic", "id")
    )


def imports_for(user: Any) -> QuerySet[MonitorImport]:
    return (
        MonitorImport.objects.filter(access.visible_q(user, MonitorImport))
        .select_related("uploaded_by", "unit")
        .defer("rows", "preview")
        .order_by("-created_at", "-id")
    )


# --- dashboard ----------------------------------------------------------------------------------------------------

OPEN_SHOWN = 50  # open incidents with their clocks on the dashboard, the most urgent first


@dataclass
class OpenRow:
    incident: OpinionIncident
    clocks: list[dict[str, Any]]
    overdue: bool


def _clock_cells(incident: OpinionIncident, now: dt.datetime, calendar: WorkCalendar) -> list[dict[str, Any]]:
    cells = []
    for clock in clocks.clocks(incident, calendar):
        cells.append(
            {
                "step": clock.step,
                "label": clock.label,
                "limit": clock.spec.text,
                "due_at": clock.due_at,
                "done_at": clock.done_at,
                "state": clock.state(now),
                "text": clock.left_text(now),
            }
        )
    return cells


def timeline_clocks(incident: OpinionIncident, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    return _clock_cells(incident, now or timezone.now(), WorkCalendar())


def dashboard(user: Any, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Open incidents by level with their clocks, incidents per month (the last 12), average hours to 核实 and to
    回应. A fixed number of queries at any scale: counts are GROUP BYs, the clocks only of the OPEN_SHOWN shown."""
    now = now or timezone.now()
    base = visible_incidents(user)
    open_qs = base.filter(handled_at__isnull=True)
    by_level = dict(open_qs.values_list("level").annotate(n=Count("id")).order_by())
    levels = [{"level": v, "label": label, "open": by_level.get(v, 0)} for v, label in reversed(Level.choices)]
    calendar = WorkCalendar()
    shown = list(open_qs.select_related("department", "leader").order_by("-level", "found_at", "id")[:OPEN_SHOWN])
    rows = []
    for incident in shown:
        cells = [c for c in _clock_cells(incident, now, calendar) if c["step"] not in (Step.REVIEWED,)]
        rows.append(OpenRow(incident, cells, any(c["state"] == "overdue" for c in cells)))
    rows.sort(key=lambda r: (not r.overdue, -r.incident.level, r.incident.found_at))
    start_month = dt.date(now.year - 1, now.month, 1)
    start_month = _next_month(start_month)
    since = timezone.make_aware(dt.datetime.combine(start_month, dt.time()))
    per_month = dict(
        base.filter(found_at__gte=since)
        .annotate(m=TruncMonth("found_at"))
        .values_list("m")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {(k.date() if isinstance(k, dt.datetime) else k): v for k, v in per_month.items() if k is not None}
    months, month = [], start_month
    while month <= now.date():
        months.append(
            {"month": f"{month.year}年{month.month}月", "key": month.strftime("%Y-%m"), "count": counts.get(month, 0)}
        )
        month = _next_month(month)
    averages = _average_hours(base.filter(found_at__gte=since))
    return {
        "levels": levels,
        "open_total": sum(by_level.values()),
        "rows": rows,
        "shown": OPEN_SHOWN,
        "months": months,
        "avg_verify_hours": averages["verify"],
        "avg_respond_hours": averages["respond"],
        "chart": {"months": [m["month"] for m in months], "counts": [m["count"] for m in months]},
    }


def _hours(delta: Any) -> float | None:
    if delta is None:
        return None
    if isinstance(delta, dt.timedelta):
        return round(delta.total_seconds() / 3600, 1)
    return round(float(delta) / 3_600_000_000, 1)  # microseconds (SQLite)


def _average_hours(qs: QuerySet[OpinionIncident]) -> dict[str, float | None]:
    span = DurationField()
    row = qs.aggregate(
        verify=Avg(ExpressionWrapper(F("verified_at") - F("found_at"), output_field=span)),
        respond=Avg(ExpressionWrapper(F("responded_at") - F("found_at"), output_field=span)),
    )
    return {"verify": _hours(row["verify"]), "respond": _hours(row["respond"])}


# --- for the ideology app's half-year report ----------------------------------------------------------------------


def report_figures(unit: Unit, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The 舆情 figures of `unit` (and the units below it) for incidents found from `start` to `end` inclusive (local
    dates), for the 意识形态工作情况报告. No visibility filter: the caller decides who reads the report. Shape::

        {
            "total": 12,                      # incidents found in the period
            "by_level": [                     # every level, 特别重大 first
                {"level": 4, "label": "特别重大", "count": 0},
                {"level": 3, "label": "重大", "count": 1}, ...
            ],
            "handled": 10,                    # of them, 处置完毕 by now
            "handled_in_limit": 9,            # 处置完毕 within its limit
            "responded": 11,                  # 回应 recorded
            "responded_in_limit": 10,         # 回应 within its limit (5 h for 重大/特别重大, 48 h otherwise, as set)
            "overdue_open": 1,                # not 处置完毕 and past the limit now
            "avg_hours_to_verify": 2.5,       # from 发现 to 核实, over those verified (None when none)
            "avg_hours_to_respond": 20.0,     # from 发现 to 回应, over those responded (None when none)
        }
    """
    tz_start = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    tz_end = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    qs = OpinionIncident.objects.filter(unit__path__startswith=unit.path, found_at__gte=tz_start, found_at__lt=tz_end)
    by_level = dict(qs.values_list("level").annotate(n=Count("id")).order_by())
    now = timezone.now()
    calendar = WorkCalendar()
    handled = handled_in = responded = responded_in = overdue_open = 0
    fields = ("pk", "level", "found_at", "responded_at", "handled_at")
    for pk, level, found_at, responded_at, handled_at in qs.values_list(*fields).iterator(chunk_size=2000):
        incident = OpinionIncident(
            pk=pk, level=level, found_at=found_at, responded_at=responded_at, handled_at=handled_at
        )
        respond = clocks.limit_of(incident, Step.RESPONDED, calendar)
        handle = clocks.limit_of(incident, Step.HANDLED, calendar)
        if handled_at is not None:
            handled += 1
            handled_in += handle is not None and handled_at <= handle.due_at
        elif handle is not None and now > handle.due_at:
            overdue_open += 1
        if responded_at is not None:
            responded += 1
            responded_in += respond is not None and responded_at <= respond.due_at
    averages = _average_hours(qs)
    return {
        "total": sum(by_level.values()),
        "by_level": [{"level": v, "label": label, "count": by_level.get(v, 0)} for v, label in reversed(Level.choices)],
        "handled": handled,
        "handled_in_limit": int(handled_in),
        "responded": responded,
        "responded_in_limit": int(responded_in),
        "overdue_open": overdue_open,
        "avg_hours_to_verify": averages["verify"],
        "avg_hours_to_respond": averages["respond"],
    }


def open_by_department(user: Any) -> dict[str, int]:
    """Open incidents per department concerned (the dashboard's side list)."""
    counts: dict[str, int] = defaultdict(int)
    rows = (
        visible_incidents(user)
        .filter(handled_at__isnull=True)
        .values_list("department__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    for name, n in rows:
        counts[name or "未确定科室"] += n
    return dict(counts)
