"""What /healthz and `qingfeng doctor` both look at: the database, the worker's heartbeat and free disk space."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass
class DiskState:
    label: str  # "data" or "media"
    path: Path
    free_mb: int
    min_free_mb: int

    @property
    def ok(self) -> bool:
        return self.free_mb >= self.min_free_mb


def _existing(path: Path) -> Path:
    """The directory itself, or its nearest existing parent (a media directory not created yet)."""
    path = Path(path).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def disk_states() -> list[DiskState]:
    """Free space of the data directory (SQLite file, static files, backups) and of the uploaded files."""
    states = []
    for label, path in (("data", settings.DATA_DIR), ("media", settings.MEDIA_ROOT)):
        usage = shutil.disk_usage(_existing(path))
        states.append(DiskState(label, Path(path), usage.free // (1024 * 1024), settings.DISK_MIN_FREE_MB))
    return states


def database_ok() -> bool:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure to reach the database is "unavailable"
        return False
    return True
