"""`python -m bench`: set up a throwaway database with the demo data, start `qingfeng serve`, run the cases."""

from __future__ import annotations

import argparse
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
from bench.deadline import BenchTimeout, Deadline
from bench.report import Result, comparability_notes, format_comparison, format_table, load_json, write_json
from bench.server import REPO, AppInfo, Server, SetupError, bench_env, dotenv_keys, free_port, manage, mask_url, probe

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_ROLES = "clerk,head,secretary"
MAX_N = 10_000
STEPS = 5

EXIT_OK, EXIT_ERRORS, EXIT_SETUP, EXIT_INTERRUPTED = 0, 1, 2, 130


def _bounded(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"应在 {low}–{high} 之间")
        return value

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="启动 qingfeng serve（临时数据库 + 演示数据），登录并测量各用例的 p50/p95。",
    )
    parser.add_argument(
        "--n", type=_bounded(1, MAX_N), help="每个用例每个角色的测量次数（默认按用例：登录 30，工作台 100）"
    )
    parser.add_argument("--warmup", type=_bounded(0, 100), default=3, help="每个用例每个角色先预热的次数（默认 3）")
    parser.add_argument("--roles", default=DEFAULT_ROLES, help=f"演示账号，逗号分隔（默认 {DEFAULT_ROLES}）")
    parser.add_argument("--cases", help="只跑这些用例，逗号分隔（默认全部；见 --list）")
    parser.add_argument("--list", action="store_true", help="列出用例后退出")
    parser.add_argument("--workers", type=_bounded(1, 64), default=2, help="gunicorn 工作进程数（默认 2）")
    parser.add_argument("--out", type=Path, help="结果 JSON 路径（默认 bench/results/<时间>.json）")
    parser.add_argument("--compare", metavar="PREVIOUS.json", help="与之前的结果比较 p50/p95；latest 表示最近一份")
    parser.add_argument("--keep-server-log", action="store_true", help="把服务日志保存在结果文件旁")
    parser.add_argument(
        "--timeout", type=_bounded(30, 24 * 3600), default=1800, help="整次运行的总时限，秒（默认 1800）"
    )
    args = parser.parse_args(argv)

    args.role_list = [r.strip() for r in args.roles.split(",") if r.strip()]
    if not args.role_list:
        parser.error("--roles 不能为空")
    names = [c.strip() for c in args.cases.split(",") if c.strip()] if args.cases else list(CASES)
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


def _run_case(case: Case, role: str, args: argparse.Namespace, server: Server, info: AppInfo, dl: Deadline) -> Result:
    n = args.n or case.default_n
    ctx = CaseContext(
        base_url=server.base_url,
        deadline=dl,
        username=role,
        password=info.demo_password,
        n=n,
        warmup=args.warmup,
        env=server.env,
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
    except (CheckFailed, requests.RequestException) as exc:
        # Log-in or log-out around the case failed: one error, and whatever was measured is lost.
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
            print(f"{c.name:<16} n={c.default_n:<5} 角色={roles:<10} {c.description}")
        return EXIT_OK
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(args)
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(args: argparse.Namespace) -> int:
    dl = Deadline(args.timeout)
    started = datetime.now().astimezone()
    t0 = time.monotonic()
    out: Path = args.out or RESULTS_DIR / f"{started:%Y%m%d-%H%M%S}.json"
    database_url = os.environ.get("DATABASE_URL") or None
    results: list[Result] = []
    meta: dict[str, Any] = {}
    failure: str | None = None

    if database_url:
        print(f"数据库：DATABASE_URL = {mask_url(database_url)}")
        print("  注意：将在该库中迁移并写入演示数据与会话，它必须是可以随意写入的库。")
    elif "DATABASE_URL" in dotenv_keys():
        print("数据库：临时 SQLite（忽略 .env 中的 DATABASE_URL，不触碰开发数据）")
    else:
        print("数据库：临时 SQLite（不触碰开发数据）")

    with tempfile.TemporaryDirectory(prefix="qingfeng-bench-") as tmp:
        data_dir = Path(tmp)
        env = bench_env(data_dir, database_url)
        server = Server(env, free_port(), args.workers, data_dir)
        try:
            _step(1, "检查数据库…")
            info = probe(env, dl)
            where = info.name if info.vendor == "sqlite" else mask_url(database_url or info.name)
            print(f"      {info.vendor} {info.version}：{where}")
            unknown = [r for r in args.role_list if r not in info.demo_users]
            if unknown:
                raise SetupError(f"没有这些演示账号：{', '.join(unknown)}（可用：{', '.join(info.demo_users)}）")

            _step(2, "迁移数据库…")
            manage(["migrate", "--noinput", "-v0"], env, dl, "迁移数据库")
            _step(3, "创建演示数据…")
            manage(["demo", "--quiet"], env, dl, "创建演示数据")

            _step(4, f"启动 qingfeng serve（{server.base_url}，{args.workers} 个工作进程）…")
            server.start(dl)

            meta = {
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
                    "n": args.n,
                    "warmup": args.warmup,
                    "roles": args.role_list,
                    "cases": [c.name for c in args.case_list],
                },
            }

            _step(5, "测量…")
            for case in args.case_list:
                for role in case.roles or args.role_list:
                    print(f"      {case.name}（{role}）…", end="", flush=True)
                    result = _run_case(case, role, args, server, info, dl)
                    results.append(result)
                    errors = f"，错误 {result.errors}" if result.errors else ""
                    print(
                        f" n={result.n}  p50 {_ms(result.p50_ms)} ms  p95 {_ms(result.p95_ms)} ms{errors}", flush=True
                    )
                    for message in result.error_messages:
                        print(f"        ! {message}")
                    if not server.alive():
                        raise SetupError(f"服务进程在测量中退出\n{server.log_tail()}")
        except SetupError as exc:
            failure = str(exc)
        except BenchTimeout as exc:
            failure = str(exc)
        finally:
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
    write_json(out, meta, results)
    print()
    print(format_table(results))
    print(f"\n结果已写入 {_show(out)}")
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
