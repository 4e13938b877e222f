"""廉政档案 filings: a cadre files their own (the 纪检组长 may register one for anyone of the unit).

Decisions:
1. 婚丧喜庆事宜 are reported BEFORE the event: a report dated after the event is refused. One over the configured
   scale (settings.INTEGRITY_EVENT_MAX_TABLES / _GUESTS) is accepted, flagged, and the unit's 纪检组长 notified.
2. A gift is handed in on or after the day it was received, never before.
3. 个人有关事项报告 one per person and year (a later change is a new report of the same year: allowed, both kept).
4. A 廉洁承诺书 is the signed scan, checked by core.attachments.
5. Changes after filing (filing_update, filing_delete: soft, with a reason): the kind and the person never change (a
   different matter is a new filing). The person corrects or withdraws their own filing within OWN_EDIT_DAYS of
   filing it, and a 婚丧喜庆 report only until the event (afterwards the report is the record of what was declared);
   the 纪检组长 corrects or deletes any filing of the unit at any time. A pledge's signed scan is not replaced (a new
   pledge is filed); a correction that takes a 婚丧 report over the limit flags it to the 纪检组长 again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.attachments import attachment_create, check_upload
from qingfeng.core.errors import UserError
from qingfeng.integrity.models import Filing
from qingfeng.integrity.selectors import cn
from qingfeng.org import access
from qingfeng.org.models import Person, RoleAssignment
from qingfeng.org.roles import Role


@dataclass
class FilingData:
    kind: str
    filed_on: dt.date | None
    year: int | None = None
    event_date: dt.date | None = None
    summary: str = ""
    has_changes: bool = False
    giver: str = ""
    value: Decimal | None = None
    event_kind: str = ""
    guests: int | None = None
    tables: int | None = None
    gifts_policy: str = ""


def may_file_for(actor: Any, person: Person) -> bool:
    """Oneself, or the unit's 纪检组长 for anyone of it."""
    if not access.can(actor, "integrity.file_submit", person.unit):
        return False
    return getattr(actor, "person_id", None) == person.pk or access.holds(actor, Role.INSPECTOR, person.unit)


# Days after filing during which the person may still correct or withdraw their own filing.
OWN_EDIT_DAYS = 30


def change_refusal(actor: Any, filing: Filing) -> str:
    """Why `actor` may not correct or delete `filing` now ("" when they may)."""
    if not access.can(actor, "integrity.file_submit", filing.unit):
        return "无权修改廉政档案"
    if access.holds(actor, Role.INSPECTOR, filing.unit):
        return ""
    if getattr(actor, "person_id", None) != filing.person_id:
        return "只能修改本人填报的廉政档案（纪检组长可修改本单位人员的档案）"
    today = timezone.localdate()
    if (today - filing.filed_on).days > OWN_EDIT_DAYS:
        return f"报告日期已超过{OWN_EDIT_DAYS}日，本人不能再修改或撤回；如需更正，请联系纪检组长"
    if filing.kind == Filing.Kind.FAMILY_EVENT and filing.event_date and filing.event_date < today:
        return "婚丧喜庆事宜已举办，报备不能再由本人修改；如需更正，请联系纪检组长"
    return ""


def may_change(actor: Any, filing: Filing) -> bool:
    return change_refusal(actor, filing) == ""


def filing_problems(data: FilingData) -> list[str]:
    problems = []
    today = timezone.localdate()
    if data.kind not in Filing.Kind.values:
        return ["请选择档案类别"]
    if data.filed_on is None:
        problems.append("请填写报告日期")
    elif data.filed_on > today:
        problems.append("报告日期不能晚于今天")
    if data.kind == Filing.Kind.PERSONAL_MATTERS:
        if not data.year or not 2000 <= data.year <= today.year:
            problems.append("请填写报告年度")
        if not data.summary.strip():
            problems.append("请填写报告内容（婚姻、出国（境）证件、投资、房产等）")
    elif data.kind == Filing.Kind.GIFT:
        if data.event_date is None:
            problems.append("请填写收受日期")
        elif data.filed_on and data.filed_on < data.event_date:
            problems.append("上交日期不能早于收受日期")
        if not data.giver.strip():
            problems.append("请填写赠送人（单位）")
        if not data.summary.strip():
            problems.append("请填写物品或礼金")
        if data.value is None or data.value < 0:
            problems.append("请填写价值（元）")
    elif data.kind == Filing.Kind.FAMILY_EVENT:
        if data.event_kind not in Filing.EventKind.values:
            problems.append("请选择事宜类别")
        if data.event_date is None:
            problems.append("请填写举办日期")
        elif data.filed_on and data.filed_on > data.event_date:
            problems.append(f"婚丧喜庆事宜须在举办前报备：报备日期{cn(data.filed_on)}晚于举办日期{cn(data.event_date)}")
        if data.guests is None or data.tables is None:
            problems.append("请填写规模（人数）和桌数")
        if not data.gifts_policy.strip():
            problems.append("请填写礼金收受安排（如：不收礼金）")
    return problems


def over_limit(data: FilingData) -> bool:
    return (data.tables or 0) > settings.INTEGRITY_EVENT_MAX_TABLES or (
        data.guests or 0
    ) > settings.INTEGRITY_EVENT_MAX_GUESTS


