"""The permission-matrix rows of the responsibility module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.permission_matrix import Route

ROUTES: list[Route] = []


def build_objects(cast: Any, far: Any) -> None:
    """Objects of this module in the demo bureau ("in") and in the far bureau ("out"); `far` is the far bureau's
    head account (also granted clerk there)."""


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    """Object kind -> a callable returning the object of `unit` for that scope; `own` is the username whose
    personal records are meant."""
    return {}
