from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from qingfeng.core import notify
from qingfeng.core.models import Notification
from qingfeng.core.paging import paginate


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    return render(request, "core/notifications.html", paginate(request, qs))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, recipient=request.user, pk=pk)
    notify.mark_read(user=request.user, notification_id=note.pk)
    note.refresh_from_db()
    if request.htmx:
        return render(request, "core/_notification_row.html", {"n": note})
    return redirect("core:notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notify.mark_read(user=request.user)
    return redirect("core:notifications")
