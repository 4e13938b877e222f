"""Rounds, the 问题清单 and its measures. A measure is assigned as a 督办事项 at once, so signing, progress,
reminders, escalation and 销号 (the task's review and approval) are the supervision module's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.rectification.models import Finding, Measure, Round
from qingfeng.supervision.models import Task
from qingfeng.supervision.services.tasks import TaskDraft, task_create

TASK_KIND = {
    Measure.Kind.IMMEDIATE: Task.Kind.IMMEDIATE,
    Measure.Kind.LIMITED: Task.Kind.LIMITED,
    Measure.Kind.LONG_TERM: Task.Kind.LONG_TERM,
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def round_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    body: str,
    kind: str,
    feedback_date: dt.date,
    rectify_until: dt.date | None = None,
    report_due: dt.date | None = None,
) -> Round:
    """The 集中整改期 and the 整改报告 default to two months after feedback (巡视工作条例)."""
    access.require(actor, "rectification.manage", unit)
    name, body = name.strip(), body.strip()
    if not name:
        raise UserError("请填写名称，如“市委第二轮巡察”", field="name")
    if kind not in Round.Kind.values:
        raise UserError("请选择类别", field="kind")
    rectify_until = rectify_until or add_months(feedback_date, 2)
    report_due = report_due or rectify_until
    if rectify_until < feedback_date:
        raise UserError("集中整改期截止不能早于反馈日期", field="rectify_until")
    round_ = Round(
        unit=unit,
        name=name[:100],
        body=body[:100],
        kind=kind,
        feedback_date=feedback_date,
        rectify_until=rectify_until,
        report_due=report_due,
        created_by=actor,
    )
    round_.save()
    audit.record(
        actor=actor,
        action="round.create",
        obj=round_,
        changes={"name": name, "kind": kind, "feedback_date": feedback_date, "rectify_until": rectify_until},
    )
    return round_


def check_finding(
    round_: Round, *, number: str, category: str, description: str, exclude: Finding | None = None
) -> list[str]:
    problems = []
    if not number.strip():
        problems.append("序号不能为空")
    elif Finding.objects.filter(round=round_, number=number.strip()).exclude(pk=getattr(exclude, "pk", None)).exists():
        problems.append(f"序号“{number.strip()}”已存在")
    if not category.strip():
        problems.append("问题类别不能为空")
    if not description.strip():
        problems.append("具体问题不能为空")
    return problems


@transaction.atomic
def finding_create(
    *,
    actor: Any,
    round_: Round,
    number: str,
    category: str,
    description: str,
    severity: str = "general",
    order: int = 0,
    audit_action: str = "finding.create",
) -> Finding:
    access.require(actor, "rectification.manage", round_.unit)
    problems = check_finding(round_, number=number, category=category, description=description)
    if severity not in Finding.Severity.values:
        problems.append("严重程度无效")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    finding = Finding.objects.create(
        round=round_,
        unit=round_.unit,
        number=number.strip(),
        category=category.strip(),
        description=description.strip(),
        severity=severity,
        order=order,
    )
    audit.record(
        actor=actor,
        action=audit_action,
        obj=finding,
        changes={"round": round_.name, "number": finding.number, "category": finding.category},
    )
    return finding


@transaction.atomic
def measure_create(
    *,
    actor: Any,
    finding: Finding,
    text: str,
    department: Department | None,
    lead_leader: Person | None,
    responsible_person: Person | None = None,
    deadline: dt.date | None = None,
    kind: str = Measure.Kind.LIMITED,
) -> Measure:
    """The measure and its 督办事项, assigned now (the department signs for it the same working day)."""
    access.require(actor, "rectification.manage", finding.unit)
    if not text.strip():
        raise UserError("整改措施不能为空", field="text")
    if kind not in Measure.Kind.values:
        raise UserError("请选择整改类型", field="kind")
    if kind != Measure.Kind.LONG_TERM and deadline is None:
        raise UserError("请填写整改时限（长期坚持的措施可不填）", field="deadline")
    round_ = finding.round
    draft = TaskDraft(
        title=f"【{round_.name}整改】{text.strip()[:120]}",
        content=f"问题{finding.number}（{finding.category}）：{finding.description}\n整改措施：{text.strip()}",
        lead_department=department,
        lead_leader=lead_leader,
        deadline=deadline,
        responsible_person=responsible_person,
        kind=TASK_KIND[kind],
    )
    task = task_create(
        actor=actor,
        unit=finding.unit,
        draft=draft,
        source=Task.Source.MODULE,
        source_ref=f"{round_.name}·问题{finding.number}",
        assign_perm="rectification.manage",
    )
    measure = Measure.objects.create(
        finding=finding,
        unit=finding.unit,
        text=text.strip(),
        lead_leader=lead_leader,
        department=department,
        responsible_person=responsible_person,
        deadline=deadline,
        kind=kind,
        task=task,
        order=finding.measures.count(),
    )
    audit.record(
        actor=actor,
        action="measure.create",
        obj=measure,
        changes={"finding": finding.number, "task": task.number, "department": department.name if department else ""},
    )
    return measure


def measure_status(measure: Measure) -> str:
    """未整改 / 整改中 / 已整改（销号） / 长期坚持, from its task."""
    return status_of(measure.task.status if measure.task is not None else None, measure.kind)


def status_of(task_status: str | None, kind: str) -> str:
    """measure_status from plain values: the status of the measure's task (None: no task yet) and its kind."""
    if task_status == Task.Status.DONE:
        return "已整改"
    if kind == Measure.Kind.LONG_TERM:
        return "长期坚持"
    if task_status is None or task_status == Task.Status.PENDING_SIGN:
        return "未整改"
    return "整改中"


def finding_status(measures: list[Measure]) -> str:
    """已整改 when every measure is closed; 长期坚持 measures stay open without holding the finding back."""
    if not measures:
        return "未整改"
    states = [measure_status(m) for m in measures]
    if all(s in ("已整改", "长期坚持") for s in states):
        return "已整改" if "长期坚持" not in states else "长期坚持"
    return "未整改" if all(s == "未整改" for s in states) else "整改中"


def next_finding_number(round_: Round) -> str:
    """The 序号 after the largest numeric one of the round (\"1\" for the first finding)."""
    numbers = [int(n) for n in Finding.objects.filter(round=round_).values_list("number", flat=True) if n.isdigit()]
    return str(max(numbers, default=0) + 1)


def next_finding_order(round_: Round) -> int:
    last = Finding.objects.filter(round=round_).order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1
