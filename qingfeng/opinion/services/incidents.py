"""舆情事件: recording one (the person on duty), its steps in order, a screenshot, and the 督办事项 that counts it in
the department's ranking.

1. incident_create: found_at not in the future; the level the person on duty chose, or the suggestion when they
   left it; the rule that fired and its words are kept beside it. The leader on duty (the 分管 leader of the
   department concerned, else the secretary) and the office are told at once, with the 报告 limit.
2. One 督办事项 per incident for the department concerned (task_create, source 其他模块, due the day of the 处置完毕
   limit — the step that closes it; never before today), as soon as the department is known: at creation, or when a
   step names it (a monitoring import knows none). A task that cannot be assigned (no 分管 leader nor secretary who
   is a 班子成员…) is logged and the incident goes on without it: the clocks still run.
3. incident_step: the steps in their order (发现 → 报告 → 核实 → 研判 → 回应/引导 → 处置完毕 → 复盘), each at a time not
   before the previous step's nor in the future; 研判 may set the level. 处置完毕 closes the 督办事项
   (task_close_for_module). The press conference (新闻发布会) is a milestone of 重大/特别重大 after 报告."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.attachments import attachment_create
from qingfeng.core.errors import UserError
from qingfeng.core.models import Attachment
from qingfeng.opinion.models import (
    MAJOR_LEVELS,
    STEP_FIELD,
    STEP_ORDER,
    IncidentStep,
    Level,
    OpinionIncident,
    Step,
)
from qingfeng.opinion.services import clocks, severity
from qingfeng.org import access
from qingfeng.org.models import Department, Person, RoleAssignment, Unit, User
from qingfeng.org.roles import Role
from qingfeng.supervision.models import Task

log = logging.getLogger(__name__)
RECORD = "opinion.record"
# Screenshots: images or a PDF print of the page.
SCREENSHOT_TYPES = {"image/png", "image/jpeg", "application/pdf"}


def fmt(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


# --- who ----------------------------------------------------------------------------------------------------------


def active_accounts(people: list[Person]) -> list[User]:
    return list(User.objects.filter(person__in=people, is_active=True))


def secretaries(unit: Unit) -> list[Person]:
    return list(
        Person.objects.filter(
            account__role_assignments__unit=unit,
            account__role_assignments__role=Role.SECRETARY,
            account__role_assignments__revoked_at__isnull=True,
            status=Person.Status.ACTIVE,
        )
        .distinct()
        .order_by("order", "pk")
    )


def leader_for(unit: Unit, department: Department | None) -> Person | None:
    """The leader on duty for an incident: the 分管 leader of the department concerned, else the secretary."""
    if department is not None:
        leader = (
            Person.objects.filter(
                supervised_departments=department, unit=unit, is_leadership=True, status=Person.Status.ACTIVE
            )
            .order_by("order", "pk")
            .first()
        )
        if leader is not None:
            return leader
    return next(iter(secretaries(unit)), None)


def leader_accounts(incident: OpinionIncident) -> list[User]:
    """Who an escalation goes to: the leader on duty and the secretary."""
    people = [p for p in [incident.leader, *secretaries(incident.unit)] if p is not None]
    return active_accounts(people)


def office_accounts(unit: Unit) -> list[User]:
    """The office: the unit's 督查专员 (clerks)."""
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(unit=unit, role=Role.CLERK, revoked_at__isnull=True).values("user"),
        )
    )


def recording_unit(user: Any) -> Unit | None:
    """The unit an incident the user records belongs to: the first grant that lets them record."""
    from qingfeng.org.roles import PERMISSIONS

    return next((a.unit for a in access.assignments(user) if RECORD in PERMISSIONS.get(a.role, ())), None)


# --- create -------------------------------------------------------------------------------------------------------


@dataclass
class IncidentData:
    title: str
    source: str
    found_at: dt.datetime
    content: str = ""
    link: str = ""
    department: Department | None = None
    level: int | None = None  # None: take the suggestion


def _check_found_at(found_at: dt.datetime, now: dt.datetime) -> None:
    if found_at > now:
        raise UserError(f"发现时间{fmt(found_at)}晚于当前时间，不能登记未来的舆情", field="found_at")


