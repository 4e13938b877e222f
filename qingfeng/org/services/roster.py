"""花名册导入: a unit's people from an .xlsx file, all or nothing (DESIGN.md rules of the house, SECURITY.md R2).

1. Check the upload: not empty, under the size cap, an .xlsx by its bytes (never by its name).
2. Read the first sheet (or the one named 花名册): header in row 1, one person per row below; blank rows skipped.
3. Validate every row and collect EVERY problem with its row number, so one upload shows all there is to fix.
4. No problem at all → in one transaction create the new people, update the ones whose 工号 already belongs to
   this unit, leave the unchanged ones alone (a rerun of the same file changes nothing), and write one summary
   audit event. Any problem → nothing is written.

A 工号 is unique across the whole system: one held by a person of another unit is an error, never a move."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.core.xlsx_import import xlsx_upload_problem
from qingfeng.org import access
from qingfeng.org.models import Branch, Department, Person, Unit
from qingfeng.org.services import people
from qingfeng.org.services.people import PersonData

SHEET_TITLE = "花名册"
# More rows than any one unit has; beyond it the file is split (and a hostile file cannot make us read forever).
MAX_ROWS = 5000
# Rows of the sheet read at most, blank ones included (a stray cell far below must not keep us reading).
MAX_SHEET_ROWS = 20000
# Columns read per row: the template has nine; extra columns (序号, 备注…) are ignored.
MAX_COLUMNS = 40


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # as written in the template's header
    required: bool = False
    width: int = 14
    note: str = ""


COLUMNS: list[Column] = [
    Column("employee_no", "工号", required=True, width=12, note="必填。全系统唯一；本单位已有该工号的人员将按本行更新"),
    Column("name", "姓名", required=True, width=10, note="必填"),
    Column("department", "科室", width=14, note="须为本单位已有的科室，可不填"),
    Column("post", "职务", width=20, note="可不填"),
    Column("branch", "支部", width=18, note="须为本单位已有的党支部，可不填"),
    Column("is_party_member", "是否党员", width=10, note="填“是”或“否”，不填视为“否”"),
    Column("is_leadership", "是否班子成员", width=12, note="填“是”或“否”，不填视为“否”"),
    Column(
        "supervised_departments",
        "分管科室",
        width=24,
        note="仅班子成员填写；多个科室用顿号“、”或逗号分隔，须为本单位已有的科室",
    ),
    Column("phone", "手机号", width=14, note="11 位手机号码，可不填"),
]
HEADER = [f"{c.title}*" if c.required else c.title for c in COLUMNS]
_BY_TITLE = {c.title: c for c in COLUMNS}
_MAX_LENGTH = {"employee_no": 30, "name": 50, "post": 100}
_YES_NO = {"是": True, "否": False}
_SPLIT = re.compile(r"[、,，;；\s]+")
_PHONE = re.compile(r"^1\d{10}$")
# “是否党员（是/否）” and “工号*” both name their column.
_HEADER_NOISE = re.compile(r"[*＊\s]|[（(][^）)]*[）)]")


@dataclass(frozen=True)
class RowError:
    """One problem: `row` is the row number in the sheet (None for a problem of the whole file)."""

    row: int | None
    reason: str

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.reason}" if self.row else self.reason


@dataclass
class RosterRow:
    row: int
    data: PersonData
    person: Person | None = None  # the person of this unit the row updates; None → a new person


@dataclass
class RosterResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


class RosterError(UserError):
    """The file was refused; `problems` lists every bad row (the message alone says how many)."""

    def __init__(self, problems: list[RowError]) -> None:
        super().__init__(f"花名册有 {len(problems)} 处错误，未导入任何人员", errors=[str(p) for p in problems])
        self.problems = problems


# ---------------------------------------------------------------------------------------------------- template


def roster_template_xlsx(*, unit: Unit) -> bytes:
    """The template workbook: the header, two sample rows from the unit's own departments, and a 说明 sheet
    listing what each column takes and the unit's departments and branches."""
    departments = list(Department.objects.filter(unit=unit).order_by("order", "pk").values_list("name", flat=True))
    branches = list(Branch.objects.filter(unit=unit).order_by("order", "pk").values_list("name", flat=True))
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(HEADER)
    header_fill = PatternFill("solid", fgColor="E8F3EE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
    for index, column in enumerate(COLUMNS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.key in ("employee_no", "phone"):
            # A text column: Excel then keeps 工号 0012 and phone numbers as typed instead of making numbers.
            dimension.number_format = "@"
    first = departments[0] if departments else ""
    second = departments[1] if len(departments) > 1 else first
    branch = branches[0] if branches else ""
    sheet.append(["示例001", "张三", first, "科员", branch, "是", "否", "", "13800000000"])
    sheet.append(
        ["示例002", "李四", first, "副局长", branch, "是", "是", "、".join(d for d in (first, second) if d), ""]
    )
    sheet.freeze_panes = "A2"

    notes = book.create_sheet("说明")
    notes.append(["列", "填写要求"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for title, column in zip(HEADER, COLUMNS, strict=True):
        notes.append([title, column.note])
    notes.append([])
    notes.append(["导入规则", "第 1 行为表头，不要修改；从第 2 行起每行一人，空行会被跳过；导入前请删除示例行"])
    notes.append(["", "文件中任何一行有错误，整个文件都不会导入，页面会列出每一处错误及其行号"])
    notes.append(["", "同一文件重复导入结果相同：本单位已有的工号按文件更新，不会重复新增"])
    notes.append([f"{unit.name}的科室", "、".join(departments) or "（尚未设置科室）"])
    notes.append([f"{unit.name}的支部", "、".join(branches) or "（尚未设置支部）"])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 80
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------- reading


def _open(upload: UploadedFile | None) -> tuple[Any, list[RowError]]:
    """The workbook, or the reason the upload is not one."""
    problem = xlsx_upload_problem(upload, missing="请选择要导入的花名册文件")
    if problem:
        return None, [RowError(None, problem)]
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises a dozen kinds for a damaged or foreign zip
        return None, [RowError(None, "文件不是有效的 Excel（.xlsx）文件")]
    return book, []


def _text(value: Any) -> str:
    """A cell as clean text: Excel keeps 1001 and 13800000000 as numbers, openpyxl may give them as floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.replace("\u3000", " ").strip()
    return str(value).strip()


def _header_key(value: Any) -> str:
    return _HEADER_NOISE.sub("", _text(value))


@dataclass
class _Lookups:
    departments: dict[str, Department]
    branches: dict[str, Branch]


def _yes_no(raw: str, title: str, problems: list[str]) -> bool:
    if raw == "":
        return False
    if raw in _YES_NO:
        return _YES_NO[raw]
    problems.append(f"“{title}”只能填 是 或 否（现为“{raw}”）")
    return False


def _parse_row(values: dict[str, str], lookups: _Lookups) -> tuple[PersonData, list[str]]:
    """The row as PersonData, and what is wrong with it (a list of reasons, empty when fine)."""
    problems: list[str] = []
    for key in ("employee_no", "name"):
        if not values.get(key, ""):
            problems.append(f"{_title(key)}不能为空")
    for key, limit in _MAX_LENGTH.items():
        if len(values.get(key, "")) > limit:
            problems.append(f"{_title(key)}不能超过 {limit} 个字")

    department = None
    if name := values.get("department", ""):
        department = lookups.departments.get(name)
        if department is None:
            problems.append(f"科室“{name}”在本单位不存在")
    branch = None
    if name := values.get("branch", ""):
        branch = lookups.branches.get(name)
        if branch is None:
            problems.append(f"支部“{name}”在本单位不存在")
    is_party_member = _yes_no(values.get("is_party_member", ""), "是否党员", problems)
    is_leadership = _yes_no(values.get("is_leadership", ""), "是否班子成员", problems)

    supervised: list[Department] = []
    for name in _SPLIT.split(values.get("supervised_departments", "")):
        if not name:
            continue
        dept = lookups.departments.get(name)
        if dept is None:
            problems.append(f"分管科室“{name}”在本单位不存在")
        elif dept not in supervised:
            supervised.append(dept)
    if values.get("supervised_departments", "") and not is_leadership:
        problems.append("分管科室只能由班子成员担任（“是否班子成员”应填“是”）")

    phone = values.get("phone", "")
    if phone and not _PHONE.match(phone):
        problems.append(f"手机号“{phone}”应为 1 开头的 11 位数字")

    data = PersonData(
        employee_no=values.get("employee_no", ""),
        name=values.get("name", ""),
        post=values.get("post", ""),
        department=department,
        branch=branch,
        is_party_member=is_party_member,
        is_leadership=is_leadership,
        phone=phone,
        supervised_departments=supervised,
    )
    return data, problems


def _title(key: str) -> str:
    return next(c.title for c in COLUMNS if c.key == key)


def _keep_absent(data: PersonData, person: Person, present: set[str]) -> None:
    """A column the file does not have keeps the person's current value (only the file's columns are set)."""
    current = {
        "post": person.post,
        "department": person.department,
        "branch": person.branch,
        "is_party_member": person.is_party_member,
        "is_leadership": person.is_leadership,
        "phone": person.phone,
    }
    for key, value in current.items():
        if key not in present:
            setattr(data, key, value)
    if "supervised_departments" not in present:
        data.supervised_departments = list(person.supervised_departments.all())
    data.order = person.order


def roster_parse(*, unit: Unit, upload: UploadedFile | None) -> RosterResult:
    """Read and validate the whole file without writing anything (the caller checks the actor's access)."""
    book, errors = _open(upload)
    if book is None:
        return RosterResult(errors=errors)
    try:
        return _parse_book(unit, book)
    finally:
        book.close()


def _read(book: Any) -> tuple[list[tuple[int, tuple[Any, ...]]], list[RowError]]:
    """Row 1 and every non-blank row below it, with their sheet row numbers; or why the sheet cannot be read.
    Read-only openpyxl parses lazily, so a damaged sheet only shows itself here."""
    if not book.worksheets:
        return [], [RowError(None, "文件中没有人员数据")]
    sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                return [], [RowError(None, f"工作表超过 {MAX_SHEET_ROWS} 行，请删除多余的行或分成几个文件导入")]
            if number == 1 or any(_text(v) for v in values):
                rows.append((number, tuple(values)))
            if len(rows) > MAX_ROWS + 1:
                return [], [RowError(None, f"人员超过 {MAX_ROWS} 行，请分成几个文件导入")]
    except Exception:  # any damage inside the zip: the user's file, not our bug
        return [], [RowError(None, "文件不是有效的 Excel（.xlsx）文件（内容无法读取）")]
    return rows, []


def _parse_book(unit: Unit, book: Any) -> RosterResult:
    rows, errors = _read(book)
    result = RosterResult(errors=errors)
    if errors:
        return result
    header = rows[0] if rows and rows[0][0] == 1 else None
    if header is None or not any(_text(v) for v in header[1]):
        result.errors.append(RowError(None, "文件中没有人员数据（第 1 行应为表头）"))
        return result

    positions: dict[str, int] = {}
    for index, value in enumerate(header[1]):
        column = _BY_TITLE.get(_header_key(value))
        if column is None:
            continue
        if column.key in positions:
            result.errors.append(RowError(1, f"表头“{column.title}”出现了两次"))
            continue
        positions[column.key] = index
    missing = [c.title for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        result.errors.append(RowError(None, f"缺少必填列：{'、'.join(missing)}"))
    if result.errors:
        return result

    lookups = _Lookups(
        departments={d.name: d for d in Department.objects.filter(unit=unit)},
        branches={b.name: b for b in Branch.objects.filter(unit=unit)},
    )
    parsed: list[tuple[int, PersonData]] = []
    first_seen: dict[str, int] = {}
    for number, values in rows[1:]:
        cells = {key: _text(values[i]) if i < len(values) else "" for key, i in positions.items()}
        if not any(cells.values()):
            continue  # a blank row (or one with only ignored columns filled)
        data, problems = _parse_row(cells, lookups)
        no = data.employee_no
        if no:
            if no in first_seen:
                problems.insert(0, f"工号“{no}”与第 {first_seen[no]} 行重复")
            else:
                first_seen[no] = number
        result.errors.extend(RowError(number, reason) for reason in problems)
        parsed.append((number, data))
    if not parsed:
        result.errors.append(RowError(None, "文件中没有人员数据"))
        return result

    # 工号 already in use: this unit's → update that person; anyone else's (or a deleted record's) → error.
    existing = {
        p.employee_no: p
        for p in Person.all_objects.filter(employee_no__in=list(first_seen)).select_related("department", "branch")
    }
    present = set(positions)
    for number, data in parsed:
        person = existing.get(data.employee_no)
        if person is not None and first_seen.get(data.employee_no) == number:
            if person.unit_id != unit.pk:
                result.errors.append(RowError(number, f"工号“{data.employee_no}”已被其他单位的人员使用"))
                person = None
            elif person.is_deleted:
                result.errors.append(RowError(number, f"工号“{data.employee_no}”属于已删除的人员，不能再次使用"))
                person = None
            else:
                _keep_absent(data, person, present)
                if data.supervised_departments and not data.is_leadership:
                    result.errors.append(
                        RowError(number, f"{person.name}现分管科室，设为非班子成员须同时清空其分管科室")
                    )
                if data.supervised_departments and person.status == Person.Status.LEFT:
                    result.errors.append(RowError(number, f"{person.name}已离岗，不能分管科室"))
        result.rows.append(RosterRow(row=number, data=data, person=person))
    result.errors.sort(key=lambda e: e.row or 0)
    return result


# ---------------------------------------------------------------------------------------------------- writing


def _unchanged(person: Person, data: PersonData) -> bool:
    return (
        person.name == data.name.strip()
        and person.post == data.post
        and person.department_id == (data.department.pk if data.department else None)
        and person.branch_id == (data.branch.pk if data.branch else None)
        and person.is_party_member == data.is_party_member
        and person.is_leadership == data.is_leadership
        and person.phone == data.phone
        and set(person.supervised_departments.values_list("pk", flat=True))
        == {d.pk for d in data.supervised_departments}
    )


@transaction.atomic
def roster_import(*, actor: Any, unit: Unit, upload: UploadedFile | None) -> ImportSummary:
    """Import the whole file or nothing; raises RosterError (a UserError) listing every bad row."""
    access.require(actor, "org.manage", unit)
    result = roster_parse(unit=unit, upload=upload)
    if not result.ok:
        raise RosterError(result.errors)
    # New people go after the unit's current ones, in the file's order.
    last = Person.all_objects.filter(unit=unit).order_by("-order").values_list("order", flat=True).first() or 0
    created = updated = unchanged = 0
    for item in result.rows:
        try:
            if item.person is None:
                item.data.order = last + 1 + created
                people.person_create(actor=actor, unit=unit, data=item.data, audit_action="person.import")
                created += 1
            elif _unchanged(item.person, item.data):
                unchanged += 1
            else:
                people.person_update(actor=actor, person=item.person, data=item.data)
                updated += 1
        except UserError as exc:
            # A check the rows passed above can still fail here (a 工号 taken a moment ago): roll all back.
            raise RosterError([RowError(item.row, reason) for reason in (exc.errors or [exc.message])]) from exc
    audit.record(
        actor=actor,
        action="roster.import",
        obj=unit,
        changes={
            "file": (upload.name if upload is not None else "")[:200],
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
        },
    )
    return ImportSummary(created=created, updated=updated, unchanged=unchanged)
