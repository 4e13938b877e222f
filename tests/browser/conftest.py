"""Browser tests: headless Debian chromium driven by Playwright against pytest-django's live server.

Without chromium (or without Playwright) every test here is skipped with the reason, and the rest of the suite runs.
The live server needs committed data, so these tests use a transactional database: Django flushes it AFTER each
test, and each test therefore rebuilds the demo world when it is missing (`demo_world`). pytest-django runs
transactional tests after the others, so the flush never takes the cast away from the rest of the suite.

Screenshots go to test-output/screenshots/ (git-ignored) for someone to look at."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qingfeng.org import demo

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
SKIP_REASON = "chromium 未安装：跳过浏览器测试 (chromium is not installed: browser tests skipped)"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    # A common phone: 390 CSS pixels wide, touch, rendered at twice the density.
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
# Records CSP violations as the page sees them (init scripts are injected by the browser, not by the page, so the
# page's own policy does not apply to this one).
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip(SKIP_REASON)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright 未安装：跳过浏览器测试 (playwright is not importable: browser tests skipped)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo_world(transactional_db: None) -> demo.Cast:
    """The demo world, committed: the session-built one for the first browser test, a rebuilt one after a flush."""
    if not demo.exists():
        demo.build()
    return demo.load()


class Journey:
    """One browser context (desktop or phone) with its page, the console errors it logged and its CSP probe."""

    def __init__(self, context: Any, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.errors: list[str] = []
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"页面脚本异常: {exc}"))

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def login(self, username: str, password: str = demo.DEMO_PASSWORD) -> None:
        self.goto("/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_load_state()

    def csp_violations(self) -> list[str]:
        seen = self.page.evaluate("window.__cspViolations || []")
        return list(seen) + [e for e in self.errors if "Content Security Policy" in e]

    def assert_clean(self, *, allow: tuple[str, ...] = ()) -> None:
        """No CSP violation at all, and no console error except the ones named in `allow`."""
        assert self.csp_violations() == [], f"CSP 拦截了页面内容: {self.csp_violations()}"
        errors = [e for e in self.errors if not any(a in e for a in allow)]
        assert errors == [], f"浏览器控制台报错: {errors}"

    def assert_no_horizontal_scroll(self) -> None:
        widths = self.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"页面横向溢出: scrollWidth {widths[0]} > clientWidth {widths[1]}"

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def journey(browser: Any, live_server: Any, demo_world: demo.Cast) -> Iterator[Callable[..., Journey]]:
    """journey("phone") → a fresh browser context on the live server; closed after the test."""
    contexts: list[Any] = []

    def _open(device: str = "desktop", **kwargs: Any) -> Journey:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **DEVICES[device], **kwargs)
        context.add_init_script(CSP_PROBE)
        contexts.append(context)
        return Journey(context, live_server.url)

    yield _open
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """`make test` runs quietly; say plainly when the browser tests were skipped, and why."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "browser" in getattr(r, "keywords", {})]
    if skipped:
        reason = skipped[0].longrepr[2] if isinstance(skipped[0].longrepr, tuple) else str(skipped[0].longrepr)
        terminalreporter.write_line(f"已跳过 {len(skipped)} 个浏览器测试：{reason.removeprefix('Skipped: ')}")
