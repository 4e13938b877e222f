from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qingfeng.core import audit


class Command(BaseCommand):
    help = "校验审计日志的 HMAC-SM3 链，报告第一条被篡改、删除或插入的事件。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit.verify()
        if not result.ok:
            raise CommandError(
                f"审计日志校验失败：第 {result.first_bad_seq} 号事件 {result.reason}（此前 {result.checked} 条校验通过）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志校验通过：共 {result.checked} 条事件，链完整。"))
