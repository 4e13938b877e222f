from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qingfeng.org import demo


class Command(BaseCommand):
    help = "创建演示单位（清河县住房和城乡建设局）及每个角色一个演示账号；已存在则只打印登录信息。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="生产模式下也创建（不建议）")
        parser.add_argument("--quiet", action="store_true", help="不打印登录信息")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError("生产模式不创建演示数据（演示账号使用公开的默认密码）。")
        if demo.exists():
            self.stdout.write("演示数据已存在，跳过创建。")
        else:
            self.stdout.write("正在创建演示数据……")
            demo.build()
            self.stdout.write(self.style.SUCCESS("演示数据已创建。"))
        self._extend(demo.load())
        if not options["quiet"]:
            self.stdout.write("")
            self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
            for username, label in demo.DEMO_LOGINS:
                self.stdout.write(f"  {username:<10} {label}")

    def _extend(self, cast: demo.Cast) -> None:
        """Each module's own demo records (a `demo` module with exists(cast) and extend(cast)), once."""
        for config in apps.get_app_configs():
            if not config.name.startswith("qingfeng.") or config.label == "org":
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            if not module.exists(cast):
                module.extend(cast)
                self.stdout.write(f"已创建{config.verbose_name}演示数据。")
