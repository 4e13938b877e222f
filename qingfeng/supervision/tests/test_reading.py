"""Reading deployment documents: plain text in the encodings Chinese offices save, Word .docx built here with
python-docx (paragraphs and tables in order), and every kind of bad file. No database."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import pytest

from qingfeng.core.errors import UserError
from qingfeng.supervision.reading import EMPTY, MAX_BYTES, NOT_DOCX, OLD_DOC, TOO_BIG, read_bytes, read_document

SPEECH = "同志们：\n一、提高站位。一是认真履行“两个责任”。\n二、完善机制。"


def docx_bytes(build) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_it_reads_text_in_the_encodings_offices_save(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "speech.txt"
    path.write_bytes(SPEECH.encode(encoding))
    assert read_document(path) == SPEECH


def test_gb18030_text_with_rare_characters_is_read(tmp_path: Path) -> None:
    text = "一、㐀䶵镕瑢堃（GB18030 扩展字）"
    (tmp_path / "a.txt").write_bytes(text.encode("gb18030"))
    assert read_document(tmp_path / "a.txt") == text


def test_it_reads_docx_paragraphs_and_table_cells_in_document_order(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("关于印发工作要点的通知")
        document.add_paragraph("一、压实责任")
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "序号", "工作任务", "牵头单位"
        merged = table.cell(1, 0).merge(table.cell(1, 2))
        merged.text = "（一）主体责任"
        table.cell(2, 0).text, table.cell(2, 1).text, table.cell(2, 2).text = "1", "每季度研究一次", "办公室"
        document.add_paragraph("二、完善制度")

    path = tmp_path / "plan.docx"
    path.write_bytes(docx_bytes(build))
    lines = read_document(path).splitlines()
    assert lines == [
        "关于印发工作要点的通知",
        "一、压实责任",
        "序号",
        "工作任务",
        "牵头单位",
        "（一）主体责任",  # the merged cell once, not three times
        "1",
        "每季度研究一次",
        "办公室",
        "二、完善制度",
    ]


def test_a_table_inside_a_table_cell_is_read_inside_it() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        outer = document.add_table(rows=1, cols=1)
        cell = outer.cell(0, 0)
        cell.text = "外层"
        inner = cell.add_table(rows=1, cols=2)
        inner.cell(0, 0).text, inner.cell(0, 1).text = "内层甲", "内层乙"
        document.add_paragraph("表后")

    assert read_bytes(docx_bytes(build), "a.docx").splitlines() == ["外层", "内层甲", "内层乙", "", "表后"]


def test_a_docx_speech_decomposes_like_its_text() -> None:
    from datetime import date

    from qingfeng.supervision.decompose import decompose

    def build(document) -> None:  # type: ignore[no-untyped-def]
        for line in SPEECH.splitlines():
            document.add_paragraph(line)

    outline = decompose(read_bytes(docx_bytes(build), "speech.docx"), deployment_date=date(2023, 7, 15))
    assert [len(s.items) for s in outline.sections] == [1, 1]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", EMPTY),
        (b" \r\n\t\n", "blank.txt", EMPTY),
        (b"\xef\xbb\xbf", "bom-only.txt", EMPTY),
        ("一、学习".encode(), "speech.docx", NOT_DOCX),
        (b"PK\x03\x04 not really a zip", "speech.docx", NOT_DOCX),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "speech.doc", OLD_DOC),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "renamed.docx", OLD_DOC),
        ("一、学习".encode(), "speech.doc", OLD_DOC),
        (b"%PDF-1.7", "speech.pdf", "不支持的文件类型“.pdf”"),
        (b"\x00\x01\x02\x03" * 1000, "binary.txt", "无法识别文件内容"),
        (b"PK\x03\x04" + b"\0" * 100, "archive.txt", "不是纯文本"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        read_bytes(data, name)


def test_a_zip_that_is_no_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "一、学习")
    with pytest.raises(UserError, match=NOT_DOCX):
        read_bytes(buffer.getvalue(), "speech.docx")


def test_a_word_file_without_text_is_refused() -> None:
    with pytest.raises(UserError, match="Word 文件中没有文字"):
        read_bytes(docx_bytes(lambda document: document.add_paragraph("")), "blank.docx")


def test_a_20_mb_file_of_nonsense_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "nonsense.txt"
    path.write_bytes(os.urandom(MAX_BYTES + 1))
    with pytest.raises(UserError, match=TOO_BIG):
        read_document(path)
    with pytest.raises(UserError, match=TOO_BIG):
        read_bytes(b"x" * (MAX_BYTES + 1), "nonsense.txt")


def test_random_bytes_within_the_limit_are_no_text(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(os.urandom(1024 * 1024))
    with pytest.raises(UserError, match="无法识别文件内容"):
        read_document(path)


def test_a_missing_file_is_named_in_the_message(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="找不到文件"):
        read_document(tmp_path / "missing.txt")
