"""Log-in, log-out, password change and the lock-out page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from qingfeng.core.errors import UserError
from qingfeng.org.middleware import password_change_due
from qingfeng.org.models import User
from qingfeng.org.services import accounts


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续输错 %(limit)s 次将锁定账号 %(minutes)s 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            # A disabled account with the right password is told so, instead of "wrong password".
            user = User.objects.filter(username=self.cleaned_data.get("username"), is_active=False).first()
            if user is not None and user.check_password(self.cleaned_data.get("password") or ""):
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，包含大写字母、小写字母、数字、特殊符号中的至少 3 类，不能包含用户名。",
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


@require_http_methods(["GET", "POST"])
@never_cache
def login_page(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:workbench")
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        return redirect(target or settings.LOGIN_REDIRECT_URL)
    if request.GET.get("expired"):
        messages.info(request, "会话已超时，请重新登录。")
    return render(request, "org/login.html", {"form": form})


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def password_change_page(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.password_change(
                user=request.user, old_password=data["old_password"], new_password=data["new_password1"]
            )
        except UserError as exc:
            if exc.errors:
                for message in exc.errors:
                    form.add_error(exc.field, message)
            else:
                form.add_error(exc.field, exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("core:workbench")
    return render(request, "org/password_change.html", {"form": form, "forced": password_change_due(request.user)})


def lockout_response(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when a user name is locked: the form again, with a Chinese message."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"连续登录失败次数过多，账号已锁定 {minutes} 分钟，请稍后再试或联系系统管理员。"
    return render(request, "org/login.html", {"form": LoginForm(request), "lock_message": message}, status=429)
