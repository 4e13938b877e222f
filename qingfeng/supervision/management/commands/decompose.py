"""`qingfeng decompose FILE [--xlsx OUT] [--json] [--date YYYY-MM-DD] [--unit CODE]`: a deployment document
(.txt or .docx) → its outline and candidate tasks, as a Chinese summary, JSON or the 任务分解表 (xlsx)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qingfeng.core.calendar import WorkCalendar
from qingfeng.core.errors import UserError
from qingfeng.core.exports import write_xlsx
from qingfeng.supervision.decompose import Outline, decompose
from qingfeng.supervision.decompose_modules import MODULE_LABELS
from qingfeng.supervision.drafting import TABLE_HEADER, deadline_label, leaders_map, outline_rows, units_label
from qingfeng.supervision.reading import read_document

XLSX_HEADER = TABLE_HEADER


def leaders_of_unit(code: str) -> dict[str, str]:
    """The 分管 map of the unit with this code (drafting.leaders_map)."""
    from qingfeng.org.models import Unit

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"没有单位代码为“{code}”的单位")
    return leaders_map(unit)


class Command(BaseCommand):
    help = "分解部署文件（.txt 或 .docx）：识别一、（一）1. 一是…等编号，列出候选任务、完成时限、类型和牵头领导。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="部署文件路径（.txt 或 .docx）")
        parser.add_argument("--xlsx", metavar="OUT", help="把任务分解表写入此 .xlsx 文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出提纲")
        parser.add_argument("--date", help="部署日期 YYYY-MM-DD（默认今天），完成时限据此推算")
        parser.add_argument("--unit", metavar="CODE", help="单位代码：按该单位的分管关系建议牵头领导")

    def handle(self, *args: Any, **options: Any) -> None:
        deployment_date = self._date(options["date"])
        leaders = leaders_of_unit(options["unit"]) if options["unit"] else {}
        try:
            text = read_document(options["file"])
            outline = decompose(
                text,
                deployment_date=deployment_date,
                leaders=leaders,
                is_working_day=WorkCalendar().is_working_day,
            )
        except UserError as exc:
            raise CommandError(exc.message) from exc

        if options["xlsx"]:
            out = Path(options["xlsx"])
            if not out.parent.is_dir():  # checked first: openpyxl leaves a half-written stream behind on failure
                raise CommandError(f"无法写入 {out}：目录不存在")
            try:
                write_xlsx(out, "任务分解表", XLSX_HEADER, outline_rows(outline))
            except OSError as exc:
                raise CommandError(f"无法写入 {out}：{exc.strerror or exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(outline.as_json(), ensure_ascii=False, indent=2))
            return
        self._summary(outline)
        if options["xlsx"]:
            self.stdout.write(f"任务分解表已写入 {options['xlsx']}")

    def _date(self, value: str | None) -> dt.date:
        if not value:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"日期“{value}”格式不对，应为 YYYY-MM-DD，例如 2023-07-15") from exc

    def _summary(self, outline: Outline) -> None:
        write = self.stdout.write
        if outline.title:
            write(f"《{outline.title}》")
        for message in outline.messages:
            write(f"提示：{message}")
        for section in outline.sections:
            if section.number or section.heading:
                stop = "" if section.number.startswith("（") or not section.number else "、"
                write(f"{section.number}{stop}{section.heading}")
            for c in section.items:
                parts = [f"  {c.number or '整体'} {c.title}"]
                parts.append(f"时限：{deadline_label(c) or '未定'}")
                parts.append(f"类型：{MODULE_LABELS.get(c.module, c.module)}")
                if c.lead_hint:
                    parts.append(f"牵头领导：{c.lead_hint}")
                if c.lead_units or c.partner_units:
                    parts.append(f"责任单位：{units_label(c)}")
                write("｜".join(parts))
                for flag in c.flags:
                    write(f"      ！{flag}")
        count = len(outline.candidates())
        write(self.style.SUCCESS(f"共 {len(outline.sections)} 个部分、{count} 项候选任务。"))
