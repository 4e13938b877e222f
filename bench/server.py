"""The server side of a run: a throwaway environment, the database steps and the `qingfeng serve` process."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from bench.deadline import Deadline

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class SetupError(RuntimeError):
    """A step before the measurements failed (migrate, demo, the server did not come up)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def mask_url(url: str) -> str:
    """A database URL fit to print: the password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo = f"{parts.username or ''}:***@"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, userinfo + host, parts.path, parts.query, parts.fragment))


def dotenv_keys(path: Path = REPO / ".env") -> set[str]:
    """Names set in the local .env (which the settings read for every variable not in the environment)."""
    if not path.is_file():
        return set()
    keys = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and "=" in line:
            keys.add(line.partition("=")[0].strip())
    return keys


def bench_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of every child: the throwaway data dir, and either the given DATABASE_URL or SQLite in
    the data dir. Variables set here win over the developer's .env, so the bench never reaches their data."""
    env = dict(os.environ)
    env.update(
        QINGFENG_DATA_DIR=str(data_dir),
        QINGFENG_MEDIA_ROOT=str(data_dir / "media"),
        # An empty value counts as unset in the settings, and stops .env from supplying one.
        DATABASE_URL=database_url or "",
        # The demo command refuses production mode; serve turns DEBUG off by itself.
        QINGFENG_PRODUCTION="false",
        QINGFENG_ALLOWED_HOSTS=f"{HOST},localhost",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="qingfeng.settings",
    )
    if _gunicorn_has_control_socket():
        # gunicorn ≥ 27 opens a control socket at a fixed path under ~/.gunicorn by default; the bench's server
        # must not take it from a server the developer runs.
        env["GUNICORN_CMD_ARGS"] = f"{env.get('GUNICORN_CMD_ARGS', '')} --no-control-socket".strip()
    return env


def _gunicorn_has_control_socket() -> bool:
    try:
        from gunicorn.config import KNOWN_SETTINGS
    except ImportError:
        return False
    return any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)


# Run in a child with the bench environment: what the app says about its database and its demo accounts.
_PROBE = """
import json
import django
django.setup()
from django.db import connection
from qingfeng.org import demo
with connection.cursor() as cursor:
    if connection.vendor == "postgresql":
        cursor.execute("SHOW server_version")
    elif connection.vendor == "sqlite":
        cursor.execute("SELECT sqlite_version()")
    else:
        cursor.execute("SELECT ''")
    version = str(cursor.fetchone()[0])
print(json.dumps({
    "vendor": connection.vendor,
    "version": version,
    "name": str(connection.settings_dict["NAME"]),
    "demo_password": demo.DEMO_PASSWORD,
    "demo_users": [username for username, _ in demo.DEMO_LOGINS],
}))
"""


@dataclass
class AppInfo:
    vendor: str
    version: str
    name: str
    demo_password: str
    demo_users: list[str] = field(default_factory=list)


def _run(argv: Sequence[str], env: dict[str, str], deadline: Deadline, cap: float, what: str) -> str:
    try:
        done = subprocess.run(
            list(argv),
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=deadline.timeout(cap),
        )
    except subprocess.TimeoutExpired as exc:
        raise SetupError(f"{what}超时（{exc.timeout:.0f} 秒）") from exc
    if done.returncode != 0:
        output = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        raise SetupError(f"{what}失败（退出码 {done.returncode}）：\n{output}")
    return done.stdout


def probe(env: dict[str, str], deadline: Deadline) -> AppInfo:
    out = _run([sys.executable, "-c", _PROBE], env, deadline, 120, "检查数据库")
    data = json.loads(out.strip().splitlines()[-1])
    return AppInfo(**data)


def manage(
    args: Sequence[str], env: dict[str, str], deadline: Deadline, what: str, cap: float = 600, *, module: bool = False
) -> str:
    """`python -m qingfeng ARGS` (with module=True: `python ARGS`, e.g. ["-m", "bench.manifest", …])."""
    prefix = [sys.executable] if module else [sys.executable, "-m", "qingfeng"]
    return _run([*prefix, *args], env, deadline, cap, what)


def manage_streaming(args: Sequence[str], env: dict[str, str], deadline: Deadline, what: str) -> None:
    """`python -m qingfeng ARGS` printing its output as it comes (a long data generation shows its progress),
    bounded by the run's deadline."""
    process = subprocess.Popen(
        [sys.executable, "-m", "qingfeng", *args],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    timer = threading.Timer(max(deadline.remaining(), 0.1), process.kill)
    timer.start()
    tail: list[str] = []
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.rstrip("\n")
            print(f"      {line}", flush=True)
            tail = [*tail[-29:], line]
        process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    if deadline.remaining() <= 0:
        raise SetupError(f"{what}超时（总时限 {deadline.seconds:.0f} 秒）")
    if process.returncode != 0:
        output = "\n".join(tail)
        raise SetupError(f"{what}失败（退出码 {process.returncode}）：\n{output}")


class Server:
    """`qingfeng serve` in its own process group (collectstatic, then gunicorn execs in place of it)."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log_dir: Path) -> None:
        self.env = env
        self.port = port
        self.workers = workers
        self.base_url = f"http://{HOST}:{port}"
        self.err_path = log_dir / "server.log"  # stderr: gunicorn's own log, tracebacks
        self.out_path = log_dir / "access.log"  # stdout: the banner and the access log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, deadline: Deadline, ready_timeout: float = 60) -> None:
        argv = [sys.executable, "-m", "qingfeng", "serve", "--host", HOST, "--port", str(self.port)]
        argv += ["--workers", str(self.workers)]
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.process = subprocess.Popen(
                argv, env=self.env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
            )
        until = time.monotonic() + min(ready_timeout, max(deadline.remaining(), 0.1))
        with requests.Session() as session:
            session.trust_env = False  # no proxy between us and 127.0.0.1
            while time.monotonic() < until:
                if self.process.poll() is not None:
                    raise SetupError(f"服务进程已退出（退出码 {self.process.returncode}）\n{self.log_tail()}")
                try:
                    if session.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                        return
                except requests.RequestException:
                    pass
                time.sleep(0.2)
        raise SetupError(f"服务在 {ready_timeout:.0f} 秒内未就绪（GET /healthz 未返回 200）\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Terminate the whole process group (gunicorn master and workers); kill it if it lingers."""
        if self.process is None:
            return
        pgid = self.process.pid
        for sig, wait in ((signal.SIGTERM, 25.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The master is gone; make sure no worker of the group outlives it.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            break
        if self.process.poll() is None:
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        text = ""
        for path in (self.err_path, self.out_path):
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace").strip()
                if text:
                    break
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- 服务日志（末尾 {lines} 行）---\n{tail or '（空）'}"
