"""Accounts: create (with a one-time password that must be changed), disable, enable, reset password, and the
user's own password change and API tokens."""

from __future__ import annotations

import secrets
import string
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit, crypto
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.models import ApiToken, Person, Unit, User


def one_time_password() -> str:
    """12 characters with all four classes, so it passes the policy; shown once to the administrator."""
    alphabet = string.ascii_letters + string.digits
    core = [secrets.choice(alphabet) for _ in range(8)]
    return (
        "".join(core)
        + secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
        + secrets.choice("abcdefghjkmnpqrstuvwxyz")
        + secrets.choice("23456789")
        + secrets.choice("@#%&*!?")
    )


def _check_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise UserError("用户名不能为空", field="username")
    if len(username) > 150 or not all(c.isalnum() or c in "._-@" for c in username):
        raise UserError("用户名只能包含字母、数字和 . _ - @", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise UserError(f"用户名“{username}”已存在", field="username")
    return username


@transaction.atomic
def account_create(
    *,
    actor: Any,
    username: str,
    unit: Unit,
    person: Person | None = None,
    display_name: str = "",
    email: str = "",
    system: bool = False,
) -> tuple[User, str]:
    """A new account with a one-time password (returned, shown once). `system=True`: bootstrap/demo only."""
    if not system:
        access.require(actor, "org.manage", unit)
    username = _check_username(username)
    if person is not None:
        if person.unit_id != unit.pk:
            raise UserError("人员不属于该单位", field="person")
        if User.objects.filter(person=person).exists():
            raise UserError(f"{person.name}已有账号", field="person")
        if person.status != Person.Status.ACTIVE:
            raise UserError(f"{person.name}已离岗，不能开设账号", field="person")
    password = one_time_password()
    user = User(
        username=username,
        unit=unit,
        person=person,
        display_name=display_name or (person.name if person else ""),
        email=email,
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    audit.record(actor=actor, action="account.create", obj=user, changes={"username": username, "unit": unit.name})
    return user, password


@transaction.atomic
def account_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Disable or enable. A disabled account's sessions end at once (the backend refuses inactive users)."""
    access.require(actor, "org.manage", user.unit)
    if user.pk == actor.pk:
        raise UserError("不能停用自己的账号")
    if user.is_active == active:
        raise UserError("账号已是该状态")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="account.enable" if active else "account.disable",
        obj=user,
        changes={"is_active": [not active, active]},
    )
    return user


@transaction.atomic
def account_reset_password(*, actor: Any, user: User) -> str:
    """A new one-time password; the old sessions end (the session hash follows the password)."""
    access.require(actor, "org.manage", user.unit)
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(actor=actor, action="account.reset_password", obj=user)
    return password


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise UserError("原密码不正确", field="old_password")
    if old_password == new_password:
        raise UserError("新密码不能与原密码相同", field="new_password1")
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise UserError("；".join(exc.messages), field="new_password1", errors=list(exc.messages)) from exc
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(actor=user, action="account.password_change", obj=user)
    return user


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise UserError("请填写令牌名称", field="name")
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= 10:
        raise UserError("每个账号最多 10 个有效令牌")
    raw = "qf_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name[:50], prefix=raw[3:9], digest=crypto.sm3_hex(raw.encode()))
    audit.record(actor=actor, action="token.create", obj=token, changes={"name": token.name})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk or token.revoked_at is not None:
        raise UserError("令牌不存在或已撤销")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="token.revoke", obj=token)


def token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.filter(digest=crypto.sm3_hex(raw.encode()), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
