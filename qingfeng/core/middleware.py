"""Request-wide concerns: the client IP for the audit log, the absolute session limit, and a Chinese 503 page
when the database is down."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from qingfeng.core.context import client_ip, current_ip

log = logging.getLogger(__name__)

SESSION_LOGIN_AT = "qf_login_at"


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


SESSION_SEEN_AT = "qf_seen_at"
SESSION_REFRESH_SECONDS = 60


class SessionLimitsMiddleware:
    """SECURITY.md A5: the idle limit is the session's age, renewed by activity; the absolute limit ends a session N
    hours after log-in however busy it is. The renewal is written at most once a minute (SESSION_REFRESH_SECONDS):
    saving the session on every page view was three of a page's queries, and a minute is nothing against an idle
    limit of 30."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_LOGIN_AT)
            limit = settings.SESSION_ABSOLUTE_HOURS * 3600
            now = time.time()
            if started is None or now - float(started) > limit:
                logout(request)
                return redirect(reverse("login") + "?expired=1")
            seen = request.session.get(SESSION_SEEN_AT)
            if seen is None or now - float(seen) >= SESSION_REFRESH_SECONDS:
                request.session[SESSION_SEEN_AT] = now  # modified: saved with a new expiry
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL character in a query string or form field is never legitimate, and PostgreSQL refuses it in text
    (an error deep in a query otherwise): answer 400 at the door."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        in_form = (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and any("\x00" in value for _, values in request.POST.lists() for value in values)
        )
        if "\x00" in query or "%00" in query or in_form:
            return render(request, "400.html", status=400)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """SECURITY.md R4: a database that cannot be reached gives a Chinese 503 page, not a trace."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError):
            log.error("database unavailable: %s", exception)
            return render(request, "503.html", status=503)
        return None
