"""意识形态工作情况报告 of a half-year (上半年 1 Jan–30 Jun, 下半年 1 Jul–31 Dec): the .docx a unit sends up, in the 公文
layout of core.gongwen (GB/T 9704-2012), with the period's figures.

DESIGN decisions
1. The unit is the one on which the reader holds ideology.manage (the office, the secretary); positions, publications
   and 舆情 incidents count that unit and the units below it (as opinion.selectors.report_figures does), the 研判
   meetings count the unit's own 党组 (services/meetings.compliance).
2. Positions have no history of their status: the report counts those registered by the end of the period and not
   deleted, by kind and by their status now, and how many were registered within the period.
3. Publications: 送审 = submitted (or resubmitted) within the period; 发布 = published within it; 退回 = the returns
   (rejecting reviews) made within it; the average days from 送审 to 终审 run over the 终审 approvals made within it
   (a 终审 approval is always of the current round, whose submitted_at is that round's 送审).
4. The meetings: the required meetings whose period ends within the half (a 专题研究 due by 30 June, the
   形势分析研判 of each period), with the number held and the state on the report's date.
5. 署名 and 成文日期 (and the font fallbacks) are laid out by the rectification report's helpers on the document that
   core.gongwen writes: one 公文 layout in the code base.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.core.gongwen import Heading, Paragraph, Table, gongwen_docx
from qingfeng.ideology.models import Meeting, Position, Publication, Review
from qingfeng.ideology.services import meetings as meeting_services
from qingfeng.opinion.selectors import report_figures
from qingfeng.org import access
from qingfeng.org.models import Unit
from qingfeng.supervision.services._common import cn_date

MANAGE = "ideology.manage"
HALVES = {1: "上半年", 2: "下半年"}
NEXT_STEPS = (
    "下一步，我们将继续严格落实意识形态工作责任制，党组定期专题研究、定期分析研判意识形态领域情况；"
    "加强各类阵地建设和管理，严格执行三审三校制度，确保导向正确；健全舆情监测、研判、处置和回应机制，"
    "第一时间核查、研判、处置，牢牢掌握意识形态工作的领导权、管理权、话语权。"
)


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{self.year}年{HALVES[self.half]}"


def half_year(year: int, half: int) -> HalfYear:
    if not 2000 <= year <= 2100 or half not in HALVES:
        raise UserError("请选择有效的年度和半年（上半年或下半年）")
    return HalfYear(year, half)


def current_half(today: dt.date) -> HalfYear:
    return HalfYear(today.year, 1 if today.month <= 6 else 2)


@dataclass
class MeetingLine:
    label: str
    end: dt.date
    held: int
    required: int
    state: str


@dataclass
class Figures:
    period: HalfYear
    positions_total: int = 0
    positions_new: int = 0
    positions_by_kind: list[tuple[str, int]] = field(default_factory=list)
    positions_by_status: list[tuple[str, int]] = field(default_factory=list)
    submitted: int = 0
    published: int = 0
    returned: int = 0
    finalised: int = 0
    avg_days_to_final: float | None = None
    meetings_held: list[tuple[str, int]] = field(default_factory=list)
    meeting_lines: list[MeetingLine] = field(default_factory=list)
    incidents: dict[str, Any] = field(default_factory=dict)

    @property
    def meetings_missed(self) -> int:
        return sum(1 for m in self.meeting_lines if m.state == "missed")


def _bounds(period: HalfYear) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time()))
    return start, end


def figures(unit: Unit, period: HalfYear, *, today: dt.date | None = None) -> Figures:
    """The half-year's figures of `unit` (and the units below it, DESIGN 1): a fixed number of queries."""
    today = today or timezone.localdate()
    start, end = _bounds(period)
    below = {"unit__path__startswith": unit.path}
    out = Figures(period=period)

    positions = Position.objects.filter(**below, created_at__lt=end)
    by_kind = dict(positions.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    by_status = dict(positions.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    out.positions_by_kind = [(str(label), by_kind.get(v, 0)) for v, label in Position.Kind.choices]
    out.positions_by_status = [(str(label), by_status.get(v, 0)) for v, label in Position.Status.choices]
    out.positions_total = sum(by_kind.values())
    out.positions_new = positions.filter(created_at__gte=start).count()

    pubs = Publication.objects.filter(**below)
    out.submitted = pubs.filter(submitted_at__gte=start, submitted_at__lt=end).count()
    out.published = pubs.filter(published_at__gte=start, published_at__lt=end).count()
    reviews = Review.objects.filter(
        publication__deleted_at__isnull=True,
        publication__unit__path__startswith=unit.path,
        reviewed_at__gte=start,
        reviewed_at__lt=end,
    )
    out.returned = reviews.filter(decision=Review.Decision.REJECT).count()
    final = reviews.filter(level=Review.Level.FINAL, decision=Review.Decision.APPROVE).aggregate(
        n=Count("id"),
        span=Avg(ExpressionWrapper(F("reviewed_at") - F("publication__submitted_at"), output_field=DurationField())),
    )
    out.finalised = final["n"]
    if final["span"] is not None:
        out.avg_days_to_final = round(final["span"].total_seconds() / 86400, 1)

    held = dict(
        Meeting.objects.filter(unit=unit, date__gte=period.start, date__lte=period.end)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    out.meetings_held = [(str(label), held.get(v, 0)) for v, label in Meeting.Kind.choices]
    states = meeting_services.compliance([unit.pk], period.year, today)[unit.pk]
    out.meeting_lines = [
        MeetingLine(s.period.label, s.period.end, s.held, s.period.required, s.state)
        for s in states
        if period.start <= s.period.end <= period.end
    ]
    out.incidents = report_figures(unit, period.start, period.end)
    return out


def report_title(unit: Unit, period: HalfYear) -> str:
    return f"{unit.name}{period.label}意识形态工作情况报告"


def _count_text(pairs: list[tuple[str, int]]) -> str:
    return "、".join(f"{label}{n}个" for label, n in pairs if n) or "无"


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}小时"


def _blocks(unit: Unit, data: Figures) -> list[Any]:
    p = data.period
    span = f"{cn_date(p.start)}至{cn_date(p.end)}"
    inc = data.incidents
    blocks: list[Any] = [
        Paragraph(
            f"{p.label}，{unit.name}党组坚持以习近平新时代中国特色社会主义思想为指导，认真落实意识形态工作责任制，"
            f"加强阵地管理，规范发布审核，及时处置网络舆情。现将{span}意识形态工作情况报告如下。"
        ),
        Heading(1, "一、阵地建设和管理情况"),
        Paragraph(
            f"截至{cn_date(p.end)}，共登记意识形态阵地{data.positions_total}个，其中本期新增{data.positions_new}个。"
            f"按类别分：{_count_text(data.positions_by_kind)}；按状态分：{_count_text(data.positions_by_status)}。"
        ),
        Table(
            header=["阵地类别", "数量"],
            rows=[*([label, n] for label, n in data.positions_by_kind), ["合计", data.positions_total]],
            widths_mm=[60, 30],
        ),
        Heading(1, "二、发布审核情况"),
        Paragraph(
            f"本期各阵地送审稿件{data.submitted}篇，经三审三校后发布{data.published}篇，审核中退回修改{data.returned}次；"
            f"完成终审{data.finalised}篇，"
            + (
                f"从送审到终审平均用时{data.avg_days_to_final}天。"
                if data.avg_days_to_final is not None
                else "本期无终审记录。"
            )
        ),
        Heading(1, "三、党组研究和分析研判情况"),
        Paragraph(
            "本期党组召开"
            + "、".join(f"{label}会议{n}次" for label, n in data.meetings_held)
            + (f"；应召开的会议中，逾期未召开{data.meetings_missed}项。" if data.meetings_missed else "。")
        ),
    ]
    if data.meeting_lines:
        labels = meeting_services.PeriodState.LABELS
        blocks.append(
            Table(
                header=["应召开的会议", "截止日期", "已召开/应召开", "情况"],
                rows=[[m.label, cn_date(m.end), f"{m.held}/{m.required}", labels[m.state]] for m in data.meeting_lines],
                widths_mm=[55, 40, 30, 25],
            )
        )
    levels = "、".join(f"{row['label']}{row['count']}起" for row in inc["by_level"])
    blocks += [
        Heading(1, "四、舆情处置情况"),
        Paragraph(
            f"本期共发现舆情{inc['total']}起，其中{levels}。已处置完毕{inc['handled']}起，"
            f"其中在规定时限内处置完毕{inc['handled_in_limit']}起（{_percent(inc['handled_in_limit'], inc['handled'])}）；"
            f"已回应{inc['responded']}起，其中按时回应{inc['responded_in_limit']}起"
            f"（{_percent(inc['responded_in_limit'], inc['responded'])}）；目前超时未处置完毕{inc['overdue_open']}起。"
            f"从发现到核实平均用时{_hours(inc['avg_hours_to_verify'])}，"
            f"从发现到回应平均用时{_hours(inc['avg_hours_to_respond'])}。"
        ),
        Table(
            header=["舆情等级", "起数"],
            rows=[*([row["label"], row["count"]] for row in inc["by_level"]), ["合计", inc["total"]]],
            widths_mm=[60, 30],
        ),
        Heading(1, "五、下一步工作"),
        Paragraph(NEXT_STEPS),
    ]
    return blocks


def report_docx(user: Any, unit: Unit, period: HalfYear, *, today: dt.date | None = None) -> bytes:
    """The 意识形态工作情况报告 as .docx bytes, signed by the unit and dated `today` (default: the local date)."""
    today = today or timezone.localdate()
    access.require(user, MANAGE, unit)
    data = figures(unit, period, today=today)
    return gongwen_docx(
        title=report_title(unit, period), blocks=_blocks(unit, data), signer=unit.name, date_text=cn_date(today)
    )
