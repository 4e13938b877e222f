"""The rule registry: register a rule (pasted text or a .docx), revise it (a new version), repeal it, the diff between
two versions (difflib), and rules_due(): the review reminder the worker sends, once per rule and review date."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Unit, User
from qingfeng.org.roles import Role
from qingfeng.rules.models import ReviewReminder, Rule, RuleVersion
from qingfeng.supervision import reading
from qingfeng.supervision.services._common import clerks_of, cn_date

MANAGE = "rules.manage"
MAX_TEXT = 500_000  # characters: a long rule with its annexes is a few tens of thousands


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def review_date_for(day: dt.date) -> dt.date:
    return add_years(day, max(1, settings.RULES_REVIEW_YEARS))


def text_of(*, text: str = "", upload: UploadedFile | None = None) -> str:
    """The full text: an uploaded .docx (or .txt) wins over the pasted text; a file that is not one is refused."""
    if upload is not None:
        if not upload.name.lower().endswith((".docx", ".txt")):
            raise UserError("请上传 .docx 格式的 Word 文件（或 .txt 文本）", field="upload")
        if upload.size and upload.size > reading.MAX_BYTES:
            raise UserError(reading.TOO_BIG, field="upload")
        try:
            text = reading.read_bytes(upload.read(), upload.name)
        except UserError as exc:
            raise UserError(exc.message, field="upload") from None
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise UserError("请粘贴制度全文或上传 .docx 文件", field="text")
    if len(text) > MAX_TEXT:
        raise UserError(f"制度全文超过{MAX_TEXT}字，请分册登记", field="text")
    return text


@transaction.atomic
def rule_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    department: Department | None,
    effective_date: dt.date | None,
    text: str,
    number: str = "",
) -> Rule:
    """Register a rule in force: version 1, reviewed RULES_REVIEW_YEARS after it took effect."""
    access.require(actor, MANAGE, unit)
    problems = []
    if not title.strip():
        problems.append("请填写制度名称")
    if department is None or department.unit_id != unit.pk:
        problems.append("请选择本单位的制定科室")
    if effective_date is None:
        problems.append("请填写生效日期")
    if not text.strip():
        problems.append("请粘贴制度全文或上传 .docx 文件")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    assert effective_date is not None
    rule = Rule(
        unit=unit,
        title=title.strip()[:200],
        number=number.strip()[:100],
        department=department,
        effective_date=effective_date,
        text=text,
        review_date=review_date_for(effective_date),
        created_by=actor,
    )
    rule.full_clean()
    rule.save()
    RuleVersion.objects.create(rule=rule, number=1, text=text, effective_date=effective_date, created_by=actor)
    audit.record(
        actor=actor,
        action="rule.create",
        obj=rule,
        changes={"title": rule.title, "number": rule.number, "effective_date": effective_date},
    )
    return rule


@transaction.atomic
def rule_revise(
    *, actor: Any, rule: Rule, text: str, effective_date: dt.date | None, change_note: str = "", number: str = ""
) -> RuleVersion:
    """A new version becomes current (the rule is 已修订 and its review date starts again). A version dated before
    the current one, the same text again or a repealed rule is refused."""
    access.require(actor, MANAGE, rule.unit)
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.status == Rule.Status.REPEALED:
        raise UserError("该制度已废止，不能修订")
    current = rule.versions.get(number=rule.version)
    if effective_date is None:
        raise UserError("请填写新版本的生效日期", field="effective_date")
    if effective_date < current.effective_date:
        raise UserError(
            f"新版本的生效日期{cn_date(effective_date)}早于现行版本的{cn_date(current.effective_date)}",
            field="effective_date",
        )
    if text.strip() == current.text.strip():
        raise UserError("新版本全文与现行版本相同，无需修订", field="text")
    version = RuleVersion.objects.create(
        rule=rule,
        number=rule.version + 1,
        text=text,
        effective_date=effective_date,
        change_note=change_note.strip(),
        created_by=actor,
    )
    rule.version, rule.text, rule.status = version.number, text, Rule.Status.REVISED
    rule.effective_date, rule.review_date = effective_date, review_date_for(effective_date)
    if number.strip():
        rule.number = number.strip()[:100]
    rule.save(update_fields=["version", "text", "status", "effective_date", "review_date", "number", "updated_at"])
    audit.record(
        actor=actor,
        action="rule.revise",
        obj=rule,
        changes={"version": version.number, "effective_date": effective_date, "change_note": change_note[:200]},
    )
    return version


@transaction.atomic
def rule_repeal(*, actor: Any, rule: Rule, day: dt.date, note: str = "") -> Rule:
    access.require(actor, MANAGE, rule.unit)
    if rule.status == Rule.Status.REPEALED:
        raise UserError("该制度已废止")
    rule.status, rule.repealed_on, rule.review_date = Rule.Status.REPEALED, day, None
    rule.save(update_fields=["status", "repealed_on", "review_date", "updated_at"])
    audit.record(actor=actor, action="rule.repeal", obj=rule, changes={"repealed_on": day, "note": note[:200]})
    return rule


# --- the diff between two versions -------------------------------------------------------------------------------


@dataclass
class DiffRow:
    tag: str  # equal, replace, delete, insert
    left: str
    right: str
    left_no: int | None
    right_no: int | None


def diff_rows(old: str, new: str) -> list[DiffRow]:
    """A side-by-side diff by lines (difflib.SequenceMatcher): each row the old line and the new one."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            rows.append(
                DiffRow(
                    tag,
                    a[i] if i < i2 else "",
                    b[j] if j < j2 else "",
                    i + 1 if i < i2 else None,
                    j + 1 if j < j2 else None,
                )
            )
    return rows


