"""废改立: a proposal to make (立), revise (改) or repeal (废) a rule, then, in this order and each step recorded
with who and when:

1. 提出 (proposal_create): the drafting department gets a supervision task (source 其他模块) due on the drafting
   deadline; a proposal may come from a rectification finding (the chain of issue 9 item 7).
2. 起草 (the draft text; for a repeal, the 废止说明) → 征求意见 opens: anyone of the unit records a comment.
3. 征求意见 closes (at least one comment recorded).
4. 党组审议: the secretary records the 党组's approval with its date (rules.decide).
5. 发布: the new rule or version becomes current, or the rule becomes 已废止. (The drafting task is closed
   through supervision's own 办结 by its lead leader, like every 督办事项.)

A step asked for before the previous one is refused with a Chinese message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.org.roles import Role
from qingfeng.rules.models import Comment, Proposal, ProposalStep, Rule
from qingfeng.rules.services import registry
from qingfeng.supervision.models import Task
from qingfeng.supervision.services.tasks import TaskDraft, task_create

MANAGE, DECIDE, COMMENT = "rules.manage", "rules.decide", "rules.comment"
Stage = Proposal.Stage
ORDER = [Stage.PROPOSED, Stage.DRAFTED, Stage.CONSULTED, Stage.APPROVED, Stage.PUBLISHED]
STEP_LABELS = {
    Stage.PROPOSED: "提出",
    Stage.DRAFTED: "起草",
    Stage.CONSULTED: "征求意见",
    Stage.APPROVED: "党组审议",
    Stage.PUBLISHED: "发布",
}


def _lead_leader(unit: Unit, department: Department) -> Person | None:
    leader = (
        department.supervising_leaders.filter(is_leadership=True, status=Person.Status.ACTIVE)
        .order_by("order", "pk")
        .first()
    )
    if leader is not None:
        return leader
    leaders = Person.objects.filter(unit=unit, is_leadership=True, status=Person.Status.ACTIVE).order_by("order", "pk")
    secretary = leaders.filter(
        account__role_assignments__role=Role.SECRETARY, account__role_assignments__revoked_at__isnull=True
    ).first()
    return secretary or leaders.first()


@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    reason: str,
    department: Department | None,
    draft_deadline: dt.date | None,
    title: str = "",
    rule: Rule | None = None,
    finding: Any = None,
) -> Proposal:
    """Step 1: the proposal, and the drafting deadline as a 督办事项 of the drafting department."""
    access.require(actor, MANAGE, unit)
    problems = []
    if kind not in Proposal.Kind.values:
        problems.append("请选择类别（立、改或废）")
    elif kind == Proposal.Kind.MAKE:
        rule = None
        if not title.strip():
            problems.append("请填写拟制定的制度名称")
    elif rule is None or rule.unit_id != unit.pk:
        problems.append("修订或废止须选择本单位的一项制度")
    elif rule.status == Rule.Status.REPEALED:
        problems.append(f"《{rule.title}》已废止，不能再修订或废止")
    if rule is not None and not title.strip():
        title = rule.title
    if not reason.strip():
        problems.append("请填写理由")
    if department is None or department.unit_id != unit.pk:
        problems.append("请选择本单位的起草科室")
    if draft_deadline is None:
        problems.append("请填写起草时限")
    elif draft_deadline < timezone.localdate():
        problems.append("起草时限不能早于今天")
    if finding is not None and finding.unit_id != unit.pk:
        problems.append("整改问题不属于本单位")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    assert department is not None
    lead_leader = _lead_leader(unit, department)
    if lead_leader is None:
        raise UserError("本单位尚未登记班子成员，无法把起草时限交办为督办事项；请系统管理员先登记班子成员")
    proposal = Proposal(
        unit=unit,
        kind=kind,
        rule=rule,
        title=title.strip()[:200],
        reason=reason.strip(),
        department=department,
        draft_deadline=draft_deadline,
        finding=finding,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    draft = TaskDraft(
        title=f"【制度{proposal.get_kind_display()}】起草《{proposal.title}》"[:200],
        content=f"废改立：{proposal.reason[:500]}",
        lead_department=department,
        lead_leader=lead_leader,
        deadline=draft_deadline,
    )
    proposal.task = task_create(
        actor=actor,
        unit=unit,
        draft=draft,
        source=Task.Source.MODULE,
        source_ref=str(proposal)[:100],
        assign_perm=MANAGE,
    )
    proposal.save(update_fields=["task", "updated_at"])
    ProposalStep.objects.create(proposal=proposal, stage=Stage.PROPOSED, actor=actor, note=proposal.reason[:500])
    audit.record(
        actor=actor,
        action="rule_proposal.create",
        obj=proposal,
        changes={
            "kind": kind,
            "title": proposal.title,
            "rule": rule.pk if rule else None,
            "task": proposal.task.number,
        },
    )
    return proposal


def _advance(proposal: Proposal, to: str) -> Proposal:
    """Lock the proposal and check that `to` is its next step."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    current, target = ORDER.index(Stage(proposal.stage)), ORDER.index(Stage(to))
    if target <= current:
        raise UserError(f"“{STEP_LABELS[Stage(to)]}”环节已完成，不能重复办理")
    if target > current + 1:
        raise UserError(f"请先完成“{STEP_LABELS[ORDER[current + 1]]}”环节，再办理“{STEP_LABELS[Stage(to)]}”")
    return proposal


