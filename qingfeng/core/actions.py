"""The tail of every POST action page: run one service, turn its UserError into a Chinese message, say what was
done; and a form's first error as one line for a message shown after the redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from qingfeng.core.errors import UserError


def run_action(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    try:
        call()
    except UserError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def first_error(form: forms.Form) -> str:
    """The first field's label and its first error (or the form's own)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}：{errors[0]}" if label else str(errors[0])
    return "提交的内容有误"
