"""The 两个责任 dashboard (看板) of a unit and a 班子成员's 以身作则 page.

Who sees what (decisions, issue 7 "Pages" and item 8):
1. The dashboard: the secretary, the 班子成员, the 纪检组长, the office (clerk) and the superior
   (responsibility.dashboard); not the heads and staff (their own items are on the lists and the task pages), never
   the 三员. Every figure comes from the selectors of the records it counts, so each viewer counts only what they
   see: the lists through responsibility.selectors (published lists for the leaders and the superior), risk points
   through integrity.selectors.risk_points, the 四种形态 only for integrity.selectors.can_see_ledger.
2. A scope of several units (a superior, a county secretary) first sees one row per unit (GROUP BY queries only);
   ?unit= opens one unit's dashboard, as supervision's 单位总览 does.
3. The 以身作则 page of a 班子成员 (Person.is_leadership): the leader themself and the other members of the 班子
   (the leader role on the unit), the secretary, the 纪检组长 and the superior (responsibility.example); the office,
   heads and staff get 403, a person outside the scope 404. What the page shows of each record: the items (the
   unit's published lists); each 谈心谈话 and 廉政谈话 as a fact (date, kind, with whom), its summary only to those
   who see the talk itself, and a 提醒谈话 or 约谈 only to them at all; 述责述廉 submitted or not, its 民主测评 only
   to those who see the report; the pledges' year and date (the scan stays in the 廉政档案).

A fixed number of queries whatever the data size: one unit's dashboard reads its lists, their items with tasks
(responsibility.selectors.annotate_progress: the 落实情况 the list pages show), the talk compliance
(services.talks.compliance), one grouped query over the risk points and one over the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qingfeng.integrity import selectors as integrity
from qingfeng.integrity.models import Filing, RiskPoint
from qingfeng.org import access
from qingfeng.org.models import Person, Unit
from qingfeng.org.roles import Role
from qingfeng.responsibility import people
from qingfeng.responsibility import selectors as duties
from qingfeng.responsibility.models import DutyReport, Letter, ResponsibilityItem, ResponsibilityList, Talk
from qingfeng.responsibility.services import talks as talk_services

DASHBOARD_ROLES = (Role.SECRETARY, Role.LEADER, Role.INSPECTOR, Role.CLERK, Role.SUPERIOR)
EXAMPLE_ROLES = (Role.SECRETARY, Role.LEADER, Role.INSPECTOR, Role.SUPERIOR)
KIND_ORDER = list(ResponsibilityList.Kind.values)  # 主体责任, 第一责任人, 一岗双责, 监督责任: the order of the speech


def dashboard_units(user: Any) -> QuerySet[Unit]:
    """The units whose dashboard the user may open (a query filter, never a list of ids)."""
    return Unit.objects.filter(access.units_q(user, roles_=DASHBOARD_ROLES))


def dashboard_unit_for(user: Any, pk: Any) -> Unit:
    """The unit of ?unit= if the user may open its dashboard, else 404 (as if it did not exist)."""
    return access.get_object_for_user(user, Unit, pk, queryset=dashboard_units(user))


def this_year() -> int:
    return timezone.localdate().year


# ------------------------------------------------------------------------------------------------ one unit


@dataclass
class ListRow:
    rlist: ResponsibilityList
    figures: duties.ListFigures
    assigned: int  # items with a supervision task (有完成时限或频次、已发布)


@dataclass
class TalkFigures:
    """Talk compliance of the period in force: pairs (谈话人 → 应谈对象) required, met and missing."""

    rules: list[talk_services.RuleCompliance]
    required: int = 0
    met: int = 0

    @property
    def missing(self) -> int:
        return self.required - self.met

    @property
    def percent(self) -> int | None:
        return round(100 * self.met / self.required) if self.required else None


@dataclass
class Dashboard:
    unit: Unit
    year: int
    years: list[int]
    today: dt.date
    lists: list[ListRow]
    total: duties.ListFigures
    assigned: int
    overdue: list[ResponsibilityItem]  # the overdue items, the longest overdue first
    talks: TalkFigures
    heat: dict[str, Any]
    ledger: list[integrity.FormStat] | None  # None: the viewer may not see the 四种形态
    ledger_total: int
    leaders: list[Person]
    talks_as_of: dt.date


def unit_dashboard(user: Any, unit: Unit, *, year: int | None = None, today: dt.date | None = None) -> Dashboard:
    """One unit's dashboard for `year` (default the current one).

    1. The year's lists the user sees, and their items with 落实情况 (the list pages' own figures).
    2. The talk compliance of the period in force (a past year: as at its 31 December).
    3. The risk heat map of the unit's risk points the user sees; the 四种形态 for those allowed."""
    today = today or timezone.localdate()
    year = year or today.year
    lists = sorted(
        duties.visible_lists(user).filter(unit=unit, year=year),
        key=lambda x: (KIND_ORDER.index(x.kind), x.leader.order if x.leader else 0, x.pk),
    )
    by_list = {x.pk: x for x in lists}
    items = list(
        ResponsibilityItem.objects.filter(rlist_id__in=by_list)
        .select_related("owner_person", "owner_department", "responsible_person", "task")
        .prefetch_related("task__parts")
        .order_by("rlist_id", "seq")
    )
    for item in items:
        item.rlist = by_list[item.rlist_id]
    duties.annotate_progress(items, today=today)
    grouped: dict[int, list[ResponsibilityItem]] = {}
    for item in items:
        grouped.setdefault(item.rlist_id, []).append(item)
    rows = [
        ListRow(x, duties.figures_of(grouped.get(x.pk, [])), sum(1 for i in grouped.get(x.pk, []) if i.task_id))
        for x in lists
    ]
    overdue = [i for i in items if i.progress.label == duties.OVERDUE]
    overdue.sort(key=lambda i: (i.progress.task.deadline or today, i.rlist.kind, i.seq))  # type: ignore[union-attr]

    as_of = today if year >= today.year else dt.date(year, 12, 31)
    rules = talk_services.compliance(unit, today=as_of)
    talks = TalkFigures(rules, sum(len(r.pairs) for r in rules), sum(r.met for r in rules))

    forms = _forms(user, unit, year)
    return Dashboard(
        unit=unit,
        year=year,
        years=_years(user, unit, today.year),
        today=today,
        lists=rows,
        total=duties.figures_of(items),
        assigned=sum(1 for i in items if i.task_id),
        overdue=overdue,
        talks=talks,
        heat=integrity.heat_map(user, unit),
        ledger=forms,
        ledger_total=sum(f.count for f in forms or []),
        leaders=people.leaders(unit),
        talks_as_of=as_of,
    )


