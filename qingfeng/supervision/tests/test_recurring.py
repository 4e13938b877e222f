"""周期性 tasks: closing one occurrence assigns the next period's, to the same people."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfeng.core.models import Notification
from qingfeng.org.models import Person
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services.tasks import period_end_after, task_approve
from qingfeng.supervision.tests.factories import D, submitted_task


@pytest.mark.parametrize(
    ("day", "recurrence", "end"),
    [
        (D(2023, 1, 31), "monthly", D(2023, 2, 28)),
        (D(2023, 12, 15), "monthly", D(2024, 1, 31)),
        (D(2023, 2, 10), "quarterly", D(2023, 6, 30)),
        (D(2023, 11, 30), "quarterly", D(2024, 3, 31)),
        (D(2023, 6, 30), "yearly", D(2024, 12, 31)),
        (D(2023, 2, 10), "halfyearly", D(2023, 12, 31)),
        (D(2023, 11, 30), "halfyearly", D(2024, 6, 30)),
    ],
)
def test_the_next_period_ends_where_the_calendar_says(day: dt.date, recurrence: str, end: dt.date) -> None:
    assert period_end_after(day, recurrence) == end


def test_closing_a_monthly_task_assigns_next_months_occurrence(cast, clock) -> None:
    task = submitted_task(
        cast,
        kind=Task.Kind.RECURRING,
        recurrence="monthly",
        deadline=D(2023, 9, 30),
        title="每月报送党风廉政建设工作进展",
    )
    task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.GOOD)
    nxt = Task.objects.exclude(pk=task.pk).get(title="每月报送党风廉政建设工作进展")
    assert (nxt.deadline, nxt.recurrence, nxt.status) == (D(2023, 10, 31), "monthly", Task.Status.PENDING_SIGN)
    assert nxt.source_ref == task.number and nxt.lead_leader == task.lead_leader
    assert TaskPart.objects.get(task=nxt, role="lead").department.name == "财务股"
    assert Notification.objects.filter(recipient=cast.users["head"], title=f"新督办事项待签收：{nxt.number}").exists()


def test_a_limited_task_has_no_next_occurrence(cast, clock) -> None:
    task = submitted_task(cast, title="一次性事项")
    task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.GOOD)
    assert Task.objects.filter(title="一次性事项").count() == 1


def test_when_the_responsible_person_has_left_the_clerk_is_told_instead(cast, clock) -> None:
    task = submitted_task(
        cast, kind=Task.Kind.RECURRING, recurrence="quarterly", deadline=D(2023, 9, 30), title="每季度廉政风险排查"
    )
    Person.objects.filter(pk=cast.users["staff"].person.pk).update(status=Person.Status.LEFT)
    task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.GOOD)
    assert Task.objects.filter(title="每季度廉政风险排查").count() == 1
    note = Notification.objects.get(recipient=cast.users["clerk"], title__startswith="周期性事项下一期未能自动交办")
    assert "已离岗" in note.body


def test_a_new_period_assigns_the_next_occurrence_even_if_the_last_is_still_open(cast, clock) -> None:
    from qingfeng.supervision.services.tasks import recurring_periods_start
    from qingfeng.supervision.tests.factories import at, make_task

    task = make_task(
        cast, kind=Task.Kind.RECURRING, recurrence="monthly", deadline=D(2023, 9, 30), title="每月报送意识形态工作情况"
    )
    clock.set(at(2023, 9, 29))
    assert recurring_periods_start() == []
    clock.set(at(2023, 10, 9))
    (nxt,) = recurring_periods_start()
    assert (nxt.deadline, nxt.source_ref) == (D(2023, 10, 31), task.number)
    assert recurring_periods_start() == []
    assert Task.objects.get(pk=task.pk).status == Task.Status.PENDING_SIGN  # the late one stays open


def test_closing_a_late_occurrence_after_its_successor_was_assigned_assigns_no_second_one(cast, clock) -> None:
    from qingfeng.supervision.services.tasks import recurring_periods_start
    from qingfeng.supervision.tests.factories import at

    late = submitted_task(
        cast, kind=Task.Kind.RECURRING, recurrence="monthly", deadline=D(2023, 9, 30), title="每月报送廉政风险排查"
    )
    Task.objects.filter(pk=late.pk).update(status=Task.Status.IN_PROGRESS, submitted_at=None)
    clock.set(at(2023, 10, 9))
    (october,) = recurring_periods_start()  # the new period starts while September's is still open
    Task.objects.filter(pk=late.pk).update(status=Task.Status.PENDING_REVIEW, submitted_at=clock())
    late.refresh_from_db()
    task_approve(actor=cast.users["leader"], task=late, rating=Task.Rating.GOOD)
    assert list(Task.objects.filter(title="每月报送廉政风险排查").exclude(pk=late.pk)) == [october]


def test_no_occurrence_after_the_last_period(cast, clock) -> None:
    """A yearly responsibility list's monthly item stops with its year (recurs_until), closed or late."""
    from qingfeng.supervision.services.tasks import recurring_periods_start
    from qingfeng.supervision.tests.factories import at

    task = submitted_task(
        cast, kind=Task.Kind.RECURRING, recurrence="monthly", deadline=D(2023, 12, 31), title="每月廉政提醒"
    )
    Task.objects.filter(pk=task.pk).update(recurs_until=D(2023, 12, 31))
    task.refresh_from_db()
    task_approve(actor=cast.users["leader"], task=task, rating=Task.Rating.GOOD)
    assert Task.objects.filter(title="每月廉政提醒").count() == 1
    late = submitted_task(
        cast, kind=Task.Kind.RECURRING, recurrence="monthly", deadline=D(2023, 12, 31), title="每月意识形态研判"
    )
    Task.objects.filter(pk=late.pk).update(recurs_until=D(2023, 12, 31), status=Task.Status.IN_PROGRESS)
    clock.set(at(2024, 1, 8))
    assert recurring_periods_start() == []
