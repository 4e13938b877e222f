"""单位总览 in a real browser: the leader opens it from the navigation in the morning (desktop and phone), and the
county's 纪委 (a grant including sub-units) sees one row per bureau. Screenshots: test-output/screenshots/overview*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfeng.org import demo
from qingfeng.supervision import selectors_overview
from qingfeng.supervision.models import Task
from qingfeng.supervision.services import tasks as task_services
from qingfeng.supervision.services.tasks import TaskDraft

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser


def _tasks(cast: demo.Cast) -> None:
    """A morning's worth of work for 李志强's two departments: two overdue (one unsigned), one due soon, one on
    track with a partner that has not signed."""
    today = timezone.localdate()
    leader, staff = cast.users["leader"].person, cast.users["staff"].person
    finance, planning = cast.departments["财务股"], cast.departments["计划项目股"]
    rows = [
        ("落实财务报销审核制度", finance, [], today + dt.timedelta(days=20), -6, False),
        ("开展廉政风险点排查", finance, [planning], today + dt.timedelta(days=30), -3, True),
        ("完善项目审批流程", planning, [], today + dt.timedelta(days=1), None, True),
        ("整理年度督办台账", finance, [planning], today + dt.timedelta(days=40), None, True),
    ]
    for title, lead, partners, deadline, overdue_by, sign in rows:
        draft = TaskDraft(
            title=title,
            lead_department=lead,
            partner_departments=partners,
            lead_leader=leader,
            responsible_person=staff if lead == finance else None,
            deadline=deadline,
        )
        task = task_services.task_create(
            actor=cast.users["clerk"], unit=cast.bureau, draft=draft, source=Task.Source.SUPERIOR
        )
        if sign and lead == finance:
            part = task.parts.get(department=finance)
            task_services.task_sign_for(actor=cast.users["head"], part=part)
        if overdue_by is not None:  # the deadline passed while nobody looked
            Task.objects.filter(pk=task.pk).update(deadline=today + dt.timedelta(days=overdue_by))


def test_the_leader_reads_the_overview_and_the_superior_sees_each_bureau(journey, demo_world: demo.Cast) -> None:
    _tasks(demo_world)
    # the demo world may carry the permission matrix's tasks too: the page must show what the selector counts
    total = selectors_overview.overview(demo_world.users["leader"]).total
    assert total.overdue >= 2 and total.due_soon >= 1

    leader = journey("desktop")
    leader.login("leader")
    page = leader.page
    page.locator(".sidenav").get_by_role("link", name="单位总览").click()
    expect(page.get_by_role("heading", name="单位总览 · 清河县住房和城乡建设局")).to_be_visible()
    expect(page.locator("#fig-open")).to_have_text(str(total.open))
    expect(page.locator("#fig-overdue")).to_have_text(str(total.overdue))
    expect(page.locator("#fig-due-soon")).to_have_text(str(total.due_soon))
    rows = page.locator("#rows tbody tr")
    expect(rows.first).to_contain_text("财务股")  # the most overdue first
    leader.assert_clean()
    leader.screenshot("overview")

    # the 逾期 figure opens the task list with that filter, and it lists the same two tasks
    page.locator("#fig-overdue a").click()
    expect(page.locator("table.list tbody tr")).to_have_count(total.overdue)

    phone = journey("phone", storage_state=leader.context.storage_state())
    phone.goto("/supervision/overview/")
    expect(phone.page.locator("#fig-overdue")).to_have_text(str(total.overdue))
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("overview-phone")

    superior = journey("desktop")
    superior.login("superior")
    superior.goto("/supervision/overview/")
    rows = superior.page.locator("#rows tbody tr")
    expect(rows).to_have_count(3)  # the county, its 住建局 and its 交通运输局
    expect(rows.first).to_contain_text("清河县住房和城乡建设局")
    rows.first.get_by_role("link", name="清河县住房和城乡建设局").click()
    expect(superior.page.get_by_role("heading", name="单位总览 · 清河县住房和城乡建设局")).to_be_visible()
    superior.assert_clean()
    superior.screenshot("overview-superior-drilled")
