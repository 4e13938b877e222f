"""SECURITY.md R1: `qingfeng backup` and `qingfeng restore`. The backup is taken of the test database; the restore
runs as the real command in a subprocess into a scratch target (a PostgreSQL database created and dropped here, or
a SQLite file in a temp directory), never into the test database."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from qingfeng.core import backup, crypto
from qingfeng.core.models import AuditEvent
from qingfeng.org.models import Person, Unit

EVIDENCE = "attachments/2023/09/3f2a9c-evidence.pdf"
EVIDENCE_BYTES = "%PDF-1.4\n% 整改佐证材料\n%%EOF\n".encode()


@dataclass
class Taken:
    directory: Path
    tar: Path
    media: Path
    events: int
    people: int


@pytest.fixture(scope="module")
def taken(django_db_setup, django_db_blocker, tmp_path_factory) -> Taken:  # type: ignore[no-untyped-def]
    """Two backups (a directory and a .tar) of the test database (the demo world) and of a MEDIA_ROOT holding one
    uploaded file, taken outside any test's transaction (SQLite cannot back up a database its own connection is
    writing to), with the counts they should bring back."""
    root = tmp_path_factory.mktemp("backup")
    media = root / "media-source"
    (media / EVIDENCE).parent.mkdir(parents=True)
    (media / EVIDENCE).write_bytes(EVIDENCE_BYTES)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        assert not connection.in_atomic_block
        return Taken(
            backup.create_backup(root / "backups"),
            backup.create_backup(root / "backups", as_tar=True),
            media,
            AuditEvent.objects.count(),
            Person.objects.count(),
        )


class Target:
    """Where a restore goes: its environment for a subprocess and a way to run SQL in it."""

    def __init__(self, env: dict[str, str], query: Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]) -> None:
        self.env = env
        self.query = query
        self.media = Path(env["QINGFENG_MEDIA_ROOT"])

    def qingfeng(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "qingfeng", *args], env=self.env, capture_output=True, text=True, timeout=300
        )


@contextmanager
def scratch_target(tmp_path: Path) -> Iterator[Target]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "QINGFENG_AUDIT_KEY": settings.AUDIT_KEY_HEX,
        "QINGFENG_LEDGER_KEY": settings.LEDGER_KEY_HEX,
        "QINGFENG_MEDIA_ROOT": str(tmp_path / "media-target"),
        "QINGFENG_DATA_DIR": str(tmp_path / "data-target"),
    }
    if connection.vendor == "sqlite":
        path = tmp_path / "data-target" / "qingfeng.sqlite3"

        def query(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            with closing(sqlite3.connect(path)) as db:
                rows = db.execute(sql, params).fetchall()
                db.commit()
                return rows

        yield Target(env, query)
        return

    import psycopg

    server = connection.settings_dict
    name = f"qf_restore_test_{os.getpid()}"
    params = {k: server[k.upper()] for k in ("host", "port", "user", "password") if server.get(k.upper())}

    def admin(sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as db:
            db.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    credentials = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
    env["DATABASE_URL"] = f"postgres://{credentials}@{server['HOST']}:{server['PORT'] or 5432}/{name}"

    def query(sql: str, params_: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(dbname=name, autocommit=True, **params) as db:
            cursor = db.execute(sql.replace("?", "%s"), params_)
            return cursor.fetchall() if cursor.description else []

    try:
        yield Target(env, query)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_r1_restore_brings_the_data_and_files_back_and_the_chain_verifies(cast, taken, tmp_path) -> None:
    manifest = json.loads((taken.directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor and manifest["version"]
    assert "core.0005_worker_heartbeat" in manifest["migrations"]
    assert manifest["files"][f"media/{EVIDENCE}"]["sm3"] == crypto.sm3_hex(EVIDENCE_BYTES)

    with scratch_target(tmp_path) as target:
        restored = target.qingfeng("restore", str(taken.directory))
        assert restored.returncode == 0, restored.stderr
        assert f"审计日志校验通过：共 {taken.events} 条事件" in restored.stdout
        bureau = target.query("SELECT name FROM org_unit WHERE id = ?", (cast.bureau.pk,))
        assert bureau == [(cast.bureau.name,)]
        assert target.query("SELECT count(*) FROM org_person", ()) == [(taken.people,)]
        assert (target.media / EVIDENCE).read_bytes() == EVIDENCE_BYTES

        # the data changes after the backup…
        target.query("UPDATE org_unit SET name = ? WHERE id = ?", ("改动后的名称", cast.bureau.pk))
        (target.media / EVIDENCE).unlink()
        refused = target.qingfeng("restore", str(taken.tar))
        assert refused.returncode != 0 and "恢复目标不是空的" in refused.stderr and "--force" in refused.stderr
        assert target.query("SELECT name FROM org_unit WHERE id = ?", (cast.bureau.pk,)) == [("改动后的名称",)]

        # …and the backup (the .tar this time) brings it back
        again = target.qingfeng("restore", "--force", str(taken.tar))
        assert again.returncode == 0, again.stderr
        assert target.query("SELECT name FROM org_unit WHERE id = ?", (cast.bureau.pk,)) == [(cast.bureau.name,)]
        assert (target.media / EVIDENCE).read_bytes() == EVIDENCE_BYTES
        # the chain walked after the restore is the backup's own (the first restore's event went with the rest)
        assert f"审计日志校验通过：共 {taken.events} 条事件，链完整。" in again.stdout
        # the restore itself is an audit event, chained after the restored ones
        last = target.query("SELECT action, seq FROM core_auditevent ORDER BY seq DESC LIMIT 1", ())
        assert last == [("system.restore", taken.events + 1)]


def test_r1_a_tampered_backup_is_refused_and_nothing_changes(cast, taken, tmp_path) -> None:
    copy = tmp_path / taken.directory.name
    shutil.copytree(taken.directory, copy)
    (copy / "media" / EVIDENCE).write_bytes(EVIDENCE_BYTES.replace("整改".encode(), "伪造".encode()))
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(tampered, "w") as archive:
        archive.add(copy, arcname=copy.name)

    with scratch_target(tmp_path) as target:
        refused = target.qingfeng("restore", "--force", str(tampered))
        assert refused.returncode != 0
        assert f"拒绝恢复：备份文件被改动或损坏：media/{EVIDENCE}" in refused.stderr
        assert not target.media.exists()
        if connection.vendor == "postgresql":
            tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            assert target.query(tables, ()) == [(0,)]
        else:
            assert not (tmp_path / "data-target" / "qingfeng.sqlite3").exists() or not target.query(
                "SELECT name FROM sqlite_master WHERE type = 'table'", ()
            )


def test_r1_verify_names_a_missing_an_added_or_an_edited_file_and_an_edited_manifest(taken, tmp_path) -> None:
    def fresh() -> Path:
        copy = tmp_path / f"copy-{len(list(tmp_path.glob('copy-*')))}"
        shutil.copytree(taken.directory, copy)
        return copy

    database_file = backup.verify(taken.directory).manifest["database"]["file"]
    assert database_file == ("database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3")
    with backup.opened(taken.tar) as unpacked:
        in_tar, in_directory = (backup.verify(p).manifest["files"] for p in (unpacked, taken.directory))
        if connection.vendor == "postgresql":  # two dumps: pg_dump -Fc stamps each with the second it was taken
            in_tar.pop(database_file), in_directory.pop(database_file)
        assert in_tar == in_directory and in_tar

    missing = fresh()
    (missing / "media" / EVIDENCE).unlink()
    with pytest.raises(backup.BackupError, match=f"备份文件缺失：media/{EVIDENCE}"):
        backup.verify(missing)

    added = fresh()
    (added / "media" / "extra.txt").write_text("x")
    with pytest.raises(backup.BackupError, match="清单之外的文件：media/extra.txt"):
        backup.verify(added)

    edited = fresh()
    data = bytearray((edited / database_file).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (edited / database_file).write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="被改动或损坏：database"):
        backup.verify(edited)

    # a forger who fixes the digest in the manifest too is caught by the manifest's HMAC-SM3 signature
    forged = fresh()
    (forged / "media" / EVIDENCE).write_bytes(b"forged")
    manifest = json.loads((forged / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][f"media/{EVIDENCE}"] = {"sm3": crypto.sm3_hex(b"forged"), "size": 6}
    (forged / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(backup.BackupError, match="签名不符"):
        backup.verify(forged)

    no_manifest = fresh()
    (no_manifest / "manifest.json").unlink()
    with pytest.raises(backup.BackupError, match="没有 manifest.json"):
        backup.verify(no_manifest)


def test_backup_keep_removes_only_the_oldest_backups(taken, tmp_path) -> None:
    names = ["qingfeng-backup-20230901-020000", "qingfeng-backup-20230902-020000", "qingfeng-backup-20230903-020000"]
    for day, name in enumerate(names):
        shutil.copytree(taken.directory, tmp_path / name)
        os.utime(tmp_path / name, (1_700_000_000 + day, 1_700_000_000 + day))
    (tmp_path / "运维记录.txt").write_text("每日备份")
    assert backup.prune(tmp_path, keep=2) == [tmp_path / names[0]]
    assert backup.list_backups(tmp_path) == [tmp_path / names[1], tmp_path / names[2]]
    assert (tmp_path / "运维记录.txt").exists()


def test_restore_refuses_a_backup_from_a_newer_version_before_touching_anything(cast, taken, monkeypatch) -> None:
    newer = set(backup.applied_migrations()) - {"core.0005_worker_heartbeat"}
    monkeypatch.setattr(backup, "known_migrations", lambda: newer)
    units = Unit.objects.count()
    with pytest.raises(backup.BackupError, match="更新的清风版本.*core.0005_worker_heartbeat"):
        backup.restore(taken.directory)
    assert Unit.objects.count() == units


def test_a_sqlite_backup_inside_a_transaction_is_refused_not_hung(cast, tmp_path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(backup.BackupError, match="事务"):
        backup.create_backup(tmp_path)
    assert not list(tmp_path.iterdir())  # nothing half-written left behind
