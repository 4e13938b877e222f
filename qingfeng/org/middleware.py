from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

# Routes a user who must change the password may still reach.
_ALLOWED = {"password_change", "logout", "login"}


def password_change_due(user) -> bool:  # type: ignore[no-untyped-def]
    """A first log-in with an initial password, or a password older than the policy allows (SECURITY.md A3).
    Demo accounts skip both."""
    if user.is_demo:
        return False
    if user.must_change_password:
        return True
    changed = user.password_changed_at
    return changed is None or timezone.now() - changed > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not password_change_due(user):
            return None
        match = request.resolver_match
        if request.path_info.startswith(("/static/", "/api/")) or (match and match.url_name in _ALLOWED):
            return None
        return redirect(reverse("password_change"))
