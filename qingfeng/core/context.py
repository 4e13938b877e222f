"""Who and where of the current request, for the audit log (set by RequestContextMiddleware)."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str] = ContextVar("current_ip", default="")


def client_ip(request) -> str:  # type: ignore[no-untyped-def]
    # Behind the intranet's nginx the first X-Forwarded-For hop is the client; only trusted in production
    # where nginx sets it (deploy/). REMOTE_ADDR otherwise.
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.PRODUCTION else ""
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return ip[:45]
