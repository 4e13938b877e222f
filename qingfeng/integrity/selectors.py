"""What the 廉政建设 pages read. Every query starts from access.visible_q (the 廉政档案's filings are a personal scope:
access.BusinessScope.personal; its list of people is the same rule over Person: file_people_q)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from qingfeng.integrity.models import DisciplineRecord, Filing, RiskCheck, RiskPoint
from qingfeng.org import access
from qingfeng.org.access import BusinessScope
from qingfeng.org.models import Person
from qingfeng.org.roles import Role, reads_ledger
from qingfeng.supervision.services._common import cn_date

# --- 四种形态 ledger ------------------------------------------------------------------------------------------


def can_see_ledger(user: Any) -> bool:
    """The secretary, the 纪检组长 and a superior of kind 纪委 (org/roles.py reads_ledger, the rule the ledger's
    confidential scope also follows in org/access.py); a 组织部 superior holds the same role code but not this right."""
    if not access.can(user, "integrity.ledger_view"):
        return False
    return any(reads_ledger(a.role, a.superior_kind) for a in access.assignments(user))


def require_ledger(user: Any) -> None:
    if not can_see_ledger(user):
        raise PermissionDenied("integrity.ledger_view")


@dataclass
class LedgerFilters:
    year: int | None = None
    form: int | None = None
    unit: int | None = None
    clue_source: str = ""
    q: str = ""  # the person's name: the encrypted texts cannot be searched


def ledger_records(user: Any, filters: LedgerFilters | None = None) -> QuerySet[DisciplineRecord]:
    if not can_see_ledger(user):
        return DisciplineRecord.objects.none()
    f = filters or LedgerFilters()
    qs = DisciplineRecord.objects.filter(access.visible_q(user, DisciplineRecord))
    if f.year:
        qs = qs.filter(date__year=f.year)
    if f.form:
        qs = qs.filter(form=f.form)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.clue_source:
        qs = qs.filter(clue_source=f.clue_source)
    if f.q:
        qs = qs.filter(person__name__contains=f.q)
    return qs.select_related("person", "person__department", "unit").defer("description_enc", "decision_enc")


@dataclass
class FormStat:
    form: int
    label: str
    count: int = 0
    percent: float = 0.0


@dataclass
class UnitStat:
    unit_id: int
    name: str
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[tuple[int, float]]:
        total = self.total
        return [(self.counts.get(f, 0), pct(self.counts.get(f, 0), total)) for f in DisciplineRecord.Form.values]


def pct(part: int, total: int) -> float:
    return round(100 * part / total, 1) if total else 0.0


def form_stats(counts: dict[int, int]) -> list[FormStat]:
    """人次 and % of each of the four forms, from the count per form."""
    total = sum(counts.values())
    return [
        FormStat(value, label, counts.get(value, 0), pct(counts.get(value, 0), total))
        for value, label in DisciplineRecord.Form.choices
    ]


@dataclass
class LedgerStats:
    year: int | None
    total: int
    forms: list[FormStat]
    units: list[UnitStat]
    years: list[int]
    by_year: list[UnitStat] = field(default_factory=list)  # one line per year (unit_id holds the year)


def ledger_stats(user: Any, *, year: int | None = None) -> LedgerStats:
    """人次 and % per form (each record is one 人次), for one year or all, per unit, and per year: three grouped
    queries whatever the number of records."""
    base = ledger_records(user)
    qs = base.filter(date__year=year) if year else base
    rows = qs.order_by().values("unit_id", "unit__name", "form").annotate(n=Count("id"))
    per_form: dict[int, int] = {}
    units: dict[int, UnitStat] = {}
    for row in rows:
        per_form[row["form"]] = per_form.get(row["form"], 0) + row["n"]
        unit = units.setdefault(row["unit_id"], UnitStat(row["unit_id"], row["unit__name"]))
        unit.counts[row["form"]] = row["n"]
    by_year: dict[int, UnitStat] = {}
    for row in base.order_by().annotate(y=ExtractYear("date")).values("y", "form").annotate(n=Count("id")):
        by_year.setdefault(row["y"], UnitStat(row["y"], f"{row['y']}年")).counts[row["form"]] = row["n"]
    years = sorted(by_year, reverse=True)
    units_sorted = sorted(units.values(), key=lambda u: u.name)
    return LedgerStats(
        year,
        sum(per_form.values()),
        form_stats(per_form),
        units_sorted,
        years,
        sorted(by_year.values(), key=lambda u: -u.unit_id),
    )


def ledger_people(user: Any) -> QuerySet[Person]:
    """Whom the ledger keeper may record: active people of the units where they keep it."""
    q = access.units_q(user, roles_={Role.INSPECTOR}, field="unit")
    return Person.objects.filter(q, status=Person.Status.ACTIVE).select_related("department").order_by("order", "id")


# --- 廉政风险点 ------------------------------------------------------------------------------------------------


@dataclass
class RiskFilters:
    area: str = ""
    level: str = ""
    department: int | None = None
    q: str = ""
    review_due: bool = False  # 待复核: the next review date has come (today or earlier)


def review_due_q(today: dt.date | None = None) -> Q:
    from django.utils import timezone

    return Q(next_review_on__lte=today or timezone.localdate())


def risk_points(user: Any, filters: RiskFilters | None = None) -> QuerySet[RiskPoint]:
    f = filters or RiskFilters()
    qs = RiskPoint.objects.filter(access.visible_q(user, RiskPoint))
    if f.area:
        qs = qs.filter(area=f.area)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.q:
        qs = qs.filter(Q(name__contains=f.q) | Q(post__contains=f.q) | Q(description__contains=f.q))
    if f.review_due:
        qs = qs.filter(review_due_q())
    return qs.select_related("department", "owner")


def reviews_due_count(user: Any) -> int:
    """How many risk points the user manages are due for 复核 (for the workbench): one COUNT."""
    if not access.can(user, "integrity.risk_manage"):
        return 0
    units = access.units_q(user, roles_=_risk_manager_roles(), field="unit")
    return RiskPoint.objects.filter(units, review_due_q()).count()


def managed_unit(user: Any) -> Any:
    """The unit whose register the user keeps (where a new point or check goes): the first grant of a risk manager
    role; None for anyone else."""
    return access.unit_with(user, "integrity.risk_manage")


def _risk_manager_roles() -> set[str]:
    from qingfeng.org.roles import PERMISSIONS

    return {role for role, codes in PERMISSIONS.items() if "integrity.risk_manage" in codes}


def point_reviews(point: RiskPoint) -> QuerySet[Any]:
    from qingfeng.integrity.models import RiskReview

    return RiskReview.objects.filter(point=point).select_related("reviewer").order_by("-date", "-id")


LEVELS = [RiskPoint.Level.HIGH, RiskPoint.Level.MEDIUM, RiskPoint.Level.LOW]


def heat_map(user: Any, unit: Any = None) -> dict[str, Any]:
    """Department × level counts for the ECharts heat map (one grouped query), over every unit the user sees or
    one `unit` (the 两个责任 dashboard)."""
    points = risk_points(user) if unit is None else risk_points(user).filter(unit=unit)
    rows = points.order_by().values("department__name", "department__order", "level").annotate(n=Count("id"))
    departments: dict[str, int] = {}
    cells: dict[tuple[str, str], int] = {}
    for row in rows:
        name = row["department__name"] or "（未定科室）"
        departments[name] = row["department__order"] or 0
        cells[(name, row["level"])] = cells.get((name, row["level"]), 0) + row["n"]
    names = sorted(departments, key=lambda n: (departments[n], n))
    data = [[x, y, cells.get((name, level), 0)] for y, name in enumerate(names) for x, level in enumerate(LEVELS)]
    return {
        "levels": [RiskPoint.Level(level).label for level in LEVELS],
        "departments": names,
        "data": data,
        "max": max(cells.values(), default=0),
        "rows": [{"name": n, "cells": [cells.get((n, level), 0) for level in LEVELS]} for n in names],
        "total": sum(cells.values()),
        "high": sum(n for (_, level), n in cells.items() if level == RiskPoint.Level.HIGH),
    }


def check_state_q(state: str, today: dt.date | None = None) -> Q:
    """The checks in one state (RiskCheck.state, in SQL): 已完成, 逾期未完成 (open past the deadline), 待检查."""
    from django.utils import timezone

    today = today or timezone.localdate()
    if state == RiskCheck.State.DONE:
        return Q(completed_at__isnull=False)
    if state == RiskCheck.State.OVERDUE:
        return Q(completed_at__isnull=True, deadline__lt=today)
    return Q(completed_at__isnull=True) & (Q(deadline__isnull=True) | Q(deadline__gte=today))


def risk_checks(user: Any, state: str = "") -> QuerySet[RiskCheck]:
    qs = RiskCheck.objects.filter(access.visible_q(user, RiskCheck))
    if state in RiskCheck.State.values:
        qs = qs.filter(check_state_q(state))
    return qs.select_related("created_by").annotate(
        points_count=Count("points", distinct=True), problems_count=Count("problems", distinct=True)
    )


# --- 廉政档案 --------------------------------------------------------------------------------------------------


# Whose 廉政档案 a user may open: the rule of the filings (Filing.access_scope, personal) read over Person.
FILE_PEOPLE_SCOPE = BusinessScope(unit="unit", department="department", person="pk", personal=True)


def file_people_q(user: Any) -> Q:
    """Their own; a leader's 分管 departments; the whole unit for the secretary and the 纪检组长; the units below for a
    superior. Clerks and heads only their own; the 三员 none."""
    return access.scope_q(user, FILE_PEOPLE_SCOPE, Person)


def file_people(user: Any, *, q: str = "", department: int | None = None) -> QuerySet[Person]:
    if not access.can(user, "integrity.view"):
        return Person.objects.none()
    qs = Person.objects.filter(access.visible_q(user, Person), file_people_q(user))
    if q:
        qs = qs.filter(name__contains=q)
    if department:
        qs = qs.filter(department_id=department)
    return qs.select_related("department", "unit").order_by("unit__path", "order", "id")


def filings_of(user: Any, person: Person) -> QuerySet[Filing]:
    return Filing.objects.filter(access.visible_q(user, Filing), person=person)


def visible_filings(user: Any) -> QuerySet[Filing]:
    return Filing.objects.filter(access.visible_q(user, Filing)).select_related("person")


@dataclass
class Section:
    """One section of a person's 廉政档案 page and .docx: a title, a table header and rows of text. Other modules'
    sections (talks received, responsibility items held) are added by appending to FILE_SECTIONS."""

    key: str
    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # per row: (label, url) of a file, or ("", "")
    edits: list[str] = field(default_factory=list)  # per row: the correction page the viewer may use, or ""

    def labelled(self) -> list[list[tuple[str, str]]]:
        """Each row's cells with their column names (the phone layout shows them as labels)."""
        return [list(zip(self.header, row, strict=False)) for row in self.rows]

    def table(self) -> list[tuple[list[tuple[str, str]], tuple[str, str]]]:
        """(labelled cells, link) per row, for the page."""
        links = self.links or [("", "")] * len(self.rows)
        return list(zip(self.labelled(), links, strict=False))

    def table_with_edits(self) -> list[tuple[list[tuple[str, str]], tuple[str, str], str]]:
        """(labelled cells, link, correction url) per row, for the page."""
        edits = self.edits or [""] * len(self.rows)
        return [(cells, link, edit) for (cells, link), edit in zip(self.table(), edits, strict=False)]