@transaction.atomic
def incident_create(
    *, actor: Any, unit: Unit, data: IncidentData, screenshot: UploadedFile | None = None
) -> OpinionIncident:
    access.require(actor, RECORD, unit)
    now = timezone.now()
    _check_found_at(data.found_at, now)
    if not data.title.strip():
        raise UserError("请填写标题", field="title")
    if data.source not in OpinionIncident.Source.values:
        raise UserError("请选择来源", field="source")
    if data.department is not None and (data.department.unit_id != unit.pk or data.department.is_deleted):
        raise UserError(f"科室“{data.department.name}”不是本单位的科室", field="department")
    if data.level is not None and data.level not in Level.values:
        raise UserError("等级无效", field="level")
    suggestion = severity.suggest(unit_id=unit.pk, title=data.title, content=data.content)
    incident = OpinionIncident(
        unit=unit,
        title=data.title.strip()[:200],
        content=data.content.strip(),
        source=data.source,
        link=data.link.strip()[:500],
        department=data.department,
        leader=leader_for(unit, data.department),
        recorded_by=actor,
        level=data.level or suggestion.level,
        suggested_level=suggestion.level,
        suggested_rule_id=suggestion.rule_id,
        suggested_words="、".join(suggestion.words)[:200],
        found_at=data.found_at,
    )
    incident.full_clean(exclude=["unit", "department", "leader", "recorded_by", "suggested_rule", "task"])
    incident.save()
    IncidentStep.objects.create(
        incident=incident, unit=unit, step=Step.FOUND, at=data.found_at, actor=actor, note="值班登记"
    )
    audit.record(
        actor=actor,
        action="opinion.incident_create",
        obj=incident,
        changes={
            "title": incident.title,
            "source": incident.source,
            "found_at": incident.found_at,
            "level": incident.level,
            "suggested_level": suggestion.level,
            "suggested_rule": suggestion.rule_id,
            "department": data.department.name if data.department else "",
        },
    )
    if screenshot is not None:
        incident_attach(actor=actor, incident=incident, upload=screenshot)
    if incident.department_id:
        _assign_task(incident, actor)
    _notify_found(incident, actor)
    return incident


def _notify_found(incident: OpinionIncident, actor: Any) -> None:
    report = clocks.limit_of(incident, Step.REPORTED)
    recipients = {u.pk: u for u in office_accounts(incident.unit)}
    if incident.leader is not None:
        recipients.update({u.pk: u for u in active_accounts([incident.leader])})
    recipients.pop(actor.pk, None)
    if not recipients:
        return
    suggested = Level(incident.suggested_level).label if incident.suggested_level else ""
    body = (
        f"{incident.get_source_display()}发现：{incident.title}\n发现时间{fmt(incident.found_at)}，"
        f"等级{incident.get_level_display()}（规则建议{suggested}），值班登记人{actor}。"
    )
    if report is not None:
        body += f"\n请于{fmt(report.due_at)}前完成向带班领导报告。"
    notify.send(
        recipients=recipients.values(),
        title=f"新舆情（{incident.get_level_display()}）：{incident.title}",
        body=body,
        link=incident.get_absolute_url(),
    )


def _assign_task(incident: OpinionIncident, actor: Any) -> Task | None:
    """The incident's 督办事项 (decision 2), or None, logged."""
    from qingfeng.supervision.services.tasks import TaskDraft, task_create

    handle = clocks.limit_of(incident, Step.HANDLED)
    deadline = max(timezone.localtime(handle.due_at).date(), timezone.localdate()) if handle else None
    draft = TaskDraft(
        title=f"【舆情处置】{incident.title}"[:200],
        content=(
            f"{incident.get_level_display()}舆情，{fmt(incident.found_at)}经{incident.get_source_display()}发现。"
            f"请按发现→报告→核实→研判→回应/引导→处置完毕的环节在时限内处置；在舆情事件页面记录“处置完毕”后"
            "本事项随之办结。"
        ),
        lead_department=incident.department,
        lead_leader=incident.leader,
        deadline=deadline,
    )
    try:
        with transaction.atomic():
            task = task_create(
                actor=actor,
                unit=incident.unit,
                draft=draft,
                source=Task.Source.MODULE,
                source_ref=f"舆情事件{incident.pk}",
                assign_perm=RECORD,
            )
    except (UserError, PermissionDenied) as exc:
        log.warning("舆情事件%s未能生成督办事项：%s", incident.pk, exc)
        return None
    incident.task = task
    incident.save(update_fields=["task", "updated_at"])
    return task


# --- steps --------------------------------------------------------------------------------------------------------


