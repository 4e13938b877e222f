"""Data and timings of the 巡察整改 bench cases, run in a child process with the bench environment (the
throwaway database the harness migrated and filled with the demo), never by the test suite:

    python -m bench.rectification_data import 5000            # 问题清单导入: 5,000 findings, no measures
    python -m bench.rectification_data import 1000 --measures  # 1,000 findings, one measure (督办事项) each

Progress goes to stdout; the last line is `RESULT {json}` for the harness."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

# --- rectification: import ---------------------------------------------------------------------------------------


def import_figures(rows: int, measures: bool) -> dict[str, Any]:
    """A fresh round in the demo bureau, an .xlsx of `rows` findings (a title row above the header, full-width
    digits in 序号) built in memory, then findings_import() timed: parse alone, and the whole import."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from openpyxl import Workbook

    from qingfeng.org import demo
    from qingfeng.rectification.models import DEFAULT_CATEGORIES, Finding
    from qingfeng.rectification.services import importing
    from qingfeng.rectification.services.rounds import round_create

    cast = demo.load()
    clerk = cast.users["clerk"]
    leader, staff = cast.users["leader"].person.name, cast.users["staff"].person.name
    round_ = round_create(
        actor=clerk,
        unit=cast.bureau,
        name=f"基准测试巡察 {timezone.now():%H%M%S}",
        body="基准测试巡察组",
        kind="xuncha",
        feedback_date=timezone.localdate(),
    )
    year = timezone.localdate().year + 1
    book = Workbook()
    sheet = book.active
    sheet.append(["基准测试问题清单"])
    header = ["序号", "问题类别", "具体问题", "严重程度"]
    if measures:
        header += ["整改措施", "责任领导", "责任部门", "责任人", "整改时限", "整改类型"]
    sheet.append(header)
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    for i in range(1, rows + 1):
        row = [
            str(i).translate(full),
            DEFAULT_CATEGORIES[i % len(DEFAULT_CATEGORIES)],
            f"第{i}个问题：制度执行不到位",
            "一般",
        ]
        if measures:
            row += [f"第{i}条整改措施", leader, "财务股", staff, f"{year}年9月30日", "限期整改"]
        sheet.append(row)
        if i % 500 == 0:
            sheet.append([])  # blank rows between groups
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    print(f"文件 {len(content) / 1024:.0f} KB，{rows:,} 个问题{'（每个一条整改措施）' if measures else ''}", flush=True)

    started = time.perf_counter()
    parsed = importing.import_parse(round_=round_, upload=SimpleUploadedFile("问题清单.xlsx", content))
    parse_ms = (time.perf_counter() - started) * 1000
    if not parsed.ok:
        return {"error": [str(e) for e in parsed.errors[:5]]}
    started = time.perf_counter()
    summary = importing.findings_import(actor=clerk, round_=round_, upload=SimpleUploadedFile("问题清单.xlsx", content))
    ms = (time.perf_counter() - started) * 1000
    stored = Finding.objects.filter(round=round_).count()
    print(
        f"解析 {parse_ms:,.0f} ms；导入（含解析）{ms:,.0f} ms；问题 {summary.findings:,}，措施 {summary.measures:,}",
        flush=True,
    )
    return {
        "ms": ms,
        "parse_ms": parse_ms,
        "findings": summary.findings,
        "measures": summary.measures,
        "stored": stored,
        "rows": rows,
    }


# --- end rectification: import -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rectification_data", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="问题清单导入")
    imp.add_argument("rows", type=int)
    imp.add_argument("--measures", action="store_true", help="每个问题带一条整改措施")
    args = parser.parse_args(argv)

    import django

    django.setup()
    if args.command == "import":
        figures = import_figures(args.rows, args.measures)
        print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
        return 0 if figures.get("stored") == args.rows else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
