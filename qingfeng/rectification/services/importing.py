"""问题清单导入: a round's findings (and, when the file has them, their measures) from an .xlsx file, all or nothing.

Follows the 花名册导入 (qingfeng.org.services.roster) and reuses its helpers:

1. Check the upload: not empty, under the size cap, an .xlsx by its bytes (never by its name).
2. Read the first sheet as real-world files are: the header is the first of the first 10 rows holding 序号 and
   具体问题 (or 问题描述 / 存在问题), so a title row above it is fine; blank rows are skipped; a merged cell's
   value applies to every row it spans (序号/问题类别/具体问题 merged over a finding's measure rows); a row that
   carries a measure but leaves 序号, 问题类别 and 具体问题 blank continues the finding above; a blank 问题类别
   takes the category of the row above (a category written once for its group). Full-width digits and dates
   such as 2023年9月30日, 2023.9.30, 2023/9/30, 9月底 or 年底 are understood.
3. Validate every row and collect EVERY problem with its sheet row number.
4. No problem → in one transaction: the findings (bulk), one measure_create per measure (each assigns its
   督办事项), and one summary audit event. Any problem → nothing is written.

Several rows with the same 序号 and the same 具体问题 are one finding with several measures; the same 序号 with a
different 具体问题 is an error, and so is a 序号 the round already has."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.core.xlsx_import import xlsx_upload_problem
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.org.services.roster import RowError, _header_key, _text
from qingfeng.rectification.models import DEFAULT_CATEGORIES, Finding, Measure, Round
from qingfeng.rectification.services.rounds import TASK_KIND, measure_create
from qingfeng.supervision.services.tasks import TaskDraft, draft_problems

SHEET_TITLE = "问题清单"
HEADER_SCAN_ROWS = 10  # the header is looked for in the first rows (a title row or two above it)
MAX_DATA_ROWS = 10000  # data rows (a finding with 3 measures takes 3)
MAX_SHEET_ROWS = 30000  # rows read at most, blank ones included
MAX_COLUMNS = 30
MAX_NUMBER = 20  # Finding.number max_length


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # as written in the template
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 14
    note: str = ""


COLUMNS: list[Column] = [
    Column(
        "number",
        "序号",
        ("编号", "问题序号"),
        required=True,
        width=8,
        note="必填。同一序号的多行 = 同一问题的多条整改措施",
    ),
    Column(
        "category", "问题类别", ("类别", "问题类型", "问题分类"), required=True, width=14, note="必填，须为下列类别之一"
    ),
    Column("description", "具体问题", ("问题描述", "存在问题", "问题内容"), required=True, width=50, note="必填"),
    Column("severity", "严重程度", ("问题严重程度",), width=10, note="一般、较重或严重，不填视为一般"),
    Column("text", "整改措施", ("具体整改措施", "措施"), width=50, note="可不填；填写后将作为督办事项交办"),
    Column("leader", "责任领导", ("牵头领导", "分管领导"), width=10, note="有整改措施时必填，须为本单位班子成员"),
    Column(
        "department",
        "责任部门",
        ("责任科室", "责任单位", "牵头单位", "牵头部门"),
        width=14,
        note="有整改措施时必填，须为本单位科室",
    ),
    Column("person", "责任人", ("具体责任人",), width=10, note="可不填；须为责任部门的人员"),
    Column(
        "deadline",
        "整改时限",
        ("完成时限", "整改期限", "完成时间"),
        width=14,
        note="如 2023-09-30、2023年9月30日、2023.9.30、9月底、年底；长期坚持的措施可不填",
    ),
    Column("kind", "整改类型", ("措施类型",), width=12, note="立行立改、限期整改或长期坚持，不填视为限期整改"),
]
HEADER = [c.title for c in COLUMNS]
_BY_TITLE = {name: c for c in COLUMNS for name in (c.title, *c.aliases)}
MEASURE_KEYS = ("text", "leader", "department", "person", "deadline", "kind")
FINDING_KEYS = ("number", "category", "description")
_SEVERITY = {label: value for value, label in Finding.Severity.choices}
_KIND = {label: value for value, label in Measure.Kind.choices}
_KIND["长期"] = Measure.Kind.LONG_TERM


def categories() -> list[str]:
    """The 问题类别 a finding may have: QINGFENG_RECTIFICATION_CATEGORIES, else the defaults."""
    return list(getattr(settings, "RECTIFICATION_CATEGORIES", None) or DEFAULT_CATEGORIES)


# ---------------------------------------------------------------------------------------------------- values


# Full-width digits and Latin letters (and the ideographic space) → half-width; Chinese punctuation (，：（）…)
# stays as written — NFKC would turn it into ASCII in the 具体问题 and 整改措施 text.
_HALF_WIDTH = {
    **{cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)},
    **{cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)},
    **{cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}


def clean(value: Any) -> str:
    """A cell as text, full-width digits and letters made half-width, spaces trimmed."""
    text = _text(value)
    return text.translate(_HALF_WIDTH).strip() if text else ""


_YMD = re.compile(r"^(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*[日号]?$")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YM_END = re.compile(r"^(\d{4})\s*[年\-./]\s*(\d{1,2})\s*(?:月\s*)?(?:底|末|份)?(?:前)?$")
_MD = re.compile(r"^(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*[日号]?(?:前)?$")
_M_END = re.compile(r"^(\d{1,2})\s*月\s*(?:底|末|份)?(?:前)?$")
_YEAR_END = re.compile(r"^(?:(\d{4})\s*年\s*)?(?:年底|年末|底)(?:前)?$")
LONG_TERM_WORDS = {"长期", "长期坚持", "持续", "持续整改", "长期整改"}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(value: Any, feedback: dt.date) -> dt.date | None:
    """A 整改时限 cell as a date; None when blank. A date without its year is in the feedback's year, or the next
    year when it would fall before the feedback date. Raises ValueError when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel day number in a cell without a date format
            return from_excel(value).date()
        value = _text(value)  # 20230930 typed as a number
    # Dates carry no prose: NFKC also makes full-width separators (２０２３．９．３０) plain.
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(value)))
    if not text:
        return None
    if match := _YMD.match(text) or _YMD_COMPACT.match(text):
        return dt.date(*(int(g) for g in match.groups()))
    if match := _YM_END.match(text):
        year, month = int(match[1]), int(match[2])
        return _month_end(year, month)
    if match := _MD.match(text):
        month, day = int(match[1]), int(match[2])
        dt.date(2000, month, day)  # ValueError for 2月30日 (2000: a leap year, so 2月29日 passes)
        year = feedback.year if (month, day) >= (feedback.month, feedback.day) else feedback.year + 1
        return dt.date(year, month, day) if (month, day) != (2, 29) else _month_end(year, 2)
    if match := _M_END.match(text):
        month = int(match[1])
        end = _month_end(feedback.year, month)
        return end if end >= feedback else _month_end(feedback.year + 1, month)
    if match := _YEAR_END.match(text):
        return dt.date(int(match[1]) if match[1] else feedback.year, 12, 31)
    raise ValueError(text)


