"""整改台账: one row per measure, the finding's cells (序号, 问题类别, 具体问题) merged across its measures as the clerks
lay it out. The same rows feed the page (a page of findings) and the .xlsx export (every visible measure, streamed).

DESIGN decisions
1. Rows are built in batches of measures (select_related for the people and the task), each batch enriched with
   two queries (the reports of its tasks, the attachments of those reports): the page costs a fixed number of
   queries whatever its size, and the export never holds more than one batch of model instances.
2. The export streams (core/xlsx_stream.py): each row is written as it is built and each merge kept as a tuple, so
   memory stays flat at 100,000 measures.
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
from qingfeng.core.xlsx_stream import CENTRE, HEADING, TEXT, TITLE, XlsxStream
from qingfeng.org import access
from qingfeng.rectification.models import Finding, Measure, Round
from qingfeng.rectification.services.rounds import status_of
from qingfeng.supervision.models import ProgressReport
from qingfeng.supervision.services._common import cn_date

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
    return cn_date(day, "")


@dataclass
class LedgerRow:
    """One measure's row, as plain values (the export builds 100,000 of them: no model instances);
    `finding_id` groups the rows of a finding for the merged cells."""

    finding_id: int
    number: str
    category: str
    description: str
    text: str
    leader: str
    department: str
    person: str
    deadline: str
    kind: str
    progress: str
    status: str
    evidence: list[str] = field(default_factory=list)
    closing: str = "未销号"

    def cells(self) -> list[Any]:
        return [
            self.number,
            self.category,
            self.description,
            self.text,
            self.leader,
            self.department,
            self.person,
            self.deadline,
            self.kind,
            self.progress,
            self.status,
            "、".join(self.evidence),
            self.closing,
        ]


# What the rows read, as values of one query (no model instances: they cost half of the export).
LEDGER_FIELDS = [
    "text", "deadline", "kind", "finding_id", "task_id",
    "finding__number", "finding__category", "finding__description",
    "lead_leader__name", "department__name", "responsible_person__name",
    "task__status", "task__percent", "task__deadline", "task__closed_at",
]  # fmt: skip


def visible_measures(user: Any, round_: Round) -> QuerySet[Measure]:
    """The round's measures this user may see, in 台账 order (findings in their order, then measures)."""
    return Measure.objects.filter(
        access.visible_q(user, Measure), finding__round=round_, finding__deleted_at__isnull=True
    ).order_by("finding__order", "finding_id", "order", "id")


def _progress(values: dict[str, Any], latest: str | None) -> str:
    if values["task_id"] is None:
        return ""
    if latest is None:
        return f"尚未报送进展（进度{values['task__percent']}%）"
    return f"{latest}（进度{values['task__percent']}%）"


def _closing(closed_at: dt.datetime | None) -> str:
    if closed_at is not None:
        return f"已销号（{format_date(timezone.localdate(closed_at))}）"
    return "未销号"


def _deadline(values: dict[str, Any]) -> str:
    day = values["task__deadline"] if values["task_id"] else values["deadline"]
    if day:
        return format_date(day)
    return "长期坚持" if values["kind"] == Measure.Kind.LONG_TERM else ""


KIND_LABELS = dict(Measure.Kind.choices)


def build_rows(measures: Sequence[dict[str, Any]]) -> list[LedgerRow]:
    """The rows of a batch of measures (values of visible_measures(...).values(*LEDGER_FIELDS)): two queries,
    whatever the batch size."""
    task_ids = [m["task_id"] for m in measures if m["task_id"]]
    latest: dict[int, str] = {}
    names: dict[int, list[str]] = {}
    if task_ids:
        reports = list(
            ProgressReport.objects.filter(task_id__in=task_ids)
            .order_by("task_id", "-created_at", "-id")
            .values_list("id", "task_id", "text")
        )
        task_of = {}
        for report_id, task_id, text in reports:
            latest.setdefault(task_id, text)
            task_of[report_id] = task_id
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
            finding_id=m["finding_id"],
            number=m["finding__number"],
            category=m["finding__category"],
            description=m["finding__description"],
            text=m["text"],
            leader=m["lead_leader__name"] or "",
            department=m["department__name"] or "",
            person=m["responsible_person__name"] or "",
            deadline=_deadline(m),
            kind=KIND_LABELS.get(m["kind"], m["kind"]),
            progress=_progress(m, latest.get(m["task_id"])),
            status=status_of(m["task__status"], m["kind"]),
            evidence=names.get(m["task_id"], []) if m["task_id"] else [],
            closing=_closing(m["task__closed_at"]),
        )
        for m in measures
    ]


