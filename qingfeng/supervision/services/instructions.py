"""领导关注与批示: a leader marks a task 关注 and writes 批示 on it; the 牵头单位 sees the open 批示 at the top of
the task and must answer them in its next progress report (services/progress.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from qingfeng.core import notify
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.supervision.models import Instruction, Task, TaskEvent
from qingfeng.supervision.services._common import lock, person_of, record
from qingfeng.supervision.services.tasks import _responsible_accounts


def _require_leader_on(actor: Any, task: Task) -> None:
    """The instruct permission, a person on record, and the task within the actor's sight."""
    access.require(actor, "supervision.instruct", task.unit)
    if person_of(actor) is None:
        raise UserError("您的账号没有对应的在岗人员，不能关注或批示")
    if not Task.objects.filter(access.visible_q(actor, Task), pk=task.pk).exists():
        raise PermissionDenied("supervision.instruct")


@transaction.atomic
def task_watch(*, actor: Any, task: Task, watch: bool = True) -> Task:
    """关注 (or 取消关注) a task."""
    _require_leader_on(actor, task)
    task = lock(task)
    person = person_of(actor)
    watching = task.watchers.filter(pk=person.pk).exists()
    if watch == watching:
        return task
    if watch:
        task.watchers.add(person)
    else:
        task.watchers.remove(person)
    record(
        task=task,
        kind=TaskEvent.Kind.WATCHED if watch else TaskEvent.Kind.UNWATCHED,
        actor=actor,
        action="task.watch" if watch else "task.unwatch",
        changes={"watcher": person.name, "watching": [watching, watch]},
    )
    return task


@transaction.atomic
def task_instruct(*, actor: Any, task: Task, text: str) -> Instruction:
    """批示 on an open task; the leader also 关注s it."""
    _require_leader_on(actor, task)
    task = lock(task)
    if not task.is_open:
        raise UserError("任务已办结，不能再批示")
    text = text.strip()
    if not text:
        raise UserError("请填写批示内容", field="text")
    instruction = Instruction(task=task, unit_id=task.unit_id, author=actor, text=text)
    instruction.full_clean(exclude=["task", "unit", "author"])
    instruction.save()
    person = person_of(actor)
    if not task.watchers.filter(pk=person.pk).exists():
        task.watchers.add(person)
    record(
        task=task,
        kind=TaskEvent.Kind.INSTRUCTED,
        actor=actor,
        action="task.instruct",
        note=text,
        snapshot={"instruction": instruction.pk, "status": task.status, "percent": task.percent},
        changes={"instruction": instruction.pk, "text": text},
    )
    notify.send(
        recipients=_responsible_accounts(task),
        title=f"领导批示：{task.number}",
        body=f"{task.title}\n{person.name}批示：{text}\n请在下次进展报送中答复。",
        link=task.get_absolute_url(),
    )
    return instruction
