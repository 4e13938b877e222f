"""The one JSON API (/api/v1/, OpenAPI at /api/v1/openapi.json). Each app contributes a router; the same
services, selectors and visibility as the pages. Auth: a personal token (Authorization: Bearer qf_…) or the
session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.org.services.accounts import token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="清风 Qingfeng API",
    version="1",
    description="全面从严治党工作平台接口。认证：个人令牌（Authorization: Bearer qf_…）或浏览器会话。",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url=None,  # the Swagger page loads assets from a CDN: not on an intranet
    docs_decorator=login_required,
)


@api.exception_handler(UserError)
def _user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "对象不存在"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    audit.record_denied(request, exc)
    return api.create_response(request, {"detail": "无权访问"}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "参数有误", "errors": exc.errors}, status=422)


def _mount() -> None:
    from qingfeng.core.api import router as core_router
    from qingfeng.org.api import router as org_router

    api.add_router("/", org_router)
    api.add_router("/notifications", core_router)
    api.add_router("/supervision", "qingfeng.supervision.api.router")
    api.add_router("/responsibility", "qingfeng.responsibility.api.router")
    api.add_router("/integrity", "qingfeng.integrity.api.router")
    api.add_router("/ideology", "qingfeng.ideology.api.router")
    api.add_router("/opinion", "qingfeng.opinion.api.router")
    api.add_router("/education", "qingfeng.education.api.router")
    api.add_router("/rules", "qingfeng.rules.api.router")


_mount()
