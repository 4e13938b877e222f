"""CPU seconds used by the parties of a measurement on the same machine, read from /proc (Linux):

- server: every process of the gunicorn process group (master and workers), utime + stime, plus cutime + cstime
  (children they have reaped: collectstatic, a worker that was restarted);
- database: on PostgreSQL only, the backends of the bench's database and the cluster's own processes
  (checkpointer, walwriter, autovacuum…), not other databases' backends on the same server; backends that exit
  within the window are not counted (the server keeps its connections: CONN_MAX_AGE);
- harness: this process (the Python load generator's threads), from getrusage.

A meter is read before and after a window; the figure is the difference. Elsewhere than Linux it reads nothing
and the figures are None."""

from __future__ import annotations

import os
import resource
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def _stat(pid: str) -> tuple[str, list[str]] | None:
    try:
        raw = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split at the last ")".
    open_, close = raw.find("("), raw.rfind(")")
    return raw[open_ + 1 : close], raw[close + 2 :].split()


def _seconds(fields: list[str]) -> float:
    # after the comm: [0] state, [1] ppid, [2] pgrp, … [11] utime, [12] stime, [13] cutime, [14] cstime
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS


def _processes() -> list[str]:
    try:
        return [p.name for p in PROC.iterdir() if p.name.isdigit()]
    except OSError:
        return []


def group_cpu(pgid: int) -> dict[int, float]:
    """CPU seconds so far of each process in the process group."""
    out = {}
    for pid in _processes():
        stat = _stat(pid)
        if stat is not None and int(stat[1][2]) == pgid:
            out[int(pid)] = _seconds(stat[1])
    return out


def _backend_database(pid: str) -> str | None:
    """The database of a postgres backend, from its process title ("postgres: 15/main: user db host(port) state");
    None for the postmaster and the cluster's own processes (checkpointer, walwriter, autovacuum launcher…)."""
    try:
        title = (PROC / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return None
    parts = title.split(": ", 2)
    if len(parts) < 3 or parts[0] != "postgres":
        return None
    words = parts[2].split()
    if len(words) >= 3 and ("(" in words[2] or words[2] == "[local]"):
        return words[1]
    return None


def postgres_cpu(database: str | None = None) -> dict[int, float]:
    """CPU seconds so far of the postgres server processes. With `database`: the backends of that database and the
    cluster's own processes, not other databases' backends (the machine may serve others) nor the backends that
    exited (the postmaster's reaped-children figures mix all databases); without: every postgres process."""
    out = {}
    for pid in _processes():
        stat = _stat(pid)
        if stat is None or stat[0] != "postgres":
            continue
        if database is None:
            out[int(pid)] = _seconds(stat[1])
            continue
        backend_of = _backend_database(pid)
        if backend_of is None or backend_of == database:
            out[int(pid)] = sum(int(stat[1][i]) for i in (11, 12)) / TICKS
    return out


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    # A process born in the window counts from zero; one that died in it is lost unless its parent reaped it.
    return sum(max(0.0, seconds - before.get(pid, 0.0)) for pid, seconds in after.items())


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU seconds of the server group, the database and this process over one window."""

    def __init__(self, server_pgid: int | None, postgres: bool, database: str | None = None) -> None:
        self.server_pgid = server_pgid
        self.postgres = postgres and PROC.is_dir()
        self.database = database
        self._before: dict[str, object] = {}

    def start(self) -> CpuMeter:
        self._before = {
            "server": group_cpu(self.server_pgid) if self.server_pgid and PROC.is_dir() else None,
            "database": postgres_cpu(self.database) if self.postgres else None,
            "harness": _self_cpu(),
        }
        return self

    def stop(self) -> dict[str, float | None]:
        server, database = self._before["server"], self._before["database"]
        harness = self._before["harness"]
        return {
            "server_s": round(_delta(server, group_cpu(self.server_pgid or 0)), 2)
            if isinstance(server, dict)
            else None,
            "database_s": round(_delta(database, postgres_cpu(self.database)), 2)
            if isinstance(database, dict)
            else None,
            "harness_s": round(_self_cpu() - float(harness), 2) if isinstance(harness, float) else None,
        }


def describe(cpu: dict[str, float | None], wall_s: float | None = None) -> str:
    """CPU figures for a printed line, e.g. "CPU 服务 3.1 s · 数据库 1.2 s · wrk 0.8 s（墙钟 10.0 s）"."""
    names = {"server_s": "服务", "database_s": "数据库", "harness_s": "压测客户端", "wrk_s": "wrk"}
    parts = [f"{label} {cpu[k]:.1f} s" for k, label in names.items() if cpu.get(k) is not None]
    wall = f"（墙钟 {wall_s:.1f} s）" if wall_s is not None else ""
    return ("CPU " + " · ".join(parts) + wall) if parts else ""