def _years(user: Any, unit: Unit, current: int) -> list[int]:
    seen = set(duties.visible_lists(user).filter(unit=unit).order_by().values_list("year", flat=True).distinct()) | {
        current
    }
    return sorted(seen, reverse=True)


def _forms(user: Any, unit: Unit, year: int) -> list[integrity.FormStat] | None:
    """人次 and % per form of the unit's year (one grouped query), or None for those who may not see the ledger."""
    if not integrity.can_see_ledger(user):
        return None
    records = integrity.ledger_records(user, integrity.LedgerFilters(year=year, unit=unit.pk))
    return integrity.form_stats(dict(records.order_by().values_list("form").annotate(n=Count("id"))))


# ------------------------------------------------------------------------------------------------ several units


@dataclass
class UnitRow:
    unit: Unit
    lists: int = 0
    published: int = 0
    items: int = 0
    assigned: int = 0
    overdue: int = 0  # items whose current task is past its deadline (the unit's dashboard's 逾期事项)
    high_risks: int = 0
    ledger: int = 0


@dataclass
class ScopeOverview:
    year: int
    rows: list[UnitRow]
    ledger: bool  # the 四种形态 column is shown
    totals: UnitRow = field(default_factory=lambda: UnitRow(Unit(name="合计")))


def scope_overview(user: Any, *, year: int | None = None, today: dt.date | None = None) -> ScopeOverview:
    """One row per unit of the user's dashboard scope: lists and items of the year, items assigned, items overdue
    (counted in SQL by the rule of the unit's own dashboard, duties.overdue_by_unit), high risk points and (for
    those allowed) the year's 四种形态 人次; the units with the most overdue items first, as the unit's dashboard
    puts its overdue items first. Six grouped queries whatever the number of units."""
    today = today or timezone.localdate()
    year = year or today.year
    units = list(dashboard_units(user).order_by("path"))
    rows = {u.pk: UnitRow(u) for u in units}
    lists = duties.visible_lists(user).filter(year=year).order_by().values("unit_id")
    for r in lists.annotate(n=Count("id"), p=Count("id", filter=Q(status=ResponsibilityList.Status.PUBLISHED))):
        if r["unit_id"] in rows:
            rows[r["unit_id"]].lists, rows[r["unit_id"]].published = r["n"], r["p"]
    items = duties.visible_items(user).filter(rlist__year=year).order_by().values("unit_id")
    for r in items.annotate(n=Count("id"), a=Count("task")):
        if r["unit_id"] in rows:
            rows[r["unit_id"]].items, rows[r["unit_id"]].assigned = r["n"], r["a"]
    for unit_id, n in duties.overdue_by_unit(duties.visible_items(user).filter(rlist__year=year), today=today).items():
        if unit_id in rows:
            rows[unit_id].overdue = n
    risks = integrity.risk_points(user).filter(level=RiskPoint.Level.HIGH).order_by().values("unit_id")
    for r in risks.annotate(n=Count("id")):
        if r["unit_id"] in rows:
            rows[r["unit_id"]].high_risks = r["n"]
    see_ledger = integrity.can_see_ledger(user)
    if see_ledger:
        records = integrity.ledger_records(user, integrity.LedgerFilters(year=year)).order_by().values("unit_id")
        for r in records.annotate(n=Count("id")):
            if r["unit_id"] in rows:
                rows[r["unit_id"]].ledger = r["n"]
    ordered = sorted(rows.values(), key=lambda r: -r.overdue)  # stable: the units' tree order among equals
    out = ScopeOverview(year, ordered, see_ledger)
    for row in out.rows:
        for name in ("lists", "published", "items", "assigned", "overdue", "high_risks", "ledger"):
            setattr(out.totals, name, getattr(out.totals, name) + getattr(row, name))
    return out


