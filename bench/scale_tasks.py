"""The whole-data-set cases, run in a child process with the bench environment on the generated data (no data of
their own):

    python -m bench.scale_tasks scan --now 2026-11-25T10:00:00+08:00   # scan() twice over every open task
    python -m bench.scale_tasks audit-verify                           # qingfeng.core.audit.verify() of the chain

Progress goes to stdout; the last line is `RESULT {json}` for the harness."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from typing import Any


def _say(text: str) -> None:
    print(text, flush=True)


def scan_figures(now: dt.datetime) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count

    from bench.scan_data import time_scans
    from qingfeng.supervision.models import Task, TaskPart

    open_parts = (
        TaskPart.objects.filter(task__status__in=[Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS])
        .exclude(status=TaskPart.Status.DONE)
        .aggregate(n=Count("pk"))["n"]
    )
    _say(f"scan(now={now.isoformat()})：待检查承办部分 {open_parts:,} 项")
    figures: dict[str, Any] = {"vendor": connection.vendor, "now": now.isoformat(), "open_parts": open_parts}
    figures.update(time_scans(now))
    return figures


def audit_figures() -> dict[str, Any]:
    from django.db import connection

    from qingfeng.core import audit
    from qingfeng.core.models import AuditEvent

    events = AuditEvent.objects.count()
    _say(f"校验审计链：{events:,} 条事件…")
    workers = min(os.cpu_count() or 1, 4)  # as `qingfeng audit-verify` does by default
    started = time.perf_counter()
    result = audit.verify(workers=workers)
    seconds = time.perf_counter() - started
    figures = {
        "vendor": connection.vendor,
        "ok": result.ok,
        "checked": result.checked,
        "events": events,
        "workers": workers,
        "seconds": round(seconds, 3),
        "events_per_s": round(result.checked / seconds) if seconds else None,
        "first_bad_seq": result.first_bad_seq,
        "reason": result.reason,
    }
    verdict = "链完整" if result.ok else f"失败：第 {result.first_bad_seq} 号事件 {result.reason}"
    _say(
        f"audit.verify(workers={workers})：{seconds:.2f} 秒，{result.checked:,} 条（{figures['events_per_s'] or 0:,} 条/秒），{verdict}"
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_tasks", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    scan = commands.add_parser("scan", help="对全部未办结任务 scan() 两次")
    scan.add_argument("--now", required=True, type=dt.datetime.fromisoformat, help="清单中的基准时间（ISO 8601）")
    commands.add_parser("audit-verify", help="校验整条审计链")
    args = parser.parse_args(argv)

    import django

    django.setup()
    if args.command == "scan":
        now = args.now if args.now.tzinfo else args.now.replace(tzinfo=dt.UTC)
        figures = scan_figures(now)
        print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
        return 0 if figures["second"]["reminders"] == 0 else 1
    figures = audit_figures()
    print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
