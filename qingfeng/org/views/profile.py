"""The user's own page: who they are, their roles, their API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from qingfeng.core.errors import UserError, add_to_form
from qingfeng.org import access
from qingfeng.org.forms import TokenForm
from qingfeng.org.models import ApiToken
from qingfeng.org.services import accounts


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = accounts.token_create(actor=request.user, name=form.cleaned_data["name"])
        except UserError as exc:
            add_to_form(form, exc)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at")
    return render(
        request,
        "org/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "grants": access.assignments(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=pk, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    try:
        accounts.token_revoke(actor=request.user, token=token)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "令牌已撤销")
    return redirect("org:profile")
