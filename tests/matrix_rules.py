"""The permission-matrix rows of the rules module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.permission_matrix import Route

ROUTES: list[Route] = []


def build_objects(cast: Any, far: Any) -> None:
    """The in-scope and out-of-scope objects the rows point at."""


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    return {}
