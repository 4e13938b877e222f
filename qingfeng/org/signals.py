"""Log-in, failed log-in, lock-out and log-out events for the audit log (SECURITY.md L1)."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from qingfeng.core import audit
from qingfeng.core.middleware import SESSION_LOGIN_AT


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = time.time()
    audit.record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit.record(
        actor=None,
        action="auth.login_failed",
        actor_name=str(credentials.get("username", ""))[:150],
        result="failure",
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    audit.record(actor=None, action="auth.locked_out", actor_name=(username or "")[:150], result="denied")
