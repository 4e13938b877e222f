"""The 三会一课记录本 of a branch and year as .docx: a cover line, then one session per page with the record's fields
(DOMAIN.md: 时间, 地点, 主持人, 记录人, 应到/实到, 缺席人员及原因, 议题, 学习内容, 发言摘要, 补学情况). core.gongwen has
no page-break block, so the document is written here with python-docx on gongwen's page layout (GB/T 9704 margins,
fonts)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt

from qingfeng.core.gongwen import BODY_FONT, BOTTOM, LEFT, RIGHT, SIZE_2HAO, SIZE_3HAO, TITLE_FONT, TOP
from qingfeng.core.gongwen import _fonts as fonts
from qingfeng.education import kinds
from qingfeng.education.models import StudySession
from qingfeng.org.models import Branch
from qingfeng.supervision.services._common import cn_date


def _sessions(branch: Branch, year: int) -> list[StudySession]:
    return list(
        StudySession.objects.filter(branch=branch, date__year=year, kind__in=[*kinds.SANHUI_YIKE, "theme_day", "life"])
        .select_related("host", "recorder", "speaker")
        .prefetch_related("attendances__person", "materials")
        .order_by("date", "id")
    )


def record_book_docx(branch: Branch, year: int) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin, section.bottom_margin, section.right_margin = TOP, LEFT, BOTTOM, RIGHT
    title = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts(title.add_run(f"{branch.unit.name}{branch.name}"), TITLE_FONT, SIZE_2HAO)
    sub = document.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts(sub.add_run(f"{year}年“三会一课”记录本"), TITLE_FONT, SIZE_2HAO)
    sessions = _sessions(branch, year)
    if not sessions:
        fonts(document.add_paragraph().add_run("本年度尚无会议记录。"), BODY_FONT, SIZE_3HAO)
    for session in sessions:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        head = document.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fonts(head.add_run(f"{session.kind_display}记录"), "黑体", SIZE_3HAO)
        attendances = list(session.attendances.all())
        present = [a for a in attendances if a.present]
        absent = [a for a in attendances if not a.present]
        rows = [
            ("时间", cn_date(session.date)),
            ("地点", session.place),
            ("主持人", session.host.name),
            ("记录人", session.recorder.name if session.recorder else ""),
        ]
        if session.speaker:
            rows.append(("授课人", session.speaker.name))
        rows += [
            ("应到/实到", f"应到{session.expected}人，实到{len(present)}人"),
            ("出席人员", "、".join(a.person.name for a in present)),
            ("缺席人员及原因", "；".join(f"{a.person.name}（{a.absence_reason}）" for a in absent) or "无"),
            ("议题", session.topic),
            ("学习内容", session.content),
            ("学习资料", "、".join(m.title for m in session.materials.all()) or "无"),
            ("发言摘要", session.summary or "无"),
            (
                "补学情况",
                "；".join(
                    f"{a.person.name}于{cn_date(a.makeup_date)}补学：{a.makeup_note}" for a in absent if a.makeup_date
                )
                or ("无" if not absent else "缺席人员尚未补学"),
            ),
            ("学时", f"{session.hours}小时"),
        ]
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(32), Mm(124)
            fonts(cells[0].paragraphs[0].add_run(label), "黑体", Pt(12))
            fonts(cells[1].paragraphs[0].add_run(str(value)), BODY_FONT, Pt(12))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
