"""责任清单 .xlsx in the clerks' layout: import all or nothing with row-numbered Chinese errors, a wrong layout
refused, and the export's columns."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from qingfeng.responsibility.services import xlsx
from qingfeng.responsibility.tests.test_lists import YEAR, add, make_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[object]], *, title: str | None = "2025年度党组主体责任清单") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("责任清单.xlsx", buffer.getvalue(), content_type=XLSX)


def test_the_clerks_file_imports_into_a_draft_list(cast, login) -> None:
    rlist = make_list(cast)
    upload = workbook(
        [
            xlsx.HEADER,
            [1, "定期研究部署党风廉政建设", "每季度召开党组会议专题研究", "王建国", "", "每季度", ""],
            [2, "公务接待专项检查", "建立问题台账", "财务股", "杨丽娟", dt.datetime(YEAR, 6, 30), "未开始"],
            [None, None, None, None, None, None, None],
            [3, "廉政风险防控", "", "法规股", "", f"{YEAR}年9月30日", ""],
        ]
    )
    response = login("clerk").post(f"/responsibility/lists/{rlist.pk}/import/", {"file": upload})
    assert response.status_code == 302
    items = list(rlist.items.select_related("owner_person", "owner_department", "responsible_person"))
    assert [(i.seq, i.owner_name, i.frequency, i.deadline) for i in items] == [
        (1, "王建国", "quarterly", None),
        (2, "财务股", "", dt.date(YEAR, 6, 30)),
        (3, "法规股", "", dt.date(YEAR, 9, 30)),
    ]
    assert items[1].responsible_person == cast.users["staff"].person


def test_a_file_in_another_layout_is_refused_and_nothing_is_written(cast, login) -> None:
    rlist = make_list(cast)
    client = login("clerk")
    wrong = workbook([["序号", "问题类别", "具体问题", "整改措施"], [1, "作风建设", "问题", "措施"]])
    page = client.post(f"/responsibility/lists/{rlist.pk}/import/", {"file": wrong}).content.decode()
    assert "文件格式不符" in page and not rlist.items.exists()
    missing_owner = workbook([["序号", "责任内容", "具体措施", "完成时限/频次"], [1, "内容", "措施", "每年"]])
    page = client.post(f"/responsibility/lists/{rlist.pk}/import/", {"file": missing_owner}).content.decode()
    assert "缺少“责任主体”列" in page
    bad_rows = workbook(
        [
            xlsx.HEADER,
            [1, "好的一行", "", "财务股", "", "每年", ""],
            [2, "没有主体的一行", "", "", "", "每月", ""],
            [3, "主体不存在", "", "不存在科", "", "下个月", ""],
        ],
        title=None,
    )
    page = client.post(f"/responsibility/lists/{rlist.pk}/import/", {"file": bad_rows}).content.decode()
    assert "第 3 行：没有责任主体" in page and "第 4 行：责任主体“不存在科”" in page and "无法识别" in page
    not_excel = SimpleUploadedFile("清单.xlsx", "不是表格".encode(), content_type=XLSX)
    page = client.post(f"/responsibility/lists/{rlist.pk}/import/", {"file": not_excel}).content.decode()
    assert "不是有效的 Excel" in page
    assert not rlist.items.exists()


def test_the_export_has_the_clerks_columns_and_the_progress(cast, login) -> None:
    rlist = make_list(cast)
    add(cast, rlist, "公务接待专项检查", owner_department=cast.departments["财务股"], frequency="yearly")
    response = login("head").get(f"/responsibility/lists/{rlist.pk}/export.xlsx")
    assert response.status_code == 404  # a head reads published lists only; this one is a draft
    response = login("clerk").get(f"/responsibility/lists/{rlist.pk}/export.xlsx")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == xlsx.HEADER
    assert list(rows[1]) == [1, "公务接待专项检查", None, "财务股", None, "每年", "未发布"]
