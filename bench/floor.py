"""The raw-SQL floor of each page case: the SQL a page fundamentally needs (its rows, with the joins that name them,
and its counts), written by hand from the view and selector code, run with Django's connection and a raw cursor in
the bench environment on the same data, n times; the page's time over this floor is the framework's and the
app's overhead, apart from machine noise.

    python -m bench.floor MANIFEST.json --n 20 --budget 10

What each floor reads (the viewer's scope: a clerk's or city's units; a leader's tasks led or in their 分管
departments; a head's of their department — the view's visibility rules, without the app's Q objects):
- workbench: the viewer's parts to sign for (50), open tasks they are concerned by (50, by deadline), the tasks
  awaiting their review (50) and 10 unread notifications;
- tasks: the count and the first page (20, by number) of the in-progress tasks with a part of the department,
  with their leader and responsible person, and the parts of those 20 with the departments' names;
- deployment: the deployment with its task count, done count and mean percent, its tasks (by number) with their
  people, and all their parts with the departments' names;
- board: the open tasks past their deadline with their lead part's department, by deadline, and the overdue
  unsigned parts counted per department;
- ledger: the count of the round's findings and the first page (20) of them, their measures with leader,
  department, responsible person and task, and those tasks' progress reports;
- overview: open and overdue counts, and this year's closed tasks with the on-time count, per unit (city, clerk)
  or per 分管 department (leader) — what 单位总览 shows;
- file: a person's 廉政档案 (filings, talks received, this year's items held with their tasks, 四种形态 records for
  those who see the ledger);
- ledger_stats: the 四种形态 records the viewer sees counted per unit and form and per year and form;
- dashboard: one unit's lists with their items' task counts, the year's talks, risk points per department and
  level, the year's ledger per form (for those who see it) and the overdue item tasks;
- opinion: the 舆情 dashboard over the viewer's units: open incidents counted per level, the 50 shown (most severe,
  oldest first) with their step times, department and leader, incidents per month of the last twelve, the mean
  hours to 核实 and to 回应 over them, and the open incidents counted per department.

The last line is `RESULT {json}`: per "page/role" p50/p95 in milliseconds, repetitions and rows fetched (under
"pages"); with --queries also bench.queries' counts (under "queries": one child process instead of two)."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OPEN = "('pending_sign', 'in_progress')"


@dataclass
class Viewer:
    role: str
    user_id: int
    person_id: int | None
    department_id: int | None
    unit_id: int
    unit_path: str
    subunits: bool
    roles: set[str] = field(default_factory=set)
    supervised: list[int] = field(default_factory=list)

    def units_sql(self, column: str) -> tuple[str, list[Any]]:
        """The viewer's units over a unit_id column."""
        if self.subunits:
            return f"{column} IN (SELECT id FROM org_unit WHERE path LIKE %s)", [self.unit_path + "%"]
        return f"{column} = %s", [self.unit_id]

    def tasks_sql(self, alias: str = "t") -> tuple[str, list[Any]]:
        """The tasks the viewer sees (alias: the supervision_task table)."""
        units, params = self.units_sql(f"{alias}.unit_id")
        if self.roles & {"clerk", "secretary", "inspector", "superior"} or self.person_id is None:
            return units, params
        own = [f"{alias}.lead_leader_id = %s", f"{alias}.responsible_person_id = %s"]
        own_params: list[Any] = [self.person_id, self.person_id]
        if "leader" in self.roles and self.supervised:
            marks = ", ".join(["%s"] * len(self.supervised))
            own.append(
                f"{alias}.id IN (SELECT task_id FROM supervision_taskpart WHERE department_id IN ({marks})"
                " AND deleted_at IS NULL)"
            )
            own_params += self.supervised
        if "head" in self.roles and self.department_id:
            own.append(
                f"{alias}.id IN (SELECT task_id FROM supervision_taskpart WHERE department_id = %s"
                " AND deleted_at IS NULL)"
            )
            own_params.append(self.department_id)
        return f"{units} AND ({' OR '.join(own)})", params + own_params


