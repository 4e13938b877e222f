"""What every .xlsx import checks before it opens the file: there is one, it is not empty or too large, and its
bytes are an .xlsx (an old .xls gets its own message). The reasons are Chinese and name the file."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from qingfeng.core.attachments import detect_type

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_upload_problem(upload: UploadedFile | None, *, missing: str) -> str | None:
    """The reason the upload cannot be read as a workbook, or None (`missing`: the message when there is none)."""
    if upload is None:
        return missing
    if not upload.size:
        return f"文件“{upload.name}”是空文件"
    if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        return f"文件“{upload.name}”超过 {settings.UPLOAD_MAX_MB} MB 的上限"
    mime = detect_type(upload)
    if mime == "application/vnd.ms-excel":
        return "文件是旧版 Excel（.xls）格式，请在 Excel 中另存为 .xlsx 后再导入"
    # filetype names an .xlsx whose first entries are unusual a plain zip: openpyxl then has the last word.
    if mime not in (XLSX_MIME, "application/zip"):
        return "文件不是有效的 Excel（.xlsx）文件"
    upload.seek(0)
    return None
