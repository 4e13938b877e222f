"""延期申请 and its decision: the original deadline stays on record and decides "on time"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.supervision.models import ExtensionRequest, Task, TaskEvent
from qingfeng.supervision.services.extensions import task_extension_decide, task_extension_request
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import task_approve, task_submit
from qingfeng.supervision.tests.factories import D, at, lead_part, make_task, signed_task

LATER = D(2023, 10, 31)


def _request(cast, task, role: str = "head", to=LATER) -> ExtensionRequest:  # type: ignore[no-untyped-def]
    return task_extension_request(actor=cast.users[role], task=task, requested_deadline=to, reason="需等待上级文件")


def test_the_lead_unit_asks_for_a_later_deadline_and_the_deciders_are_told(cast, clock) -> None:
    request = _request(cast, signed_task(cast))
    assert (request.status, request.current_deadline, request.requested_deadline) == (
        "pending",
        D(2023, 9, 28),
        D(2023, 10, 31),
    )
    told = Notification.objects.filter(title__startswith="延期申请待审批").values_list("recipient__username", flat=True)
    assert set(told) == {"leader", "clerk"}
    assert request.task.events.filter(kind=TaskEvent.Kind.EXTENSION_REQUESTED).exists()


def test_the_lead_leader_approves_and_only_the_current_deadline_moves(cast, clock) -> None:
    task = signed_task(cast)
    clock.set(at(2023, 9, 20, 9, 0))
    request = task_extension_decide(actor=cast.users["leader"], request=_request(cast, task), approve=True)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (D(2023, 10, 31), D(2023, 9, 28))
    assert (request.status, request.decided_by, request.decided_at) == (
        "approved",
        cast.users["leader"],
        at(2023, 9, 20, 9, 0),
    )
    assert request.snapshot["deadline_before"] == "2023-09-28"
    assert request.snapshot["deadline_after"] == "2023-10-31"
    assert AuditEvent.objects.filter(action="task.extension_approve", object_id=str(task.pk)).exists()


def test_a_task_finished_within_the_extension_but_after_the_original_deadline_is_not_on_time(cast, clock) -> None:
    task = signed_task(cast)
    task_extension_decide(actor=cast.users["clerk"], request=_request(cast, task), approve=True)
    clock.set(at(2023, 10, 10))
    task_report_progress(actor=cast.users["head"], part=lead_part(task), percent=100, text="完成")
    task_submit(actor=cast.users["head"], task=task)
    task = task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.GOOD)
    assert (task.completed_on, task.on_time) == (D(2023, 10, 10), False)


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(cast, clock) -> None:
    task = signed_task(cast)
    request = _request(cast, task)
    with pytest.raises(UserError, match="请填写不同意延期的理由"):
        task_extension_decide(actor=cast.users["leader"], request=request, approve=False)
    request = task_extension_decide(actor=cast.users["leader"], request=request, approve=False, note="时限不能突破")
    assert (request.status, request.decision_note) == ("refused", "时限不能突破")
    assert Task.objects.get(pk=task.pk).deadline == D(2023, 9, 28)
    assert Notification.objects.filter(recipient=cast.users["head"], title__startswith="延期申请未同意").exists()


def test_a_request_is_decided_only_once(cast, clock) -> None:
    request = _request(cast, signed_task(cast))
    task_extension_decide(actor=cast.users["leader"], request=request, approve=True)
    with pytest.raises(UserError, match="该延期申请已审批（已同意）"):
        task_extension_decide(actor=cast.users["clerk"], request=request, approve=True)


def test_the_requested_deadline_must_be_later_than_the_current_one(cast, clock) -> None:
    with pytest.raises(UserError, match="申请延至的日期须晚于现办理时限2023年9月28日"):
        _request(cast, signed_task(cast), to=D(2023, 9, 20))


def test_a_reason_is_required(cast, clock) -> None:
    with pytest.raises(UserError, match="请填写延期理由"):
        task_extension_request(
            actor=cast.users["head"], task=signed_task(cast), requested_deadline=D(2023, 10, 31), reason=""
        )


def test_one_pending_request_at_a_time(cast, clock) -> None:
    task = signed_task(cast)
    _request(cast, task)
    with pytest.raises(UserError, match="该任务已有待审批的延期申请"):
        _request(cast, task, role="staff")


def test_a_long_term_task_has_nothing_to_extend(cast, clock) -> None:
    with pytest.raises(UserError, match="长期坚持的任务没有办理时限"):
        _request(cast, make_task(cast, kind=Task.Kind.LONG_TERM, deadline=None))


@pytest.mark.parametrize("role", ["clerk", "leader", "secretary", "superior", "outsider"])
def test_only_the_responsible_unit_may_ask(cast, clock, role) -> None:
    with pytest.raises(PermissionDenied):
        _request(cast, signed_task(cast), role=role)


@pytest.mark.parametrize("role", ["head", "staff", "secretary", "inspector", "superior", "outsider"])
def test_only_the_lead_leader_or_the_clerk_may_decide(cast, clock, role) -> None:
    request = _request(cast, signed_task(cast))
    with pytest.raises(PermissionDenied):
        task_extension_decide(actor=cast.users[role], request=request, approve=True)
    assert ExtensionRequest.objects.get(pk=request.pk).status == "pending"


def test_a_leader_who_does_not_lead_the_task_may_not_decide(cast, clock) -> None:
    from qingfeng.supervision.tests.factories import zhao

    request = _request(cast, signed_task(cast, lead_leader=zhao()))
    with pytest.raises(UserError, match="只有牵头领导赵春生或督查专员可以审批延期申请"):
        task_extension_decide(actor=cast.users["leader"], request=request, approve=True)
