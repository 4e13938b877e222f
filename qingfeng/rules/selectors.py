"""What the 制度 and 三重一大 pages read. Every query starts from access.visible_q."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from qingfeng.org import access
from qingfeng.rules.models import Attendance, Decision, Opinion, Proposal, ProposalStep, Rule


@dataclass
class RuleFilters:
    status: str = ""
    department: int | None = None
    due: bool = False
    q: str = ""


def due_horizon(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=settings.RULES_REVIEW_REMIND_DAYS)


def rules(user: Any, filters: RuleFilters | None = None) -> QuerySet[Rule]:
    f = filters or RuleFilters()
    qs = Rule.objects.filter(access.visible_q(user, Rule))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.due:
        qs = qs.filter(review_date__lte=due_horizon()).exclude(status=Rule.Status.REPEALED)
    if f.q:
        qs = qs.filter(Q(title__contains=f.q) | Q(number__contains=f.q))
    return qs.select_related("unit", "department")


def proposals(user: Any, stage: str = "") -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(access.visible_q(user, Proposal))
    if stage:
        qs = qs.filter(stage=stage)
    return qs.select_related("unit", "department", "rule", "task")


def proposal_steps(proposal: Proposal) -> QuerySet[ProposalStep]:
    return proposal.steps.select_related("actor").order_by("at", "id")


def decisions(user: Any, *, kind: str = "", problems: bool = False) -> QuerySet[Decision]:
    qs = Decision.objects.filter(access.visible_q(user, Decision))
    if kind:
        qs = qs.filter(kind=kind)
    if problems:
        qs = qs.filter(problem_count__gt=0)
    return qs.select_related("unit", "host")


def decision_detail(decision: Decision) -> Decision:
    return (
        Decision.objects.select_related("unit", "host", "recorded_by")
        .prefetch_related(
            "preparations",
            Prefetch("attendances", queryset=Attendance.objects.select_related("person")),
            Prefetch("opinions", queryset=Opinion.objects.select_related("person").order_by("order")),
        )
        .get(pk=decision.pk)
    )


def revisions_for_finding(finding: Any) -> QuerySet[Proposal]:
    """The 废改立 proposals a rectification finding gave rise to (the finding's page shows them, with the rule)."""
    return Proposal.objects.filter(finding=finding).select_related("rule").order_by("created_at", "id")
