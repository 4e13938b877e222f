"""The 系统管理员's holiday table: days that override the chinese-calendar package."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.core.models import HolidayOverride


@transaction.atomic
def holiday_set(*, actor: Any, date: dt.date, is_workday: bool, name: str = "") -> HolidayOverride:
    from qingfeng.org import access

    access.require(actor, "calendar.manage")
    if HolidayOverride.objects.filter(date=date).exists():
        raise UserError(f"{date:%Y年%-m月%-d日}已录入，请先删除原记录", field="date")
    row = HolidayOverride(date=date, is_workday=is_workday, name=name.strip()[:50])
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action="holiday.create",
        obj=row,
        changes={"date": date, "is_workday": is_workday, "name": row.name},
    )
    return row


@transaction.atomic
def holiday_range_set(
    *, actor: Any, start: dt.date, end: dt.date, is_workday: bool, name: str = ""
) -> list[HolidayOverride]:
    """A holiday of several days (e.g. 国庆 7 days) in one go; all-or-nothing."""
    if end < start:
        raise UserError("结束日期不能早于开始日期", field="end")
    if (end - start).days > 31:
        raise UserError("一次最多录入 31 天", field="end")
    rows = []
    day = start
    while day <= end:
        rows.append(holiday_set(actor=actor, date=day, is_workday=is_workday, name=name))
        day += dt.timedelta(days=1)
    return rows


@transaction.atomic
def holiday_delete(*, actor: Any, row: HolidayOverride) -> None:
    from qingfeng.org import access

    access.require(actor, "calendar.manage")
    row.deleted_at = timezone.now()
    row.save(update_fields=["deleted_at", "updated_at"])
    audit.record(actor=actor, action="holiday.delete", obj=row, changes={"date": row.date})
