from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qingfeng.core import calendar, workbench
from qingfeng.core.models import Notification
from qingfeng.org import access


@require_GET
@login_required
def workbench_page(request: HttpRequest) -> HttpResponse:
    """我的工作台: my open items, things due today, unread notifications."""
    # Open to every account: one without a role yet sees that it has none, not a 403.
    today = timezone.localdate()
    items = workbench.collect(request.user)
    notes = list(Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:10])
    return render(
        request,
        "core/workbench.html",
        {
            "items": items,
            "notes": notes,
            "today": today,
            "is_working_day": calendar.is_working_day(today),
            "calendar_warning": calendar.year_warning(today.year),
            "roles": sorted(access.assignments(request.user), key=lambda a: a.role),
        },
    )
