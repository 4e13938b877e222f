"""定期督促检查: a check given a cycle (每季度/每半年/每年) opens its successor when the cycle has passed, over the
same risk points, and the unit's risk managers (secretary, 纪检组长, office) are told to carry it out.

The successor is also a 督办事项 (supervision's task_create, as a problem's task is made in services/risks.py), so
that it is signed for, reminded and escalated like any other until the check is completed (risks.check_complete
closes it):
1. deadline: the last day of the period the check covers (its name: 2024年第二季度 → 6月30日), but never fewer
   than MIN_DAYS days after it is opened (a check whose period is nearly over, or a late run of the worker);
2. lead department: the unit's office — the department of its 督查专员 (the clerk, one of the risk managers),
   else the department of whoever assigns it; lead leader: the 党组书记 (第一责任人 of 党风廉政建设), else the
   纪检组长 when a 班子成员; responsible person: the 督查专员 when in that department;
3. assigned on behalf of the check's creator while they still manage the register, else of another risk manager
   of the unit. A task that cannot be assigned (no office, no leader, nobody to assign it) is logged and the check
   opened without it: it still shows its deadline and becomes 逾期未完成 like any other.

Run by `qingfeng worker` with the supervision scan, or once by `qingfeng integrity-checks`. Idempotent like the
scan's reminders (SECURITY.md R3): RiskCheck.previous is unique and the predecessor is locked while its successor
is made, so a second run, or two runs at once, open nothing twice."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.integrity.models import RiskCheck, RiskPoint
from qingfeng.org import access
from qingfeng.org.models import Person, RoleAssignment, User
from qingfeng.org.roles import PERMISSIONS, Role
from qingfeng.rectification.services.rounds import add_months
from qingfeng.supervision.models import Task
from qingfeng.supervision.services._common import cn_date
from qingfeng.supervision.services.tasks import TaskDraft, task_create

log = logging.getLogger(__name__)
MANAGE = "integrity.risk_manage"
# The fewest days a scheduled check has from the day it is opened (decision 1).
MIN_DAYS = 30


def due_date(check: RiskCheck) -> dt.date:
    return add_months(check.date, RiskPoint.CYCLE_MONTHS[check.cycle])


def period_end(day: dt.date, cycle: str) -> dt.date:
    """The last day of the quarter, half-year or year `day` falls in (the period period_label names)."""
    months = RiskPoint.CYCLE_MONTHS[cycle]
    start = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    return add_months(start, months) - dt.timedelta(days=1)


def check_deadline(due: dt.date, cycle: str, today: dt.date) -> dt.date:
    """完成时限 of a scheduled check (decision 1)."""
    return max(period_end(due, cycle), today + dt.timedelta(days=MIN_DAYS))


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


def _holders(unit_id: int) -> dict[str, Person]:
    """The active person holding each of the roles a check's task needs on the unit (one query)."""
    grants = (
        RoleAssignment.objects.filter(
            unit_id=unit_id,
            role__in=[Role.CLERK, Role.SECRETARY, Role.INSPECTOR],
            revoked_at__isnull=True,
            user__is_active=True,
            user__person__status=Person.Status.ACTIVE,
            user__person__deleted_at__isnull=True,
        )
        .select_related("user__person__department")
        .order_by("user_id")
    )
    held: dict[str, Person] = {}
    for grant in grants:
        held.setdefault(grant.role, grant.user.person)
    return held


def _assigner(check: RiskCheck) -> User | None:
    if access.can(check.created_by, MANAGE, check.unit):
        return check.created_by
    return next(iter(risk_managers(check.unit_id)), None)


def check_draft(check: RiskCheck, points: list[RiskPoint], actor: User) -> TaskDraft:
    """The 督办事项 of a scheduled check (decision 2)."""
    held = _holders(check.unit_id)
    clerk = held.get(Role.CLERK)
    actor_person = getattr(actor, "person", None)
    office = clerk.department if clerk is not None and clerk.department_id else None
    office = office or (actor_person.department if actor_person is not None else None)
    leader = next((p for p in (held.get(Role.SECRETARY), held.get(Role.INSPECTOR)) if p and p.is_leadership), None)
    in_office = clerk is not None and office is not None and clerk.department_id == office.pk
    names = "、".join(f"{p.department.name}·{p.name}" for p in points[:10]) + ("等" if len(points) > 10 else "")
    return TaskDraft(
        title=f"【廉政风险点督促检查】{check.name}"[:200],
        content=(
            f"按{check.get_cycle_display()}检查的安排开展{check.name}，共{len(points)}个风险点：{names}。\n"
            f"请于{cn_date(check.deadline)}前完成检查，逐项登记发现的问题，并在督促检查页面“完成检查”；"
            "完成检查后本事项随之办结。"
        ),
        lead_department=office,
        lead_leader=leader,
        deadline=check.deadline,
        responsible_person=clerk if in_office else None,
    )


def _assign_task(check: RiskCheck, points: list[RiskPoint]) -> Task | None:
    """The check's 督办事项 (decision 3), or None, logged, when it cannot be assigned; the check opens either way."""
    actor = _assigner(check)
    if actor is None:
        log.warning("定期检查：单位%s没有风险管理人员，检查%s未生成督办事项", check.unit_id, check.pk)
        return None
    try:
        with transaction.atomic():
            return task_create(
                actor=actor,
                unit=check.unit,
                draft=check_draft(check, points, actor),
                source=Task.Source.MODULE,
                source_ref=check.name,
                assign_perm=MANAGE,
            )
    except (UserError, PermissionDenied) as exc:
        log.warning("定期检查：检查%s未能生成督办事项：%s", check.pk, exc)
        return None


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
            successor = _open_next(check, today)
            if successor is not None:
                opened.append(successor)
    return opened


def _open_next(check: RiskCheck, today: dt.date) -> RiskCheck | None:
    # the points still registered (a deleted one is not checked again)
    points = list(check.points.select_related("department").order_by("department__order", "id"))
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
        deadline=check_deadline(due, check.cycle, today),
    )
    successor.points.set(points)
    successor.task = _assign_task(successor, points)
    if successor.task is not None:
        successor.save(update_fields=["task", "updated_at"])
    audit.record(
        actor=None,
        actor_name="qingfeng worker",
        action="riskcheck.schedule",
        obj=successor,
        changes={
            "previous": check.pk,
            "cycle": check.cycle,
            "date": due,
            "deadline": successor.deadline,
            "points": [p.pk for p in points],
            "task": successor.task.number if successor.task else "",
        },
    )
    task_note = f"已作为督办事项{successor.task.number}交办办公室；" if successor.task else ""
    # In-app notices in the same transaction (the other channels send after commit: core.notify).
    notify.send(
        recipients=risk_managers(successor.unit_id),
        title=f"定期督促检查已开启：{successor.name}",
        body=(
            f"按{check.get_cycle_display()}检查的安排，{successor.name}已开启，共{len(points)}个风险点，"
            f"请于{cn_date(successor.deadline)}前完成。{task_note}"
            "请开展检查，逐项登记发现的问题，并在检查页面“完成检查”。"
        ),
        link=reverse("integrity:check_detail", args=[successor.pk]),
    )
    return successor
