"""One run at a time for cron-like commands (the scan, the worker): a PostgreSQL advisory lock, or on SQLite a
file lock beside the database. Both vanish with the process, so a crashed run never leaves a stale lock."""

from __future__ import annotations

import contextlib
import fcntl
import zlib
from collections.abc import Iterator

from django.conf import settings
from django.db import connection


class AlreadyRunning(Exception):
    pass


@contextlib.contextmanager
def exclusive(name: str) -> Iterator[None]:
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"qingfeng:{name}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                raise AlreadyRunning(name)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.DATA_DIR / f".{name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise AlreadyRunning(name) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
