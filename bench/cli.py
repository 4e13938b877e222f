"""`python -m bench`: set up a throwaway database (`qingfeng scale-data` of a size, then the demo data), start
`qingfeng serve`, run the cases, print the table and the targets."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import requests

from bench.cases import CASES, Case, CaseContext, Timings
from bench.client import CheckFailed, Client
from bench.concurrency import SessionPool
from bench.deadline import BenchTimeout, Deadline
from bench.manifest import Manifest, ManifestError
from bench.pages import PAGES
from bench.report import Result, comparability_notes, format_comparison, format_table, load_json, write_json
from bench.server import (
    REPO,
    AppInfo,
    Server,
    SetupError,
    bench_env,
    dotenv_keys,
    free_port,
    manage,
    manage_streaming,
    mask_url,
    probe,
)
from bench.state import PROFILES, RunState
from bench.targets import annotate_ratios, evaluate, format_targets

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_ROLES = "clerk,head,secretary"
MAX_N = 10_000
STEPS = 6
SIZES = ("tiny", "small", "full", "none")
# The default cases of each size, in the order they run: the whole-data-set cases (scan, audit-verify) before the
# cases that generate their own data into the demo bureau (imports, ledger-100k, which would add to the scan's
# tasks). scan-10k / scan-100k only run when named (the `scan` case covers the generated data set).
PAGE_CASES = [p.case for p in PAGES]
SCALE_CASES = [*PAGE_CASES, "throughput-workbench", "throughput-tasks", "scan", "audit-verify"]
DEFAULT_CASES = {
    # tiny: the log-ins are exercised by the page cases' sessions; `login` itself (argon2, ~0.2 s each) is left out
    "tiny": [*SCALE_CASES, "decompose", "opinion-severity"],
    "small": [
        "login",
        "workbench",
        *SCALE_CASES,
        "decompose",
        "decompose-50k",
        "rectification-import-5k",
        "rectification-import-1k-measures",
        "ledger-100k",
        "opinion-severity",
        "opinion-import-10k",
    ],
}
DEFAULT_CASES["full"] = DEFAULT_CASES["small"]
DEFAULT_CASES["none"] = DEFAULT_CASES["small"]
# The whole run's time limit by size (--timeout).
DEFAULT_TIMEOUT = {"tiny": 600, "small": 3600, "full": 6 * 3600, "none": 1800}

EXIT_OK, EXIT_ERRORS, EXIT_SETUP, EXIT_INTERRUPTED = 0, 1, 2, 130


def _bounded(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"应在 {low}–{high} 之间")
        return value

    return parse


def default_workers() -> int:
    """What `qingfeng serve` starts by default (2 × cores + 1): the bench runs the server as production does."""
    return 2 * (os.cpu_count() or 1) + 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="启动 qingfeng serve（临时数据库 + 压测数据 + 演示数据），登录并测量各用例的 p50/p95/p99 与目标。",
    )
    parser.add_argument(
        "--size",
        choices=SIZES,
        help="压测数据规模（qingfeng scale-data --size）：tiny / small / full；none 不生成（默认：SQLite 为 small，"
        "设置了 DATABASE_URL 为 full）",
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        help="使用已有的数据清单（qingfeng-scale/1 JSON），不生成数据；--size none 时默认用演示数据",
    )
    parser.add_argument(
        "--n",
        type=_bounded(1, MAX_N),
        help="每个用例每个角色的测量次数（默认按用例与规模：页面 tiny 30 / small 200 / full 300，登录 30，工作台 100）",
    )
    parser.add_argument(
        "--warmup",
        type=_bounded(0, 100),
        help="每个用例每个角色先预热的次数（默认 3，tiny 为 1；页面用例每个用户 1 次）",
    )
    parser.add_argument(
        "--roles", help=f"login、workbench 等演示数据用例的演示账号，逗号分隔（默认 {DEFAULT_ROLES}，tiny 为 clerk）"
    )
    parser.add_argument("--cases", help="只跑这些用例，逗号分隔（默认全部；见 --list）")
    parser.add_argument("--list", action="store_true", help="列出用例后退出")
    parser.add_argument(
        "--workers",
        type=_bounded(1, 64),
        default=default_workers(),
        help=f"gunicorn 工作进程数（默认与 qingfeng serve 相同：2 × 核数 + 1 = {default_workers()}）",
    )
    parser.add_argument("--out", type=Path, help="结果 JSON 路径（默认 bench/results/<时间>.json）")
    parser.add_argument("--compare", metavar="PREVIOUS.json", help="与之前的结果比较 p50/p95；latest 表示最近一份")
    parser.add_argument("--keep-server-log", action="store_true", help="把服务日志保存在结果文件旁")
    parser.add_argument(
        "--timeout",
        type=_bounded(30, 24 * 3600),
        help="整次运行的总时限，秒（默认 tiny 600，small 3600，full 21600，none 1800）",
    )
    args = parser.parse_args(argv)

    if args.manifest is not None and args.size not in (None, "none"):
        parser.error("--manifest 使用已有数据，不能同时指定 --size（可写 --size none）")
    if args.manifest is not None:
        args.size = "none"
    if args.size is None:
        args.size = "full" if os.environ.get("DATABASE_URL") else "small"
    if args.timeout is None:
        args.timeout = DEFAULT_TIMEOUT[args.size]
    if args.warmup is None:
        args.warmup = 1 if args.size == "tiny" else 3
    if args.roles is None:
        args.roles = "clerk" if args.size == "tiny" else DEFAULT_ROLES
    args.profile = PROFILES[args.size]
    if args.manifest is not None:
        try:
            args.manifest_data = Manifest.load(args.manifest)
        except ManifestError as exc:
            parser.error(f"--manifest：{exc}")

    args.role_list = [r.strip() for r in args.roles.split(",") if r.strip()]
    if not args.role_list:
        parser.error("--roles 不能为空")
    names = [c.strip() for c in args.cases.split(",") if c.strip()] if args.cases else DEFAULT_CASES[args.size]
    unknown = [c for c in names if c not in CASES]
    if unknown:
        parser.error(f"没有这些用例：{', '.join(unknown)}（可用：{', '.join(CASES)}）")
    args.case_list = [CASES[c] for c in names]
    args.previous = None
    if args.compare:
        path = _latest_result() if args.compare == "latest" else Path(args.compare)
        if path is None:
            parser.error(f"--compare latest：{_show(RESULTS_DIR)} 中还没有结果")
        try:
            args.previous = (path, load_json(path))
        except (OSError, ValueError) as exc:
            parser.error(f"--compare：无法读取 {path}：{exc}")
    return args


def _latest_result() -> Path | None:
    files = sorted(RESULTS_DIR.glob("*.json"), key=lambda p: p.stat().st_mtime)
    return files[-1] if files else None


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _step(i: int, text: str) -> None:
    print(f"[{i}/{STEPS}] {text}", flush=True)


def _on_sigterm(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def _run_case(
    case: Case, role: str, args: argparse.Namespace, server: Server, info: AppInfo, dl: Deadline, state: RunState
) -> Result:
    n = args.n or max(1, round(case.default_n * args.profile.n_scale))
    ctx = CaseContext(
        base_url=server.base_url,
        deadline=dl,
        username=role,
        password=info.demo_password,
        n=n,
        warmup=args.warmup,
        env=server.env,
        n_given=args.n is not None,
        state=state,
    )
    client: Client | None = None
    try:
        if case.needs_login:
            client = Client(server.base_url, dl)
            client.login(role, info.demo_password)
            ctx.client = client
        timings = case.func(ctx)
        if client is not None:
            client.logout()
    except (CheckFailed, requests.RequestException, ManifestError, OSError) as exc:
        # Log-in or log-out around the case (or the scale sessions, wrk) failed: one error, and whatever was
        # measured is lost.
        timings = Timings()
        timings.fail(f"{type(exc).__name__}: {exc}")
    finally:
        if client is not None:
            client.close()
    return Result.from_timings(case.name, role, timings)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for c in CASES.values():
            roles = ",".join(c.roles) if c.roles else "--roles"
            sizes = ",".join(s for s in ("tiny", "small", "full") if c.name in DEFAULT_CASES[s]) or "仅 --cases"
            print(f"{c.name:<20} n={c.default_n:<4} 角色={roles:<18} 默认={sizes:<16} {c.description}")
        return EXIT_OK
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(args)
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED


def _prepare_data(args: argparse.Namespace, env: dict[str, str], data_dir: Path, dl: Deadline) -> Manifest:
    """migrate, scale-data (unless --size none), demo; the manifest the scale cases use."""
    _step(2, "迁移数据库…")
    manage(["migrate", "--noinput", "-v0"], env, dl, "迁移数据库")
    path = data_dir / "manifest.json"
    if args.manifest is not None:
        _step(3, f"使用已有数据清单 {_show(args.manifest)}（不生成数据）")
    elif args.size == "none":
        _step(3, "不生成压测数据（--size none），页面用例使用演示数据")
    else:
        _step(3, f"生成压测数据：qingfeng scale-data --size {args.size}…")
        manage_streaming(["scale-data", "--size", args.size, "--manifest", str(path)], env, dl, "生成压测数据")
    _step(4, "创建演示数据…")
    manage(["demo", "--quiet"], env, dl, "创建演示数据")
    if args.manifest is not None:
        manifest: Manifest = args.manifest_data
    elif args.size == "none":
        manage(["-m", "bench.manifest", "demo", str(path)], env, dl, "写出演示数据清单", module=True)
        manifest = Manifest.load(path, source="demo")
    else:
        try:
            manifest = Manifest.load(path, source="scale-data")
        except ManifestError as exc:
            raise SetupError(f"scale-data 的清单不可用：{exc}") from exc
    # The children read the manifest from the data dir, whichever way it came.
    path.write_text(json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts = "，".join(f"{k} {v:,}" for k, v in manifest.counts.items() if isinstance(v, int)) or "—"
    print(f"      数据：{manifest.source}（规模 {args.size if args.manifest is None else manifest.size}）；{counts}")
    return manifest


def _meta(args: argparse.Namespace, info: AppInfo, database_url: str | None, started: datetime) -> dict[str, Any]:
    return {
        "started_at": started.isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "arch": platform.machine(),
        },
        "database": {
            "vendor": info.vendor,
            "version": info.version,
            "source": "DATABASE_URL" if database_url else "temporary sqlite",
            "url": mask_url(database_url) if database_url else None,
        },
        "server": {"command": "qingfeng serve", "workers": args.workers},
        "settings": {
            "size": args.size,
            "n": args.n,
            "warmup": args.warmup,
            "roles": args.role_list,
            "cases": [c.name for c in args.case_list],
            "profile": dict(args.profile.__dict__),
        },
    }


def _print_result(result: Result) -> None:
    errors = f"，错误 {result.errors}" if result.errors else ""
    p99 = f"  p99 {_ms(result.p99_ms)} ms" if result.p99_ms is not None else ""
    print(f" n={result.n}  p50 {_ms(result.p50_ms)} ms  p95 {_ms(result.p95_ms)} ms{p99}{errors}", flush=True)
    summary = result.extra.get("summary")
    if summary:
        print(f"        {summary}")
    for message in result.error_messages:
        print(f"        ! {message}")


def _main(args: argparse.Namespace) -> int:
    dl = Deadline(args.timeout)
    started = datetime.now().astimezone()
    t0 = time.monotonic()
    out: Path = args.out or RESULTS_DIR / f"{started:%Y%m%d-%H%M%S}.json"
    database_url = os.environ.get("DATABASE_URL") or None
    results: list[Result] = []
    meta: dict[str, Any] = {}
    failure: str | None = None
    vendor = ""

    if database_url:
        print(f"数据库：DATABASE_URL = {mask_url(database_url)}")
        print("  注意：将在该库中迁移并写入压测数据、演示数据与会话，它必须是可以随意写入的库。")
    elif "DATABASE_URL" in dotenv_keys():
        print("数据库：临时 SQLite（忽略 .env 中的 DATABASE_URL，不触碰开发数据）")
    else:
        print("数据库：临时 SQLite（不触碰开发数据）")

    with tempfile.TemporaryDirectory(prefix="qingfeng-bench-") as tmp:
        data_dir = Path(tmp)
        env = bench_env(data_dir, database_url)
        server = Server(env, free_port(), args.workers, data_dir)
        state = RunState(size=args.size, profile=args.profile)
        try:
            _step(1, "检查数据库…")
            info = probe(env, dl)
            vendor = info.vendor
            where = info.name if info.vendor == "sqlite" else mask_url(database_url or info.name)
            print(f"      {info.vendor} {info.version}：{where}")
            unknown = [r for r in args.role_list if r not in info.demo_users]
            if unknown:
                raise SetupError(f"没有这些演示账号：{', '.join(unknown)}（可用：{', '.join(info.demo_users)}）")

            state.manifest = _prepare_data(args, env, data_dir, dl)
            state.manifest_path = data_dir / "manifest.json"
            state.vendor = info.vendor
            state.database = info.name if info.vendor == "postgresql" else None

            _step(5, f"启动 qingfeng serve（{server.base_url}，{args.workers} 个工作进程）…")
            server.start(dl)
            state.server_pgid = server.process.pid if server.process is not None else None
            state.pool = SessionPool(server.base_url, dl, state.manifest.password, args.profile.users)

            meta = _meta(args, info, database_url, started)
            meta["data"] = state.manifest.summary()

            _step(6, "测量…")
            for case in args.case_list:
                for role in case.roles or args.role_list:
                    print(f"      {case.name}（{role}）…", end="", flush=True)
                    case_started = time.monotonic()
                    result = _run_case(case, role, args, server, info, dl, state)
                    result.extra["case_s"] = round(time.monotonic() - case_started, 2)
                    results.append(result)
                    _print_result(result)
                    if not server.alive():
                        raise SetupError(f"服务进程在测量中退出\n{server.log_tail()}")
        except SetupError as exc:
            failure = str(exc)
        except BenchTimeout as exc:
            failure = str(exc)
        finally:
            if state.pool is not None:
                state.pool.close()
            server.stop()
            if args.keep_server_log:
                for src, suffix in ((server.err_path, ".server.log"), (server.out_path, ".access.log")):
                    if src.is_file():
                        dst = out.with_suffix(suffix)
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(src, dst)
                        print(f"服务日志：{_show(dst)}")

    if failure:
        print(f"\n失败：{failure}", file=sys.stderr)
    if not results:
        return EXIT_SETUP

    meta["duration_s"] = round(time.monotonic() - t0, 1)
    annotate_ratios(results)
    targets = evaluate(results)
    write_json(out, meta, results, targets)
    print()
    print(format_table(results))
    print()
    print(format_targets(targets, size=args.size, vendor=vendor))
    print(f"\n结果已写入 {_show(out)}（用时 {meta['duration_s']:.0f} 秒）")
    if args.previous:
        path, previous = args.previous
        print(f"\n与 {_show(path)} 比较（正数为变慢）：")
        for note in comparability_notes(previous, meta):
            print(f"  注意：{note}")
        print(format_comparison(previous, results))

    errors = sum(r.errors for r in results)
    if failure:
        return EXIT_SETUP
    if errors:
        print(f"\n共 {errors} 个请求出错。", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK
