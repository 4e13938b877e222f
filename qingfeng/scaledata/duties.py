"""两个责任 and 廉政建设 at city scale: each bureau's responsibility lists of the previous and the current year (the
items with a 完成时限 carried out as supervision tasks, numbered by the task writer with the bureau's other tasks),
责任书, talks and 述责述廉; every person's 廉政档案 filings; the confidential 四种形态 ledger (SM4-GCM through
integrity.ledger_crypto with the configured key, its fingerprint stored); 廉政风险点 with a few 督促检查 each; and a
city 纪委 account (上级, 纪委) that sees the ledger of every unit.

Counts follow the people (sizes.Size.filings/ledger/risks). The rows are deterministic for a seed and a day (this
module draws from its own random stream); only the ledger's ciphertexts differ, their nonces being random."""

from __future__ import annotations

import bisect
import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models

from qingfeng.integrity import ledger_crypto
from qingfeng.integrity.models import (
    DEFAULT_PROBLEM_CATEGORIES,
    DEFAULT_RISK_AREAS,
    DisciplineRecord,
    Filing,
    RiskCheck,
    RiskPoint,
)
from qingfeng.org.models import RoleAssignment, User
from qingfeng.org.roles import Role, SuperiorKind
from qingfeng.responsibility.models import DutyReport, Letter, ResponsibilityItem, ResponsibilityList, Talk
from qingfeng.scaledata.progress import Progress
from qingfeng.scaledata.work import Days, Spec
from qingfeng.scaledata.world import Dept, Org, World
from qingfeng.scaledata.writer import Table
from qingfeng.supervision.models import Task

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 20_000
JIWEI_USERNAME = "sdjiwei"

ITEMS: dict[str, list[tuple[str, str]]] = {
    ResponsibilityList.Kind.PARTY_GROUP: [
        ("研究部署全面从严治党工作", "党组会议每季度专题研究党风廉政建设"),
        ("落实意识形态工作责任制", "每半年分析研判意识形态领域情况"),
        ("加强干部队伍建设", "严把选人用人政治关、廉洁关"),
        ("推进廉政风险防控", "梳理关键岗位风险点并落实防控措施"),
        ("抓好巡察整改", "建立整改台账，逐项销号"),
        ("开展警示教育", "组织观看警示教育片并研讨"),
    ],
    ResponsibilityList.Kind.SECRETARY: [
        ("履行第一责任人职责", "重要工作亲自部署、重大问题亲自过问"),
        ("与team成员开展谈心谈话", "每年至少一次"),
        ("讲授廉政党课", "每年至少一次"),
        ("督促team成员落实一岗双责", "听取分管领域党风廉政建设情况汇报"),
        ("带头执行中央八项规定精神", "带头报告个人有关事项"),
        ("支持纪检组开展监督", "及时研究纪检组提出的问题"),
    ],
    ResponsibilityList.Kind.LEADER: [
        ("抓好分管领域党风廉政建设", "每季度听取分管科室情况汇报"),
        ("与分管科室负责人谈话", "每半年至少一次廉政谈话"),
        ("督促分管科室排查廉政风险", "指导完善防控措施"),
        ("落实分管领域巡察整改", "督促整改措施按期完成"),
        ("参加所在支部组织生活", "以普通党员身份参加"),
        ("管好身边工作人员", "定期提醒、严格要求"),
    ],
    ResponsibilityList.Kind.SUPERVISION: [
        ("协助党组推进全面从严治党", "提出工作建议"),
        ("开展日常监督", "对关键岗位反复督促检查"),
        ("运用监督执纪四种形态", "抓早抓小、动辄则咎"),
        ("受理信访举报", "按规定处置问题线索"),
        ("监督巡察整改", "跟踪问效，督促销号"),
        ("开展廉政谈话", "对新任职干部开展任前廉政谈话"),
    ],
}
FREQUENCIES = [
    ResponsibilityItem.Frequency.QUARTERLY,
    ResponsibilityItem.Frequency.HALF_YEARLY,
    ResponsibilityItem.Frequency.YEARLY,
    ResponsibilityItem.Frequency.MONTHLY,
]
DESCRIPTIONS = [
    "违规收受管理服务对象礼品礼金",
    "违规发放津贴补贴",
    "公车私用",
    "违规操办婚丧喜庆事宜",
    "在项目审批中为亲属谋利",
    "履行监管职责不力",
    "违规兼职取酬",
]
DECISIONS = ["给予谈话提醒", "给予批评教育", "责令作出书面检查", "给予诫勉", "给予党内警告处分", "给予组织调整"]
POSTS = ["审核岗", "经办岗", "审批岗", "复核岗", "负责人岗"]