@transaction.atomic
def filing_create(*, actor: Any, person: Person, data: FilingData, upload: UploadedFile | None = None) -> Filing:
    if not may_file_for(actor, person):
        raise UserError("只能为本人填报廉政档案（纪检组长可为本单位人员登记）")
    problems = filing_problems(data)
    if data.kind == Filing.Kind.PLEDGE:
        try:
            check_upload(upload)
        except UserError as exc:
            problems.append(exc.message if upload is not None else "请上传签字的廉洁承诺书扫描件")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    year = data.year or (data.event_date or data.filed_on).year  # type: ignore[union-attr]
    filing = Filing(
        unit=person.unit,
        person=person,
        kind=data.kind,
        year=year,
        filed_on=data.filed_on,
        event_date=data.event_date if data.kind in (Filing.Kind.GIFT, Filing.Kind.FAMILY_EVENT) else None,
        summary=data.summary.strip(),
        has_changes=data.has_changes if data.kind == Filing.Kind.PERSONAL_MATTERS else False,
        giver=data.giver.strip()[:100] if data.kind == Filing.Kind.GIFT else "",
        value=data.value if data.kind == Filing.Kind.GIFT else None,
        created_by=actor,
    )
    if data.kind == Filing.Kind.FAMILY_EVENT:
        filing.event_kind, filing.guests, filing.tables = data.event_kind, data.guests, data.tables
        filing.gifts_policy = data.gifts_policy.strip()[:100]
        filing.over_limit = over_limit(data)
    filing.full_clean()
    filing.save()
    if upload is not None and data.kind == Filing.Kind.PLEDGE:
        attachment_create(actor=actor, owner=filing, unit=person.unit, upload=upload)
    audit.record(
        actor=actor,
        action="filing.create",
        obj=filing,
        changes={"kind": filing.kind, "person": person.pk, "year": filing.year, "over_limit": filing.over_limit},
    )
    if filing.over_limit:
        _flag(filing)
    return filing


# The fields a correction may change, per kind (the kind and the person never change).
EDITABLE = {
    Filing.Kind.PERSONAL_MATTERS: ["year", "filed_on", "summary", "has_changes"],
    Filing.Kind.GIFT: ["filed_on", "event_date", "summary", "giver", "value"],
    Filing.Kind.FAMILY_EVENT: ["filed_on", "event_date", "summary", "event_kind", "guests", "tables", "gifts_policy"],
    Filing.Kind.PLEDGE: ["year", "filed_on", "summary"],
}
TEXT_LIMITS = {"giver": 100, "gifts_policy": 100}


@transaction.atomic
def filing_update(*, actor: Any, filing: Filing, data: FilingData) -> Filing:
    """Correct a filing (decision 5). `data.kind` must be the filing's own kind."""
    refusal = change_refusal(actor, filing)
    if refusal:
        raise UserError(refusal)
    if data.kind != filing.kind:
        raise UserError("档案类别不能修改；如为其他事项，请另行填报")
    problems = filing_problems(data)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    fields = EDITABLE[filing.kind]
    before = {f: getattr(filing, f) for f in fields}
    for f in fields:
        value = getattr(data, f)
        if isinstance(value, str):
            value = value.strip()[: TEXT_LIMITS.get(f, 10_000)]
        setattr(filing, f, value)
    if filing.kind in (Filing.Kind.GIFT, Filing.Kind.FAMILY_EVENT):
        filing.year = filing.event_date.year  # type: ignore[union-attr]
    elif not filing.year:
        filing.year = filing.filed_on.year
    was_over = filing.over_limit
    if filing.kind == Filing.Kind.FAMILY_EVENT:
        filing.over_limit = over_limit(data)
    changes = audit.diff(before, {f: getattr(filing, f) for f in fields})
    if filing.over_limit != was_over:
        changes["over_limit"] = [was_over, filing.over_limit]
    if not changes:
        return filing
    filing.full_clean()
    filing.save(update_fields=[*fields, "year", "over_limit", "updated_at"])
    audit.record(actor=actor, action="filing.update", obj=filing, changes={**changes, "person": filing.person_id})
    if filing.over_limit and not was_over:
        _flag(filing)
    return filing


@transaction.atomic
def filing_delete(*, actor: Any, filing: Filing, reason: str) -> None:
    """Withdraw a filing (soft delete, decision 5); a pledge's scan stays with it."""
    refusal = change_refusal(actor, filing)
    if refusal:
        raise UserError(refusal)
    if not reason.strip():
        raise UserError("请填写删除原因", field="reason")
    filing.deleted_at = timezone.now()
    filing.save(update_fields=["deleted_at", "updated_at"])
    audit.record(
        actor=actor,
        action="filing.delete",
        obj=filing,
        changes={"reason": reason.strip()[:200], "kind": filing.kind, "person": filing.person_id},
    )


def _flag(filing: Filing) -> None:
    inspectors = [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.INSPECTOR, unit=filing.unit, revoked_at__isnull=True, user__is_active=True
        ).select_related("user")
    ]
    if not inspectors:
        return
    limit = f"{settings.INTEGRITY_EVENT_MAX_TABLES}桌/{settings.INTEGRITY_EVENT_MAX_GUESTS}人"
    notify.send(
        recipients=inspectors,
        title=f"婚丧喜庆事宜报备超规模：{filing.person.name}",
        body=(
            f"{filing.person.name}报备{filing.get_event_kind_display()}事宜（{cn(filing.event_date)}），"
            f"规模{filing.guests}人、{filing.tables}桌，超过规定的{limit}。请核实。"
        ),
        link=reverse("integrity:file_detail", args=[filing.person_id]),
    )
