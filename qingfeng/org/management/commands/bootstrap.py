from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qingfeng.org.models import Unit, User
from qingfeng.org.roles import Role
from qingfeng.org.services import accounts, roles, structure


class Command(BaseCommand):
    help = "生产部署的第一步：创建顶级单位和三员账号（系统管理员、安全管理员、安全审计员），各给一次性密码，首次登录须修改。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit-name", required=True, help="顶级单位名称，如“清河县住房和城乡建设局”")
        parser.add_argument("--unit-code", required=True, help="单位代码（唯一）")
        parser.add_argument("--unit-kind", default=Unit.Kind.BUREAU, choices=Unit.Kind.values)
        parser.add_argument("--prefix", default="", help="三员用户名前缀，如 qh- 得到 qh-sysadmin")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists() or Unit.all_objects.exists():
            raise CommandError("数据库中已有单位或账号，bootstrap 只用于空库的首次部署。")
        unit = structure.unit_create_root(
            actor=None, name=options["unit_name"], code=options["unit_code"], kind=options["unit_kind"]
        )
        self.stdout.write(f"已创建顶级单位：{unit.name}")
        self.stdout.write("三员账号（一次性密码，仅显示这一次，首次登录须修改）：")
        for role, label in ((Role.SYSADMIN, "系统管理员"), (Role.SECADMIN, "安全管理员"), (Role.AUDITOR, "安全审计员")):
            username = f"{options['prefix']}{role}"
            user, password = accounts.account_create(
                actor=None, username=username, unit=unit, display_name=label, system=True
            )
            roles.role_grant(actor=None, user=user, role=role, unit=unit, include_subunits=True, system=True)
            self.stdout.write(f"  {label}  用户名 {username}  一次性密码 {password}")
