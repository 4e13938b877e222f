"""The 意识形态 journey in a real browser: 杨丽娟 writes a piece for 财务股's 财政预决算公开 column, 刘海燕 (the column's
审核人) does 初审, 陈文斌 (财务股's head) 复审, 李志强 (分管) 终审 on his phone, the 三校 are recorded and the piece is
published; the column's 审核台账 names each reviewer, and the 意识形态看板 shows the year's meetings. Screenshots go to
test-output/screenshots/."""

from __future__ import annotations

import pytest

from qingfeng.ideology import demo as ideology_demo
from qingfeng.org import demo

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser
TITLE = "2023年部门决算公开补充说明"


def _review(journey, username: str, opinion: str, device: str = "desktop"):  # type: ignore[no-untyped-def]
    j = journey(device)
    j.login(username)
    page = j.page
    j.goto("/ideology/publications/?status=")
    page.get_by_role("link", name=TITLE).click()
    page.fill("textarea[name=opinion]", opinion)
    page.get_by_role("button", name="提交").click()
    return j


def test_a_piece_goes_through_three_reviews_and_three_proofs(journey, demo_world: demo.Cast) -> None:
    if not ideology_demo.exists(demo_world):
        ideology_demo.extend(demo_world)

    # 1. 杨丽娟 writes the piece from the navigation.
    staff = journey("desktop")
    staff.login("staff")
    page = staff.page
    page.locator(".sidenav").get_by_role("link", name="发布审核").click()
    page.get_by_role("link", name="撰写稿件").click()
    page.select_option("select[name=position]", label=f"{ideology_demo.FINANCE_COLUMN}（门户网站栏目）")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=body]", "现将2023年部门决算有关事项补充说明如下……")
    page.get_by_role("button", name="提交送审").click()
    expect(page.locator(".messages")).to_contain_text("稿件已送初审")
    expect(page.locator("#state")).to_contain_text("初审须由阵地主管科室人员或阵地审核人进行")

    # 2. 初审 by the column's 审核人, 复审 by the department's head, 终审 by the 分管 leader on his phone.
    clerk = _review(journey, "clerk", "同意，请复审")
    expect(clerk.page.locator(".messages")).to_contain_text("初审已完成")
    head = _review(journey, "head", "金额与决算报表一致，同意")
    expect(head.page.locator(".messages")).to_contain_text("复审已完成")
    leader = _review(journey, "leader", "同意发布", device="phone")
    expect(leader.page.locator(".messages")).to_contain_text("终审已完成")
    expect(leader.page.locator("#reviews")).to_contain_text("李志强")
    leader.assert_no_horizontal_scroll()
    leader.assert_clean()
    leader.screenshot("ideology-publication-leader-phone")

    # 3. The 三校, then 发布 by the author.
    staff.page.reload()
    for kind, note in (("文字校对", "改正错别字1处"), ("政治校对", "表述规范"), ("事实校对", "数据已核对")):
        page.select_option("select[name=kind]", label=kind)
        page.fill("textarea[name=note]", note)
        page.get_by_role("button", name="登记校对").click()
        expect(page.locator(".messages")).to_contain_text("校对已登记")
    page.fill("input[name=link]", "http://zjj.qinghe.gov.cn/czyjs/2023/002.html")
    page.get_by_role("button", name="标记为已发布").click()
    expect(page.locator(".messages")).to_contain_text("稿件已标记为已发布")
    staff.assert_clean()
    staff.screenshot("ideology-publication-published-desktop")

    # 4. The column's 审核台账 lists it with each level's reviewer.
    page.get_by_role("link", name=ideology_demo.FINANCE_COLUMN).click()
    row = page.locator("#audit tr", has_text=TITLE)
    for name in ("刘海燕", "陈文斌", "李志强"):
        expect(row).to_contain_text(name)
    staff.assert_clean()
    staff.screenshot("ideology-position-audit-desktop")

    # 5. The secretary's 意识形态看板: positions, drafts waiting, the year's meetings and the duty list.
    secretary = journey("desktop")
    secretary.login("secretary")
    secretary.page.locator(".sidenav").get_by_role("link", name="意识形态看板").click()
    expect(secretary.page.locator("#compliance")).to_contain_text("专题研究")
    expect(secretary.page.locator("#fig-duty")).to_contain_text("意识形态工作责任清单")
    secretary.assert_clean()
    secretary.screenshot("ideology-dashboard-secretary-desktop")