def cn(day: dt.date | None) -> str:
    return cn_date(day, "—")


def _edits(user: Any, filings: list[Filing]) -> list[str]:
    """The correction page of each filing the viewer may still change (services.filings decision 5)."""
    from django.urls import reverse

    from qingfeng.integrity.services.filings import may_change

    return [reverse("integrity:filing_edit", args=[f.pk]) if may_change(user, f) else "" for f in filings]


def _filing_sections(user: Any, person: Person) -> list[Section]:
    filings = list(filings_of(user, person).select_related("unit").order_by("-year", "-filed_on", "-id"))
    by_kind: dict[str, list[Filing]] = {}
    for f in filings:
        by_kind.setdefault(f.kind, []).append(f)
    sections = [
        Section(
            "matters",
            "个人有关事项报告",
            ["年度", "报告日期", "较上年变化", "报告内容"],
            [
                [f"{f.year}年", cn(f.filed_on), "有变化" if f.has_changes else "无变化", f.summary]
                for f in by_kind.get(Filing.Kind.PERSONAL_MATTERS, [])
            ],
        ),
        Section(
            "gift",
            "礼品礼金上交登记",
            ["收受日期", "上交日期", "赠送人", "物品/礼金", "价值（元）"],
            [
                [cn(f.event_date), cn(f.filed_on), f.giver, f.summary, f"{f.value:,.2f}" if f.value is not None else ""]
                for f in by_kind.get(Filing.Kind.GIFT, [])
            ],
        ),
        Section(
            "event",
            "婚丧喜庆事宜报备",
            ["事宜", "举办日期", "报备日期", "规模", "桌数", "礼金收受", "核查"],
            [
                [
                    f.get_event_kind_display(),
                    cn(f.event_date),
                    cn(f.filed_on),
                    f"{f.guests}人" if f.guests is not None else "",
                    f"{f.tables}桌" if f.tables is not None else "",
                    f.gifts_policy,
                    "超过规定规模，已报纪检组长" if f.over_limit else "符合规定",
                ]
                for f in by_kind.get(Filing.Kind.FAMILY_EVENT, [])
            ],
        ),
        Section(
            "pledge",
            "廉洁承诺书",
            ["年度", "签订日期", "说明"],
            [[f"{f.year}年", cn(f.filed_on), f.summary] for f in by_kind.get(Filing.Kind.PLEDGE, [])],
            links=_scans(by_kind.get(Filing.Kind.PLEDGE, [])),
        ),
    ]
    for section in sections:
        section.edits = _edits(user, by_kind.get(section.key, []))
    return sections