@dataclass
class Env:
    cursor: Any
    pages: dict[str, int]
    today: Any  # adapted for the database
    now: Any

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple]:
        self.cursor.execute(sql, list(params))
        return self.cursor.fetchall()


def _marks(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values)) or "NULL"


# --- the floors ---------------------------------------------------------------------------------------------


def workbench(e: Env, v: Viewer) -> int:
    fetched = 0
    person = v.person_id or 0
    if v.department_id:
        mine = "" if "head" in v.roles else " AND t.responsible_person_id = %s"
        fetched += len(
            e.rows(
                "SELECT p.id, p.sign_deadline, p.role, t.id, t.year, t.seq, t.title FROM supervision_taskpart p"
                " JOIN supervision_task t ON t.id = p.task_id WHERE p.department_id = %s AND p.status = 'pending_sign'"
                f" AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND t.status <> 'done'{mine}"
                " ORDER BY p.sign_deadline, p.id LIMIT 50",
                [v.department_id] + ([] if "head" in v.roles else [person]),
            )
        )
    concerned, params = "t.responsible_person_id = %s OR t.lead_leader_id = %s", [person, person]
    if "head" in v.roles and v.department_id:
        concerned += " OR t.id IN (SELECT task_id FROM supervision_taskpart WHERE department_id = %s)"
        params.append(v.department_id)
    fetched += len(
        e.rows(
            "SELECT t.id, t.year, t.seq, t.title, t.deadline, t.status, t.percent, t.sign_deadline, t.signed_at"
            " FROM supervision_task t WHERE t.deleted_at IS NULL AND t.status <> 'done' AND t.unit_id = %s"
            f" AND ({concerned}) ORDER BY t.deadline LIMIT 50",
            # Within the viewer's unit, as the page's visibility rule has it (without it the OR over three columns
            # reads every task of the city).
            [v.unit_id, *params],
        )
    )
    deciding, params = ("t.unit_id = %s", [v.unit_id]) if "clerk" in v.roles else ("t.lead_leader_id = %s", [person])
    fetched += len(
        e.rows(
            "SELECT t.id, t.year, t.seq, t.title, t.deadline, t.submitted_at FROM supervision_task t"
            f" WHERE t.deleted_at IS NULL AND t.status = 'pending_review' AND {deciding}"
            " ORDER BY t.submitted_at LIMIT 50",
            params,
        )
    )
    fetched += len(
        e.rows(
            "SELECT id, title, link, created_at FROM core_notification WHERE recipient_id = %s AND read_at IS NULL"
            " ORDER BY created_at DESC, id DESC LIMIT 10",
            [v.user_id],
        )
    )
    return fetched


def _parts_of(e: Env, task_ids: list[int]) -> int:
    if not task_ids:
        return 0
    return len(
        e.rows(
            "SELECT p.task_id, p.role, d.name FROM supervision_taskpart p JOIN org_department d ON d.id = p.department_id"
            f" WHERE p.task_id IN ({_marks(task_ids)}) AND p.deleted_at IS NULL ORDER BY p.task_id, p.role DESC, p.id",
            task_ids,
        )
    )


TASK_COLUMNS = (
    "t.id, t.year, t.seq, t.title, t.deadline, t.status, t.percent, t.kind, t.sign_deadline, t.signed_at,"
    " l.name, r.name FROM supervision_task t JOIN org_person l ON l.id = t.lead_leader_id"
    " LEFT JOIN org_person r ON r.id = t.responsible_person_id"
)


