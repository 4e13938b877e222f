"""学习教育 for other systems (sessions, attendance, materials)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["学习教育"])
