"""`qingfeng doctor`: check settings, keys, database, worker, disk, static files and backups; say what to fix."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qingfeng.core import doctor


class Command(BaseCommand):
    help = "检查运行环境：配置、密钥、数据库、后台任务、磁盘、静态文件与备份，并说明如何处理发现的问题。"
    # The checks are part of the report (a wrong ledger key is one finding among others, not a crash).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--full-audit", action="store_true", help="完整校验审计日志链（默认只校验链尾；大库需要数十秒）"
        )
        parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4), help="完整校验时的进程数")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = doctor.run(full_audit=options["full_audit"], workers=options["workers"])
        style = {
            doctor.OK: self.style.SUCCESS,
            doctor.WARN: self.style.WARNING,
            doctor.FAIL: self.style.ERROR,
            doctor.SKIP: str,
        }
        self.stdout.write("清风运行检查（qingfeng doctor）")
        for finding in findings:
            self.stdout.write(style[finding.status](f"[{finding.status}] {finding.area}：{finding.message}"))
            if finding.fix and finding.status in (doctor.FAIL, doctor.WARN):
                self.stdout.write(f"       处理：{finding.fix}")
        failed = sum(f.status == doctor.FAIL for f in findings)
        warned = sum(f.status == doctor.WARN for f in findings)
        if failed:
            raise CommandError(
                f"发现 {failed} 项问题、{warned} 项提醒：请按上面“处理”一行逐项修正后再运行 qingfeng doctor。"
            )
        self.stdout.write(self.style.SUCCESS(f"全部检查通过{f'（{warned} 项提醒）' if warned else ''}。"))
