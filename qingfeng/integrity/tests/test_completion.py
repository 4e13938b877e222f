"""完成检查 (issue 7): a check is 待检查 until a risk manager completes it with the 检查情况 and its result (problems
found, or 未发现问题); no problem is added afterwards. A scheduled check is also a 督办事项 to the office with the end of
its period as deadline; completing the check closes the task, so the scan's reminders and escalation stop."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent
from qingfeng.integrity.models import RiskCheck, RiskPoint, RiskProblem
from qingfeng.integrity.services import risks, schedule
from qingfeng.supervision.models import Reminder, Task, TaskPart
from qingfeng.supervision.scan import scan

pytestmark = pytest.mark.django_db


def _point(cast):  # type: ignore[no-untyped-def]
    return risks.point_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        data=risks.PointData(
            area="资金拨付",
            department=cast.departments["财务股"],
            post="出纳",
            name="专项资金拨付审核",
            description="未按进度拨付、截留挪用",
            level=RiskPoint.Level.HIGH,
            controls="按进度审核拨付，双人复核",
            owner=cast.users["head"].person,
        ),
    )


def test_deadline_is_the_end_of_the_period_covered_with_thirty_days_at_least() -> None:
    today = dt.date(2024, 4, 20)
    assert schedule.period_end(dt.date(2024, 4, 15), "quarterly") == dt.date(2024, 6, 30)
    assert schedule.period_end(dt.date(2024, 11, 2), "half_yearly") == dt.date(2024, 12, 31)
    assert schedule.period_end(dt.date(2024, 2, 29), "yearly") == dt.date(2024, 12, 31)
    assert schedule.check_deadline(dt.date(2024, 4, 15), "quarterly", today) == dt.date(2024, 6, 30)
    # opened on the last days of its quarter: thirty days from the opening
    assert schedule.check_deadline(dt.date(2024, 6, 28), "quarterly", dt.date(2024, 6, 28)) == dt.date(2024, 7, 28)


def test_a_scheduled_check_is_a_task_to_the_office_closed_by_its_completion(cast, login) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    point = _point(cast)
    first = risks.check_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        name="资金拨付季度检查",
        date=today - dt.timedelta(days=100),
        points=[point],
        cycle="quarterly",
    )
    check = next(c for c in schedule.checks_due(today=today) if c.previous_id == first.pk)
    assert check.deadline == schedule.check_deadline(check.date, "quarterly", today) >= today + dt.timedelta(days=30)
    task = Task.objects.get(pk=check.task_id)
    lead = task.parts.get(role=TaskPart.Role.LEAD)
    assert task.source == Task.Source.MODULE and task.deadline == check.deadline and check.name in task.title
    assert lead.department == cast.departments["办公室"]
    assert task.lead_leader == cast.users["secretary"].person
    assert task.responsible_person == cast.users["clerk"].person
    opened = AuditEvent.objects.filter(action="riskcheck.schedule", object_id=str(check.pk)).get()
    assert opened.changes["task"] == task.number

    clerk = login("clerk")
    listing = clerk.get(reverse("integrity:check_list"), {"state": "pending"})
    assert check in listing.context["page_obj"] and "待检查" in listing.content.decode()
    # past its deadline the scan presses the office (unsigned, overdue, escalated) and the check is overdue
    late = timezone.now() + dt.timedelta(days=(check.deadline - today).days + 10)
    scan(now=late)
    assert Reminder.objects.filter(task=task, kind__in=[Reminder.Kind.UNSIGNED, Reminder.Kind.ESCALATE]).count() >= 2
    assert check.state(today=check.deadline + dt.timedelta(days=1)) == RiskCheck.State.OVERDUE
    assert check.state(today=check.deadline) == RiskCheck.State.PENDING

    # a problem found, then the completion: 未发现问题 is refused while a problem is registered
    url = reverse("integrity:check_detail", args=[check.pk])
    clerk.post(
        reverse("integrity:problem_new", args=[check.pk]),
        {"point": point.pk, "description": "一笔资金未按进度拨付", "route": "finding"},
    )
    complete = reverse("integrity:check_complete", args=[check.pk])
    refused = clerk.post(complete, {"summary": "逐笔核对拨付凭证", "no_problems": "on"}, follow=True)
    assert "本次检查已登记1个问题，不能以“未发现问题”完成" in refused.content.decode()
    assert RiskCheck.objects.get(pk=check.pk).completed_at is None
    done = clerk.post(complete, {"summary": "逐笔核对拨付凭证，发现1个问题已列入整改"}, follow=True)
    assert f"督办事项 {task.number} 已随之办结" in done.content.decode()
    check.refresh_from_db()
    assert check.state() == RiskCheck.State.DONE and check.result == RiskCheck.Result.FOUND
    assert check.completed_by == cast.users["clerk"] and check.summary.startswith("逐笔核对")
    assert RiskPoint.objects.get(pk=point.pk).last_checked_on == today
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.on_time and task.closed_by == cast.users["clerk"]
    assert not task.parts.exclude(status=TaskPart.Status.DONE).exists()
    assert AuditEvent.objects.filter(action="task.close_for_module", object_id=str(task.pk)).exists()
    event = AuditEvent.objects.filter(action="riskcheck.complete", object_id=str(check.pk)).get()
    assert event.changes["task"] == task.number and event.changes["problems"] == 1
    # the reminders stop
    sent = Reminder.objects.filter(task=task).count()
    scan(now=late + dt.timedelta(days=7))
    assert Reminder.objects.filter(task=task).count() == sent
    # the page: 已完成, no more problems, no second completion
    page = clerk.get(url).content.decode()
    assert "已完成" in page and "检查已完成，不能再登记问题" in page and "登记并转办" not in page
    with pytest.raises(UserError, match="检查已于.*完成，不能再登记发现的问题"):
        risks.problem_create(
            actor=cast.users["clerk"], check=check, point=point, description="又一个问题", route="finding"
        )
    with pytest.raises(UserError, match="不能重复完成"):
        risks.check_complete(actor=cast.users["clerk"], check=check, summary="再次完成")
    assert RiskProblem.objects.filter(check_run=check).count() == 1


def test_a_check_without_problems_completes_as_such_and_the_list_pins_its_queries(
    cast, login, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    point = _point(cast)
    inspector = cast.users["inspector"]
    check = risks.check_create(
        actor=inspector, unit=cast.bureau, name="专项资金检查", date=timezone.localdate(), points=[point]
    )
    with pytest.raises(UserError) as exc:
        risks.check_complete(actor=inspector, check=check, summary=" ")
    assert exc.value.errors == ["请填写检查情况", "本次检查尚未登记发现的问题：请先登记问题，或选择“未发现问题”"]
    assert RiskCheck.objects.get(pk=check.pk).completed_at is None
    # a department head sees the check (their department's point) but does not complete it
    assert login("head").post(reverse("integrity:check_complete", args=[check.pk]), {}).status_code == 403
    risks.check_complete(actor=inspector, check=check, summary="抽查10笔，均按规定拨付", no_problems=True)
    check.refresh_from_db()
    assert check.result == RiskCheck.Result.CLEAN and check.task_id is None
    client = login("secretary")
    done = client.get(reverse("integrity:check_list"), {"state": "done"})
    assert check in done.context["page_obj"] and "未发现问题" in done.content.decode()
    assert check not in client.get(reverse("integrity:check_list"), {"state": "pending"}).context["page_obj"]
    # session, user, role assignments, the person, count, page (with its counts), unread notices, the user's unit: 8
    # whatever the number of checks (the state is the row's own columns)
    with django_assert_num_queries(8):
        client.get(reverse("integrity:check_list"))
