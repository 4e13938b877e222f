"""Five years of work in every bureau: deployments and the tasks they gave, tasks from other sources, the parts of
each task (the lead department and sometimes a partner), progress reports, and the 巡察/审计 rounds with their
findings and measures (each measure with its own task, numbered with the bureau's other tasks).

Time runs on the bureau's working days. A task is assigned on a working day and due some working days later; most
are finished before their deadline, some late, a few never (they stay open and overdue). What is not finished by the
anchor day is open: 待签收 if assigned today or left unsigned, 待审核 if just submitted, else 办理中."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from qingfeng.core.calendar import WorkCalendar
from qingfeng.rectification.models import Finding, Measure, Round
from qingfeng.rectification.services.rounds import TASK_KIND
from qingfeng.scaledata import texts
from qingfeng.scaledata.progress import Progress
from qingfeng.scaledata.sizes import FINDINGS_PER_ROUND, MEASURES_PER_FINDING
from qingfeng.scaledata.world import Dept, Org, World
from qingfeng.supervision.models import Deployment, ProgressReport, Task, TaskCounter, TaskPart

TZ = ZoneInfo("Asia/Shanghai")
YEARS = 5
BATCH = 20_000  # tasks per write
ROUND_KINDS = [Round.Kind.XUNCHA, Round.Kind.AUDIT, Round.Kind.DUCHA, Round.Kind.SELF, Round.Kind.XUNSHI]
ROUND_NAMES = {
    Round.Kind.XUNCHA: ("市委第{n}轮巡察", "市委第{n}巡察组"),
    Round.Kind.AUDIT: ("{y}年度经济责任审计", "市审计局"),
    Round.Kind.DUCHA: ("{y}年全面从严治党专项督查", "市纪委监委第{n}督查组"),
    Round.Kind.SELF: ("{y}年廉政风险自查", "本单位党组"),
    Round.Kind.XUNSHI: ("省委第{n}轮巡视", "省委第{n}巡视组"),
}


class Days:
    """The working days from five years before the anchor to a year after it, by index."""

    def __init__(self, anchor: dt.date) -> None:
        cal = WorkCalendar()
        start = anchor.replace(year=anchor.year - YEARS) + dt.timedelta(days=1)
        days, day = [], start
        while day <= anchor + dt.timedelta(days=400):
            if cal.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        self.days = days
        self.today = bisect.bisect_right(days, anchor) - 1  # the anchor is a working day: its own index

    def at(self, index: int, minutes: int = 0) -> dt.datetime:
        """09:00 of the working day plus `minutes` (kept within office hours by the callers)."""
        day = self.days[min(index, len(self.days) - 1)]
        return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=TZ) + dt.timedelta(minutes=minutes)

    def end(self, index: int) -> dt.datetime:
        day = self.days[min(index, len(self.days) - 1)]
        return dt.datetime(day.year, day.month, day.day, 17, 30, tzinfo=TZ)


@dataclass
class Spec:
    """A task before it is numbered: when it is assigned and where it comes from."""

    assigned: int  # working-day index
    kind: str
    dept: Dept
    source: str
    source_ref: str = ""
    title: str = ""
    deployment: int | None = None
    measure: tuple | None = None  # the measure row to write once the task has its id
    # Told the task's id and deadline once it is numbered (a responsibility item that becomes this task).
    on_task: Callable[[int, dt.date | None], None] | None = None


class Writer:
    def __init__(self, world: World, rng: random.Random, days: Days) -> None:
        from qingfeng.scaledata.writer import Table

        self.world, self.rng, self.days = world, rng, days
        base = ["created_at", "updated_at", "deleted_at"]
        self.deployment_t = Table(
            Deployment,
            [
                *base,
                "unit_id",
                "title",
                "date",
                "kind",
                "issuing_leader_id",
                "text",
                "status",
                "created_by_id",
                "confirmed_at",
                "confirmed_by_id",
            ],
        )
        self.task_t = Table(
            Task,
            [
                *base,
                "unit_id",
                "year",
                "seq",
                "title",
                "content",
                "source",
                "source_ref",
                "deployment_id",
                "parent_id",
                "lead_leader_id",
                "responsible_person_id",
                "kind",
                "recurrence",
                "is_urgent",
                "deadline",
                "original_deadline",
                "status",
                "assigned_at",
                "assigned_by_id",
                "sign_deadline",
                "signed_at",
                "percent",
                "last_reported_at",
                "submitted_at",
                "closed_at",
                "closed_by_id",
                "completed_on",
                "on_time",
                "rating",
                "rating_remark",
            ],
        )
        self.part_t = Table(
            TaskPart,
            [
                *base,
                "task_id",
                "unit_id",
                "department_id",
                "role",
                "status",
                "sign_deadline",
                "signed_at",
                "signed_by_id",
                "percent",
                "last_reported_at",
            ],
        )
        self.report_t = Table(
            ProgressReport,
            [*base, "task_id", "part_id", "unit_id", "author_id", "text", "percent", "instruction_answer"],
        )
        self.counter_t = Table(TaskCounter, ["unit_id", "year", "last"])
        self.round_t = Table(
            Round,
            [*base, "unit_id", "name", "body", "kind", "feedback_date", "rectify_until", "report_due", "created_by_id"],
        )
        self.finding_t = Table(
            Finding, [*base, "round_id", "unit_id", "number", "category", "description", "severity", "order"]
        )
        self.measure_t = Table(
            Measure,
            [
                *base,
                "finding_id",
                "unit_id",
                "text",
                "lead_leader_id",
                "department_id",
                "responsible_person_id",
                "deadline",
                "kind",
                "task_id",
                "order",
                "recheck_on",
                "recheck_scheduled_by_id",
                "recheck_result",
                "recheck_note",
                "rechecked_at",
                "rechecked_by_id",
            ],
        )
        self.rows: dict[str, list[tuple]] = {
            name: [] for name in ("deployment", "round", "finding", "task", "part", "report", "measure")
        }
        self.pending = 0
        self.open_tasks = 0
        self.main_deployment: int | None = None
        self.main_round: int | None = None
        self.extra: Callable[[Org, Days], list[Spec]] | None = None

    # -- writing -------------------------------------------------------------------------------------------

    def flush(self) -> None:
        """Parents before children (SQLite checks each foreign key as the row arrives)."""
        for name in ("deployment", "round", "finding", "task", "part", "report", "measure"):
            getattr(self, f"{name}_t").write(self.rows[name])
            self.rows[name].clear()
        self.pending = 0

    # -- one bureau ------------------------------------------------------------------------------------------

    def bureau(self, org: Org, n_tasks: int, n_findings: int, progress: Progress) -> None:
        rng, days = self.rng, self.days
        clerk_user = self.world.user_of[org.clerk or 0]
        deployments = self._deployments(org, clerk_user)
        dep_days = [d for d, _ in deployments]
        specs = self._rounds(org, n_findings, clerk_user)
        if self.extra is not None:
            specs += self.extra(org, days)  # noqa: S610 - not Django's extra(); other modules' tasks, numbered with the bureau's own
        for _ in range(max(n_tasks - len(specs), 0)):
            assigned = rng.randrange(days.today + 1)
            dept = org.depts[rng.randrange(len(org.depts))]
            roll = rng.random()
            kind = (
                Task.Kind.LIMITED
                if roll < 0.7
                else Task.Kind.IMMEDIATE
                if roll < 0.8
                else Task.Kind.LONG_TERM
                if roll < 0.9
                else Task.Kind.RECURRING
            )
            spec = Spec(assigned, kind, dept, Task.Source.SUPERIOR, title=texts.title(rng, dept.name))
            roll = rng.random()
            k = bisect.bisect_right(dep_days, assigned) - 1
            if roll < 0.3 and k >= 0:
                spec.source, spec.deployment = Task.Source.DEPLOYMENT, deployments[k][1]
                spec.source_ref = ""
            elif roll < 0.5:
                spec.source = Task.Source.MEETING
            elif roll < 0.55:
                spec.source = Task.Source.PETITION
            specs.append(spec)
        specs.sort(key=lambda s: s.assigned)

        counters: dict[int, int] = {}
        for spec in specs:
            year = days.days[spec.assigned].year
            counters[year] = counters.get(year, 0) + 1
            self._task(org, spec, year, counters[year], clerk_user)
            progress.advance(1)
        self.counter_t.write([(self.counter_t.allocate(), org.id, y, n) for y, n in sorted(counters.items())])
        if self.pending >= BATCH:
            self.flush()

    def _deployments(self, org: Org, clerk_user: int) -> list[tuple[int, int]]:
        """Four a year: (working-day index, deployment id), in date order."""
        rng, days = self.rng, self.days
        made = []
        for q in range(YEARS * 4):
            index = min(days.today, int((q + rng.random()) * (days.today + 1) / (YEARS * 4)))
            day = days.days[index]
            pk = self.deployment_t.allocate()
            half = "上半年" if day.month <= 6 else "下半年"
            at = days.at(index, 60)
            self.rows["deployment"].append(
                (
                    pk,
                    at,
                    at,
                    None,
                    org.id,
                    f"{day.year}年{half}全面从严治党工作部署会议讲话（第{q % 4 + 1}次）",
                    day,
                    Deployment.Kind.SPEECH,
                    org.secretary,
                    "（讲话原文略）",
                    Deployment.Status.CONFIRMED,
                    clerk_user,
                    at,
                    clerk_user,
                )
            )
            made.append((index, pk))
        if org is self.world.main:
            self.main_deployment = made[-1][1]
        return made

    def _rounds(self, org: Org, n_findings: int, clerk_user: int) -> list[Spec]:
        rng, days = self.rng, self.days
        specs: list[Spec] = []
        n_rounds = max(1, round(n_findings / FINDINGS_PER_ROUND)) if n_findings else 0
        made = 0
        for r in range(n_rounds):
            findings = (n_findings - made) // (n_rounds - r)
            made += findings
            kind = ROUND_KINDS[r % len(ROUND_KINDS)]
            # Feedback spread over the five years, none later than a month before the anchor.
            latest = max(days.today - 22, 0)
            index = min(latest, int((r + rng.random()) * latest / n_rounds))
            day = days.days[index]
            name_t, body_t = ROUND_NAMES[kind]
            name = name_t.format(n=r % 9 + 1, y=day.year)
            body = body_t.format(n=r % 9 + 1, y=day.year)
            pk = self.round_t.allocate()
            at = days.at(index, 30)
            self.rows["round"].append(
                (
                    pk,
                    at,
                    at,
                    None,
                    org.id,
                    name,
                    body,
                    kind,
                    day,
                    day + dt.timedelta(days=90),
                    day + dt.timedelta(days=60),
                    clerk_user,
                )
            )
            if org is self.world.main:
                self.main_round = pk
            for f in range(findings):
                fid = self.finding_t.allocate()
                severity = (
                    Finding.Severity.GRAVE
                    if f % 17 == 0
                    else Finding.Severity.SERIOUS
                    if f % 5 == 0
                    else Finding.Severity.GENERAL
                )
                self.rows["finding"].append(
                    (
                        fid,
                        at,
                        at,
                        None,
                        pk,
                        org.id,
                        str(f + 1),
                        texts.CATEGORIES[f % len(texts.CATEGORIES)],
                        rng.choice(texts.PROBLEMS),
                        severity,
                        f,
                    )
                )
                for m in range(2 if rng.random() < MEASURES_PER_FINDING - 1 else 1):
                    dept = org.depts[rng.randrange(len(org.depts))]
                    mkind = (
                        Measure.Kind.IMMEDIATE
                        if rng.random() < 0.2
                        else Measure.Kind.LONG_TERM
                        if rng.random() < 0.1
                        else Measure.Kind.LIMITED
                    )
                    text = rng.choice(texts.MEASURES)
                    spec = Spec(
                        min(index + rng.randrange(1, 6), days.today),
                        TASK_KIND[mkind],
                        dept,
                        Task.Source.MODULE,
                        source_ref=f"{name}·问题{f + 1}",
                        title=f"【{name}整改】{text}",
                    )
                    spec.measure = (fid, text, mkind, m)
                    specs.append(spec)
        return specs

    def _task(self, org: Org, spec: Spec, year: int, seq: int, clerk_user: int) -> None:
        rng, days, world = self.rng, self.days, self.world
        dept, a = spec.dept, spec.assigned
        pk = self.task_t.allocate()
        duration = {
            Task.Kind.LIMITED: 10 + rng.randrange(50),
            Task.Kind.IMMEDIATE: 2 + rng.randrange(4),
            Task.Kind.RECURRING: 20 + rng.randrange(40),
            Task.Kind.LONG_TERM: 60 + rng.randrange(120),
        }[spec.kind]
        deadline_i = a + duration
        deadline = None if spec.kind == Task.Kind.LONG_TERM else days.days[deadline_i]
        roll = rng.random()
        factor = rng.uniform(0.3, 1.0) if roll < 0.85 else rng.uniform(1.0, 1.6) if roll < 0.985 else None
        finish = None if factor is None else a + max(1, int(duration * factor))
        assigned_at = days.at(a, rng.randrange(0, 420))
        sign_deadline = days.end(a)
        members = dept.members or [dept.head]
        responsible = members[rng.randrange(len(members))] if rng.random() < 0.8 else None
        author = world.user_of.get(responsible or dept.head or 0) or clerk_user
        head_user = world.user_of.get(dept.head or 0)
        signed_at = assigned_at + dt.timedelta(minutes=20 + rng.randrange(120))
        if signed_at > sign_deadline:
            signed_at = sign_deadline - dt.timedelta(minutes=5)
        submitted_at = closed_at = completed_on = on_time = rating = closed_by = None
        percent, status, part_status = 0, Task.Status.IN_PROGRESS, TaskPart.Status.IN_PROGRESS
        if finish is not None and finish < days.today:
            status, part_status, percent = Task.Status.DONE, TaskPart.Status.DONE, 100
            closed_at = days.at(finish, 240 + rng.randrange(180))
            submitted_at = closed_at - dt.timedelta(minutes=30 + rng.randrange(600))
            completed_on = days.days[finish]
            on_time = deadline is None or completed_on <= deadline
            rating = rng.choice([4, 4, 3, 3, 3, 2]) if on_time else rng.choice([3, 2, 2, 1])
            closed_by = clerk_user
        else:
            self.open_tasks += 1
            elapsed = (days.today - a) / max(duration, 1)
            percent = min(95, int(elapsed * 80) // 5 * 5)
            if a == days.today and rng.random() < 0.5:
                status, part_status, signed_at, percent = (
                    Task.Status.PENDING_SIGN,
                    TaskPart.Status.PENDING_SIGN,
                    None,
                    0,
                )
            elif rng.random() < 0.01:
                # Left unsigned past its 事不过夜 limit: the scan escalates it.
                status, part_status, signed_at, percent = (
                    Task.Status.PENDING_SIGN,
                    TaskPart.Status.PENDING_SIGN,
                    None,
                    0,
                )
            elif finish is not None and finish - days.today <= 2 and rng.random() < 0.4:
                status = Task.Status.PENDING_REVIEW
                submitted_at = days.at(days.today, 30)
                percent = 100
        # Progress reports: one to two once signed, the last one giving the task's percent.
        reports: list[tuple[dt.datetime, int]] = []
        if signed_at is not None:
            last = finish if status == Task.Status.DONE else days.today
            n_reports = 1 + (rng.random() < 0.4) if last > a else 0
            for r in range(n_reports):
                index = a + (last - a) * (r + 1) // (n_reports + 1) if n_reports else a
                at = days.at(max(index, a), 300 + rng.randrange(100))
                share = 100 if status == Task.Status.DONE and r == n_reports - 1 else percent * (r + 1) // n_reports
                reports.append((at, share))
        last_reported = reports[-1][0] if reports else None
        recurrence = (
            rng.choice([Task.Recurrence.MONTHLY, Task.Recurrence.QUARTERLY]) if spec.kind == Task.Kind.RECURRING else ""
        )
        created = assigned_at - dt.timedelta(minutes=10)
        self.rows["task"].append(
            (
                pk,
                created,
                closed_at or last_reported or assigned_at,
                None,
                org.id,
                year,
                seq,
                spec.title[:300],
                "",
                spec.source,
                spec.source_ref,
                spec.deployment,
                None,
                dept.leader,
                responsible,
                spec.kind,
                recurrence,
                rng.random() < 0.03,
                deadline,
                deadline,
                status,
                assigned_at,
                clerk_user,
                sign_deadline,
                signed_at,
                percent,
                last_reported,
                submitted_at,
                closed_at,
                closed_by,
                completed_on,
                on_time,
                rating,
                "",
            )
        )
        lead = self.part_t.allocate()
        parts = [(lead, dept, TaskPart.Role.LEAD)]
        if rng.random() < 0.2 and len(org.depts) > 1:
            other = org.depts[rng.randrange(len(org.depts))]
            if other is not dept:
                parts.append((self.part_t.allocate(), other, TaskPart.Role.PARTNER))
        for part_id, part_dept, role in parts:
            signer = world.user_of.get(part_dept.head or 0) if signed_at else None
            self.rows["part"].append(
                (
                    part_id,
                    created,
                    closed_at or assigned_at,
                    None,
                    pk,
                    org.id,
                    part_dept.id,
                    role,
                    part_status,
                    sign_deadline,
                    signed_at,
                    signer,
                    percent,
                    last_reported,
                )
            )
        for at, share in reports:
            self.rows["report"].append(
                (
                    self.report_t.allocate(),
                    at,
                    at,
                    None,
                    pk,
                    lead,
                    org.id,
                    author if signed_at else head_user,
                    rng.choice(texts.REPORTS),
                    share,
                    "",
                )
            )
        if spec.measure is not None:
            finding, text, mkind, order = spec.measure
            self.rows["measure"].append(
                (
                    self.measure_t.allocate(),
                    created,
                    created,
                    None,
                    finding,
                    org.id,
                    text,
                    dept.leader,
                    dept.id,
                    responsible,
                    deadline,
                    mkind,
                    pk,
                    order,
                    None,
                    None,
                    "",
                    "",
                    None,
                    None,
                )
            )
        if spec.on_task is not None:
            spec.on_task(pk, deadline)
        self.pending += 1


def generate(
    world: World,
    rng: random.Random,
    anchor: dt.date,
    tasks: int,
    findings: int,
    extra: Callable[[Org, Days], list[Spec]] | None = None,
) -> Writer:
    """Every bureau's work; tasks and findings shared out by the bureaus' head counts. `extra` gives a bureau's
    tasks of other modules (counted in `tasks`, numbered with the rest)."""
    days = Days(anchor)
    writer = Writer(world, rng, days)
    writer.extra = extra
    weights = [len(b.people) for b in world.bureaus]
    total = sum(weights)
    task_shares = _shares(tasks, weights, total)
    finding_shares = _shares(findings, weights, total)
    progress = Progress("任务", tasks)
    for org, n_tasks, n_findings in zip(world.bureaus, task_shares, finding_shares, strict=True):
        writer.bureau(org, n_tasks, n_findings, progress)
    writer.flush()
    progress.finish()
    return writer


def _shares(n: int, weights: list[int], total: int) -> list[int]:
    """`n` split by weight, the remainder to the first ones, so the shares add up to `n` exactly."""
    shares = [n * w // total for w in weights]
    for i in range(n - sum(shares)):
        shares[i % len(shares)] += 1
    return shares
