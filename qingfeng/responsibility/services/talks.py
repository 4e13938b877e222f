"""Talks (谈心谈话, 提醒谈话, 廉政谈话, 约谈), their follow-up tasks, the frequency rules and the compliance check.

Decisions:
1. A talk is recorded by its talker (a 班子成员 or the 纪检组长: responsibility.talk), or by the office (secretary,
   clerk) for anyone of the unit. The summary is non-confidential: a 提醒谈话 that is a 四种形态 measure goes to the
   integrity app's ledger as well.
2. Follow-up (整改落实) is a supervision task assigned from the talk, led by the talkee's department under the talker
   (or, when the talker is no 班子成员, the department's supervising leader).
3. Rules: a unit without rules of its own uses DEFAULT_RULES (the secretary with each 班子成员 once a year; each
   leader with the heads of the departments they supervise once a half-year). The first change a unit makes saves
   the defaults as its own rows, then applies the change, so the rules in force are always the ones shown.
4. Compliance counts the talks of the current period (calendar year, half-year or quarter containing today) per
   rule and pair; a rule with a kind counts only talks of that kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.responsibility import people
from qingfeng.responsibility.models import Talk, TalkRule
from qingfeng.supervision.models import Task
from qingfeng.supervision.services.tasks import TaskDraft, task_create

Relation, Period = TalkRule.Relation, TalkRule.Period
DEFAULT_RULES = [
    (Relation.SECRETARY_LEADERS, "", 1, Period.YEAR),
    (Relation.LEADER_HEADS, "", 1, Period.HALF),
]


def _may_record_for_others(actor: Any, unit: Unit) -> bool:
    return access.can(actor, "responsibility.manage", unit)


@transaction.atomic
def talk_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    talker: Person | None,
    talkee: Person | None,
    date: dt.date | None,
    place: str,
    summary: str,
) -> Talk:
    access.require(actor, "responsibility.talk", unit)
    problems: list[str] = []
    own = getattr(actor, "person", None)
    if talker is None:
        talker = own
    if kind not in Talk.Kind.values:
        problems.append("请选择谈话类别")
    if talker is None or talker.unit_id != unit.pk:
        problems.append("请选择本单位的谈话人")
    elif (own is None or talker.pk != own.pk) and not _may_record_for_others(actor, unit):
        problems.append("只能登记本人作为谈话人的谈话（办公室可代为登记）")
    if talkee is None or talkee.unit_id != unit.pk:
        problems.append("请选择本单位的谈话对象")
    elif talker is not None and talkee.pk == talker.pk:
        problems.append("谈话人和谈话对象不能是同一人")
    if date is None:
        problems.append("请填写谈话日期")
    elif date > timezone.localdate():
        problems.append("谈话日期不能晚于今天")
    if not place.strip():
        problems.append("请填写谈话地点")
    if not summary.strip():
        problems.append("请填写谈话要点")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    talk = Talk(
        unit=unit,
        kind=kind,
        talker=talker,
        talkee=talkee,
        date=date,
        place=place.strip()[:100],
        summary=summary.strip(),
        recorded_by=actor,
    )
    talk.save()
    audit.record(
        actor=actor,
        action="talk.create",
        obj=talk,
        changes={"kind": kind, "talker": talker.name, "talkee": talkee.name, "date": date},  # type: ignore[union-attr]
    )
    return talk


@transaction.atomic
def talk_follow_up(
    *, actor: Any, talk: Talk, title: str, department: Department | None, deadline: dt.date | None
) -> Task:
    """整改落实: a supervision task from the talk (decision 2)."""
    access.require(actor, "responsibility.talk", talk.unit)
    own = getattr(actor, "person", None)
    if (own is None or own.pk != talk.talker_id) and not _may_record_for_others(actor, talk.unit):
        raise UserError("只有谈话人或办公室可以交办谈话的整改落实事项")
    if not title.strip():
        raise UserError("请填写整改落实事项", field="title")
    department = department or talk.talkee.department
    if department is None:
        raise UserError("请选择牵头科室", field="department")
    leader = talk.talker if talk.talker.is_leadership else people.supervising_leader(department)
    draft = TaskDraft(
        title=f"【{talk.get_kind_display()}整改】{title.strip()[:120]}",
        content=f"{talk.date:%Y年%m月%d日}{talk.talker.name}与{talk.talkee.name}{talk.get_kind_display()}提出的整改落实事项",
        lead_department=department,
        lead_leader=leader,
        deadline=deadline,
        responsible_person=talk.talkee if talk.talkee.department_id == department.pk else None,
    )
    task = task_create(
        actor=actor,
        unit=talk.unit,
        draft=draft,
        source=Task.Source.MODULE,
        source_ref=f"谈话记录{talk.pk}",
        assign_perm="responsibility.talk",
    )
    talk.tasks.add(task)
    audit.record(actor=actor, action="talk.follow_up", obj=talk, changes={"task": task.number})
    return task


# ------------------------------------------------------------------------------------------------ rules


def rules_for(unit: Unit) -> list[TalkRule]:
    """The rules in force: the unit's own (active) rows, or the unsaved defaults when it has none."""
    saved = list(TalkRule.all_objects.filter(unit=unit).order_by("id"))
    if saved:
        return [r for r in saved if r.active and r.deleted_at is None]
    return [
        TalkRule(unit=unit, relation=rel, kind=kind, minimum=n, period=period) for rel, kind, n, period in DEFAULT_RULES
    ]


