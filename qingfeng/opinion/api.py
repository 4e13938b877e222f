"""舆情处置 for other systems (incidents and their steps)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["舆情处置"])
