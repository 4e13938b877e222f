"""The background worker: runs the periodic jobs every few minutes until stopped (the supervision scan, the recurring
tasks, the 回头看 rechecks, the scheduled 风险点督促检查, the 舆情 clocks, and the reminders of 意识形态 meetings,
三会一课 and 制度 reviews), and records its heartbeat after each round."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from qingfeng.core.locks import AlreadyRunning, exclusive


class Command(BaseCommand):
    help = "后台任务进程：每隔一段时间运行催办检查等定时任务（Ctrl+C 或 SIGTERM 停止）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=int, default=settings.SCAN_INTERVAL_SECONDS, help="间隔秒数")
        parser.add_argument("--once", action="store_true", help="只运行一轮")

    def handle(self, *args: Any, **options: Any) -> None:
        from qingfeng.core.heartbeat import beat
        from qingfeng.education.compliance import sessions_due
        from qingfeng.ideology.services.meetings import meetings_due
        from qingfeng.integrity.services.schedule import checks_due
        from qingfeng.opinion.services.clocks import clocks_due
        from qingfeng.rectification.services.recheck import rechecks_due
        from qingfeng.rules.services.registry import rules_due
        from qingfeng.supervision.scan import scan, summary
        from qingfeng.supervision.services.tasks import recurring_periods_start

        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"清风后台任务已启动，每 {options['interval']} 秒检查一次。")
        while not stopping:
            if not connection.in_atomic_block:  # drop connections the database may have closed meanwhile
                close_old_connections()
            try:
                with exclusive("supervision-scan"):
                    recurring_periods_start()
                    rechecks_due()
                    checks_due()
                    clocks_due()
                    meetings_due()
                    sessions_due()
                    rules_due()
                    self.stdout.write(summary(scan()))
            except AlreadyRunning:
                self.stdout.write("另一个催办检查正在运行，本轮跳过。")
            beat("worker", options["interval"])  # /healthz and `qingfeng doctor` read it
            if options["once"]:
                break
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
        self.stdout.write("清风后台任务已停止。")
