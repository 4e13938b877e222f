"""定期督促检查: a check given a cycle (每季度/每半年/每年) opens its successor when the cycle has passed, over the
same risk points, and the unit's risk managers (secretary, 纪检组长, office) are told to carry it out.

Run by `qingfeng worker` with the supervision scan, or once by `qingfeng integrity-checks`. Idempotent like the
scan's reminders (SECURITY.md R3): RiskCheck.previous is unique and the predecessor is locked while its successor
is made, so a second run, or two runs at once, open nothing twice."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.integrity.models import RiskCheck, RiskPoint
from qingfeng.org.models import RoleAssignment, User
from qingfeng.org.roles import PERMISSIONS
from qingfeng.rectification.services.rounds import add_months

log = logging.getLogger(__name__)
MANAGE = "integrity.risk_manage"


def due_date(check: RiskCheck) -> dt.date:
    return add_months(check.date, RiskPoint.CYCLE_MONTHS[check.cycle])


def period_label(day: dt.date, cycle: str) -> str:
    """The period the successor covers, for its name: 2024年第一季度, 2024年上半年, 2024年度."""
    if cycle == RiskPoint.Cycle.QUARTERLY:
        return f"{day.year}年第{'一二三四'[(day.month - 1) // 3]}季度"
    if cycle == RiskPoint.Cycle.HALF_YEARLY:
        return f"{day.year}年{'上' if day.month <= 6 else '下'}半年"
    return f"{day.year}年度"


def _base_name(check: RiskCheck) -> str:
    return check.name.rsplit("（", 1)[0] if check.scheduled and "（" in check.name else check.name


def risk_managers(unit_id: int) -> list[User]:
    roles = [role for role, codes in PERMISSIONS.items() if MANAGE in codes]
    grants = RoleAssignment.objects.filter(
        unit_id=unit_id, role__in=roles, revoked_at__isnull=True, user__is_active=True
    ).select_related("user")
    return list({g.user_id: g.user for g in grants}.values())


def checks_due(*, today: dt.date | None = None) -> list[RiskCheck]:
    """Open the successor of every periodic check whose cycle has passed (one transaction per check)."""
    today = today or timezone.localdate()
    opened: list[RiskCheck] = []
    candidates = RiskCheck.objects.exclude(cycle="").filter(next_check__isnull=True, date__lte=today)
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            check = RiskCheck.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=pk)
            if RiskCheck.all_objects.filter(previous=check).exists() or due_date(check) > today:
                continue
            successor = _open_next(check)
            if successor is not None:
                opened.append(successor)
    return opened


def _open_next(check: RiskCheck) -> RiskCheck | None:
    points = list(check.points.all())  # the points still registered (a deleted one is not checked again)
    if not points:
        log.warning("定期检查：检查%s的风险点均已删除，不再开启下一周期", check.pk)
        return None
    due = due_date(check)
    successor = RiskCheck.objects.create(
        unit=check.unit,
        name=f"{_base_name(check)}（{period_label(due, check.cycle)}）"[:100],
        date=due,
        created_by=check.created_by,
        cycle=check.cycle,
        previous=check,
        scheduled=True,
    )
    successor.points.set(points)
    audit.record(
        actor=None,
        actor_name="qingfeng worker",
        action="riskcheck.schedule",
        obj=successor,
        changes={"previous": check.pk, "cycle": check.cycle, "date": due, "points": [p.pk for p in points]},
    )
    # In-app notices in the same transaction (the other channels send after commit: core.notify).
    notify.send(
        recipients=risk_managers(successor.unit_id),
        title=f"定期督促检查已开启：{successor.name}",
        body=(
            f"按{check.get_cycle_display()}检查的安排，{successor.name}已开启，共{len(points)}个风险点。"
            "请开展检查，并逐项登记发现的问题。"
        ),
        link=reverse("integrity:check_detail", args=[successor.pk]),
    )
    return successor
