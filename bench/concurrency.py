"""The latency runner: N users (threads of the bench process, each with its own logged-in session) request one
page at the same time; every response is timed. The Python client shares the machine's cores with the server
and the database: its own CPU is measured (cpu.CpuMeter, "harness") and reported with the figures."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.cases import Timings
from bench.client import CheckFailed, Client, expect
from bench.deadline import Deadline


class PageMissing(CheckFailed):
    """The page answers 404: it does not exist (yet)."""


class SessionPool:
    """Logged-in clients per account, made on first use (the log-ins of one account run in parallel) and kept for
    the run, so that every case of a role reuses the same sessions."""

    def __init__(self, base_url: str, deadline: Deadline, password: str, size: int) -> None:
        self.base_url = base_url
        self.deadline = deadline
        self.password = password
        self.size = size
        self._clients: dict[str, list[Client]] = {}

    def clients(self, username: str, count: int | None = None) -> list[Client]:
        count = count or self.size
        have = self._clients.setdefault(username, [])
        missing = count - len(have)
        if missing > 0:

            def login(_: int) -> Client:
                client = Client(self.base_url, self.deadline)
                try:
                    client.login(username, self.password)
                except BaseException:
                    client.close()
                    raise
                return client

            with ThreadPoolExecutor(max_workers=missing) as pool:
                have.extend(pool.map(login, range(missing)))
        return have[:count]

    def close(self) -> None:
        """Close the connections; the sessions stay in the throwaway database (no log-out: it costs a request
        each and tells nothing)."""
        for clients in self._clients.values():
            for client in clients:
                client.close()
        self._clients.clear()


def get_ok(client: Client, path: str) -> float:
    """One timed GET that must answer 200 without a redirect; 404 raises PageMissing."""
    ms, response = client.timed("GET", path)
    if response.status_code == 404:
        raise PageMissing(f"GET {path} → 404：页面不存在")
    expect(response, 200)
    return ms


def run_concurrent(clients: list[Client], step: Callable[[Client], float], n: int, budget_s: float) -> Timings:
    """Each client makes one unrecorded request, then all together make `n` recorded ones (as many as fit in
    `budget_s`). A 404 stops the case at once with one error."""
    timings = Timings()
    lock = threading.Lock()
    tickets = itertools.count()
    start_gate = threading.Barrier(len(clients))
    stop = threading.Event()
    window: dict[str, float] = {}
    failures: list[BaseException] = []
    issued = {"truncated": False}

    def record_error(exc: BaseException) -> None:
        with lock:
            timings.fail(f"{type(exc).__name__}: {exc}")

    def worker(client: Client) -> None:
        try:
            try:
                step(client)  # warm-up, not recorded
            except PageMissing as exc:
                if not stop.is_set():
                    stop.set()
                    record_error(exc)
            except (CheckFailed, requests.RequestException) as exc:
                record_error(exc)
            finally:
                start_gate.wait()
            with lock:
                window.setdefault("start", time.monotonic())
            until = window["start"] + budget_s
            while not stop.is_set():
                if next(tickets) >= n:
                    break
                if time.monotonic() > until:
                    issued["truncated"] = True
                    break
                try:
                    ms = step(client)
                except PageMissing as exc:
                    stop.set()
                    record_error(exc)
                    break
                except (CheckFailed, requests.RequestException) as exc:
                    record_error(exc)
                    continue
                with lock:
                    timings.add(ms)
        except BaseException as exc:  # a BenchTimeout or a bug: stop the others, re-raised by the caller
            stop.set()
            start_gate.abort()
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - window.get("start", time.monotonic())
    real = [f for f in failures if not isinstance(f, threading.BrokenBarrierError)]
    if real:
        raise real[0]
    done = len(timings.samples_ms)
    timings.extra.update(
        users=len(clients),
        wall_s=round(wall, 2),
        requests_per_s=round(done / wall, 1) if wall > 0 and done else None,
        truncated=issued["truncated"],
    )
    return timings