def _scans(pledges: list[Filing]) -> list[tuple[str, str]]:
    """The signed scan of each pledge (one query for all), served by core's checked download."""
    if not pledges:
        return []
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from qingfeng.core.models import Attachment

    files = {
        a.owner_id: a
        for a in Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(Filing), owner_id__in=[f.pk for f in pledges]
        )
    }
    return [
        (files[f.pk].original_name, reverse("core:attachment_download", args=[files[f.pk].pk]))
        if f.pk in files
        else ("", "")
        for f in pledges
    ]


def _ledger_section(user: Any, person: Person) -> list[Section]:
    if not can_see_ledger(user):
        return []
    records = ledger_records(user).filter(person=person)
    return [
        Section(
            "ledger",
            "运用监督执纪“四种形态”情况",
            ["日期", "形态", "处理方式", "问题类别", "线索来源", "决定机关"],
            [
                [cn(r.date), r.get_form_display(), r.measure, r.category, r.get_clue_source_display(), r.decided_by]
                for r in records
            ],
            note="本栏仅书记、纪检组长和上级纪委可见；问题描述与处理决定见台账（查看留痕）。",
        )
    ]


# The sections of a 廉政档案, in order: each is (user, person) -> list[Section]. The lead wires in "talks received"
# (responsibility) and "responsibility items held" by appending providers here.
def _responsibility_sections(user: Any, person: Person) -> list[Section]:
    """Talks the person received (those the viewer may see: responsibility's Talk scope) and the items of this
    year's published responsibility lists they hold, with their 落实情况."""
    from django.utils import timezone

    from qingfeng.responsibility import selectors as duties
    from qingfeng.responsibility.models import Talk

    talks = list(duties.talks_received(person).filter(access.visible_q(user, Talk))[:50])
    year = timezone.localdate().year
    items = duties.annotate_progress(list(duties.items_held(person, year).prefetch_related("task__parts")))
    return [
        Section(
            "talks",
            "接受谈话情况",
            ["谈话日期", "类别", "谈话人", "地点", "谈话要点"],
            [[cn(t.date), t.get_kind_display(), t.talker.name, t.place, t.summary] for t in talks],
        ),
        Section(
            "duties",
            f"{year}年承担的责任清单事项",
            ["责任清单", "序号", "责任内容", "完成时限/频次", "落实情况"],
            [[i.rlist.get_kind_display(), str(i.seq), i.content, i.timing, i.progress.label or "—"] for i in items],
        ),
    ]


FILE_SECTIONS: list[Any] = [_filing_sections, _responsibility_sections, _ledger_section]


def file_sections(user: Any, person: Person) -> list[Section]:
    sections: list[Section] = []
    for provider in FILE_SECTIONS:
        sections.extend(provider(user, person))
    return sections
