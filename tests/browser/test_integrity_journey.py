"""The 廉政建设 journey in a real browser: the 纪检组长 records a 谈话提醒 (第一种形态) in the confidential ledger and
sees the statistics change; the risk heat map; a 廉政档案, and the staff member correcting her own filing. Screenshots
(desktop, and the staff member's own 档案 on a phone) go to test-output/screenshots/."""

from __future__ import annotations

import re

import pytest

from qingfeng.integrity import demo as integrity_demo
from qingfeng.org import demo

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser


def _count(text: str) -> int:
    return int(re.search(r"(\d+)\s*人次", text).group(1))  # type: ignore[union-attr]


def test_inspector_records_a_talk_reminder_and_sees_the_statistics_change(journey, demo_world: demo.Cast) -> None:
    if not integrity_demo.exists(demo_world):
        integrity_demo.extend(demo_world)
    staff_person = demo_world.users["staff"].person

    # 1. The 纪检组长 opens the statistics from the navigation.
    inspector = journey("desktop")
    inspector.login("inspector")
    page = inspector.page
    page.locator(".sidenav").get_by_role("link", name="四种形态台账").click()
    expect(page.get_by_role("heading", name="四种形态台账")).to_be_visible()
    page.get_by_role("link", name="统计").click()
    expect(page.get_by_role("heading", name="四种形态统计")).to_be_visible()
    total_before = _count(page.locator("#stats-total").inner_text())
    first_before = _count(page.locator("[data-form='1']").inner_text())

    # 2. She records a 谈话提醒 of 杨丽娟.
    page.get_by_role("link", name="台账", exact=True).click()
    page.get_by_role("link", name="记录", exact=True).click()
    page.select_option("select[name=person]", label=f"{staff_person.name}（财务股，财务股科员）")
    page.fill("input[name=date]", page.evaluate("new Date().toISOString().slice(0, 10)"))
    page.select_option("select[name=form]", label="第一种形态")
    page.select_option("select[name=measure]", label="谈话提醒")
    page.fill("input[name=category]", "违反工作纪律")
    page.select_option("select[name=clue_source]", label="日常监督")
    page.fill("textarea[name=description]", "报销审核把关不严，3笔差旅费缺少审批单")
    page.fill("textarea[name=decision]", "由纪检组长进行谈话提醒，责令补齐手续")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(f"已记入四种形态台账：{staff_person.name}，第一种形态·谈话提醒")

    # 3. The statistics changed by one 人次.
    expect(page.get_by_role("heading", name="四种形态统计")).to_be_visible()
    expect(page.locator("#stats-total")).to_have_text(f"{total_before + 1} 人次")
    expect(page.locator("[data-form='1']")).to_have_text(f"{first_before + 1} 人次")
    page.locator("#forms-chart canvas").first.wait_for()
    inspector.assert_clean()
    inspector.screenshot("integrity-ledger-stats-inspector-desktop")

    # 4. The heat map of the risk register.
    page.locator(".sidenav").get_by_role("link", name="廉政风险点").click()
    expect(page.get_by_role("heading", name="廉政风险点")).to_be_visible()
    page.locator("#risk-heat canvas").first.wait_for()
    expect(page.locator(".heat-table")).to_contain_text("财务股")
    inspector.assert_clean()
    inspector.screenshot("integrity-heat-map-inspector-desktop")

    # 5. 杨丽娟's 廉政档案, with the ledger section only the inspector sees.
    inspector.goto(f"/integrity/files/{staff_person.pk}/")
    expect(page.get_by_role("heading", name=f"{staff_person.name}的廉政档案")).to_be_visible()
    expect(page.locator("#section-ledger")).to_contain_text("谈话提醒")
    expect(page.locator("#section-gift")).to_contain_text("购物卡")
    inspector.assert_clean()
    inspector.screenshot("integrity-file-inspector-desktop")

    # 6. 杨丽娟 on her phone: her own 档案, no ledger section, no sideways scrolling.
    phone = journey("phone")
    phone.login("staff")
    phone.goto(f"/integrity/files/{staff_person.pk}/")
    expect(phone.page.get_by_role("heading", name=f"{staff_person.name}的廉政档案")).to_be_visible()
    expect(phone.page.locator("#section-ledger")).to_have_count(0)
    expect(phone.page.locator("#section-event")).to_contain_text("不收礼金")
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("integrity-file-staff-phone")

    # 7. She reports a family wedding before it takes place; the form shows that kind's fields only.
    phone.page.get_by_role("link", name="填报婚丧喜庆事宜报备").click()
    form = phone.page.locator("form.filing-form")
    expect(form.locator("input[name=giver]")).to_be_hidden()
    expect(form.locator("input[name=tables]")).to_be_visible()
    event_day = phone.page.evaluate("new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10)")
    form.locator("input[name=event_date]").fill(event_day)
    form.locator("select[name=event_kind]").select_option(label="婚嫁")
    form.locator("input[name=guests]").fill("60")
    form.locator("input[name=tables]").fill("6")
    form.locator("input[name=gifts_policy]").fill("不收礼金")
    form.get_by_role("button", name="提交").click()
    expect(phone.page.locator(".messages")).to_contain_text("婚丧喜庆事宜报备已登记")
    expect(phone.page.locator("#section-event")).to_contain_text("60人")
    phone.assert_clean()

    # 8. She corrects the report before the wedding (the correction page shows that kind's fields only).
    phone.page.locator("#section-event tr", has_text="60人").get_by_role("link", name="修改").click()
    edit = phone.page.locator("form.filing-form")
    expect(edit.locator("input[name=giver]")).to_have_count(0)
    edit.locator("input[name=tables]").fill("8")
    edit.get_by_role("button", name="保存修改").click()
    expect(phone.page.locator(".messages")).to_contain_text("婚丧喜庆事宜报备已修改")
    expect(phone.page.locator("#section-event")).to_contain_text("8桌")
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("integrity-filing-corrected-staff-phone")
