"""整改进展情况报告: the .docx read back with python-docx — title, sections, figures, the per-category table, the
list of what remains, the signature and date, and the 公文 layout (A4, faces, sizes, 22 lines, page numbers)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from qingfeng.core.models import AuditEvent
from qingfeng.rectification.services.report import figures, report_docx
from qingfeng.rectification.tests.test_ledger import _world

pytestmark = pytest.mark.django_db


def _texts(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in document.paragraphs]


def test_the_figures_count_closed_in_progress_long_term_and_overdue(cast) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    later = timezone.localdate() + dt.timedelta(days=40)  # past the 30-day deadline of 精简会议文件
    data = figures(cast.users["clerk"], round_, today=later)
    t = data.total
    assert (t.findings, t.measures, t.closed, t.in_progress, t.long_term, t.overdue) == (2, 3, 1, 1, 1, 1)
    assert t.rate == "33.3%" and t.findings_done == 1  # finding 2: only a 长期坚持 measure
    assert list(data.categories) == ["作风建设", "财务管理"]
    assert data.categories["作风建设"].rate == "50.0%" and data.categories["财务管理"].long_term == 1
    assert [r.measure for r in data.remaining] == ["精简会议文件", "清理报销凭证"]


def test_the_report_has_the_sections_figures_and_date(cast) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    document = Document(io.BytesIO(report_docx(cast.users["clerk"], round_, today=dt.date(2023, 9, 30))))
    texts = _texts(document)
    assert texts[0] == "关于市委第二轮巡察反馈问题整改进展情况的报告"
    for heading in ("一、总体情况", "二、分类完成情况", "三、尚未完成的整改事项", "四、下一步工作"):
        assert heading in texts
    body = "\n".join(texts)
    assert "反馈问题共2个，细化整改措施3项。其中，已完成整改（销号）1项，正在推进1项，长期坚持1项" in body
    assert "整改措施完成率33.3%" in body
    assert "尚未完成的整改措施共2项" in body and "1. 问题1（作风建设）：精简会议文件" in body
    assert "进度60%" in body
    assert texts[-2] == cast.bureau.name and texts[-1] == "2023年9月30日"
    date = document.paragraphs[-1]
    assert date.alignment == 2 and date.paragraph_format.right_indent == Pt(16) * 4  # 右空四字
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "问题类别",
        "问题数",
        "措施数",
        "已完成",
        "正在推进",
        "长期坚持",
        "逾期",
        "完成率",
    ]
    assert [c.text for c in table.rows[1].cells][:4] == ["作风建设", "1", "2", "1"]
    assert [c.text for c in table.rows[-1].cells] == ["合计", "2", "3", "1", "1", "1", "0", "33.3%"]


def test_the_report_is_laid_out_as_gongwen(cast) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    data = report_docx(cast.users["clerk"], round_, today=dt.date(2023, 9, 30))
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert (round(section.top_margin / Mm(1)), round(section.left_margin / Mm(1))) == (37, 28)
    title = document.paragraphs[0].runs[0]
    assert title.font.name == "方正小标宋简体" and title.font.size == Pt(22)
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况").runs[0]
    assert heading.font.name == "黑体" and heading.font.size == Pt(16)
    body = next(p for p in document.paragraphs if p.text.startswith("截至目前"))
    assert body.runs[0].font.name == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert round(body.paragraph_format.line_spacing.pt, 2) == 28.95  # 22 lines
    assert body.paragraph_format.first_line_indent == Pt(32)  # 空两字
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —") and "PAGE" in footer._element.xml
    # The faces a machine may lack are declared with a fallback, and the file is a sound package.
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    assert 'w:name="方正小标宋简体"' in fonts and 'w:altName w:val="宋体"' in fonts
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_the_report_route_is_audited_and_for_managers_only(cast, login) -> None:  # type: ignore[no-untyped-def]
    round_ = _world(cast)
    url = reverse("rectification:report", args=[round_.pk])
    response = login("secretary").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    today = timezone.localdate()
    assert document.paragraphs[-1].text == f"{today.year}年{today.month}月{today.day}日"
    assert AuditEvent.objects.filter(action="report.export", object_id=str(round_.pk)).exists()
    assert login("head").get(url).status_code == 403
