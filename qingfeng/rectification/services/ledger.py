"""整改台账: one row per measure, the finding's cells (序号, 问题类别, 具体问题) merged across its measures as the clerks
lay it out. The same rows feed the page (a page of findings) and the .xlsx export (every visible measure, streamed).

DESIGN decisions
1. Rows are built in batches of measures (select_related for the people and the task), each batch enriched with
   two queries (the reports of its tasks, the attachments of those reports): the page costs a fixed number of
   queries whatever its size, and the export never holds more than one batch of model instances.
2. The export is one openpyxl write-only workbook for every size. A write-only sheet keeps the `merged_cells`
   of the standard sheet (Worksheet._setup) and writes them after the rows (WorksheetWriter.write_tail), so the
   merges are collected as the findings go by — a few bytes each — and memory stays flat at 100,000 measures.
3. 完成情况 is measure_status; 整改进展 is the latest report's text with the task's percent; 佐证材料 the file
   names of all the task's reports; 销号情况 "已销号（date）" when the task is closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from qingfeng.core.models import Attachment
from qingfeng.org import access
from qingfeng.rectification.models import Finding, Measure, Round
from qingfeng.rectification.services.rounds import measure_status
from qingfeng.supervision.models import ProgressReport

HEADER = [
    "序号",
    "问题类别",
    "具体问题",
    "整改措施",
    "责任领导",
    "责任部门",
    "责任人",
    "整改时限",
    "整改类型",
    "整改进展",
    "完成情况",
    "佐证材料",
    "销号情况",
]
FINDING_COLUMNS = 3  # 序号, 问题类别, 具体问题: merged across the finding's measures
WIDTHS = [6, 12, 40, 40, 10, 12, 10, 14, 10, 36, 10, 30, 18]
BATCH = 2000


def format_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass
class LedgerRow:
    """One measure's row; `finding` for the merged cells."""

    finding: Finding
    measure: Measure
    progress: str
    status: str
    evidence: list[str] = field(default_factory=list)
    closing: str = "未销号"

    def cells(self) -> list[Any]:
        m = self.measure
        return [
            self.finding.number,
            self.finding.category,
            self.finding.description,
            m.text,
            m.lead_leader.name if m.lead_leader else "",
            m.department.name if m.department else "",
            m.responsible_person.name if m.responsible_person else "",
            format_date(m.current_deadline)
            if m.current_deadline
            else ("长期坚持" if m.kind == Measure.Kind.LONG_TERM else ""),
            m.get_kind_display(),
            self.progress,
            self.status,
            "、".join(self.evidence),
            self.closing,
        ]


# What the rows read: loading whole rows of six tables (timestamps converted) costs a third of the export.
LEDGER_FIELDS = [
    "text", "deadline", "kind", "order", "finding_id", "task_id",
    "finding__number", "finding__category", "finding__description", "finding__order",
    "lead_leader__name", "department__name", "responsible_person__name",
    "task__status", "task__percent", "task__deadline", "task__closed_at",
]  # fmt: skip


def visible_measures(user: Any, round_: Round) -> QuerySet[Measure]:
    """The round's measures this user may see, in 台账 order (findings in their order, then measures)."""
    return (
        Measure.objects.filter(access.visible_q(user, Measure), finding__round=round_, finding__deleted_at__isnull=True)
        .select_related("finding", "lead_leader", "department", "responsible_person", "task")
        .only(*LEDGER_FIELDS)
        .order_by("finding__order", "finding_id", "order", "id")
    )


def _progress(measure: Measure, latest: ProgressReport | None) -> str:
    task = measure.task
    if task is None:
        return ""
    if latest is None:
        return f"尚未报送进展（进度{task.percent}%）"
    return f"{latest.text}（进度{task.percent}%）"


def _closing(measure: Measure) -> str:
    task = measure.task
    if task is not None and task.closed_at is not None:
        return f"已销号（{format_date(timezone.localdate(task.closed_at))}）"
    return "未销号"


def build_rows(measures: Sequence[Measure]) -> list[LedgerRow]:
    """The rows of a batch of measures (loaded with visible_measures): two queries, whatever the batch size."""
    task_ids = [m.task_id for m in measures if m.task_id]
    latest: dict[int, ProgressReport] = {}
    names: dict[int, list[str]] = {}
    if task_ids:
        reports = list(
            ProgressReport.objects.filter(task_id__in=task_ids)
            .only("id", "task_id", "text", "created_at")
            .order_by("task_id", "-created_at", "-id")
        )
        task_of = {}
        for report in reports:
            latest.setdefault(report.task_id, report)
            task_of[report.pk] = report.task_id
        if reports:
            owner_type = ContentType.objects.get_for_model(ProgressReport)
            files = (
                Attachment.objects.filter(owner_type=owner_type, owner_id__in=list(task_of))
                .order_by("created_at", "id")
                .values_list("owner_id", "original_name")
            )
            for owner_id, name in files:
                names.setdefault(task_of[owner_id], []).append(name)
    return [
        LedgerRow(
            finding=m.finding,
            measure=m,
            progress=_progress(m, latest.get(m.task_id) if m.task_id else None),
            status=measure_status(m),
            evidence=names.get(m.task_id, []) if m.task_id else [],
            closing=_closing(m),
        )
        for m in measures
    ]


