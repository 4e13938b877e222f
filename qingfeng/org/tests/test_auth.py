"""Log-in security (SECURITY.md A1-A5, A8, A9, L1, L7): Argon2, the password policy, lock-out, first log-in,
session limits, and the audit events of it all."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.utils import timezone

from qingfeng.core.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from qingfeng.core.models import AuditEvent
from qingfeng.org.models import User
from qingfeng.org.services import accounts

PASSWORD = "Qingfeng@2023"


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(cast) -> None:
    assert identify_hasher(cast.users["head"].password).algorithm == "argon2"


def test_login_lands_on_the_workbench_and_is_audited(cast) -> None:
    client = Client()
    response = _login(client, "head", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "我的工作台" in page and "陈文斌" in page
    event = AuditEvent.objects.filter(action="auth.login").first()
    assert event.actor == cast.users["head"] and event.ip == "127.0.0.1"


def test_a_wrong_password_gives_a_chinese_message_and_an_audit_event(cast) -> None:
    response = _login(Client(), "head", "wrong-Password1")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert event.actor_name == "head" and event.result == "failure"
    assert "wrong-Password1" not in str(event.changes)


def test_five_failures_lock_the_account_even_for_the_right_password(cast) -> None:
    client = Client()
    for _ in range(5):
        _login(client, "staff", "not-the-Password1")
    response = _login(Client(), "staff", PASSWORD)
    assert response.status_code == 429
    assert "账号已锁定 15 分钟" in response.content.decode()
    assert "_auth_user_id" not in Client().session
    assert AuditEvent.objects.filter(action="auth.locked_out", actor_name="staff").exists()


def test_the_lock_lifts_after_the_cool_off(cast) -> None:
    from axes.models import AccessAttempt

    for _ in range(5):
        _login(Client(), "staff", "not-the-Password1")
    AccessAttempt.objects.filter(username="staff").update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _login(Client(), "staff", PASSWORD).status_code == 302


def test_the_lock_is_per_account(cast) -> None:
    for _ in range(5):
        _login(Client(), "staff", "not-the-Password1")
    assert _login(Client(), "head", PASSWORD).status_code == 302


def test_a_new_session_key_at_login_and_a_dead_one_after_logout(cast) -> None:
    client = Client()
    client.get("/login/")
    client.cookies["sessionid"] = "0" * 32
    _login(client, "head", PASSWORD)
    key = client.session.session_key
    assert key and key != "0" * 32
    assert client.post("/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=cast.users["head"]).exists()
    stale = Client()
    stale.cookies["sessionid"] = key
    assert stale.get("/").status_code == 302  # back to the log-in page


def test_a_first_login_with_an_initial_password_must_change_it(cast) -> None:
    user, initial = accounts.account_create(actor=cast.users["sysadmin"], username="xin", unit=cast.bureau)
    client = Client()
    assert _login(client, "xin", initial).status_code == 302
    assert client.get("/").url == "/password/"
    assert client.get("/org/profile/").url == "/password/"
    page = client.get("/password/").content.decode()
    assert "请先修改密码" in page
    response = client.post("/password/", {"old_password": initial, "new_password1": "abc", "new_password2": "abc"})
    text = response.content.decode()
    assert "至少" in text and "3 类" in text
    response = client.post(
        "/password/", {"old_password": initial, "new_password1": "Xin-2023-ok", "new_password2": "Xin-2023-ok"}
    )
    assert "不能包含用户名" in response.content.decode()
    response = client.post(
        "/password/", {"old_password": initial, "new_password1": "Lvyin#2023", "new_password2": "Lvyin#2023"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password


@pytest.mark.parametrize(
    ("password", "message"),
    [("Ab1!", "太短"), ("abcdefgh1", "至少 3 类"), ("Password1!", "太常见"), ("Head@12345", "用户名")],
)
def test_the_password_policy_speaks_chinese(cast, password, message) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_password(password, cast.users["head"])
    assert any(message in m for m in info.value.messages), info.value.messages


def test_an_old_password_must_be_changed(cast, login) -> None:
    user = cast.users["clerk"]
    User.objects.filter(pk=user.pk).update(is_demo=False, password_changed_at=timezone.now() - dt.timedelta(days=91))
    assert login("clerk").get("/").url == "/password/"


def test_an_idle_session_expires_after_30_minutes(cast, settings) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    _login(client, "head", PASSWORD)
    from django.contrib.sessions.models import Session

    # Activity renews the expiry, at most once a minute.
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/").status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + dt.timedelta(minutes=29)
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == renewed  # not written again within the minute
    session = client.session
    session[SESSION_SEEN_AT] = time.time() - 61
    session.save()
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date > renewed

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/").status_code == 302


def test_a_session_ends_12_hours_after_login_however_busy(cast) -> None:
    client = Client()
    _login(client, "head", PASSWORD)
    session = client.session
    session[SESSION_LOGIN_AT] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "expired=1" in response.url


def test_a_password_reset_or_a_disabled_account_ends_its_sessions(cast, login) -> None:
    client = Client()
    _login(client, "staff", PASSWORD)
    assert client.get("/").status_code == 200
    accounts.account_reset_password(actor=cast.users["sysadmin"], user=User.objects.get(username="staff"))
    assert client.get("/").status_code == 302
    other = Client()
    _login(other, "head", PASSWORD)
    accounts.account_set_active(actor=cast.users["sysadmin"], user=User.objects.get(username="head"), active=False)
    assert other.get("/").status_code == 302
    assert "已停用" in _login(Client(), "head", PASSWORD).content.decode()


def test_user_names_are_unique_regardless_of_case(cast) -> None:
    from qingfeng.core.errors import UserError

    with pytest.raises(UserError, match="已存在"):
        accounts.account_create(actor=cast.users["sysadmin"], username="HEAD", unit=cast.bureau)


def test_log_lines_cannot_be_forged_with_newlines(caplog) -> None:
    from qingfeng.core.logging import NeutraliseNewlines

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "user %s", ("evil\nFAKE LINE",), None)
    NeutraliseNewlines().filter(record)
    assert "\n" not in record.getMessage()