def iter_rows(measures: QuerySet[Measure], batch: int = BATCH) -> Iterator[LedgerRow]:
    """Every row of the queryset, streamed in batches (a server-side cursor on PostgreSQL)."""
    chunk: list[dict[str, Any]] = []
    for values in measures.values(*LEDGER_FIELDS).iterator(chunk_size=batch):
        chunk.append(values)
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


def group_by_finding(findings: Sequence[Finding], rows: Iterable[LedgerRow]) -> list[FindingGroup]:
    by_id = {f.pk: f for f in findings}
    groups: list[FindingGroup] = []
    for row in rows:
        if groups and groups[-1].finding.pk == row.finding_id:
            groups[-1].rows.append(row)
        else:
            groups.append(FindingGroup(by_id[row.finding_id], [row]))
    return groups


def ledger_page_findings(user: Any, round_: Round) -> QuerySet[Finding]:
    """The round's findings with at least one measure the user sees: what the page paginates."""
    visible = Measure.objects.filter(access.visible_q(user, Measure), finding__round=round_).values("finding_id")
    return Finding.objects.filter(round=round_, pk__in=visible).order_by("order", "id")


def ledger_groups(user: Any, round_: Round, findings: Sequence[Finding]) -> list[FindingGroup]:
    """The page's findings with their visible measures: three queries."""
    measures = list(visible_measures(user, round_).filter(finding__in=[f.pk for f in findings]).values(*LEDGER_FIELDS))
    return group_by_finding(findings, build_rows(measures))


def ledger_title(round_: Round) -> str:
    return f"{round_.name}反馈问题整改台账"


def write_ledger_xlsx(path: Any, round_: Round, rows: Iterable[LedgerRow]) -> int:
    """The 台账 as .xlsx into `path` (a file name or a binary file): a title row, the header, one row per
    measure, the finding's cells merged. Streams; returns the number of measure rows."""
    cells = len(HEADER)
    centred = {0, 1, 4, 5, 6, 7, 8, 10, 12}
    styles = [CENTRE if i in centred else TEXT for i in range(cells)]
    count = 0
    with XlsxStream(
        path, "整改台账", widths=WIDTHS, freeze="A3", print_titles=(1, 2), landscape=True, fit_width=True
    ) as sheet:
        sheet.row([ledger_title(round_)], TITLE)
        sheet.merge(1, 1, cells, 1)
        sheet.row(HEADER, HEADING)
        group_start, group_finding, row_index = 0, None, 2

        def close_group(last_row: int) -> None:
            if group_finding is not None and last_row > group_start:
                for col in range(1, FINDING_COLUMNS + 1):
                    sheet.merge(col, group_start, col, last_row)

        for row in rows:
            count += 1
            values = row.cells()
            if row.finding_id != group_finding:
                close_group(row_index)
                group_start, group_finding = row_index + 1, row.finding_id
            else:
                values[:FINDING_COLUMNS] = [None] * FINDING_COLUMNS
            row_index = sheet.row(values, styles)
        close_group(row_index)
    return count


def export_ledger(path: Any, user: Any, round_: Round) -> int:
    """The 台账 of the measures `user` sees, written to `path`; the number of measure rows."""
    return write_ledger_xlsx(path, round_, iter_rows(visible_measures(user, round_)))
