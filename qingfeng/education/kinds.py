"""The kinds of study session, their scope (a branch's or the unit's) and their required periods (settings
EDUCATION_MONTHS). Pure: no queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

MONTHS_ALLOWED = (0, 1, 2, 3, 4, 6, 12)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    branch: bool  # a branch's session (三会一课, 主题党日, 组织生活会); else the unit's


KINDS: list[Kind] = [
    Kind("center", "党组理论学习中心组学习", False),
    Kind("general", "党员大会", True),
    Kind("committee", "支委会", True),
    Kind("group", "党小组会", True),
    Kind("lecture", "党课", True),
    Kind("theme_day", "主题党日", True),
    Kind("life", "组织生活会", True),
    Kind("integrity", "廉政课堂", False),
    Kind("warning", "警示教育", False),
]
BY_CODE = {k.code: k for k in KINDS}
CHOICES = [(k.code, k.label) for k in KINDS]
SANHUI_YIKE = ("general", "committee", "group", "lecture")


def label(code: str) -> str:
    kind = BY_CODE.get(code)
    return kind.label if kind else code


def months(code: str) -> int:
    value = settings.EDUCATION_MONTHS.get(code, 0)
    return value if value in MONTHS_ALLOWED else 0


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    seq: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        first, last = self.start.month, self.end.month
        if (first, last) == (1, 12):
            text = f"{self.year}年"
        elif (first, last) in ((1, 6), (7, 12)):
            text = f"{self.year}年{'上' if first == 1 else '下'}半年"
        elif last - first == 2 and first % 3 == 1:
            text = f"{self.year}年第{'一二三四'[first // 3]}季度"
        elif first == last:
            text = f"{self.year}年{first}月"
        else:
            text = f"{self.year}年{first}—{last}月"
        return text


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def periods(code: str, year: int) -> list[Period]:
    """The year's periods of a kind, each needing one session; none when the kind is not required."""
    step = months(code)
    if not step:
        return []
    return [
        Period(code, year, k, dt.date(year, (k - 1) * step + 1, 1), month_end(year, k * step))
        for k in range(1, 12 // step + 1)
    ]


def current(code: str, today: dt.date) -> Period | None:
    return next((p for p in periods(code, today.year) if p.start <= today <= p.end), None)
