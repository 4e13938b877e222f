"""The supervision panel of 我的工作台: parts to sign first, then overdue, then due soon, then decisions."""

from __future__ import annotations

from qingfeng.core import workbench
from qingfeng.supervision.services.extensions import task_extension_request
from qingfeng.supervision.tests.factories import D, at, make_task, signed_task, submitted_task
from qingfeng.supervision.workbench import provider


def test_the_provider_is_registered_when_the_app_is_ready() -> None:
    assert provider in workbench._PROVIDERS


def test_a_head_sees_parts_to_sign_first_then_overdue_then_due_soon(cast, clock) -> None:
    signed_task(cast, title="临期任务", deadline=D(2023, 9, 7))
    signed_task(cast, title="逾期任务", deadline=D(2023, 9, 5))
    make_task(cast, title="待签任务", deadline=D(2023, 10, 31))
    signed_task(cast, title="正常任务", deadline=D(2023, 10, 31))  # green: not listed
    clock.set(at(2023, 9, 6, 9))
    items = workbench.collect(cast.users["head"])
    assert [(i.title.split(" ", 1)[1], i.colour, i.note) for i in items.todo] == [
        ("待签任务", "red", "超时未签收"),
        ("逾期任务", "red", "办理中（逾期）"),
        ("临期任务", "yellow", "临期"),
    ]
    assert items.todo[0].title.startswith("待签收：")
    assert items.due_today == []


def test_tasks_due_today_are_listed_for_the_responsible_person(cast, clock) -> None:
    signed_task(cast, title="今天到期", deadline=D(2023, 9, 6))
    clock.set(at(2023, 9, 6, 9))
    items = workbench.collect(cast.users["staff"])
    assert [i.title.split(" ", 1)[1] for i in items.due_today] == ["今天到期"]
    assert items.due_today[0].colour == "yellow"


def test_the_lead_leader_and_the_clerk_see_what_waits_for_their_decision(cast, clock) -> None:
    submitted_task(cast, title="待审")
    task_extension_request(
        actor=cast.users["head"], task=signed_task(cast, title="延期"), requested_deadline=D(2023, 10, 31), reason="x"
    )
    for role in ("leader", "clerk"):
        notes = [i.note for i in workbench.collect(cast.users[role]).todo]
        assert "待审核" in notes and "延期审批" in notes, role


def test_people_without_supervision_work_see_nothing_of_it(cast, clock) -> None:
    make_task(cast)
    for role in ("outsider", "sysadmin", "auditor", "superior"):
        items = workbench.collect(cast.users[role])
        assert items.todo == [] and items.due_today == [], role