def tasks(e: Env, v: Viewer) -> int:
    scope, params = v.tasks_sql()
    where = (
        f"t.deleted_at IS NULL AND {scope} AND t.status = 'in_progress' AND t.id IN"
        " (SELECT task_id FROM supervision_taskpart WHERE department_id = %s AND deleted_at IS NULL)"
    )
    params = [*params, e.pages["department"]]
    e.rows(f"SELECT COUNT(*) FROM supervision_task t WHERE {where}", params)
    page = e.rows(f"SELECT {TASK_COLUMNS} WHERE {where} ORDER BY t.year DESC, t.seq DESC LIMIT 20", params)
    return 1 + len(page) + _parts_of(e, [row[0] for row in page])


def deployment(e: Env, v: Viewer) -> int:
    pk = e.pages["deployment"]
    fetched = len(
        e.rows(
            "SELECT d.id, d.title, COUNT(t.id), SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), AVG(t.percent)"
            " FROM supervision_deployment d LEFT JOIN supervision_task t ON t.deployment_id = d.id"
            " AND t.deleted_at IS NULL WHERE d.id = %s GROUP BY d.id, d.title",
            [pk],
        )
    )
    scope, params = v.tasks_sql()
    rows = e.rows(
        f"SELECT {TASK_COLUMNS} WHERE t.deployment_id = %s AND t.deleted_at IS NULL AND {scope} ORDER BY t.year, t.seq",
        [pk, *params],
    )
    fetched += len(rows)
    fetched += len(
        e.rows(
            "SELECT p.task_id, p.role, d.name FROM supervision_taskpart p JOIN org_department d ON d.id = p.department_id"
            " WHERE p.task_id IN (SELECT id FROM supervision_task WHERE deployment_id = %s AND deleted_at IS NULL)"
            " AND p.deleted_at IS NULL ORDER BY p.task_id, p.role DESC, p.id",
            [pk],
        )
    )
    return fetched


def board(e: Env, v: Viewer) -> int:
    scope, params = v.tasks_sql()
    red = e.rows(
        "SELECT t.id, t.year, t.seq, t.title, t.deadline, t.status, d.name FROM supervision_task t"
        " JOIN supervision_taskpart p ON p.task_id = t.id AND p.role = 'lead' AND p.deleted_at IS NULL"
        " JOIN org_department d ON d.id = p.department_id"
        f" WHERE t.deleted_at IS NULL AND t.status IN {OPEN} AND t.deadline < %s AND {scope}"
        " ORDER BY t.deadline, t.id",
        [e.today, *params],
    )
    unsigned = e.rows(
        "SELECT p.department_id, d.name, COUNT(*) FROM supervision_taskpart p"
        " JOIN supervision_task t ON t.id = p.task_id JOIN org_department d ON d.id = p.department_id"
        " WHERE p.status = 'pending_sign' AND p.sign_deadline < %s AND p.deleted_at IS NULL"
        f" AND t.deleted_at IS NULL AND t.status <> 'done' AND {scope}"
        " GROUP BY p.department_id, d.name ORDER BY COUNT(*) DESC",
        [e.now, *params],
    )
    return len(red) + len(unsigned)


