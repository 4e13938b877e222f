"""Incidents for the tests, recorded through the service as the person on duty would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qingfeng.opinion.models import OpinionIncident
from qingfeng.opinion.services import incidents


def incident(
    cast: Any,
    *,
    by: str = "staff",
    title: str = "某小区业主反映新建住宅楼漏水开裂",
    content: str = "网友发帖称小区多栋住宅墙体开裂、顶层漏水，开发商拖欠维修，业主多次投诉无果。",
    found_at: dt.datetime | None = None,
    department: str | None = "财务股",
    level: int | None = None,
    source: str = OpinionIncident.Source.NETWORK,
) -> OpinionIncident:
    return incidents.incident_create(
        actor=cast.users[by],
        unit=cast.bureau,
        data=incidents.IncidentData(
            title=title,
            content=content,
            source=source,
            found_at=found_at or timezone.now() - dt.timedelta(minutes=10),
            department=cast.departments[department] if department else None,
            level=level,
            link="https://weibo.example.cn/status/1001",
        ),
    )


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware local moment (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))
