"""`qingfeng backup [DEST] [--tar] [--keep N]`: the database and the uploaded files with an SM3 manifest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qingfeng.core import backup


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump -Fc，SQLite 用在线备份）与附件，附 SM3 摘要清单 manifest.json。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dest", nargs="?", help="备份存放目录（默认 QINGFENG_BACKUP_DIR，即数据目录下的 backups/）")
        parser.add_argument("--tar", action="store_true", help="打包成一个 .tar 文件，而不是一个目录")
        parser.add_argument("--keep", type=int, default=0, help="只保留最近 N 份备份，删除更早的（默认全部保留）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] < 0:
            raise CommandError("--keep 不能为负数")
        self.verbosity = options["verbosity"]
        dest = Path(options["dest"] or settings.BACKUP_DIR)
        started = time.monotonic()
        try:
            path = backup.create_backup(dest, as_tar=options["tar"], progress=self._progress)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{path}（{size / 1024 / 1024:.1f} MB，用时 {time.monotonic() - started:.1f} 秒）"
            )
        )
        if options["keep"]:
            for removed in backup.prune(dest, options["keep"]):
                self.stdout.write(f"已删除较早的备份：{removed.name}")
        self.stdout.write("提醒：密钥文件 .env（审计密钥、台账密钥）不在备份中，请另行妥善保存。")

    def _progress(self, message: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(message)
