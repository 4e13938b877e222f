"""The 舆情处置 journey in a real browser (issue 8): the person on duty records an incident found at 21:40 on a
Saturday; the rules suggest 较大 from its words as she types; the leader on duty is notified; 报告, 核实, 研判 and 回应
are recorded that night; the timeline shows each limit met. Screenshots: the timeline (desktop) and the dashboard
(phone) in test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from qingfeng.opinion.models import OpinionIncident, SeverityRule
from qingfeng.org import demo

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser
TITLE = "某小区业主反映新建住宅楼漏水开裂"


def _last_saturday_evening() -> dt.datetime:
    """The latest Saturday 21:40 that has passed (local time)."""
    now = timezone.localtime()
    day = now.date() - dt.timedelta(days=(now.weekday() - 5) % 7)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(21, 40)))
    return moment if moment < now else moment - dt.timedelta(days=7)


def _field(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_person_on_duty_handles_a_saturday_night_incident(journey, demo_world: demo.Cast) -> None:
    if not SeverityRule.objects.filter(unit__isnull=True).exists():  # flushed by an earlier transactional test
        import_module("qingfeng.opinion.migrations.0002_default_rules").create(apps, None)
    found = _last_saturday_evening()
    assert found.weekday() == 5

    # 1. 杨丽娟, on duty, records what she found; the suggestion follows her words.
    duty = journey("desktop")
    duty.login("staff")
    page = duty.page
    page.locator(".sidenav").get_by_role("link", name="舆情事件").click()
    page.get_by_role("link", name="登记舆情").click()
    expect(page.get_by_role("heading", name="登记舆情")).to_be_visible()
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=content]", "网友发帖称小区多栋住宅墙体开裂、顶层漏水，开发商拖欠维修，业主多次投诉无果。")
    expect(page.locator("#suggested-level")).to_have_text("较大")
    expect(page.locator("#suggestion")).to_contain_text("民生诉求")
    page.select_option("select[name=source]", label="网络")
    page.fill("input[name=found_at]", _field(found))
    page.fill("input[name=link]", "https://bbs.example.cn/thread/20231")
    page.select_option("select[name=department]", label="财务股")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("等级较大")
    expect(page.locator("#suggested")).to_contain_text("民生诉求")
    # found at 21:40, 报告 due at 22:40 the same Saturday night
    expect(page.locator("#clocks")).to_contain_text(f"{found.month}月{found.day}日 22:40")
    incident = OpinionIncident.objects.get(title=TITLE)
    assert incident.found_at == found and incident.level == 2

    # 2. The leader on duty (李志强, 分管 财务股) has been told.
    leader = journey("desktop")
    leader.login("leader")
    leader.goto("/notifications/")
    expect(leader.page.locator("main")).to_contain_text(f"新舆情（较大）：{TITLE}")

    # 3. That night: 报告, 核实, 研判, 回应.
    for step, minutes, note in (
        ("报告", 25, "电话报告李志强副局长"),
        ("核实", 70, "联系物业核实：3栋顶层渗漏属实"),
        ("研判", 100, "较大舆情，由财务股会同开发企业处置"),
        ("回应/引导", 150, "在业主群发布维修安排"),
    ):
        page.select_option("select[name=step]", label=step)
        page.fill("input[name=at]", _field(found + dt.timedelta(minutes=minutes)))
        page.fill("textarea[name=note]", note)
        page.get_by_role("button", name="记录", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(f"已记录“{step}”")
    expect(page.locator("#timeline")).to_contain_text("联系物业核实")
    expect(page.locator("#clocks")).to_contain_text("按时完成")
    duty.assert_clean()
    duty.screenshot("opinion-timeline-staff-desktop")

    # 4. The leader reads the dashboard on a phone.
    phone = journey("phone")
    phone.login("leader")
    phone.goto("/opinion/dashboard/")
    expect(phone.page.get_by_role("heading", name="舆情看板")).to_be_visible()
    expect(phone.page.locator("#open-clocks")).to_contain_text(TITLE)
    phone.page.locator("#month-chart canvas").first.wait_for()
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("opinion-dashboard-leader-phone")
