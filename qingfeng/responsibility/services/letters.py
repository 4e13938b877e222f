"""党风廉政建设责任书 and 述责述廉.

责任书: the office prepares the year's letters (one per 班子成员 and per 科室负责人); each letter is generated as a
.docx in 公文 layout with the signer's items; the signed scan is uploaded by the signer, or by the office for them;
the letters without a scan are the "not signed yet" list.

述责述廉: the office asks the 班子成员 for the year's report by a date; each leader submits text or a .docx (late
reports are accepted and shown as late); the office enters the 民主测评 counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qingfeng.core import audit, gongwen
from qingfeng.core.attachments import attachment_create, check_upload
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Person, Unit
from qingfeng.responsibility import people
from qingfeng.responsibility.models import DutyReport, Letter, ResponsibilityItem, ResponsibilityList
from qingfeng.supervision.services._common import cn_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png", "application/x-ofd"}


def _acts_for(actor: Any, person: Person, unit: Unit) -> bool:
    """The person themself (with responsibility.sign), or the office (responsibility.manage)."""
    own = getattr(actor, "person", None)
    if own is not None and own.pk == person.pk and access.can(actor, "responsibility.sign", unit):
        return True
    return access.can(actor, "responsibility.manage", unit)


def may_sign(actor: Any, letter: Letter) -> bool:
    """Who may upload a letter's signed scan: the signer themself or the office for them."""
    return _acts_for(actor, letter.signer, letter.unit)


@transaction.atomic
def letters_prepare(*, actor: Any, unit: Unit, year: int) -> int:
    """The year's letters for every 班子成员 and 科室负责人 who has none yet; returns how many were made."""
    access.require(actor, "responsibility.manage", unit)
    have = set(Letter.objects.filter(unit=unit, year=year).values_list("signer_id", flat=True))
    made = []
    for leader in people.leaders(unit):
        if leader.pk not in have:
            made.append(Letter(unit=unit, year=year, signer=leader, signer_kind=Letter.SignerKind.LEADER))
            have.add(leader.pk)
    for dept_id, head in sorted(people.department_heads(unit).items()):
        if head.pk not in have:
            made.append(
                Letter(unit=unit, year=year, signer=head, signer_kind=Letter.SignerKind.HEAD, department_id=dept_id)
            )
            have.add(head.pk)
    Letter.objects.bulk_create(made)
    audit.record(
        actor=actor, action="letter.prepare", obj=unit, changes={"year": year, "signers": [x.signer.name for x in made]}
    )
    return len(made)


def letter_items(letter: Letter) -> list[ResponsibilityItem]:
    """The signer's items of the year's published lists: a leader's own (and their 一岗双责 list's), a head's
    department's."""
    q = Q(owner_person=letter.signer) | Q(responsible_person=letter.signer) | Q(rlist__leader=letter.signer)
    if letter.department_id:
        q |= Q(owner_department_id=letter.department_id)
    return list(
        ResponsibilityItem.objects.filter(
            q, unit=letter.unit, rlist__year=letter.year, rlist__status=ResponsibilityList.Status.PUBLISHED
        )
        .select_related("rlist", "owner_person", "owner_department", "responsible_person")
        .order_by("rlist__kind", "rlist_id", "seq")
    )


def letter_docx(letter: Letter) -> bytes:
    """The letter in 公文 layout: the commitments, the signer's items as a table, the signature block."""
    signer = letter.signer
    who = f"{letter.department.name}负责人" if letter.department_id else "班子成员"
    items = letter_items(letter)
    blocks: list[gongwen.Block] = [
        gongwen.Paragraph(
            f"为深入落实全面从严治党主体责任和“一岗双责”，根据党风廉政建设责任制的规定，{letter.unit.name}党组与"
            f"{who}{signer.name}同志签订{letter.year}年度党风廉政建设责任书。"
        ),
        gongwen.Heading(1, "一、责任内容"),
    ]
    if items:
        blocks.append(
            gongwen.Table(
                header=["序号", "责任内容", "具体措施", "完成时限/频次"],
                rows=[[i, item.content, item.measures, item.timing] for i, item in enumerate(items, start=1)],
                widths_mm=[12, 60, 60, 24],
            )
        )
    else:
        blocks.append(gongwen.Paragraph("履行本岗位党风廉政建设职责，抓好分管领域（本科室）廉政风险防控。"))
    blocks += [
        gongwen.Heading(1, "二、责任要求"),
        gongwen.Paragraph(
            "责任人对职责范围内的党风廉政建设负直接领导责任，做到守土有责、守土负责、守土尽责；"
            "严格遵守中央八项规定及其实施细则精神，带头廉洁自律，接受组织和群众监督。"
        ),
        gongwen.Heading(1, "三、考核与追究"),
        gongwen.Paragraph("本责任书执行情况纳入年度述责述廉和考核，对履职不力的依规依纪追究责任。"),
        gongwen.Paragraph("党组书记（签字）：　　　　　　　　责任人（签字）："),
        gongwen.Paragraph(f"{letter.year}年　　月　　日"),
    ]
    return gongwen.gongwen_docx(title=f"{letter.year}年度党风廉政建设责任书", blocks=blocks)


