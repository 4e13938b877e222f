"""Throughput: wrk (Debian's package) against one page of a logged-in session, in its own process, bounded in time,
on the loopback only. A small Lua script counts every response that is not 200 — wrk's own "Non-2xx or 3xx"
counter lets a redirect to the log-in page pass. The CPU used by wrk comes from os.wait4's rusage, the server's
and the database's from /proc (bench.cpu)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cpu import CpuMeter

LUA = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  first = ""
  cookies = args
  sent = 0
end
-- Each request takes the next session of the list (the arguments after "--"): the sessions are saved on every
-- request, and real users do not share one.
function request()
  sent = sent + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  if #cookies > 0 then
    headers["Cookie"] = cookies[(sent % #cookies) + 1]
  end
  return wrk.format(nil, nil, headers)
end
function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if first == "" then
      first = tostring(status) .. " " .. (headers["Location"] or "")
    end
  end
end
function done(summary, latency, requests)
  local total, example = 0, ""
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
    if example == "" then example = thread:get("first") end
  end
  io.write(string.format("BENCH_BAD_STATUS %d %s\\n", total, example))
end
"""

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _ms(text: str) -> float | None:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return round(float(m.group(1)) * _UNITS[m.group(2)], 3) if m else None


def parse(output: str) -> dict[str, Any]:
    """The figures of wrk's --latency report (and of the Lua script's last line)."""
    out: dict[str, Any] = {"latency_ms": {}}
    if m := re.search(r"([\d.]+)\s+requests in ([\d.]+)(\w+)", output):
        out["requests"] = int(float(m.group(1)))
        out["duration_s"] = (_ms(m.group(2) + m.group(3)) or 0) / 1000
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        out["requests_per_s"] = float(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups()), strict=True))
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        out["non_2xx_3xx"] = int(m.group(1))
    if m := re.search(r"BENCH_BAD_STATUS (\d+) ?(.*)", output):
        out["not_200"] = int(m.group(1))
        out["not_200_example"] = m.group(2).strip()
    block = output.split("Latency Distribution", 1)[-1] if "Latency Distribution" in output else ""
    for q, value in re.findall(r"^\s+(\d+)%\s+(\S+)", block, flags=re.MULTILINE):
        out["latency_ms"][f"p{q}"] = _ms(value)
    return out


def errors_of(figures: dict[str, Any]) -> int:
    sockets = sum((figures.get("socket_errors") or {}).values())
    return sockets + int(figures.get("not_200", 0)) + (0 if "requests" in figures else 1)


def run_wrk(
    url: str,
    cookies: list[str],
    *,
    connections: int,
    duration_s: int,
    threads: int = 2,
    server_pgid: int | None = None,
    postgres: bool = False,
    database: str | None = None,
    timeout_s: float = 5,
) -> dict[str, Any]:
    """One bounded wrk run, the requests taking the `cookies` (one Cookie header value per session) in turn; its
    figures, the CPU of each party, and wrk's raw output."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"wrk only runs against the loopback, not {url}")
    binary = wrk_path()
    if binary is None:
        raise FileNotFoundError("wrk")
    with tempfile.TemporaryDirectory(prefix="qingfeng-wrk-") as tmp:
        script, output = Path(tmp) / "count.lua", Path(tmp) / "out.txt"
        script.write_text(LUA, encoding="utf-8")
        argv = [
            binary,
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{duration_s}s",
            "--timeout",
            f"{timeout_s:g}s",
            "--latency",
            "-s",
            str(script),
            "-H",
            "User-Agent: qingfeng-bench-wrk",
            url,
            "--",
            *cookies,
        ]
        meter = CpuMeter(server_pgid, postgres, database).start()
        started = time.monotonic()
        with output.open("wb") as sink:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)
            try:
                _, status, usage = os.wait4(process.pid, 0)
            except BaseException:
                process.kill()
                process.wait()
                raise
            process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        cpu = meter.stop()
        cpu.pop("harness_s", None)
        cpu["wrk_s"] = round(usage.ru_utime + usage.ru_stime, 2)
        text = output.read_text(encoding="utf-8", errors="replace")
    figures = parse(text)
    figures.update(
        wall_s=round(wall, 2),
        cpu=cpu,
        exit_code=process.returncode,
        connections=connections,
        threads=threads,
        duration_s_asked=duration_s,
        output=text.strip().splitlines()[-20:],
    )
    return figures