def ledger(e: Env, v: Viewer) -> int:
    pk = e.pages["round"]
    has_measure = "EXISTS (SELECT 1 FROM rectification_measure m WHERE m.finding_id = f.id AND m.deleted_at IS NULL)"
    e.rows(
        f"SELECT COUNT(*) FROM rectification_finding f WHERE f.round_id = %s AND f.deleted_at IS NULL AND {has_measure}",
        [pk],
    )
    findings = e.rows(
        "SELECT f.id, f.number, f.category, f.description FROM rectification_finding f"
        f' WHERE f.round_id = %s AND f.deleted_at IS NULL AND {has_measure} ORDER BY f."order", f.id LIMIT 20',
        [pk],
    )
    ids = [row[0] for row in findings]
    if not ids:
        return 1
    measures = e.rows(
        "SELECT m.id, m.text, m.deadline, m.kind, m.finding_id, m.task_id, l.name, d.name, r.name,"
        " t.status, t.percent, t.deadline, t.closed_at FROM rectification_measure m"
        " LEFT JOIN org_person l ON l.id = m.lead_leader_id LEFT JOIN org_department d ON d.id = m.department_id"
        " LEFT JOIN org_person r ON r.id = m.responsible_person_id LEFT JOIN supervision_task t ON t.id = m.task_id"
        f' WHERE m.finding_id IN ({_marks(ids)}) AND m.deleted_at IS NULL ORDER BY m.finding_id, m."order", m.id',
        ids,
    )
    task_ids = [row[5] for row in measures if row[5]]
    reports = (
        e.rows(
            "SELECT task_id, text, created_at FROM supervision_progressreport"
            f" WHERE task_id IN ({_marks(task_ids)}) ORDER BY task_id, created_at DESC, id DESC",
            task_ids,
        )
        if task_ids
        else []
    )
    return 1 + len(findings) + len(measures) + len(reports)


def overview(e: Env, v: Viewer) -> int:
    """What 单位总览 cannot do without: the open tasks' counts (in progress, overdue) and this year's closed ones
    (with the on-time count), grouped per unit — or, for a leader, per 分管 department through the parts."""
    import datetime as dt

    year_start = dt.date.fromisoformat(str(e.today)[:10]).replace(month=1, day=1)
    open_counts = "COUNT(*), SUM(CASE WHEN t.deadline < %s THEN 1 ELSE 0 END)"
    done_counts = "COUNT(*), SUM(CASE WHEN t.on_time THEN 1 ELSE 0 END)"
    if "leader" in v.roles and v.supervised:
        group = (
            " FROM supervision_taskpart p JOIN supervision_task t ON t.id = p.task_id"
            f" WHERE p.unit_id = %s AND t.unit_id = %s AND p.department_id IN ({_marks(v.supervised)})"
            " AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND {cond} GROUP BY p.department_id"
        )
        params = [v.unit_id, v.unit_id, *v.supervised]
        key = "p.department_id"
    else:
        scope, params = v.tasks_sql()
        group = " FROM supervision_task t WHERE t.deleted_at IS NULL AND " + scope + " AND {cond} GROUP BY t.unit_id"
        key = "t.unit_id"
    rows = e.rows(f"SELECT {key}, {open_counts}" + group.format(cond=f"t.status IN {OPEN}"), [e.today, *params])
    rows += e.rows(
        f"SELECT {key}, {done_counts}" + group.format(cond="t.status = 'done' AND t.closed_at >= %s"),
        [*params, year_start],
    )
    return len(rows)


def _this_year(e: Env) -> tuple[int, Any, Any]:
    """The current year and its first and last day, adapted for the database."""
    import datetime as dt

    from django.db import connection

    year = int(str(e.today)[:4])
    ops = connection.ops
    return year, ops.adapt_datefield_value(dt.date(year, 1, 1)), ops.adapt_datefield_value(dt.date(year, 12, 31))


def _sees_ledger(v: Viewer) -> bool:
    return bool(v.roles & {"secretary", "inspector"}) or "superior" in v.roles


