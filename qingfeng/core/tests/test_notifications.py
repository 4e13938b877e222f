from __future__ import annotations

from django.core import mail

from qingfeng.core import notify
from qingfeng.core.models import Notification


def test_a_notice_is_in_app_at_once_and_mailed_after_commit(cast, settings, django_capture_on_commit_callbacks) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    head = cast.users["head"]
    head.email = "head@example.invalid"
    head.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(recipients=[head], title="请签收督办事项", body="事不过夜", link="/")
        assert Notification.objects.filter(recipient=head, title="请签收督办事项").exists()
        assert mail.outbox == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.invalid"]
    assert "请签收督办事项" in mail.outbox[0].subject


def test_a_failing_sender_does_not_lose_the_in_app_notice(cast, settings, django_capture_on_commit_callbacks) -> None:
    settings.NOTIFICATION_SENDERS = ["qingfeng.core.tests.test_notifications.BrokenSender"]
    with django_capture_on_commit_callbacks(execute=True):
        notify.send(recipients=[cast.users["staff"]], title="测试")
    assert Notification.objects.filter(recipient=cast.users["staff"], title="测试").exists()


class BrokenSender:
    def send(self, notification: Notification) -> None:
        raise ConnectionError("webhook down")


def test_the_unread_count_shows_and_mark_read_clears_it(cast, login) -> None:
    staff = cast.users["staff"]
    notify.send(recipients=[staff], title="新的通知")
    client = login("staff")
    unread = Notification.objects.filter(recipient=staff, read_at__isnull=True).count()
    page = client.get("/").content.decode()
    assert f'id="unread-count">{unread}<' in page
    note = Notification.objects.filter(recipient=staff, title="新的通知").get()
    response = client.post(f"/notifications/{note.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已读" in response.content.decode()
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()


def test_nobody_reads_someone_elses_notice(cast, login) -> None:
    note = notify.send(recipients=[cast.users["head"]], title="私信")[0]
    note = Notification.objects.get(recipient=cast.users["head"], title="私信")
    assert login("staff").post(f"/notifications/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
