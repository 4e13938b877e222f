"""What the round pages show: the rounds a user sees with their figures, and one round's 问题清单 with its measures
and its dashboard. Every query starts from access.visible_q, so a head sees only the findings and measures of
their department, a leader those they lead or supervise, staff those they are responsible for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from qingfeng.org import access
from qingfeng.rectification.models import Finding, Measure, Round
from qingfeng.rectification.services.rounds import finding_status, measure_status
from qingfeng.supervision import warnings
from qingfeng.supervision.models import Task

CLOSED = "已整改"
LONG_TERM = "长期坚持"


def rate(closed: int, long_open: int, total: int) -> int | None:
    """完成率 in percent: closed measures over the measures that can be closed now. A 长期坚持 measure still open
    counts neither for nor against (as in finding_status); None when nothing is countable."""
    countable = total - long_open
    if countable <= 0:
        return None
    return round(100 * closed / countable)


def visible_rounds(user: Any) -> QuerySet[Round]:
    return Round.objects.filter(access.visible_q(user, Round))


def visible_measures(user: Any) -> QuerySet[Measure]:
    return Measure.objects.filter(access.visible_q(user, Measure))


def round_rows(user: Any, rounds: list[Round]) -> list[Round]:
    """Set findings_count, measures_total, measures_closed, measures_long and percent on each round, counting only
    what the user sees: two queries for any number of rounds."""
    ids = [r.pk for r in rounds]
    findings = dict(
        Finding.objects.filter(access.visible_q(user, Finding), round_id__in=ids)
        .values("round_id")
        .annotate(n=Count("id"))
        .values_list("round_id", "n")
    )
    done = Q(task__status=Task.Status.DONE)
    measures = {
        row["finding__round_id"]: row
        for row in visible_measures(user)
        .filter(finding__round_id__in=ids)
        .values("finding__round_id")
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=done),
            long_open=Count("id", filter=Q(kind=Measure.Kind.LONG_TERM) & ~done),
        )
    }
    for r in rounds:
        row = measures.get(r.pk, {"total": 0, "closed": 0, "long_open": 0})
        r.findings_count = findings.get(r.pk, 0)
        r.measures_total, r.measures_closed, r.measures_long = row["total"], row["closed"], row["long_open"]
        r.percent = rate(row["closed"], row["long_open"], row["total"])
    return rounds


@dataclass
class Tally:
    """One line of the dashboard: a category, a leader or a department."""

    name: str
    total: int = 0
    closed: int = 0
    long_open: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.total - self.closed - self.long_open

    @property
    def percent(self) -> int | None:
        return rate(self.closed, self.long_open, self.total)

    def add(self, measure: Measure) -> None:
        self.total += 1
        if measure.status == CLOSED:
            self.closed += 1
        elif measure.status == LONG_TERM:
            self.long_open += 1
        if measure.overdue:
            self.overdue += 1


@dataclass
class Board:
    findings: list[Finding]
    measures: list[Measure]
    total: Tally
    by_category: list[Tally] = field(default_factory=list)
    by_leader: list[Tally] = field(default_factory=list)
    by_department: list[Tally] = field(default_factory=list)
    overdue: list[Measure] = field(default_factory=list)
    attention: list[Measure] = field(default_factory=list)  # open measures: overdue first, then by deadline


def _tallies(measures: list[Measure], key: Any) -> list[Tally]:
    lines: dict[str, Tally] = {}
    for m in measures:
        name = key(m)
        lines.setdefault(name, Tally(name)).add(m)
    # the lines furthest behind first: overdue, then the lowest completion
    return sorted(lines.values(), key=lambda t: (-t.overdue, t.percent if t.percent is not None else 101, t.name))


def round_board(user: Any, round_: Round, *, today: dt.date | None = None) -> Board:
    """The 问题清单 of the round as the user sees it (each finding with .measures_shown and .status, each measure
    with .status, .overdue and its task's .colour), and the dashboard over those measures."""
    today = today or timezone.localdate()
    measure_qs = (
        visible_measures(user)
        .select_related("lead_leader", "department", "responsible_person", "task")
        .prefetch_related("task__parts")
        .order_by("order", "id")
    )
    findings = list(
        Finding.objects.filter(access.visible_q(user, Finding), round=round_)
        .prefetch_related(Prefetch("measures", queryset=measure_qs, to_attr="measures_shown"))
        .order_by("order", "id")
    )
    measures: list[Measure] = []
    for f in findings:
        for m in f.measures_shown:
            m.finding = f
            m.status = measure_status(m)
            m.overdue = m.task is not None and m.task.is_overdue(today)
            measures.append(m)
        f.status = finding_status(f.measures_shown)
    warnings.annotate([m.task for m in measures if m.task is not None], today=today)
    total = Tally("合计")
    for m in measures:
        total.add(m)
    far = dt.date.max
    attention = sorted(
        (m for m in measures if m.status != CLOSED),
        key=lambda m: (not m.overdue, m.task.deadline if m.task and m.task.deadline else far, m.pk),
    )
    return Board(
        findings=findings,
        measures=measures,
        total=total,
        by_category=_tallies(measures, lambda m: m.finding.category),
        by_leader=_tallies(measures, lambda m: m.lead_leader.name if m.lead_leader else "未指定"),
        by_department=_tallies(measures, lambda m: m.department.name if m.department else "未指定"),
        overdue=[m for m in attention if m.overdue],
        attention=attention,
    )
