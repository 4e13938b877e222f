"""责任书 (generated .docx with the signer's items, the signed scan, who has not signed) and 述责述廉 (report, 民主测评,
the year's summary table and its .xlsx); and the API."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from qingfeng.core.attachments import attachments_of
from qingfeng.responsibility.models import DutyReport, Letter, Talk
from qingfeng.responsibility.services import letters
from qingfeng.responsibility.services.lists import ItemData, item_add, list_publish
from qingfeng.responsibility.tests.test_lists import YEAR, make_list

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate()


def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_leader_downloads_and_signs_their_letter_and_the_unsigned_are_listed(cast, login) -> None:
    leader = cast.users["leader"].person
    rlist = make_list(cast)
    item_add(
        actor=cast.users["clerk"],
        rlist=rlist,
        data=ItemData(
            content="抓好分管科室党风廉政建设", owner_department=cast.departments["财务股"], frequency="yearly"
        ),
    )
    list_publish(actor=cast.users["clerk"], rlist=rlist)
    assert letters.letters_prepare(actor=cast.users["clerk"], unit=cast.bureau, year=YEAR) == 14  # 6 leaders, 8 heads
    letter = Letter.objects.get(unit=cast.bureau, year=YEAR, signer=leader)
    head_letter = Letter.objects.get(unit=cast.bureau, year=YEAR, signer=cast.users["head"].person)
    assert head_letter.department == cast.departments["财务股"]

    client = login("leader")
    text = docx_text(client.get(f"/responsibility/letters/{letter.pk}/docx/").content)
    assert f"{YEAR}年度党风廉政建设责任书" in text and "李志强" in text
    assert "抓好分管科室党风廉政建设" not in text  # 财务股's item is its head's, not the leader's
    assert "抓好分管科室党风廉政建设" in docx_text(letters.letter_docx(head_letter))

    listing = client.get(f"/responsibility/letters/?year={YEAR}").content.decode()
    assert "未签订" in listing and "李志强" in listing and "陈文斌" not in listing  # a leader sees their own
    wrong = SimpleUploadedFile("说明.txt", "不是扫描件".encode())
    client.post(f"/responsibility/letters/{letter.pk}/sign/", {"file": wrong})
    letter.refresh_from_db()
    assert letter.signed_on is None
    scan = SimpleUploadedFile("责任书.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/responsibility/letters/{letter.pk}/sign/", {"file": scan})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.signed_on == TODAY and attachments_of(letter).count() == 1
    # the head cannot sign the leader's letter (not theirs to see); the office sees who is left
    assert login("head").post(f"/responsibility/letters/{letter.pk}/sign/", {"file": scan}).status_code == 404
    office = login("clerk").get(f"/responsibility/letters/?year={YEAR}&unsigned=1").content.decode()
    assert "未签订 13 份" in office and "陈文斌" in office


def test_reports_are_submitted_scored_and_summarised(cast, login) -> None:
    clerk = cast.users["clerk"]
    assert letters.reports_assign(actor=clerk, unit=cast.bureau, year=YEAR, due=TODAY + dt.timedelta(days=9)) == 6
    mine = DutyReport.objects.get(unit=cast.bureau, year=YEAR, leader=cast.users["leader"].person)
    client = login("leader")
    assert "请填写报告内容" in client.post(f"/responsibility/reports/{mine.pk}/", {"text": ""}).content.decode()
    response = client.post(f"/responsibility/reports/{mine.pk}/", {"text": "认真履行一岗双责。"})
    assert response.status_code == 302
    other = DutyReport.objects.get(unit=cast.bureau, year=YEAR, leader=cast.users["secretary"].person)
    assert client.get(f"/responsibility/reports/{other.pk}/").status_code == 404

    office = login("clerk")
    office.post(
        f"/responsibility/reports/{mine.pk}/score/", {"excellent": 30, "competent": 8, "basic": 2, "incompetent": 0}
    )
    mine.refresh_from_db()
    assert (mine.votes, mine.good_rate) == (40, 95)
    page = office.get(f"/responsibility/reports/?year={YEAR}").content.decode()
    assert "已报送" in page and "未报送" in page and "95%" in page
    sheet = load_workbook(
        BytesIO(b"".join(office.get(f"/responsibility/reports/export.xlsx?year={YEAR}").streaming_content))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "述职人", "职务", "报送期限", "报送情况") and len(rows) == 7
    assert ("李志强", "已报送", 30, 8, 2, 0, "95%") in [(r[1], r[4], *r[5:]) for r in rows]


def test_the_api_lists_items_with_progress_and_records_a_talk(cast, login) -> None:
    rlist = make_list(cast)
    item_add(
        actor=cast.users["clerk"],
        rlist=rlist,
        data=ItemData(
            content="开展专项检查", owner_department=cast.departments["财务股"], deadline=TODAY + dt.timedelta(9)
        ),
    )
    list_publish(actor=cast.users["clerk"], rlist=rlist)
    staff = login("staff")
    (row,) = staff.get(f"/api/v1/responsibility/lists/{rlist.pk}/items").json()
    assert (row["owner"], row["progress"]) == ("财务股", "未开始") and row["task_number"].startswith("督〔")
    assert any(x["id"] == rlist.pk for x in staff.get(f"/api/v1/responsibility/lists?year={YEAR}").json()["items"])

    body = {
        "kind": "heart",
        "talkee": cast.users["head"].person.pk,
        "date": TODAY.isoformat(),
        "place": "会议室",
        "summary": "API 谈话",
    }
    response = login("leader").post("/api/v1/responsibility/talks", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["talker_name"] == "李志强"
    assert Talk.objects.filter(summary="API 谈话").count() == 1
    bad = login("leader").post(
        "/api/v1/responsibility/talks", json.dumps({**body, "talkee": 0}), content_type="application/json"
    )
    assert bad.status_code == 400 and "谈话对象" in bad.json()["detail"]
    assert (
        staff.post("/api/v1/responsibility/talks", json.dumps(body), content_type="application/json").status_code == 403
    )
