"""The data and the timing of the `ledger-100k` case: one round of the demo bureau with N measures (three to a
finding), each with its 督办事项 and lead part, written with bulk_create (no services, no audit events), then the
台账 export (qingfeng.rectification.services.ledger.export_ledger) timed writing to a temporary file.

Run in child processes with the bench environment (the throwaway database the harness migrated and filled with
the demo), never by the test suite:

    python -m bench.ledger_data generate 100000     # prints RESULT {"round": pk, ...}
    python -m bench.ledger_data export ROUND_PK     # prints RESULT {"seconds": ..., "peak_rss_mb": ...}

The export runs in a fresh process so that its peak resident memory (getrusage ru_maxrss) is the export's own,
not the generation's; tracemalloc is off while timing (it slows Python allocation several-fold). Progress goes to
stdout; the last line is `RESULT {json}` for the harness."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from zoneinfo import ZoneInfo

BATCH = 5000
PER_FINDING = 3
TAG = "bench:ledger"  # source_ref of the generated tasks
NOW = dt.datetime(2025, 11, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CATEGORIES = ["政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "党风廉政建设", "意识形态", "财务管理"]
# Out of 10 measures: 4 closed (销号), 4 in progress, 1 unsigned, 1 long-term.
MIX = ["done"] * 4 + ["progress"] * 4 + ["unsigned", "long_term"]


def _say(text: str) -> None:
    print(text, flush=True)


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def generate(n: int, now: dt.datetime = NOW) -> dict[str, object]:
    from django.db import connection, transaction
    from django.utils import timezone

    from qingfeng.org import demo
    from qingfeng.org.models import Person
    from qingfeng.rectification.models import Finding, Measure, Round
    from qingfeng.supervision.models import Task, TaskCounter, TaskPart

    cast = demo.load()
    bureau, clerk, head = cast.bureau, cast.users["clerk"], cast.users["head"]
    today = timezone.localdate(now)
    departments = list(cast.departments.values())
    leaders = list(Person.objects.filter(unit=bureau, is_leadership=True).order_by("employee_no"))
    members: dict[int, list[Person]] = {}
    for person in Person.objects.filter(unit=bureau, department__isnull=False).order_by("employee_no"):
        members.setdefault(person.department_id, []).append(person)
    round_ = Round.objects.create(
        unit=bureau,
        name=f"压测巡察{time.strftime('%Y%m%d%H%M%S')}",
        body="压测巡察组",
        feedback_date=today - dt.timedelta(days=60),
        rectify_until=today,
        report_due=today,
        created_by=clerk,
    )
    year = today.year
    with transaction.atomic():
        counter, _ = TaskCounter.objects.get_or_create(unit=bureau, year=year)
        first_seq = counter.last + 1
        counter.last += n
        counter.save(update_fields=["last"])

    started = time.perf_counter()
    made = 0
    description = "部分党员干部纪律规矩意识淡薄，执行中央八项规定精神不够严格，公务接待、公车使用等方面仍有不规范现象。"
    measure_text = "对照问题清单逐项自查，修订完善公务接待、公车使用管理制度，开展专项检查并通报结果，建立长效机制。"
    while made < n:
        size = min(BATCH - BATCH % PER_FINDING, n - made)
        findings, tasks, specs = [], [], []
        for i in range(made, made + size):
            if i % PER_FINDING == 0:
                number = i // PER_FINDING + 1
                findings.append(
                    Finding(
                        round=round_,
                        unit=bureau,
                        number=str(number),
                        category=CATEGORIES[number % len(CATEGORIES)],
                        description=f"问题{number}：{description}",
                        order=number,
                    )
                )
            state = MIX[i % len(MIX)]
            dept = departments[i % len(departments)]
            people = members.get(dept.pk) or [None]
            deadline = None if state == "long_term" else today + dt.timedelta(days=(i % 90) - 30)
            done = state == "done"
            tasks.append(
                Task(
                    unit=bureau,
                    year=year,
                    seq=first_seq + i,
                    title=f"【{round_.name}整改】{measure_text[:40]}",
                    source=Task.Source.MODULE,
                    source_ref=TAG,
                    lead_leader=leaders[i % len(leaders)],
                    responsible_person=people[i % len(people)],
                    kind=Task.Kind.LONG_TERM if state == "long_term" else Task.Kind.LIMITED,
                    deadline=deadline,
                    original_deadline=deadline,
                    status={
                        "done": Task.Status.DONE,
                        "unsigned": Task.Status.PENDING_SIGN,
                    }.get(state, Task.Status.IN_PROGRESS),
                    percent=100 if done else (i * 7) % 100,
                    assigned_at=now - dt.timedelta(days=50),
                    assigned_by=clerk,
                    sign_deadline=now - dt.timedelta(days=49),
                    signed_at=None if state == "unsigned" else now - dt.timedelta(days=49),
                    closed_at=now - dt.timedelta(days=i % 40) if done else None,
                    created_at=now - dt.timedelta(days=50),
                )
            )
            specs.append((findings[-1], dept, state, deadline))
        with transaction.atomic():
            Finding.objects.bulk_create(findings, batch_size=BATCH)
            Task.objects.bulk_create(tasks, batch_size=BATCH)
            TaskPart.objects.bulk_create(
                [
                    TaskPart(
                        task=task,
                        unit=bureau,
                        department=dept,
                        role=TaskPart.Role.LEAD,
                        status=TaskPart.Status.PENDING_SIGN if state == "unsigned" else TaskPart.Status.IN_PROGRESS,
                        sign_deadline=task.sign_deadline,
                        signed_at=task.signed_at,
                        signed_by=None if state == "unsigned" else head,
                        created_at=task.created_at,
                    )
                    for task, (_, dept, state, _) in zip(tasks, specs, strict=True)
                ],
                batch_size=BATCH,
            )
            Measure.objects.bulk_create(
                [
                    Measure(
                        finding=finding,
                        unit=bureau,
                        text=f"措施{i + 1}：{measure_text}",
                        lead_leader=task.lead_leader,
                        department=dept,
                        responsible_person=task.responsible_person,
                        deadline=deadline,
                        kind=Measure.Kind.LONG_TERM if state == "long_term" else Measure.Kind.LIMITED,
                        task=task,
                        order=i % PER_FINDING,
                    )
                    for i, (task, (finding, dept, state, deadline)) in enumerate(zip(tasks, specs, strict=True))
                ],
                batch_size=BATCH,
            )
        made += size
        _say(f"已创建 {made:,}/{n:,} 项整改措施（{time.perf_counter() - started:.1f} 秒）")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE rectification_finding, rectification_measure, supervision_task, supervision_taskpart,"
                " supervision_progressreport, core_attachment"
            )
    return {
        "round": round_.pk,
        "measures": n,
        "findings": -(-n // PER_FINDING),
        "create_s": round(time.perf_counter() - started, 2),
    }


def export(round_pk: int) -> dict[str, object]:
    from django.db import connection

    from qingfeng.org import demo
    from qingfeng.rectification.models import Round
    from qingfeng.rectification.services.ledger import export_ledger

    clerk = demo.load().users["clerk"]
    round_ = Round.objects.get(pk=round_pk)
    before = _rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "ledger.xlsx")
        started = time.perf_counter()
        rows = export_ledger(path, clerk, round_)
        seconds = time.perf_counter() - started
        size = os.path.getsize(path)
    figures = {
        "vendor": connection.vendor,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "file_mb": round(size / 1024 / 1024, 1),
        "rss_before_mb": before,
        "peak_rss_mb": _rss_mb(),
    }
    _say(
        f"导出台账 {rows:,} 行：{seconds:.2f} 秒（{figures['rows_per_s']:,} 行/秒），文件 {figures['file_mb']} MB，"
        f"进程内存峰值 {figures['peak_rss_mb']} MB（导出前 {before} MB）"
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger_data", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["generate", "export"])
    parser.add_argument("value", type=int, help="generate: 整改措施数；export: 轮次 id")
    args = parser.parse_args(argv)

    import django

    django.setup()
    figures = generate(args.value) if args.what == "generate" else export(args.value)
    print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
