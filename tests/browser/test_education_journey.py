"""The 学习教育 journey in a real browser: 陈文斌, 支部书记 of 机关第一党支部, sees this month's 党小组会 not yet held on
the compliance page, records it with two absences and their reasons, records one absent member's 补学, and the
compliance page turns green for the month; the clerk downloads the 三会一课记录本 from the dashboard. Screenshots go
to test-output/screenshots/."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qingfeng.education import demo as education_demo
from qingfeng.education import services
from qingfeng.org import demo
from qingfeng.org.models import Branch

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser
TOPIC = "党小组会：学习《中国共产党纪律处分条例》"


def test_a_branch_secretary_records_a_group_meeting_and_compliance_turns_green(journey, demo_world: demo.Cast) -> None:
    if not education_demo.exists(demo_world):
        education_demo.extend(demo_world)
    branch = Branch.objects.filter(unit=demo_world.bureau).order_by("order", "pk").first()
    roster = list(services.roster(demo_world.bureau, "group", branch))
    away = roster[-2:]

    # 1. The compliance page: this month's 党小组会 of his branch is not held yet.
    head = journey("desktop")
    head.login("head")
    page = head.page
    page.locator(".sidenav").get_by_role("link", name="落实情况").click()
    row = page.locator("tr", has_text="党小组会").first
    expect(row).not_to_contain_text("已完成")

    # 2. He records it: everyone ticked but two, each absence with its reason.
    head.goto("/education/sessions/new/")
    page.select_option("select[name=kind]", label="党小组会")
    page.select_option("select[name=branch]", label=branch.name)
    page.fill("input[name=place]", "党员活动室")
    page.select_option("select[name=host]", value=str(demo_world.users["head"].person.pk))
    page.fill("input[name=topic]", TOPIC)
    page.fill("textarea[name=content]", "逐章学习条例，联系岗位廉政风险交流体会。")
    for person in roster:
        if person not in away:
            page.check(f"input[name=present][value='{person.pk}']")
    page.fill("textarea[name=absence_reasons]", f"{away[0].name}：出差\n{away[1].name}：病假")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记")
    expect(page.locator("#attendance")).to_contain_text("病假")

    # 3. The 补学 of the first absent member.
    page.select_option("select[name=person]", value=str(away[0].pk))
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=note]", "自学条例并提交学习心得")
    page.get_by_role("button", name="登记补学").click()
    expect(page.locator(".messages")).to_contain_text("补学情况已登记")
    expect(page.locator("#attendance")).to_contain_text("自学条例并提交学习心得")
    head.assert_clean()
    head.screenshot("education-session-head-desktop")

    # 4. Compliance is green for the month now, on his phone too.
    phone = journey("phone")
    phone.login("head")
    phone.goto("/education/compliance/")
    row = phone.page.locator("tr", has_text="党小组会").first
    expect(row).to_contain_text("已完成")
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("education-compliance-head-phone")
