"""Backup and restore of a whole Qingfeng (SECURITY.md R1): the database (PostgreSQL with `pg_dump -Fc`, SQLite with
its online backup API) and the uploaded files, in one directory (or .tar) per backup with a manifest.

The manifest names every file with its size and SM3 digest, the Qingfeng version, the applied migrations and the
time, and is itself signed with HMAC-SM3 under a key derived from the audit key (which, like the ledger key, is not
in the backup: keep `.env` apart). A restore checks all of it before it touches anything, so a damaged or edited
backup is refused with nothing changed; then it restores the database and the files and walks the audit chain."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from qingfeng.core import audit, crypto

MANIFEST = "manifest.json"
FORMAT = 1
NAME_PREFIX = "qingfeng-backup-"
PG_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"
MEDIA_DIR = "media"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says what to do."""


def qingfeng_version() -> str:
    try:
        return version("qingfeng")
    except PackageNotFoundError:
        return "unknown"


def applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def known_migrations() -> set[str]:
    """The migrations this code has on disk."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def pending_migrations() -> list[str]:
    """Migrations of this code not applied to the database (after restoring an older backup: `qingfeng migrate`)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def file_digest(path: Path) -> str:
    digest = crypto.sm3_new()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _manifest_key() -> bytes:
    try:
        audit_key = bytes.fromhex(settings.AUDIT_KEY_HEX)
    except ValueError as exc:
        raise BackupError("QINGFENG_AUDIT_KEY 不是有效的十六进制密钥，无法签署或核验备份清单") from exc
    return bytes.fromhex(crypto.hmac_sm3_hex(audit_key, b"qingfeng-backup-manifest"))


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(manifest: dict[str, Any]) -> str:
    return crypto.hmac_sm3_hex(_manifest_key(), _canonical(manifest))


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 {name}：请安装与数据库服务器同版本的 PostgreSQL 客户端（apt-get install postgresql-client）"
        )
    return path


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for Django's connection settings (the password never on a command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what}失败：{' '.join(detail[-3:]) or f'退出码 {result.returncode}'}")


# --- SQLite -------------------------------------------------------------------------------------------------------


def _sqlite_connection() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def _busy_limit(seconds: float = 60.0) -> Callable[[int, int, int], None]:
    """A progress callback for sqlite3's backup, which otherwise retries a busy database for ever."""
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(f"数据库持续忙碌 {seconds:.0f} 秒，备份中止：请在业务低峰时重试")

    return progress


# --- backup -------------------------------------------------------------------------------------------------------


def _dump_database(work: Path) -> str:
    if connection.vendor == "postgresql":
        # A consistent snapshot of a live database; waits at most a minute for a table lock instead of hanging.
        argv = [_pg_tool("pg_dump"), "-Fc", "--lock-wait-timeout=60s", "-f", str(work / PG_FILE)]
        _run(argv, pg_env(connection.settings_dict), "pg_dump 导出数据库")
        return PG_FILE
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            raise BackupError("SQLite 数据库不能在一个未结束的事务中备份")
        with closing(sqlite3.connect(work / SQLITE_FILE)) as target:
            _sqlite_connection().backup(target, progress=_busy_limit())
        return SQLITE_FILE
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def _unique(dest: Path, stem: str, suffix: str) -> Path:
    candidate, n = dest / f"{stem}{suffix}", 1
    while candidate.exists() or (dest / f".{candidate.name}.partial").exists():
        n += 1
        candidate = dest / f"{stem}-{n}{suffix}"
    return candidate


