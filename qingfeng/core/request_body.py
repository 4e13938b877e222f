"""The body of an API write: a JSON object or form fields, read inside the view, after the permission (403) and the
object's visibility (404) are decided. One reader for every module's API."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.http import HttpRequest

from qingfeng.core.errors import UserError


def json_or_form(request: HttpRequest, *, as_fields: bool = False) -> dict[str, Any]:
    """The JSON object as sent, or the posted fields (one value each). With `as_fields`, shaped as a Django form
    reads a post: JSON values as text (null → "", lists kept as lists) and a field posted several times as a list."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise UserError("请求体不是有效的 JSON") from None
        if not isinstance(data, dict):
            raise UserError("请求体须为 JSON 对象")
        return {k: as_field(v) for k, v in data.items()} if as_fields else data
    if as_fields:
        return {k: v if len(v) > 1 else v[0] for k, v in request.POST.lists()}
    return request.POST.dict()


def as_field(value: Any) -> Any:
    """A JSON value as the forms read a posted field: text (a number, an object too: the field then refuses it),
    a list of texts, "" for null."""
    if isinstance(value, list):
        return [as_field(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def valid_data(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or a 400 (UserError) naming every field's first error in the pages' words."""
    if form.is_valid():
        return form.cleaned_data
    errors = [
        f"{form.fields[n].label}：{str(e[0]).rstrip('。')}" if n in form.fields else str(e[0]).rstrip("。")
        for n, e in form.errors.items()
    ]
    raise UserError("；".join(errors), field=next(iter(form.errors), None), errors=errors)
