"""Streaming xlsx exports (openpyxl write-only): memory stays flat however many rows."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Font


def write_xlsx(path: Any, title: str, header: list[str], rows: Iterable[list[Any]]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    from openpyxl.cell import WriteOnlyCell

    bold = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append(row)
    book.save(path)


def xlsx_response(title: str, header: list[str], rows: Iterable[list[Any]], *, filename: str) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, title, header, rows)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