def create_backup(dest: Path, *, as_tar: bool = False, progress: Callable[[str], None] | None = None) -> Path:
    """Back up the database and the uploaded files into a new directory (or .tar) under `dest`; returns its path.
    Written under a hidden .partial name and renamed when complete, so a broken run never looks like a backup."""
    say = progress or (lambda _message: None)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    final = _unique(dest, NAME_PREFIX + timezone.localtime(now).strftime("%Y%m%d-%H%M%S"), ".tar" if as_tar else "")
    name = final.name.removesuffix(".tar")
    work = dest / f".{name}.partial"
    work.mkdir()
    try:
        say("导出数据库…")
        migrations = applied_migrations()
        database_file = _dump_database(work)
        say("复制附件…")
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, work / MEDIA_DIR, symlinks=False)
        else:
            (work / MEDIA_DIR).mkdir()
        say("计算 SM3 摘要…")
        files = {
            path.relative_to(work).as_posix(): {"sm3": file_digest(path), "size": path.stat().st_size}
            for path in _files(work)
        }
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "application": "qingfeng",
            "version": qingfeng_version(),
            "created_at": timezone.localtime(now).isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "file": database_file},
            "migrations": migrations,
            "files": files,
        }
        manifest["signature"] = sign(manifest)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        if as_tar:
            partial_tar = dest / f".{final.name}.partial"
            with tarfile.open(partial_tar, "w") as archive:
                archive.add(work, arcname=name)
            partial_tar.rename(final)
            shutil.rmtree(work)
        else:
            work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        (dest / f".{final.name}.partial").unlink(missing_ok=True)
        raise
    return final


def list_backups(dest: Path) -> list[Path]:
    """The backups `create_backup` made in `dest`, oldest first (their names sort by time)."""
    dest = Path(dest)
    if not dest.is_dir():
        return []
    found = [
        p
        for p in dest.iterdir()
        if p.name.startswith(NAME_PREFIX) and ((p.is_dir() and (p / MANIFEST).is_file()) or p.suffix == ".tar")
    ]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def prune(dest: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest backups in `dest`; returns what was removed."""
    backups = list_backups(dest)
    removed = backups[: max(0, len(backups) - keep)]
    for path in removed:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return removed


# --- verify -------------------------------------------------------------------------------------------------------


@dataclass
class VerifiedBackup:
    root: Path  # the directory holding manifest.json
    manifest: dict[str, Any]

    @property
    def database_file(self) -> Path:
        return self.root / self.manifest["database"]["file"]


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The backup's directory: `path` itself, or a .tar unpacked into a scratch directory removed afterwards."""
    path = Path(path)
    if path.is_dir():
        yield path
        return
    if not path.is_file() or not tarfile.is_tarfile(path):
        raise BackupError(f"找不到备份：{path}（应为 qingfeng backup 生成的目录或 .tar 文件）")
    scratch_parent = Path(settings.DATA_DIR)
    scratch_parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".qingfeng-restore-", dir=scratch_parent))
    try:
        with tarfile.open(path) as archive:
            try:
                archive.extractall(scratch, filter="data")  # no absolute paths, links out or device files
            except tarfile.TarError as exc:
                raise BackupError(f"备份文件无法解包：{exc}") from exc
        entries = [p for p in scratch.iterdir()]
        yield entries[0] if len(entries) == 1 and entries[0].is_dir() else scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def verify(root: Path) -> VerifiedBackup:
    """Check the manifest's signature and every file's size and SM3 digest; no file missing, none added."""
    root = Path(root)
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"备份中没有 {MANIFEST}：这不是清风的备份，或备份不完整")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{MANIFEST} 无法读取（已损坏）") from exc
    if not isinstance(manifest, dict) or manifest.get("application") != "qingfeng" or "files" not in manifest:
        raise BackupError(f"{MANIFEST} 不是清风的备份清单")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不是本程序支持的格式 {FORMAT}")
    if not crypto.constant_time_equal(str(manifest.get("signature", "")), sign(manifest)):
        raise BackupError(
            "备份清单的签名不符：清单被改动过，或本机的 QINGFENG_AUDIT_KEY 与备份时不同（恢复需使用原审计密钥）"
        )
    listed: dict[str, dict[str, Any]] = manifest["files"]
    present = {p.relative_to(root).as_posix() for p in _files(root)} - {MANIFEST}
    missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
    if missing:
        raise BackupError(f"备份文件缺失：{'、'.join(missing[:5])}{' 等' if len(missing) > 5 else ''}")
    if extra:
        raise BackupError(f"备份中有清单之外的文件：{'、'.join(extra[:5])}{' 等' if len(extra) > 5 else ''}")
    for name, meta in sorted(listed.items()):
        path = root / name
        if path.stat().st_size != meta["size"] or not crypto.constant_time_equal(file_digest(path), meta["sm3"]):
            raise BackupError(f"备份文件被改动或损坏：{name}（SM3 摘要与清单不符）")
    if manifest["database"]["file"] not in listed:
        raise BackupError("备份中没有数据库文件")
    return VerifiedBackup(root, manifest)


