"""Deadline hints of Chinese official writing turned into dates (part of the decomposer; pure Python, no ORM).

The hints, in the order they win inside one piece of text:
1. 第一时间 / 立即 / 事不过夜 (outside quotation marks): the end of the same working day — `immediate`, the
   deadline is the deployment date (the next working day when that is a day off); the caller resolves the hour
   with the calendar.
2. An explicit date: "9月30日前", "10月底前", "2012年底前", 年底 / 年内 / 年末, 下半年 / 上半年, 月底 (of the
   deployment's month), "3个工作日内", "10日内". With several, the latest is the completion date (a flag says so).
3. 长期坚持 / 久久为功: long-term, no deadline.
4. Otherwise the deadline inherited from the enclosing text (the section's lead-in, then the opening).
Recurrence (每月 / 每季度 / 每年) is independent of the deadline: a recurring task runs until its deadline.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
CN_DIGITS.update({"八": 8, "九": 9})


def cn_number(text: str) -> int:
    """Arabic or Chinese numerals up to 99: "12", "十二", "二十", "廿" is not used in official writing."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + CN_DIGITS[char]
    return value


_NUM = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
_YEAR = r"(?:(?P<year>[0-9]{4})年)?"

IMMEDIATE_WORDS = ("第一时间", "立即", "事不过夜")
LONG_TERM_WORDS = ("长期坚持", "久久为功")
_IMMEDIATE_RE = re.compile("|".join(IMMEDIATE_WORDS))
_LONG_TERM_RE = re.compile("|".join(LONG_TERM_WORDS))
_QUOTED_RE = re.compile(r"“[^“”]*”|\"[^\"]*\"|「[^「」]*」|‘[^‘’]*’")
_RECURRENCE = (  # most frequent first: with several, the most frequent wins
    ("monthly", re.compile(r"每(?:个)?月|按月|逐月")),
    ("quarterly", re.compile(r"每(?:个|一)?季度|按季度|逐季")),
    ("yearly", re.compile(r"每(?:一)?年(?!龄)|按年度|每年度")),
)
RECURRENCE_LABELS = {"monthly": "每月", "quarterly": "每季度", "yearly": "每年"}

_DAY_RE = re.compile(_YEAR + rf"(?P<month>{_NUM})月(?P<day>{_NUM})日(?:前|之前|以前|止)")
_MONTH_END_RE = re.compile(_YEAR + rf"(?P<month>{_NUM})月(?:份)?(?:底|末)")
# "2012年底", "年底前", "年内" — but not "5年内" (within five years).
_YEAR_END_RE = re.compile(r"(?P<year>[0-9]{4})年(?:底|末)|(?<![0-9一二三四五六七八九十几两多])(?:年底|年末|年内)")
_HALF_RE = re.compile(r"(?:(?P<year>[0-9]{4})年)?(?P<half>上|下)半年")
_THIS_MONTH_END_RE = re.compile(r"(?<![0-9一二三四五六七八九十份])(?:本月|当月)?月(?:底|末)")
_WORKING_DAYS_RE = re.compile(rf"(?P<n>{_NUM})个工作日内")
_DAYS_RE = re.compile(rf"(?P<n>{_NUM})(?:日|天)内")


@dataclass
class DateHints:
    """What one piece of text says about time."""

    deadline: dt.date | None = None
    immediate: bool = False
    long_term: bool = False
    recurrence: str = ""
    dates_found: list[dt.date] = field(default_factory=list)
    immediate_quoted: bool = False  # 事不过夜 etc. only inside quotation marks: a slogan, not a deadline
    recurrences_found: list[str] = field(default_factory=list)


