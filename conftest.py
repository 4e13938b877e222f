"""The fixed cast (STYLE.md): the demo world — one account per role code in the bureau, an `outsider` head of a
sibling bureau, and a bureau of another county nobody sees — built once per test session, read by every test
inside its own rolled-back transaction."""

from __future__ import annotations

import copy
import os
import tempfile
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from qingfeng.core.middleware import SESSION_SEEN_AT
from qingfeng.org import demo

# Uploaded files of the tests go to a scratch folder, never into var/media.
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="qingfeng-test-media-")
# Argon2 at the lowest cost (tests/hashers.py): the same algorithm, without a third of a second per password.
settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher", *settings.PASSWORD_HASHERS]

TEST_PASSWORD = demo.DEMO_PASSWORD
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright under pytest-django


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        if not demo.exists():
            demo.build(password=TEST_PASSWORD)
            from tests.permission_matrix import build_matrix_objects

            build_matrix_objects()


@pytest.fixture(autouse=True)
def _fresh_calendar_overrides() -> None:
    """The process keeps each year's holiday overrides for a minute; a test's rolled-back rows must not outlive it."""
    from qingfeng.core.calendar import forget_overrides

    forget_overrides()


_CAST: list[demo.Cast] = []  # the session's cast as loaded once; each test gets its own copy


@pytest.fixture
def cast(db, request) -> demo.Cast:  # type: ignore[no-untyped-def]
    """The demo cast, a fresh copy per test (a test may change its instances): loading it was three queries and
    a dozen model instances for each of four thousand tests. A transactional test flushes the database (the next
    demo has other keys), so after one the cast is loaded again."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker is not None and marker.kwargs.get("transaction")):
        _CAST.clear()
        return demo.load()
    if not _CAST:
        _CAST.append(demo.load())
    return copy.deepcopy(_CAST[0])


@pytest.fixture
def login(cast: demo.Cast) -> Callable[[str], Client]:
    """login("clerk") → a test client logged in as that role's demo account."""

    def _login(username: str) -> Client:
        client = Client()
        client.force_login(cast.users[username])
        session = client.session
        session[SESSION_SEEN_AT] = time.time()  # as a real log-in's first page would have it: no renewal to write
        session.save()
        return client

    return _login