def file(e: Env, v: Viewer) -> int:
    """A person's 廉政档案: the person with department and unit, all their filings (the viewer may see: the person,
    or the unit's 纪检组长/书记), the talks they received (50, with the talker), this year's items of published
    lists they hold with their tasks, and — for those who see the ledger — their 四种形态 records (clear fields)."""
    person = e.pages["file_person"]
    year, _, _ = _this_year(e)
    fetched = len(
        e.rows(
            "SELECT p.id, p.name, p.post, d.name, u.name FROM org_person p LEFT JOIN org_department d"
            " ON d.id = p.department_id JOIN org_unit u ON u.id = p.unit_id WHERE p.id = %s",
            [person],
        )
    )
    fetched += len(
        e.rows(
            "SELECT f.id, f.kind, f.year, f.filed_on, f.event_date, f.summary, f.has_changes, f.giver, f.value,"
            " f.event_kind, f.guests, f.tables, f.gifts_policy, f.over_limit FROM integrity_filing f"
            " WHERE f.person_id = %s AND f.deleted_at IS NULL ORDER BY f.year DESC, f.filed_on DESC, f.id DESC",
            [person],
        )
    )
    fetched += len(
        e.rows(
            "SELECT t.id, t.date, t.kind, t.place, t.summary, p.name FROM responsibility_talk t"
            " JOIN org_person p ON p.id = t.talker_id WHERE t.talkee_id = %s AND t.deleted_at IS NULL"
            " ORDER BY t.date DESC, t.id DESC LIMIT 50",
            [person],
        )
    )
    fetched += len(
        e.rows(
            "SELECT i.id, i.seq, i.content, i.deadline, i.frequency, l.kind, t.status, t.deadline, t.percent"
            " FROM responsibility_responsibilityitem i JOIN responsibility_responsibilitylist l ON l.id = i.rlist_id"
            " LEFT JOIN supervision_task t ON t.id = i.task_id WHERE l.year = %s AND l.status = 'published'"
            " AND i.deleted_at IS NULL AND l.deleted_at IS NULL"
            " AND (i.owner_person_id = %s OR i.responsible_person_id = %s OR l.leader_id = %s)"
            " ORDER BY l.kind, l.id, i.seq",
            [year, person, person, person],
        )
    )
    if _sees_ledger(v):
        fetched += len(
            e.rows(
                "SELECT r.id, r.date, r.form, r.measure, r.category, r.clue_source, r.decided_by"
                " FROM integrity_disciplinerecord r WHERE r.person_id = %s AND r.deleted_at IS NULL"
                " ORDER BY r.date DESC, r.id DESC",
                [person],
            )
        )
    return fetched


def ledger_stats(e: Env, v: Viewer) -> int:
    """The 四种形态 statistics over every record the viewer sees (a city 纪委: every unit below): 人次 per unit and
    form (with the unit's name), and per year and form — the two grouped queries the page runs."""
    from django.db import connection

    units, params = v.units_sql("r.unit_id")
    year = "EXTRACT(YEAR FROM r.date)" if connection.vendor == "postgresql" else "strftime('%%Y', r.date)"
    rows = e.rows(
        "SELECT r.unit_id, u.name, r.form, COUNT(r.id) FROM integrity_disciplinerecord r"
        f" JOIN org_unit u ON u.id = r.unit_id WHERE r.deleted_at IS NULL AND {units}"
        " GROUP BY r.unit_id, u.name, r.form",
        params,
    )
    rows += e.rows(
        f"SELECT {year}, r.form, COUNT(r.id) FROM integrity_disciplinerecord r WHERE r.deleted_at IS NULL"
        f" AND {units} GROUP BY {year}, r.form",
        params,
    )
    return len(rows)


