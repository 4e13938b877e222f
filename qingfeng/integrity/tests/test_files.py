"""廉政档案: filing rules (婚丧 reported before the event; over the limit accepted, flagged, the 纪检组长 notified), who
sees whose file, the pledge upload, and the .docx export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from qingfeng.core.errors import UserError
from qingfeng.core.models import Attachment, Notification
from qingfeng.integrity.models import Filing
from qingfeng.integrity.services import filings

pytestmark = pytest.mark.django_db


def _event(cast, *, days: int = 20, tables: int = 8, guests: int = 80, filed_on=None):  # type: ignore[no-untyped-def]
    staff = cast.users["staff"]
    today = timezone.localdate()
    return filings.filing_create(
        actor=staff,
        person=staff.person,
        data=filings.FilingData(
            kind=Filing.Kind.FAMILY_EVENT,
            filed_on=filed_on or today,
            event_date=today + dt.timedelta(days=days),
            event_kind=Filing.EventKind.WEDDING,
            guests=guests,
            tables=tables,
            gifts_policy="不收礼金",
        ),
    )


def test_a_report_dated_after_the_event_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    before = Filing.all_objects.count()
    with pytest.raises(UserError, match="婚丧喜庆事宜须在举办前报备：报备日期.*晚于举办日期"):
        _event(cast, days=-3)
    assert Filing.all_objects.count() == before


def test_over_the_limit_is_accepted_flagged_and_the_inspector_notified(cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.INTEGRITY_EVENT_MAX_TABLES = 10
    assert not _event(cast, tables=10, guests=100).over_limit
    filing = _event(cast, tables=16, guests=150)
    assert filing.over_limit
    note = Notification.objects.filter(recipient=cast.users["inspector"]).order_by("-id").first()
    assert "婚丧喜庆事宜报备超规模：杨丽娟" in note.title and "16桌" in note.body


def test_only_oneself_or_the_inspector_files(cast) -> None:  # type: ignore[no-untyped-def]
    data = filings.FilingData(kind=Filing.Kind.PERSONAL_MATTERS, filed_on=timezone.localdate(), summary="无变化")
    data.year = timezone.localdate().year
    with pytest.raises(UserError, match="只能为本人填报"):
        filings.filing_create(actor=cast.users["head"], person=cast.users["staff"].person, data=data)
    assert filings.filing_create(actor=cast.users["inspector"], person=cast.users["staff"].person, data=data)


def test_a_gift_handed_in_before_it_was_received_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = filings.FilingData(
        kind=Filing.Kind.GIFT,
        filed_on=today - dt.timedelta(days=2),
        event_date=today,
        giver="某公司",
        summary="茶叶",
        value=Decimal("300"),
    )
    with pytest.raises(UserError, match="上交日期不能早于收受日期"):
        filings.filing_create(actor=cast.users["staff"], person=cast.users["staff"].person, data=data)


def test_a_pledge_needs_its_signed_scan(cast, login) -> None:  # type: ignore[no-untyped-def]
    client = login("staff")
    url = reverse("integrity:filing_new", args=[cast.users["staff"].person.pk])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"kind": "pledge", "filed_on": today, "year": timezone.localdate().year})
    assert "请上传签字的廉洁承诺书扫描件" in response.content.decode()
    scan = SimpleUploadedFile("承诺书.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = client.post(url, {"kind": "pledge", "filed_on": today, "year": timezone.localdate().year, "file": scan})
    assert response.status_code == 302
    filing = Filing.objects.filter(person=cast.users["staff"].person, kind="pledge").get()
    scan = Attachment.objects.get(owner_id=filing.pk, original_name="承诺书.pdf")
    page = client.get(reverse("integrity:file_detail", args=[cast.users["staff"].person.pk])).content.decode()
    assert reverse("core:attachment_download", args=[scan.pk]) in page
    download = reverse("core:attachment_download", args=[scan.pk])
    assert client.get(download).status_code == 200
    # The scan is as personal as the file: the office and the department head do not reach it by its id
    # (access.BusinessScope.personal); the 纪检组长 and the leader of the department do.
    for role, status in [("clerk", 404), ("head", 404), ("outsider", 404), ("inspector", 200), ("leader", 200)]:
        assert login(role).get(download).status_code == status, role


def test_who_sees_whose_file(cast, login) -> None:  # type: ignore[no-untyped-def]
    staff_person = cast.users["staff"].person  # 财务股, supervised by the leader

    def names(role: str) -> set[str]:
        return {p.name for p in login(role).get(reverse("integrity:file_list")).context["page_obj"]}

    assert names("staff") == {"杨丽娟"}
    assert names("head") == {"陈文斌"}  # a head sees only their own file
    leader = names("leader")
    assert "杨丽娟" in leader and "刘海燕" not in leader  # 分管 财务股 and 计划项目股, not 办公室
    assert {"杨丽娟", "刘海燕", "陈文斌"} <= names("inspector")
    assert (
        login("leader").get(reverse("integrity:file_detail", args=[cast.users["clerk"].person.pk])).status_code == 404
    )
    assert login("leader").get(reverse("integrity:file_detail", args=[staff_person.pk])).status_code == 200


def test_the_docx_export_has_every_section(cast, login) -> None:  # type: ignore[no-untyped-def]
    _event(cast)
    response = login("inspector").get(reverse("integrity:file_export", args=[cast.users["staff"].person.pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "杨丽娟同志廉政档案" in text
    for heading in ("个人有关事项报告", "礼品礼金上交登记", "婚丧喜庆事宜报备", "廉洁承诺书", "四种形态"):
        assert heading in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "不收礼金" in cells
    # the staff member's own export has no ledger section
    own = login("staff").get(reverse("integrity:file_export", args=[cast.users["staff"].person.pk]))
    assert "四种形态" not in "\n".join(p.text for p in Document(io.BytesIO(own.content)).paragraphs)


def test_the_file_shows_the_talks_received_and_the_duties_held(cast, login) -> None:  # type: ignore[no-untyped-def]
    from qingfeng.responsibility.services.talks import talk_create

    staff = cast.users["staff"].person
    talk_create(
        actor=cast.users["secretary"],
        unit=cast.bureau,
        kind="reminder",
        talker=cast.users["secretary"].person,
        talkee=staff,
        date=timezone.localdate(),
        place="党组书记办公室",
        summary="提醒报销单据须按时整理归档",
    )
    url = reverse("integrity:file_detail", args=[staff.pk])
    own = login("staff").get(url).content.decode()
    assert "接受谈话情况" in own and "提醒报销单据须按时整理归档" in own
    assert "承担的责任清单事项" in own
    # the 分管 leader sees the file but not a talk someone else gave (responsibility's Talk scope)
    assert "提醒报销单据须按时整理归档" not in login("leader").get(url).content.decode()
