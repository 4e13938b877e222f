"""领导关注与批示."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.supervision.models import Task, TaskEvent
from qingfeng.supervision.services.instructions import task_instruct, task_watch
from qingfeng.supervision.tests.factories import make_task, signed_task, submitted_task


def test_a_leader_marks_a_task_watched_and_unwatched(cast, clock) -> None:
    task = make_task(cast)
    task_watch(actor=cast.users["leader"], task=task)
    assert list(task.watchers.all()) == [cast.users["leader"].person]
    task_watch(actor=cast.users["leader"], task=task)  # twice is once
    task_watch(actor=cast.users["leader"], task=task, watch=False)
    assert not task.watchers.exists()
    kinds = list(task.events.values_list("kind", flat=True))
    assert kinds == [TaskEvent.Kind.ASSIGNED, TaskEvent.Kind.WATCHED, TaskEvent.Kind.UNWATCHED]
    assert AuditEvent.objects.filter(action="task.unwatch", object_id=str(task.pk)).exists()


def test_an_instruction_is_recorded_watched_and_sent_to_the_responsible_unit(cast, clock) -> None:
    task = signed_task(cast)
    instruction = task_instruct(actor=cast.users["secretary"], task=task, text="高度重视，限期办结")
    assert (instruction.author, instruction.answered_at) == (cast.users["secretary"], None)
    assert list(task.watchers.all()) == [cast.users["secretary"].person]
    assert task.events.get(kind=TaskEvent.Kind.INSTRUCTED).note == "高度重视，限期办结"
    told = Notification.objects.filter(title__startswith="领导批示").values_list("recipient__username", flat=True)
    assert set(told) == {"head", "staff"}


def test_an_instruction_needs_a_text_and_an_open_task(cast, clock) -> None:
    with pytest.raises(UserError, match="请填写批示内容"):
        task_instruct(actor=cast.users["leader"], task=make_task(cast), text=" ")
    from qingfeng.supervision.services.tasks import task_approve

    done = task_approve(actor=cast.users["leader"], task=submitted_task(cast), rating=Task.Rating.GOOD)
    with pytest.raises(UserError, match="任务已办结，不能再批示"):
        task_instruct(actor=cast.users["leader"], task=done, text="好")


@pytest.mark.parametrize("role", ["clerk", "head", "staff", "inspector", "superior", "outsider"])
def test_roles_without_the_instruct_permission_may_not_instruct(cast, clock, role) -> None:
    with pytest.raises(PermissionDenied):
        task_instruct(actor=cast.users[role], task=make_task(cast), text="批示")


def test_a_leader_may_not_instruct_on_a_task_outside_their_sight(cast, clock) -> None:
    from qingfeng.supervision.tests.factories import zhao

    task = make_task(cast, lead_leader=zhao(), lead_department=cast.departments["城建股"], responsible_person=None)
    with pytest.raises(PermissionDenied):
        task_instruct(actor=cast.users["leader"], task=task, text="批示")
