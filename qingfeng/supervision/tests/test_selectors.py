"""Selectors: who sees which tasks (through any part's department, without duplicates), filters, pinned query
counts, 超时未签收 per department and the department ranking."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingfeng.org import access
from qingfeng.supervision.models import Task
from qingfeng.supervision.selectors import (
    OVERDUE,
    TaskFilters,
    department_ranking,
    overdue_unsigned_counts,
    task_rows,
    task_timeline,
    tasks_for,
)
from qingfeng.supervision.services.extensions import task_extension_decide, task_extension_request
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import task_approve, task_sign_for, task_submit
from qingfeng.supervision.tests.factories import D, at, lead_part, make_task, part_of, signed_task, zhao


@pytest.fixture
def world(cast, clock):  # type: ignore[no-untyped-def]
    """T1 财务股 led by 李志强 (杨丽娟 responsible); T2 计划项目股 with 财务股 as partner, led by 赵春生; T3 城建股
    led by 赵春生; T4 城建股 led by 李志强."""
    planning, city = cast.departments["计划项目股"], cast.departments["城建股"]
    return {
        "T1": make_task(cast, title="T1"),
        "T2": make_task(
            cast,
            title="T2",
            lead_department=planning,
            partner_departments=[cast.departments["财务股"]],
            lead_leader=zhao(),
            responsible_person=None,
        ),
        "T3": make_task(cast, title="T3", lead_department=city, lead_leader=zhao(), responsible_person=None),
        "T4": make_task(cast, title="T4", lead_department=city, responsible_person=None),
    }


def _titles(user) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(tasks_for(user).values_list("title", flat=True))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretary", ["T1", "T2", "T3", "T4"]),
        ("inspector", ["T1", "T2", "T3", "T4"]),
        ("clerk", ["T1", "T2", "T3", "T4"]),
        ("superior", ["T1", "T2", "T3", "T4"]),
        ("head", ["T1", "T2"]),  # its department has a part: lead of T1, partner of T2
        ("leader", ["T1", "T2", "T4"]),  # leads T1 and T4; 分管 财务股 and 计划项目股 (T2 once, not twice)
        ("staff", ["T1"]),  # responsible person
        ("outsider", []),
        ("sysadmin", []),
        ("secadmin", []),
        ("auditor", []),
    ],
)
def test_each_role_sees_its_tasks_once(cast, world, role, expected) -> None:
    assert _titles(cast.users[role]) == expected


def test_a_task_seen_through_two_supervised_departments_is_one_object(cast, world) -> None:
    leader = cast.users["leader"]
    assert access.get_object_for_user(leader, Task, world["T2"].pk) == world["T2"]
    assert tasks_for(leader, TaskFilters(q="T2")).count() == 1


def test_a_task_out_of_sight_is_a_404(cast, world) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        access.get_object_for_user(cast.users["head"], Task, world["T3"].pk)


def test_filters_by_department_status_and_overdue(cast, world, clock) -> None:
    clerk = cast.users["clerk"]
    by_dept = tasks_for(clerk, TaskFilters(department=cast.departments["财务股"]))
    assert sorted(t.title for t in by_dept) == ["T1", "T2"]
    task_sign_for(actor=cast.users["head"], part=lead_part(world["T1"]))
    assert [t.title for t in tasks_for(clerk, TaskFilters(status=Task.Status.IN_PROGRESS))] == ["T1"]
    assert not tasks_for(clerk, TaskFilters(status=OVERDUE), today=D(2023, 9, 28)).exists()
    assert tasks_for(clerk, TaskFilters(status=OVERDUE), today=D(2023, 9, 29)).count() == 4
    assert [t.title for t in tasks_for(clerk, TaskFilters(lead_leader=zhao()))] == ["T3", "T2"]


def test_rows_carry_their_colour(cast, world) -> None:
    rows = {t.title: t.colour for t in task_rows(cast.users["clerk"], now=at(2023, 9, 5, 9))}
    assert rows == {"T1": "red", "T2": "red", "T3": "red", "T4": "red"}  # all unsigned past 9-04 17:30
    assert {t.colour for t in task_rows(cast.users["clerk"], now=at(2023, 9, 4, 12))} == {"green"}


NOON = at(2023, 9, 4, 12)  # every part still within its limit: the colours need the calendar


def _count(user) -> int:  # type: ignore[no-untyped-def]
    task_rows(user, now=NOON)  # warm: the process keeps the year's holiday overrides
    with CaptureQueriesContext(connection) as queries:
        rows = task_rows(user, now=NOON)
        for t in rows:
            (t.number, t.lead_leader.name, t.responsible_person, [p.department.name for p in t.parts.all()])
    return len(queries)


@pytest.mark.parametrize("role", ["clerk", "leader", "head"])
def test_the_task_list_costs_the_same_queries_for_20_tasks_as_for_5(
    cast, clock, role, django_assert_num_queries
) -> None:
    user = cast.users[role]
    access.assignments(user), user.person  # the request has loaded these already
    for i in range(5):
        make_task(cast, title=f"任务{i}", partner_departments=[cast.departments["计划项目股"]])
    five = _count(user)
    for i in range(15):
        make_task(cast, title=f"任务{i + 5}", partner_departments=[cast.departments["计划项目股"]])
    # 2 = the tasks with their people and deployment; their parts with departments (2023's holiday overrides are
    # kept by the process)
    with django_assert_num_queries(2):
        rows = task_rows(user, now=NOON)
        assert len(rows) == 20
        for t in rows:
            (t.number, t.lead_leader.name, t.responsible_person, [p.department.name for p in t.parts.all()])
    assert five == 2


def test_the_timeline_is_in_order_with_actors(cast, clock) -> None:
    task = signed_task(cast)
    events = list(task_timeline(task))
    assert [(e.get_kind_display(), e.actor.username) for e in events] == [("交办", "clerk"), ("签收", "head")]


def test_overdue_unsigned_parts_are_counted_per_department(cast, world, clock) -> None:
    task_sign_for(actor=cast.users["head"], part=lead_part(world["T1"]))
    task_sign_for(actor=cast.users["head"], part=part_of(world["T2"], "财务股"))
    clerk = cast.users["clerk"]
    assert overdue_unsigned_counts(clerk, now=at(2023, 9, 4, 17, 0)) == []
    counts = {c["department_name"]: c["count"] for c in overdue_unsigned_counts(clerk, now=at(2023, 9, 5, 9))}
    assert counts == {"城建股": 2, "计划项目股": 1}
    # a head counts its own department's parts only (all signed here); the leader its 分管 and led tasks
    assert overdue_unsigned_counts(cast.users["head"], now=at(2023, 9, 5, 9)) == []
    leader_counts = overdue_unsigned_counts(cast.users["leader"], now=at(2023, 9, 5, 9))
    assert {c["department_name"]: c["count"] for c in leader_counts} == {"城建股": 1, "计划项目股": 1}


def test_the_department_ranking_uses_the_original_deadline_the_sign_for_rate_and_the_ratings(cast, clock) -> None:
    head, leader = cast.users["head"], cast.users["leader"]
    a = make_task(cast, title="A")
    b = make_task(cast, title="B")
    c = make_task(
        cast,
        title="C",
        lead_department=cast.departments["计划项目股"],
        partner_departments=[cast.departments["财务股"]],
        responsible_person=None,
    )
    clock.set(at(2023, 9, 4, 11))
    task_sign_for(actor=head, part=lead_part(a))
    task_sign_for(actor=head, part=part_of(c, "财务股"))
    clock.set(at(2023, 9, 5, 9))
    task_sign_for(actor=head, part=lead_part(b))  # late
    clock.set(at(2023, 9, 20))
    task_report_progress(actor=head, part=lead_part(a), percent=100, text="完成")
    task_submit(actor=head, task=a)
    task_approve(actor=leader, task=a, rating=Task.Rating.EXCELLENT)
    request = task_extension_request(actor=head, task=b, requested_deadline=D(2023, 10, 31), reason="等待批复")
    task_extension_decide(actor=leader, request=request, approve=True)
    clock.set(at(2023, 10, 10))
    task_report_progress(actor=head, part=lead_part(b), percent=100, text="完成")
    task_submit(actor=head, task=b)
    task_approve(actor=leader, task=b, rating=Task.Rating.FAIR)  # within the extension, after the original

    rows = department_ranking(cast.users["clerk"], unit=cast.bureau, now=at(2023, 10, 10, 16))
    finance, planning = rows
    assert (finance.rank, finance.department, planning.rank, planning.department) == (1, "财务股", 2, "计划项目股")
    assert (finance.parts, finance.sign_due, finance.signed_in_time) == (3, 3, 2)
    assert (finance.led, finance.closed, finance.judged, finance.on_time) == (2, 2, 2, 1)
    assert (finance.on_time_rate, finance.average_rating) == (0.5, 3.0)
    assert finance.sign_rate == pytest.approx(2 / 3)
    assert (planning.parts, planning.sign_due, planning.signed_in_time, planning.sign_rate) == (1, 1, 0, 0.0)
    assert (planning.led, planning.closed, planning.judged, planning.on_time_rate, planning.average_rating) == (
        1,
        0,
        1,  # open and past its original deadline: counted, and late
        0.0,
        None,
    )
    # a head's ranking holds its own department's row only
    assert [r.department for r in department_ranking(head, unit=cast.bureau, now=at(2023, 10, 10, 16))] == ["财务股"]
    assert department_ranking(cast.users["outsider"], unit=cast.bureau) == []


def test_the_list_filters_by_type(cast, clock, login) -> None:
    from qingfeng.supervision.tests.factories import make_task

    make_task(cast, title="长期坚持的事项", kind=Task.Kind.LONG_TERM, deadline=None)
    make_task(cast, title="限期办理的事项")
    page = login("clerk").get("/supervision/tasks/", {"kind": "long_term"}).content.decode()
    assert "长期坚持的事项" in page and "限期办理的事项" not in page
