"""The registry of cases. A case is a function taking a `CaseContext` (a session logged in as one demo role,
the repeat count) and returning `Timings`. Register one with `@case(...)`; `python -m bench --list` shows them.

    @case("people", default_n=50, description="人员列表：GET /org/people/")
    def people(ctx: CaseContext) -> Timings:
        return get_page(ctx, "/org/people/")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from bench.client import CheckFailed, Client, expect
from bench.deadline import BenchTimeout, Deadline

MAX_ERROR_MESSAGES = 5


@dataclass
class Timings:
    samples_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)

    def add(self, ms: float) -> None:
        self.samples_ms.append(ms)

    def fail(self, message: str) -> None:
        self.errors += 1
        if len(self.error_messages) < MAX_ERROR_MESSAGES:
            self.error_messages.append(message)


# One measured step: returns the milliseconds to record, raises CheckFailed (or a requests error) when wrong.
Step = Callable[[], float]


@dataclass
class CaseContext:
    base_url: str
    deadline: Deadline
    username: str
    password: str
    n: int
    warmup: int
    client: Client | None = None  # logged in as `username`, unless the case says needs_login=False

    @property
    def session(self) -> Client:
        if self.client is None:
            raise RuntimeError("this case was registered with needs_login=False")
        return self.client

    def new_client(self) -> Client:
        """A fresh, logged-out client (own cookie jar)."""
        return Client(self.base_url, self.deadline)

    def repeat(self, step: Step) -> Timings:
        """`warmup` unrecorded runs, then `n` recorded ones. A failed step is an error in either phase."""
        timings = Timings()
        for i in range(self.warmup + self.n):
            try:
                ms = step()
            except BenchTimeout:
                raise
            except (CheckFailed, requests.RequestException) as exc:
                timings.fail(f"{type(exc).__name__}: {exc}")
                continue
            if i >= self.warmup:
                timings.add(ms)
        return timings


CaseFunc = Callable[[CaseContext], Timings]


@dataclass(frozen=True)
class Case:
    name: str
    func: CaseFunc
    default_n: int
    description: str
    needs_login: bool = True
    roles: tuple[str, ...] | None = None  # fixed roles; None: the roles of --roles


CASES: dict[str, Case] = {}


def case(
    name: str,
    *,
    default_n: int,
    description: str,
    needs_login: bool = True,
    roles: tuple[str, ...] | None = None,
) -> Callable[[CaseFunc], CaseFunc]:
    def register(func: CaseFunc) -> CaseFunc:
        if name in CASES:
            raise ValueError(f"bench case {name!r} registered twice")
        CASES[name] = Case(name, func, default_n, description, needs_login, roles)
        return func

    return register


def get_page(ctx: CaseContext, path: str, status: int = 200) -> Timings:
    """The common case: GET one page of the logged-in session, expecting `status` and no redirect."""

    def step() -> float:
        ms, response = ctx.session.timed("GET", path)
        expect(response, status)
        return ms

    return ctx.repeat(step)


# The cases ---------------------------------------------------------------------------------------------------


@case("login", default_n=30, needs_login=False, description="登录：POST /login/ 并跟随跳转到工作台")
def login(ctx: CaseContext) -> Timings:
    def step() -> float:
        # A fresh session each time; the GET of the form and the log-out are not timed.
        with ctx.new_client() as client:
            client.open_login()
            ms, _ = client.submit_login(ctx.username, ctx.password)
            client.logout()
        return ms

    return ctx.repeat(step)


@case("workbench", default_n=100, description="工作台：GET /")
def workbench(ctx: CaseContext) -> Timings:
    return get_page(ctx, "/")
