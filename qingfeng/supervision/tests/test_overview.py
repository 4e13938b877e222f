"""单位总览 (/supervision/overview/): its figures on a small hand-built bureau, what each role sees, the drill-down
and its 404, and a query count that does not grow with the units, departments or tasks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingfeng.org.models import Person, Unit
from qingfeng.rectification.services.rounds import finding_create, measure_create, round_create
from qingfeng.supervision import selectors_overview, warnings
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services import tasks as task_services
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.tests.factories import MONDAY, at, lead_part, make_task, signed_task, zhao

URL = reverse("supervision:overview")
D = dt.date


def close(cast, task: Task, *, submitted: dt.datetime, clock) -> Task:  # type: ignore[no-untyped-def]
    """Sign (if needed), report 100 %, submit at `submitted` and have the leader approve it."""
    clock.set(submitted)
    part = lead_part(task)
    if part.status == TaskPart.Status.PENDING_SIGN:
        task_services.task_sign_for(actor=cast.users["head"], part=part)
    task_report_progress(actor=cast.users["head"], part=lead_part(task), percent=100, text="已全部完成")
    task_services.task_submit(actor=cast.users["head"], task=Task.objects.get(pk=task.pk))
    return task_services.task_approve(actor=cast.users["leader"], task=Task.objects.get(pk=task.pk), rating=4)


@pytest.fixture
def bureau(cast, clock):  # type: ignore[no-untyped-def]
    """On Monday 2023-09-04 (the clock), 财务股 (李志强 supervises it and 计划项目股) has:
    a 逾期 and unsigned; b due Wednesday (即将到期), signed; c on track, whose partner 计划项目股 has not signed;
    d closed on time and e closed late this year; f closed last year; two 整改措施 (one overdue, both unsigned);
    and 建筑管理股 has g, overdue, led by 赵春生 — outside 李志强's sight."""
    clock.set(at(2022, 11, 1))
    f = make_task(cast, title="去年的任务", deadline=D(2022, 12, 30))
    close(cast, f, submitted=at(2022, 11, 10), clock=clock)

    clock.set(at(2023, 8, 1))
    tasks = {
        "a": make_task(cast, title="逾期未签收", deadline=D(2023, 8, 31)),
        "b": signed_task(cast, title="即将到期", deadline=D(2023, 9, 6)),
        "c": signed_task(
            cast, title="正常推进", deadline=D(2023, 10, 31), partner_departments=[cast.departments["计划项目股"]]
        ),
        "d": make_task(cast, title="按期办结", deadline=D(2023, 8, 31)),
        "e": make_task(cast, title="逾期办结", deadline=D(2023, 8, 8)),
        "g": make_task(
            cast,
            title="别人分管的逾期任务",
            deadline=D(2023, 8, 20),
            lead_department=cast.departments["建筑管理股"],
            lead_leader=zhao(),
            responsible_person=None,
        ),
    }
    clerk = cast.users["clerk"]
    round_ = round_create(
        actor=clerk,
        unit=cast.bureau,
        name="县委第一轮巡察",
        body="县委巡察组",
        kind="xuncha",
        feedback_date=D(2023, 8, 1),
    )
    finding = finding_create(actor=clerk, round_=round_, number="1", category="财务管理", description="报销审核不严")
    for text, deadline in (("建立报销审核台账", D(2023, 8, 31)), ("开展报销制度培训", D(2023, 10, 31))):
        measure_create(
            actor=clerk,
            finding=finding,
            text=text,
            department=cast.departments["财务股"],
            lead_leader=cast.users["leader"].person,
            responsible_person=cast.users["staff"].person,
            deadline=deadline,
        )
    close(cast, tasks["d"], submitted=at(2023, 8, 10), clock=clock)
    close(cast, tasks["e"], submitted=at(2023, 8, 10), clock=clock)
    clock.set(MONDAY)
    return tasks


def figures(response: Any) -> dict[str, Any]:
    return {
        "open": response.context["o"].total.open,
        "overdue": response.context["o"].total.overdue,
        "due_soon": response.context["o"].total.due_soon,
        "unsigned": response.context["o"].total.unsigned,
        "closed": response.context["o"].total.closed,
        "on_time_rate": response.context["o"].total.on_time_rate,
        "measures_open": response.context["o"].total.measures_open,
        "measures_overdue": response.context["o"].total.measures_overdue,
    }


def rows(response: Any) -> dict[str, dict[str, int]]:
    return {
        r.name: {"open": r.figures.open, "overdue": r.figures.overdue, "unsigned": r.figures.unsigned}
        for r in response.context["rows"]
    }


