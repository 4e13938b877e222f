from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from qingfeng.core.errors import UserError


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name if not isinstance(obj._meta.get_field(name), models.ForeignKey) else f"{name}_id")
        data[name] = value
    return data


def validated_save(obj: models.Model, **save_kwargs: Any) -> None:
    """full_clean then save, turning model validation errors into one Chinese UserError."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        messages = [f"{m}" for ms in exc.message_dict.values() for m in ms]
        raise UserError("；".join(messages), errors=messages) from exc
    obj.save(**save_kwargs)
