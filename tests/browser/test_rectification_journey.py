"""The 巡察整改 journey in a real browser, as the issue tells it: the clerk opens a round and imports its problem list
from an .xlsx file (a title row above the header, merged 序号/类别/问题 cells); the three measures are assigned as
督办事项 to 财务股; the head of 财务股 signs for one, uploads a PDF as evidence and asks for 销号; the 纪检组长 approves
it. Screenshots of the round's dashboard and the 整改台账 (desktop and phone) go to test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook

from qingfeng.org import demo
from tests.browser.test_supervision_journey import small_pdf

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser

ROUND = "市委第二轮巡察"
BODY = "市委第十巡察组"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "序号",
    "问题类别",
    "具体问题",
    "严重程度",
    "整改措施",
    "责任领导",
    "责任部门",
    "责任人",
    "整改时限",
    "整改类型",
]
FINDING_1 = "财务报销审核把关不严，部分差旅费报销附件不全"
FINDING_2 = "意识形态工作责任制落实不到位"
MEASURES = (
    "逐笔复核2023年以来差旅费报销凭证，补齐附件",
    "修订财务报销审核制度，明确审核要点",
    "每季度专题研究意识形态工作",
)
# How the rows are found on the pages: the start of each measure, before its punctuation.
KEYS = ("逐笔复核2023年以来差旅费报销凭证", "修订财务报销审核制度", "每季度专题研究意识形态工作")


def problem_list(deadline: dt.date) -> bytes:
    """The 问题清单 as a 巡察组 sends it: a title row, the header, finding 1 with two measure rows (序号, 类别 and
    问题 merged over both) and finding 2 with one."""
    book = Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    sheet.append([f"{ROUND}反馈问题整改清单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    due = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    owners = ["李志强", "财务股", "杨丽娟", due, "限期整改"]
    sheet.append(["1", "财务管理", FINDING_1, "一般", MEASURES[0], *owners])
    sheet.append([None, None, None, None, MEASURES[1], *owners])
    for column in (1, 2, 3, 4):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    sheet.append(["2", "意识形态", FINDING_2, "一般", MEASURES[2], *owners])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_clerk_imports_head_asks_for_closing_inspector_approves(journey, demo_world: demo.Cast) -> None:
    today = timezone.localdate()
    deadline = today + dt.timedelta(days=45)

    # 1. The clerk opens the round.
    clerk = journey("desktop")
    clerk.login("clerk")
    page = clerk.page
    page.locator(".sidenav").get_by_role("link", name="整改轮次").click()
    expect(page.get_by_role("heading", name="整改轮次")).to_be_visible()
    page.get_by_role("link", name="新建整改轮次").click()
    page.fill("input[name=name]", ROUND)
    page.fill("input[name=body]", BODY)
    page.select_option("select[name=kind]", label="巡察")
    page.fill("input[name=feedback_date]", today.isoformat())
    page.get_by_role("button", name="建立").click()
    expect(page.locator(".messages")).to_contain_text(f"整改轮次“{ROUND}”已建立")
    expect(page.get_by_role("heading", name=ROUND)).to_be_visible()
    round_url = page.url
    clerk.assert_clean()

    # 2. The problem list, imported from the file.
    page.get_by_role("link", name="导入问题清单").click()
    expect(page.get_by_role("heading", name=re.compile("问题清单导入"))).to_be_visible()
    expect(page.get_by_role("link", name="下载模板")).to_be_visible()
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "问题清单.xlsx", "mimeType": XLSX, "buffer": problem_list(deadline)}]
    )
    page.get_by_role("button", name="导入").click()
    expect(page.locator(".messages")).to_contain_text("导入成功：问题 2 个，整改措施 3 条")
    assert page.url == round_url
    findings = page.locator("#findings article.finding")
    expect(findings).to_have_count(2)
    # Matched on a fragment without punctuation: the importer's NFKC turns the full-width "，" into "," (reported).
    expect(findings.first).to_contain_text("财务报销审核把关不严")
    measures = page.locator("#findings table.list tbody tr")
    expect(measures).to_have_count(3)
    numbers = [n.strip() for n in page.locator("#findings td[data-label=督办编号]").all_inner_texts()]
    assert all(n and n != "—" for n in numbers), numbers
    first = measures.filter(has_text=KEYS[0])
    expect(first.locator("td[data-label=责任领导]")).to_have_text("李志强")
    expect(first.locator("td[data-label=责任部门]")).to_have_text("财务股")
    expect(first.locator("td[data-label=责任人]")).to_have_text("杨丽娟")
    expect(first.locator("td[data-label=时限]")).to_have_text(f"{deadline.year}年{deadline.month}月{deadline.day}日")
    expect(first.locator("td[data-label=类型]")).to_have_text("限期整改")
    expect(page.locator("#dashboard")).to_contain_text("措施 3 项")
    number = first.locator("td[data-label=督办编号]").inner_text().strip()
    clerk.assert_clean()
    clerk.screenshot("rectification-dashboard-clerk-desktop")

    # 3. The head of 财务股 opens the measure's task from the round page, signs, reports 100 % with a PDF and asks
    #    for 销号 (提交办结审核).
    head = journey("desktop")
    head.login("head")
    page = head.page
    page.goto(round_url)
    expect(page.get_by_role("heading", name=ROUND)).to_be_visible()
    page.locator("#findings").get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(number)))).to_be_visible()
    task_url = page.url
    page.locator("#parts").get_by_role("button", name="签收").click()
    expect(page.locator(".messages")).to_contain_text("“财务股”已签收")
    report = page.locator("#report")
    report.locator("input[name=percent]").fill("100")
    report.locator("textarea[name=text]").fill("已逐笔复核差旅费报销凭证 126 笔，补齐附件 14 笔，整改完成。")
    report.locator("input[name=files]").set_input_files(
        files=[{"name": "差旅费复核情况.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    report.get_by_role("button", name="报送").click()
    expect(page.locator(".messages")).to_contain_text("进展已报送")
    expect(page.locator("#reports")).to_contain_text("形象进度 100%")
    expect(page.locator("#reports").get_by_role("link", name="差旅费复核情况.pdf")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # the form asks "提交后由牵头领导审核办结，确定？"
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("已提交办结审核")
    expect(page.locator("#facts")).to_contain_text("待审核")
    head.assert_clean()

    # 4. The 纪检组长 approves the 销号 with a rating she chooses.
    inspector = journey("desktop")
    inspector.login("inspector")
    page = inspector.page
    page.goto(round_url)
    row = page.locator("#findings table.list tbody tr").filter(has_text=KEYS[0])
    row.get_by_role("link", name="审核销号").click()
    assert page.url.split("#")[0] == task_url
    review = page.locator("#review")
    expect(review.locator("select[name=rating] option:checked")).to_have_text("请选择")
    review.locator("select[name=rating]").select_option(label="良好")
    review.locator("input[name=remark]").fill("佐证材料齐全，同意销号。")
    review.get_by_role("button", name="审核通过（办结）").click()
    expect(page.locator(".messages")).to_contain_text("已审核办结")
    expect(page.locator("#facts")).to_contain_text("已办结")
    expect(page.locator("#facts")).to_contain_text("良好")
    inspector.assert_clean()

    page.goto(round_url)
    row = page.locator("#findings table.list tbody tr").filter(has_text=KEYS[0])
    expect(row.locator("td[data-label=销号] .tag")).to_have_text("已销号")
    expect(row.locator("td[data-label=状态]")).to_contain_text("已整改")
    expect(page.locator("#dashboard")).to_contain_text("已销号 1")
    inspector.assert_clean()

    # 5. The 整改台账: on the inspector's desktop, and on the head's phone without sideways scrolling.
    page.get_by_role("link", name="整改台账").click()
    ledger = page.locator("table.ledger tbody tr")
    expect(ledger).to_have_count(3)
    expect(ledger.filter(has_text=KEYS[0])).to_contain_text("已整改")
    expect(ledger.filter(has_text=KEYS[0])).to_contain_text("差旅费复核情况.pdf")
    ledger_url = page.url
    inspector.assert_clean()
    inspector.screenshot("ledger-inspector-desktop")

    phone = journey("phone", storage_state=head.context.storage_state())
    phone.page.goto(ledger_url)
    expect(phone.page.locator("table.ledger tbody tr").filter(has_text=KEYS[0])).to_contain_text("已整改")
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("ledger-head-phone")
