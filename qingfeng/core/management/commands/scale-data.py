from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qingfeng.scaledata import run, sizes


def _positive(text: str) -> int:
    value = int(text.replace(",", "").replace("_", ""))
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "生成市级规模的压测数据（单位、人员、五年的督办事项与整改、审计链），供 make bench 使用。"
        "只在空库中运行；库中已有其他数据时须加 --force。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=sorted(sizes.PRESETS),
            default="small",
            help="规模预设：tiny（CI，数秒）、small（十分之一，SQLite）、full（整市）；默认 small",
        )
        parser.add_argument("--units", type=_positive, help="单位数（覆盖预设）")
        parser.add_argument("--people", type=_positive, help="人数")
        parser.add_argument("--tasks", type=_positive, help="督办事项数（含整改措施的督办事项）")
        parser.add_argument("--findings", type=_positive, help="巡察、审计等发现的问题数")
        parser.add_argument("--audit", type=_positive, help="审计事件数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（同一种子、同一基准日生成相同的数据）")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="基准日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--manifest", type=Path, help="把生成结果（账号、页面 id、数量）写入该 JSON 文件")
        parser.add_argument("--force", action="store_true", help="库中已有非生成数据时仍然生成")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产模式不生成压测数据：生成的账号都使用公开的演示密码。")
        size = sizes.PRESETS[options["size"]].scaled(
            units=options["units"],
            people=options["people"],
            tasks=options["tasks"],
            findings=options["findings"],
            audit=options["audit"],
        )
        problems = sizes.check(size)
        if problems:
            raise CommandError("规模参数有误：" + "；".join(problems))
        today = options["today"] or timezone.localdate()
        self.stdout.write(
            f"生成数据：{size.units:,} 个单位，{size.people:,} 人，{size.tasks:,} 项督办事项，"
            f"{size.findings:,} 个问题，{size.audit:,} 条审计事件（种子 {options['seed']}，基准日 {today}）"
        )
        try:
            data = run.generate(size, options["seed"], today, force=options["force"])
        except run.Refused as exc:
            raise CommandError(str(exc)) from exc
        if options["manifest"]:
            run.write_manifest(data, options["manifest"])
        self.stdout.write(self.style.SUCCESS(run.summary(data)))
        self.stdout.write("登录账号（密码同演示账号）：" + json.dumps(data["logins"], ensure_ascii=False))
