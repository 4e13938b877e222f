"""整改进展情况报告: the .docx the unit sends up, in the 公文 layout of core.gongwen (GB/T 9704-2012), its figures
counted from the round's measures and their tasks.

DESIGN decisions
1. The figures count measures by measure_status: 已整改 (closed = 销号), 长期坚持 (open long-term measures), and
   the rest 正在推进 (整改中 and 未整改); 逾期 are those of the rest past their deadline. The completion rate is
   closed / all measures; a finding is 整改到位 when finding_status says 已整改 or 长期坚持.
2. The signature (the unit's name) and the date (成文日期, in full: 2023年9月30日, 右空四字) follow the body; core.gongwen
   has no block for them, so they are laid out here on the generated document.
3. Fonts a machine lacks: every 公文 face is declared in the font table with an altName and the generic family
   (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体), so Word and WPS fall back to a face they have
   and the file opens anywhere."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qingfeng.core.gongwen import Heading, Paragraph, Table, gongwen_docx
from qingfeng.org import access
from qingfeng.rectification.models import Measure, Round
from qingfeng.rectification.services.ledger import format_date, visible_measures
from qingfeng.rectification.services.rounds import finding_status, measure_status

NEXT_STEPS = (
    "下一步，我们将坚持目标不变、标准不降、力度不减，对已完成的整改事项适时开展“回头看”，巩固整改成果，防止问题反弹；"
    "对正在推进的整改事项，逐项明确时间节点，加强跟踪督办，确保按期整改到位；对需要长期坚持的整改事项，建立健全长效机制，"
    "常态化抓好落实，切实把巡察整改成果转化为推动高质量发展的实际成效。"
)


@dataclass
class Tally:
    measures: int = 0
    closed: int = 0
    in_progress: int = 0
    long_term: int = 0
    overdue: int = 0
    findings: int = 0
    findings_done: int = 0

    @property
    def rate(self) -> str:
        """完成率, one decimal: closed / measures."""
        return f"{self.closed * 100 / self.measures:.1f}%" if self.measures else "0.0%"


@dataclass
class Remaining:
    finding: str
    category: str
    measure: str
    department: str
    person: str
    deadline: str
    status: str
    percent: int
    overdue: bool


@dataclass
class ReportFigures:
    total: Tally = field(default_factory=Tally)
    categories: dict[str, Tally] = field(default_factory=OrderedDict)
    remaining: list[Remaining] = field(default_factory=list)


def figures(user: Any, round_: Round, *, today: dt.date | None = None) -> ReportFigures:
    """The counts over the round's measures the user sees (the whole unit for the report's roles)."""
    today = today or timezone.localdate()
    out = ReportFigures()
    by_finding: OrderedDict[int, tuple[str, list[Measure]]] = OrderedDict()
    for m in visible_measures(user, round_).iterator(chunk_size=2000):
        category = m.finding.category
        by_finding.setdefault(m.finding_id, (category, []))[1].append(m)
        state = measure_status(m)
        still_open = state not in ("已整改", "长期坚持")
        if m.task is not None:
            late = still_open and m.task.is_overdue(today)
        else:
            late = still_open and m.current_deadline is not None and today > m.current_deadline
        for tally in (out.total, out.categories.setdefault(category, Tally())):
            tally.measures += 1
            if state == "已整改":
                tally.closed += 1
            elif state == "长期坚持":
                tally.long_term += 1
            else:
                tally.in_progress += 1
                tally.overdue += int(bool(late))
        if state != "已整改":
            out.remaining.append(
                Remaining(
                    finding=m.finding.number,
                    category=category,
                    measure=m.text,
                    department=m.department.name if m.department else "",
                    person=m.responsible_person.name if m.responsible_person else "",
                    deadline=format_date(m.current_deadline) if m.current_deadline else "长期坚持",
                    status=state,
                    percent=m.task.percent if m.task else 0,
                    overdue=bool(late),
                )
            )
    for category, measures in by_finding.values():
        done = finding_status(measures) in ("已整改", "长期坚持")
        for tally in (out.total, out.categories[category]):
            tally.findings += 1
            tally.findings_done += int(done)
    return out


def report_title(round_: Round) -> str:
    return f"关于{round_.name}反馈问题整改进展情况的报告"


def _blocks(round_: Round, data: ReportFigures) -> list[Any]:
    t = data.total
    blocks: list[Any] = [
        Heading(1, "一、总体情况"),
        Paragraph(
            f"{format_date(round_.feedback_date)}，{round_.body}向我单位反馈了{round_.name}发现的问题。我单位高度重视，"
            f"逐条制定整改措施，明确责任领导、责任部门、责任人和整改时限，以督办事项逐项推进。"
        ),
        Paragraph(
            f"截至目前，反馈问题共{t.findings}个，细化整改措施{t.measures}项。其中，已完成整改（销号）{t.closed}项，"
            f"正在推进{t.in_progress}项，长期坚持{t.long_term}项；逾期未完成{t.overdue}项。"
            f"整改措施完成率{t.rate}，已整改到位的问题{t.findings_done}个。"
        ),
        Heading(1, "二、分类完成情况"),
    ]
    if data.categories:
        for n, (category, c) in enumerate(data.categories.items(), start=1):
            blocks.append(
                Paragraph(
                    f"{n}. {category}方面：问题{c.findings}个，整改措施{c.measures}项，已完成{c.closed}项，"
                    f"正在推进{c.in_progress}项，长期坚持{c.long_term}项，逾期{c.overdue}项，完成率{c.rate}。"
                )
            )
        rows = [
            [category, c.findings, c.measures, c.closed, c.in_progress, c.long_term, c.overdue, c.rate]
            for category, c in data.categories.items()
        ]
        rows.append(["合计", t.findings, t.measures, t.closed, t.in_progress, t.long_term, t.overdue, t.rate])
        blocks.append(
            Table(
                header=["问题类别", "问题数", "措施数", "已完成", "正在推进", "长期坚持", "逾期", "完成率"],
                rows=rows,
                widths_mm=[30, 16, 16, 16, 20, 20, 14, 22],
            )
        )
    else:
        blocks.append(Paragraph("本轮暂无整改措施。"))
    blocks.append(Heading(1, "三、尚未完成的整改事项"))
    if data.remaining:
        blocks.append(Paragraph(f"尚未完成的整改措施共{len(data.remaining)}项，具体如下："))
        for n, r in enumerate(data.remaining, start=1):
            people = "，".join(x for x in (f"责任部门：{r.department}" if r.department else "", r.person) if x)
            late = "，已逾期" if r.overdue else ""
            blocks.append(
                Paragraph(
                    f"{n}. 问题{r.finding}（{r.category}）：{r.measure}（{people}；整改时限：{r.deadline}；"
                    f"{r.status}，进度{r.percent}%{late}）"
                )
            )
    else:
        blocks.append(Paragraph("反馈问题的整改措施已全部完成。"))
    blocks += [Heading(1, "四、下一步工作"), Paragraph(NEXT_STEPS)]
    return blocks


def report_docx(user: Any, round_: Round, *, today: dt.date | None = None) -> bytes:
    """The 整改进展情况报告 as .docx bytes, dated `today` (default: the local date)."""
    today = today or timezone.localdate()
    access.require(user, "rectification.manage", round_.unit)
    data = figures(user, round_, today=today)
    return gongwen_docx(
        title=report_title(round_), blocks=_blocks(round_, data), signer=round_.unit.name, date_text=format_date(today)
    )
