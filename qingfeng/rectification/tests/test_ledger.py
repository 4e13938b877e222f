"""整改台账: the page (a page of findings, measures visible to the user, fixed query count) and the .xlsx export,
read back with openpyxl (content, merged finding cells, layout)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qingfeng.core.models import AuditEvent
from qingfeng.org.models import Person
from qingfeng.rectification.models import Measure
from qingfeng.rectification.services import ledger
from qingfeng.rectification.services.rounds import finding_create, measure_create, round_create
from qingfeng.supervision.models import Task
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import task_sign_for

pytestmark = pytest.mark.django_db
CLOSED_AT = dt.datetime(2023, 9, 20, 10, 0, tzinfo=dt.UTC)


def _world(cast, findings: int = 2):  # type: ignore[no-untyped-def]
    """A round: finding 1 with two measures of 财务股 (one reported with evidence, one closed), finding 2 with a
    measure of 办公室 under someone else (staff of 财务股 does not see it); further findings one measure each."""
    clerk, head, staff, leader = (cast.users[r] for r in ("clerk", "head", "staff", "leader"))
    finance, office = cast.departments["财务股"], cast.departments["办公室"]
    other = Person.objects.filter(unit=cast.bureau, department=office).exclude(pk=clerk.person.pk).first()
    today = timezone.localdate()
    round_ = round_create(
        actor=clerk, unit=cast.bureau, name="市委第二轮巡察", body="市委第十巡察组", kind="xuncha", feedback_date=today
    )
    f1 = finding_create(
        actor=clerk, round_=round_, number="1", category="作风建设", description="会议多、文件多", order=1
    )
    m1 = measure_create(
        actor=clerk,
        finding=f1,
        text="精简会议文件",
        department=finance,
        lead_leader=leader.person,
        responsible_person=staff.person,
        deadline=today + dt.timedelta(days=30),
    )
    m2 = measure_create(
        actor=clerk,
        finding=f1,
        text="建立发文审核制度",
        department=finance,
        lead_leader=leader.person,
        responsible_person=staff.person,
        deadline=today + dt.timedelta(days=10),
    )
    task_sign_for(actor=head, part=m1.task.lead_part())
    upload = SimpleUploadedFile("会议精简方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    task_report_progress(actor=head, part=m1.task.lead_part(), percent=60, text="已制定精简方案", uploads=[upload])
    Task.objects.filter(pk=m2.task_id).update(status=Task.Status.DONE, closed_at=CLOSED_AT, percent=100)
    f2 = finding_create(actor=clerk, round_=round_, number="2", category="财务管理", description="报销不规范", order=2)
    measure_create(
        actor=clerk,
        finding=f2,
        text="清理报销凭证",
        department=office,
        lead_leader=leader.person,
        responsible_person=other,
        kind=Measure.Kind.LONG_TERM,
    )
    for n in range(3, findings + 1):
        f = finding_create(
            actor=clerk, round_=round_, number=str(n), category="纪律建设", description=f"问题{n}", order=n
        )
        measure_create(
            actor=clerk,
            finding=f,
            text=f"措施{n}",
            department=finance,
            lead_leader=leader.person,
            responsible_person=staff.person,
            deadline=today + dt.timedelta(days=5),
        )
    return round_


def _xlsx(response):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_has_the_columns_the_rows_and_the_merged_finding_cells(cast, login) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    response = login("clerk").get(reverse("rectification:ledger_export", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = _xlsx(response)["整改台账"]
    assert sheet["A1"].value == "市委第二轮巡察反馈问题整改台账"
    assert [c.value for c in sheet[2]] == ledger.HEADER
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 3  # one row per measure
    first, second, third = rows
    assert first[:4] == ["1", "作风建设", "会议多、文件多", "精简会议文件"]
    assert first[4:9] == ["李志强", "财务股", "杨丽娟", first[7], "限期整改"]
    assert first[9] == "已制定精简方案（进度60%）" and first[10] == "整改中"
    assert first[11] == "会议精简方案.pdf" and first[12] == "未销号"
    assert second[:3] == [None, None, None] and second[3] == "建立发文审核制度"
    assert second[10] == "已整改" and second[12] == "已销号（2023年9月20日）"
    assert second[9] == "尚未报送进展（进度100%）"
    assert third[:3] == ["2", "财务管理", "报销不规范"] and third[7] == "长期坚持" and third[10] == "长期坚持"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:M1", "A3:A4", "B3:B4", "C3:C4"} <= merged
    assert not any(r.startswith("A5") for r in merged)  # a finding with one measure is not merged
    # layout: frozen header, widths, wrapped and bordered cells, landscape A4
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["C"].width == 40
    assert sheet["D3"].alignment.wrap_text and sheet["D3"].border.left.style == "thin"
    assert sheet["A2"].font.bold and sheet["A2"].alignment.horizontal == "center"
    assert sheet.page_setup.orientation == "landscape"
    event = AuditEvent.objects.filter(action="ledger.export").latest("id")
    assert event.object_id == str(round_.pk) and event.actor_id == cast.users["clerk"].pk


def test_the_export_holds_only_the_measures_the_user_sees(cast, login) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    sheet = _xlsx(login("staff").get(reverse("rectification:ledger_export", args=[round_.pk])))["整改台账"]
    texts = [row[3].value for row in sheet.iter_rows(min_row=3)]
    assert texts == ["精简会议文件", "建立发文审核制度"]


def test_the_page_shows_the_ledger_with_rowspans(cast, login) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    response = login("clerk").get(reverse("rectification:ledger", args=[round_.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ledger.HEADER:
        assert f'<th scope="col">{name}</th>' in html
    assert 'rowspan="2">1</td>' in html and "已销号（2023年9月20日）" in html and "会议精简方案.pdf" in html
    staff_html = login("staff").get(reverse("rectification:ledger", args=[round_.pk])).content.decode()
    assert "精简会议文件" in staff_html and "清理报销凭证" not in staff_html


def _page_queries(cast, client, findings: int) -> int:  # type: ignore[no-untyped-def]
    round_ = _world(cast, findings=findings)
    url = reverse("rectification:ledger", args=[round_.pk])
    client.get(url)  # warm the session and the content-type cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_the_findings(cast, login) -> None:  # type: ignore[no-untyped-def]
    client = login("clerk")
    small = _page_queries(cast, client, 3)
    large = _page_queries(cast, client, 15)
    assert small == large
    # session, user, roles, person; round; count and page of findings; measures (people and task joined),
    # reports, attachments; the shell's unread count and unit (the session's renewal is written once a minute)
    assert small == 12, small


def test_the_page_is_paginated_by_finding(cast, login) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast, findings=25)
    html = login("clerk").get(reverse("rectification:ledger", args=[round_.pk]) + "?page=2").content.decode()
    assert "第 2 / 2 页，共 25 条" in html
    assert "措施21" in html and "措施20" not in html


def test_a_round_outside_the_scope_is_not_found(cast, login) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    assert login("outsider").get(reverse("rectification:ledger_export", args=[round_.pk])).status_code == 404