def diff_summary(rows: list[DiffRow]) -> str:
    added = sum(1 for r in rows if r.tag in ("insert", "replace") and r.right_no)
    removed = sum(1 for r in rows if r.tag in ("delete", "replace") and r.left_no)
    return f"新增或改写{added}行，删除或被改写{removed}行" if added or removed else "两个版本全文相同"


# --- the review reminder -----------------------------------------------------------------------------------------


def rules_due(today: dt.date | None = None) -> int:
    """Remind the office and the issuing department's head of each rule in force whose review date falls within
    RULES_REVIEW_REMIND_DAYS (or has passed). One ReviewReminder row per (rule, review date): a second run, or a
    second worker, sends nothing. Returns the number of reminders sent."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.RULES_REVIEW_REMIND_DAYS)
    due = (
        Rule.objects.filter(review_date__lte=horizon, unit__deleted_at__isnull=True)
        .exclude(status=Rule.Status.REPEALED)
        .select_related("unit", "department")
    )
    sent_before = set(ReviewReminder.objects.filter(rule__in=due).values_list("rule_id", "review_date"))
    sent = 0
    for rule in due:
        if (rule.pk, rule.review_date) not in sent_before:
            sent += _remind(rule)
    return sent


def _recipients(rule: Rule) -> list[User]:
    heads = User.objects.filter(
        is_active=True,
        person__department=rule.department,
        role_assignments__role=Role.HEAD,
        role_assignments__revoked_at__isnull=True,
    ).distinct()
    return list({*heads, *clerks_of(rule.unit)})


def _remind(rule: Rule) -> int:
    recipients = _recipients(rule)
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(rule=rule, review_date=rule.review_date, recipients=len(recipients))
            notify.send(
                recipients=recipients,
                title=f"制度复审提醒：《{rule.title}》",
                body=(
                    f"{rule.unit.name}《{rule.title}》{rule.number}须于{cn_date(rule.review_date)}前复审。"
                    "请制定科室评估是否需要修订或废止，需要时在“废改立”中提出。"
                ),
                link=reverse("rules:rule_detail", args=[rule.pk]),
            )
    except IntegrityError:  # another worker sent it a moment ago
        return 0
    return 1
