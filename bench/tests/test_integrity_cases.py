"""The 两个责任 / 廉政建设 page cases (issue 7): their paths, their own p95 limits, and the skip of a page whose route
or manifest object does not exist yet."""

from __future__ import annotations

from types import SimpleNamespace

from bench.cases import CASES, CaseContext, Timings
from bench.deadline import Deadline
from bench.manifest import FORMAT, Manifest
from bench.pages import PAGE_BY_KEY
from bench.report import Result
from bench.targets import FAIL, PASS, UNTESTED, evaluate

DATA = {
    "format": FORMAT,
    "size": "tiny",
    "now": "2026-11-25T10:00:00+08:00",
    "password": "secret",
    "logins": {"leader": "u1", "head": "u2", "clerk": "u3", "city": "u4", "secretary": "u5", "jiwei": "j"},
    "user_ids": {"leader": 1, "head": 2, "clerk": 3, "city": 4, "secretary": 5, "jiwei": 6},
    "person_ids": {"leader": 11, "head": 12, "clerk": 13, "city": 14, "secretary": 15, "jiwei": None},
    "pages": {"unit": 5, "department": 17, "deployment": 123, "round": 45, "file_person": 11},
}


def test_paths_and_limits() -> None:
    pages = DATA["pages"]
    assert PAGE_BY_KEY["file"].path(pages) == "/integrity/files/11/"
    assert PAGE_BY_KEY["ledger_stats"].path(pages) == "/integrity/ledger/stats/"
    assert PAGE_BY_KEY["dashboard"].path(pages) == "/responsibility/dashboard/"
    results = [
        Result.from_timings("page-ledger_stats", "jiwei", Timings(samples_ms=[300.0] * 20)),
        Result.from_timings("page-file", "leader", Timings(samples_ms=[300.0] * 20)),
    ]
    targets = {t["id"]: t for t in evaluate(results)}
    assert targets["page-p95:ledger_stats/jiwei"]["status"] == PASS  # < 500 ms over all ledger records
    assert "500" in targets["page-p95:ledger_stats/jiwei"]["label"]
    assert targets["page-p95:file/leader"]["status"] == FAIL  # < 200 ms
    assert targets["page-p95:file/inspector"]["status"] == UNTESTED


class _Client:
    def __init__(self, status: int) -> None:
        self.status = status

    def timed(self, method: str, path: str) -> tuple[float, SimpleNamespace]:
        return 1.0, SimpleNamespace(status_code=self.status)


def _context(data: dict, role: str, status: int = 404) -> CaseContext:
    pool = SimpleNamespace(clients=lambda username, n: [_Client(status)])
    state = SimpleNamespace(manifest=Manifest.from_dict(data, "test"), pool=pool, profile=SimpleNamespace(users=4))
    return CaseContext("http://127.0.0.1:1", Deadline(60), role, "", 1, 0, state=state)  # type: ignore[arg-type]


def test_a_page_not_built_yet_is_skipped_with_a_line() -> None:
    timings = CASES["page-dashboard"].func(_context(DATA, "secretary"))
    assert not timings.samples_ms and not timings.errors
    assert "路由尚不存在" in timings.extra["skipped"] and timings.extra["summary"].startswith("跳过")
    result = Result.from_timings("page-dashboard", "secretary", timings)
    target = next(t for t in evaluate([result]) if t["id"] == "page-p95:dashboard/secretary")
    assert target["status"] == UNTESTED and "路由尚不存在" in target["figure"]


def test_an_older_manifest_skips_the_new_pages() -> None:
    old = {**DATA, "pages": {k: v for k, v in DATA["pages"].items() if k != "file_person"}}
    old["logins"] = {k: v for k, v in DATA["logins"].items() if k != "jiwei"}
    assert "file_person" in CASES["page-file"].func(_context(old, "leader")).extra["skipped"]
    assert "jiwei" in CASES["page-ledger_stats"].func(_context(old, "jiwei")).extra["skipped"]
