"""Accounts (系统管理员): create, disable/enable, reset password. Role grants are the 安全管理员's (roles.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access, selectors
from qingfeng.org.access import perm_required
from qingfeng.org.forms import AccountCreateForm
from qingfeng.org.models import User
from qingfeng.org.services import accounts

_ONE_TIME = "qf_one_time_password"


@require_GET
@perm_required("org.manage")
def account_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.accounts_for(request.user, q=request.GET.get("q", "").strip())
    return render(request, "org/account_list.html", {"q": request.GET.get("q", ""), **paginate(request, qs)})


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"person": request.GET.get("person")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = accounts.account_create(
                actor=request.user,
                username=data["username"],
                unit=data["unit"],
                person=data["person"],
                display_name=data["display_name"],
                email=data["email"],
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            request.session[_ONE_TIME] = {"user": user.pk, "password": password}
            return redirect("org:account_detail", pk=user.pk)
    return render(request, "org/account_form.html", {"form": form})


@require_GET
@perm_required("org.manage")
@never_cache
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_object_for_user(request.user, User, pk, write=True)
    shown = request.session.pop(_ONE_TIME, None)
    password = shown["password"] if shown and shown.get("user") == account.pk else None
    grants = account.role_assignments.filter(revoked_at__isnull=True).select_related("unit")
    return render(request, "org/account_detail.html", {"account": account, "password": password, "grants": grants})


@perm_required("org.manage")
@require_POST
def account_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_object_for_user(request.user, User, pk, write=True)
    try:
        accounts.account_set_active(actor=request.user, user=account, active=not account.is_active)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "账号已启用" if account.is_active else "账号已停用，其会话已全部失效")
    return redirect("org:account_detail", pk=account.pk)


@perm_required("org.manage")
@require_POST
def account_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_object_for_user(request.user, User, pk, write=True)
    try:
        password = accounts.account_reset_password(actor=request.user, user=account)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        request.session[_ONE_TIME] = {"user": account.pk, "password": password}
    return redirect("org:account_detail", pk=account.pk)