def _step(proposal: Proposal, to: str, actor: Any, note: str, fields: list[str]) -> Proposal:
    proposal.stage = to
    proposal.save(update_fields=["stage", *fields, "updated_at"])
    ProposalStep.objects.create(proposal=proposal, stage=to, actor=actor, note=note[:2000])
    audit.record(actor=actor, action=f"rule_proposal.{to}", obj=proposal, changes={"stage": to, "note": note[:200]})
    return proposal


@transaction.atomic
def proposal_draft(*, actor: Any, proposal: Proposal, text: str) -> Proposal:
    """Step 2: the draft (for a repeal, the 废止说明); 征求意见 opens."""
    access.require(actor, MANAGE, proposal.unit)
    proposal = _advance(proposal, Stage.DRAFTED)
    if not text.strip():
        raise UserError("请填写草案全文" if proposal.kind != Proposal.Kind.REPEAL else "请填写废止说明", field="text")
    if proposal.kind == Proposal.Kind.REVISE and proposal.rule and text.strip() == proposal.rule.text.strip():
        raise UserError("草案与现行版本全文相同", field="text")
    proposal.draft_text = text.strip()
    return _step(proposal, Stage.DRAFTED, actor, "草案已完成，开始征求意见", ["draft_text"])


@transaction.atomic
def proposal_comment(*, actor: Any, proposal: Proposal, text: str) -> Comment:
    """A 征求意见 comment, while 征求意见 is open."""
    access.require(actor, COMMENT, proposal.unit)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.stage != Stage.DRAFTED:
        raise UserError("该草案不在征求意见阶段")
    if not text.strip():
        raise UserError("请填写意见", field="text")
    comment = Comment.objects.create(proposal=proposal, author=actor, text=text.strip()[:5000])
    audit.record(actor=actor, action="rule_proposal.comment", obj=proposal, changes={"text": comment.text[:200]})
    return comment


@transaction.atomic
def proposal_close_consultation(*, actor: Any, proposal: Proposal, note: str = "") -> Proposal:
    """Step 3: 征求意见 closes; at least one comment must be on record."""
    access.require(actor, MANAGE, proposal.unit)
    proposal = _advance(proposal, Stage.CONSULTED)
    if not proposal.comments.exists():
        raise UserError("尚无征求意见记录，不能结束征求意见")
    return _step(proposal, Stage.CONSULTED, actor, note.strip() or "征求意见结束，提请党组审议", [])


@transaction.atomic
def proposal_approve(*, actor: Any, proposal: Proposal, day: dt.date | None, note: str = "") -> Proposal:
    """Step 4: the 党组's approval, recorded by the secretary with the meeting's date."""
    access.require(actor, DECIDE, proposal.unit)
    proposal = _advance(proposal, Stage.APPROVED)
    if day is None:
        raise UserError("请填写党组审议日期", field="day")
    if day > timezone.localdate():
        raise UserError("党组审议日期不能晚于今天", field="day")
    proposal.approved_on = day
    return _step(proposal, Stage.APPROVED, actor, note.strip() or "党组会议审议通过", ["approved_on"])


@transaction.atomic
def proposal_publish(
    *, actor: Any, proposal: Proposal, effective_date: dt.date | None, number: str = "", note: str = ""
) -> Proposal:
    """Step 5: 发布. 立: a new rule; 改: a new current version; 废: the rule is 已废止."""
    access.require(actor, MANAGE, proposal.unit)
    proposal = _advance(proposal, Stage.PUBLISHED)
    if effective_date is None:
        raise UserError("请填写生效（废止）日期", field="effective_date")
    if proposal.approved_on and effective_date < proposal.approved_on:
        raise UserError("生效（废止）日期不能早于党组审议日期", field="effective_date")
    if proposal.kind == Proposal.Kind.MAKE:
        proposal.rule = registry.rule_create(
            actor=actor,
            unit=proposal.unit,
            title=proposal.title,
            number=number,
            department=proposal.department,
            effective_date=effective_date,
            text=proposal.draft_text,
        )
    elif proposal.kind == Proposal.Kind.REVISE:
        assert proposal.rule is not None
        registry.rule_revise(
            actor=actor,
            rule=proposal.rule,
            text=proposal.draft_text,
            effective_date=effective_date,
            change_note=note.strip() or proposal.reason,
            number=number,
        )
    else:
        assert proposal.rule is not None
        registry.rule_repeal(actor=actor, rule=proposal.rule, day=effective_date, note=proposal.draft_text)
    return _step(proposal, Stage.PUBLISHED, actor, note.strip() or "已发布", ["rule"])


STEPS = {
    Stage.DRAFTED: proposal_draft,
    Stage.CONSULTED: proposal_close_consultation,
    Stage.APPROVED: proposal_approve,
    Stage.PUBLISHED: proposal_publish,
}
