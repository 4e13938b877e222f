"""The API's writes and the 责任书 / 述责述廉 reads: the pages' forms, services and visibility (who gets 403 or 404
on every route is in tests/matrix_responsibility.py)."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from qingfeng.core import gongwen
from qingfeng.core.attachments import attachments_of
from qingfeng.responsibility.models import DutyReport, Letter, ResponsibilityItem
from qingfeng.responsibility.services import letters
from qingfeng.responsibility.services.lists import list_publish
from qingfeng.responsibility.tests.test_letters import PDF, TODAY, docx_text
from qingfeng.responsibility.tests.test_lists import YEAR, make_list

API = "/api/v1/responsibility"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _post(client, url: str, body: dict):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def test_items_are_added_edited_and_deleted_while_the_list_allows_it(cast, login) -> None:
    rlist = make_list(cast)
    clerk, finance = login("clerk"), cast.departments["财务股"]
    body = {"content": "开展公务用车专项检查", "owner_department": finance.pk, "deadline": f"{YEAR}-06-30"}
    created = _post(clerk, f"{API}/lists/{rlist.pk}/items", body)
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["seq"], row["owner"], row["progress"], row["task_id"]) == (1, "财务股", "未发布", None)

    # the pages' form and rules: an unknown department, two owners, a date that is not one
    bad = _post(clerk, f"{API}/lists/{rlist.pk}/items", {**body, "owner_department": 999999})
    assert bad.status_code == 400 and bad.json()["field"] == "owner_department" and "责任主体" in bad.json()["detail"]
    both = _post(clerk, f"{API}/lists/{rlist.pk}/items", {**body, "owner_person": cast.users["leader"].person.pk})
    assert both.status_code == 400 and both.json()["detail"] == "责任主体只能是一位领导或一个科室"
    assert _post(clerk, f"{API}/lists/{rlist.pk}/items", {**body, "deadline": "明年"}).status_code == 400
    assert rlist.items.count() == 1  # nothing half-written

    edited = _post(clerk, f"{API}/items/{row['id']}/edit", {**body, "deadline": None, "frequency": "quarterly"})
    assert edited.status_code == 200 and (edited.json()["timing"], edited.json()["deadline"]) == ("每季度", None)
    form = clerk.post(f"{API}/items/{row['id']}/edit", {"content": "按表单字段修改", "owner_department": finance.pk})
    assert form.status_code == 200 and form.json()["content"] == "按表单字段修改"
    assert login("head").post(f"{API}/items/{row['id']}/delete").status_code == 403
    assert clerk.post(f"{API}/items/{row['id']}/delete").status_code == 204
    assert not ResponsibilityItem.objects.filter(pk=row["id"]).exists()

    # a published list: an item added is assigned at once; its items are no longer edited or deleted
    _post(clerk, f"{API}/lists/{rlist.pk}/items", body)
    list_publish(actor=cast.users["clerk"], rlist=rlist)
    added = _post(clerk, f"{API}/lists/{rlist.pk}/items", {**body, "content": "发布后追加的事项"})
    assert added.status_code == 201 and added.json()["task_number"].startswith("督〔")
    assert added.json()["progress"] == "未开始"
    refused = _post(clerk, f"{API}/items/{added.json()['id']}/edit", body)
    assert refused.status_code == 400 and "清单已发布" in refused.json()["detail"]
    assert clerk.post(f"{API}/items/{added.json()['id']}/delete").json()["detail"] == "清单已发布，事项不能删除"


def test_letters_are_listed_downloaded_and_signed(cast, login) -> None:
    letters.letters_prepare(actor=cast.users["clerk"], unit=cast.bureau, year=YEAR)
    letter = Letter.objects.get(unit=cast.bureau, year=YEAR, signer=cast.users["leader"].person)
    leader, clerk = login("leader"), login("clerk")
    (mine,) = leader.get(f"{API}/letters", {"year": YEAR}).json()["items"]  # a leader sees their own
    assert (mine["id"], mine["signer_name"], mine["signed"]) == (letter.pk, "李志强", False)

    document = leader.get(f"{API}/letters/{letter.pk}/docx")
    assert document.status_code == 200 and document["Content-Type"] == DOCX
    assert f"{YEAR}年度党风廉政建设责任书" in docx_text(document.content)

    wrong = leader.post(f"{API}/letters/{letter.pk}/sign", {"file": SimpleUploadedFile("说明.txt", "不是".encode())})
    assert wrong.status_code == 400 and "扫描件" in wrong.json()["detail"]
    none = leader.post(f"{API}/letters/{letter.pk}/sign", {"signed_on": "2020-02-30"})
    assert none.status_code == 400 and none.json()["field"] == "file"
    scan = SimpleUploadedFile("责任书.pdf", PDF, content_type="application/pdf")
    signed = leader.post(f"{API}/letters/{letter.pk}/sign", {"file": scan})
    assert signed.status_code == 200 and (signed.json()["signed"], signed.json()["signed_on"]) == (True, str(TODAY))
    assert attachments_of(letter).count() == 1

    # the office: every letter of the unit, the unsigned first, or only those
    everyone = clerk.get(f"{API}/letters", {"year": YEAR}).json()
    unsigned = clerk.get(f"{API}/letters", {"year": YEAR, "unsigned": "true"}).json()
    assert (everyone["count"], unsigned["count"]) == (14, 13)
    assert everyone["items"][-1]["id"] == letter.pk and letter.pk not in {x["id"] for x in unsigned["items"]}
    assert login("auditor").get(f"{API}/letters").status_code == 403


def test_reports_are_submitted_scored_and_summarised(cast, login) -> None:
    letters.reports_assign(actor=cast.users["clerk"], unit=cast.bureau, year=YEAR, due=TODAY)
    report = DutyReport.objects.get(unit=cast.bureau, year=YEAR, leader=cast.users["leader"].person)
    leader, clerk = login("leader"), login("clerk")
    empty = _post(leader, f"{API}/reports/{report.pk}/submit", {"text": "  "})
    assert empty.status_code == 400 and empty.json()["detail"] == "请填写报告内容或上传 .docx 文件"
    sent = _post(leader, f"{API}/reports/{report.pk}/submit", {"text": "认真履行一岗双责。"})
    assert sent.status_code == 200 and (sent.json()["state"], sent.json()["text"]) == ("已报送", "认真履行一岗双责。")
    docx = gongwen.gongwen_docx(title="述责述廉报告", blocks=[gongwen.Paragraph("一年来履行一岗双责情况。")])
    upload = SimpleUploadedFile("述责述廉.docx", docx)
    assert leader.post(f"{API}/reports/{report.pk}/submit", {"file": upload}).status_code == 200
    assert attachments_of(report).count() == 1 and DutyReport.objects.get(pk=report.pk).text == "认真履行一岗双责。"

    counts = {"excellent": 30, "competent": 8, "basic": 2, "incompetent": 0}
    for role in ("head", "leader"):  # the 民主测评 is the office's
        assert _post(login(role), f"{API}/reports/{report.pk}/score", counts).status_code == 403
    negative = _post(clerk, f"{API}/reports/{report.pk}/score", {**counts, "basic": -1})
    assert negative.status_code == 400 and negative.json()["field"] == "basic"
    zero = _post(clerk, f"{API}/reports/{report.pk}/score", dict.fromkeys(counts, 0))
    assert zero.status_code == 400 and zero.json()["detail"] == "测评票数合计不能为0"
    scored = _post(clerk, f"{API}/reports/{report.pk}/score", counts)
    assert scored.status_code == 200 and (scored.json()["votes"], scored.json()["good_rate"]) == (40, 95)

    listed = clerk.get(f"{API}/reports", {"year": YEAR}).json()
    assert listed["count"] == 6 and report.pk in {x["id"] for x in listed["items"]}
    summary = clerk.get(f"{API}/reports/summary", {"year": YEAR}).json()
    assert summary["title"] == f"{YEAR}年度述责述廉情况汇总表" and summary["header"][:2] == ["序号", "述职人"]
    assert len(summary["rows"]) == 6 and ["李志强", "已报送", 30, 8, 2, 0, "95%"] in [
        [r[1], *r[4:]] for r in summary["rows"]
    ]
    own = leader.get(f"{API}/reports/summary", {"year": YEAR}).json()["rows"]
    assert [r[1] for r in own] == ["李志强"]  # a leader's table holds their own row
