"""User journeys in a real browser (headless Debian chromium): what each role sees and does, on desktop and phone,
with screenshots under test-output/screenshots/ and no Content-Security-Policy violations on the way."""

from __future__ import annotations

import re

import pytest

from qingfeng.org import demo

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test here, saying why
    expect = None  # type: ignore[assignment]
pytestmark = pytest.mark.browser


def test_head_logs_in_and_sees_the_workbench_on_desktop_and_phone(journey, demo_world: demo.Cast) -> None:
    desk = journey("desktop")
    response = desk.goto("/login/")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    desk.login("head")

    page = desk.page
    assert page.url == desk.base_url + "/"
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.locator(".topbar")).to_contain_text("陈文斌")
    for panel in ("我的待办", "今日到期", "未读通知"):
        expect(page.get_by_role("heading", name=panel)).to_be_visible()
    expect(page.locator("#me")).to_contain_text("财务股股长")
    desk.assert_clean()
    desk.screenshot("workbench-head-desktop")

    # The same session on a phone: the navigation folds, nothing scrolls sideways.
    phone = journey("phone", storage_state=desk.context.storage_state())
    phone.goto("/")
    expect(phone.page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(phone.page.locator(".topbar")).to_contain_text("陈文斌")
    expect(phone.page.locator("details.sidenav")).not_to_have_attribute("open", "")
    expect(phone.page.locator("details.sidenav summary")).to_have_text("功能菜单")
    expect(phone.page.locator(".sidenav nav")).to_be_hidden()
    phone.assert_no_horizontal_scroll()
    phone.assert_clean()
    phone.screenshot("workbench-head-phone")


def test_sysadmin_filters_people_and_changes_a_post(journey, demo_world: demo.Cast) -> None:
    j = journey("desktop")
    j.login("sysadmin")
    page = j.page

    page.locator(".sidenav").get_by_role("link", name="干部职工").click()
    expect(page.get_by_role("heading", name="干部职工")).to_be_visible()
    finance = demo_world.departments["财务股"]
    page.locator("select[name=department]").select_option(str(finance.pk))
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="杨丽娟")).to_be_visible()
    departments = page.locator("td[data-label=科室]").all_inner_texts()
    assert departments and set(departments) == {"财务股"}

    page.get_by_role("link", name="杨丽娟").click()
    expect(page.get_by_role("heading", name=re.compile("杨丽娟"))).to_be_visible()
    expect(page.get_by_role("group", name="分管科室")).to_be_visible()
    page.fill("input[name=post]", "财务股副股长")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("人员信息已保存")
    expect(page.locator("input[name=post]")).to_have_value("财务股副股长")
    j.assert_clean()
    j.screenshot("person-saved-sysadmin-desktop")

    page.locator(".sidenav").get_by_role("link", name="单位与科室").click()
    expect(page.get_by_role("heading", name="单位与科室")).to_be_visible()
    expect(page.locator("table.list")).to_contain_text("清河县住房和城乡建设局")
    j.assert_clean()
    j.screenshot("units-sysadmin-desktop")


def test_auditor_verifies_the_audit_chain(journey, demo_world: demo.Cast) -> None:
    j = journey("desktop")
    j.login("auditor")
    page = j.page

    page.locator(".sidenav").get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    expect(page.locator("table.list tbody tr").first).to_contain_text("auth.login")
    page.get_by_role("button", name="校验日志链").click()
    expect(page.locator(".messages")).to_contain_text("校验通过")
    j.assert_clean()
    j.screenshot("audit-verified-auditor-desktop", full_page=False)


def test_wrong_password_shows_the_chinese_error_on_a_phone(journey, demo_world: demo.Cast) -> None:
    j = journey("phone")
    j.login("staff", password="Wrong@Password1")
    page = j.page

    assert page.url.startswith(j.base_url + "/login/")
    expect(page.locator(".form-errors")).to_contain_text("用户名或密码错误")
    expect(page.locator("input[name=username]")).to_have_value("staff")
    j.assert_no_horizontal_scroll()
    j.assert_clean()
    j.screenshot("login-wrong-password-phone")
