"""Operations: /healthz for a monitor (database, the worker's heartbeat, disk space; SECURITY.md R4), `qingfeng doctor`
(settings, keys, database, worker, disk, static files and backups, with what to fix in Chinese), and the deploy/
files that must not drift from the settings."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from qingfeng.core import audit, heartbeat
from qingfeng.core.models import WorkerHeartbeat

REPO = Path(__file__).resolve().parents[3]


# --- /healthz -------------------------------------------------------------------------------------------------------


def test_r4_healthz_reports_the_database_the_worker_and_disk_space(db, client) -> None:  # type: ignore[no-untyped-def]
    heartbeat.beat(interval_seconds=300)
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok" and body["database"] == "ok", body
    assert body["worker"]["status"] == "ok" and body["worker"]["age_seconds"] <= 5
    assert body["disk"]["status"] == "ok" and body["disk"]["data"]["free_mb"] > 0 and "media" in body["disk"]
    assert body["problems"] == [] and "no-cache" in response["Cache-Control"]
    assert str(django_settings.DATA_DIR) not in response.content.decode()  # public route: no paths


def test_r4_healthz_fails_on_a_missing_or_stale_worker_where_one_must_run(db, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCAN_INTERVAL_SECONDS = 300
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["worker"]["status"] == "missing"  # development: reported, not failed
    assert body["worker"]["required"] is False

    settings.HEALTH_REQUIRE_WORKER = True
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["problems"] == ["后台任务无心跳"]

    heartbeat.beat(interval_seconds=300)
    assert client.get("/healthz").status_code == 200
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=3 * 300 + 5))
    response = client.get("/healthz")
    body = response.json()
    assert (
        response.status_code == 503 and body["worker"]["status"] == "stale" and body["problems"] == ["后台任务心跳超时"]
    )
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=3 * 300 - 5))
    assert client.get("/healthz").status_code == 200


def test_r4_healthz_fails_when_disk_space_runs_low(db, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DISK_MIN_FREE_MB = 10**12  # more than any disk has
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "error" and body["disk"]["status"] == "low"
    assert "数据目录剩余空间不足" in body["problems"][0]


def test_the_worker_writes_its_heartbeat_each_round(cast) -> None:
    call_command("worker", "--once", "--interval", "60")
    row = WorkerHeartbeat.objects.get(name="worker")
    assert row.pid == os.getpid() and row.interval_seconds == 60
    assert (timezone.now() - row.beat_at).total_seconds() < 30
    state = heartbeat.worker_state()
    assert state.ok and state.stale_after_seconds == 3 * max(60, django_settings.SCAN_INTERVAL_SECONDS)


_DATABASE_DOWN = """
import json
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
health = Client().get("/healthz")
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "x" * 32  # a session to look up: the database is needed before any view runs
page = client.get("/")
try:
    call_command("doctor")
    doctor = "passed"
except CommandError as exc:
    doctor = str(exc)
print(json.dumps({"health": [health.status_code, health.json()], "page": [page.status_code, page.content.decode()],
                  "doctor": doctor}))
