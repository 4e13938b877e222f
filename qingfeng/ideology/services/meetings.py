"""研判 meetings of the 党组: 专题研究 of ideology work (at least IDEOLOGY_STUDY_PER_YEAR a year, spread evenly: with 2,
the first by the end of June and the second by the end of December) and 形势分析研判 (one in each period of
IDEOLOGY_ANALYSIS_MONTHS months). A meeting's follow-up is a supervision task (task_create, source 其他模块).

The year's periods, what each needs and whether it was held are computed here (periods, compliance) for the
dashboard; meetings_due() reminds the secretary and the office of a period ending without its meeting, once per
(unit, kind, year, period): the worker calls it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.ideology.models import Meeting, MeetingReminder
from qingfeng.org import access
from qingfeng.org.models import Department, Person, RoleAssignment, Unit, User
from qingfeng.org.roles import Role
from qingfeng.supervision.models import Task
from qingfeng.supervision.services._common import clerks_of, cn_date
from qingfeng.supervision.services.tasks import TaskDraft, task_create

MANAGE = "ideology.manage"
Kind = Meeting.Kind
ANALYSIS_MONTHS_ALLOWED = (1, 2, 3, 4, 6, 12)


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    date: dt.date | None,
    topics: str,
    conclusions: str,
    participants: list[Person],
    place: str = "",
    host: Person | None = None,
) -> Meeting:
    """Record a 专题研究 or 形势分析研判 meeting that was held (not one planned: the date is not after today)."""
    access.require(actor, MANAGE, unit)
    problems: list[str] = []
    if kind not in Kind.values:
        problems.append("请选择会议类别（专题研究或形势分析研判）")
    if date is None:
        problems.append("请填写会议日期")
    elif date > timezone.localdate():
        problems.append("会议日期不能晚于今天（登记已召开的会议）")
    elif date.year < 2000:
        problems.append("会议日期无效")
    if not participants:
        problems.append("请选择参会人员")
    elif any(p.unit_id != unit.pk for p in participants):
        problems.append("参会人员须为本单位人员")
    if host is not None and host.unit_id != unit.pk:
        problems.append("主持人须为本单位人员")
    if not topics.strip():
        problems.append("请填写议题")
    if not conclusions.strip():
        problems.append("请填写研究结论")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    meeting = Meeting.objects.create(
        unit=unit,
        kind=kind,
        date=date,
        place=place.strip()[:100],
        host=host,
        topics=topics.strip(),
        conclusions=conclusions.strip(),
        recorded_by=actor,
    )
    meeting.participants.set(participants)
    audit.record(
        actor=actor,
        action="ideology_meeting.create",
        obj=meeting,
        changes={"kind": kind, "date": date, "participants": [p.name for p in participants], "topics": topics[:200]},
    )
    return meeting


@transaction.atomic
def meeting_follow_up(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    department: Department | None,
    deadline: dt.date | None,
    lead_leader: Person | None = None,
    responsible_person: Person | None = None,
) -> Task:
    """A follow-up task (落实事项) of the meeting, assigned as a 督办事项 to a department: under the leader chosen, or
    else the leader who 分管s the department."""
    access.require(actor, MANAGE, meeting.unit)
    if not title.strip():
        raise UserError("请填写落实事项", field="title")
    if department is None or department.unit_id != meeting.unit_id:
        raise UserError("请选择本单位的牵头科室", field="department")
    if lead_leader is None:
        lead_leader = (
            department.supervising_leaders.filter(is_leadership=True, status=Person.Status.ACTIVE)
            .order_by("order", "pk")
            .first()
        )
        if lead_leader is None:
            raise UserError(f"科室“{department.name}”没有分管领导，请选择牵头领导", field="lead_leader")
    draft = TaskDraft(
        title=f"【意识形态{meeting.get_kind_display()}】{title.strip()[:120]}",
        content=f"{meeting}确定的落实事项：{title.strip()}\n议题：{meeting.topics[:300]}",
        lead_department=department,
        lead_leader=lead_leader,
        deadline=deadline,
        responsible_person=responsible_person,
    )
    task = task_create(
        actor=actor,
        unit=meeting.unit,
        draft=draft,
        source=Task.Source.MODULE,
        source_ref=str(meeting)[:100],
        assign_perm=MANAGE,
    )
    meeting.tasks.add(task)
    audit.record(
        actor=actor,
        action="ideology_meeting.follow_up",
        obj=meeting,
        changes={"task": task.number, "title": task.title, "department": department.name},
    )
    return task


# --- the year's periods and compliance ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    seq: int
    start: dt.date
    end: dt.date
    count_from: dt.date  # meetings of the kind held from this day to `end` count
    required: int
    label: str


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _span(first: int, last: int) -> str:
    if (first, last) == (1, 12):
        return "全年"
    if (first, last) in ((1, 6), (7, 12)):
        return "上半年" if first == 1 else "下半年"
    if last - first == 2 and first % 3 == 1:
        return f"第{'一二三四'[first // 3]}季度"
    return f"{first}月" if first == last else f"{first}—{last}月"


def periods(year: int) -> list[Period]:
    """The year's required meetings: the 专题研究 (the k-th by the end of its share of the year, counted from
    January) and the 形势分析研判 (one within each period)."""
    n = max(1, min(12, settings.IDEOLOGY_STUDY_PER_YEAR))
    months = settings.IDEOLOGY_ANALYSIS_MONTHS if settings.IDEOLOGY_ANALYSIS_MONTHS in ANALYSIS_MONTHS_ALLOWED else 6
    out = []
    for k in range(1, n + 1):
        first, last = -(-12 * (k - 1) // n) + 1, -(-12 * k // n)
        label = f"{_span(first, last)}专题研究" + (f"（全年第{k}次）" if n > 2 else "")
        out.append(
            Period(Kind.STUDY, year, k, dt.date(year, first, 1), _month_end(year, last), dt.date(year, 1, 1), k, label)
        )
    for k in range(1, 12 // months + 1):
        first, last = (k - 1) * months + 1, k * months
        start = dt.date(year, first, 1)
        label = f"{_span(first, last)}形势分析研判"
        out.append(Period(Kind.ANALYSIS, year, k, start, _month_end(year, last), start, 1, label))
    return out


@dataclass
class PeriodState:
    period: Period
    held: int
    state: str  # met 已召开, missed 未召开 (red), due 即将到期 (yellow), open 待召开, future 未到期

    LABELS = {"met": "已召开", "missed": "逾期未召开", "due": "即将到期", "open": "待召开", "future": "未到期"}

    @property
    def label(self) -> str:
        return self.LABELS[self.state]


def _state(period: Period, held: int, today: dt.date) -> str:
    if held >= period.required:
        return "met"
    if period.end < today:
        return "missed"
    if period.start > today:
        return "future"
    return "due" if (period.end - today).days <= settings.IDEOLOGY_REMIND_DAYS else "open"


def meeting_dates(unit_ids: list[int], year: int) -> dict[tuple[int, str], list[dt.date]]:
    """(unit, kind) → the dates of the year's meetings: one query."""
    out: dict[tuple[int, str], list[dt.date]] = {}
    rows = Meeting.objects.filter(unit_id__in=unit_ids, date__year=year).values_list("unit_id", "kind", "date")
    for unit_id, kind, day in rows:
        out.setdefault((unit_id, kind), []).append(day)
    return out


