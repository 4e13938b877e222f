"""工作部署: create one (a speech, document, 上级交办 or 会议纪要), then confirm its reviewed 任务分解表, which
creates all its tasks in one transaction — or none of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.calendar import WorkCalendar
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Person, Unit
from qingfeng.supervision.models import Deployment, Task
from qingfeng.supervision.services._common import cn_date
from qingfeng.supervision.services.tasks import TaskDraft, _assign, draft_problems, refresh_drafts


@transaction.atomic
def deployment_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    date: dt.date,
    kind: str = Deployment.Kind.SPEECH,
    issuing_leader: Person | None = None,
    text: str = "",
) -> Deployment:
    access.require(actor, "supervision.deploy", unit)
    title = title.strip()
    if not title:
        raise UserError("部署标题不能为空", field="title")
    if kind not in Deployment.Kind.values:
        raise UserError("请选择部署类别（会议讲话、文件、上级交办、会议纪要）", field="kind")
    if issuing_leader is not None:
        if issuing_leader.unit_id != unit.pk:
            raise UserError(f"部署领导“{issuing_leader.name}”不是本单位人员", field="issuing_leader")
        if issuing_leader.status != Person.Status.ACTIVE:
            raise UserError(f"部署领导“{issuing_leader.name}”已离岗", field="issuing_leader")
    deployment = Deployment(
        unit=unit, title=title, date=date, kind=kind, issuing_leader=issuing_leader, text=text, created_by=actor
    )
    deployment.full_clean(exclude=["unit", "issuing_leader", "created_by"])
    deployment.save()
    audit.record(
        actor=actor,
        action="deployment.create",
        obj=deployment,
        changes={
            "title": title,
            "date": date,
            "kind": kind,
            "issuing_leader": issuing_leader.name if issuing_leader else "",
        },
    )
    return deployment


@transaction.atomic
def deployment_confirm(*, actor: Any, deployment: Deployment, rows: list[TaskDraft]) -> list[Task]:
    """确认分解表:
    1. the deploy permission on the deployment's unit, and the deployment not yet confirmed;
    2. every row validated, EVERY problem collected with its row number (第N行) — one bad row and nothing is
       created;
    3. the tasks created in row order with consecutive 督办编号, each with its parts, timeline entry, audit event
       and sign-for notices; the deployment marked confirmed."""
    access.require(actor, "supervision.deploy", deployment.unit)
    deployment = Deployment.objects.select_for_update().select_related("unit").get(pk=deployment.pk)
    if deployment.status != Deployment.Status.DRAFT:
        raise UserError("该部署的分解表已确认，不能重复确认")
    if not rows:
        raise UserError("分解表没有任务，无法确认")
    refresh_drafts(rows)
    errors = [
        f"第{i}行：{problem}"
        for i, row in enumerate(rows, start=1)
        for problem in draft_problems(deployment.unit, row, earliest=deployment.date, earliest_label="部署日期")
    ]
    if errors:
        raise UserError(f"分解表有{len(errors)}处问题，未创建任何任务：" + "；".join(errors), errors=errors)
    calendar = WorkCalendar()
    tasks = [
        _assign(
            actor=actor,
            unit=deployment.unit,
            draft=row,
            source=Task.Source.DEPLOYMENT,
            deployment=deployment,
            calendar=calendar,
        )
        for row in rows
    ]
    deployment.status, deployment.confirmed_at, deployment.confirmed_by = (
        Deployment.Status.CONFIRMED,
        timezone.now(),
        actor,
    )
    deployment.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
    audit.record(
        actor=actor,
        action="deployment.confirm",
        obj=deployment,
        changes={
            "status": [Deployment.Status.DRAFT, Deployment.Status.CONFIRMED],
            "tasks": [t.number for t in tasks],
            "date": cn_date(deployment.date),
        },
    )
    return tasks
