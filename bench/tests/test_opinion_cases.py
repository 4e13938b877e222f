"""The 舆情处置 bench cases (issue 8): registered, run by the sizes the brief says, their targets' lines, and the
monitoring export the import case builds (its duplicates judged as planned)."""

from __future__ import annotations

import datetime as dt

from bench.cases import CASES, Timings
from bench.cli import DEFAULT_CASES
from bench.pages import PAGE_BY_KEY
from bench.report import Result
from bench.targets import FAIL, PASS, UNTESTED, evaluate


def test_registered_and_run_by_size() -> None:
    assert {"opinion-severity", "opinion-import-10k", "page-opinion"} <= set(CASES)
    assert PAGE_BY_KEY["opinion"].path({}) == "/opinion/dashboard/"
    assert PAGE_BY_KEY["opinion"].p95_ms == 200.0
    assert "opinion-severity" in DEFAULT_CASES["tiny"] and "opinion-import-10k" not in DEFAULT_CASES["tiny"]
    assert {"opinion-severity", "opinion-import-10k", "page-opinion"} <= set(DEFAULT_CASES["full"])


def test_targets() -> None:
    fast = Result.from_timings("opinion-severity", "clerk", Timings(samples_ms=[1.0] * 99 + [9.0]))
    slow = Timings(samples_ms=[12_500.0])
    slow.extra = {"preview_ms": 4000.0, "confirm_ms": 8500.0, "created": 8000, "merged": 2000}
    targets = {t["id"]: t for t in evaluate([fast, Result.from_timings("opinion-import-10k", "clerk", slow)])}
    assert targets["opinion:severity"]["status"] == PASS
    assert targets["opinion:import"]["status"] == FAIL and "12.5 s" in targets["opinion:import"]["figure"]
    assert targets["page-p95:opinion/jiwei"]["status"] == UNTESTED
    assert {t["id"]: t for t in evaluate([])}["opinion:import"]["status"] == UNTESTED


def test_the_export_holds_the_planned_duplicates(cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from bench.opinion_data import workbook
    from qingfeng.opinion.services import importing

    now = timezone.now()
    content, plan = workbook(600, now - dt.timedelta(minutes=1))
    assert plan["same_link"] > 20 and plan["near"] > 20 and sum(plan.values()) == 600
    rows, encoding = importing.read_rows(SimpleUploadedFile("监测.xlsx", content))
    judged = importing.judge(cast.bureau, rows, now=now)
    assert encoding == "xlsx" and len(rows) == 600
    assert judged.counts == {"new": plan["new"], "merged": plan["same_link"] + plan["near"], "refused": 0}