def _require_order(incident: OpinionIncident, step: str, at: dt.datetime, now: dt.datetime) -> None:
    label = Step(step).label
    if at > now:
        raise UserError(f"“{label}”的时间{fmt(at)}晚于当前时间", field="at")
    if step == Step.PRESS:
        if incident.level not in MAJOR_LEVELS:
            raise UserError("新闻发布会只适用于重大、特别重大舆情", field="step")
        if incident.press_at is not None:
            raise UserError("新闻发布会已经记录", field="step")
        if incident.reported_at is None:
            raise UserError("须先记录“报告”，才能记录新闻发布会", field="step")
        if at < incident.reported_at:
            raise UserError(f"新闻发布会时间{fmt(at)}早于报告时间{fmt(incident.reported_at)}", field="at")
        return
    if step not in STEP_ORDER or step == Step.FOUND:
        raise UserError("请选择要记录的环节", field="step")
    if incident.time_of(step) is not None:
        raise UserError(f"“{label}”已经记录，不能重复记录", field="step")
    index = STEP_ORDER.index(step)
    previous = STEP_ORDER[index - 1]
    previous_at = incident.time_of(previous)
    if previous_at is None:
        missing = next(s for s in STEP_ORDER if incident.time_of(s) is None)
        raise UserError(f"须按顺序处置：先记录“{Step(missing).label}”，才能记录“{label}”", field="step")
    if at < previous_at:  # type: ignore[operator]
        raise UserError(
            f"“{label}”的时间{fmt(at)}早于上一环节“{Step(previous).label}”的时间{fmt(previous_at)}",  # type: ignore[arg-type]
            field="at",
        )


@transaction.atomic
def incident_step(
    *,
    actor: Any,
    incident: OpinionIncident,
    step: str,
    at: dt.datetime,
    note: str = "",
    department: Department | None = None,
    level: int | None = None,
) -> IncidentStep:
    """Record one step (decision 3). `department`: the department concerned, when the incident has none yet (its
    督办事项 is then assigned); `level`: a new level, at 研判 only."""
    access.require(actor, RECORD, incident.unit)
    incident = (
        OpinionIncident.objects.select_for_update(of=("self",)).select_related("unit", "leader").get(pk=incident.pk)
    )
    now = timezone.now()
    _require_order(incident, step, at, now)
    changes: dict[str, Any] = {"step": step, "at": at}
    if level is not None and level != incident.level:
        if step != Step.ASSESSED:
            raise UserError("等级只能在“研判”环节调整", field="level")
        if level not in Level.values:
            raise UserError("等级无效", field="level")
        changes["level"] = [incident.level, level]
        incident.level = level
    if department is not None and department.pk != incident.department_id:
        if incident.department_id:
            raise UserError(f"本事件已确定涉及科室“{incident.department}”", field="department")
        if department.unit_id != incident.unit_id or department.is_deleted:
            raise UserError(f"科室“{department.name}”不是本单位的科室", field="department")
        incident.department = department
        incident.leader = leader_for(incident.unit, department)
        changes["department"] = department.name
    row = IncidentStep.objects.create(
        incident=incident, unit=incident.unit, step=step, at=at, note=note.strip(), actor=actor
    )
    setattr(incident, STEP_FIELD[step], at)
    if step != Step.PRESS:
        incident.step = step
    incident.save(update_fields=[STEP_FIELD[step], "step", "level", "department", "leader", "updated_at"])
    audit.record(actor=actor, action="opinion.incident_step", obj=incident, changes=changes)
    if "department" in changes and incident.task_id is None:
        _assign_task(incident, actor)
    if step == Step.HANDLED and incident.task_id:
        from qingfeng.supervision.services.modules import task_close_for_module

        task = Task.objects.select_related("unit").get(pk=incident.task_id)
        task_close_for_module(actor=actor, task=task, perm=RECORD, note=f"舆情处置完毕（{fmt(at)}）：{note.strip()}")
    return row


@transaction.atomic
def incident_attach(*, actor: Any, incident: OpinionIncident, upload: UploadedFile) -> Attachment:
    """A screenshot of where it was found (an image, or the page printed to PDF)."""
    access.require(actor, RECORD, incident.unit)
    from qingfeng.core.attachments import check_upload

    mime = check_upload(upload)
    if mime not in SCREENSHOT_TYPES:
        raise UserError(f"文件“{upload.name}”不是截图（仅限 PNG、JPG 图片或 PDF）", field="screenshot")
    return attachment_create(actor=actor, owner=incident, unit=incident.unit, upload=upload)
