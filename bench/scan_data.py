"""The data and the timing of the `scan-10k` / `scan-100k` cases: N open tasks with their lead parts in the demo
bureau, written with bulk_create (no services, no audit events: creation must be fast), then `scan()` run twice
with the same `now` — the first run sends the reminders, the second must send none.

Run in a child process with the bench environment (the throwaway database the harness migrated and filled with
the demo), never by the test suite:

    python -m bench.scan_data 100000

Progress goes to stdout; the last line is `RESULT {json}` for the harness."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from zoneinfo import ZoneInfo

BATCH = 5000
TAG = "bench:scan"  # source_ref of the generated tasks
# A working Tuesday inside the holiday package's years, in office hours: the figures do not move with the date.
NOW = dt.datetime(2025, 11, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# The mix, out of 20 tasks: 12 far from their deadline (60 %), 3 due within 3 working days (15 %), 3 overdue by
# 1–10 working days (15 %), 2 unsigned past their 事不过夜 limit (10 %).
FAR, DUE_SOON, OVERDUE, UNSIGNED = "far", "due_soon", "overdue", "unsigned"
MIX = [FAR] * 12 + [DUE_SOON] * 3 + [OVERDUE] * 3 + [UNSIGNED] * 2


def _say(text: str) -> None:
    print(text, flush=True)


def generate(n: int, now: dt.datetime = NOW) -> dict[str, int]:
    """Close the tasks of an earlier run (so the scan sees exactly `n` generated open parts), then create `n`
    open tasks, one lead part each, numbered after the bureau's TaskCounter of `now`'s year."""
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from qingfeng.core.calendar import WorkCalendar
    from qingfeng.org import demo
    from qingfeng.org.models import Person
    from qingfeng.supervision.models import Task, TaskCounter, TaskPart

    cast = demo.load()
    bureau, clerk, head = cast.bureau, cast.users["clerk"], cast.users["head"]
    closed = Task.objects.filter(source_ref=TAG, status__in=Task.OPEN_STATUSES).update(status=Task.Status.DONE)
    if closed:
        TaskPart.objects.filter(task__source_ref=TAG).update(status=TaskPart.Status.DONE)
        _say(f"已关闭上一轮生成的 {closed:,} 项任务")

    cal = WorkCalendar()
    today = timezone.localdate(now)
    departments = list(cast.departments.values())
    leaders = list(Person.objects.filter(unit=bureau, is_leadership=True).order_by("employee_no"))
    members: dict[int, list[Person]] = {}
    for person in Person.objects.filter(unit=bureau, department__isnull=False).order_by("employee_no"):
        members.setdefault(person.department_id, []).append(person)
    # Deadlines: 0–3 working days ahead, 1–10 working days back, far ones 30–150 days ahead.
    ahead = [cal.add_working_days(today, k) for k in range(4)]
    back, day = [], today
    while len(back) < 10:
        day -= dt.timedelta(days=1)
        if cal.is_working_day(day):
            back.append(day)
    signed_at = now - dt.timedelta(days=20)
    past_sign = cal.end_of_working_day(now - dt.timedelta(days=2))  # an earlier working day's 17:30
    next_sign = cal.end_of_working_day(signed_at)

    year = today.year
    with transaction.atomic():
        counter, _ = TaskCounter.objects.get_or_create(unit=bureau, year=year)
        first_seq = counter.last + 1
        counter.last += n
        counter.save(update_fields=["last"])

    started = time.perf_counter()
    made = 0
    while made < n:
        size = min(BATCH, n - made)
        tasks, specs = [], []
        for i in range(made, made + size):
            kind, round_ = MIX[i % len(MIX)], i // len(MIX)
            dept = departments[i % len(departments)]
            people = members.get(dept.pk) or [None]
            deadline = {
                FAR: today + dt.timedelta(days=30 + i % 120),
                DUE_SOON: ahead[round_ % 4],
                OVERDUE: back[round_ % 10],
                UNSIGNED: today + dt.timedelta(days=40 + i % 60),
            }[kind]
            unsigned = kind == UNSIGNED
            tasks.append(
                Task(
                    unit=bureau,
                    year=year,
                    seq=first_seq + i,
                    title=f"压测督办事项第{i + 1}项：落实{dept.name}年度重点工作",
                    source=Task.Source.SUPERIOR,
                    source_ref=TAG,
                    lead_leader=leaders[i % len(leaders)],
                    responsible_person=people[i % len(people)] if i % 5 else None,
                    deadline=deadline,
                    original_deadline=deadline,
                    status=Task.Status.PENDING_SIGN if unsigned else Task.Status.IN_PROGRESS,
                    assigned_at=now - dt.timedelta(days=3 if unsigned else 21),
                    assigned_by=clerk,
                    sign_deadline=past_sign if unsigned else next_sign,
                    signed_at=None if unsigned else signed_at,
                    created_at=now - dt.timedelta(days=21),
                )
            )
            specs.append((dept, unsigned))
        with transaction.atomic():
            Task.objects.bulk_create(tasks, batch_size=BATCH)
            TaskPart.objects.bulk_create(
                [
                    TaskPart(
                        task=task,
                        unit=bureau,
                        department=dept,
                        role=TaskPart.Role.LEAD,
                        status=TaskPart.Status.PENDING_SIGN if unsigned else TaskPart.Status.IN_PROGRESS,
                        sign_deadline=task.sign_deadline,
                        signed_at=task.signed_at,
                        signed_by=None if unsigned else head,
                        created_at=task.created_at,
                    )
                    for task, (dept, unsigned) in zip(tasks, specs, strict=True)
                ],
                batch_size=BATCH,
            )
        made += size
        _say(f"已创建 {made:,}/{n:,} 项任务（{time.perf_counter() - started:.1f} 秒）")
    if connection.vendor == "postgresql":
        # What autovacuum would have done long before a scan meets 100,000 tasks: without statistics the
        # planner takes the fresh tables for empty and joins them by nested loops.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE supervision_task, supervision_taskpart, supervision_reminder")
    open_parts = (
        TaskPart.objects.filter(task__status__in=[Task.Status.PENDING_SIGN, Task.Status.IN_PROGRESS])
        .exclude(status=TaskPart.Status.DONE)
        .aggregate(n=Count("pk"))["n"]
    )
    return {"created": n, "create_s": round(time.perf_counter() - started, 2), "open_parts": open_parts}


def run(n: int, now: dt.datetime = NOW) -> dict[str, object]:
    from django.db import connection

    figures: dict[str, object] = {"vendor": connection.vendor, "now": now.isoformat()}
    figures.update(generate(n, now))
    _say(f"待检查承办部分 {figures['open_parts']:,} 项；开始第一次 scan()…")
    figures.update(time_scans(now))
    return figures


def time_scans(now: dt.datetime) -> dict[str, object]:
    """scan(now=now) twice: the first run sends the reminders, the second must send none."""
    from qingfeng.supervision.scan import scan

    figures: dict[str, object] = {}
    for label in ("first", "second"):
        started = time.perf_counter()
        result = scan(now=now)
        seconds = time.perf_counter() - started
        figures[label] = {
            "ms": round(seconds * 1000, 1),
            "parts": result.parts,
            "parts_per_s": round(result.parts / seconds) if seconds else None,
            "reminders": result.reminders,
            "notices": result.notices,
            "by_kind": dict(sorted(result.by_kind.items())),
        }
        kinds = "，".join(f"{k} {v:,}" for k, v in sorted(result.by_kind.items())) or "无"
        _say(
            f"{'第一次' if label == 'first' else '第二次'} scan()：{seconds:.2f} 秒，{result.parts:,} 项"
            f"（{result.parts / seconds:,.0f} 项/秒），催办 {result.reminders:,} 条（{kinds}），通知 {result.notices:,} 条"
        )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scan_data", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="生成的未办结任务数")
    args = parser.parse_args(argv)

    import django

    django.setup()
    figures = run(args.n)
    print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
    second = figures["second"]
    return 0 if isinstance(second, dict) and second["reminders"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