def dashboard(e: Env, v: Viewer) -> int:
    """One unit's 两个责任 dashboard: this year's published lists with their items' task status counts, the talks of
    the year per (talker, talkee, kind) for the compliance, the risk points per department and level, the ledger's
    records per form (for those who see it) and the overdue item tasks first (20)."""
    year, first, last = _this_year(e)
    unit = v.unit_id
    rows = e.rows(
        "SELECT l.id, l.kind, l.leader_id, COUNT(i.id), SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.status <> 'done' AND t.deadline < %s THEN 1 ELSE 0 END)"
        " FROM responsibility_responsibilitylist l JOIN responsibility_responsibilityitem i ON i.rlist_id = l.id"
        " LEFT JOIN supervision_task t ON t.id = i.task_id WHERE l.unit_id = %s AND l.year = %s"
        " AND l.status = 'published' AND l.deleted_at IS NULL AND i.deleted_at IS NULL GROUP BY l.id, l.kind, l.leader_id",
        [e.today, unit, year],
    )
    rows += e.rows(
        "SELECT talker_id, talkee_id, kind, COUNT(*) FROM responsibility_talk WHERE unit_id = %s AND date >= %s"
        " AND date <= %s AND deleted_at IS NULL GROUP BY talker_id, talkee_id, kind",
        [unit, first, last],
    )
    rows += e.rows(
        "SELECT department_id, level, COUNT(*) FROM integrity_riskpoint WHERE unit_id = %s AND deleted_at IS NULL"
        " GROUP BY department_id, level",
        [unit],
    )
    if _sees_ledger(v):
        rows += e.rows(
            "SELECT form, COUNT(*) FROM integrity_disciplinerecord WHERE unit_id = %s AND date >= %s AND date <= %s"
            " AND deleted_at IS NULL GROUP BY form",
            [unit, first, last],
        )
    rows += e.rows(
        "SELECT t.id, t.year, t.seq, t.title, t.deadline, i.content FROM responsibility_responsibilityitem i"
        " JOIN responsibility_responsibilitylist l ON l.id = i.rlist_id JOIN supervision_task t ON t.id = i.task_id"
        " WHERE l.unit_id = %s AND l.year = %s AND t.status <> 'done' AND t.deadline < %s AND i.deleted_at IS NULL"
        " ORDER BY t.deadline LIMIT 20",
        [unit, year, e.today],
    )
    return len(rows)