def test_the_leader_sees_the_figures_of_the_departments_they_supervise(cast, bureau, login) -> None:
    response = login("leader").get(URL)
    assert response.status_code == 200
    assert figures(response) == {
        "open": 5,  # a, b, c and the two measures' tasks; not g (建筑管理股, 赵春生)
        "overdue": 2,  # a and the first measure
        "due_soon": 1,  # b, due Wednesday: 2 working days
        "unsigned": 4,  # a, c's partner 计划项目股, both measures
        "closed": 2,  # d and e; not f, closed in 2022
        "on_time_rate": 50,
        "measures_open": 2,
        "measures_overdue": 1,
    }
    assert not response.context["o"].by_unit
    assert rows(response) == {
        "财务股": {"open": 5, "overdue": 2, "unsigned": 3},
        "计划项目股": {"open": 1, "overdue": 0, "unsigned": 1},
    }
    finance = next(r for r in response.context["rows"] if r.name == "财务股").figures
    assert (finance.due_soon, finance.closed, finance.on_time_rate, finance.measures_open) == (1, 2, 50, 2)
    html = response.content.decode()
    assert "单位总览" in html and "财务股" in html and "目前没有在办" not in html
    # the figures link to the task list where it has the filter: 逾期 overall and per department
    assert f'href="{reverse("supervision:task_list")}?status=overdue"' in html
    department = cast.departments["财务股"].pk
    assert f"department={department}&amp;status=overdue" in html


def test_a_figure_agrees_with_the_task_list_it_links_to(cast, bureau, login) -> None:
    client = login("leader")
    department = cast.departments["财务股"].pk
    listed = client.get(reverse("supervision:task_list"), {"status": "overdue", "department": department})
    assert listed.context["page_obj"].paginator.count == 2


def test_the_secretary_sees_the_whole_unit_and_every_department(cast, bureau, login) -> None:
    response = login("secretary").get(URL)
    assert figures(response)["open"] == 6 and figures(response)["overdue"] == 3
    assert figures(response)["unsigned"] == 5
    names = [r.name for r in response.context["rows"]]
    assert len(names) == 8  # every department of the bureau, at zero too
    assert names[:2] == ["财务股", "建筑管理股"]  # the most overdue first


def test_the_head_sees_only_their_own_department(cast, bureau, login) -> None:
    response = login("head").get(URL)
    assert list(rows(response)) == ["财务股"]
    assert figures(response)["unsigned"] == 3  # not 计划项目股's part of c
    assert figures(response)["open"] == 5 and figures(response)["measures_open"] == 2
    assert "建筑管理股" not in response.content.decode()


def test_a_grant_with_subunits_sees_one_row_per_unit_and_drills_down(cast, bureau, login) -> None:
    client = login("superior")
    response = client.get(URL)
    o = response.context["o"]
    assert o.by_unit
    assert {r.name for r in response.context["rows"]} == {cast.county.name, cast.bureau.name, cast.sibling.name}
    assert response.context["rows"][0].name == cast.bureau.name  # the most overdue first
    assert figures(response)["open"] == 6
    html = response.content.decode()
    assert f'href="?unit={cast.bureau.pk}"' in html

    drilled = client.get(URL, {"unit": cast.bureau.pk})
    assert drilled.status_code == 200
    assert not drilled.context["o"].by_unit
    assert drilled.context["o"].unit == cast.bureau
    assert figures(drilled)["overdue"] == 3
    assert len(drilled.context["rows"]) == 8
    assert drilled.context["parent"] == cast.county

    assert client.get(URL, {"unit": cast.county.pk}).context["o"].by_unit  # the county and its two bureaus


@pytest.mark.parametrize(
    ("role", "unit"),
    [("leader", "sibling"), ("leader", "far_bureau"), ("superior", "far_bureau"), ("superior", "city"), ("head", "x")],
)
def test_a_unit_outside_the_scope_is_not_found(cast, login, role: str, unit: str) -> None:
    pk = getattr(cast, unit).pk if unit != "x" else "x"
    assert login(role).get(URL, {"unit": pk}).status_code == 404


def test_the_leader_may_name_their_own_unit(cast, login) -> None:
    assert login("leader").get(URL, {"unit": cast.bureau.pk}).status_code == 200


def test_anonymous_is_sent_to_log_in_and_the_three_admins_are_refused(cast, login) -> None:
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert login("sysadmin").get(URL).status_code == 403
    assert login("secretary").post(URL).status_code == 405  # GET only


