from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qingfeng.core.locks import AlreadyRunning, exclusive
from qingfeng.rectification.services.recheck import rechecks_due
from qingfeng.supervision.scan import scan, summary
from qingfeng.supervision.services.tasks import recurring_periods_start


class Command(BaseCommand):
    help = "检查一遍所有未办结的督办事项：超时未签收、到期提醒、逾期催办与逐级督办（可重复运行，不会重复发送）。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with exclusive("supervision-scan"):
                started = recurring_periods_start()
                rechecks = rechecks_due()
                result = scan()
        except AlreadyRunning as exc:
            raise CommandError("另一个催办检查正在运行，本次跳过。") from exc
        if started:
            self.stdout.write(f"周期性事项新一期交办 {len(started)} 项。")
        if rechecks:
            self.stdout.write(f"整改措施回头看交办 {len(rechecks)} 项。")
        self.stdout.write(summary(result))
