"""What every response promises: Chinese error pages without traces, security headers and a CSP without inline
script, CSRF enforced, a health endpoint, and a 503 page when the database is down (SECURITY.md I3, I5, R4)."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from qingfeng.urls import urlpatterns as real_patterns


def _boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("secret internals")


def _db_down(request):  # type: ignore[no-untyped-def]
    raise OperationalError("could not connect to server")


urlpatterns = [path("boom/", _boom), path("db-down/", _db_down), *real_patterns]
handler500 = "qingfeng.core.views.errors.server_error"


def test_an_unknown_url_is_a_chinese_404_page(login) -> None:
    response = login("head").get("/no/such/page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    assert "页面不存在" in Client().get("/no/such/page/").content.decode()


def test_a_forbidden_route_is_a_chinese_403_page_and_audited(cast, login) -> None:
    from qingfeng.core.models import AuditEvent

    response = login("head").get("/org/people/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()
    event = AuditEvent.objects.filter(action="access.denied").first()
    assert event.actor == cast.users["head"] and event.result == "denied" and "/org/people/" in event.object_repr


@pytest.mark.urls("tests.test_http_hygiene")
def test_a_server_error_is_a_chinese_500_page_without_a_trace(settings, login) -> None:
    settings.DEBUG = False
    client = login("head")
    client.raise_request_exception = False
    response = client.get("/boom/")
    text = response.content.decode()
    assert response.status_code == 500 and "系统错误" in text
    assert "secret internals" not in text and "Traceback" not in text


@pytest.mark.urls("tests.test_http_hygiene")
def test_a_database_outage_is_a_chinese_503_page(login) -> None:
    response = login("head").get("/db-down/")
    assert response.status_code == 503 and "数据库暂时无法连接" in response.content.decode()


def test_pages_carry_the_security_headers_and_a_strict_csp(login) -> None:
    response = login("head").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style_and_no_external_host(login) -> None:
    for role, url in (("head", "/"), ("sysadmin", "/org/people/"), ("auditor", "/audit/"), ("secadmin", "/org/roles/")):
        html = login(role).get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"(src|href)=[\"'](https?:)?//", html), url


def test_csrf_is_enforced_on_forms(cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "head", "password": "Qingfeng@2023"})
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    ok = client.post("/login/", {"username": "head", "password": "Qingfeng@2023", "csrfmiddlewaretoken": token})
    assert ok.status_code == 302


def test_static_assets_are_served_by_the_app(client) -> None:  # type: ignore[no-untyped-def]
    for asset in ("/static/core/qingfeng.css", "/static/vendor/htmx.min.js", "/static/core/qingfeng.js"):
        response = client.get(asset)
        assert response.status_code == 200, asset


def test_the_health_endpoint_answers(db, client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/healthz").json()  # the worker and disk checks: qingfeng/core/tests/test_operations.py
    assert body["status"] == "ok" and body["database"] == "ok"


def test_a_mobile_viewport_is_declared(login) -> None:
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in login("staff").get("/").content.decode()


def test_a_nul_character_in_a_query_or_form_is_refused_with_400(login) -> None:
    client = login("sysadmin")
    assert client.get("/org/people/", {"q": "a\x00b"}).status_code == 400
    form = "name=a%00b&code=X&kind=bureau"
    assert client.post("/org/units/", form, content_type="application/x-www-form-urlencoded").status_code == 400
    # a multipart form reaches the form, whose fields refuse NUL with a message
    response = client.post("/org/units/", {"name": "a\x00b", "code": "X", "kind": "bureau"})
    assert response.status_code == 200 and "Null" not in response.content.decode()
