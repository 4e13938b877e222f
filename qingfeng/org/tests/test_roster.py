"""花名册导入 through the real stack: the test client, the database, and xlsx files built here with openpyxl."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from qingfeng.core.models import AuditEvent
from qingfeng.org.models import Department, Person
from qingfeng.org.services import roster

IMPORT = reverse("org:roster_import")
TEMPLATE = reverse("org:roster_template")
HEADER = ["工号*", "姓名*", "科室", "职务", "支部", "是否党员", "是否班子成员", "分管科室", "手机号"]

GOOD_ROWS: list[list[Any]] = [
    ["QHZJ901", "赵一鸣", "财务股", "科员", "机关第一党支部", "是", "否", "", 13800000001],
    [9002.0, " 钱二 ", "办公室", "副局长", "", "是", "是", "财务股、人事股", 13800000002.0],
    ["QHZJ903", "孙三", "", "", "", "否", "", "", ""],
]


def xlsx(rows: list[list[Any]], header: list[Any] | None = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def post(client, unit, content: bytes, name: str = "花名册.xlsx"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(IMPORT, {"unit": unit.pk, "file": upload})


def problems(response) -> list[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    return [(p.row, p.reason) for p in response.context["problems"]]


def counts() -> tuple[int, int]:
    return Person.all_objects.count(), AuditEvent.objects.count()


def test_the_template_downloads_as_a_real_xlsx_whose_header_is_the_roster_columns(cast, login):
    response = login("sysadmin").get(TEMPLATE, {"unit": cast.bureau.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote('花名册模板.xlsx')}"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["花名册", "说明"]
    sheet = book["花名册"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A1"].font.bold
    assert sheet["C2"].value in cast.departments  # the sample rows use the unit's real departments
    notes = "\n".join(str(v) for row in book["说明"].iter_rows(values_only=True) for v in row if v)
    assert "财务股" in notes and "机关第一党支部" in notes


def test_the_template_s_sample_rows_pass_validation(cast):
    content = roster.roster_template_xlsx(unit=cast.bureau)
    upload = SimpleUploadedFile("花名册模板.xlsx", content)

    result = roster.roster_parse(unit=cast.bureau, upload=upload)

    assert result.errors == []
    assert [r.data.employee_no for r in result.rows] == ["示例001", "示例002"]


def test_a_good_file_creates_the_people_with_their_departments_and_audit_events(cast, login):
    response = post(login("sysadmin"), cast.bureau, xlsx(GOOD_ROWS))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('org:person_list')}?unit={cast.bureau.pk}"
    first = Person.objects.get(employee_no="QHZJ901")
    assert (first.unit, first.name, first.department, first.post) == (
        cast.bureau,
        "赵一鸣",
        cast.departments["财务股"],
        "科员",
    )
    assert first.branch.name == "机关第一党支部"
    assert first.is_party_member and not first.is_leadership
    assert first.phone == "13800000001"
    second = Person.objects.get(employee_no="9002")  # 9002.0 read from the sheet becomes a clean 工号
    assert second.name == "钱二" and second.phone == "13800000002" and second.is_leadership
    assert {d.name for d in second.supervised_departments.all()} == {"财务股", "人事股"}
    third = Person.objects.get(employee_no="QHZJ903")
    assert third.department is None and not third.is_party_member and third.phone == ""
    assert AuditEvent.objects.filter(action="person.import").count() == 3
    summary = AuditEvent.objects.get(action="roster.import")
    assert summary.object_id == str(cast.bureau.pk)
    assert summary.changes == {"file": "花名册.xlsx", "created": 3, "updated": 0, "unchanged": 0}


def test_the_success_message_counts_the_new_and_unchanged_people(cast, login):
    client = login("sysadmin")
    post(client, cast.bureau, xlsx(GOOD_ROWS))

    response = post(client, cast.bureau, xlsx(GOOD_ROWS[:1] + [["QHZJ904", "李四"]]), name="第二批.xlsx")
    followed = client.get(response["Location"])

    assert "导入成功：新增 1 人，更新 0 人，1 人无变化" in followed.content.decode()


def test_rerunning_the_same_file_changes_nothing_and_creates_no_duplicates(cast, login):
    client = login("sysadmin")
    content = xlsx(GOOD_ROWS)
    post(client, cast.bureau, content)
    people_after_first = Person.all_objects.count()
    person_events = AuditEvent.objects.filter(action__startswith="person.").count()

    response = post(client, cast.bureau, content)

    assert response.status_code == 302
    assert Person.all_objects.count() == people_after_first
    assert AuditEvent.objects.filter(action__startswith="person.").count() == person_events
    runs = AuditEvent.objects.filter(action="roster.import").order_by("seq")
    assert [e.changes["created"] for e in runs] == [3, 0]
    assert [e.changes["unchanged"] for e in runs] == [0, 3]
    assert {d.name for d in Person.objects.get(employee_no="9002").supervised_departments.all()} == {"财务股", "人事股"}


def test_a_row_with_a_工号_of_this_unit_updates_that_person(cast, login):
    staff = Person.objects.get(employee_no="QHZJ103")  # 杨丽娟, 财务股科员, the `staff` account's person
    count = Person.all_objects.count()

    response = post(
        login("sysadmin"),
        cast.bureau,
        xlsx([["QHZJ103", "杨丽娟", "办公室", "办公室科员", "", "是", "否", "", "13900000000"]]),
    )

    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.department.name, staff.post, staff.phone) == ("办公室", "办公室科员", "13900000000")
    assert Person.all_objects.count() == count
    update = AuditEvent.objects.filter(action="person.update", object_id=str(staff.pk)).latest("seq")
    assert update.changes["post"] == ["财务股科员", "办公室科员"]
    assert AuditEvent.objects.filter(action="roster.import").latest("seq").changes["updated"] == 1


def test_columns_left_out_of_the_file_keep_the_person_s_current_values(cast, login):
    leader = Person.objects.get(employee_no="QHZJL02")  # 李志强, 分管财务股、计划项目股
    before = {d.name for d in leader.supervised_departments.all()}

    response = post(login("sysadmin"), cast.bureau, xlsx([["QHZJL02", "李志强"]], header=["工号", "姓名"]))

    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.is_leadership and leader.department.name == "办公室" and leader.post == "党组成员、副局长"
    assert {d.name for d in leader.supervised_departments.all()} == before == {"财务股", "计划项目股"}


def test_a_file_with_bad_rows_among_good_ones_changes_nothing_and_lists_every_bad_row(cast, login):
    rows = [
        GOOD_ROWS[0],  # row 2, fine
        ["QHZJ911", "周五", "宣传股", "", "", "是", "否", "", ""],  # row 3
        ["QHZJ901", "吴六", "财务股", "", "", "是", "否", "", ""],  # row 4: same 工号 as row 2
        ["QHJT001", "郑七", "", "", "", "", "", "", ""],  # row 5: the sibling bureau's 工号
        ["QHZJ914", "", "", "", "", "", "", "", ""],  # row 6
        ["QHZJ915", "王八", "", "", "", "Y", "否", "", ""],  # row 7
        ["QHZJ916", "冯九", "", "", "", "", "", "", "12345"],  # row 8
        ["QHZJ917", "陈十", "", "", "", "是", "否", "财务股", ""],  # row 9
        ["QHZJ918", "褚十一", "", "", "第九党支部", "", "", "", ""],  # row 10
        GOOD_ROWS[2],  # row 11, fine
    ]
    client = login("sysadmin")  # the log-in itself is an audit event: count after it
    before = counts()

    response = post(client, cast.bureau, xlsx(rows))

    assert response.status_code == 200
    assert counts() == before
    assert problems(response) == [
        (3, "科室“宣传股”在本单位不存在"),
        (4, "工号“QHZJ901”与第 2 行重复"),
        (5, "工号“QHJT001”已被其他单位的人员使用"),
        (6, "姓名不能为空"),
        (7, "“是否党员”只能填 是 或 否（现为“Y”）"),
        (8, "手机号“12345”应为 1 开头的 11 位数字"),
        (9, "分管科室只能由班子成员担任（“是否班子成员”应填“是”）"),
        (10, "支部“第九党支部”在本单位不存在"),
    ]
    html = response.content.decode()
    assert "未导入：发现 8 处错误" in html
    assert "第 3 行" in html and "科室“宣传股”在本单位不存在" in html
    assert "第 10 行" in html and "没有导入或修改任何人员" in html


def test_a_row_refused_while_writing_rolls_back_the_rows_written_before_it(cast, login):
    # Arranged behind the services' back: 杨丽娟's 科室 is gone, which only the write of row 3 notices.
    Department.all_objects.filter(pk=cast.departments["财务股"].pk).update(deleted_at=timezone.now())
    client = login("sysadmin")
    before = counts()

    response = post(client, cast.bureau, xlsx([["QHZJ930", "新人"], ["QHZJ103", "杨丽娟改"]], header=["工号", "姓名"]))

    assert response.status_code == 200
    assert problems(response) == [(3, "科室“财务股”不属于清河县住房和城乡建设局")]
    assert counts() == before
    assert not Person.all_objects.filter(employee_no="QHZJ930").exists()


def test_blank_rows_are_skipped_and_errors_keep_the_sheet_s_row_numbers(cast, login):
    rows = [GOOD_ROWS[0], [None] * 9, ["", " ", None], ["QHZJ920", "", "", "", "", "", "", "", ""]]

    response = post(login("sysadmin"), cast.bureau, xlsx(rows))

    assert problems(response) == [(5, "姓名不能为空")]


def test_a_file_missing_a_required_column_is_refused(cast, login):
    client = login("sysadmin")
    before = counts()

    response = post(client, cast.bureau, xlsx([["赵一鸣", "财务股"]], header=["姓名", "科室"]))

    assert response.status_code == 200
    assert problems(response) == [(None, "缺少必填列：工号")]
    assert "整个文件" in response.content.decode()
    assert counts() == before


def _zip_that_is_not_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        "工号,姓名\nQHZJ901,赵一鸣\n".encode(),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        _zip_that_is_not_a_workbook(),
    ],
    ids=["text", "pdf", "zip"],
)
def test_a_file_that_is_not_really_an_xlsx_is_refused_whatever_its_name(cast, login, content):
    client = login("sysadmin")
    before = counts()

    response = post(client, cast.bureau, content, name="花名册.xlsx")

    assert response.status_code == 200
    assert problems(response) == [(None, "文件不是有效的 Excel（.xlsx）文件")]
    assert counts() == before


@pytest.mark.parametrize("header", [None, HEADER], ids=["empty-workbook", "header-only"])
def test_a_workbook_without_people_is_refused(cast, login, header):
    response = post(login("sysadmin"), cast.bureau, xlsx([], header=header))

    assert response.status_code == 200
    assert [reason for _, reason in problems(response)][0].startswith("文件中没有人员数据")


def test_an_empty_upload_is_refused_before_it_is_read(cast, login):
    response = post(login("sysadmin"), cast.bureau, b"")

    assert response.status_code == 200
    assert "文件是空文件" in response.content.decode()
    assert not AuditEvent.objects.filter(action="roster.import").exists()


def test_a_file_over_the_upload_cap_is_refused(cast, login, settings):
    settings.UPLOAD_MAX_MB = 0  # every non-empty file is then too big

    response = post(login("sysadmin"), cast.bureau, xlsx(GOOD_ROWS))

    assert problems(response) == [(None, "文件“花名册.xlsx”超过 0 MB 的上限")]
    assert not Person.objects.filter(employee_no="QHZJ901").exists()


def test_a_head_gets_403_on_both_routes(cast, login):
    client = login("head")

    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE, {"unit": cast.bureau.pk}).status_code == 403
    assert post(client, cast.bureau, xlsx(GOOD_ROWS)).status_code == 403
    assert not Person.objects.filter(employee_no="QHZJ901").exists()


def test_a_sysadmin_cannot_reach_a_unit_outside_its_scope(cast, login):
    client = login("sysadmin")

    assert client.get(TEMPLATE, {"unit": cast.far_bureau.pk}).status_code == 404
    assert client.get(IMPORT, {"unit": cast.far_bureau.pk}).status_code == 404
    response = post(client, cast.far_bureau, xlsx(GOOD_ROWS))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not Person.objects.filter(employee_no="QHZJ901").exists()


def test_the_import_page_shows_the_form_and_the_unit_s_departments(cast, login):
    response = login("sysadmin").get(IMPORT)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f"{TEMPLATE}?unit={cast.bureau.pk}" in html
    assert "财务股" in html and "style=" not in html
