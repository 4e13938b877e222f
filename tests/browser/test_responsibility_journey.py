"""The 两个责任 journey in a real browser, as the issue tells it: the clerk copies last year's lists into this year's
drafts and publishes the 书记第一责任人清单 (its items become 督办事项 and the list shows their 落实情况); the clerk
generates this year's 责任书 and a leader (李志强) signs his by uploading the scan. Screenshots of the list page with
落实情况, the talks compliance page, and the list on a phone go to test-output/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfeng.org import demo
from qingfeng.responsibility import demo as responsibility_demo
from qingfeng.responsibility.models import ResponsibilityList
from tests.browser.test_supervision_journey import small_pdf

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser


def test_clerk_copies_last_years_lists_and_a_leader_signs_the_letter(journey, demo_world: demo.Cast) -> None:
    year = timezone.localdate().year
    if not ResponsibilityList.objects.filter(unit=demo_world.bureau, year=year - 1).exists():
        responsibility_demo.last_year(demo_world)
    title = f"{year}年度书记第一责任人清单"

    # 1. The clerk copies last year's lists: this year's drafts appear.
    clerk = journey("desktop")
    clerk.login("clerk")
    page = clerk.page
    page.locator(".sidenav").get_by_role("link", name="责任清单").click()
    expect(page.get_by_role("heading", name=f"{year}年度责任清单")).to_be_visible()
    copy = page.locator("#copy")
    expect(copy.locator("input[name=year]")).to_have_value(str(year))
    copy.get_by_role("button", name="复制上年清单").click()
    expect(page.locator(".messages")).to_contain_text(f"已复制{year - 1}年度清单")
    row = page.locator("#lists tbody tr").filter(has_text=title)
    expect(row.locator("td[data-label=状态]")).to_contain_text("草稿")
    clerk.assert_clean()

    # 2. The clerk opens the copied 书记第一责任人清单 and publishes it: each item is assigned and shows 未开始.
    row.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    items = page.locator("#items tbody tr")
    expect(items).to_have_count(3)
    expect(items.first.locator("td[data-label=落实情况]")).to_contain_text("未发布")
    page.get_by_role("button", name="确认发布").click()
    expect(page.locator(".messages")).to_contain_text("清单已发布，3 项已作为督办事项交办")
    for i in range(3):
        expect(items.nth(i).locator("td[data-label=落实情况]")).to_contain_text("未开始")
        expect(items.nth(i).locator("td[data-label=落实情况]")).to_contain_text("督〔")
    list_url = page.url
    clerk.assert_clean()

    # 2b. An item added to the published list is assigned at once; 财务股's head signs for it (办理中).
    add = page.locator("#add-item")
    add.locator("textarea[name=content]").fill("督促财务股开展公务接待专项检查")
    add.locator("select[name=owner_department]").select_option(label="财务股")
    add.locator("input[name=deadline]").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    add.get_by_role("button", name="添加").click()
    expect(page.locator(".messages")).to_contain_text("事项已添加")
    added = page.locator("#items tbody tr").filter(has_text="督促财务股开展公务接待专项检查")
    task_link = added.locator("td[data-label=落实情况] a")
    number = task_link.inner_text().strip()
    head = journey("desktop")
    head.login("head")
    head.goto(task_link.get_attribute("href"))
    head.page.locator("#parts").get_by_role("button", name="签收").click()
    expect(head.page.locator(".messages")).to_contain_text("“财务股”已签收")
    head.assert_clean()
    page.goto(list_url)
    expect(added.locator("td[data-label=落实情况]")).to_contain_text("办理中")
    expect(added.locator("td[data-label=落实情况]")).to_contain_text(number)
    clerk.assert_clean()
    clerk.screenshot("responsibility-list-clerk-desktop")

    # 3. The clerk generates this year's 责任书.
    page.locator(".sidenav").get_by_role("link", name="责任书").click()
    page.get_by_role("button", name=f"生成{year}年度责任书").click()
    expect(page.locator(".messages")).to_contain_text(f"{year}年度责任书已生成")
    expect(page.locator("#letters tbody tr").filter(has_text="李志强")).to_contain_text("未签订")
    clerk.assert_clean()

    # 4. The leader 李志强 signs his: downloads nothing here, uploads the signed scan.
    leader = journey("desktop")
    leader.login("leader")
    page = leader.page
    page.locator(".sidenav").get_by_role("link", name="责任书").click()
    mine = page.locator("#letters tbody tr").filter(has_text="李志强")
    expect(mine).to_have_count(1)
    expect(mine.get_by_role("link", name="下载责任书（.docx）")).to_be_visible()
    mine.locator("input[name=file]").set_input_files(
        files=[{"name": "责任书（李志强）.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    mine.get_by_role("button", name="上传").click()
    expect(page.locator(".messages")).to_contain_text("李志强的责任书扫描件已上传")
    expect(page.locator("#letters tbody tr").filter(has_text="李志强")).to_contain_text("已签订")
    leader.assert_clean()

    # 5. The secretary's talks compliance page: who is missing whom this period.
    secretary = journey("desktop")
    secretary.login("secretary")
    page = secretary.page
    page.locator(".sidenav").get_by_role("link", name="谈话落实情况").click()
    expect(page.get_by_role("heading", name="谈话落实情况")).to_be_visible()
    expect(page.locator("section.rule").first).to_contain_text("党组书记 → 每位班子成员")
    secretary.assert_clean()
    secretary.screenshot("responsibility-compliance-secretary-desktop")

    # 6. The published list on the leader's phone, without sideways scrolling.
    phone = journey("phone", storage_state=leader.context.storage_state())
    phone.page.goto(list_url)
    expect(phone.page.get_by_role("heading", name=title)).to_be_visible()
    expect(phone.page.locator("#items tbody tr").first).to_contain_text("未开始")
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("responsibility-list-leader-phone")
