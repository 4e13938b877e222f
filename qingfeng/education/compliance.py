"""Compliance: per branch (or unit) and kind, the year's required periods and whether each had its session; the
党组书记's yearly 党课; and sessions_due(), the reminder the worker runs.

sessions_due() reminds a branch's 支部书记 (the office when the branch has none) of a branch kind, and the secretary
and the office of a unit kind, EDUCATION_REMIND_DAYS before a period ends without its session — once per (unit,
branch, kind, year, period): one SessionReminder row each, so a second run or a second worker sends nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import notify
from qingfeng.education import kinds
from qingfeng.education.models import BranchSecretary, SessionReminder, StudySession
from qingfeng.org.models import Branch, RoleAssignment, Unit, User
from qingfeng.org.roles import Role
from qingfeng.supervision.services._common import clerks_of, cn_date

LABELS = {"met": "已完成", "missed": "逾期未开", "due": "即将到期", "open": "待召开", "future": "未到期"}


@dataclass
class PeriodState:
    period: kinds.Period
    held: int
    state: str

    @property
    def label(self) -> str:
        return LABELS[self.state]


@dataclass
class Row:
    """One (branch or unit, kind) line of the compliance page."""

    unit: Unit
    branch: Branch | None
    kind: str
    label: str
    states: list[PeriodState]

    @property
    def missed(self) -> int:
        return sum(1 for s in self.states if s.state == "missed")

    @property
    def current(self) -> PeriodState | None:
        return next((s for s in self.states if s.state in ("due", "open")), None) or next(
            (s for s in reversed(self.states) if s.state in ("met", "missed")), None
        )

    @property
    def owner(self) -> str:
        return self.branch.name if self.branch else self.unit.name


def _state(period: kinds.Period, held: int, today: dt.date) -> str:
    if held:
        return "met"
    if period.end < today:
        return "missed"
    if period.start > today:
        return "future"
    return "due" if (period.end - today).days <= settings.EDUCATION_REMIND_DAYS else "open"


def _secretary_people(unit_ids: list[int]) -> dict[int, set[int]]:
    """unit → the person ids of its 党组书记 (role assignments held directly on the unit)."""
    out: dict[int, set[int]] = {}
    rows = RoleAssignment.objects.filter(
        unit_id__in=unit_ids, role=Role.SECRETARY, revoked_at__isnull=True, user__person__isnull=False
    ).values_list("unit_id", "user__person_id")
    for unit_id, person_id in rows:
        out.setdefault(unit_id, set()).add(person_id)
    return out


def compliance(units: list[Unit], year: int, today: dt.date | None = None) -> list[Row]:
    """Every required (branch or unit, kind) of the units for the year with each period's state: three queries."""
    today = today or timezone.localdate()
    unit_ids = [u.pk for u in units]
    by_unit = {u.pk: u for u in units}
    held: dict[tuple[int, int, str], list[dt.date]] = {}
    lectures: dict[int, list[tuple[dt.date, int | None]]] = {}
    for unit_id, branch_id, kind, day, speaker_id in StudySession.objects.filter(
        unit_id__in=unit_ids, date__year=year
    ).values_list("unit_id", "branch_id", "kind", "date", "speaker_id"):
        held.setdefault((unit_id, branch_id or 0, kind), []).append(day)
        if kind == "lecture":
            lectures.setdefault(unit_id, []).append((day, speaker_id))
    branches = list(Branch.objects.filter(unit_id__in=unit_ids).order_by("unit_id", "order", "pk"))
    secretaries = _secretary_people(unit_ids)
    rows: list[Row] = []
    for unit in units:
        owners: list[Branch | None] = [None, *[b for b in branches if b.unit_id == unit.pk]]
        for owner in owners:
            for kind in kinds.KINDS:
                if kind.branch != (owner is not None):
                    continue
                ps = kinds.periods(kind.code, year)
                if not ps:
                    continue
                days = held.get((unit.pk, owner.pk if owner else 0, kind.code), [])
                states = []
                for p in ps:
                    n = sum(1 for d in days if p.start <= d <= p.end)
                    states.append(PeriodState(p, n, _state(p, n, today)))
                rows.append(Row(by_unit[unit.pk], owner, kind.code, kind.label, states))
        # 党委（党组）书记每年至少讲1次党课 (支部工作条例)
        if unit.pk in secretaries:
            year_period = kinds.Period("secretary_lecture", year, 1, dt.date(year, 1, 1), dt.date(year, 12, 31))
            n = sum(1 for _, speaker in lectures.get(unit.pk, []) if speaker in secretaries[unit.pk])
            rows.append(
                Row(
                    unit,
                    None,
                    "secretary_lecture",
                    "党组书记讲党课",
                    [PeriodState(year_period, n, _state(year_period, n, today))],
                )
            )
    return rows


# --- reminders ------------------------------------------------------------------------------------------------


def sessions_due(today: dt.date | None = None) -> int:
    """Remind of every period ending within EDUCATION_REMIND_DAYS without its session, in each unit with a 党组
    (a secretary granted on it). Returns the number of reminders sent; safe to rerun."""
    today = today or timezone.localdate()
    unit_ids = list(
        RoleAssignment.objects.filter(role=Role.SECRETARY, revoked_at__isnull=True, unit__deleted_at__isnull=True)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    if not unit_ids:
        return 0
    units = list(Unit.objects.filter(pk__in=unit_ids))
    rows = [r for r in compliance(units, today.year, today) if r.kind != "secretary_lecture"]
    sent_before = set(
        SessionReminder.objects.filter(unit_id__in=unit_ids, year=today.year).values_list(
            "unit_id", "branch_key", "kind", "seq"
        )
    )
    leads = {
        row.branch_id: row.person_id
        for row in BranchSecretary.objects.filter(branch__unit_id__in=unit_ids).only("branch_id", "person_id")
    }
    sent = 0
    for row in rows:
        for st in row.states:
            key = (row.unit.pk, row.branch.pk if row.branch else 0, row.kind, st.period.seq)
            if st.state != "due" or key in sent_before:
                continue
            sent += _remind(row, st, leads)
    return sent


def _recipients(row: Row, leads: dict[int, int]) -> list[User]:
    if row.branch is not None:
        lead = leads.get(row.branch.pk)
        users = list(User.objects.filter(person_id=lead, is_active=True)) if lead else []
        return users or clerks_of(row.unit)
    secretaries = User.objects.filter(
        is_active=True,
        role_assignments__unit=row.unit,
        role_assignments__role=Role.SECRETARY,
        role_assignments__revoked_at__isnull=True,
    ).distinct()
    return list({*secretaries, *clerks_of(row.unit)})


def _remind(row: Row, st: PeriodState, leads: dict[int, int]) -> int:
    recipients = _recipients(row, leads)
    try:
        with transaction.atomic():
            SessionReminder.objects.create(
                unit=row.unit,
                branch_key=row.branch.pk if row.branch else 0,
                kind=row.kind,
                year=st.period.year,
                seq=st.period.seq,
                period_end=st.period.end,
                recipients=len(recipients),
            )
            notify.send(
                recipients=recipients,
                title=f"学习教育提醒：{row.owner}{st.period.label}{row.label}尚未召开",
                body=(
                    f"{row.unit.name}{row.owner}{st.period.label}的{row.label}须于{cn_date(st.period.end)}前召开。"
                    "会后请在“学习会议”中登记出席和缺席情况。"
                ),
                link=reverse("education:compliance"),
            )
    except IntegrityError:  # another worker sent it a moment ago
        return 0
    return 1