def _roll_forward(year: int | None, month: int, day: int | None, today: dt.date) -> dt.date | None:
    """A date from its parts; without a year, the first such date on or after `today` (3月底 said in July is
    next March)."""
    if not 1 <= month <= 12:
        return None
    candidate_year = year or today.year
    last = calendar.monthrange(candidate_year, month)[1]
    if day is not None and not 1 <= day <= last:
        return None
    result = dt.date(candidate_year, month, day or last)
    if year is None and result < today:
        last = calendar.monthrange(candidate_year + 1, month)[1]
        result = dt.date(candidate_year + 1, month, min(day or last, last))
    return result


def _unquoted(text: str) -> str:
    return _QUOTED_RE.sub(lambda m: "□" * len(m.group()), text) if "“" in text or '"' in text else text


def _next_working_day_on_or_after(day: dt.date, is_working_day: Callable[[dt.date], bool] | None) -> dt.date:
    if is_working_day is None:
        return day
    for _ in range(40):  # the longest run of days off in China is 8 days; 40 is a safe bound
        if is_working_day(day):
            return day
        day += dt.timedelta(days=1)
    return day


def _add_working_days(day: dt.date, n: int, is_working_day: Callable[[dt.date], bool] | None) -> dt.date:
    check = is_working_day or _weekday  # without a calendar: weekends only
    for _ in range(n):
        day += dt.timedelta(days=1)
        while not check(day):
            day += dt.timedelta(days=1)
    return day


def _weekday(day: dt.date) -> bool:
    return day.weekday() < 5


def read_hints(text: str, *, today: dt.date, is_working_day: Callable[[dt.date], bool] | None = None) -> DateHints:
    """Every deadline hint of `text`, resolved against the deployment date `today`."""
    hints = DateHints()
    plain = _unquoted(text)
    if _IMMEDIATE_RE.search(plain):
        hints.immediate = True
        hints.deadline = _next_working_day_on_or_after(today, is_working_day)
    elif _IMMEDIATE_RE.search(text):
        hints.immediate_quoted = True
    hints.long_term = bool(_LONG_TERM_RE.search(text))
    for name, pattern in _RECURRENCE:
        if pattern.search(text):
            hints.recurrences_found.append(name)
    if hints.recurrences_found:
        hints.recurrence = hints.recurrences_found[0]

    dates: list[dt.date] = []
    taken: list[tuple[int, int]] = []

    def keep(match: re.Match[str], value: dt.date | None) -> None:
        if value is not None:
            dates.append(value)
            taken.append(match.span())

    def free(match: re.Match[str]) -> bool:
        start, end = match.span()
        return all(end <= s or start >= e for s, e in taken)

    for m in _DAY_RE.finditer(text):
        year = int(m["year"]) if m["year"] else None
        keep(m, _roll_forward(year, cn_number(m["month"]), cn_number(m["day"]), today))
    for m in _MONTH_END_RE.finditer(text):
        if free(m):
            year = int(m["year"]) if m["year"] else None
            keep(m, _roll_forward(year, cn_number(m["month"]), None, today))
    for m in _HALF_RE.finditer(text):
        if free(m):
            year = int(m["year"]) if m["year"] else today.year
            keep(m, dt.date(year, 6, 30) if m["half"] == "上" else dt.date(year, 12, 31))
    for m in _YEAR_END_RE.finditer(text):
        if free(m):
            year = int(m["year"]) if m["year"] else today.year
            keep(m, dt.date(year, 12, 31))
    for m in _THIS_MONTH_END_RE.finditer(text):
        if free(m):
            keep(m, _roll_forward(today.year, today.month, None, today))
    for m in _WORKING_DAYS_RE.finditer(text):
        keep(m, _add_working_days(today, cn_number(m["n"]), is_working_day))
    for m in _DAYS_RE.finditer(text):
        if free(m):
            keep(m, today + dt.timedelta(days=cn_number(m["n"])))

    hints.dates_found = sorted(set(dates))
    if not hints.immediate and hints.dates_found:
        hints.deadline = hints.dates_found[-1]
    return hints


def format_date(day: dt.date) -> str:
    """2023年7月1日 (house style)."""
    return f"{day.year}年{day.month}月{day.day}日"