# --- restore ------------------------------------------------------------------------------------------------------


def database_tables() -> list[str]:
    return connection.introspection.table_names()


def _media_files() -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return list(_files(media)) if media.is_dir() else []


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    media_files: int
    media_kept: int  # files in the media directory the backup does not have (left in place)
    pending: list[str] = field(default_factory=list)
    audit: audit.VerifyResult | None = None
    seconds: float = 0.0


def _restore_database(backup: VerifiedBackup) -> None:
    if connection.vendor == "postgresql":
        connection.close()  # our own session must not hold the tables pg_restore drops
        argv = [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",  # all or nothing
            "--exit-on-error",
            "-d",
            str(connection.settings_dict["NAME"]),
            str(backup.database_file),
        ]
        _run(argv, pg_env(connection.settings_dict), "pg_restore 恢复数据库")
        return
    with closing(sqlite3.connect(backup.database_file)) as source:
        source.backup(_sqlite_connection(), progress=_busy_limit())  # into the live database, under its lock


def _restore_media(backup: VerifiedBackup) -> tuple[int, int]:
    """Copy the backup's files into MEDIA_ROOT (attachments have random names and never change); files there that
    the backup lacks are kept and counted, never deleted."""
    source = backup.root / MEDIA_DIR
    media = Path(settings.MEDIA_ROOT)
    copied = set()
    for path in _files(source) if source.is_dir() else []:
        relative = path.relative_to(source)
        target = media / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied.add(relative.as_posix())
    kept = sum(1 for p in _files(media) if p.relative_to(media).as_posix() not in copied) if media.is_dir() else 0
    return len(copied), kept


def restore(
    path: Path, *, force: bool = False, workers: int = 1, progress: Callable[[str], None] | None = None
) -> RestoreResult:
    """Restore a backup into the configured database and MEDIA_ROOT, then walk the audit chain. Everything that can
    refuse (the manifest, the files, the database kind, the migrations, a non-empty target without `force`) is
    checked before anything is changed."""
    say = progress or (lambda _message: None)
    started = time.monotonic()
    with opened(path) as root:
        say("核验备份清单与 SM3 摘要…")
        backup = verify(root)
        manifest = backup.manifest
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"备份来自 {vendor} 数据库，当前配置的是 {connection.vendor}：请按备份时的 DATABASE_URL 配置后再恢复"
            )
        unknown = sorted(set(manifest["migrations"]) - known_migrations())
        if unknown:
            raise BackupError(
                f"备份来自更新的清风版本 {manifest.get('version')}（含本程序没有的迁移 {', '.join(unknown[:3])}）："
                "请先把程序升级到该版本再恢复"
            )
        tables, media_files = database_tables(), _media_files()
        if (tables or media_files) and not force:
            what = []
            if tables:
                what.append(f"数据库已有 {len(tables)} 张表")
            if media_files:
                what.append(f"附件目录已有 {len(media_files)} 个文件")
            raise BackupError(
                f"恢复目标不是空的（{'，'.join(what)}），未做任何改动。确认要用备份覆盖时加 --force（先停止 qingfeng 服务与后台任务）"
            )
        say("恢复数据库…")
        _restore_database(backup)
        say("恢复附件…")
        copied, kept = _restore_media(backup)
    connection.close()  # a fresh session sees the restored database
    result = RestoreResult(manifest, copied, kept)
    result.pending = pending_migrations()
    say("校验审计日志链…")
    result.audit = audit.verify(workers=workers)
    if result.audit.ok:
        with suppress(DatabaseError):  # an older schema until `qingfeng migrate`
            audit.record(
                actor=None,
                actor_name="qingfeng restore",
                action="system.restore",
                object_type="backup",
                object_repr=Path(path).name[:200],
                changes={"backup_created_at": manifest["created_at"], "version": manifest.get("version", "")},
            )
    result.seconds = time.monotonic() - started
    return result