def opinion(e: Env, v: Viewer) -> int:
    """The 舆情 dashboard (opinion.selectors.dashboard and open_by_department): the open incidents per level, the 50
    shown with the times their clocks need and the names of department and leader, the last twelve months' incidents
    per month and their mean hours to 核实 and 回应, and the open incidents per department."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    units, params = v.units_sql("i.unit_id")
    alive = f"i.deleted_at IS NULL AND {units}"
    now = timezone.localtime()
    since = timezone.make_aware(dt.datetime(now.year - 1 + now.month // 12, now.month % 12 + 1, 1))
    since_value = connection.ops.adapt_datetimefield_value(since)
    if connection.vendor == "postgresql":
        month = "date_trunc('month', i.found_at AT TIME ZONE 'Asia/Shanghai')"
        hours = "AVG(EXTRACT(EPOCH FROM i.{0} - i.found_at)) / 3600"
    else:
        month = "strftime('%%Y-%%m', i.found_at)"
        hours = "AVG(julianday(i.{0}) - julianday(i.found_at)) * 24"
    rows = e.rows(
        f"SELECT i.level, COUNT(*) FROM opinion_opinionincident i WHERE {alive} AND i.handled_at IS NULL GROUP BY i.level",
        params,
    )
    rows += e.rows(
        "SELECT i.id, i.title, i.level, i.step, i.found_at, i.reported_at, i.verified_at, i.assessed_at,"
        " i.responded_at, i.press_at, i.handled_at, i.reviewed_at, d.name, p.name FROM opinion_opinionincident i"
        " LEFT JOIN org_department d ON d.id = i.department_id LEFT JOIN org_person p ON p.id = i.leader_id"
        f" WHERE {alive} AND i.handled_at IS NULL ORDER BY i.level DESC, i.found_at, i.id LIMIT 50",
        params,
    )
    rows += e.rows(
        f"SELECT {month}, COUNT(*) FROM opinion_opinionincident i WHERE {alive} AND i.found_at >= %s GROUP BY {month}",
        [*params, since_value],
    )
    rows += e.rows(
        f"SELECT {hours.format('verified_at')}, {hours.format('responded_at')} FROM opinion_opinionincident i"
        f" WHERE {alive} AND i.found_at >= %s",
        [*params, since_value],
    )
    rows += e.rows(
        "SELECT d.name, COUNT(*) FROM opinion_opinionincident i LEFT JOIN org_department d ON d.id = i.department_id"
        f" WHERE {alive} AND i.handled_at IS NULL GROUP BY d.name",
        params,
    )
    return len(rows)


FLOORS: dict[str, Callable[[Env, Viewer], int]] = {
    "workbench": workbench,
    "tasks": tasks,
    "deployment": deployment,
    "board": board,
    "ledger": ledger,
    "overview": overview,
    "file": file,
    "ledger_stats": ledger_stats,
    "dashboard": dashboard,
    "opinion": opinion,
}


# --- running ------------------------------------------------------------------------------------------------


def viewer(role: str, user_id: int) -> Viewer:
    from qingfeng.org.models import RoleAssignment, User

    user = User.objects.get(pk=user_id)
    grants = list(
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("unit").order_by("id")
    )
    if not grants:
        raise ValueError(f"{user.username} 没有角色")
    # The widest grant decides the units (a city clerk: the root with its sub-units).
    grant = min(grants, key=lambda a: (not a.include_subunits, len(a.unit.path)))
    person = getattr(user, "person", None)
    supervised = list(person.supervised_departments.values_list("pk", flat=True)) if person is not None else []
    return Viewer(
        role=role,
        user_id=user.pk,
        person_id=person.pk if person is not None else None,
        department_id=person.department_id if person is not None else None,
        unit_id=grant.unit_id,
        unit_path=grant.unit.path,
        subunits=grant.include_subunits,
        roles={a.role for a in grants},
        supervised=supervised,
    )


def measure(manifest: dict[str, Any], n: int, budget: float, only: set[str] | None = None) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from bench.pages import PAGES

    now = timezone.now()
    ops = connection.ops
    out: dict[str, Any] = {"vendor": connection.vendor, "n": n, "pages": {}}
    with connection.cursor() as cursor:
        env = Env(
            cursor,
            manifest["pages"],
            ops.adapt_datefield_value(timezone.localdate(now)),
            ops.adapt_datetimefield_value(now),
        )
        for page in PAGES:
            for role in page.roles:
                key = f"{page.key}/{role}"
                if only and key not in only:
                    continue
                try:
                    v = viewer(role, manifest["user_ids"][role])
                    floor = FLOORS[page.key]
                    rows = floor(env, v)  # warm-up: caches, plans
                    samples: list[float] = []
                    started = time.perf_counter()
                    while len(samples) < n and (len(samples) < 3 or time.perf_counter() - started < budget):
                        t0 = time.perf_counter()
                        floor(env, v)
                        samples.append((time.perf_counter() - t0) * 1000)
                except Exception as exc:  # noqa: BLE001 - one floor failing is reported, the others go on
                    out["pages"][key] = {"error": f"{type(exc).__name__}: {exc}"}
                    print(f"{key}：出错 {type(exc).__name__}: {exc}", flush=True)
                    continue
                ordered = sorted(samples)
                p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
                out["pages"][key] = {
                    "p50_ms": round(statistics.median(ordered), 3),
                    "p95_ms": round(p95, 3),
                    "n": len(samples),
                    "rows": rows,
                }
                print(
                    f"SQL 下限 {key}：p50 {statistics.median(ordered):.2f} ms，{rows:,} 行，{len(samples)} 次",
                    flush=True,
                )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--budget", type=float, default=10.0, help="每个页面最多计时的秒数（至少 3 次）")
    parser.add_argument("--only", help="只测这些 page/role，逗号分隔")
    parser.add_argument("--queries", action="store_true", help="同时统计每页查询数（bench.queries，同一子进程）")
    args = parser.parse_args(argv)

    import django

    django.setup()
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    only = {s.strip() for s in args.only.split(",") if s.strip()} if args.only else None
    figures = measure(manifest, args.n, args.budget, only)
    if args.queries:
        from bench import queries

        figures["queries"] = queries.measure(manifest)["pages"]
    print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
