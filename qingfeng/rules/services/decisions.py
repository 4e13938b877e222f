"""三重一大 decisions: the matter, its 调研论证/征求意见, the meeting with who of the 党组 attended and who recused
themselves, each member's stated opinion in speaking order, the decision; and the procedure checker.

The members (应到会) are the unit's 班子: the people holding the secretary, leader or inspector role on it. The
checker (党组工作条例 第二十七条; DOMAIN.md) applies once a meeting is recorded or a decision taken:
- 调研论证 before every matter; 征求意见 before a 重大事项决策 and a 重要干部任免;
- collective decision at a 党组会议 (a 大额 sum, at least RULES_LARGE_AMOUNT_WAN 万元, named as such);
- quorum: present members, not counting the recused, more than half of the members; two thirds for 干部任免;
- every present, not recused member states an opinion; a recused member does not; the chair (主持人, normally the
  secretary) speaks last (末位表态);
- a decision passes with 赞成 from more than half of the members due to attend (the members less the recused).
Its findings are stored on the decision (problems, problem_count) by every service that changes it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Person, Unit
from qingfeng.org.roles import Role
from qingfeng.rules.models import Attendance, Decision, Opinion, Preparation

MANAGE = "rules.manage"
MEMBER_ROLES = (Role.SECRETARY, Role.LEADER, Role.INSPECTOR)
Kind = Decision.Kind


def members(unit: Unit) -> QuerySet[Person]:
    """The unit's 班子: active people holding the secretary, leader or inspector role on it."""
    return (
        Person.objects.filter(
            unit=unit,
            status=Person.Status.ACTIVE,
            account__role_assignments__unit=unit,
            account__role_assignments__role__in=MEMBER_ROLES,
            account__role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("order", "pk")
    )


def secretaries(unit: Unit) -> set[int]:
    return set(
        Person.objects.filter(
            unit=unit,
            account__role_assignments__unit=unit,
            account__role_assignments__role=Role.SECRETARY,
            account__role_assignments__revoked_at__isnull=True,
        ).values_list("pk", flat=True)
    )


def large(amount: Decimal | None) -> bool:
    return amount is not None and amount >= settings.RULES_LARGE_AMOUNT_WAN


def check(decision: Decision) -> list[str]:
    """Every rule of the procedure the decision broke, in Chinese (empty: nothing found)."""
    if not decision.meeting_kind and decision.result == Decision.Result.PENDING:
        return []
    problems: list[str] = []
    preps = {p.kind for p in decision.preparations.all()}
    if Preparation.Kind.RESEARCH not in preps:
        problems.append("未开展调研论证")
    if decision.kind in (Kind.MAJOR, Kind.CADRE) and Preparation.Kind.CONSULT not in preps:
        problems.append(f"{decision.get_kind_display()}未征求意见")
    if decision.meeting_kind != Decision.MeetingKind.PARTY:
        how = decision.get_meeting_kind_display() if decision.meeting_kind else "未经会议"
        if large(decision.amount_wan):
            problems.append(
                f"大额资金（{decision.amount_wan}万元，标准{settings.RULES_LARGE_AMOUNT_WAN}万元）未经党组会议集体决策（{how}）"
            )
        else:
            problems.append(f"三重一大事项未经党组会议集体决策（{how}）")
    attendances = list(decision.attendances.all())
    opinions = list(decision.opinions.all())
    if attendances:
        due = len(attendances)
        present = [a for a in attendances if a.present and not a.recused]
        if decision.kind == Kind.CADRE:
            if len(present) * 3 < due * 2:
                problems.append(f"到会{len(present)}人（不含回避），未达到应到{due}人的三分之二（干部任免）")
        elif len(present) * 2 <= due:
            problems.append(f"到会{len(present)}人（不含回避），未超过应到{due}人的半数")
        spoke = {o.person_id for o in opinions}
        names = {a.person_id: a.person.name for a in attendances}
        for a in attendances:
            if a.recused and a.person_id in spoke:
                problems.append(f"回避人员{a.person.name}参与了表态")
            elif a.present and not a.recused and a.person_id not in spoke:
                problems.append(f"{a.person.name}到会但未表态")
        chair = decision.host_id
        if chair is None:
            chairs = secretaries(decision.unit) & {a.person_id for a in present}
            chair = next(iter(chairs), None)
        if chair is not None and opinions and chair in spoke:
            position = [o.person_id for o in opinions].index(chair) + 1
            if position != len(opinions):
                problems.append(f"主持人{names.get(chair, '')}未末位表态（第{position}个发言，共{len(opinions)}人）")
        if decision.result == Decision.Result.PASSED:
            voters = due - sum(1 for a in attendances if a.recused)
            agree = sum(
                1
                for o in opinions
                if o.stance == Opinion.Stance.AGREE
                and not any(a.recused and a.person_id == o.person_id for a in attendances)
            )
            if agree * 2 <= voters:
                problems.append(f"赞成{agree}票，未超过应到会党组成员{voters}人的半数，不能作出通过的决定")
    elif decision.meeting_kind == Decision.MeetingKind.PARTY:
        problems.append("未记录到会情况")
    return problems


def refresh(decision: Decision) -> Decision:
    decision.problems = check(decision)
    decision.problem_count = len(decision.problems)
    decision.save(update_fields=["problems", "problem_count", "updated_at"])
    return decision


@transaction.atomic
def decision_create(
    *, actor: Any, unit: Unit, kind: str, title: str, proposal: str, amount_wan: Decimal | None = None
) -> Decision:
    access.require(actor, MANAGE, unit)
    problems = []
    if kind not in Kind.values:
        problems.append("请选择事项类别")
    if not title.strip():
        problems.append("请填写事项")
    if not proposal.strip():
        problems.append("请填写议题内容")
    if amount_wan is not None and amount_wan < 0:
        problems.append("涉及金额不能为负数")
    if kind == Kind.FUNDS and amount_wan is None:
        problems.append("大额度资金运作须填写涉及金额")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    decision = Decision(
        unit=unit,
        kind=kind,
        title=title.strip()[:200],
        proposal=proposal.strip(),
        amount_wan=amount_wan,
        recorded_by=actor,
    )
    decision.full_clean()
    decision.save()
    audit.record(
        actor=actor,
        action="decision.create",
        obj=decision,
        changes={"kind": kind, "title": decision.title, "amount_wan": amount_wan},
    )
    return decision


@transaction.atomic
def decision_prepare(*, actor: Any, decision: Decision, kind: str, date: dt.date | None, note: str) -> Preparation:
    """A 调研论证 or 征求意见 record."""
    access.require(actor, MANAGE, decision.unit)
    if kind not in Preparation.Kind.values:
        raise UserError("请选择类别（调研论证或征求意见）", field="kind")
    if date is None or date > timezone.localdate():
        raise UserError("请填写日期（不能晚于今天）", field="date")
    if not note.strip():
        raise UserError("请填写情况", field="note")
    prep = Preparation.objects.create(decision=decision, kind=kind, date=date, note=note.strip(), recorded_by=actor)
    audit.record(actor=actor, action="decision.prepare", obj=decision, changes={"kind": kind, "date": date})
    refresh(decision)
    return prep


@transaction.atomic
def decision_meeting(
    *,
    actor: Any,
    decision: Decision,
    meeting_kind: str,
    meeting_date: dt.date | None,
    present: list[Person],
    recused: list[Person] | None = None,
    host: Person | None = None,
) -> Decision:
    """The meeting: its kind and date, the chair, and for each member of the 班子 present or absent, recused or
    not. Recorded once, before any opinion."""
    access.require(actor, MANAGE, decision.unit)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    recused = recused or []
    problems = []
    if decision.attendances.exists():
        problems.append("到会情况已登记，不能重复登记")
    if meeting_kind not in Decision.MeetingKind.values:
        problems.append("请选择决策会议")
    if meeting_date is None:
        problems.append("请填写会议日期")
    elif meeting_date > timezone.localdate():
        problems.append("会议日期不能晚于今天（登记已召开的会议）")
    team = {p.pk: p for p in members(decision.unit)}
    if not team:
        problems.append("本单位尚未配置党组成员（党组书记、班子成员、纪检组长角色）")
    strangers = [p.name for p in [*present, *recused] if p.pk not in team]
    if strangers:
        problems.append(f"{'、'.join(strangers)}不是本单位党组成员")
    if host is not None and host.pk not in {p.pk for p in present}:
        problems.append("主持人须为到会人员")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    present_ids, recused_ids = {p.pk for p in present}, {p.pk for p in recused}
    Attendance.objects.bulk_create(
        Attendance(decision=decision, person=p, present=p.pk in present_ids, recused=p.pk in recused_ids)
        for p in team.values()
    )
    decision.meeting_kind, decision.meeting_date, decision.host = meeting_kind, meeting_date, host
    decision.save(update_fields=["meeting_kind", "meeting_date", "host", "updated_at"])
    audit.record(
        actor=actor,
        action="decision.meeting",
        obj=decision,
        changes={
            "meeting_kind": meeting_kind,
            "meeting_date": meeting_date,
            "present": [p.name for p in present],
            "recused": [p.name for p in recused],
        },
    )
    return refresh(decision)


@transaction.atomic
def decision_opinion(*, actor: Any, decision: Decision, person: Person | None, stance: str, text: str = "") -> Opinion:
    """The next opinion in speaking order. Only a member present at the meeting may state one (a recused member's
    is recorded and flagged by the checker)."""
    access.require(actor, MANAGE, decision.unit)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if person is None:
        raise UserError("请选择表态人", field="person")
    if stance not in Opinion.Stance.values:
        raise UserError("请选择表态（同意、不同意或弃权）", field="stance")
    attendance = decision.attendances.filter(person=person).first()
    if attendance is None or not attendance.present:
        raise UserError(f"{person.name}未到会，不能表态", field="person")
    if decision.opinions.filter(person=person).exists():
        raise UserError(f"{person.name}已表态", field="person")
    order = decision.opinions.count() + 1
    opinion = Opinion.objects.create(decision=decision, person=person, order=order, stance=stance, text=text.strip())
    audit.record(
        actor=actor,
        action="decision.opinion",
        obj=decision,
        changes={"person": person.name, "order": order, "stance": stance},
    )
    refresh(decision)
    return opinion


@transaction.atomic
def decision_conclude(*, actor: Any, decision: Decision, result: str, text: str) -> Decision:
    """The decision taken (通过 or 未通过) and its content (the 纪要's words)."""
    access.require(actor, MANAGE, decision.unit)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if result not in (Decision.Result.PASSED, Decision.Result.REJECTED):
        raise UserError("请选择决定（通过或未通过）", field="result")
    if decision.result != Decision.Result.PENDING:
        raise UserError("该事项已作出决定")
    if not text.strip():
        raise UserError("请填写决定内容", field="text")
    decision.result, decision.decision_text = result, text.strip()
    decision.save(update_fields=["result", "decision_text", "updated_at"])
    audit.record(actor=actor, action="decision.conclude", obj=decision, changes={"result": result})
    return refresh(decision)
