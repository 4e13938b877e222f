"""The clocks of an incident: each step's limit from the moment it was found (settings.OPINION_LIMITS, after 国办发
〔2016〕61号 and 80号), the time left or how late, and `clocks_due`, which reminds before a limit passes and escalates
when it is missed.

1. A limit in hours ("1h") is plain clock time: found on Saturday at 21:40, 报告 is due at 22:40 that Saturday (舆情
   does not wait for Monday). A limit in working days ("10wd") ends at the end of the working day that many working
   days after the day it was found (core.calendar: holidays and 调休 count as the State Council sets them).
2. 重大 and 特别重大 run against the "_major" limits, and have one more: the press conference (新闻发布会).
3. clocks_due(now) — run by `qingfeng worker` — sends, for every limit of an incident not yet 复盘 whose step is not
   recorded: a reminder once OPINION_REMIND_PERCENT of the limit's time has passed (to whoever recorded it and the
   office), an escalation once it is missed (to the leader on duty — the 分管 leader of the department concerned,
   else the secretary — the office and the recorder). One ClockAlert row per (incident, step, kind) with a unique
   constraint: a second run, or two at once, sends nothing twice; a limit already missed gets no late reminder."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingfeng.core import notify
from qingfeng.core.calendar import WorkCalendar, work_end
from qingfeng.opinion.models import MAJOR_LEVELS, ClockAlert, OpinionIncident, Step

log = logging.getLogger(__name__)
_SPEC = re.compile(r"^\s*(\d{1,4})\s*(h|wd)\s*$")
# The steps that have a limit, in the order they are shown; PRESS only for 重大/特别重大.
TIMED_STEPS = [Step.REPORTED, Step.VERIFIED, Step.ASSESSED, Step.RESPONDED, Step.PRESS, Step.HANDLED, Step.REVIEWED]
_KEY = {
    Step.REPORTED: "report",
    Step.VERIFIED: "verify",
    Step.ASSESSED: "assess",
    Step.RESPONDED: "respond",
    Step.PRESS: "press",
    Step.HANDLED: "handle",
    Step.REVIEWED: "review",
}
_LABEL = {
    Step.REPORTED: "报告带班领导",
    Step.VERIFIED: "核实",
    Step.ASSESSED: "研判",
    Step.RESPONDED: "回应（发布权威信息）",
    Step.PRESS: "新闻发布会",
    Step.HANDLED: "处置完毕",
    Step.REVIEWED: "复盘",
}


@dataclass(frozen=True)
class LimitSpec:
    amount: int
    unit: str  # "h" or "wd"

    @property
    def text(self) -> str:
        return f"{self.amount}小时" if self.unit == "h" else f"{self.amount}个工作日"


def parse_spec(value: str) -> LimitSpec:
    match = _SPEC.match(value or "")
    if not match:
        raise ValueError(f"时限“{value}”格式不对，应为“<数字>h”（小时）或“<数字>wd”（工作日）")
    return LimitSpec(int(match.group(1)), match.group(2))


def _specs() -> dict[str, LimitSpec]:
    return {key: parse_spec(value) for key, value in settings.OPINION_LIMITS.items()}


def check_limits(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    """System check opinion.E001: every configured limit parses (a typo stops start-up, not the worker at night)."""
    errors = []
    for key, value in settings.OPINION_LIMITS.items():
        try:
            parse_spec(value)
        except ValueError as exc:
            errors.append(checks.Error(f"QINGFENG_OPINION_LIMIT_{key.upper()}：{exc}", id="opinion.E001"))
    return errors


@dataclass
class Clock:
    step: str
    label: str
    spec: LimitSpec
    due_at: dt.datetime
    remind_at: dt.datetime
    done_at: dt.datetime | None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def late(self, now: dt.datetime) -> bool:
        return (self.done_at or now) > self.due_at

    def state(self, now: dt.datetime) -> str:
        """met, late (done after the limit), overdue (open, missed), due_soon (past the reminder), open."""
        if self.done_at is not None:
            return "late" if self.done_at > self.due_at else "met"
        if now > self.due_at:
            return "overdue"
        return "due_soon" if now >= self.remind_at else "open"

    def left_text(self, now: dt.datetime) -> str:
        """剩余 2小时15分 / 超时 1天3小时 / 按时完成 / 超时完成."""
        state = self.state(now)
        if state == "met":
            return "按时完成"
        if state == "late":
            return f"超时完成（超{duration_text(self.done_at - self.due_at)}）"  # type: ignore[operator]
        if state == "overdue":
            return f"超时 {duration_text(now - self.due_at)}"
        return f"剩余 {duration_text(self.due_at - now)}"


def duration_text(delta: dt.timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分" if mins else f"{hours}小时"
    return f"{mins}分钟"


def due_at(found_at: dt.datetime, spec: LimitSpec, calendar: WorkCalendar | None = None) -> dt.datetime:
    if spec.unit == "h":
        return found_at + dt.timedelta(hours=spec.amount)
    calendar = calendar or WorkCalendar()
    day = calendar.add_working_days(timezone.localtime(found_at).date(), spec.amount)
    return timezone.make_aware(dt.datetime.combine(day, work_end()))


def clocks(incident: OpinionIncident, calendar: WorkCalendar | None = None) -> list[Clock]:
    """The incident's limits in order, each with its due time and, when recorded, the step's time."""
    specs = _specs()
    major = incident.level in MAJOR_LEVELS
    calendar = calendar or WorkCalendar()
    share = min(max(settings.OPINION_REMIND_PERCENT, 1), 99) / 100
    out = []
    for step in TIMED_STEPS:
        key = _KEY[step] + ("_major" if major else "")
        spec = specs.get(key)
        if spec is None:
            continue  # no press conference for 一般/较大
        due = due_at(incident.found_at, spec, calendar)
        remind = incident.found_at + (due - incident.found_at) * share
        out.append(Clock(step, _LABEL[step], spec, due, remind, incident.time_of(step)))  # type: ignore[arg-type]
    return out


def limit_of(incident: OpinionIncident, step: str, calendar: WorkCalendar | None = None) -> Clock | None:
    return next((c for c in clocks(incident, calendar) if c.step == step), None)


# --- the worker's pass --------------------------------------------------------------------------------------------


def clocks_due(now: dt.datetime | None = None) -> list[ClockAlert]:
    """Remind and escalate what is due (module docstring, 3); returns the alerts sent by this run."""
    from qingfeng.opinion.services.incidents import leader_accounts, office_accounts

    now = now or timezone.now()
    calendar = WorkCalendar()
    sent: list[ClockAlert] = []
    open_incidents = (
        OpinionIncident.objects.filter(reviewed_at__isnull=True, found_at__lte=now)
        .select_related("unit", "leader", "recorded_by")
        .order_by("found_at", "pk")
    )
    done = {
        (incident_id, step, kind)
        for incident_id, step, kind in ClockAlert.objects.filter(incident__reviewed_at__isnull=True).values_list(
            "incident_id", "step", "kind"
        )
    }
    for incident in open_incidents.iterator(chunk_size=500):
        for clock in clocks(incident, calendar):
            if clock.done:
                continue
            if now > clock.due_at:
                kind = ClockAlert.Kind.ESCALATE
            elif now >= clock.remind_at:
                kind = ClockAlert.Kind.REMIND
            else:
                continue
            if (incident.pk, clock.step, kind) in done:
                continue
            alert = _send(incident, clock, kind, now, leader_accounts, office_accounts)
            if alert is not None:
                sent.append(alert)
    return sent


def _send(incident: OpinionIncident, clock: Clock, kind: str, now: dt.datetime, leaders: Any, office: Any) -> Any:
    try:
        with transaction.atomic():
            alert = ClockAlert.objects.create(
                incident=incident, step=clock.step, kind=kind, due_at=clock.due_at, sent_at=now
            )
            recipients = {u.pk: u for u in office(incident.unit)}
            if incident.recorded_by.is_active:
                recipients[incident.recorded_by_id] = incident.recorded_by
            due = timezone.localtime(clock.due_at)
            level = incident.get_level_display()
            if kind == ClockAlert.Kind.ESCALATE:
                recipients.update({u.pk: u for u in leaders(incident)})
                title = f"舆情处置超时：{incident.title}"
                body = (
                    f"{level}舆情“{incident.title}”的“{clock.label}”时限为{due:%Y年%m月%d日 %H:%M}"
                    f"（发现后{clock.spec.text}），现已超时 {duration_text(now - clock.due_at)}，请立即督促处置。"
                )
            else:
                title = f"舆情处置提醒：{incident.title}"
                body = (
                    f"{level}舆情“{incident.title}”的“{clock.label}”须在{due:%Y年%m月%d日 %H:%M}前完成"
                    f"（发现后{clock.spec.text}），剩余 {duration_text(clock.due_at - now)}。"
                )
            notify.send(recipients=recipients.values(), title=title, body=body, link=incident.get_absolute_url())
            alert.recipients = len(recipients)
            alert.save(update_fields=["recipients"])
            return alert
    except IntegrityError:
        return None  # another run sent it
