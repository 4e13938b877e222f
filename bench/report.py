"""Figures of a run: percentiles, the printed table, the JSON result file and the comparison with an older one."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.cases import Timings

FORMAT = "qingfeng-bench/1"


def percentile(samples: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100), linear between the closest ranks (numpy's default)."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass
class Result:
    case: str
    role: str
    n: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    min_ms: float | None
    mean_ms: float | None
    errors: int
    error_messages: list[str] = field(default_factory=list)
    samples_ms: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # a case's own figures (e.g. the scan's second run)

    @classmethod
    def from_timings(cls, case: str, role: str, timings: Timings) -> Result:
        s = timings.samples_ms
        given = (timings.percentiles or {}) if not s else {}
        return cls(
            case=case,
            role=role,
            n=len(s),
            p50_ms=_round(percentile(s, 50) if s else given.get("p50")),
            p95_ms=_round(percentile(s, 95) if s else given.get("p95")),
            p99_ms=_round(percentile(s, 99) if s else given.get("p99")),
            max_ms=_round(max(s)) if s else _round(given.get("max")),
            min_ms=_round(min(s)) if s else None,
            mean_ms=_round(sum(s) / len(s)) if s else None,
            errors=timings.errors,
            error_messages=list(timings.error_messages),
            samples_ms=[round(x, 3) for x in s],
            extra=dict(timings.extra),
        )

    @property
    def key(self) -> tuple[str, str]:
        return (self.case, self.role)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right_from: int) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i >= right_from else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _ratio(value: Any) -> str:
    return f"{value:.1f}×" if isinstance(value, int | float) else "—"


def format_table(results: Sequence[Result]) -> str:
    """One line per case and role; for page cases the ratio of p50/p95 to the raw-SQL floor, for throughput
    cases the requests per second."""
    header = [
        "case",
        "role",
        "n",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "×floor p50",
        "×floor p95",
        "req/s",
        "errors",
    ]
    rows = []
    for r in results:
        rps = r.extra.get("requests_per_s") if r.case.startswith("throughput-") else None
        rows.append(
            [
                r.case,
                r.role,
                str(r.n),
                _ms(r.p50_ms),
                _ms(r.p95_ms),
                _ms(r.p99_ms),
                _ms(r.max_ms),
                _ratio(r.extra.get("ratio_p50")),
                _ratio(r.extra.get("ratio_p95")),
                f"{rps:.1f}" if isinstance(rps, int | float) else "—",
                str(r.errors),
            ]
        )
    return _table(header, rows, right_from=2)


def write_json(
    path: Path, meta: dict[str, Any], results: Sequence[Result], targets: Sequence[dict[str, Any]] = ()
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, **meta, "results": [asdict(r) for r in results], "targets": list(targets)}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def load_json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a bench result ({FORMAT})")
    return data


def _change(old: float | None, new: float | None) -> str:
    if old is None or new is None:
        return "—"
    if old == 0:
        return "—"
    return f"{(new - old) / old * 100:+.1f}%"


def format_comparison(previous: dict[str, Any], results: Sequence[Result]) -> str:
    """p50/p95/p99 (and requests per second) now against the previous file, per case and role; positive
    percentages are slower (for req/s: more requests)."""
    before = {(r["case"], r["role"]): r for r in previous.get("results", [])}
    header = ["case", "role", "p50 before", "p50 now", "Δp50", "p95 before", "p95 now", "Δp95", "Δp99", "Δreq/s"]
    rows = []
    for r in results:
        old = before.get(r.key)
        if old is None:
            rows.append([r.case, r.role, "(新)", _ms(r.p50_ms), "—", "(新)", _ms(r.p95_ms), "—", "—", "—"])
            continue
        old_rps, rps = (old.get("extra") or {}).get("requests_per_s"), r.extra.get("requests_per_s")
        rows.append(
            [
                r.case,
                r.role,
                _ms(old.get("p50_ms")),
                _ms(r.p50_ms),
                _change(old.get("p50_ms"), r.p50_ms),
                _ms(old.get("p95_ms")),
                _ms(r.p95_ms),
                _change(old.get("p95_ms"), r.p95_ms),
                _change(old.get("p99_ms"), r.p99_ms),
                _change(old_rps, rps) if r.case.startswith("throughput-") else "—",
            ]
        )
    return _table(header, rows, right_from=2)


def comparability_notes(previous: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    """What differs between the two runs in ways that move the figures."""
    notes = []
    checks = [
        ("数据库", ("database", "vendor")),
        ("CPU 核数", ("machine", "cpu_count")),
        ("Python", ("machine", "python")),
        ("工作进程数", ("server", "workers")),
        ("数据规模", ("data", "size")),
    ]
    for label, (section, key) in checks:
        old = previous.get(section, {}).get(key)
        new = meta.get(section, {}).get(key)
        if old != new:
            notes.append(f"{label}不同：之前 {old}，本次 {new}")
    return notes
