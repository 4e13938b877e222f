"""Study sessions and materials for the tests, made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qingfeng.education import services
from qingfeng.education.models import StudySession
from qingfeng.org.models import Branch


def second_branch(cast: Any) -> Branch:
    """机关第二党支部 of the bureau: the matrix's objects live in the first one."""
    return Branch.objects.filter(unit=cast.bureau).order_by("order", "pk")[1]


def session(
    cast: Any,
    *,
    actor: Any = None,
    kind: str = "committee",
    branch: Branch | None = None,
    date: dt.date | None = None,
    absent: int = 0,
    **extra: Any,
) -> StudySession:
    """A session of `branch` (the second one by default; none for a unit kind) with the first `absent` people of the
    roster away on business."""
    branch = branch if branch is not None or kind in ("center", "integrity", "warning") else second_branch(cast)
    people = list(services.roster(cast.bureau, kind, branch))
    away = people[:absent]
    data = services.SessionData(
        kind=kind,
        branch=branch,
        date=date or timezone.localdate(),
        place="三楼会议室",
        host=people[-1],
        topic="学习党章",
        content="集中学习党章第一章",
        hours=Decimal("2"),
        present=people[absent:],
        absence_reasons="\n".join(f"{p.name}：出差" for p in away),
    )
    for key, value in extra.items():
        setattr(data, key, value)
    return services.session_create(actor=actor or cast.users["clerk"], unit=cast.bureau, data=data)
