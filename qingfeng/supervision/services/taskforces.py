"""专班推进: set up (clerk or secretary), milestones kept by the 专班负责人 or the office, tasks put on its board."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import Person, Unit
from qingfeng.supervision.models import Milestone, Task, TaskForce
from qingfeng.supervision.services._common import account_of


def _check_people(unit: Unit, leader: Person | None, members: list[Person]) -> None:
    if leader is None:
        raise UserError("请选择专班负责人", field="leader")
    for person in [leader, *members]:
        if person.unit_id != unit.pk:
            raise UserError(f"“{person.name}”不是本单位人员", field="members")
        if person.status != Person.Status.ACTIVE:
            raise UserError(f"“{person.name}”已离岗", field="members")


@transaction.atomic
def taskforce_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    leader: Person | None,
    members: list[Person],
    goal: str,
    start: dt.date,
    end: dt.date,
) -> TaskForce:
    access.require(actor, "supervision.taskforce", unit)
    name, goal = name.strip(), goal.strip()
    if not name:
        raise UserError("专班名称不能为空", field="name")
    if not goal:
        raise UserError("请写明攻坚目标", field="goal")
    if end < start:
        raise UserError("计划完成日期不能早于开始日期", field="end")
    _check_people(unit, leader, members)
    taskforce = TaskForce(unit=unit, name=name[:100], leader=leader, goal=goal, start=start, end=end)
    taskforce.save()
    taskforce.members.set(members)
    audit.record(
        actor=actor,
        action="taskforce.create",
        obj=taskforce,
        changes={
            "name": name,
            "leader": leader.name,
            "members": sorted(p.name for p in members),
            "start": start,
            "end": end,
        },
    )
    recipients = [u for u in (account_of(p) for p in {leader, *members}) if u is not None]
    notify.send(
        recipients=recipients, title=f"您已加入专班：{name}", body=goal, link=f"/supervision/taskforces/{taskforce.pk}/"
    )
    return taskforce


def can_steer(actor: Any, taskforce: TaskForce) -> bool:
    """The office (who set it up) or the 专班负责人 keep its milestones."""
    person = getattr(actor, "person", None)
    return access.can(actor, "supervision.taskforce", taskforce.unit) or (
        person is not None and person.pk == taskforce.leader_id
    )


def _require_steer(actor: Any, taskforce: TaskForce) -> None:
    if not can_steer(actor, taskforce):
        raise UserError(f"只有专班负责人{taskforce.leader.name}或办公室可以维护专班节点")
    if taskforce.status != TaskForce.Status.ACTIVE:
        raise UserError("专班已完成，不能再修改")


@transaction.atomic
def milestone_add(*, actor: Any, taskforce: TaskForce, title: str, due: dt.date) -> Milestone:
    _require_steer(actor, taskforce)
    title = title.strip()
    if not title:
        raise UserError("节点名称不能为空", field="title")
    if due < taskforce.start:
        raise UserError("节点时间不能早于专班开始日期", field="due")
    milestone = Milestone.objects.create(taskforce=taskforce, title=title[:200], due=due)
    audit.record(actor=actor, action="taskforce.milestone_add", obj=taskforce, changes={"title": title, "due": due})
    return milestone


@transaction.atomic
def milestone_done(*, actor: Any, milestone: Milestone, note: str = "") -> Milestone:
    _require_steer(actor, milestone.taskforce)
    if milestone.done_on is not None:
        raise UserError("该节点已完成")
    milestone.done_on, milestone.note = timezone.localdate(), note.strip()[:300]
    milestone.save(update_fields=["done_on", "note", "updated_at"])
    audit.record(
        actor=actor,
        action="taskforce.milestone_done",
        obj=milestone.taskforce,
        changes={"title": milestone.title, "done_on": milestone.done_on},
    )
    return milestone


@transaction.atomic
def taskforce_attach(*, actor: Any, taskforce: TaskForce, task: Task) -> TaskForce:
    """Put a 督办事项 of the unit on the 专班's board."""
    access.require(actor, "supervision.assign", taskforce.unit)
    if task.unit_id != taskforce.unit_id:
        raise UserError("只能纳入本单位的督办事项")
    if taskforce.tasks.filter(pk=task.pk).exists():
        raise UserError("该事项已在专班中")
    taskforce.tasks.add(task)
    audit.record(actor=actor, action="taskforce.attach", obj=taskforce, changes={"task": task.number})
    return taskforce


def progress(taskforce: TaskForce) -> dict[str, Any]:
    """The progress line: milestones done of all, and the average percent of its tasks."""
    milestones = list(taskforce.milestones.all())
    tasks = list(taskforce.tasks.all())
    done = sum(1 for m in milestones if m.done_on)
    today = timezone.localdate()
    return {
        "milestones_done": done,
        "milestones_total": len(milestones),
        "milestones_late": sum(1 for m in milestones if not m.done_on and m.due < today),
        "task_percent": round(sum(t.percent if t.status != Task.Status.DONE else 100 for t in tasks) / len(tasks))
        if tasks
        else 0,
        "tasks_done": sum(1 for t in tasks if t.status == Task.Status.DONE),
        "tasks_total": len(tasks),
    }
