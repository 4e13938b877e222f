"""The supervision journey in a real browser, as the issue tells it: the clerk decomposes the seed speech and assigns
two tasks; the head of 财务股 signs for one and reports 50 % with a PDF as evidence (on a phone as well); the
leader sees it on the 督办看板 and on the deployment's own board. Screenshots of the 分解表 and the boards go to
test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from qingfeng.org import demo

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2] / "qingfeng/supervision/tests/data/deployment-speech-2023h2.txt"
TITLE = "2023年下半年党风廉政建设、意识形态和“三抓三促”行动安排部署会议"
KEPT = (1, 2)  # the rows of the 分解表 the clerk keeps; every other row is unticked


def small_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table (what a scanner or a word processor would write)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_clerk_decomposes_head_reports_leader_sees_the_board(journey, demo_world: demo.Cast) -> None:
    today = timezone.localdate()
    soon, later = today + dt.timedelta(days=2), today + dt.timedelta(days=40)  # 即将到期 (yellow), and on track

    # 1. The clerk pastes the seed speech and gets the 任务分解表 to review.
    clerk = journey("desktop")
    clerk.login("clerk")
    page = clerk.page
    page.locator(".sidenav").get_by_role("link", name="工作部署").click()
    expect(page.get_by_role("heading", name="工作部署")).to_be_visible()
    page.get_by_role("link", name="新建部署").click()
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=date]", "2023-07-14")
    leader_option = page.locator("select[name=issuing_leader] option", has_text="李志强")
    page.select_option("select[name=issuing_leader]", leader_option.get_attribute("value"))
    page.fill("textarea[name=text]", SEED.read_text(encoding="utf-8"))
    page.get_by_role("button", name="下一步：分解任务").click()
    expect(page.get_by_role("heading", name=re.compile("核对任务分解表"))).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("请核对任务分解表后确认")
    titles = page.locator("table.review input[name$='-title']")
    drafted = [t for t in titles.evaluate_all("els => els.map(e => e.value)") if t.strip()]
    assert len(drafted) == 10, drafted
    expect(page.locator("#row-1 input[name$='-title']")).to_have_value("认真履行“两个责任”")
    clerk.assert_clean()
    clerk.screenshot("decomposition-clerk-desktop")

    # 2. Two rows kept, both given to 财务股 under 李志强 with 杨丽娟 responsible; the rest unticked.
    for no in range(1, len(drafted) + 1):
        if no not in KEPT:
            page.locator(f"#row-{no} input[name$='-keep']").uncheck()
    for no, deadline in zip(KEPT, (soon, later), strict=True):
        row = page.locator(f"#row-{no}")
        row.locator("select[name$='-lead_department']").select_option(label="财务股")
        row.locator("select[name$='-partner_departments']").select_option([])
        row.locator("select[name$='-lead_leader']").select_option(label="李志强")
        row.locator("select[name$='-responsible_person']").select_option(label="杨丽娟（财务股）")
        row.locator("input[name$='-deadline']").fill(deadline.isoformat())
        row.locator("select[name$='-kind']").select_option(label="限期")
    page.get_by_role("button", name="确认并交办").click()
    expect(page.locator(".messages")).to_contain_text("分解表已确认，已交办 2 项任务")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    board_rows = page.locator("table.list tbody tr")
    expect(board_rows).to_have_count(2)
    expect(board_rows.first).to_contain_text("认真履行“两个责任”")
    expect(board_rows.first).to_contain_text("待签收")
    number = board_rows.first.locator("td[data-label=督办编号]").inner_text().strip()  # 督〔年〕N号
    clerk.assert_clean()

    # 3. The head of 财务股 opens the task from 我的待办, signs for it and reports 50 % with a PDF.
    head = journey("desktop")
    head.login("head")
    page = head.page
    todo = page.locator("#todo")
    todo.get_by_role("link", name=f"待签收：{number} 认真履行“两个责任”").click()
    expect(page.get_by_role("heading", name=f"{number} 认真履行“两个责任”")).to_be_visible()
    task_url = page.url
    page.locator("#parts").get_by_role("button", name="签收").click()
    expect(page.locator(".messages")).to_contain_text("“财务股”已签收")
    report = page.locator("#report")
    report.locator("input[name=percent]").fill("50")
    report.locator("textarea[name=text]").fill("已对财务、人事、项目审批三个环节开展风险排查，问题清单正在汇总。")
    report.locator("input[name=files]").set_input_files(
        files=[{"name": "风险排查情况.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    report.get_by_role("button", name="报送").click()
    expect(page.locator(".messages")).to_contain_text("进展已报送")
    expect(page.locator("#reports")).to_contain_text("形象进度 50%")
    expect(page.locator("#reports").get_by_role("link", name="风险排查情况.pdf")).to_be_visible()
    head.assert_clean()

    # The same task on the head's phone: readable, and nothing scrolls sideways.
    phone = journey("phone", storage_state=head.context.storage_state())
    phone.page.goto(task_url)
    expect(phone.page.locator("#reports")).to_contain_text("形象进度 50%")
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("task-head-phone")

    # 4. The leader sees the task, due soon, with its percent on the 督办看板 and on the deployment's board.
    leader = journey("desktop")
    leader.login("leader")
    page = leader.page
    page.locator(".sidenav").get_by_role("link", name="督办看板").click()
    expect(page.get_by_role("heading", name="督办看板")).to_be_visible()
    item = page.locator("#due-soon li").filter(has_text=f"{number} 认真履行“两个责任”")
    expect(item).to_contain_text("财务股")
    expect(item).to_contain_text("进度 50%")
    leader.assert_clean()
    leader.screenshot("board-leader-desktop")

    page.locator(".sidenav").get_by_role("link", name="工作部署").click()
    page.get_by_role("link", name=TITLE).click()
    row = page.locator("table.list tbody tr").filter(has_text=number)
    expect(row.locator("td[data-label=进度]")).to_have_text("50%")
    expect(row.locator("td[data-label=状态]")).to_contain_text("办理中")
    leader.assert_clean()
    leader.screenshot("deployment-board-leader-desktop")
