"""舆情处置 at city scale (issue 8): incidents over five years in every bureau of the city, their steps recorded in
order with realistic times against the default limits (报告 within the hour, 回应 within 5 h for 重大/特别重大 and
48 h otherwise, 处置完毕 within two weeks, 复盘 later), mostly 一般 and few 特别重大; nearly all closed, a few
hundred of the last days still open with their clocks running (some of them past a limit, red on the dashboard).

Counts follow the tasks (sizes.Size.incidents: a tenth). Deterministic for a seed and a day (its own random
stream); written in bulk through writer.Table (COPY on PostgreSQL, executemany on SQLite)."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection

from qingfeng.opinion.models import STEP_FIELD, IncidentStep, Level, OpinionIncident, Step
from qingfeng.scaledata.progress import Progress
from qingfeng.scaledata.world import Org, World
from qingfeng.scaledata.writer import Table

BATCH = 50_000  # step rows per write
# The incident's step-time columns, in the order written.
STEPS = [
    Step.FOUND,
    Step.REPORTED,
    Step.VERIFIED,
    Step.ASSESSED,
    Step.RESPONDED,
    Step.HANDLED,
    Step.REVIEWED,
    Step.PRESS,
]
# 一般 mostly, 特别重大 rarely.
LEVEL_WEIGHTS = [(Level.ORDINARY, 800), (Level.LARGER, 160), (Level.MAJOR, 37), (Level.EXTRA, 3)]
SOURCES = [
    (OpinionIncident.Source.NETWORK, 60),
    (OpinionIncident.Source.HOTLINE, 15),
    (OpinionIncident.Source.MEDIA, 10),
    (OpinionIncident.Source.PETITION, 10),
    (OpinionIncident.Source.SUPERIOR, 5),
]
SITES = [
    ("微博", "weibo.com"),
    ("抖音", "douyin.com"),
    ("微信公众号", "mp.weixin.qq.com"),
    ("今日头条", "toutiao.com"),
    ("百度贴吧", "tieba.baidu.com"),
    ("本地论坛", "bbs.jiangzhou.cn"),
    ("人民网留言板", "liuyan.people.com.cn"),
    ("江州日报", "jzrb.cn"),
]
SUBJECTS = [
    "拖欠农民工工资",
    "办事窗口态度生硬",
    "项目工地扬尘扰民",
    "补贴发放迟缓",
    "执法人员粗暴执法",
    "学校食堂食品安全",
    "小区停水停电",
    "道路施工长期未完工",
    "违规收费",
    "公职人员酒驾",
    "网传干部违规吃喝",
    "医院排队时间过长",
    "河道污染",
    "征地补偿纠纷",
    "营商环境投诉",
    "安全生产隐患",
]
OPENERS = ["网友反映", "有群众称", "媒体报道", "热线来电反映", "网帖称", "视频显示"]
CLOSING = ["，引发网民关注。", "，评论区出现大量转发。", "，要求有关部门尽快回应。", "，相关话题登上本地热搜。"]
NOTES = {
    Step.FOUND: "值班人员发现并登记",
    Step.REPORTED: "已电话报告带班领导",
    Step.VERIFIED: "经核查，情况基本属实",
    Step.ASSESSED: "研判认为需及时回应并跟进处置",
    Step.RESPONDED: "已通过官方账号发布情况说明",
    Step.PRESS: "召开新闻发布会通报情况",
    Step.HANDLED: "问题已处置完毕，当事人表示满意",
    Step.REVIEWED: "复盘总结，完善应对预案",
}


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(hours=rng.uniform(low, high))


def _timeline(rng: random.Random, found: dt.datetime, major: bool) -> dict[str, dt.datetime]:
    """Every step's time after `found`, in order; most within their limits, some late."""
    late = rng.random() < 0.08
    at = {Step.FOUND: found}
    at[Step.REPORTED] = found + (_hours(rng, 1.0, 3.0) if late else _hours(rng, 0.1, 0.9))
    at[Step.VERIFIED] = at[Step.REPORTED] + (_hours(rng, 0.3, 2.0) if major else _hours(rng, 0.5, 8.0))
    at[Step.ASSESSED] = at[Step.VERIFIED] + (_hours(rng, 0.2, 1.0) if major else _hours(rng, 0.5, 12.0))
    if major:
        respond = _hours(rng, 4.0, 9.0) if late else _hours(rng, 1.5, 4.8)
    else:
        respond = _hours(rng, 40.0, 72.0) if late else _hours(rng, 3.0, 46.0)
    at[Step.RESPONDED] = max(found + respond, at[Step.ASSESSED] + dt.timedelta(minutes=10))
    if major:
        at[Step.PRESS] = at[Step.REPORTED] + _hours(rng, 6.0, 30.0 if late else 22.0)
    at[Step.HANDLED] = at[Step.RESPONDED] + dt.timedelta(days=rng.uniform(0.5, 16.0 if late else 11.0))
    at[Step.REVIEWED] = at[Step.HANDLED] + dt.timedelta(days=rng.uniform(2.0, 25.0))
    return at


