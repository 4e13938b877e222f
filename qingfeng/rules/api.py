"""制度 and 三重一大 for other systems (rules and versions, decisions)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["制度与三重一大"])
