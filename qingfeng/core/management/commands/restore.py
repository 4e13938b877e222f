"""`qingfeng restore PATH [--force]`: check the backup's manifest, restore the database and the uploaded files,
then walk the audit chain."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.checks import ERROR, run_checks
from django.core.management.base import BaseCommand, CommandError

from qingfeng.core import backup


class Command(BaseCommand):
    help = "从 qingfeng backup 的备份恢复数据库与附件：先核验清单与 SM3 摘要，恢复后运行系统检查并校验审计日志链。"
    # The target may be empty (a new machine): the system checks run after the restore, on the restored data.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="备份目录或 .tar 文件")
        parser.add_argument("--force", action="store_true", help="目标数据库或附件目录不是空的时也覆盖")
        parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4), help="校验审计日志链的进程数")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.restore(
                Path(options["path"]), force=options["force"], workers=options["workers"], progress=self.stdout.write
            )
        except backup.BackupError as exc:
            raise CommandError(f"拒绝恢复：{exc}") from exc
        except OSError as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        manifest = result.manifest
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份（清风 {manifest.get('version')}）："
            f"数据库与 {result.media_files} 个附件文件，用时 {result.seconds:.1f} 秒。"
        )
        if result.media_kept:
            self.stdout.write(f"附件目录中另有 {result.media_kept} 个备份中没有的文件，已保留未删除。")
        if result.pending:
            self.stdout.write(
                self.style.WARNING(
                    f"备份早于当前程序：有 {len(result.pending)} 个迁移未执行，请运行 qingfeng migrate。"
                )
            )
        problems = [m for m in run_checks(include_deployment_checks=False) if m.level >= ERROR]
        for message in problems:
            self.stderr.write(f"系统检查 {message.id}：{message.msg}")
        check = result.audit
        if check is None or not check.ok:
            raise CommandError(
                f"数据已恢复，但审计日志校验失败：第 {check.first_bad_seq} 号事件 {check.reason}"
                f"（此前 {check.checked} 条校验通过）。请确认 QINGFENG_AUDIT_KEY 与备份时一致。"
                if check
                else "数据已恢复，但未能校验审计日志"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志校验通过：共 {check.checked} 条事件，链完整。"))
        if problems:
            raise CommandError(f"数据已恢复，但系统检查发现 {len(problems)} 个问题（见上），请按提示处理后再启动服务。")
        self.stdout.write("系统检查通过。")