"""


def test_r4_with_the_database_down_health_fails_pages_say_503_and_doctor_says_what_to_check(tmp_path) -> None:
    """A real outage: a process whose DATABASE_URL points at a port nothing listens on."""
    env = dict(os.environ, DATABASE_URL="postgres://qingfeng@127.0.0.1:9/qingfeng", QINGFENG_DEBUG="false")
    env |= {"DJANGO_SETTINGS_MODULE": "qingfeng.settings", "QINGFENG_DATA_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", _DATABASE_DOWN], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    status, body = result["health"]
    assert status == 503 and body["status"] == "error" and body["database"] == "unavailable"
    assert body["problems"] == ["数据库无法连接"] and body["worker"]["status"] == "unknown"
    status, html = result["page"]
    assert status == 503 and "数据库暂时无法连接" in html and "Traceback" not in html
    assert "发现" in result["doctor"]
    assert "[失败] 数据库：数据库无法连接" in run.stdout and "DATABASE_URL" in run.stdout


# --- qingfeng doctor ------------------------------------------------------------------------------------------------


def _production(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The settings QINGFENG_PRODUCTION=true and a filled-in .env give, as far as doctor looks."""
    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.ALLOWED_HOSTS = ["qingfeng.example.gov.cn"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.DISK_MIN_FREE_MB = 1


def _doctor() -> tuple[bool, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("doctor", stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


def test_doctor_passes_a_production_set_up(cast, settings, tmp_path, monkeypatch) -> None:
    _production(settings, tmp_path)
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set by conftest for Playwright; async.E001
    settings.AUDIT_KEY_HEX = secrets.token_hex(32)
    audit.record(actor=None, action="test.key", actor_name="doctor")  # the chain head under the production key
    call_command("collectstatic", "--noinput", verbosity=0)
    heartbeat.beat()
    (settings.BACKUP_DIR / "qingfeng-backup-20231009-020000").mkdir(parents=True)
    (settings.BACKUP_DIR / "qingfeng-backup-20231009-020000" / "manifest.json").write_text("{}")

    passed, out = _doctor()
    assert passed, out
    assert "[失败]" not in out and "[提醒]" not in out and "全部检查通过" in out
    for line in ("生产模式已开启", "用当前密钥校验通过", "数据库迁移已全部执行", "后台任务正常", "静态文件已收集"):
        assert line in out
    assert "qingfeng check --deploy 无问题" in out


def test_doctor_names_each_failure_and_what_to_do(cast, settings, tmp_path) -> None:
    settings.PRODUCTION = False
    settings.DEBUG = True
    settings.SECRET_KEY = "qingfeng-development-only-secret-key-not-for-production-use"
    settings.ALLOWED_HOSTS = ["*"]
    settings.DISK_MIN_FREE_MB = 10**12
    passed, out = _doctor()
    assert not passed
    expected = {
        "未开启生产模式": "QINGFENG_PRODUCTION=true",
        "调试模式（DEBUG）处于开启状态": "QINGFENG_DEBUG",
        "QINGFENG_SECRET_KEY 未设置、是开发用的默认值": "secrets.token_urlsafe(50)",
        "QINGFENG_ALLOWED_HOSTS 为 *": "qingfeng.example.gov.cn",
        "从未收到后台任务（qingfeng worker）的心跳": "systemctl restart qingfeng-worker",
        "数据目录": "QINGFENG_DISK_MIN_FREE_MB",
    }
    for problem, fix in expected.items():
        line = next((ln for ln in out.splitlines() if "[失败]" in ln and problem in ln), None)
        assert line is not None, (problem, out)
        following = out.splitlines()[out.splitlines().index(line) + 1]
        assert following.strip().startswith("处理：") and fix in following, (problem, following)
    assert re.search(r"发现 \d+ 项问题", out)


def test_doctor_catches_a_changed_audit_key_and_a_wrong_ledger_key(cast, settings, tmp_path) -> None:
    from qingfeng.integrity import ledger_crypto

    _production(settings, tmp_path)
    ledger_crypto.remember_key(bytes.fromhex(settings.LEDGER_KEY_HEX))  # the ledger was written with this key
    settings.AUDIT_KEY_HEX = secrets.token_hex(32)  # not the key the demo's chain was written with
    settings.LEDGER_KEY_HEX = secrets.token_hex(16)
    passed, out = _doctor()
    assert not passed
    assert "用当前 QINGFENG_AUDIT_KEY 校验不通过" in out and "恢复为原来的 QINGFENG_AUDIT_KEY" in out
    assert "[失败] 系统检查：integrity.E001" in out and "qingfeng ledger-rekey" in out


# --- deploy/ ------------------------------------------------------------------------------------------------------


def _settings_variables() -> set[str]:
    source = (REPO / "qingfeng" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"env_(?:str|int|bool|list)\(\s*\"([A-Z0-9_]+)\"", source))


def test_the_env_template_names_every_setting_and_no_other() -> None:
    template = (REPO / "deploy" / "qingfeng.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", template, flags=re.MULTILINE))
    read = _settings_variables()
    assert {"QINGFENG_PRODUCTION", "DATABASE_URL", "QINGFENG_DISK_MIN_FREE_MB"} <= read  # the pattern finds them
    assert read - named == set(), "settings.py reads these, deploy/qingfeng.env.example does not name them"
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "qingfeng").rglob("*.py"))
    families = re.findall(r'env_str\(f"([A-Z0-9_]+)\{', code)  # e.g. QINGFENG_OPINION_LIMIT_{key.upper()}
    for prefix in families:
        assert any(n.startswith(prefix) for n in named), f"the template names no {prefix}…"
    unread = {n for n in named if n not in code and not any(n.startswith(p) for p in families)}
    assert unread == set(), "the template names variables the code never reads"


def test_the_nginx_site_and_the_systemd_units_match_the_settings() -> None:
    nginx = (REPO / "deploy" / "nginx" / "qingfeng.conf").read_text(encoding="utf-8")
    body = re.search(r"client_max_body_size\s+(\d+)m;", nginx)
    assert body and int(body.group(1)) == django_settings.UPLOAD_MAX_MB + 1  # the form fields besides the file
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx  # core.context trusts the first hop only
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx and "ssl_protocols TLSv1.2 TLSv1.3;" in nginx
    for unit, command in (("qingfeng.service", "qingfeng serve"), ("qingfeng-worker.service", "qingfeng worker")):
        text = (REPO / "deploy" / "systemd" / unit).read_text(encoding="utf-8")
        assert f"/srv/qingfeng/.venv/bin/{command}" in text and "Restart=always" in text, unit
        assert "User=qingfeng" in text and "EnvironmentFile=/etc/qingfeng/qingfeng.env" in text, unit


@pytest.mark.skipif(not Path("/usr/bin/systemd-analyze").exists(), reason="systemd-analyze 不在本机")
def test_the_systemd_units_parse() -> None:
    units = [str(REPO / "deploy" / "systemd" / u) for u in ("qingfeng.service", "qingfeng-worker.service")]
    run = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60)
    assert "Unknown key" not in run.stderr and "Invalid" not in run.stderr, run.stderr