class Rows:
    """Rows of one model given as dicts of attnames; every other column takes the field's default (null, "", or
    its default value), so the apps' models may gain fields without the generator's help. Written in batches."""

    def __init__(self, model: type[models.Model]) -> None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.attnames = [f.attname for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}
        # UUIDs as the backend stores them (SQLite: 32 hex characters; PostgreSQL's COPY takes the object).
        self.uuids = [f.attname for f in fields if isinstance(f, models.UUIDField)]
        self.table = Table(model, self.attnames)
        self.pending: list[tuple] = []
        self.checked = False

    @property
    def written(self) -> int:
        return self.table.written + len(self.pending)

    def allocate(self) -> int:
        return self.table.allocate()

    def add(self, pk: int, values: dict[str, Any]) -> None:
        if not self.checked:
            unknown = set(values) - set(self.attnames)
            if unknown:
                raise ValueError(f"{self.table.model.__name__} 没有字段：{', '.join(sorted(unknown))}")
            self.checked = True
        if self.uuids and connection.vendor != "postgresql":
            values = {**values, **{a: values[a].hex for a in self.uuids if a in values}}
        self.pending.append((pk, *(values.get(a, self.defaults[a]) for a in self.attnames)))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.table.write(self.pending)
        self.pending.clear()


def _shares(n: int, weights: list[int]) -> list[int]:
    total = sum(weights) or 1
    shares = [n * w // total for w in weights]
    for i in range(n - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, 28))


