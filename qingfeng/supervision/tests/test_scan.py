"""The reminder and escalation scan: 超时未签收, 到期提醒, 逾期催办, 逐级督办 — and nothing sent twice (R3)."""

from __future__ import annotations

import contextlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qingfeng.core.locks import exclusive
from qingfeng.core.models import Notification
from qingfeng.supervision import scan as scan_module
from qingfeng.supervision.models import Reminder, TaskEvent
from qingfeng.supervision.scan import scan
from qingfeng.supervision.services.extensions import task_extension_decide, task_extension_request
from qingfeng.supervision.tests.factories import D, at, make_task, signed_task


@contextlib.contextmanager
def _held_elsewhere(name: str):  # type: ignore[no-untyped-def]
    """The lock held by another process: on PostgreSQL another session (advisory locks are per session)."""
    if connection.vendor != "postgresql":
        with exclusive(name):
            yield
        return
    import zlib

    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    other = psycopg.connect(**params, autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [zlib.crc32(f"qingfeng:{name}".encode())])
        yield
    finally:
        other.close()


def _notes(username: str, prefix: str) -> int:
    return Notification.objects.filter(recipient__username=username, title__startswith=prefix).count()


def test_an_unsigned_part_past_the_same_day_limit_is_reminded_once_a_day(cast, clock) -> None:
    task = make_task(cast)  # Monday 2023-09-04 10:00: to be signed by 17:30
    clock.set(at(2023, 9, 4, 17, 0))
    assert scan().by_kind["unsigned"] == 0
    clock.set(at(2023, 9, 4, 18, 0))
    first = scan()
    assert first.by_kind["unsigned"] == 1
    assert _notes("head", "超时未签收") == 1
    assert scan().reminders == 0 and _notes("head", "超时未签收") == 1
    clock.set(at(2023, 9, 5, 9, 0))
    assert scan().by_kind["unsigned"] == 1
    assert Reminder.objects.filter(task=task, kind="unsigned").count() == 2
    assert TaskEvent.objects.filter(task=task, kind="reminded").count() == 2


def test_a_deadline_three_and_one_working_days_ahead_is_reminded_once_each(cast, clock) -> None:
    signed_task(cast)  # due Thursday 2023-09-28
    clock.set(at(2023, 9, 22))  # Friday: 4 working days ahead
    assert scan().by_kind["due_soon"] == 0
    clock.set(at(2023, 9, 25))  # Monday: 3 ahead
    assert scan().by_kind["due_soon"] == 1
    clock.set(at(2023, 9, 26))  # 2 ahead: the 3-day reminder was sent already
    assert scan().reminders == 0
    clock.set(at(2023, 9, 27))  # 1 ahead
    assert scan().by_kind["due_soon"] == 1
    assert _notes("staff", "到期提醒") == 2 and _notes("head", "到期提醒") == 2


def test_an_overdue_part_is_pressed_daily_and_escalates_step_by_step_over_the_holiday(cast, clock) -> None:
    task = signed_task(cast)  # due 2023-09-28; 9-29 … 10-6 is the 中秋/国庆 holiday
    clock.set(at(2023, 10, 2))  # a holiday: no daily 催办, and no working day late yet
    assert scan().reminders == 0
    clock.set(at(2023, 10, 7))  # working Saturday: 1 working day late
    result = scan()
    assert (result.by_kind["overdue"], result.by_kind["escalate"]) == (1, 1)
    assert _notes("head", "逐级督办（科室负责人）") == 1
    clock.set(at(2023, 10, 10))  # 3 working days late: the lead leader
    assert scan().by_kind["escalate"] == 1 and _notes("leader", "逐级督办（牵头领导）") == 1
    clock.set(at(2023, 10, 12))  # 5 late: the secretary
    assert scan().by_kind["escalate"] == 1 and _notes("secretary", "逐级督办（党组书记）") == 1
    assert scan().reminders == 0
    levels = sorted(Reminder.objects.filter(task=task, kind="escalate").values_list("level", flat=True))
    assert levels == [1, 2, 3]
    assert _notes("staff", "逾期催办") == 3  # 10-7, 10-10, 10-12


def test_an_extended_deadline_is_reminded_again(cast, clock) -> None:
    task = signed_task(cast)
    clock.set(at(2023, 9, 27))
    scan()
    request = task_extension_request(
        actor=cast.users["head"], task=task, requested_deadline=D(2023, 10, 20), reason="需等待审计结果"
    )
    task_extension_decide(actor=cast.users["leader"], request=request, approve=True)
    clock.set(at(2023, 10, 19))
    assert scan().by_kind["due_soon"] == 1
    assert _notes("staff", "到期提醒") == 2


def test_a_crash_in_the_middle_leaves_nothing_and_a_rerun_sends_each_reminder_once(cast, clock, monkeypatch) -> None:
    make_task(cast)
    make_task(cast, title="第二项")
    clock.set(at(2023, 9, 4, 18, 0))

    def broken(items):  # type: ignore[no-untyped-def]
        list(items)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(scan_module.notify, "send_many", broken)
    with pytest.raises(RuntimeError):
        scan()
    assert not Reminder.objects.exists() and _notes("head", "超时未签收") == 0
    monkeypatch.undo()
    clock.set(at(2023, 9, 4, 18, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2023, 9, 4, 18, 0))
    assert scan().reminders == 2
    assert scan().reminders == 0
    assert _notes("head", "超时未签收") == 2


def test_closed_tasks_are_not_reminded(cast, clock) -> None:
    from qingfeng.supervision.tests.factories import submitted_task

    submitted_task(cast)
    clock.set(at(2023, 10, 12))
    assert scan().reminders == 0


def test_the_scan_command_prints_a_summary_and_refuses_a_second_run_at_once(cast, clock, capsys) -> None:
    make_task(cast)
    clock.set(at(2023, 9, 4, 18, 0))
    call_command("scan")
    assert "发出催办 1 条" in capsys.readouterr().out
    with _held_elsewhere("supervision-scan"), pytest.raises(CommandError, match="正在运行"):
        call_command("scan")


def test_the_worker_runs_one_round(cast, clock, capsys) -> None:
    make_task(cast)
    clock.set(at(2023, 9, 4, 18, 0))
    call_command("worker", "--once")
    out = capsys.readouterr().out
    assert "后台任务已启动" in out and "发出催办 1 条" in out


def test_a_long_term_task_is_asked_for_a_report_once_a_quarter(cast, clock) -> None:
    from qingfeng.supervision.models import Task
    from qingfeng.supervision.services.progress import task_report_progress
    from qingfeng.supervision.tests.factories import lead_part

    task = signed_task(cast, kind=Task.Kind.LONG_TERM, deadline=None, title="长期坚持：规范三会一课记录")
    clock.set(at(2023, 9, 5))
    assert scan().by_kind["report"] == 1  # nothing reported yet this quarter
    assert scan().reminders == 0
    task_report_progress(actor=cast.users["head"], part=lead_part(task), percent=30, text="已规范两个支部的记录")
    clock.set(at(2023, 10, 9))  # a new quarter, nothing reported in it
    assert scan().by_kind["report"] == 1
    assert _notes("staff", "季度进展提醒") == 2
    task_report_progress(actor=cast.users["head"], part=lead_part(task), percent=50, text="第三个支部已规范")
    clock.set(at(2023, 11, 6))
    assert scan().reminders == 0
