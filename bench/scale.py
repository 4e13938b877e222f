"""The cases on the generated data set (the manifest of `qingfeng scale-data`, or of the demo): page latencies at
10 concurrent users with their raw-SQL floor and query counts, throughput with wrk, the scan and audit-verify over
the whole data set. Imported by bench.cases, which registers them."""

from __future__ import annotations

import time
from typing import Any

from bench.cases import CaseContext, Timings, case, run_child
from bench.client import CheckFailed
from bench.concurrency import get_ok, run_concurrent
from bench.cpu import CpuMeter, describe
from bench.pages import PAGES, Page
from bench.state import RunState
from bench.throughput import errors_of, run_wrk, wrk_path


def _state(ctx: CaseContext) -> RunState:
    state = ctx.state
    if state is None or state.manifest is None or state.pool is None:
        raise CheckFailed("没有数据清单（--size none 时用 --manifest 指定，或先生成数据）")
    return state


def _username(state: RunState, role: str) -> str:
    assert state.manifest is not None
    try:
        return state.manifest.logins[role]
    except KeyError as exc:
        raise CheckFailed(f"清单 logins 中没有角色 {role}") from exc


def page_figures(ctx: CaseContext) -> dict[str, Any]:
    """The raw-SQL floors and the query counts of every page, measured once per run in one child process:
    {"pages": {"page/role": floor}, "queries": {"page/role": counts}}; {} when the child failed."""
    state = _state(ctx)
    if "pages" not in state.cache:
        profile = state.profile
        argv = ["bench.floor", str(state.manifest_path), "--n", str(profile.floor_n)]
        argv += ["--budget", str(profile.floor_budget_s), "--queries"]
        print(flush=True)
        child = run_child(ctx, argv, timeout=1800)
        print("       ", end="")
        state.cache["pages"] = child.figures or {}
        if child.figures is None:
            state.cache["pages-problem"] = child.problem("bench.floor")
    return state.cache["pages"]


def _skipped(why: str) -> Timings:
    """A page case that cannot run on this data or this code: no samples, the reason printed and kept (the targets
    show it as 未测)."""
    timings = Timings()
    timings.extra = {"skipped": why, "summary": f"跳过：{why}"}
    return timings


def _page_case(page: Page) -> None:
    def run(ctx: CaseContext) -> Timings:
        state = _state(ctx)
        assert state.manifest is not None and state.pool is not None
        try:
            path = page.path(state.manifest.pages)
        except KeyError as exc:
            return _skipped(f"清单 pages 中没有 {exc.args[0]}（清单早于该页面：请重新生成数据）")
        if ctx.username not in state.manifest.logins:
            return _skipped(f"清单 logins 中没有角色 {ctx.username}（清单早于该页面：请重新生成数据）")
        clients = state.pool.clients(_username(state, ctx.username), state.profile.users)
        if page.optional:
            _, response = clients[0].timed("GET", path)
            if response.status_code == 404:
                return _skipped(f"{page.label}：GET {path} → 404，路由尚不存在（页面建成后自动计时）")
        key = f"{page.key}/{ctx.username}"
        figures = page_figures(ctx)
        floor = figures.get("pages", {}).get(key, {})
        queries = figures.get("queries", {}).get(key, {})
        n = ctx.n if ctx.n_given else state.profile.page_n
        meter = CpuMeter(state.server_pgid, state.postgres, state.database).start()
        timings = run_concurrent(clients, lambda client: get_ok(client, path), n, state.profile.page_budget_s)
        timings.extra.update(path=path, user=_username(state, ctx.username), cpu=meter.stop())
        timings.extra["floor"] = floor or {"error": state.cache.get("pages-problem", "未测得")}
        timings.extra["queries"] = queries
        notes = []
        if timings.extra.get("truncated"):
            notes.append(f"{state.profile.page_budget_s:g} 秒内只完成 {len(timings.samples_ms)} 次")
        if "p50_ms" in floor:
            notes.append(f"SQL 下限 p50 {floor['p50_ms']:.2f} ms")
        scale, demo = queries.get("scale", {}), queries.get("demo", {})
        if "queries" in scale:
            notes.append(f"查询 {scale['queries']} / 演示单位 {demo.get('queries', '—')}")
        cpu = describe(timings.extra["cpu"], timings.extra.get("wall_s"))
        if cpu:
            notes.append(cpu)
        timings.extra["summary"] = "；".join(notes)
        return timings

    case(
        page.case,
        default_n=200,
        needs_login=False,
        roles=page.roles,
        description=f"{page.label}：{page.template}，10 个并发用户（tiny 4 个；清单账号；含 SQL 下限与查询数；"
        f"目标 p95 < {page.p95_ms:g} ms）",
    )(run)


for _page in PAGES:
    _page_case(_page)


