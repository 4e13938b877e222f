"""Unit tests of the harness's own logic (no server, no database): `.venv/bin/pytest bench/tests`. Not collected by
`make test` (the project's testpaths are qingfeng and tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.cases import Timings
from bench.manifest import FORMAT, Manifest, ManifestError
from bench.pages import PAGES
from bench.report import Result, format_comparison, format_table
from bench.targets import FAIL, PASS, UNTESTED, annotate_ratios, evaluate, format_targets
from bench.throughput import errors_of, parse

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8765/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   120.50ms   30.10ms 450.00ms   70.00%
    Req/Sec   200.00     20.00   250.00     66.67%
  Latency Distribution
     50%  110.25ms
     75%  140.00ms
     90%  180.00ms
     99%    1.20s
  1234 requests in 3.01s, 5.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    409.97
Transfer/sec:      1.66MB
BENCH_BAD_STATUS 7 302 /login/?next=/
"""

MANIFEST = {
    "format": FORMAT,
    "seed": 1,
    "size": {"units": 12, "tasks": 6000},
    "now": "2026-11-25T10:00:00+08:00",
    "password": "secret",
    "counts": {"units": 12},
    "seconds": {"total": 4.2},
    "logins": {"leader": "u1", "head": "u2", "clerk": "u3", "city": "u4"},
    "user_ids": {"leader": 1, "head": 2, "clerk": 3, "city": 4},
    "person_ids": {"leader": 11, "head": 12, "clerk": 13, "city": 14},
    "pages": {"unit": 5, "department": 17, "deployment": 123, "round": 45, "file_person": 11},
}


def test_parse_wrk_report() -> None:
    figures = parse(WRK_OUTPUT)
    assert figures["requests"] == 1234
    assert figures["requests_per_s"] == 409.97
    assert figures["latency_ms"] == {"p50": 110.25, "p75": 140.0, "p90": 180.0, "p99": 1200.0}
    assert figures["socket_errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 1}
    assert figures["not_200"] == 7
    assert figures["not_200_example"] == "302 /login/?next=/"
    # socket errors and every response that is not 200 (the redirects included); wrk's own non-2xx count is
    # a subset of the latter
    assert errors_of(figures) == 10


def test_wrk_report_without_requests_is_an_error() -> None:
    assert errors_of(parse("unable to connect to 127.0.0.1:1 Connection refused")) == 1


def test_manifest_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(MANIFEST), encoding="utf-8")
    manifest = Manifest.load(path)
    assert manifest.logins["city"] == "u4"
    assert manifest.pages["deployment"] == 123
    assert "password" not in manifest.summary()
    assert Manifest.from_dict(manifest.to_dict(), "again").pages == manifest.pages


def test_manifest_missing_role_is_refused() -> None:
    broken = {**MANIFEST, "logins": {"leader": "u1"}}
    with pytest.raises(ManifestError, match="city"):
        Manifest.from_dict(broken, "x")


def test_page_paths_from_manifest() -> None:
    paths = {p.key: p.path(MANIFEST["pages"]) for p in PAGES}
    assert paths["tasks"] == "/supervision/tasks/?unit=5&status=in_progress&department=17"
    assert paths["deployment"] == "/supervision/deployments/123/"
    assert paths["ledger"] == "/rectification/rounds/45/ledger/"


def _page_result(case: str, role: str, samples: list[float], floor_ms: float, queries: tuple[int, int]) -> Result:
    timings = Timings(samples_ms=samples)
    timings.extra = {
        "floor": {"p50_ms": floor_ms, "p95_ms": floor_ms},
        "queries": {"scale": {"queries": queries[0], "status": 200}, "demo": {"queries": queries[1], "status": 200}},
    }
    return Result.from_timings(case, role, timings)


def test_targets_of_a_page() -> None:
    fast = _page_result("page-board", "leader", [50.0] * 20, 20.0, (16, 16))
    slow = _page_result("page-board", "city", [50.0] * 15 + [900.0] * 5, 1.0, (300, 16))
    annotate_ratios([fast, slow])
    assert fast.extra["ratio_p50"] == 2.5
    targets = {t["id"]: t for t in evaluate([fast, slow])}
    assert targets["page-p95:board/leader"]["status"] == PASS
    assert targets["page-floor:board/leader"]["status"] == PASS
    assert targets["page-queries:board/leader"]["status"] == PASS
    assert targets["page-p95:board/city"]["status"] == FAIL
    assert targets["page-floor:board/city"]["status"] == FAIL
    assert targets["page-queries:board/city"]["status"] == FAIL
    assert targets["page-p95:ledger/clerk"]["status"] == UNTESTED
    assert targets["throughput:workbench"]["status"] == UNTESTED


def test_missing_page_is_untested_with_its_error() -> None:
    timings = Timings()
    timings.fail("PageMissing: GET /supervision/overview/ → 404：页面不存在")
    result = Result.from_timings("page-overview", "leader", timings)
    target = next(t for t in evaluate([result]) if t["id"] == "page-p95:overview/leader")
    assert target["status"] == UNTESTED
    assert "404" in target["figure"]


def test_throughput_target_and_table() -> None:
    timings = Timings(percentiles={"p50": 110.0, "p99": 1200.0})
    timings.extra = {"requests_per_s": 160.0}
    result = Result.from_timings("throughput-workbench", "leader", timings)
    assert (result.n, result.p50_ms, result.p99_ms) == (0, 110.0, 1200.0)
    target = next(t for t in evaluate([result]) if t["id"] == "throughput:workbench")
    assert target["status"] == PASS
    assert "160.0" in format_table([result])
    text = format_targets(evaluate([result]), size="tiny", vendor="sqlite")
    assert "仅供参考" in text
    previous = {"results": [{"case": "throughput-workbench", "role": "leader", "extra": {"requests_per_s": 80.0}}]}
    assert "+100.0%" in format_comparison(previous, [result])
