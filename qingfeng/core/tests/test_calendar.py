"""The working-day calendar: 2023's 中秋/国庆 (2023-09-29 … 10-06 off, Saturday 10-07 and Sunday 10-08 worked)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qingfeng.core import calendar, holidays
from qingfeng.core.calendar import WorkCalendar
from qingfeng.core.errors import UserError

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


@pytest.mark.django_db
def test_the_2023_mid_autumn_and_national_day_holiday_is_off() -> None:
    cal = WorkCalendar()
    for day in range(29, 31):
        assert not cal.is_working_day(D(2023, 9, day))
    for day in range(1, 7):
        assert not cal.is_working_day(D(2023, 10, day))


@pytest.mark.django_db
def test_the_weekend_days_of_october_7_and_8_2023_are_worked() -> None:
    assert calendar.is_working_day(D(2023, 10, 7))  # Saturday
    assert calendar.is_working_day(D(2023, 10, 8))  # Sunday
    assert calendar.is_working_day(D(2023, 9, 28))


@pytest.mark.django_db
def test_n_working_days_after_skips_the_holiday() -> None:
    assert calendar.add_working_days(D(2023, 9, 28), 1) == D(2023, 10, 7)
    assert calendar.add_working_days(D(2023, 9, 28), 3) == D(2023, 10, 9)
    assert calendar.add_working_days(D(2023, 10, 1), 0) == D(2023, 10, 7)
    assert WorkCalendar().working_days_between(D(2023, 9, 28), D(2023, 10, 9)) == 3


@pytest.mark.django_db
def test_end_of_working_day_during_hours_is_today_at_1730() -> None:
    moment = dt.datetime(2023, 9, 28, 10, 0, tzinfo=SH)
    assert calendar.end_of_working_day(moment) == dt.datetime(2023, 9, 28, 17, 30, tzinfo=SH)


@pytest.mark.django_db
def test_end_of_working_day_after_hours_or_on_a_holiday_is_the_next_working_day() -> None:
    assert calendar.end_of_working_day(dt.datetime(2023, 9, 28, 18, 5, tzinfo=SH)) == dt.datetime(
        2023, 10, 7, 17, 30, tzinfo=SH
    )
    assert calendar.end_of_working_day(dt.datetime(2023, 10, 3, 9, 0, tzinfo=SH)) == dt.datetime(
        2023, 10, 7, 17, 30, tzinfo=SH
    )


@pytest.mark.django_db
def test_working_hours_are_configurable(settings) -> None:
    settings.WORKDAY_END = "18:00"
    moment = dt.datetime(2023, 9, 28, 17, 45, tzinfo=SH)
    assert calendar.end_of_working_day(moment) == dt.datetime(2023, 9, 28, 18, 0, tzinfo=SH)


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_falls_back_to_weekends_with_a_warning() -> None:
    assert calendar.year_warning(2023) == ""
    warning = calendar.year_warning(2031)
    assert "2031年法定节假日尚未录入" in warning
    assert calendar.is_working_day(D(2031, 10, 1))  # a Wednesday: no holiday known
    assert not calendar.is_working_day(D(2031, 10, 4))  # a Saturday


def test_days_entered_by_the_sysadmin_override_the_package(cast) -> None:
    sysadmin = cast.users["sysadmin"]
    holidays.holiday_range_set(
        actor=sysadmin, start=D(2031, 10, 1), end=D(2031, 10, 7), is_workday=False, name="国庆节"
    )
    holidays.holiday_set(actor=sysadmin, date=D(2031, 10, 11), is_workday=True, name="国庆节调休")
    assert not calendar.is_working_day(D(2031, 10, 1))
    assert calendar.is_working_day(D(2031, 10, 11))  # a Saturday worked
    assert calendar.year_warning(2031) == ""
    assert calendar.add_working_days(D(2031, 9, 30), 1) == D(2031, 10, 8)


def test_entering_the_same_day_twice_is_refused_and_changes_nothing(cast) -> None:
    sysadmin = cast.users["sysadmin"]
    holidays.holiday_set(actor=sysadmin, date=D(2032, 1, 1), is_workday=False, name="元旦")
    with pytest.raises(UserError, match="已录入"):
        holidays.holiday_range_set(actor=sysadmin, start=D(2031, 12, 31), end=D(2032, 1, 2), is_workday=False)
    from qingfeng.core.models import HolidayOverride

    assert not HolidayOverride.objects.filter(date=D(2031, 12, 31)).exists()


def test_the_holiday_page_takes_a_range_and_shows_errors_in_chinese(login) -> None:
    client = login("sysadmin")
    response = client.post(
        "/calendar/", {"start": "2033-10-01", "end": "2033-10-07", "is_workday": "0", "name": "国庆节"}
    )
    assert response.status_code == 302
    page = client.get("/calendar/?year=2033").content.decode()
    assert "2033年10月7日" in page
    bad = client.post("/calendar/", {"start": "2033-10-09", "end": "2033-10-08", "is_workday": "0"})
    assert "结束日期不能早于开始日期" in bad.content.decode()
    assert "这个字段是必填项" in client.post("/calendar/", {}).content.decode()


@pytest.mark.django_db
def test_working_days_between_counts_the_same_as_walking_the_days_across_years() -> None:
    """working_days_between uses running counts per year; walking day by day is the definition."""
    import random

    cal = WorkCalendar()
    rng = random.Random(7)
    base = dt.date(2021, 12, 20)
    for _ in range(300):
        start = base + dt.timedelta(days=rng.randrange(900))
        end = start + dt.timedelta(days=rng.randrange(-400, 400))
        low, high = min(start, end), max(start, end)
        walked, day = 0, low
        while day < high:
            day += dt.timedelta(days=1)
            walked += cal.is_working_day(day)
        assert cal.working_days_between(start, end) == (walked if end >= start else -walked)
