"""SECURITY.md C1, C2, C6: every role over every route and method, in and out of scope."""

from __future__ import annotations

import functools

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import ROLES, ROUTES, Row, object_for, rows, upload_for

ROWS = rows()


def _route_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_registered_route_has_rows_in_the_matrix() -> None:
    registered = _route_names()
    covered = {route.name for route in ROUTES}
    missing = sorted(registered - covered)
    assert not missing, f"routes without rows in tests/permission_matrix.py: {missing}"
    stale = sorted(covered - registered)
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


@pytest.fixture(scope="session")
def matrix_sessions(django_db_setup, django_db_blocker) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One committed log-in session per role, made once: a force_login per row (a session written, the log-in
    signals, an audit event) was a fifth of the matrix's time. Each row's request runs in its own rolled-back
    transaction, so a row that logs out or changes a password leaves the session as it was. Written directly
    (no log-in signals), so that no audit event or last_login of the shared data changes."""
    import time

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.contrib.sessions.backends.db import SessionStore

    from qingfeng.core.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
    from qingfeng.org import demo

    # as force_login chooses: the first backend that can load a user (axes' comes first and cannot)
    backend = next(p for p in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(p), "get_user"))
    keys: dict[str, str] = {}
    with django_db_blocker.unblock():
        users = demo.load().users
        for role in ROLES:
            if role == "anonymous":
                continue
            user = users[role]
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = backend
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store[SESSION_LOGIN_AT] = store[SESSION_SEEN_AT] = time.time()
            store.create()
            keys[role] = store.session_key
    return keys


@functools.cache
def _object_pk(kind: str, scope: str, role: str) -> int:
    """The matrix objects are built once per session and committed: their keys do not change."""
    return object_for(kind, scope, role)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_permission_matrix(row: Row, cast, matrix_sessions) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    route = row.route
    client = Client()
    if row.role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = matrix_sessions[row.role]
    kwargs = {"pk": _object_pk(route.obj, row.scope, row.role)} if route.obj else {}
    url = reverse(route.name, kwargs=kwargs)
    response = client.get(url) if route.method == "GET" else client.post(url, {**route.data, **upload_for(route)})
    assert response.status_code == row.expected, (
        f"{route.method} {url} as {row.role} ({row.scope}): {response.status_code}, expected {row.expected}"
    )


GARBAGE = {
    "page": "abc",
    "unit": "x'; DROP TABLE org_unit;--",
    "department": "-1",
    "q": "<script>alert(1)</script>" * 20,
    "year": "99999999999",
    "start": "2023-13-45",
    "end": "昨天",
    "role": "root",
    "unread": "2",
    "status": "\x00",
    "party": "maybe",
    "person": "NaN",
}
GET_ROUTES = [r for r in ROUTES if r.method == "GET" and not r.obj]


@pytest.mark.parametrize("route", GET_ROUTES, ids=[r.name for r in GET_ROUTES])
def test_garbage_query_strings_never_give_a_server_error(route, cast) -> None:  # type: ignore[no-untyped-def]
    role = sorted(route.allowed - {"anonymous", "outsider"})[0]
    client = Client()
    client.force_login(cast.users[role])
    client.raise_request_exception = False
    response = client.get(reverse(route.name), GARBAGE)
    assert response.status_code < 500, (route.name, role, response.status_code)
