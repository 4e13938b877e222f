"""回应口径: drafted by anyone who records the incident, approved by the responsible leader — the incident's leader on
duty or the secretary, never the drafter — and only then released. Approval stores the text as approved (a
snapshot): editing the draft afterwards changes neither it nor what is released, until it is approved again. A
released 口径 is final; a further statement is a new 口径."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.opinion.models import OpinionIncident, ResponseStatement
from qingfeng.opinion.services.incidents import RECORD, active_accounts, secretaries
from qingfeng.org import access

APPROVE = "opinion.approve"


def _lock(statement: ResponseStatement) -> ResponseStatement:
    return (
        ResponseStatement.objects.select_for_update(of=("self",))
        .select_related("incident", "unit")
        .get(pk=statement.pk)
    )


def may_approve(actor: Any, statement: ResponseStatement) -> bool:
    """Holds the code, and is the incident's leader on duty or a secretary of the unit (not the rule on the drafter)."""
    person = getattr(actor, "person", None)
    if person is None or not access.can(actor, APPROVE, statement.unit):
        return False
    return person.pk == statement.incident.leader_id or person in secretaries(statement.unit)


@transaction.atomic
def statement_draft(*, actor: Any, incident: OpinionIncident, title: str, text: str) -> ResponseStatement:
    access.require(actor, RECORD, incident.unit)
    if not text.strip():
        raise UserError("请填写口径内容", field="text")
    if incident.reviewed_at is not None:
        raise UserError("事件已复盘，不能再起草口径")
    statement = ResponseStatement.objects.create(
        incident=incident,
        unit=incident.unit,
        title=(title.strip() or "回应口径")[:100],
        text=text.strip(),
        drafted_by=actor,
    )
    audit.record(actor=actor, action="opinion.statement_draft", obj=statement, changes={"text": statement.text})
    leaders = active_accounts([p for p in [incident.leader] if p is not None]) or active_accounts(
        secretaries(incident.unit)
    )
    recipients = [u for u in leaders if u.pk != actor.pk]
    if recipients:
        notify.send(
            recipients=recipients,
            title=f"回应口径待审批：{incident.title}",
            body=f"{actor}起草了“{statement.title}”，请审批后发布。",
            link=incident.get_absolute_url(),
        )
    return statement


@transaction.atomic
def statement_update(*, actor: Any, statement: ResponseStatement, text: str) -> ResponseStatement:
    access.require(actor, RECORD, statement.unit)
    statement = _lock(statement)
    if statement.status == ResponseStatement.Status.RELEASED:
        raise UserError("口径已发布，不能修改；如需再次回应，请起草新的口径")
    if not text.strip():
        raise UserError("请填写口径内容", field="text")
    before = statement.text
    statement.text = text.strip()
    statement.save(update_fields=["text", "updated_at"])
    audit.record(
        actor=actor, action="opinion.statement_update", obj=statement, changes={"text": [before, statement.text]}
    )
    return statement


@transaction.atomic
def statement_approve(*, actor: Any, statement: ResponseStatement) -> ResponseStatement:
    access.require(actor, APPROVE, statement.unit)
    statement = _lock(statement)
    if statement.status == ResponseStatement.Status.RELEASED:
        raise UserError("口径已发布，不能再审批")
    if statement.status == ResponseStatement.Status.APPROVED and not statement.draft_changed:
        raise UserError("口径已审批，草稿未修改，无须再次审批")
    if statement.drafted_by_id == actor.pk:
        raise UserError("起草人不能审批自己起草的口径，请由负责领导审批")
    if not may_approve(actor, statement):
        leader = statement.incident.leader
        who = f"负责领导{leader.name}或党组书记" if leader else "党组书记"
        raise UserError(f"本事件的口径须由{who}审批")
    now = timezone.now()
    statement.status = ResponseStatement.Status.APPROVED
    statement.approved_text = statement.text
    statement.approved_by, statement.approved_at = actor, now
    statement.save(update_fields=["status", "approved_text", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=actor, action="opinion.statement_approve", obj=statement, changes={"approved_text": statement.text}
    )
    drafter = statement.drafted_by
    if drafter.is_active and drafter.pk != actor.pk:
        notify.send(
            recipients=[drafter],
            title=f"回应口径已审批：{statement.incident.title}",
            body=f"{actor}已审批“{statement.title}”，可以发布。",
            link=statement.incident.get_absolute_url(),
        )
    return statement


@transaction.atomic
def statement_release(*, actor: Any, statement: ResponseStatement, channel: str = "") -> ResponseStatement:
    """Mark the approved text released (what was approved, whatever the draft says now)."""
    access.require(actor, RECORD, statement.unit)
    statement = _lock(statement)
    if statement.status == ResponseStatement.Status.RELEASED:
        raise UserError("口径已经发布")
    if statement.status != ResponseStatement.Status.APPROVED:
        raise UserError("口径须经负责领导审批后才能发布")
    statement.status = ResponseStatement.Status.RELEASED
    statement.released_by, statement.released_at = actor, timezone.now()
    statement.channel = channel.strip()[:100]
    statement.save(update_fields=["status", "released_by", "released_at", "channel", "updated_at"])
    audit.record(
        actor=actor,
        action="opinion.statement_release",
        obj=statement,
        changes={"released_text": statement.approved_text, "channel": statement.channel},
    )
    return statement
