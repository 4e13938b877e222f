"""Notifications: always in-app; then each configured sender (e-mail now; DingTalk and WeCom webhooks are
further `Sender`s) after the transaction commits, so a rolled-back action notifies nobody."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from qingfeng.core import bulk
from qingfeng.core.models import Notification

log = logging.getLogger(__name__)


class Sender(Protocol):
    def send(self, notification: Notification) -> None: ...


class EmailSender:
    """E-mail through Django's mail backend, to recipients that have an address."""

    def select(self, notifications: QuerySet[Notification]) -> QuerySet[Notification]:
        """The notices this sender can deliver (a scan's tens of thousands are mostly for accounts without one)."""
        return notifications.exclude(recipient__email="")

    def send(self, notification: Notification) -> None:
        address = notification.recipient.email
        if not address:
            return
        body = notification.body
        if notification.link:
            body = f"{body}\n\n{notification.link}"
        send_mail(f"【清风】{notification.title}", body, None, [address], fail_silently=False)


def senders() -> list[Sender]:
    return [import_string(path)() for path in settings.NOTIFICATION_SENDERS]


DISPATCH_CHUNK = 2000


def _dispatch(ids: list[int]) -> None:
    for sender in senders():
        select = getattr(sender, "select", None)
        for start in range(0, len(ids), DISPATCH_CHUNK):
            notes = Notification.objects.filter(pk__in=ids[start : start + DISPATCH_CHUNK]).select_related("recipient")
            for note in select(notes) if select else notes:
                try:
                    sender.send(note)
                except Exception:  # a failing channel must not lose the in-app notice or stop the others
                    log.exception("notification sender %s failed for %s", type(sender).__name__, note.pk)


def send(*, recipients: Iterable[Any], title: str, body: str = "", link: str = "") -> list[Notification]:
    """Create the in-app notices now and hand them to the other senders after commit."""
    notes = Notification.objects.bulk_create(
        [Notification(recipient=r, title=title[:200], body=body, link=link[:300]) for r in {*recipients}]
    )
    ids = [n.pk for n in notes if n.pk is not None]
    if not ids:  # backends that do not return ids from bulk_create
        ids = list(
            Notification.objects.filter(recipient__in=list({*recipients}), title=title[:200])
            .order_by("-id")
            .values_list("pk", flat=True)[: len(notes)]
        )
    transaction.on_commit(lambda: _dispatch(ids))
    return notes


def send_many(items: Iterable[tuple[Any, str, str, str]]) -> int:
    """Many notices at once (recipient, title, body, link): one insert, the other senders after commit."""
    rows = [(getattr(r, "pk", r), t[:200], b, link[:300]) for r, t, b, link in items]
    ids = bulk.next_ids(Notification, len(rows))
    if ids is not None:  # PostgreSQL: ids from the sequence, rows by COPY (the scan sends tens of thousands)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        bulk.insert_rows(
            Notification,
            ("id", "recipient_id", "title", "body", "link", "created_at"),
            [(pk, *row, now) for pk, row in zip(ids, rows, strict=True)],
        )
    else:
        notes = Notification.objects.bulk_create(
            [Notification(recipient_id=r, title=t, body=b, link=link) for r, t, b, link in rows]
        )
        ids = [n.pk for n in notes if n.pk is not None]
    if ids:
        transaction.on_commit(lambda: _dispatch(ids))
    return len(rows)


def mark_read(*, user: Any, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
