"""Streaming xlsx exports (core/xlsx_stream.py): memory stays flat however many rows."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import FileResponse

from qingfeng.core.xlsx_stream import BOLD, XlsxStream


def write_xlsx(path: Any, title: str, header: list[str], rows: Iterable[list[Any]]) -> None:
    """One sheet: a bold header row, then the rows (strings, numbers, dates), streamed."""
    with XlsxStream(path, title) as sheet:
        sheet.row(header, BOLD)
        for row in rows:
            sheet.row(row)


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
