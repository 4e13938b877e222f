"""qingfeng integrity-checks: open the periodic 督促检查 that are due (the worker runs the same after its scan)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qingfeng.core.locks import AlreadyRunning, exclusive


class Command(BaseCommand):
    help = "开启到期的定期廉政风险点督促检查（可重复运行，不会重复开启）。"

    def handle(self, *args: Any, **options: Any) -> None:
        from qingfeng.integrity.services.schedule import checks_due

        try:
            with exclusive("integrity-checks"):
                opened = checks_due()
        except AlreadyRunning:
            self.stdout.write("另一个定期检查任务正在运行，本次跳过。")
            return
        self.stdout.write(f"开启定期督促检查 {len(opened)} 项。")
