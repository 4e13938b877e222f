"""Chinese error pages. A 403 is also an audit event (SECURITY.md L1: permission denials)."""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qingfeng.core import audit


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    audit.record_denied(request, exception)
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    # The database failing outside a view (in a middleware) still gets the 503 page, rendered without the request:
    # its context processors would ask the unreachable database for the session's user again.
    if isinstance(sys.exc_info()[1], OperationalError):
        return render(None, "503.html", status=503)
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