# The columns written (the others are null): every NOT NULL one of the models.
INCIDENT_COLUMNS = [
    "created_at",
    "updated_at",
    "unit_id",
    "title",
    "content",
    "source",
    "link",
    "source_site",
    "published_at",
    "department_id",
    "leader_id",
    "recorded_by_id",
    "level",
    "suggested_level",
    "suggested_words",
    "step",
    "mentions",
    *(STEP_FIELD[s] for s in STEPS),
]
STEP_COLUMNS = ["created_at", "updated_at", "incident_id", "unit_id", "step", "at", "note", "actor_id"]


def _stamp(postgresql: bool) -> Callable[[dt.datetime], str]:
    """A naive UTC time as the database takes it in bulk: text formatted once and shared by the columns holding the
    same moment (COPY parses it; SQLite stores Django's own format). Dumping a datetime object per column took a
    third of the full size's time."""
    if postgresql:
        return lambda value: value.isoformat() + "+00:00"
    return lambda value: value.isoformat(" ")


@contextlib.contextmanager
def indexes_built_after(*models: type[Any]) -> Iterator[None]:
    """On PostgreSQL, the tables' secondary indexes (not the primary keys or unique constraints) dropped for the bulk
    load and built again after it, within the generation's transaction: one sort per index instead of one insert
    per row and index (the two tables have twelve of them). Elsewhere nothing is done."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)


class Incidents:
    def __init__(self, world: World, seed: int, now: dt.datetime, years: int) -> None:
        self.world, self.years = world, years
        self.now = now.astimezone(dt.UTC).replace(tzinfo=None)  # every time below is naive UTC
        self.rng = random.Random(f"{seed}-opinion")
        self.bureaus = [b for b in world.bureaus if b.depts and b.secretary]
        self.counts: dict[str, int] = {}
        self.stamp = _stamp(connection.vendor == "postgresql")
        self.steps: Table | None = None

    def user(self, person: int | None) -> int:
        return self.world.user_of[person or 0]

    def write(self, total: int) -> dict[str, int]:
        with indexes_built_after(OpinionIncident, IncidentStep):
            return self._write(total)

    def _write(self, total: int) -> dict[str, int]:
        rng, now = self.rng, self.now
        incidents = Table(OpinionIncident, INCIDENT_COLUMNS)
        steps = self.steps = Table(IncidentStep, STEP_COLUMNS)
        pending: tuple[list[tuple], list[tuple]] = ([], [])
        # A few hundred at a city's size (and a few at the smallest) still open, found in the last days.
        open_n = min(total, max(5, total * 3 // 1000))
        # Some bureaus see far more 舆情 than others (公安, 信访, 住建 more than 统计).
        weights = list(itertools.accumulate(rng.uniform(0.3, 3.0) for _ in self.bureaus))
        start = now - dt.timedelta(days=365 * self.years)
        span = (now - dt.timedelta(days=40) - start).total_seconds()
        progress = Progress("舆情事件", total)
        opened = 0
        for i in range(total):
            org: Org = rng.choices(self.bureaus, cum_weights=weights)[0]
            is_open = i >= total - open_n
            if is_open:
                found = now - dt.timedelta(hours=rng.uniform(0.2, 24 * 6))
            else:
                found = start + dt.timedelta(seconds=rng.uniform(0, span))
            found = found.replace(second=0, microsecond=0)
            opened += is_open
            self._incident(incidents.allocate(), pending, org, found, is_open)
            if len(pending[1]) >= BATCH:
                progress.advance(len(pending[0]))
                self._flush(incidents, steps, pending)
        progress.advance(len(pending[0]))
        self._flush(incidents, steps, pending)
        progress.finish()
        self.counts = {"incidents": incidents.written, "open_incidents": opened, "incident_steps": steps.written}
        return self.counts

    @staticmethod
    def _flush(incidents: Table, steps: Table, pending: tuple[list[tuple], list[tuple]]) -> None:
        incidents.write(pending[0])
        steps.write(pending[1])
        pending[0].clear()
        pending[1].clear()

    def _incident(
        self, pk: int, pending: tuple[list[tuple], list[tuple]], org: Org, found: dt.datetime, is_open: bool
    ) -> None:
        rng, now, stamp, steps = self.rng, self.now, self.stamp, self.steps
        assert steps is not None
        level = _pick(rng, LEVEL_WEIGHTS)
        major = level in (Level.MAJOR, Level.EXTRA)
        dept = rng.choice(org.depts)
        leader = dept.leader or org.secretary
        members = dept.members or org.people
        recorder = self.user(org.clerk if rng.random() < 0.6 else rng.choice(members))
        leader_user = self.user(leader)
        at = _timeline(rng, found, major)
        if is_open:
            # Stopped somewhere between 发现 and 回应 (not yet 处置完毕): the clocks still run.
            order = [Step.FOUND, Step.REPORTED, Step.VERIFIED, Step.ASSESSED, Step.RESPONDED]
            last = rng.randrange(len(order))
            done = [s for s in order[: last + 1] if at[s] <= now]
            if Step.PRESS in at and Step.RESPONDED in done and at[Step.PRESS] <= now:
                done.append(Step.PRESS)
        else:
            done = [Step.FOUND, Step.REPORTED, Step.VERIFIED, Step.ASSESSED, Step.RESPONDED, Step.HANDLED]
            if major:
                done.append(Step.PRESS)
            if rng.random() < 0.9 and at[Step.REVIEWED] <= now:
                done.append(Step.REVIEWED)
        site, host = rng.choice(SITES)
        subject = rng.choice(SUBJECTS)
        title = f"{rng.choice(OPENERS)}{org.name}{dept.name}{subject}"
        content = f"{site}{rng.choice(OPENERS)}，{org.name}{subject}问题{rng.choice(CLOSING)}"
        current = max((s for s in done if s != Step.PRESS), key=at.__getitem__)
        recorded = min(found + dt.timedelta(minutes=rng.randint(1, 20)), now)
        texts = {s: stamp(at[s]) for s in done}
        last_change = max(recorded, max(at[s] for s in done))
        pending[0].append(
            (
                pk,
                stamp(recorded),
                stamp(min(last_change, now)),
                org.id,
                title[:200],
                content,
                _pick(rng, SOURCES),
                f"https://{host}/{pk:08d}",
                site,
                stamp(found - dt.timedelta(minutes=rng.randint(5, 240))),
                dept.id,
                leader,
                recorder,
                int(level),
                int(level) if rng.random() < 0.85 else int(Level.ORDINARY),
                "",
                str(current),
                rng.choice((0, 0, 0, 1, 2, 5)),
                *(texts.get(s) for s in STEPS),
            )
        )
        for step in done:
            when = texts[step] if at[step] >= recorded else stamp(recorded)
            actor = leader_user if step in (Step.ASSESSED, Step.PRESS) else recorder
            pending[1].append((steps.allocate(), when, when, pk, org.id, str(step), texts[step], NOTES[step], actor))
