from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core import notify
from qingfeng.core.models import Notification

router = Router(tags=["通知"])


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


@router.get("/", response=list[NotificationOut], url_name="notification_list")
@paginate(PageNumberPagination, page_size=50)
def notification_list(request: HttpRequest, unread: bool = False):  # type: ignore[no-untyped-def]
    qs = Notification.objects.filter(recipient=request.user)
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/{int:pk}/read", response={200: dict}, url_name="notification_read")
def notification_read(request: HttpRequest, pk: int) -> dict:
    note = get_object_or_404(Notification, recipient=request.user, pk=pk)
    return {"updated": notify.mark_read(user=request.user, notification_id=note.pk)}
