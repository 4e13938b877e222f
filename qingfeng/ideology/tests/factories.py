"""The ideology tests' small world in the demo bureau: 财务股's 财政预决算公开 column (责任人 杨丽娟 the staff member,
审核人 刘海燕 the clerk), and a draft on it by 杨丽娟. 初审 刘海燕, 复审 陈文斌 (财务股's head), 终审 李志强 (分管)."""

from __future__ import annotations

from typing import Any

from qingfeng.ideology.models import Position, Publication
from qingfeng.ideology.services import positions, publications


def position(cast: Any, **kwargs: Any) -> Position:
    values: dict[str, Any] = {
        "name": "财政预决算公开",
        "kind": Position.Kind.PORTAL,
        "department": cast.departments["财务股"],
        "responsible_person": cast.users["staff"].person,
        "reviewer": cast.users["clerk"].person,
        "address": "http://zjj.example/czyjs/",
    }
    values.update(kwargs)
    return positions.position_create(actor=cast.users["clerk"], unit=cast.bureau, data=positions.PositionData(**values))


def draft(cast: Any, on: Position | None = None, title: str = "2023年部门预算公开说明") -> Publication:
    return publications.publication_create(
        actor=cast.users["staff"], position=on or position(cast), title=title, body="现将2023年部门预算公开如下……"
    )
