"""The working-day calendar: Chinese public holidays and 调休 days from the chinese-calendar package,
overridden by the days the 系统管理员 enters (HolidayOverride). For years the package does not know, weekends
only, with a warning the pages show (`year_warning`)."""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone


def _parse_hhmm(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def work_start() -> dt.time:
    return _parse_hhmm(settings.WORKDAY_START)


def work_end() -> dt.time:
    return _parse_hhmm(settings.WORKDAY_END)


@lru_cache(maxsize=1)
def _package_years() -> tuple[int, int]:
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return min(days).year, max(days).year


# A year's overrides, kept by the process for a minute: every page with a colour asked for them (two or three
# queries a page). A change in this process forgets them at once (signals on HolidayOverride); other processes
# see it within OVERRIDES_SECONDS.
OVERRIDES_SECONDS = 60.0
_OVERRIDES: dict[int, tuple[float, dict[dt.date, bool]]] = {}


def _overrides(year: int) -> dict[dt.date, bool]:
    from qingfeng.core.models import HolidayOverride

    kept = _OVERRIDES.get(year)
    if kept is not None and time.monotonic() - kept[0] < OVERRIDES_SECONDS:
        return kept[1]
    rows = dict(HolidayOverride.objects.filter(date__year=year).values_list("date", "is_workday"))
    _OVERRIDES[year] = (time.monotonic(), rows)
    return rows


def forget_overrides(**_: object) -> None:
    """Drop the kept overrides (a HolidayOverride was saved or deleted; a test's rollback)."""
    _OVERRIDES.clear()


def year_has_overrides(year: int) -> bool:
    from qingfeng.core.models import HolidayOverride

    return HolidayOverride.objects.filter(date__year=year).exists()


def year_warning(year: int) -> str:
    """A Chinese warning when `year`'s holidays are neither in the package nor entered by hand."""
    first, last = _package_years()
    if first <= year <= last or year_has_overrides(year):
        return ""
    return f"{year}年法定节假日尚未录入，工作日暂按周一至周五计算。请系统管理员在“节假日”页录入国务院公布的安排。"


# Running working-day counts per (year, that year's overrides), shared by every calendar of the process: a year is
# 365 questions to the holiday package, and each request makes its own calendar. A change of the overrides is a new
# key, so an edited holiday is never answered from an old list.
_RUNNING: dict[tuple[int, tuple[tuple[dt.date, bool], ...]], list[int]] = {}


class WorkCalendar:
    """Answers for one run of questions; loads each year's overrides once."""

    def __init__(self) -> None:
        self._years: dict[int, dict[dt.date, bool]] = {}
        self._counts: dict[int, list[int]] = {}  # per year: working days from 1 January up to each day of the year
        # each day's answer, once: the deadlines of a page of 舆情 incidents walk the same days (chinese_calendar is
        # ~150 µs a question)
        self._days: dict[dt.date, bool] = {}

    def _running(self, year: int) -> list[int]:
        """counts[i] = working days among the first i+1 days of `year` (counts[-1]: the year's total)."""
        counts = self._counts.get(year)
        if counts is None:
            self.is_working_day(dt.date(year, 1, 1))  # loads the year's overrides
            key = (year, tuple(sorted(self._years[year].items())))
            counts = _RUNNING.get(key)
            if counts is None:
                counts, total, day = [], 0, dt.date(year, 1, 1)
                while day.year == year:
                    total += self.is_working_day(day)
                    counts.append(total)
                    day += dt.timedelta(days=1)
                if len(_RUNNING) > 64:
                    _RUNNING.clear()
                _RUNNING[key] = counts
            self._counts[year] = counts
        return counts

    def is_working_day(self, day: dt.date) -> bool:
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self._is_working_day(day)
        return known

    def _is_working_day(self, day: dt.date) -> bool:
        overrides = self._years.get(day.year)
        if overrides is None:
            overrides = self._years[day.year] = _overrides(day.year)
        if day in overrides:
            return overrides[day]
        first, last = _package_years()
        if first <= day.year <= last:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The working day n working days after `day` (n ≥ 0; 0 gives `day` itself if it is a working day,
        else the next one)."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        # Running counts per year (built once per year and calendar): the lists and colours of thousands of tasks
        # ask this for each task.
        before = self._running(start.year)[start.timetuple().tm_yday - 1]
        upto = self._running(end.year)[end.timetuple().tm_yday - 1]
        between = sum(self._running(year)[-1] for year in range(start.year, end.year))
        return between + upto - before

    def end_of_working_day(self, moment: dt.datetime) -> dt.datetime:
        """The end of the working day `moment` falls in; after hours or on a day off, the end of the next
        working day ("事不过夜")."""
        local = timezone.localtime(moment)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= work_end():
            day = self.next_working_day(day)
        return timezone.make_aware(dt.datetime.combine(day, work_end()))


def is_working_day(day: dt.date) -> bool:
    return WorkCalendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    return WorkCalendar().add_working_days(day, n)


def end_of_working_day(moment: dt.datetime) -> dt.datetime:
    return WorkCalendar().end_of_working_day(moment)


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}


def package_days(year: int) -> list[tuple[dt.date, str]]:
    """The package's holidays and 调休 working days of `year`, with Chinese names."""
    days = [(d, _HOLIDAY_NAMES.get(str(n), str(n))) for d, n in chinese_calendar.holidays.items() if d.year == year]
    days += [
        (d, f"{_HOLIDAY_NAMES.get(str(n), str(n))}（调休上班）")
        for d, n in chinese_calendar.workdays.items()
        if d.year == year and d.weekday() >= 5
    ]
    return sorted(days)
