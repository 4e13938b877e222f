"""The integrity panel of 我的工作台: for the risk managers, the risk points of their unit due for 复核."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qingfeng.core.workbench import WorkItem, WorkItems
from qingfeng.integrity import selectors


def provider(user: Any, items: WorkItems) -> None:
    count = selectors.reviews_due_count(user)
    if count:
        items.todo.append(
            WorkItem(
                title=f"待复核的廉政风险点：{count} 个",
                url=f"{reverse('integrity:risk_list')}?review=due",
                colour="yellow",
                note="到期复核",
            )
        )
