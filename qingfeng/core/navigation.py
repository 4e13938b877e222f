"""The navigation by module. Each app registers its entries with the permission they need; a module not yet
built registers nothing, so there are no dead links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    perm: str
    prefix: str  # the URL name that marks the item active, or a name it starts with followed by "_"
    # A further condition on the user beyond the permission code (e.g. the ledger: a 纪委 superior, not a 组织部 one).
    when: Callable[[Any], bool] | None = field(default=None, compare=False)


_ITEMS: list[NavItem] = []
_SECTION_ORDER: list[str] = []


def register(
    section: str,
    label: str,
    url_name: str,
    perm: str,
    prefix: str | None = None,
    when: Callable[[Any], bool] | None = None,
) -> None:
    if section not in _SECTION_ORDER:
        _SECTION_ORDER.append(section)
    item = NavItem(section, label, url_name, perm, prefix or url_name, when)
    if item not in _ITEMS:
        _ITEMS.append(item)


def for_user(user: Any, match: Any) -> list[dict[str, Any]]:
    from qingfeng.org import access

    name = (match.url_name or "") if match else ""
    current = f"{match.namespace}:{name}" if match and match.namespace else name
    sections: dict[str, list[dict[str, Any]]] = {}
    for item in _ITEMS:
        if access.can(user, item.perm) and (item.when is None or item.when(user)):
            sections.setdefault(item.section, []).append(
                {
                    "label": item.label,
                    "url": reverse(item.url_name),
                    "active": current == item.prefix or current.startswith(item.prefix + "_"),
                }
            )
    return [{"name": name, "items": sections[name]} for name in _SECTION_ORDER if name in sections]
