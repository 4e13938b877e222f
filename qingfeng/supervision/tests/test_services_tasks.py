"""交办, 事不过夜, 签收, 提交审核, 办结 and 退回: who may, what they see in the timeline and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.org.models import Person
from qingfeng.supervision.models import Task, TaskEvent, TaskPart
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import (
    task_approve,
    task_create,
    task_return,
    task_sign_for,
    task_submit,
)
from qingfeng.supervision.tests.factories import (
    D,
    at,
    draft,
    lead_part,
    make_task,
    part_of,
    signed_task,
    submitted_task,
    zhao,
)


def _actions(task: Task) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="supervision.task", object_id=str(task.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


# 交办 -----------------------------------------------------------------------------------------------------------


def test_the_clerk_assigns_a_task_with_a_yearly_number_and_one_part_per_department(cast, clock) -> None:
    first = make_task(cast)
    second = make_task(cast, partner_departments=[cast.departments["计划项目股"]])
    assert (first.number, second.number) == ("督〔2023〕1号", "督〔2023〕2号")
    assert second.status == Task.Status.PENDING_SIGN
    assert second.original_deadline == second.deadline == D(2023, 9, 28)
    roles = dict(TaskPart.objects.filter(task=second).values_list("department__name", "role"))
    assert roles == {"财务股": "lead", "计划项目股": "partner"}
    assert _actions(second) == ["task.create"]
    assert list(second.events.values_list("kind", flat=True)) == [TaskEvent.Kind.ASSIGNED]


def test_the_numbering_starts_again_each_year(cast, clock) -> None:
    make_task(cast)
    clock.set(at(2024, 1, 2))
    task = make_task(cast, deadline=D(2024, 1, 31))
    assert task.number == "督〔2024〕1号"


def test_assignment_notifies_the_heads_of_the_departments_and_the_responsible_person(cast, clock) -> None:
    make_task(cast)
    titles = Notification.objects.filter(title__startswith="新督办事项待签收").values_list(
        "recipient__username", flat=True
    )
    assert set(titles) == {"head", "staff"}


@pytest.mark.parametrize("role", ["head", "staff", "leader", "secretary", "superior", "outsider", "sysadmin"])
def test_only_the_clerk_may_assign_a_task(cast, clock, role) -> None:
    with pytest.raises(PermissionDenied):
        task_create(actor=cast.users[role], unit=cast.bureau, draft=draft(cast))
    assert not Task.objects.exists()


def test_a_deadline_before_the_day_of_assignment_is_refused(cast, clock) -> None:
    with pytest.raises(UserError, match="完成时限2023年9月1日早于交办日期2023年9月4日"):
        make_task(cast, deadline=D(2023, 9, 1))


def test_assigning_to_someone_who_has_left_is_refused_and_changes_nothing(cast, clock) -> None:
    Person.objects.filter(pk=cast.users["staff"].person.pk).update(status=Person.Status.LEFT)
    events = AuditEvent.objects.count()
    with pytest.raises(UserError, match="责任人“杨丽娟”已离岗，不能交办"):
        make_task(cast, responsible_person=Person.objects.get(pk=cast.users["staff"].person.pk))
    assert not Task.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_lead_leader_must_be_an_active_member_of_the_leadership(cast, clock) -> None:
    with pytest.raises(UserError, match="牵头领导“陈文斌”不是班子成员"):
        make_task(cast, lead_leader=cast.users["head"].person)


def test_a_responsible_person_must_belong_to_the_lead_department(cast, clock) -> None:
    with pytest.raises(UserError, match="责任人“刘海燕”不在牵头单位“财务股”"):
        make_task(cast, responsible_person=cast.users["clerk"].person)


def test_a_long_term_task_may_have_no_deadline_but_a_limited_one_must(cast, clock) -> None:
    assert make_task(cast, kind=Task.Kind.LONG_TERM, deadline=None).deadline is None
    with pytest.raises(UserError, match="请填写完成时限"):
        make_task(cast, deadline=None)


def test_a_subtask_may_not_end_after_its_parent(cast, clock) -> None:
    parent = make_task(cast)
    with pytest.raises(UserError, match="子任务的完成时限不能晚于上级任务的时限2023年9月28日"):
        task_create(
            actor=cast.users["clerk"], unit=cast.bureau, draft=draft(cast, deadline=D(2023, 10, 31)), parent=parent
        )
    child = task_create(
        actor=cast.users["clerk"], unit=cast.bureau, draft=draft(cast, deadline=D(2023, 9, 20)), parent=parent
    )
    assert list(parent.subtasks.all()) == [child]


# 事不过夜 --------------------------------------------------------------------------------------------------------


def test_a_task_assigned_in_working_hours_must_be_signed_by_1730_that_day(cast, clock) -> None:
    clock.set(at(2023, 9, 4, 10, 0))
    task = make_task(cast)
    assert task.sign_deadline == at(2023, 9, 4, 17, 30)
    assert lead_part(task).sign_deadline == at(2023, 9, 4, 17, 30)


def test_a_task_assigned_after_hours_must_be_signed_by_the_end_of_the_next_working_day(cast, clock) -> None:
    clock.set(at(2023, 9, 28, 18, 0))  # the eve of 中秋/国庆: the next working day is Saturday 10-07
    task = make_task(cast, deadline=D(2023, 10, 31))
    assert task.sign_deadline == at(2023, 10, 7, 17, 30)


def test_a_task_assigned_on_a_holiday_must_be_signed_by_the_end_of_the_next_working_day(cast, clock) -> None:
    clock.set(at(2023, 10, 1, 10, 0))
    task = make_task(cast, deadline=D(2023, 10, 31))
    assert task.sign_deadline == at(2023, 10, 7, 17, 30)


def test_signing_after_the_limit_is_recorded_as_late(cast, clock) -> None:
    task = make_task(cast)
    clock.set(at(2023, 9, 5, 9, 0))
    part = task_sign_for(actor=cast.users["head"], part=lead_part(task))
    assert part.signed_late
    assert task.events.get(kind=TaskEvent.Kind.SIGNED).note == "超时签收"


# 签收 ------------------------------------------------------------------------------------------------------------


def test_the_head_signs_for_the_lead_part_and_the_task_is_in_progress(cast, clock) -> None:
    task = make_task(cast)
    clock.set(at(2023, 9, 4, 11, 0))
    part = task_sign_for(actor=cast.users["head"], part=lead_part(task))
    task.refresh_from_db()
    assert (part.status, part.signed_by, part.signed_late) == ("in_progress", cast.users["head"], False)
    assert (task.status, task.signed_at) == (Task.Status.IN_PROGRESS, at(2023, 9, 4, 11, 0))
    assert _actions(task) == ["task.create", "task.sign_for"]
    assert Notification.objects.filter(recipient=cast.users["clerk"], title__startswith="财务股已签收").exists()


def test_the_responsible_person_may_sign_for_the_part_of_their_department(cast, clock) -> None:
    task = make_task(cast)
    task_sign_for(actor=cast.users["staff"], part=lead_part(task))
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS


def test_it_rejects_sign_for_by_other_department(cast, clock) -> None:
    task = make_task(cast, lead_department=cast.departments["计划项目股"], responsible_person=None)
    with pytest.raises(UserError, match="只有“计划项目股”的负责人或本任务责任人可以签收"):
        task_sign_for(actor=cast.users["head"], part=lead_part(task))
    assert lead_part(task).status == TaskPart.Status.PENDING_SIGN


@pytest.mark.parametrize("role", ["clerk", "leader", "secretary", "superior", "outsider", "auditor"])
def test_roles_without_the_sign_permission_may_not_sign(cast, clock, role) -> None:
    task = make_task(cast)
    with pytest.raises(PermissionDenied):
        task_sign_for(actor=cast.users[role], part=lead_part(task))


def test_a_part_cannot_be_signed_twice(cast, clock) -> None:
    task = signed_task(cast)
    with pytest.raises(UserError, match="“财务股”已签收该任务，无需重复签收"):
        task_sign_for(actor=cast.users["staff"], part=lead_part(task))


def test_a_partner_part_is_signed_on_its_own_and_does_not_move_the_task(cast, clock) -> None:
    task = make_task(
        cast,
        lead_department=cast.departments["计划项目股"],
        responsible_person=None,
        partner_departments=[cast.departments["财务股"]],
    )
    task_sign_for(actor=cast.users["head"], part=part_of(task, "财务股"))
    assert Task.objects.get(pk=task.pk).status == Task.Status.PENDING_SIGN
    assert part_of(task, "财务股").status == TaskPart.Status.IN_PROGRESS


# 提交审核 --------------------------------------------------------------------------------------------------------


def test_the_lead_unit_submits_and_the_lead_leader_and_clerks_are_told(cast, clock) -> None:
    task = signed_task(cast)
    task = task_submit(actor=cast.users["staff"], task=task)
    assert task.status == Task.Status.PENDING_REVIEW
    told = Notification.objects.filter(title__startswith="督办事项待审核").values_list("recipient__username", flat=True)
    assert set(told) == {"leader", "clerk"}


def test_a_task_cannot_be_submitted_before_every_partner_has_signed(cast, clock) -> None:
    task = signed_task(cast, partner_departments=[cast.departments["计划项目股"]])
    with pytest.raises(UserError, match="配合单位“计划项目股”尚未签收，不能提交审核"):
        task_submit(actor=cast.users["head"], task=task)


def test_a_task_not_signed_cannot_be_submitted(cast, clock) -> None:
    task = make_task(cast)
    with pytest.raises(UserError, match="任务当前为“待签收”，不能提交审核"):
        task_submit(actor=cast.users["head"], task=task)


def test_only_the_lead_unit_may_submit(cast, clock) -> None:
    with pytest.raises(PermissionDenied):
        task_submit(actor=cast.users["clerk"], task=signed_task(cast))
    led_by_planning = make_task(
        cast,
        lead_department=cast.departments["计划项目股"],
        partner_departments=[cast.departments["财务股"]],
        responsible_person=None,
    )
    with pytest.raises(UserError, match="只有牵头单位“计划项目股”的负责人或本任务责任人可以提交审核"):
        task_submit(actor=cast.users["head"], task=led_by_planning)


# 办结 and 退回 ---------------------------------------------------------------------------------------------------


def test_the_lead_leader_approves_with_a_rating_and_a_snapshot_of_what_was_approved(cast, clock) -> None:
    task = submitted_task(cast)
    clock.set(at(2023, 9, 6, 15, 0))
    task = task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.EXCELLENT, remark="措施扎实")
    assert (task.status, task.rating, task.rating_remark) == (Task.Status.DONE, 4, "措施扎实")
    assert (task.closed_by, task.closed_at, task.on_time) == (cast.users["leader"], at(2023, 9, 6, 15, 0), True)
    assert set(task.parts.values_list("status", flat=True)) == {TaskPart.Status.DONE}
    event = task.events.get(kind=TaskEvent.Kind.APPROVED)
    assert (event.actor, event.occurred_at) == (cast.users["leader"], at(2023, 9, 6, 15, 0))
    assert event.snapshot["number"] == task.number
    assert event.snapshot["percent"] == 100
    assert event.snapshot["last_report"]["text"] == "已全部完成"
    assert event.snapshot["rating_label"] == "优秀"
    assert event.note == "办结评价：优秀。措施扎实"
    assert _actions(task)[-1] == "task.approve"


def test_the_clerk_may_close_a_task_for_the_lead_leader(cast, clock) -> None:
    task = task_approve(actor=cast.users["clerk"], task=submitted_task(cast), rating=Task.Rating.GOOD)
    assert task.status == Task.Status.DONE


def test_a_reviewer_who_neither_leads_the_task_nor_is_the_clerk_is_refused(cast, clock) -> None:
    task = submitted_task(cast)
    with pytest.raises(UserError, match="只有牵头领导李志强或督查专员可以审核办结"):
        task_approve(actor=cast.users["secretary"], task=task, rating=Task.Rating.GOOD)
    assert Task.objects.get(pk=task.pk).status == Task.Status.PENDING_REVIEW


@pytest.mark.parametrize("role", ["head", "staff", "superior", "outsider"])
def test_roles_without_the_review_permission_may_not_approve(cast, clock, role) -> None:
    task = submitted_task(cast)
    with pytest.raises(PermissionDenied):
        task_approve(actor=cast.users[role], task=task, rating=Task.Rating.GOOD)


def test_approval_needs_a_rating(cast, clock) -> None:
    with pytest.raises(UserError, match="请选择办结评价"):
        task_approve(actor=cast.users["leader"], task=submitted_task(cast), rating=7)


def test_a_task_not_submitted_cannot_be_approved(cast, clock) -> None:
    with pytest.raises(UserError, match="任务当前为“办理中”，不能审核办结"):
        task_approve(actor=cast.users["leader"], task=signed_task(cast), rating=Task.Rating.GOOD)


def test_the_lead_leader_returns_a_task_with_a_reason_and_it_is_in_progress_again(cast, clock) -> None:
    task = submitted_task(cast)
    task = task_return(actor=cast.users["leader"], task=task, reason="佐证材料不全")
    assert (task.status, task.submitted_at) == (Task.Status.IN_PROGRESS, None)
    event = task.events.get(kind=TaskEvent.Kind.RETURNED)
    assert (event.note, event.actor, event.snapshot["status"]) == (
        "佐证材料不全",
        cast.users["leader"],
        "pending_review",
    )
    assert Notification.objects.filter(recipient=cast.users["staff"], title__startswith="督办事项被退回").exists()
    task_submit(actor=cast.users["head"], task=task)  # and it can be submitted again


def test_a_return_needs_a_reason(cast, clock) -> None:
    with pytest.raises(UserError, match="请填写退回理由"):
        task_return(actor=cast.users["leader"], task=submitted_task(cast), reason="  ")


def test_the_timeline_lists_every_transition_in_order_with_its_audit_event(cast, clock) -> None:
    task = submitted_task(cast)
    task = task_return(actor=cast.users["clerk"], task=task, reason="补充材料")
    task_submit(actor=cast.users["head"], task=task)
    task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.FAIR)
    kinds = list(task.events.order_by("occurred_at", "id").values_list("kind", flat=True))
    assert kinds == ["assigned", "signed", "reported", "submitted", "returned", "submitted", "approved"]
    assert _actions(task) == [
        "task.create",
        "task.sign_for",
        "task.report_progress",
        "task.submit",
        "task.return",
        "task.submit",
        "task.approve",
    ]


def test_a_task_led_by_a_leader_without_an_account_is_closed_by_the_clerk(cast, clock) -> None:
    task = submitted_task(cast, lead_leader=zhao())
    with pytest.raises(UserError, match="只有牵头领导赵春生或督查专员可以审核办结"):
        task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.GOOD)
    assert task_approve(actor=cast.users["clerk"], task=task, rating=Task.Rating.GOOD).status == Task.Status.DONE


def test_a_percent_below_100_does_not_stop_a_submission(cast, clock) -> None:
    """The reviewer judges the evidence; the percent is the unit's own estimate."""
    task = signed_task(cast)
    task_report_progress(actor=cast.users["staff"], part=lead_part(task), percent=60, text="推进中")
    assert task_submit(actor=cast.users["staff"], task=task).status == Task.Status.PENDING_REVIEW