def compliance(unit_ids: list[int], year: int, today: dt.date | None = None) -> dict[int, list[PeriodState]]:
    """Each unit's required meetings of the year with their state."""
    today = today or timezone.localdate()
    dates = meeting_dates(unit_ids, year)
    result: dict[int, list[PeriodState]] = {}
    for unit_id in unit_ids:
        states = []
        for p in periods(year):
            held = sum(1 for d in dates.get((unit_id, p.kind), []) if p.count_from <= d <= p.end)
            states.append(PeriodState(p, held, _state(p, held, today)))
        result[unit_id] = states
    return result


def meetings_due(today: dt.date | None = None) -> int:
    """Remind the secretary and the office of each unit with a 党组 (a secretary granted on it) of every period
    ending within IDEOLOGY_REMIND_DAYS without its meeting. One MeetingReminder row per (unit, kind, year, period):
    a second run, or a second worker, sends nothing. Returns the number of reminders sent."""
    today = today or timezone.localdate()
    days = settings.IDEOLOGY_REMIND_DAYS
    due = [p for p in periods(today.year) if p.end - dt.timedelta(days=days) <= today <= p.end]
    if not due:
        return 0
    unit_ids = list(
        RoleAssignment.objects.filter(role=Role.SECRETARY, revoked_at__isnull=True, unit__deleted_at__isnull=True)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    if not unit_ids:
        return 0
    states = compliance(unit_ids, today.year, today)
    sent_before = set(
        MeetingReminder.objects.filter(unit_id__in=unit_ids, year=today.year).values_list("unit_id", "kind", "seq")
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    sent = 0
    for unit_id in unit_ids:
        for st in states[unit_id]:
            p = st.period
            if st.state == "met" or p not in due or (unit_id, p.kind, p.seq) in sent_before:
                continue
            sent += _remind(units[unit_id], p, st.held)
    return sent


def _recipients(unit: Unit) -> list[User]:
    secretaries = User.objects.filter(
        is_active=True,
        role_assignments__unit=unit,
        role_assignments__role=Role.SECRETARY,
        role_assignments__revoked_at__isnull=True,
    ).distinct()
    return list({*secretaries, *clerks_of(unit)})


def _remind(unit: Unit, period: Period, held: int) -> int:
    recipients = _recipients(unit)
    try:
        with transaction.atomic():
            MeetingReminder.objects.create(
                unit=unit,
                kind=period.kind,
                year=period.year,
                seq=period.seq,
                period_end=period.end,
                recipients=len(recipients),
            )
            still = f"，本年已召开{held}次" if period.kind == Kind.STUDY and held else ""
            notify.send(
                recipients=recipients,
                title=f"意识形态工作提醒：{period.year}年{period.label}尚未召开",
                body=(
                    f"{unit.name}{period.year}年{period.label}须于{cn_date(period.end)}前召开{still}。"
                    "请安排党组会议研究，会后在“研判会议”中登记。"
                ),
                link=reverse("ideology:meeting_list"),
            )
    except IntegrityError:  # another worker sent it a moment ago
        return 0
    return 1
