"""The clocks (issue 8): limits in hours are plain clock time (舆情 does not wait for Monday), limits in working days
follow the calendar (holidays included); clocks_due reminds at 80 % of a limit and escalates when it is missed, to
the leader on duty and the office, never twice."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from qingfeng.core import holidays
from qingfeng.core.models import Notification
from qingfeng.opinion.models import ClockAlert, Level, OpinionIncident, Step
from qingfeng.opinion.services import clocks, incidents
from qingfeng.opinion.tests.factories import at, incident

pytestmark = pytest.mark.django_db


def _clock(i: OpinionIncident, step: str) -> clocks.Clock:
    found = clocks.limit_of(i, step)
    assert found is not None
    return found


def test_an_hour_limit_runs_through_a_saturday_night(cast) -> None:  # type: ignore[no-untyped-def]
    saturday = at(2025, 11, 22, 21, 40)
    assert saturday.weekday() == 5
    i = incident(cast, found_at=saturday)
    assert _clock(i, Step.REPORTED).due_at == at(2025, 11, 22, 22, 40)
    # 较大: a response within 48 hours, Monday 21:40; no press conference
    assert i.level == Level.LARGER
    assert _clock(i, Step.RESPONDED).due_at == at(2025, 11, 24, 21, 40)
    assert clocks.limit_of(i, Step.PRESS) is None
    # 重大: authoritative information within 5 hours (Sunday 02:40), a press conference within 24 hours
    i.level = Level.MAJOR
    assert _clock(i, Step.RESPONDED).due_at == at(2025, 11, 23, 2, 40)
    assert _clock(i, Step.PRESS).due_at == at(2025, 11, 23, 21, 40)
    assert clocks.parse_spec("10wd").text == "10个工作日"
    with pytest.raises(ValueError, match="格式不对"):
        clocks.parse_spec("10 days")


def test_a_working_day_limit_skips_weekends_and_holidays(cast) -> None:  # type: ignore[no-untyped-def]
    friday = at(2025, 11, 28, 10, 0)
    i = OpinionIncident(found_at=friday, level=Level.ORDINARY)
    # 处置完毕 within 10 working days: Dec 1-5 and 8-12 → Friday 12 December at the end of the working day
    assert _clock(i, Step.HANDLED).due_at == at(2025, 12, 12, 17, 30)
    for day in (1, 2, 3):
        holidays.holiday_set(
            actor=cast.users["sysadmin"], date=dt.date(2025, 12, day), is_workday=False, name="测试假日"
        )
    # three days off: Wednesday 17 December
    assert _clock(i, Step.HANDLED).due_at == at(2025, 12, 17, 17, 30)
    # the hour limits do not move for a holiday
    assert _clock(i, Step.REPORTED).due_at == at(2025, 11, 28, 11, 0)


def test_clocks_due_reminds_then_escalates_once_each(cast) -> None:  # type: ignore[no-untyped-def]
    found = at(2025, 11, 22, 21, 40)
    i = incident(cast, found_at=found)  # 财务股: the leader on duty is 李志强 (分管)
    leader, staff = cast.users["leader"], cast.users["staff"]
    assert i.leader_id == leader.person_id
    Notification.objects.all().delete()
    # 22:20 is 40 minutes of the hour: nothing; 22:30 is past 80 %: the 报告 reminder, to the recorder and the office
    assert clocks.clocks_due(now=at(2025, 11, 22, 22, 20)) == []
    sent = clocks.clocks_due(now=at(2025, 11, 22, 22, 30))
    assert [(a.step, a.kind) for a in sent] == [(Step.REPORTED, ClockAlert.Kind.REMIND)]
    reminded = set(Notification.objects.values_list("recipient__username", flat=True))
    assert reminded == {"staff", "clerk"}
    assert "剩余 10分钟" in Notification.objects.filter(recipient=staff).first().body
    assert clocks.clocks_due(now=at(2025, 11, 22, 22, 35)) == []
    # missed at 22:41: escalated to the leader on duty and the secretary, the office and the recorder
    Notification.objects.all().delete()
    sent = clocks.clocks_due(now=at(2025, 11, 22, 22, 41))
    assert (Step.REPORTED, ClockAlert.Kind.ESCALATE) in [(a.step, a.kind) for a in sent]
    escalated = set(
        Notification.objects.filter(title__startswith="舆情处置超时").values_list("recipient__username", flat=True)
    )
    assert {"leader", "secretary", "clerk", "staff"} <= escalated
    assert clocks.clocks_due(now=at(2025, 11, 22, 22, 45)) == []
    # a recorded step stops its clock; a limit found missed gets its escalation without a late reminder
    incidents.incident_step(actor=staff, incident=i, step=Step.REPORTED, at=at(2025, 11, 22, 22, 50))
    later = clocks.clocks_due(now=at(2025, 11, 26, 9, 0))
    kinds = {(a.step, a.kind) for a in later}
    assert (Step.REPORTED, ClockAlert.Kind.REMIND) not in kinds
    assert (Step.VERIFIED, ClockAlert.Kind.ESCALATE) in kinds and (Step.VERIFIED, ClockAlert.Kind.REMIND) not in kinds
    assert ClockAlert.objects.filter(incident=i).count() == len({(a.step, a.kind) for a in ClockAlert.objects.all()})


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_alert_once() -> None:
    """Committed data, hence a transactional test (run last by pytest-django; the data is flushed afterwards, so the
    demo world is built again when an earlier one flushed it)."""
    from qingfeng.org import demo

    if not demo.exists():
        demo.build()
    i = incident(demo.load(), found_at=at(2025, 11, 22, 21, 40))
    now = at(2025, 11, 22, 22, 41)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(len(clocks.clocks_due(now=now)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    per_kind = ClockAlert.objects.filter(incident=i).values_list("step", "kind")
    assert len(per_kind) == len(set(per_kind)) == sum(results)
