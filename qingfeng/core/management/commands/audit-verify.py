from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qingfeng.core import audit


class Command(BaseCommand):
    help = "校验审计日志的 HMAC-SM3 链，报告第一条被篡改、删除或插入的事件。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="并行校验的进程数（PostgreSQL 上的长链按序号分段；默认为 CPU 核数，最多 4）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers 至少为 1")
        result = audit.verify(workers=options["workers"])
        if not result.ok:
            raise CommandError(
                f"审计日志校验失败：第 {result.first_bad_seq} 号事件 {result.reason}（此前 {result.checked} 条校验通过）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志校验通过：共 {result.checked} 条事件，链完整。"))
