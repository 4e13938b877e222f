"""The secretary's 两个责任看板 in a real browser: the overdue items first, each list's 落实情况, talk compliance, the
risk heat map and the 四种形态; then 李志强's 以身作则 page from the 班子 list. Screenshots (the dashboard on a
desktop and on a phone, the 以身作则 page) go to test-output/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfeng.integrity import demo as integrity_demo
from qingfeng.org import demo
from qingfeng.responsibility import demo as responsibility_demo
from qingfeng.responsibility.models import ResponsibilityItem, ResponsibilityList
from qingfeng.responsibility.services import lists
from qingfeng.responsibility.services.lists import ItemData
from qingfeng.supervision.models import Task

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser


def _world(cast: demo.Cast) -> None:
    """The demo's 两个责任 and 廉政建设 records; when this year's 党组主体责任清单 is already there (the permission
    matrix's), a 书记第一责任人清单 of our own with one overdue item."""
    today = timezone.localdate()
    if not integrity_demo.exists(cast):
        integrity_demo.extend(cast)
    if not ResponsibilityList.objects.filter(unit=cast.bureau, year=today.year).exists():
        responsibility_demo.extend(cast)
        return
    if ResponsibilityList.objects.filter(unit=cast.bureau, year=today.year, kind="secretary").exists():
        return
    clerk = cast.users["clerk"]
    rlist = lists.list_create(actor=clerk, unit=cast.bureau, year=today.year, kind="secretary")
    for content in ("带头讲廉政党课", "与班子成员开展廉政谈话"):
        lists.item_add(
            actor=clerk,
            rlist=rlist,
            data=ItemData(
                content=content, owner_department=cast.departments["财务股"], deadline=today + dt.timedelta(days=10)
            ),
        )
    lists.list_publish(actor=clerk, rlist=rlist)
    late = ResponsibilityItem.objects.filter(rlist=rlist, content="带头讲廉政党课").values("task")
    Task.objects.filter(pk__in=late).update(deadline=today - dt.timedelta(days=5))


def test_the_secretary_reads_the_dashboard_and_a_leaders_example(journey, demo_world: demo.Cast) -> None:
    _world(demo_world)
    year = timezone.localdate().year
    leader = demo_world.users["leader"].person

    # 1. The secretary opens the dashboard from the navigation: the overdue items come first.
    secretary = journey("desktop")
    secretary.login("secretary")
    page = secretary.page
    page.locator(".sidenav").get_by_role("link", name="两个责任看板").click()
    expect(page.get_by_role("heading", name=f"{year}年度两个责任看板 · {demo_world.bureau.name}")).to_be_visible()
    expect(page.locator("#overdue tbody tr").first).to_contain_text("逾期")
    expect(page.locator("#lists tbody tr").first).to_contain_text(f"{year}年度")
    expect(page.locator("#talks")).to_contain_text("应谈")
    page.locator("#risk-heat canvas").first.wait_for()
    expect(page.locator("#forms")).to_contain_text("第一种形态")
    secretary.assert_clean()
    secretary.screenshot("responsibility-dashboard-secretary-desktop")

    # 2. From the 班子 list, 李志强's 以身作则 page.
    page.locator("#leaders").get_by_role("link", name=leader.name).click()
    expect(page.get_by_role("heading", name=f"以身作则 · {leader.name}")).to_be_visible()
    expect(page.locator("#items")).to_contain_text("落实")
    secretary.assert_clean()
    secretary.screenshot("responsibility-example-secretary-desktop")

    # 3. The dashboard on the secretary's phone: no sideways scrolling.
    phone = journey("phone")
    phone.login("secretary")
    phone.goto("/responsibility/dashboard/")
    expect(phone.page.locator("#overdue")).to_be_visible()
    phone.page.locator("#risk-heat canvas").first.wait_for()
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("responsibility-dashboard-secretary-phone")
