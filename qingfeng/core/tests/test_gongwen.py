"""公文 layout (GB/T 9704-2012) of generated Word documents, read back with python-docx."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from qingfeng.core.gongwen import Heading, Paragraph, Table, gongwen_docx


def _doc(**kwargs):  # type: ignore[no-untyped-def]
    blocks = [Heading(1, "一、提高站位，强化担当"), Heading(2, "（一）认真履行“两个责任”"), Paragraph("正文" * 40)]
    return Document(io.BytesIO(gongwen_docx(title="关于印发任务分解表的通知", blocks=blocks, **kwargs)))


def _mm(length) -> float:  # type: ignore[no-untyped-def]
    return round(length / Mm(1), 1)


def test_the_page_is_a4_with_the_standard_margins() -> None:
    section = _doc().sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210.0, 297.0)
    assert (_mm(section.top_margin), _mm(section.left_margin)) == (37.0, 28.0)
    assert (_mm(section.bottom_margin), _mm(section.right_margin)) == (35.0, 26.0)
    # 版心 156 × 225 mm
    assert _mm(section.page_width - section.left_margin - section.right_margin) == 156.0
    assert _mm(section.page_height - section.top_margin - section.bottom_margin) == 225.0


def test_the_title_and_the_body_use_the_standard_faces_and_sizes() -> None:
    paragraphs = _doc().paragraphs
    title = paragraphs[0].runs[0]
    assert title.font.size == Pt(22) and title.font.name == "方正小标宋简体"
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    level1, level2, body = paragraphs[2].runs[0], paragraphs[3].runs[0], paragraphs[4].runs[0]
    assert level1.font.name == "黑体" and level2.font.name == "楷体_GB2312"
    assert body.font.name == "仿宋_GB2312" and body.font.size == Pt(16)
    assert round(paragraphs[4].paragraph_format.line_spacing.pt, 2) == 28.95  # 22 lines in 225 mm


def test_page_numbers_are_dashed_and_on_the_outer_side() -> None:
    document = _doc()
    section = document.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert document.settings.odd_and_even_pages_header_footer
    assert odd.text.startswith("— ") and odd.text.endswith(" —")
    assert odd.alignment == 2 and even.alignment == 0  # right on odd pages, left on even pages
    assert "PAGE" in odd._element.xml and odd.runs[0].font.size == Pt(14)


def test_a_wide_table_goes_on_a_landscape_page() -> None:
    rows = [["1", "认真履行“两个责任”", "李志强", "财务股", "2023年12月31日"]]
    data = gongwen_docx(
        title="任务分解表",
        blocks=[Table(["序号", "工作任务", "牵头领导", "责任单位", "完成时限"], rows)],
        landscape=True,
    )
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and _mm(section.page_width) == 297.0
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "牵头领导", "责任单位", "完成时限"]
    assert table.rows[1].cells[1].text == "认真履行“两个责任”"
