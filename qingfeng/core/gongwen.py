"""Word documents laid out as 公文 (GB/T 9704-2012): A4; 天头 37 mm, 订口 28 mm (so bottom 35 mm and right 26 mm);
22 lines a page; title 2号 小标宋, body 3号 仿宋, headings 一、 黑体 / （一） 楷体 / 1. and （1） 仿宋; page numbers
4号 半角宋体 "— 1 —", 7 mm below the 版心, odd pages right and even pages left, one character in.

The standard names typefaces, not fonts: the font names below are the ones bureaus install (方正小标宋简体,
仿宋_GB2312, 黑体, 楷体_GB2312), and Word substitutes where one is missing. Wide tables (a 任务分解表) go on a
landscape page with the same margins turned."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
SIZE_2HAO, SIZE_3HAO, SIZE_4HAO = Pt(22), Pt(16), Pt(14)
# 版心 225 mm high holds 22 lines: 225 mm / 22 = 10.23 mm = 28.95 pt a line.
LINE_PITCH = Pt(28.95)
TOP, LEFT, BOTTOM, RIGHT = Mm(37), Mm(28), Mm(35), Mm(26)
# The page number's baseline sits 7 mm below the 版心; the footer distance is measured from the page's edge.
FOOTER_DISTANCE = Mm(35 - 7 - 5)


@dataclass
class Heading:
    level: int  # 1 一、 2 （一） 3 1. 4 （1）
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths_mm: Sequence[float] = field(default_factory=list)


Block = Heading | Paragraph | Table


def _fonts(run, name: str, size: Pt, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _spacing(paragraph, *, indent_chars: int = 0) -> None:  # type: ignore[no-untyped-def]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    if indent_chars:
        fmt.first_line_indent = SIZE_3HAO * indent_chars


def _page_number(paragraph, align: WD_ALIGN_PARAGRAPH) -> None:  # type: ignore[no-untyped-def]
    """ "— N —" with a PAGE field, one character in from the outer edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = SIZE_4HAO
    else:
        fmt.left_indent = SIZE_4HAO
    _fonts(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_4HAO)
    run = paragraph.add_run()
    _fonts(run, PAGE_NUMBER_FONT, SIZE_4HAO)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _fonts(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4HAO)


def _layout(document, *, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin, section.left_margin, section.bottom_margin, section.right_margin = TOP, LEFT, BOTTOM, RIGHT
    section.footer_distance = FOOTER_DISTANCE
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    # The 22-line grid.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))


def _table(document, block: Table) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        _fonts(cell.paragraphs[0].add_run(str(text)), "黑体", Pt(12))
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FONT, Pt(12))
    if block.widths_mm:
        for row in table.rows:
            for cell, width in zip(row.cells, block.widths_mm, strict=False):
                cell.width = Mm(width)


def gongwen_docx(
    *, title: str, blocks: Sequence[Block], landscape: bool = False, signer: str = "", date_text: str = ""
) -> bytes:
    """The document as .docx bytes; with `signer` and `date_text`, signed after the body (署名 and 成文日期) and with
    each 公文 face declared with a fallback in the font table (a report that leaves the bureau)."""
    document = Document()
    _layout(document, landscape=landscape)
    head = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(head)
    _fonts(head.add_run(title), TITLE_FONT, SIZE_2HAO)
    document.add_paragraph()  # 标题下空一行
    for block in blocks:
        if isinstance(block, Table):
            _table(document, block)
            continue
        paragraph = document.add_paragraph()
        if isinstance(block, Heading):
            _spacing(paragraph, indent_chars=2)
            _fonts(paragraph.add_run(block.text), HEADING_FONTS.get(block.level, BODY_FONT), SIZE_3HAO)
        else:
            _spacing(paragraph, indent_chars=2)
            _fonts(paragraph.add_run(block.text), BODY_FONT, SIZE_3HAO)
    if signer or date_text:
        _sign(document, signer, date_text)
        _declare_fallbacks(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _sign(document, unit_name: str, date_text: str) -> None:  # type: ignore[no-untyped-def]
    """署名 and 成文日期 after the body: the date 右空四字, the unit's name centred over it."""
    document.add_paragraph()  # 正文下空一行
    for text, right_chars in (
        (unit_name, 4 + max(0, len(date_text) - len(unit_name)) / 2),
        (date_text, 4),
    ):
        paragraph = document.add_paragraph()
        _spacing(paragraph)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = int(SIZE_3HAO * right_chars)
        _fonts(paragraph.add_run(text), BODY_FONT, SIZE_3HAO)


# Each 公文 face with the face a machine without it should use (altName) and its generic family.
FALLBACKS = {
    "方正小标宋简体": ("宋体", "roman"),
    "仿宋_GB2312": ("仿宋", "roman"),
    "楷体_GB2312": ("楷体", "roman"),
    "黑体": ("SimHei", "swiss"),
    "宋体": ("SimSun", "roman"),
}


def _declare_fallbacks(document) -> None:  # type: ignore[no-untyped-def]
    """Each 公文 face in the font table with an altName and a generic family (DESIGN 3)."""
    from lxml import etree

    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = next((p for p in document.part.package.parts if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    present = {f.get(f"{{{ns}}}name") for f in root.findall(f"{{{ns}}}font")}
    for name, (alt, family) in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
        etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": alt})
        etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{ns}}}family", {f"{{{ns}}}val": family})
        etree.SubElement(font, f"{{{ns}}}pitch", {f"{{{ns}}}val": "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
