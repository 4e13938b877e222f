from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qingfeng.core import navigation


def shell(request: HttpRequest) -> dict[str, Any]:
    """The navigation by module and the unread count, for the page shell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from qingfeng.core.models import Notification

    return {
        "nav_sections": navigation.for_user(user, request.resolver_match),
        "unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    }
