"""三色预警 (warnings.colour): pure rules over a task, a date and the working-day calendar, including the 2023
中秋/国庆 holiday (9-29 … 10-06 off, Saturday 10-07 and Sunday 10-08 worked)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qingfeng.core.calendar import WorkCalendar
from qingfeng.supervision.tests.factories import D, at
from qingfeng.supervision.warnings import GREEN, RED, YELLOW, colour, expected_percent

pytestmark = pytest.mark.django_db  # the calendar reads the sysadmin's holiday table


class _Parts(list):
    def all(self):  # type: ignore[no-untyped-def]
        return self


LIMIT = at(2023, 9, 4, 17, 30)  # 事不过夜 of a task assigned 2023-09-04 10:00


def _part(status: str = "in_progress", sign_deadline=LIMIT):  # type: ignore[no-untyped-def]
    return SimpleNamespace(status=status, sign_deadline=sign_deadline)


def _task(**kw):  # type: ignore[no-untyped-def]
    values = {
        "status": "in_progress",
        "deadline": D(2023, 10, 31),
        "assigned_at": at(2023, 9, 4, 10),
        "percent": 0,
        "submitted_at": None,
        "parts": _Parts([_part()]),
    }
    values.update(kw)
    return SimpleNamespace(**values)


CAL = WorkCalendar


def test_a_task_on_track_is_green() -> None:
    assert colour(_task(), D(2023, 9, 5), CAL()) == GREEN


def test_a_task_due_within_3_working_days_is_yellow_counting_over_the_national_day_holiday() -> None:
    # 9-28 → 10-09 is twelve days but three working days (10-07, 10-08, 10-09)
    assert colour(_task(deadline=D(2023, 10, 9), percent=100), D(2023, 9, 28), CAL()) == YELLOW
    assert colour(_task(deadline=D(2023, 10, 10), percent=100), D(2023, 9, 28), CAL()) == GREEN


def test_the_deadline_day_itself_is_yellow_not_red() -> None:
    assert colour(_task(deadline=D(2023, 9, 28), percent=100), D(2023, 9, 28), CAL()) == YELLOW


def test_a_task_past_its_deadline_is_red_even_on_a_holiday() -> None:
    assert colour(_task(deadline=D(2023, 9, 28)), D(2023, 10, 1), CAL()) == RED


def test_a_percent_lagging_the_working_time_elapsed_is_yellow() -> None:
    task = _task(percent=30)  # 21 of 37 working days gone by 10-09: 57 % expected
    assert expected_percent(task, D(2023, 10, 9), CAL()) == 57
    assert colour(task, D(2023, 10, 9), CAL()) == YELLOW
    assert colour(_task(percent=50), D(2023, 10, 9), CAL()) == GREEN  # within the 10-point margin


def test_the_holiday_does_not_count_as_time_elapsed() -> None:
    before, after = expected_percent(_task(), D(2023, 9, 28), CAL()), expected_percent(_task(), D(2023, 10, 6), CAL())
    assert before == after


def test_a_part_unsigned_past_the_same_day_limit_is_red() -> None:
    task = _task(status="pending_sign", parts=_Parts([_part("pending_sign")]))
    assert colour(task, D(2023, 9, 4), CAL(), now=at(2023, 9, 4, 17, 0)) == GREEN
    assert colour(task, D(2023, 9, 4), CAL(), now=at(2023, 9, 4, 18, 0)) == RED


def test_without_a_time_an_unsigned_part_is_red_once_its_limit_day_is_over() -> None:
    task = _task(status="pending_sign", parts=_Parts([_part("pending_sign")]))
    assert colour(task, D(2023, 9, 4), CAL()) == GREEN
    assert colour(task, D(2023, 9, 5), CAL()) == RED


def test_an_unsigned_partner_part_makes_a_task_in_progress_red() -> None:
    task = _task(parts=_Parts([_part(), _part("pending_sign")]))
    assert colour(task, D(2023, 9, 5), CAL(), now=at(2023, 9, 5, 9)) == RED


def test_a_task_awaiting_review_is_judged_by_when_it_was_submitted() -> None:
    on_time = _task(status="pending_review", deadline=D(2023, 9, 28), submitted_at=at(2023, 9, 27, 16))
    late = _task(status="pending_review", deadline=D(2023, 9, 28), submitted_at=at(2023, 10, 7, 9))
    assert colour(on_time, D(2023, 10, 9), CAL()) == GREEN
    assert colour(late, D(2023, 10, 9), CAL()) == RED


def test_a_closed_task_has_no_colour() -> None:
    assert colour(_task(status="done", deadline=D(2023, 9, 1)), D(2023, 10, 9), CAL()) == ""


def test_a_long_term_task_without_deadline_is_green_unless_unsigned_late() -> None:
    assert colour(_task(deadline=None), D(2024, 6, 1), CAL()) == GREEN
    unsigned = _task(deadline=None, status="pending_sign", parts=_Parts([_part("pending_sign")]))
    assert colour(unsigned, D(2023, 9, 5), CAL()) == RED
