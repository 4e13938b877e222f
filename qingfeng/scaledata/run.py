"""The whole generation: check the database, build the world and its work and its audit chain in one transaction,
and describe what was made (the manifest the bench reads)."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, transaction

from qingfeng.core.calendar import WorkCalendar
from qingfeng.core.models import AuditEvent
from qingfeng.org.demo import DEMO_PASSWORD
from qingfeng.org.models import Unit, User
from qingfeng.scaledata import audit, duties, opinion, work, world
from qingfeng.scaledata.sizes import Size
from qingfeng.scaledata.writer import TOUCHED, analyze, reset_sequences
from qingfeng.supervision.models import Task

FORMAT = "qingfeng-scale/1"
TZ = ZoneInfo("Asia/Shanghai")


class Refused(Exception):
    """The database is not one to fill (it holds other data, or generated data already)."""


def anchor_day(today: dt.date) -> dt.date:
    """The last working day on or before `today`: the generated 'now' falls in office hours of a working day."""
    cal = WorkCalendar()
    day = today
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def check_database(force: bool) -> None:
    if Unit.all_objects.filter(code__startswith=world.CODE_PREFIX).exists():
        raise Refused("该数据库中已有生成的数据；请换一个空库（迁移后未放入任何数据）再生成。")
    found = [
        label
        for label, model in (("单位", Unit), ("账号", User), ("督办事项", Task), ("审计事件", AuditEvent))
        if (model.all_objects if hasattr(model, "all_objects") else model.objects).exists()
    ]
    if found and not force:
        raise Refused(
            f"该数据库中已有非生成的数据（{'、'.join(found)}）。生成数据会混入其中：请使用空库，或确认后加 --force。"
        )


def generate(size: Size, seed: int, today: dt.date, *, force: bool = False) -> dict[str, Any]:
    check_database(force)
    started = time.perf_counter()
    rng = random.Random(seed)
    anchor = anchor_day(today)
    now = dt.datetime(anchor.year, anchor.month, anchor.day, 10, 0, tzinfo=TZ)
    seconds: dict[str, float] = {}
    with transaction.atomic():
        fk_checks = _skip_foreign_key_triggers()
        t = time.perf_counter()
        made = world.build(rng, size.units, size.people, now)
        seconds["org"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        planned = duties.Duties(made, seed, anchor, now)
        writer = work.generate(made, rng, anchor, size.tasks, size.findings, extra=planned.plan)
        seconds["work"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        planned.write(size.filings, size.ledger, size.risks)
        seconds["integrity"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        incidents = opinion.Incidents(made, seed, now, work.YEARS)
        incidents.write(size.incidents)
        seconds["opinion"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        start = now.replace(year=now.year - work.YEARS)
        audit.generate(
            rng,
            size.audit,
            made.users,
            {made.user_of[p]: u for p, u in made.username_of.items()},
            start,
            now - dt.timedelta(hours=1),
            writer.task_t.next_id - 1,
        )
        seconds["audit"] = round(time.perf_counter() - t, 1)
        reset_sequences()
    t = time.perf_counter()
    analyze([m._meta.db_table for m in TOUCHED])
    seconds["analyze"] = round(time.perf_counter() - t, 1)
    seconds["total"] = round(time.perf_counter() - started, 1)
    data = manifest(size, seed, now, made, writer, seconds, planned)
    data["counts"].update(incidents.counts)
    data["foreign_key_checks"] = fk_checks
    return data


def _skip_foreign_key_triggers() -> bool:
    """On PostgreSQL, as a superuser: no foreign-key trigger per row for this transaction (the rows are consistent
    by construction; the tests check it on both databases). Checking millions of deferred keys at commit took
    a third of the full size's time. Returns whether the checks still run."""
    if connection.vendor != "postgresql":
        return True
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return True  # not a superuser: the checks run, only slower
    return False


def manifest(
    size: Size,
    seed: int,
    now: dt.datetime,
    made: world.World,
    writer: work.Writer,
    seconds: dict[str, float],
    planned: duties.Duties | None = None,
) -> dict[str, Any]:
    main = made.main
    dept = main.depts[1] if len(main.depts) > 1 else main.depts[0]
    roles = {
        "secretary": main.secretary,
        "leader": main.leaders[0],
        "inspector": main.inspector,
        "clerk": main.clerk,
        "head": dept.head,
        "staff": next((p for p in dept.members if p != dept.head), dept.head),
        "city": made.city_clerk,
    }
    counts = {
        "units": len(made.units),
        "people": len(made.user_of),
        "tasks": writer.task_t.written,
        "open_tasks": writer.open_tasks,
        "task_parts": writer.part_t.written,
        "progress_reports": writer.report_t.written,
        "deployments": writer.deployment_t.written,
        "rounds": writer.round_t.written,
        "findings": writer.finding_t.written,
        "measures": writer.measure_t.written,
        "audit_events": size.audit,
        **(planned.counts if planned is not None else {}),
    }
    logins = {role: made.username_of[pid] for role, pid in roles.items() if pid}
    user_ids = {role: made.user_of[pid] for role, pid in roles.items() if pid}
    person_ids: dict[str, int | None] = {role: pid for role, pid in roles.items() if pid}
    pages = {"unit": main.id, "department": dept.id, "deployment": writer.main_deployment, "round": writer.main_round}
    if planned is not None:
        # 纪委: the city's 上级 of kind 纪委 (no Person), who reads the ledger statistics over every unit.
        logins["jiwei"], user_ids["jiwei"] = planned.jiwei
        person_ids["jiwei"] = None
        pages["file_person"] = planned.showcase  # a 班子成员 with every section of a 廉政档案
    return {
        "format": FORMAT,
        "seed": seed,
        "size": asdict(size),
        "database": connection.vendor,
        "now": now.isoformat(),
        "password": DEMO_PASSWORD,
        "counts": counts,
        "seconds": seconds,
        "logins": logins,
        "user_ids": user_ids,
        "person_ids": person_ids,
        "pages": pages,
    }


def summary(data: dict[str, Any]) -> str:
    """The closing line of the command: what was made, in Chinese (the manifest's counts)."""
    c = data["counts"]
    line = (
        f"完成，用时 {data['seconds']['total']} 秒：{c['tasks']:,} 项督办事项（在办 {c['open_tasks']:,}），"
        f"{c['task_parts']:,} 个责任单位，{c['progress_reports']:,} 条进展，{c['findings']:,} 个问题，"
        f"{c['measures']:,} 条整改措施，{c['audit_events']:,} 条审计事件"
    )
    if "responsibility_lists" in c:  # 两个责任 and 廉政建设 (duties.Duties.counts)
        line += (
            f"；{c['responsibility_lists']:,} 份责任清单（{c['responsibility_items']:,} 项事项，其中 "
            f"{c['responsibility_item_tasks']:,} 项为督办事项），{c['letters']:,} 份责任书，{c['talks']:,} 次谈话，"
            f"{c['duty_reports']:,} 份述责述廉，{c['files']:,} 份廉政档案（{c['filings']:,} 条报告事项），"
            f"{c['ledger_records']:,} 条四种形态记录，{c['risk_points']:,} 个廉政风险点（{c['risk_checks']:,} 次督促检查）"
        )
    if "incidents" in c:  # 舆情处置 (opinion.Incidents.counts)
        line += (
            f"；{c['incidents']:,} 起舆情事件（处置中 {c['open_incidents']:,} 起，{c['incident_steps']:,} 条处置环节）"
        )
    return line + "。"


def write_manifest(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
