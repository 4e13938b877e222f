"""The workbench (我的工作台) is assembled from panels that each module provides for a user: the items that
need the user (待办), due today, and so on. A module registers a provider; modules not built provide nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class WorkItem:
    title: str
    url: str
    due: dt.date | None = None
    colour: str = ""  # green / yellow / red (三色预警)
    note: str = ""


@dataclass
class WorkItems:
    todo: list[WorkItem] = field(default_factory=list)
    due_today: list[WorkItem] = field(default_factory=list)


Provider = Callable[[Any, WorkItems], None]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def collect(user: Any) -> WorkItems:
    items = WorkItems()
    for provider in _PROVIDERS:
        provider(user, items)
    return items