def _throughput(ctx: CaseContext, path_key: str) -> Timings:
    state = _state(ctx)
    assert state.manifest is not None and state.pool is not None
    timings = Timings()
    if wrk_path() is None:
        timings.extra = {"skipped": "未安装 wrk（apt-get install -y wrk）", "summary": "未测：未安装 wrk"}
        return timings
    page = next(p for p in PAGES if p.key == path_key)
    path = page.path(state.manifest.pages)
    clients = state.pool.clients(_username(state, ctx.username), state.profile.users)
    for client in clients:
        get_ok(client, path)  # every session answers the page before the load starts
    cookies = ["; ".join(f"{c.name}={c.value}" for c in client.session.cookies) for client in clients]
    profile = state.profile
    base = clients[0].base_url
    figures = run_wrk(
        base + path,
        cookies,
        connections=profile.wrk_connections,
        duration_s=profile.wrk_duration_s,
        server_pgid=state.server_pgid,
        postgres=state.postgres,
        database=state.database,
    )
    # wrk stops with up to 50 requests still queued at the server: wait until they are served (a request queues
    # behind them), so that the next case is not measured against the backlog.
    started = time.monotonic()
    clients[0].get("/healthz", timeout=ctx.deadline.timeout(120))
    figures["drain_s"] = round(time.monotonic() - started, 2)
    errors = errors_of(figures)
    if errors:
        timings.fail(
            f"wrk：{errors} 个错误（非 200 {figures.get('not_200', '—')}，例 {figures.get('not_200_example') or '—'}；"
            f"套接字 {figures.get('socket_errors') or {}}；退出码 {figures.get('exit_code')}）"
        )
        timings.errors = errors
    latency = figures.get("latency_ms", {})
    timings.percentiles = {"p50": latency.get("p50"), "p99": latency.get("p99"), "max": latency.get("p99")}
    rps = figures.get("requests_per_s")
    figures["path"] = path
    figures["summary"] = (
        f"{rps if rps is not None else '—'} 请求/秒（{figures.get('connections')} 连接，{figures.get('requests', 0):,} 次）；"
        + describe(figures.get("cpu", {}), figures.get("wall_s"))
    )
    timings.extra = figures
    return timings


@case(
    "throughput-workbench",
    default_n=1,
    needs_login=False,
    roles=("leader",),
    description="吞吐量：wrk 50 连接压 GET /（工作台），请求/秒、错误数、各方 CPU（目标 ≥ 150 请求/秒）",
)
def throughput_workbench(ctx: CaseContext) -> Timings:
    return _throughput(ctx, "workbench")


@case(
    "throughput-tasks",
    default_n=1,
    needs_login=False,
    roles=("clerk",),
    description="吞吐量：wrk 50 连接压督办事项列表（两个筛选条件），请求/秒、错误数、各方 CPU",
)
def throughput_tasks(ctx: CaseContext) -> Timings:
    return _throughput(ctx, "tasks")


@case(
    "scan",
    default_n=1,
    needs_login=False,
    roles=("all",),
    description="催办扫描：以清单的 now 对全部未办结任务 scan() 两次（子进程；目标首次 < 30 s，第二次应为 0 条）",
)
def scan_all(ctx: CaseContext) -> Timings:
    state = _state(ctx)
    assert state.manifest is not None
    timings = Timings()
    print(flush=True)
    child = run_child(ctx, ["bench.scale_tasks", "scan", "--now", state.manifest.now])
    print("       ", end="")
    figures = child.figures
    if figures is None:
        timings.fail(child.problem("bench.scale_tasks scan"))
        return timings
    timings.add(figures["first"]["ms"])
    timings.extra = figures
    first, second = figures["first"], figures["second"]
    timings.extra["summary"] = (
        f"{first['parts']:,} 项，{first['parts_per_s'] or 0:,} 项/秒，催办 {first['reminders']:,} 条；"
        f"第二次 {second['ms'] / 1000:.1f} s，{second['reminders']} 条"
    )
    if second["reminders"]:
        timings.fail(f"第二次 scan() 又发出 {second['reminders']} 条催办（应为 0）")
    return timings


@case(
    "audit-verify",
    default_n=1,
    needs_login=False,
    roles=("all",),
    description="审计链校验：audit.verify() 整条链（子进程；目标 < 30 s，必须通过）",
)
def audit_verify(ctx: CaseContext) -> Timings:
    timings = Timings()
    print(flush=True)
    child = run_child(ctx, ["bench.scale_tasks", "audit-verify"])
    print("       ", end="")
    figures = child.figures
    if figures is None:
        timings.fail(child.problem("bench.scale_tasks audit-verify"))
        return timings
    timings.add(figures["seconds"] * 1000)
    timings.extra = figures
    timings.extra["summary"] = f"{figures['checked']:,} 条事件，{figures['events_per_s'] or 0:,} 条/秒"
    if not figures["ok"]:
        timings.fail(f"审计链校验失败：第 {figures['first_bad_seq']} 号事件 {figures['reason']}")
    return timings
