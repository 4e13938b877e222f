"""意识形态工作 for other systems (positions, publications and their reviews, meetings)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["意识形态"])