def _materialise(unit: Unit) -> None:
    if not TalkRule.all_objects.filter(unit=unit).exists():
        for rule in rules_for(unit):
            rule.save()


@transaction.atomic
def rule_add(*, actor: Any, unit: Unit, relation: str, kind: str, minimum: int, period: str) -> TalkRule:
    access.require(actor, "responsibility.manage", unit)
    problems = []
    if relation not in Relation.values:
        problems.append("请选择谈话关系")
    if kind and kind not in Talk.Kind.values:
        problems.append("谈话类别无效")
    if period not in Period.values:
        problems.append("请选择周期")
    if not 1 <= minimum <= 24:
        problems.append("至少次数应在1到24之间")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    _materialise(unit)
    rule = TalkRule.objects.create(unit=unit, relation=relation, kind=kind, minimum=minimum, period=period)
    audit.record(actor=actor, action="talk_rule.create", obj=rule, changes={"rule": str(rule)})
    return rule


@transaction.atomic
def rule_disable(*, actor: Any, rule: TalkRule) -> None:
    access.require(actor, "responsibility.manage", rule.unit)
    rule.active = False
    rule.save(update_fields=["active", "updated_at"])
    audit.record(actor=actor, action="talk_rule.disable", obj=rule, changes={"active": [True, False]})


# ------------------------------------------------------------------------------------------------ compliance


def period_of(period: str, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, label) of the period containing `today`."""
    if period == Period.YEAR:
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), f"{today.year}年"
    months = 6 if period == Period.HALF else 3
    first_month = (today.month - 1) // months * months + 1
    start = dt.date(today.year, first_month, 1)
    last_month = first_month + months - 1
    end = dt.date(today.year + last_month // 12, last_month % 12 + 1, 1) - dt.timedelta(days=1)
    if period == Period.HALF:
        label = f"{today.year}年{'上' if first_month == 1 else '下'}半年"
    else:
        label = f"{today.year}年第{(first_month - 1) // 3 + 1}季度"
    return start, end, label


@dataclass
class Pair:
    talker: Person
    talkee: Person
    count: int = 0


@dataclass
class RuleCompliance:
    rule: TalkRule
    label: str
    start: dt.date
    end: dt.date
    pairs: list[Pair] = field(default_factory=list)

    @property
    def missing(self) -> list[Pair]:
        return [p for p in self.pairs if p.count < self.rule.minimum]

    @property
    def met(self) -> int:
        return len(self.pairs) - len(self.missing)


def expected_pairs(unit: Unit, relation: str, cache: dict[str, Any]) -> list[tuple[Person, Person]]:
    if "leaders" not in cache:
        cache["leaders"] = people.leaders(unit)
        cache["secretaries"] = people.secretaries(unit)
        cache["inspectors"] = people.inspectors(unit)
        cache["heads"] = people.department_heads(unit)
        cache["supervised"] = {
            p.pk: [d.pk for d in p.supervised_departments.all()]
            for p in Person.objects.filter(pk__in=[x.pk for x in cache["leaders"]]).prefetch_related(
                "supervised_departments"
            )
        }
    leaders, heads = cache["leaders"], cache["heads"]
    if relation == Relation.SECRETARY_LEADERS:
        return [(s, x) for s in cache["secretaries"] for x in leaders if x.pk != s.pk]
    if relation == Relation.INSPECTOR_LEADERS:
        return [(s, x) for s in cache["inspectors"] for x in leaders if x.pk != s.pk]
    if relation == Relation.SECRETARY_HEADS:
        return [(s, h) for s in cache["secretaries"] for h in heads.values() if h.pk != s.pk]
    pairs = []
    for leader in leaders:
        for dept_id in cache["supervised"].get(leader.pk, []):
            head = heads.get(dept_id)
            if head is not None and head.pk != leader.pk:
                pairs.append((leader, head))
    return pairs


def compliance(unit: Unit, *, today: dt.date | None = None) -> list[RuleCompliance]:
    """Each rule in force with its expected pairs and the talks counted this period (a fixed number of queries)."""
    today = today or timezone.localdate()
    rules = rules_for(unit)
    if not rules:
        return []
    spans = [period_of(r.period, today) for r in rules]
    earliest = min(s for s, _, _ in spans)
    counts: dict[tuple[int, int], list[tuple[dt.date, str]]] = {}
    for talker_id, talkee_id, day, kind in Talk.objects.filter(
        unit=unit, date__gte=earliest, date__lte=today
    ).values_list("talker_id", "talkee_id", "date", "kind"):
        counts.setdefault((talker_id, talkee_id), []).append((day, kind))
    cache: dict[str, Any] = {}
    out = []
    for rule, (start, end, label) in zip(rules, spans, strict=True):
        result = RuleCompliance(rule, label, start, end)
        for talker, talkee in expected_pairs(unit, rule.relation, cache):
            talks = counts.get((talker.pk, talkee.pk), [])
            n = sum(1 for day, kind in talks if day >= start and (not rule.kind or kind == rule.kind))
            result.pairs.append(Pair(talker, talkee, n))
        out.append(result)
    return out
