"""A deployment document → its text. Plain text (UTF-8, UTF-8 with BOM, GB18030 — what Windows Notepad and WPS
save) and Word .docx (paragraphs and table cells in document order). Every bad input raises UserError with a
Chinese message and reads nothing further."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from qingfeng.core.errors import UserError

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: a long speech with pictures is a few MB
MAX_DOCX_XML_BYTES = 100 * 1024 * 1024  # the unpacked document.xml; more is a zip bomb, not a speech
TEXT_SUFFIXES = {".txt", ".text"}
DOCX_SUFFIX = ".docx"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office (.doc, .wps, .xls)
ZIP_MAGIC = b"PK\x03\x04"

TOO_BIG = "文件超过 20 MB 上限"
EMPTY = "文件是空的"
NOT_DOCX = "文件不是有效的 Word（.docx）文件"
OLD_DOC = "这是旧版 Word（.doc）文件，请在 Word 或 WPS 中“另存为”.docx 格式后再上传"


def read_document(path: str | Path) -> str:
    """The text of the file at `path` (.txt or .docx)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise UserError(f"{TOO_BIG}（{path.stat().st_size / 1024 / 1024:.1f} MB）")
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, filename: str) -> str:
    """The text of an uploaded file, judged by its name and its first bytes."""
    if len(data) > MAX_BYTES:
        raise UserError(f"{TOO_BIG}（{len(data) / 1024 / 1024:.1f} MB）")
    if not data.strip():
        raise UserError(EMPTY)
    suffix = Path(filename).suffix.lower()
    if data.startswith(OLE_MAGIC) or suffix in {".doc", ".wps"}:
        raise UserError(OLD_DOC)
    if suffix == DOCX_SUFFIX:
        text = _docx_text(data)
    elif suffix in TEXT_SUFFIXES or suffix == "":
        if data.startswith(ZIP_MAGIC):
            raise UserError("文件内容是压缩包或 Word 文件，不是纯文本；Word 文件请以 .docx 为扩展名上传")
        text = _decode(data)
    else:
        raise UserError(f"不支持的文件类型“{suffix}”，请上传 .txt 或 .docx 文件（PDF 请先转换为 Word）")
    if not text.strip():
        raise UserError(EMPTY if suffix != DOCX_SUFFIX else "Word 文件中没有文字")
    return text


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text.lstrip("\ufeff")
        break
    raise UserError("无法识别文件内容：不是 UTF-8 或 GB18030 编码的文本，请在记事本或 WPS 中另存为 UTF-8 文本")


def _looks_like_text(text: str) -> bool:
    """Control characters (other than tab, newline, carriage return, form feed) mean binary data."""
    sample = text[:200_000]
    bad = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f")
    return bad <= len(sample) // 1000


def _docx_text(data: bytes) -> str:
    """Paragraphs and table cells in document order; a merged cell once; nested tables inside their cell."""
    if not data.startswith(ZIP_MAGIC):
        raise UserError(NOT_DOCX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise UserError(f"{NOT_DOCX}：正文展开后过大")
        import docx

        document = docx.Document(io.BytesIO(data))
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a broken package
        raise UserError(NOT_DOCX) from exc
    lines: list[str] = []
    _collect(document, lines)
    return "\n".join(lines)


def _collect(container, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            # A merged cell repeats across the columns and rows it spans. The set holds the XML elements
            # themselves (not their ids, which lxml may reuse once a proxy is freed).
            seen: set[object] = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    _collect(cell, lines)
        else:
            lines.append(block.text)