def iter_rows(measures: QuerySet[Measure], batch: int = BATCH) -> Iterator[LedgerRow]:
    """Every row of the queryset, streamed in batches (a server-side cursor on PostgreSQL)."""
    chunk: list[Measure] = []
    for measure in measures.iterator(chunk_size=batch):
        chunk.append(measure)
        if len(chunk) >= batch:
            yield from build_rows(chunk)
            chunk = []
    if chunk:
        yield from build_rows(chunk)


@dataclass
class FindingGroup:
    """A finding and its rows, for the page (rowspan = len(rows))."""

    finding: Finding
    rows: list[LedgerRow]


def group_by_finding(rows: Iterable[LedgerRow]) -> list[FindingGroup]:
    groups: list[FindingGroup] = []
    for row in rows:
        if groups and groups[-1].finding.pk == row.finding.pk:
            groups[-1].rows.append(row)
        else:
            groups.append(FindingGroup(row.finding, [row]))
    return groups


def ledger_page_findings(user: Any, round_: Round) -> QuerySet[Finding]:
    """The round's findings with at least one measure the user sees: what the page paginates."""
    visible = Measure.objects.filter(access.visible_q(user, Measure), finding__round=round_).values("finding_id")
    return Finding.objects.filter(round=round_, pk__in=visible).order_by("order", "id")


def ledger_groups(user: Any, round_: Round, findings: Sequence[Finding]) -> list[FindingGroup]:
    """The page's findings with their visible measures: three queries."""
    measures = list(visible_measures(user, round_).filter(finding__in=[f.pk for f in findings]))
    return group_by_finding(build_rows(measures))


def ledger_title(round_: Round) -> str:
    return f"{round_.name}反馈问题整改台账"


class _Merges:
    """The merged ranges of a write-only sheet, kept as tuples. openpyxl's MultiCellRange checks every range
    already there on each add (quadratic at 100,000 findings) and holds a CellRange object per range; the
    sheet writer only iterates it for the range strings, after the last row."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int, int, int]] = []

    def add(self, min_col: int, min_row: int, max_col: int, max_row: int) -> None:
        self.ranges.append((min_col, min_row, max_col, max_row))

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __len__(self) -> int:
        return len(self.ranges)

    def __iter__(self) -> Iterator[str]:
        from openpyxl.utils import get_column_letter

        for min_col, min_row, max_col, max_row in self.ranges:
            yield f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"


def write_ledger_xlsx(path: Any, round_: Round, rows: Iterable[LedgerRow]) -> int:
    """The 台账 as .xlsx into `path` (a file name or a binary file): a title row, the header, one row per
    measure, the finding's cells merged. Streams (write-only workbook); returns the number of measure rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("整改台账")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def styled(value: Any, *, font: Font | None = None, alignment: Alignment = wrap) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.border = border
        cell.alignment = alignment
        if font is not None:
            cell.font = font
        return cell

    # The styles are registered once; every data cell then copies the style ids (much cheaper than assigning
    # the style objects cell by cell at 1.3 million cells).
    cells = len(HEADER)
    title = WriteOnlyCell(sheet, value=ledger_title(round_))
    title.font = Font(name="方正小标宋简体", size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([title])
    merges = _Merges()
    sheet.merged_cells = merges  # written after the rows (WorksheetWriter.write_merged_cells)
    merges.add(1, 1, cells, 1)
    sheet.append([styled(name, font=Font(name="黑体", bold=True), alignment=centre) for name in HEADER])
    text_style = styled(None)._style
    centre_style = styled(None, alignment=centre)._style
    centred = {0, 1, 4, 5, 6, 7, 8, 10, 12}

    def data_row(values: list[Any]) -> list[WriteOnlyCell]:
        out = []
        for i, value in enumerate(values):
            cell = WriteOnlyCell(sheet, value=value)
            cell._style = centre_style if i in centred else text_style  # never changed after
            out.append(cell)
        return out

    row_index, count = 2, 0
    group_start, group_finding = 0, None

    def close_group(last_row: int) -> None:
        if group_finding is not None and last_row > group_start:
            for col in range(1, FINDING_COLUMNS + 1):
                merges.add(col, group_start, col, last_row)

    for row in rows:
        row_index += 1
        count += 1
        values = row.cells()
        if row.finding.pk != group_finding:
            close_group(row_index - 1)
            group_start, group_finding = row_index, row.finding.pk
        else:
            values[:FINDING_COLUMNS] = [None] * FINDING_COLUMNS
        sheet.append(data_row(values))
    close_group(row_index)
    book.save(path)
    return count


def export_ledger(path: Any, user: Any, round_: Round) -> int:
    """The 台账 of the measures `user` sees, written to `path`; the number of measure rows."""
    return write_ledger_xlsx(path, round_, iter_rows(visible_measures(user, round_)))
