"""责任清单 as .xlsx in the clerks' layout (DOMAIN.md): 序号, 责任内容, 具体措施, 责任主体, 责任人, 完成时限/频次, 落实情况.

Import (into a draft list, appended after its items), all or nothing:
1. the upload is checked (core.xlsx_import); the header is the first of the first 10 rows that holds 责任内容 and
   责任主体 (a title row above it is fine); a file without the layout's columns is refused naming what is missing;
2. every row is read and every problem collected with its sheet row number: 责任主体 is a 班子成员's name or a
   科室's name, 责任人 a name of the unit (姓名（工号） when two people share it), 完成时限/频次 a date (2024-06-30,
   2024年6月30日, 2024.6.30, an Excel date) or 每月/每季度/每半年/每年/长期; 落实情况 is ignored (it comes from the tasks);
3. no problem → the items in one transaction with one audit event; any problem → nothing is written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from openpyxl import load_workbook

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.core.xlsx_import import xlsx_upload_problem
from qingfeng.org.models import Department, Person
from qingfeng.org.services.roster import RowError
from qingfeng.responsibility.models import ResponsibilityItem, ResponsibilityList
from qingfeng.responsibility.services.lists import ItemData, _create_item, _next_seq, item_problems, require_write

HEADER = ["序号", "责任内容", "具体措施", "责任主体", "责任人", "完成时限/频次", "落实情况"]
ALIASES = {
    "序号": "seq",
    "责任内容": "content",
    "具体措施": "measures",
    "工作措施": "measures",
    "责任主体": "owner",
    "责任人": "person",
    "完成时限/频次": "timing",
    "完成时限": "timing",
    "频次": "timing",
    "时限": "timing",
    "落实情况": "progress",
}
REQUIRED = {"content": "责任内容", "owner": "责任主体", "timing": "完成时限/频次"}
FREQUENCIES = {label: value for value, label in ResponsibilityItem.Frequency.choices}
FREQUENCIES.update({"每季": "quarterly", "半年": "halfyearly", "每年度": "yearly", "长期坚持": "long_term"})
MAX_ROWS = 2000


class ListImportError(UserError):
    def __init__(self, problems: list[RowError]) -> None:
        super().__init__("；".join(str(p) for p in problems[:5]), errors=[str(p) for p in problems])
        self.problems = problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u3000", " ").strip()


def _key(value: Any) -> str:
    return re.sub(r"[\s*＊]", "", _text(value))


def parse_timing(value: Any) -> tuple[dt.date | None, str, str]:
    """(deadline, frequency, problem) from a 完成时限/频次 cell."""
    if isinstance(value, dt.datetime):
        return value.date(), "", ""
    if isinstance(value, dt.date):
        return value, "", ""
    text = _key(value)
    if not text:
        return None, "", ""
    if text in FREQUENCIES:
        return None, FREQUENCIES[text], ""
    match = re.fullmatch(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?", text)
    if match:
        try:
            return dt.date(*map(int, match.groups())), "", ""
        except ValueError:
            pass
    return None, "", f"完成时限/频次“{text}”无法识别（应为日期如2024-06-30，或每月、每季度、每半年、每年、长期）"


@dataclass
class _Lookups:
    leaders: dict[str, Person]
    departments: dict[str, Department]
    people: dict[str, list[Person]]


def _lookups(rlist: ResponsibilityList) -> _Lookups:
    people = list(Person.objects.filter(unit=rlist.unit, status=Person.Status.ACTIVE).order_by("order", "pk"))
    by_name: dict[str, list[Person]] = {}
    for p in people:
        by_name.setdefault(p.name, []).append(p)
        by_name.setdefault(f"{p.name}（{p.employee_no}）", []).append(p)
        by_name.setdefault(f"{p.name}({p.employee_no})", []).append(p)
    return _Lookups(
        leaders={p.name: p for p in people if p.is_leadership},
        departments={d.name: d for d in Department.objects.filter(unit=rlist.unit)},
        people=by_name,
    )


def _header(sheet: Any) -> tuple[int, dict[str, int]] | None:
    for number, row in enumerate(sheet.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        columns = {ALIASES[_key(v)]: i for i, v in enumerate(row) if _key(v) in ALIASES}
        if "content" in columns or "owner" in columns:
            return number, columns
    return None


def read_rows(rlist: ResponsibilityList, upload: UploadedFile) -> list[tuple[int, ItemData]]:
    """Every data row as ItemData; raises ListImportError with every problem (nothing is written here)."""
    problem = xlsx_upload_problem(upload, missing="请选择要导入的责任清单文件")
    if problem:
        raise ListImportError([RowError(None, problem)])
    try:
        book = load_workbook(BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same message
        raise ListImportError([RowError(None, "文件不是有效的 Excel（.xlsx）文件")]) from exc
    sheet = book.worksheets[0]
    found = _header(sheet)
    layout = "、".join(HEADER)
    if found is None:
        raise ListImportError([RowError(None, f"文件格式不符：前10行中没有找到表头（应为：{layout}）")])
    header_row, columns = found
    missing = [title for key, title in REQUIRED.items() if key not in columns]
    if missing:
        raise ListImportError(
            [RowError(None, f"文件格式不符：缺少“{'”“'.join(missing)}”列（责任清单的列为：{layout}）")]
        )
    look = _lookups(rlist)
    rows: list[tuple[int, ItemData]] = []
    problems: list[RowError] = []

    def cell(row: tuple, key: str) -> Any:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    for number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        if not any(_text(v) for v in row):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(RowError(None, f"一次最多导入{MAX_ROWS}行"))
            break
        own: list[str] = []
        owner_name = _key(cell(row, "owner"))
        data = ItemData(content=_text(cell(row, "content")), measures=_text(cell(row, "measures")))
        if owner_name in look.leaders:
            data.owner_person = look.leaders[owner_name]
        elif owner_name in look.departments:
            data.owner_department = look.departments[owner_name]
        elif owner_name:
            own.append(f"责任主体“{owner_name}”不是本单位的班子成员或科室")
        person_name = _key(cell(row, "person"))
        if person_name:
            matches = look.people.get(person_name, [])
            if len(matches) == 1:
                data.responsible_person = matches[0]
            elif matches:
                own.append(f"责任人“{person_name}”有重名，请写成“姓名（工号）”")
            else:
                own.append(f"责任人“{person_name}”不是本单位在岗人员")
        data.deadline, data.frequency, timing_problem = parse_timing(cell(row, "timing"))
        if timing_problem:
            own.append(timing_problem)
        own += [p for p in item_problems(rlist.unit, data, rlist) if not (owner_name and p.startswith("没有责任主体"))]
        problems += [RowError(number, p) for p in own]
        rows.append((number, data))
    book.close()
    if problems:
        raise ListImportError(problems)
    if not rows:
        raise ListImportError([RowError(None, "文件中没有责任事项")])
    return rows


@transaction.atomic
def list_import(*, actor: Any, rlist: ResponsibilityList, upload: UploadedFile) -> int:
    require_write(actor, rlist)
    if rlist.status != ResponsibilityList.Status.DRAFT:
        raise UserError("清单已发布，不能再导入事项")
    rows = read_rows(rlist, upload)
    seq = _next_seq(rlist)
    for offset, (_, data) in enumerate(rows):
        _create_item(rlist, data, seq + offset)
    audit.record(
        actor=actor,
        action="resp_list.import",
        obj=rlist,
        changes={"file": upload.name, "items": len(rows)},
    )
    return len(rows)


def export_rows(items: list[ResponsibilityItem]) -> list[list[Any]]:
    """The list's rows in the clerks' layout (items annotated by selectors.annotate_progress)."""
    return [
        [
            item.seq,
            item.content,
            item.measures,
            item.owner_name,
            item.responsible_person.name if item.responsible_person_id else "",
            item.timing,
            item.progress.label,
        ]
        for item in items
    ]