# ------------------------------------------------------------------------------------------------ 以身作则


def example_people(user: Any) -> QuerySet[Person]:
    """The 班子成员 whose 以身作则 page the user may open (decision 3)."""
    if not access.can(user, "responsibility.example"):
        return Person.objects.none()
    q = access.units_q(user, roles_=EXAMPLE_ROLES, field="unit")
    return Person.objects.filter(q, is_leadership=True)


def get_example_person(user: Any, pk: Any) -> Person:
    return access.get_object_for_user(
        user, Person, pk, queryset=example_people(user).select_related("unit", "department")
    )


@dataclass
class TalkLine:
    talk: Talk
    other: Person  # the talkee of a talk given, the talker of one received
    shown: bool  # the summary is shown (the viewer sees the talk itself)


@dataclass
class ReportLine:
    report: DutyReport
    shown: bool  # the 民主测评 and the link are shown (the viewer sees the report itself)


@dataclass
class Example:
    person: Person
    year: int
    years: list[int]
    items: list[ResponsibilityItem]
    figures: duties.ListFigures
    given: list[TalkLine]
    received: list[TalkLine]
    duty: list[talk_services.Pair]  # the pairs of this period's talk rules where the person is the talker
    reports: list[ReportLine]
    letter: Letter | None
    pledges: list[Filing]
    file_visible: bool


ROUTINE_TALKS = (Talk.Kind.HEART, Talk.Kind.INTEGRITY)
TALKS_SHOWN = 100  # a year's talks of one leader: far fewer in practice


def example(user: Any, person: Person, *, year: int | None = None, today: dt.date | None = None) -> Example:
    """The record that `person` leads by example, for `year`: a fixed number of queries."""
    today = today or timezone.localdate()
    year = year or today.year
    items = list(duties.items_held(person, year).prefetch_related("task__parts"))
    duties.annotate_progress(items, today=today)

    talks = list(
        Talk.objects.filter(Q(talker=person) | Q(talkee=person), date__year=year)
        .select_related("talker", "talkee")
        .order_by("-date", "-id")[: 2 * TALKS_SHOWN]
    )
    seen = set(
        Talk.objects.filter(access.visible_q(user, Talk), pk__in=[t.pk for t in talks]).values_list("pk", flat=True)
    )
    # A 提醒谈话 or 约谈 says something about its talkee: only those who see the talk itself see that it happened.
    talks = [t for t in talks if t.pk in seen or t.kind in ROUTINE_TALKS]
    given = [TalkLine(t, t.talkee, t.pk in seen) for t in talks if t.talker_id == person.pk][:TALKS_SHOWN]
    received = [TalkLine(t, t.talker, t.pk in seen) for t in talks if t.talkee_id == person.pk][:TALKS_SHOWN]

    duty: list[talk_services.Pair] = []
    if year == today.year:
        for rule in talk_services.compliance(person.unit, today=today):
            duty += [p for p in rule.pairs if p.talker.pk == person.pk]

    reports = list(DutyReport.objects.filter(leader=person).order_by("-year"))
    visible_reports = set(
        DutyReport.objects.filter(access.visible_q(user, DutyReport), leader=person).values_list("pk", flat=True)
    )
    years = set(
        ResponsibilityItem.objects.filter(rlist__status=ResponsibilityList.Status.PUBLISHED)
        .filter(Q(owner_person=person) | Q(responsible_person=person) | Q(rlist__leader=person))
        .order_by()
        .values_list("rlist__year", flat=True)
        .distinct()
    ) | {today.year}
    return Example(
        person=person,
        year=year,
        years=sorted(years, reverse=True),
        items=items,
        figures=duties.figures_of(items),
        given=given,
        received=received,
        duty=duty,
        reports=[ReportLine(r, r.pk in visible_reports) for r in reports],
        letter=Letter.objects.filter(signer=person, year=year).first(),
        pledges=list(Filing.objects.filter(person=person, kind=Filing.Kind.PLEDGE).order_by("-year", "-filed_on")),
        file_visible=integrity.file_people(user).filter(pk=person.pk).exists(),
    )