@transaction.atomic
def letter_sign(*, actor: Any, letter: Letter, upload: UploadedFile | None, signed_on: dt.date | None = None) -> Letter:
    """Upload the signed scan (PDF, image or OFD): the signer themself or the office for them."""
    if not may_sign(actor, letter):
        access.require(actor, "responsibility.manage", letter.unit)
    mime = check_upload(upload)
    if mime not in SCAN_TYPES:
        raise UserError("请上传签字后的扫描件（PDF、JPG、PNG 或 OFD）")
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        raise UserError("签订日期不能晚于今天", field="signed_on")
    attachment_create(actor=actor, owner=letter, unit=letter.unit, upload=upload)  # type: ignore[arg-type]
    before = letter.signed_on
    letter.signed_on, letter.uploaded_by = signed_on, actor
    letter.save(update_fields=["signed_on", "uploaded_by", "updated_at"])
    audit.record(actor=actor, action="letter.sign", obj=letter, changes={"signed_on": [before, signed_on]})
    return letter


# ------------------------------------------------------------------------------------------------ 述责述廉


@transaction.atomic
def reports_assign(*, actor: Any, unit: Unit, year: int, due: dt.date) -> int:
    """Ask every 班子成员 for the year's report by `due` (the ones already asked keep theirs)."""
    access.require(actor, "responsibility.manage", unit)
    have = set(DutyReport.objects.filter(unit=unit, year=year).values_list("leader_id", flat=True))
    made = [DutyReport(unit=unit, year=year, leader=p, due=due) for p in people.leaders(unit) if p.pk not in have]
    DutyReport.objects.bulk_create(made)
    audit.record(actor=actor, action="duty_report.assign", obj=unit, changes={"year": year, "due": due, "n": len(made)})
    return len(made)


def may_submit(actor: Any, report: DutyReport) -> bool:
    """The leader themself or the office (responsibility.manage) submits a report."""
    own = getattr(actor, "person", None)
    return (own is not None and own.pk == report.leader_id) or access.can(actor, "responsibility.manage", report.unit)


@transaction.atomic
def report_submit(*, actor: Any, report: DutyReport, text: str, upload: UploadedFile | None = None) -> DutyReport:
    """The leader's report: text, or a .docx (or both). Resubmitting replaces the text and adds the file."""
    if not may_submit(actor, report):
        raise UserError("只有述职人本人或办公室可以报送述责述廉报告")
    if not text.strip() and upload is None:
        raise UserError("请填写报告内容或上传 .docx 文件", field="text")
    if upload is not None:
        if check_upload(upload) != DOCX:
            raise UserError("报告文件须为 Word（.docx）格式", field="file")
        attachment_create(actor=actor, owner=report, unit=report.unit, upload=upload)
    late = timezone.localdate() > report.due
    report.text = text.strip() or report.text
    report.submitted_at = timezone.now()
    report.save(update_fields=["text", "submitted_at", "updated_at"])
    audit.record(
        actor=actor,
        action="duty_report.submit",
        obj=report,
        changes={"late": late, "file": upload.name if upload else "", "chars": len(report.text)},
    )
    return report


@transaction.atomic
def report_score(*, actor: Any, report: DutyReport, counts: dict[str, int | None]) -> DutyReport:
    """民主测评: the counts of 优秀/称职/基本称职/不称职 votes."""
    access.require(actor, "responsibility.manage", report.unit)
    names = ["excellent", "competent", "basic", "incompetent"]
    values = [counts.get(n) for n in names]
    if any(v is None or v < 0 for v in values):
        raise UserError("请填写优秀、称职、基本称职、不称职的票数（不小于0的整数）")
    if sum(values) == 0:  # type: ignore[arg-type]
        raise UserError("测评票数合计不能为0")
    before = {n: getattr(report, n) for n in names}
    for n, v in zip(names, values, strict=True):
        setattr(report, n, v)
    report.save(update_fields=[*names, "updated_at"])
    audit.record(actor=actor, action="duty_report.score", obj=report, changes=audit.diff(before, counts))
    return report


SUMMARY_HEADER = ["序号", "述职人", "职务", "报送期限", "报送情况", "优秀", "称职", "基本称职", "不称职", "好评率"]


def report_state(report: DutyReport) -> str:
    """报送情况: 未报送, 已报送 or 逾期报送 (submitted after the day it was due)."""
    if report.submitted_at is None:
        return "未报送"
    return "逾期报送" if timezone.localdate(report.submitted_at) > report.due else "已报送"


def summary_rows(reports: list[DutyReport]) -> list[list[Any]]:
    rows = []
    for i, r in enumerate(reports, start=1):
        state = report_state(r)
        rate = r.good_rate
        rows.append(
            [
                i,
                r.leader.name,
                r.leader.post,
                cn_date(r.due),
                state,
                r.excellent,
                r.competent,
                r.basic,
                r.incompetent,
                f"{rate}%" if rate is not None else "",
            ]
        )
    return rows
