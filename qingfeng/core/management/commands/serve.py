"""The production server: gunicorn with DEBUG off and workers from the core count."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def _has_control_socket() -> bool:
    import gunicorn

    return tuple(int(p) for p in gunicorn.__version__.split(".")[:1]) >= (27,)


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = "以生产方式启动（gunicorn，DEBUG 关闭，工作进程数按 CPU 核数）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("QINGFENG_WORKERS", default_workers())))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        env = dict(os.environ, QINGFENG_DEBUG="false")
        if not options["no_collectstatic"]:
            # In a child with DEBUG off, so that the hashed-name manifest whitenoise serves is written.
            subprocess.run([sys.executable, "-m", "qingfeng", "collectstatic", "--noinput", "-v0"], env=env, check=True)
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"清风生产服务：http://{bind}  工作进程 {options['workers']} 个")
        sys.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "qingfeng.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
        ]
        if _has_control_socket():
            # gunicorn ≥ 27 opens a control socket at one fixed path per machine: one per server instead.
            argv += ["--control-socket", str(settings.DATA_DIR / f"gunicorn-{options['port']}.ctl")]
        os.execve(sys.executable, argv, env)  # noqa: S606 - fixed argv, no shell