# ---------------------------------------------------------------------------------------------------- result


@dataclass
class MeasureRow:
    row: int
    text: str
    department: Department | None
    leader: Person | None
    person: Person | None
    deadline: dt.date | None
    kind: str


@dataclass
class FindingRow:
    row: int
    number: str
    category: str
    description: str
    severity: str
    measures: list[MeasureRow] = field(default_factory=list)


@dataclass
class ImportResult:
    findings: list[FindingRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def measure_count(self) -> int:
        return sum(len(f.measures) for f in self.findings)


@dataclass(frozen=True)
class ImportSummary:
    findings: int
    measures: int


class FindingImportError(UserError):
    """The file was refused; `problems` lists every bad row."""

    def __init__(self, problems: list[RowError]) -> None:
        super().__init__(f"问题清单有 {len(problems)} 处错误，未导入任何问题", errors=[str(p) for p in problems])
        self.problems = problems


# ---------------------------------------------------------------------------------------------------- template


def template_xlsx(*, unit: Unit | None) -> bytes:
    """The template: header, sample rows (one finding with two measures), and a 说明 sheet with the columns, the
    categories and (for `unit`) its departments and leaders."""
    departments = (
        list(Department.objects.filter(unit=unit).order_by("order", "pk").values_list("name", flat=True))
        if unit
        else []
    )
    leaders = (
        list(
            Person.objects.filter(unit=unit, is_leadership=True, status=Person.Status.ACTIVE)
            .order_by("order", "pk")
            .values_list("name", flat=True)
        )
        if unit
        else []
    )
    cats = categories()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADER)
    fill = PatternFill("solid", fgColor="E8F3EE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key == "number":
            sheet.column_dimensions[letter].number_format = "@"
    dept = departments[0] if departments else "办公室"
    leader = leaders[0] if leaders else ""
    year = timezone.localdate().year + 1
    sheet.append(
        [
            "1",
            cats[0],
            "示例：理论学习中心组学习流于形式",
            "一般",
            "示例：制定年度学习计划",
            leader,
            dept,
            "",
            f"{year}年3月31日",
            "限期整改",
        ]
    )
    sheet.append(
        [
            "1",
            cats[0],
            "示例：理论学习中心组学习流于形式",
            "一般",
            "示例：建立学习督查制度",
            leader,
            dept,
            "",
            "",
            "长期坚持",
        ]
    )
    sheet.append(["2", cats[-1], "示例：公务接待超标准", "较重", "", "", "", "", "", ""])
    sheet.freeze_panes = "A2"

    notes = book.create_sheet("说明")
    notes.append(["列", "填写要求"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        names = "、".join(column.aliases)
        notes.append([column.title, column.note + (f"（也可写作：{names}）" if names else "")])
    notes.append([])
    notes.append(["导入规则", "表头须在前 10 行内，含“序号”和“具体问题”；表头上方可有标题行，空行会被跳过"])
    notes.append(["", "一个问题有多条整改措施时，每条措施占一行，序号相同（可合并单元格）"])
    notes.append(["", "文件中任何一行有错误，整个文件都不会导入，页面会列出每一处错误及其行号；导入前请删除示例行"])
    notes.append(["问题类别", "、".join(cats)])
    if unit is not None:
        notes.append([f"{unit.name}的科室", "、".join(departments) or "（尚未设置科室）"])
        notes.append([f"{unit.name}的班子成员", "、".join(leaders) or "（尚未设置班子成员）"])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 90
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------- reading


def _open(upload: UploadedFile | None) -> tuple[Any, list[RowError]]:
    problem = xlsx_upload_problem(upload, missing="请选择要导入的问题清单文件")
    if problem:
        return None, [RowError(None, problem)]
    try:
        # Not read_only: merged cells (序号/问题类别/具体问题 over several measure rows) are only known this way.
        book = load_workbook(upload, data_only=True)
    except Exception:  # openpyxl raises a dozen kinds for a damaged or foreign zip
        return None, [RowError(None, "文件不是有效的 Excel（.xlsx）文件")]
    return book, []


def _grid(book: Any) -> tuple[list[list[Any]], list[RowError]]:
    """The sheet's values (row i of the list = sheet row i + 1), merged ranges filled with their top-left value."""
    if not book.worksheets:
        return [], [RowError(None, "文件中没有问题数据")]
    sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
    if sheet.max_row > MAX_SHEET_ROWS:
        return [], [RowError(None, f"工作表超过 {MAX_SHEET_ROWS} 行，请删除多余的行或分成几个文件导入")]
    width = min(sheet.max_column or 1, MAX_COLUMNS)
    grid = [list(values) for values in sheet.iter_rows(max_col=width, values_only=True)]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row, merged.min_col
        if top > len(grid) or left > width:
            continue
        value = grid[top - 1][left - 1]
        for r in range(top, min(merged.max_row, len(grid)) + 1):
            for c in range(left, min(merged.max_col, width) + 1):
                grid[r - 1][c - 1] = value
    return grid, []


def _find_header(grid: list[list[Any]]) -> tuple[int, dict[str, int], list[RowError]]:
    """The header's row number (1-based) and the column index of each key."""
    for index, values in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = [_header_key(clean(v)) for v in values]
        found = {_BY_TITLE[k].key for k in keys if k in _BY_TITLE}
        if "number" in found and "description" in found:
            positions: dict[str, int] = {}
            errors = []
            for col, key in enumerate(keys):
                column = _BY_TITLE.get(key)
                if column is None:
                    continue
                if column.key in positions:
                    errors.append(RowError(index + 1, f"表头“{column.title}”出现了两次"))
                    continue
                positions[column.key] = col
            missing = [c.title for c in COLUMNS if c.required and c.key not in positions]
            if missing:
                errors.append(RowError(index + 1, f"缺少必填列：{'、'.join(missing)}"))
            return index + 1, positions, errors
    return 0, {}, [RowError(None, f"前 {HEADER_SCAN_ROWS} 行中没有找到表头（须含“序号”和“具体问题”或“问题描述”两列）")]


@dataclass
class _Lookups:
    departments: dict[str, Department]
    people: dict[str, list[Person]]
    existing_numbers: set[str]
    categories: list[str]


def _person(name: str, label: str, lookups: _Lookups, problems: list[str], prefer: Any = None) -> Person | None:
    """The unit's person of that exact name; among namesakes the active one that fits (`prefer`: a leader for
    责任领导, a member of the 责任部门 for 责任人)."""
    if not name:
        return None
    found = lookups.people.get(name, [])
    if not found:
        problems.append(f"{label}“{name}”不是本单位人员")
        return None
    if len(found) == 1:
        return found[0]
    active = [p for p in found if p.status == Person.Status.ACTIVE]
    fitting = [p for p in active if prefer(p)] if prefer is not None else active
    if len(fitting) == 1:
        return fitting[0]
    if len(active) == 1:
        return active[0]
    problems.append(f"本单位有 {len(found)} 位名为“{name}”的人员，无法确定{label}")
    return None


def _measure(
    number: int, cells: dict[str, str], raw_deadline: Any, round_: Round, lookups: _Lookups, today: dt.date
) -> tuple[MeasureRow | None, list[str]]:
    problems: list[str] = []
    text = cells.get("text", "")
    if not text:
        filled = [c.title for c in COLUMNS if c.key in MEASURE_KEYS and cells.get(c.key)]
        problems.append(f"填写了{'、'.join(filled)}，但“整改措施”为空")
        return None, problems
    kind_raw = cells.get("kind", "")
    deadline_text = re.sub(r"\s+", "", cells.get("deadline", ""))
    kind = _KIND.get(kind_raw) if kind_raw else None
    if kind_raw and kind is None:
        problems.append(f"整改类型只能是立行立改、限期整改或长期坚持（现为“{kind_raw}”）")
    deadline = None
    if deadline_text in LONG_TERM_WORDS:
        kind = kind or Measure.Kind.LONG_TERM
    else:
        try:
            deadline = parse_deadline(raw_deadline, round_.feedback_date)
        except ValueError:
            problems.append(f"整改时限“{cells.get('deadline', '')}”无法识别，请写成 2023-09-30、2023年9月30日或9月底")
            deadline = None
            kind = kind or Measure.Kind.LIMITED
    kind = kind or Measure.Kind.LIMITED
    dept_name = cells.get("department", "")
    department = None
    if not dept_name:
        problems.append("有整改措施时“责任部门”不能为空")
    else:
        department = lookups.departments.get(dept_name)
        if department is None:
            problems.append(f"责任部门“{dept_name}”在本单位不存在")
    leader_name = cells.get("leader", "")
    if not leader_name:
        problems.append("有整改措施时“责任领导”不能为空")
    leader = _person(leader_name, "责任领导", lookups, problems, prefer=lambda p: p.is_leadership)
    person = _person(
        cells.get("person", ""),
        "责任人",
        lookups,
        problems,
        prefer=lambda p: department is not None and p.department_id == department.pk,
    )
    if not problems:
        draft = TaskDraft(
            title=text[:120],
            lead_department=department,
            lead_leader=leader,
            deadline=deadline,
            responsible_person=person,
            kind=TASK_KIND[kind],
        )
        problems.extend(
            p.replace("牵头领导", "责任领导").replace("牵头单位", "责任部门").replace("完成时限", "整改时限")
            for p in draft_problems(round_.unit, draft, earliest=today, earliest_label="今天")
        )
    return MeasureRow(number, text, department, leader, person, deadline, kind), problems


def import_parse(*, round_: Round, upload: UploadedFile | None) -> ImportResult:
    """Read and validate the whole file without writing anything (the caller checks the actor's access)."""
    book, errors = _open(upload)
    if book is None:
        return ImportResult(errors=errors)
    try:
        grid, errors = _grid(book)
    except Exception:  # damage inside the zip: the user's file, not our bug
        return ImportResult(errors=[RowError(None, "文件不是有效的 Excel（.xlsx）文件（内容无法读取）")])
    finally:
        book.close()
    if errors:
        return ImportResult(errors=errors)
    return _parse_grid(round_, grid)


def _parse_grid(round_: Round, grid: list[list[Any]]) -> ImportResult:
    result = ImportResult()
    header_row, positions, errors = _find_header(grid)
    if errors:
        result.errors = errors
        return result
    unit = round_.unit
    people: dict[str, list[Person]] = {}
    for p in Person.objects.filter(unit=unit).select_related("department"):
        people.setdefault(p.name, []).append(p)
    lookups = _Lookups(
        departments={d.name: d for d in Department.objects.filter(unit=unit)},
        people=people,
        existing_numbers=set(Finding.objects.filter(round=round_).values_list("number", flat=True)),
        categories=categories(),
    )
    today = timezone.localdate()
    has_measures = any(k in positions for k in MEASURE_KEYS)
    by_number: dict[str, FindingRow] = {}
    previous: dict[str, str] = {}
    data_rows = 0
    for index in range(header_row, len(grid)):
        number = index + 1
        values = grid[index]
        raw = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        cells = {key: clean(v) for key, v in raw.items()}
        if not any(cells.values()):
            continue
        data_rows += 1
        if data_rows > MAX_DATA_ROWS:
            return ImportResult(errors=[RowError(None, f"数据超过 {MAX_DATA_ROWS} 行，请分成几个文件导入")])
        carries_measure = has_measures and any(cells.get(k) for k in MEASURE_KEYS)
        if carries_measure and not any(cells.get(k) for k in FINDING_KEYS) and previous:
            cells.update({k: previous[k] for k in ("number", "category", "description", "severity")})
        elif not cells.get("category") and previous:
            cells["category"] = previous["category"]
        problems: list[str] = []
        no = cells.get("number", "").rstrip(".、")
        description = cells.get("description", "")
        category = cells.get("category", "")
        if not no:
            problems.append("序号不能为空")
        elif len(no) > MAX_NUMBER:
            problems.append(f"序号不能超过 {MAX_NUMBER} 个字")
        if not category:
            problems.append("问题类别不能为空")
        elif category not in lookups.categories:
            problems.append(f"问题类别“{category}”不在可选范围内（{'、'.join(lookups.categories)}）")
        if not description:
            problems.append("具体问题不能为空")
        severity_raw = cells.get("severity", "")
        severity = _SEVERITY.get(severity_raw or "一般")
        if severity is None:
            problems.append(f"严重程度只能是一般、较重或严重（现为“{severity_raw}”）")
        finding = None
        if no:
            if no in lookups.existing_numbers:
                problems.append(f"序号“{no}”在本轮次中已存在")
            elif no in by_number:
                finding = by_number[no]
                if description and finding.description != description:
                    problems.append(f"序号“{no}”与第 {finding.row} 行重复，但具体问题不同")
                    finding = None
        if finding is None and not problems:
            finding = FindingRow(number, no, category, description, severity or Finding.Severity.GENERAL)
            by_number[no] = finding
            result.findings.append(finding)
        if carries_measure:
            measure, measure_problems = _measure(number, cells, raw.get("deadline"), round_, lookups, today)
            problems.extend(measure_problems)
            if finding is not None and measure is not None and not measure_problems:
                finding.measures.append(measure)
        result.errors.extend(RowError(number, reason) for reason in problems)
        previous = {
            "number": no,
            "category": category,
            "description": description,
            "severity": severity_raw,
        }
    if not result.findings and not result.errors:
        result.errors.append(RowError(None, "文件中没有问题数据"))
    return result


# ---------------------------------------------------------------------------------------------------- writing


@transaction.atomic
def findings_import(*, actor: Any, round_: Round, upload: UploadedFile | None) -> ImportSummary:
    """Import the whole file or nothing; raises FindingImportError (a UserError) listing every bad row."""
    access.require(actor, "rectification.manage", round_.unit)
    # Lock the round: two imports of the same round queue here, so the 序号 check holds until commit.
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    result = import_parse(round_=round_, upload=upload)
    if not result.ok:
        raise FindingImportError(result.errors)
    start = (Finding.objects.filter(round=round_).aggregate(m=Max("order"))["m"] or 0) + 1
    findings = Finding.objects.bulk_create(
        [
            Finding(
                round=round_,
                unit=round_.unit,
                number=item.number,
                category=item.category,
                description=item.description,
                severity=item.severity,
                order=start + i,
            )
            for i, item in enumerate(result.findings)
        ],
        batch_size=1000,
    )
    if any(f.pk is None for f in findings):  # a backend that does not return ids from bulk_create
        by_number = {f.number: f for f in Finding.objects.filter(round=round_, number__in=[f.number for f in findings])}
        findings = [by_number[f.number] for f in findings]
    measures = 0
    for finding, item in zip(findings, result.findings, strict=True):
        finding.round = round_
        for m in item.measures:
            try:
                measure_create(
                    actor=actor,
                    finding=finding,
                    text=m.text,
                    department=m.department,
                    lead_leader=m.leader,
                    responsible_person=m.person,
                    deadline=m.deadline,
                    kind=m.kind,
                )
            except UserError as exc:
                raise FindingImportError([RowError(m.row, r) for r in (exc.errors or [exc.message])]) from exc
            measures += 1
    audit.record(
        actor=actor,
        action="finding.import",
        obj=round_,
        changes={
            "file": (upload.name if upload is not None else "")[:200],
            "findings": len(findings),
            "measures": measures,
            "numbers": [f.number for f in findings][:200],
        },
    )
    return ImportSummary(findings=len(findings), measures=measures)