class Duties:
    """Plans the responsibility records before the work is written (their tasks join the bureaus' tasks), then
    writes everything of both apps."""

    def __init__(self, world: World, seed: int, anchor: dt.date, now: dt.datetime) -> None:
        self.world, self.anchor, self.now = world, anchor, now
        self.rng = random.Random(f"{seed}-duties")
        self.years = (anchor.year - 1, anchor.year)
        self.lists = Rows(ResponsibilityList)
        self.items = Rows(ResponsibilityItem)
        self.item_rows: list[tuple[int, dict[str, Any]]] = []
        self.counts: dict[str, int] = {}
        self.unit_of: dict[int, Org] = {}
        self.dept_of: dict[int, Dept] = {}
        for org in world.units:
            for pid in org.people:
                self.unit_of[pid] = org
            for dept in org.depts:
                for pid in dept.members:
                    self.dept_of[pid] = dept
        self.jiwei: tuple[str, int] = ("", 0)
        self.showcase = world.main.leaders[0] if world.main.leaders else world.main.people[0]

    def user(self, person: int | None) -> int:
        return self.world.user_of[person or 0]

    # -- responsibility lists: planned with the work -----------------------------------------------------

    def plan(self, org: Org, days: Days) -> list[Spec]:
        """The bureau's lists and items of both years; the items with a deadline as task specs."""
        if org.secretary is None or org.inspector is None:
            return []
        specs: list[Spec] = []
        previous: dict[tuple[str, int | None], int] = {}
        for year in self.years:
            index = min(bisect.bisect_left(days.days, dt.date(year, 2, 1)), days.today)
            published = days.at(index, 60)
            owners: list[tuple[str, int | None]] = [
                (ResponsibilityList.Kind.PARTY_GROUP, None),
                (ResponsibilityList.Kind.SECRETARY, None),
                *((ResponsibilityList.Kind.LEADER, leader) for leader in org.leaders),
                (ResponsibilityList.Kind.SUPERVISION, None),
            ]
            for kind, leader in owners:
                pk = self.lists.allocate()
                self.lists.add(
                    pk,
                    {
                        "created_at": published,
                        "updated_at": published,
                        "unit_id": org.id,
                        "year": year,
                        "kind": kind,
                        "leader_id": leader,
                        "status": ResponsibilityList.Status.PUBLISHED,
                        "copied_from_id": previous.get((kind, leader)),
                        "published_at": published,
                        "published_by_id": self.user(org.clerk),
                    },
                )
                previous[(kind, leader)] = pk
                title = f"{year}年度{ResponsibilityList.Kind(kind).label}"
                for seq, (content, measures) in enumerate(ITEMS[kind], start=1):
                    specs += self._item(org, kind, leader, pk, title, seq, content, measures, index, published)
        return specs

    def _item(
        self,
        org: Org,
        kind: str,
        leader: int | None,
        list_id: int,
        title: str,
        seq: int,
        content: str,
        measures: str,
        index: int,
        published: dt.datetime,
    ) -> list[Spec]:
        depts = org.depts
        dept = depts[seq % len(depts)]
        owner_person, owner_dept, responsible = None, None, None
        if kind == ResponsibilityList.Kind.PARTY_GROUP:
            owner_dept, responsible = dept, dept.head
        elif kind == ResponsibilityList.Kind.SECRETARY:
            owner_person, dept = org.secretary, depts[0]
            responsible = dept.head
        elif kind == ResponsibilityList.Kind.LEADER:
            mine = [d for d in depts if d.leader == leader] or depts[:1]
            dept = mine[seq % len(mine)]
            owner_person, owner_dept, responsible = leader, dept, dept.head
        else:
            owner_person, responsible, dept = org.inspector, org.inspector, depts[0]
        pk = self.items.allocate()
        row = {
            "created_at": published,
            "updated_at": published,
            "rlist_id": list_id,
            "unit_id": org.id,
            "seq": seq,
            "content": content,
            "measures": measures,
            "owner_person_id": owner_person,
            "owner_department_id": owner_dept.id if owner_dept else None,
            "responsible_person_id": responsible,
            "deadline": None,
            "frequency": "",
            "task_id": None,
        }
        self.item_rows.append((pk, row))
        if seq % 3 == 1:
            # A 完成时限: carried out as a supervision task, assigned when the list was published.
            def told(task: int, deadline: dt.date | None, row: dict[str, Any] = row) -> None:
                row["task_id"], row["deadline"] = task, deadline

            return [
                Spec(
                    index,
                    Task.Kind.LIMITED,
                    dept,
                    Task.Source.MODULE,
                    source_ref=f"{title}·第{seq}项"[:100],
                    title=f"【{ResponsibilityList.Kind(kind).label}】{content}",
                    on_task=told,
                )
            ]
        row["frequency"] = (
            FREQUENCIES[seq % len(FREQUENCIES)] if seq % 3 == 2 else ResponsibilityItem.Frequency.LONG_TERM
        )
        return []

    # -- everything else, after the work --------------------------------------------------------------------

    def write(self, filings: int, ledger: int, risks: int) -> dict[str, int]:
        self.lists.flush()
        for pk, row in self.item_rows:
            self.items.add(pk, row)
        self.items.flush()
        self.counts["responsibility_lists"] = self.lists.written
        self.counts["responsibility_items"] = self.items.written
        self.counts["responsibility_item_tasks"] = sum(1 for _, row in self.item_rows if row["task_id"])
        self._letters_talks_reports()
        self._filings(filings)
        self._ledger(ledger)
        self._risks(risks)
        self.jiwei = self._jiwei()
        return self.counts

    def _letters_talks_reports(self) -> None:
        rng, anchor = self.rng, self.anchor
        letters, talks, reports = Rows(Letter), Rows(Talk), Rows(DutyReport)
        bureaus = [b for b in self.world.bureaus if b.secretary and b.inspector]
        progress = Progress("谈话责任书", len(bureaus))
        for org in bureaus:
            clerk = self.user(org.clerk)
            team = [org.secretary, *org.leaders, org.inspector]
            for year in self.years:
                end = min(dt.date(year, 12, 31), anchor)
                signing = min(dt.date(year, 2, 20), anchor)
                signers = [(p, Letter.SignerKind.LEADER, None) for p in team]
                signers += [(d.head, Letter.SignerKind.HEAD, d.id) for d in org.depts if d.head]
                for person, kind, dept in signers:
                    signed = year < anchor.year or rng.random() < 0.85
                    at = _at(signing)
                    letters.add(
                        letters.allocate(),
                        {
                            "created_at": at,
                            "updated_at": at,
                            "unit_id": org.id,
                            "year": year,
                            "signer_id": person,
                            "signer_kind": kind,
                            "department_id": dept,
                            "signed_on": signing if signed else None,
                            "uploaded_by_id": clerk if signed else None,
                        },
                    )
                pairs = [(org.secretary, p, Talk.Kind.HEART) for p in team[1:]]
                pairs += [(d.leader, d.head, Talk.Kind.INTEGRITY) for d in org.depts if d.leader and d.head]
                pairs += [(org.inspector, p, Talk.Kind.REMINDER) for p in org.leaders[:1]]
                for talker, talkee, kind in pairs:
                    for half in (0, 1) if kind == Talk.Kind.INTEGRITY else (0,):
                        first = dt.date(year, 7 if half else 1, 5)
                        if first > end or rng.random() < 0.1:
                            continue  # not yet held (the compliance page lists it)
                        day = _day_in(rng, first, min(dt.date(year, 12 if half else 6, 25), end))
                        at = _at(day, 15)
                        talks.add(
                            talks.allocate(),
                            {
                                "created_at": at,
                                "updated_at": at,
                                "unit_id": org.id,
                                "kind": kind,
                                "talker_id": talker,
                                "talkee_id": talkee,
                                "date": day,
                                "place": "党组书记办公室" if talker == org.secretary else "小会议室",
                                "summary": "围绕落实全面从严治党责任、廉洁自律谈话，提出具体要求。",
                                "recorded_by_id": clerk,
                            },
                        )
                due = dt.date(year + 1, 1, 20)
                for person in team:
                    done = due <= anchor
                    votes = 40 + rng.randrange(20)
                    excellent = votes * rng.randrange(50, 80) // 100
                    competent = (votes - excellent) * 9 // 10
                    at = _at(min(due, anchor))
                    reports.add(
                        reports.allocate(),
                        {
                            "created_at": at,
                            "updated_at": at,
                            "unit_id": org.id,
                            "year": year,
                            "leader_id": person,
                            "due": due,
                            "text": f"{year}年度履行全面从严治党责任和廉洁自律情况报告（略）。" if done else "",
                            "submitted_at": _at(due - dt.timedelta(days=3)) if done else None,
                            "excellent": excellent if done else None,
                            "competent": competent if done else None,
                            "basic": votes - excellent - competent if done else None,
                            "incompetent": 0 if done else None,
                        },
                    )
            progress.advance(1)
        for rows in (letters, talks, reports):
            rows.flush()
        progress.finish()
        self.counts.update(letters=letters.written, talks=talks.written, duty_reports=reports.written)

    def _filings(self, n: int) -> None:
        """Every person a 廉政档案 of at least one filing: per year a 个人有关事项报告, a 廉洁承诺书 and a gift or a
        family event, the most recent years first. The showcase person (the manifest's file_person) has four years."""
        rng, anchor = self.rng, self.anchor
        rows = Rows(Filing)
        people = [pid for org in self.world.units for pid in org.people]
        shares = _shares(n, [1] * len(people))
        # The showcase's four years come out of the last people's shares: the total stays n.
        if self.showcase in people:
            mine = people.index(self.showcase)
            extra = max(12 - shares[mine], 0)
            shares[mine] += extra
            for i in range(len(shares) - 1, -1, -1):
                if extra == 0:
                    break
                if i != mine and shares[i] > 1:
                    shares[i] -= 1
                    extra -= 1
        progress = Progress("廉政档案", n)
        kinds = [Filing.Kind.PERSONAL_MATTERS, Filing.Kind.PLEDGE, None]
        for pid, share in zip(people, shares, strict=True):
            org, user = self.unit_of[pid], self.user(pid)
            for k in range(share):
                year = anchor.year - k // 3
                kind = kinds[k % 3] or (Filing.Kind.GIFT if (k // 3 + pid) % 2 else Filing.Kind.FAMILY_EVENT)
                if pid == self.showcase and k // 3 == 1:
                    kind = kinds[k % 3] or Filing.Kind.GIFT
                values: dict[str, Any] = {"unit_id": org.id, "person_id": pid, "kind": kind, "year": year}
                last = min(dt.date(year, 12, 31), anchor)
                if kind == Filing.Kind.PERSONAL_MATTERS:
                    filed = min(dt.date(year, 1, 31), anchor)
                    values.update(summary="本人婚姻、住房、投资及配偶子女从业情况", has_changes=rng.random() < 0.2)
                elif kind == Filing.Kind.PLEDGE:
                    filed = min(dt.date(year, 2, 15), anchor)
                    values.update(summary=f"{year}年度廉洁从政承诺书")
                elif kind == Filing.Kind.GIFT:
                    event = _day_in(rng, dt.date(year, 1, 1), last)
                    filed = min(event + dt.timedelta(days=rng.randrange(1, 10)), anchor)
                    values.update(
                        event_date=event,
                        summary="节日期间收到礼品，已按规定上交",
                        giver="某管理服务对象",
                        value=Decimal(100 * (1 + rng.randrange(30))),
                    )
                else:
                    filed = _day_in(rng, dt.date(year, 1, 1), last)
                    tables = 5 + rng.randrange(18)
                    values.update(
                        event_date=filed + dt.timedelta(days=10 + rng.randrange(20)),
                        summary="子女婚礼" if tables % 3 else "亲属丧事",
                        event_kind=Filing.EventKind.WEDDING if tables % 3 else Filing.EventKind.FUNERAL,
                        guests=tables * 10,
                        tables=tables,
                        gifts_policy="不收受礼金",
                        over_limit=tables > 20,
                    )
                at = _at(filed, 9)
                values.update(filed_on=filed, created_at=at, updated_at=at, created_by_id=user)
                rows.add(rows.allocate(), values)
            progress.advance(share)
        rows.flush()
        progress.finish()
        self.counts["files"] = len(people)
        self.counts["filings"] = rows.written

    def _ledger(self, n: int) -> None:
        """四种形态 records in the bureaus by head count, over five years; the texts encrypted as the app does."""
        rng, anchor = self.rng, self.anchor
        key = ledger_crypto.ledger_key()  # LedgerKeyError (a clear message) when the configured key is wrong
        ledger_crypto.remember_key(key)
        rows = Rows(DisciplineRecord)
        bureaus = [b for b in self.world.bureaus if b.inspector]
        shares = _shares(n, [len(b.people) for b in bureaus])
        progress = Progress("四种形态", n)
        start = anchor.replace(year=anchor.year - 5, day=1)
        for org, share in zip(bureaus, shares, strict=True):
            creator = self.user(org.inspector)
            for i in range(share):
                person = (
                    self.showcase if org is self.world.main and i == 0 else org.people[rng.randrange(len(org.people))]
                )
                roll = rng.random()
                form = 1 if roll < 0.7 else 2 if roll < 0.9 else 3 if roll < 0.97 else 4
                day = _day_in(rng, start, anchor)
                uid = uuid.UUID(int=rng.getrandbits(128), version=4)
                aad = f"integrity.disciplinerecord:{org.id}:{uid}".encode()
                at = _at(day, 16)
                rows.add(
                    rows.allocate(),
                    {
                        "created_at": at,
                        "updated_at": at,
                        "uid": uid,
                        "unit_id": org.id,
                        "person_id": person,
                        "date": day,
                        "form": form,
                        "measure": rng.choice(DisciplineRecord.MEASURES[form]),
                        "category": rng.choice(DEFAULT_PROBLEM_CATEGORIES),
                        "clue_source": rng.choice(DisciplineRecord.ClueSource.values),
                        "decided_by": f"{org.name}党组" if form == 1 else "江州市纪委监委",
                        "description_enc": ledger_crypto.encrypt(key, rng.choice(DESCRIPTIONS), aad),
                        "decision_enc": ledger_crypto.encrypt(key, rng.choice(DECISIONS), aad),
                        "created_by_id": creator,
                    },
                )
            progress.advance(share)
        rows.flush()
        progress.finish()
        self.counts["ledger_records"] = rows.written

    def _risks(self, n: int) -> None:
        """廉政风险点 in the bureaus by head count, and per bureau and year two 督促检查 over a few of them."""
        rng, anchor = self.rng, self.anchor
        points, checks = Rows(RiskPoint), Rows(RiskCheck)
        through = Rows(RiskCheck.points.through)
        bureaus = [b for b in self.world.bureaus if b.inspector]
        shares = _shares(n, [len(b.people) for b in bureaus])
        cycles = list(RiskPoint.Cycle.values)
        progress = Progress("风险点", n)
        for org, share in zip(bureaus, shares, strict=True):
            made: list[tuple[int, dict[str, Any]]] = []
            for i in range(share):
                dept = org.depts[rng.randrange(len(org.depts))]
                area = DEFAULT_RISK_AREAS[i % len(DEFAULT_RISK_AREAS)]
                roll = rng.random()
                level = (
                    RiskPoint.Level.HIGH
                    if roll < 0.2
                    else RiskPoint.Level.MEDIUM
                    if roll < 0.65
                    else RiskPoint.Level.LOW
                )
                cycle = cycles[i % len(cycles)]
                created = _day_in(rng, anchor.replace(year=anchor.year - 2), anchor)
                owner = dept.head if rng.random() < 0.5 or len(dept.members) < 2 else rng.choice(dept.members)
                values = {
                    "created_at": _at(created),
                    "updated_at": _at(created),
                    "unit_id": org.id,
                    "area": area,
                    "department_id": dept.id,
                    "post": f"{dept.name}{POSTS[i % len(POSTS)]}",
                    "name": f"{area}环节风险{i + 1}",
                    "description": f"{area}中存在未按规定程序办理、以权谋私的风险",
                    "level": level,
                    "controls": "实行分级审批、定期轮岗、全程留痕，纪检组定期抽查",
                    "owner_id": owner,
                    "review_cycle": cycle,
                }
                if "next_review_on" in points.attnames:
                    values["next_review_on"] = _add_months(created, RiskPoint.CYCLE_MONTHS[cycle])
                made.append((points.allocate(), values))
            picked: list[tuple[int, dt.date, list[int]]] = []
            for year in self.years:
                for half in (0, 1):
                    day = dt.date(year, 5 + 6 * half, 15)
                    if day > anchor or not made:
                        continue
                    chosen = rng.sample(range(len(made)), min(8, len(made)))
                    for c in chosen:
                        made[c][1]["last_checked_on"] = day
                    picked.append((checks.allocate(), day, [made[c][0] for c in chosen]))
            for pk, values in made:
                points.add(pk, values)
            for pk, day, chosen in picked:
                checks.add(
                    pk,
                    {
                        "created_at": _at(day),
                        "updated_at": _at(day),
                        "unit_id": org.id,
                        "name": f"{day.year}年{'下' if day.month > 6 else '上'}半年关键岗位督促检查",
                        "date": day,
                        "summary": "对所选风险点防控措施落实情况进行检查，未发现突出问题。",
                        "created_by_id": self.user(org.inspector),
                    },
                )
                for point in chosen:
                    through.add(through.allocate(), {"riskcheck_id": pk, "riskpoint_id": point})
            progress.advance(share)
        points.flush()
        checks.flush()
        through.flush()
        progress.finish()
        self.counts.update(risk_points=points.written, risk_checks=checks.written)

    def _jiwei(self) -> tuple[str, int]:
        """The city's 纪委 (上级, kind 纪委, over the units below): the account the ledger statistics are read as."""
        users, grants = Rows(User), Rows(RoleAssignment)
        sample = User.objects.filter(pk=self.world.users[0]).values_list("password", flat=True).get()
        city = self.world.units[0]
        uid = users.allocate()
        users.add(
            uid,
            {
                "password": sample,
                "username": JIWEI_USERNAME,
                "is_active": True,
                "date_joined": self.now,
                "unit_id": city.id,
                "display_name": "江州市纪委监委",
                "is_demo": True,
                "must_change_password": False,
                "password_changed_at": self.now,
            },
        )
        users.flush()
        grants.add(
            grants.allocate(),
            {
                "user_id": uid,
                "role": Role.SUPERIOR,
                "unit_id": city.id,
                "include_subunits": True,
                "superior_kind": SuperiorKind.JIWEI,
                "granted_at": self.now,
            },
        )
        grants.flush()
        return JIWEI_USERNAME, uid