def test_nothing_open_says_so_in_chinese(cast, clock, login) -> None:
    response = login("leader").get(URL)
    assert response.status_code == 200
    assert figures(response)["open"] == 0
    assert "目前没有在办的督办事项。" in response.content.decode()


def test_the_navigation_lists_the_page_in_the_supervision_section(cast, login) -> None:
    html = login("leader").get(reverse("core:workbench")).content.decode()
    assert re.search(rf'href="{URL}"[^>]*>单位总览<', html)


# --- the number of queries ----------------------------------------------------------------------------------


def bare_task(unit: Unit, department_name: str, *, cast, seq: int, deadline: dt.date, status: str) -> Task:  # type: ignore[no-untyped-def]
    """A task written straight to the tables (the services only assign within the clerk's own bureau)."""
    department = unit.departments.get(name=department_name)
    person = Person.objects.filter(unit=unit).first() or cast.users["leader"].person
    now = at(2023, 8, 1)
    task = Task.objects.create(
        unit=unit,
        year=2023,
        seq=seq,
        title=f"数据{seq}",
        lead_leader=person,
        assigned_at=now,
        assigned_by=cast.users["clerk"],
        sign_deadline=now,
        deadline=deadline,
        original_deadline=deadline,
        status=status,
    )
    TaskPart.objects.create(
        task=task, unit=unit, department=department, role=TaskPart.Role.LEAD, sign_deadline=now, status=status
    )
    return task


def count_queries(client: Any, params: dict[str, Any] | None = None) -> int:
    client.get(URL, params or {})  # warm: the process keeps the year's holiday overrides
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_depend_on_the_number_of_units_or_tasks(cast, clock, login) -> None:
    clock.set(MONDAY)
    client = login("superior")
    bare_task(cast.bureau, "财务股", cast=cast, seq=901, deadline=D(2023, 8, 31), status="pending_sign")
    one_unit = count_queries(client)
    for seq, (unit, department) in enumerate(
        [(cast.sibling, "财务科"), (cast.sibling, "办公室"), (cast.bureau, "办公室"), (cast.bureau, "城建股")],
        start=902,
    ):
        bare_task(unit, department, cast=cast, seq=seq, deadline=D(2023, 9, 5), status="in_progress")
    county_office = cast.county.departments.first()
    if county_office is not None:  # the demo county has no departments of its own
        bare_task(cast.county, county_office.name, cast=cast, seq=990, deadline=D(2023, 8, 1), status="in_progress")
    three_units = count_queries(client)
    assert sum(1 for r in login("superior").get(URL).context["rows"] if r.figures.open) >= 2
    assert three_units == one_unit
    # 10 = the request's own 5 (session, user, role grants, unread count, the top bar's unit; the session's renewal
    # is written once a minute and the holiday overrides are kept by the process) + the scope's units + open tasks,
    # closed tasks, unsigned parts and open measures per unit (1 each)
    assert one_unit == 10


def test_the_query_count_does_not_depend_on_the_number_of_departments(cast, clock, login) -> None:
    clock.set(MONDAY)
    client = login("secretary")
    bare_task(cast.bureau, "财务股", cast=cast, seq=901, deadline=D(2023, 8, 31), status="pending_sign")
    one_department = count_queries(client)
    for seq, name in enumerate(["办公室", "人事股", "城建股", "法规股"], start=902):
        bare_task(cast.bureau, name, cast=cast, seq=seq, deadline=D(2023, 9, 5), status="in_progress")
    assert count_queries(client) == one_department
    # 14 = the 10 above + the secretary's person (visible_q) + open and closed parts per department + the unit's
    # departments
    assert one_department == 14


def test_the_selector_never_loads_task_rows(cast, bureau) -> None:
    """Every query of the page's figures is a GROUP BY (or the scope's units and departments)."""
    user = cast.users["secretary"]
    with CaptureQueriesContext(connection) as captured:
        selectors_overview.overview(user)
    task_queries = [q["sql"] for q in captured.captured_queries if "supervision_task" in q["sql"]]
    assert task_queries and all("GROUP BY" in sql for sql in task_queries)


def test_due_soon_ends_the_day_before_the_fourth_working_day(db) -> None:  # type: ignore[no-untyped-def]
    # Monday 2023-09-04: Tue, Wed, Thu are 3 working days; Friday is the 4th
    assert warnings.due_soon_until(D(2023, 9, 4)) == D(2023, 9, 7)
    # Wednesday 2023-09-27: 中秋国庆 from the 29th; Sat 7 and Sun 8 October are 调休 working days
    assert warnings.due_soon_until(D(2023, 9, 27)) == D(2023, 10, 8)
