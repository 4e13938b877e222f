"""The one error a user can cause. Its message is Chinese and shown as it is, on pages and in the API."""

from __future__ import annotations


class UserError(Exception):
    def __init__(self, message: str, *, field: str | None = None, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or []


def add_to_form(form, exc: UserError) -> None:  # type: ignore[no-untyped-def]
    """Show a service's UserError next to its field (or above the form)."""
    field = exc.field if exc.field in form.fields else None
    for message in exc.errors or [exc.message]:
        form.add_error(field, message)
