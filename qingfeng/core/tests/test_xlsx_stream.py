"""core/xlsx_stream.py read back with openpyxl: values of every kind, escaping, styles, merges and the page set-up."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from qingfeng.core.xlsx_stream import BOLD, CENTRE, TITLE, XlsxStream, column_letter


def _written(**options):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with XlsxStream(buffer, "台账'测试", **options) as sheet:
        sheet.row(["标题"], TITLE)
        sheet.merge(1, 1, 30, 1)
        sheet.row(["名称", "数量", "日期"], BOLD)
        sheet.row(["a & b <c> \x00\x07控制符", 3, dt.date(2023, 7, 1)])
        sheet.row([None, Decimal("2.50"), dt.datetime(2023, 7, 1, 9, 30), True, float("nan")], CENTRE)
        sheet.row(["x"] * 30)
    buffer.seek(0)
    return buffer


def test_values_read_back_as_written() -> None:
    book = load_workbook(_written(widths=[6, 12], freeze="A3", print_titles=(1, 2), landscape=True, fit_width=True))
    sheet = book.active
    assert sheet.title == "台账'测试"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=4, max_col=5)]
    assert rows[0][:3] == ["名称", "数量", "日期"]
    assert rows[1][:3] == ["a & b <c> 控制符", 3, dt.datetime(2023, 7, 1)]  # control characters dropped
    assert rows[2][:5] == [None, 2.5, dt.datetime(2023, 7, 1, 9, 30), True, "nan"]
    assert sheet["AD5"].value == "x"
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:AD1"}
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width == 12
    assert sheet["A1"].font.sz == 16 and sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].font.bold
    assert sheet["B4"].border.left.style == "thin" and sheet["B4"].alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$1:$2"


def test_the_package_holds_the_parts_excel_needs() -> None:
    names = set(zipfile.ZipFile(_written()).namelist())
    assert {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    } <= names


def test_column_letters() -> None:
    assert [column_letter(i) for i in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
