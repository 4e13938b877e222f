"""`qingfeng doctor`: what an operator checks before and while running Qingfeng — settings, keys, the database, the
worker, disk space, static files and backups — each found ok or failing with what to do about it, in Chinese."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from qingfeng.core import audit, backup, crypto, health, heartbeat

OK, WARN, FAIL, SKIP = "通过", "提醒", "失败", "跳过"
_DEV_SECRET = "qingfeng-development-only-secret-key-not-for-production-use"
_DEV_AUDIT_KEY = "00" * 32
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "[::1]"}


@dataclass
class Finding:
    area: str
    status: str  # OK, WARN, FAIL or SKIP
    message: str
    fix: str = ""


def _settings() -> Iterator[Finding]:
    area = "配置"
    if settings.PRODUCTION:
        yield Finding(area, OK, "生产模式已开启（QINGFENG_PRODUCTION=true）")
    else:
        yield Finding(
            area, FAIL, "未开启生产模式", "在 .env 中设置 QINGFENG_PRODUCTION=true（安全 Cookie、HSTS、密钥必须设置）"
        )
    if settings.DEBUG:
        yield Finding(
            area,
            FAIL,
            "调试模式（DEBUG）处于开启状态：出错时会向用户显示程序内部信息",
            "在 .env 中删除 QINGFENG_DEBUG 或设为 false",
        )
    else:
        yield Finding(area, OK, "调试模式已关闭")
    secret = settings.SECRET_KEY or ""
    if secret == _DEV_SECRET or len(secret) < 50 or len(set(secret)) < 5 or secret.startswith("django-insecure-"):
        yield Finding(
            area,
            FAIL,
            "QINGFENG_SECRET_KEY 未设置、是开发用的默认值或太短（至少 50 个字符）",
            'QINGFENG_SECRET_KEY 设为 python3 -c "import secrets; print(secrets.token_urlsafe(50))" 的输出',
        )
    else:
        yield Finding(area, OK, "QINGFENG_SECRET_KEY 已设置")
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or "*" in hosts:
        yield Finding(
            area,
            FAIL,
            f"QINGFENG_ALLOWED_HOSTS 为{'空' if not hosts else ' *（任何域名）'}",
            "QINGFENG_ALLOWED_HOSTS 设为本系统的域名或地址，如 qingfeng.example.gov.cn,10.1.2.3",
        )
    elif settings.PRODUCTION and set(hosts) <= _LOCAL_HOSTS:
        yield Finding(
            area,
            WARN,
            "QINGFENG_ALLOWED_HOSTS 只有本机地址：经 nginx 用域名访问时会被拒绝（400）",
            "QINGFENG_ALLOWED_HOSTS 加上用户访问用的域名，如 qingfeng.example.gov.cn",
        )
    else:
        yield Finding(area, OK, f"允许的访问域名：{', '.join(hosts)}")


def _audit_key() -> Iterator[Finding]:
    area = "密钥"
    try:
        key = bytes.fromhex(settings.AUDIT_KEY_HEX or "")
    except ValueError:
        key = b""
    if len(key) < 16:
        yield Finding(
            area,
            FAIL,
            "QINGFENG_AUDIT_KEY 未设置或不是有效的十六进制密钥（至少 16 字节）",
            'QINGFENG_AUDIT_KEY 设为 python3 -c "import secrets; print(secrets.token_hex(32))" 的输出，并与数据分开保存',
        )
        return
    if settings.AUDIT_KEY_HEX.lower() == _DEV_AUDIT_KEY:
        yield Finding(
            area,
            FAIL,
            "QINGFENG_AUDIT_KEY 是开发用的默认值：任何人都能伪造审计日志",
            '在启用前换成随机密钥（python3 -c "import secrets; print(secrets.token_hex(32))"）',
        )
        return
    yield Finding(area, OK, "审计密钥已设置")


def _chain_head() -> Finding:
    """The last event's HMAC under the configured key, and the head row pointing at it: O(1), unlike audit-verify."""
    from qingfeng.core.models import AuditChainHead, AuditEvent

    area = "密钥"
    last = AuditEvent.objects.order_by("-seq").first()
    if last is None:
        return Finding(area, OK, "审计日志尚无事件")
    head = AuditChainHead.objects.filter(pk=1).first()
    expected = crypto.hmac_sm3_hex(bytes.fromhex(settings.AUDIT_KEY_HEX), audit.canonical(last))
    if not crypto.constant_time_equal(expected, last.hash):
        return Finding(
            area,
            FAIL,
            f"最新的审计事件（第 {last.seq} 号）用当前 QINGFENG_AUDIT_KEY 校验不通过：密钥被更换，或事件被篡改",
            "恢复为原来的 QINGFENG_AUDIT_KEY；再运行 qingfeng audit-verify 查明第一条有问题的事件",
        )
    if head is None or head.seq != last.seq or head.last_hash != last.hash:
        return Finding(
            area,
            FAIL,
            "审计链尾记录与最新事件不一致（事件被删除或插入）",
            "运行 qingfeng audit-verify 查明，并报告安全审计员",
        )
    return Finding(area, OK, f"审计链尾（第 {last.seq} 号事件）用当前密钥校验通过")


def _full_chain(workers: int) -> Finding:
    started = time.monotonic()
    result = audit.verify(workers=workers)
    if not result.ok:
        return Finding(
            "密钥",
            FAIL,
            f"审计日志校验失败：第 {result.first_bad_seq} 号事件 {result.reason}",
            "报告安全审计员；用最近一次校验通过的备份比对（qingfeng restore 到另一台机器）",
        )
    return Finding(
        "密钥", OK, f"审计日志全链校验通过：{result.checked} 条事件，用时 {time.monotonic() - started:.1f} 秒"
    )


_FIXES = {
    "integrity.E001": "设置正确的 QINGFENG_LEDGER_KEY（台账加密时所用的密钥）；要换密钥，用 qingfeng ledger-rekey",
}


def _system_checks() -> Iterator[Finding]:
    """Django's check framework (integrity.E001 for the ledger key among them); with the deployment checks in
    production, where `check --deploy` must be clean."""
    from django.core.checks import ERROR, WARNING, run_checks

    try:
        messages = run_checks(include_deployment_checks=settings.PRODUCTION)
    except Exception as exc:  # noqa: BLE001 - a check that cannot run is itself a finding
        yield Finding("系统检查", FAIL, f"系统检查无法运行：{exc}", "按错误信息修正配置后重试")
        return
    problems = [m for m in messages if m.level >= WARNING and not m.is_silenced()]
    for message in problems:
        status = FAIL if message.level >= ERROR else WARN
        fix = _FIXES.get(message.id or "", message.hint or "见 Django 文档中该检查项的说明")
        yield Finding("系统检查", status, f"{message.id}：{message.msg}", fix)
    if not problems:
        yield Finding("系统检查", OK, f"qingfeng check{' --deploy' if settings.PRODUCTION else ''} 无问题")


def _database() -> Iterator[Finding]:
    area = "数据库"
    if not health.database_ok():
        yield Finding(
            area,
            FAIL,
            "数据库无法连接",
            "检查 DATABASE_URL（地址、端口、用户名、密码、库名）与 PostgreSQL 是否在运行：systemctl status postgresql",
        )
        return
    yield Finding(area, OK, "数据库连接正常")
    pending = backup.pending_migrations()
    if pending:
        yield Finding(
            area,
            FAIL,
            f"有 {len(pending)} 个数据库迁移未执行（如 {pending[0]}）",
            "先 qingfeng backup，再 qingfeng migrate，然后重启 qingfeng 与 qingfeng-worker 服务",
        )
    else:
        yield Finding(area, OK, "数据库迁移已全部执行")


def _worker() -> Finding:
    state = heartbeat.worker_state()
    if state.ok:
        return Finding("后台任务", OK, state.describe())
    return Finding(
        "后台任务",
        FAIL,
        state.describe(),
        "启动或重启后台任务：systemctl restart qingfeng-worker；查看日志：journalctl -u qingfeng-worker -n 50",
    )


def _disks() -> Iterator[Finding]:
    for disk in health.disk_states():
        label = "数据目录" if disk.label == "data" else "附件目录"
        if disk.ok:
            yield Finding("磁盘", OK, f"{label} {disk.path} 剩余 {disk.free_mb} MB")
        else:
            yield Finding(
                "磁盘",
                FAIL,
                f"{label} {disk.path} 只剩 {disk.free_mb} MB（下限 {disk.min_free_mb} MB）",
                "清理旧备份与日志或扩容磁盘（下限由 QINGFENG_DISK_MIN_FREE_MB 设置）",
            )


def _static() -> Finding:
    if not settings.PRODUCTION:
        return Finding("静态文件", SKIP, "非生产模式，静态文件由开发服务器直接提供")
    root = Path(settings.STATIC_ROOT)
    manifest = root / "staticfiles.json"
    fix = "运行 qingfeng collectstatic --noinput（qingfeng serve 启动时也会自动收集）"
    if not manifest.is_file():
        return Finding("静态文件", FAIL, f"静态文件未收集：{manifest} 不存在", fix)
    try:
        paths = json.loads(manifest.read_text(encoding="utf-8")).get("paths", {})
    except ValueError:
        return Finding("静态文件", FAIL, f"{manifest} 已损坏", fix)
    missing = [name for name in paths.values() if not (root / name).is_file()]
    if missing or not paths:
        return Finding(
            "静态文件", FAIL, f"静态文件不完整：缺少 {len(missing)} 个（如 {missing[0] if missing else '全部'}）", fix
        )
    return Finding("静态文件", OK, f"静态文件已收集：{len(paths)} 个")


def _backups() -> Finding:
    found = backup.list_backups(Path(settings.BACKUP_DIR))
    fix = f"每天运行 qingfeng backup（cron 或 systemd 定时器，见 docs/operations.md），备份存到 {settings.BACKUP_DIR}"
    if not found:
        return Finding("备份", WARN, f"{settings.BACKUP_DIR} 中没有备份", fix)
    age_hours = (time.time() - found[-1].stat().st_mtime) / 3600
    if age_hours > settings.BACKUP_MAX_AGE_HOURS:
        return Finding("备份", WARN, f"最近一次备份 {found[-1].name} 在 {age_hours:.0f} 小时前", fix)
    return Finding("备份", OK, f"最近一次备份 {found[-1].name}（{age_hours:.1f} 小时前），共 {len(found)} 份")


def run(*, full_audit: bool = False, workers: int = 1) -> list[Finding]:
    """Every check, in the order an operator fixes them."""
    findings = list(_settings())
    findings += list(_audit_key())
    database = list(_database())
    key_ok = all(f.status == OK for f in findings if f.area == "密钥")
    reachable = database[0].status == OK
    findings += database
    checks: list[Callable[[], Finding]] = []
    if reachable and key_ok:
        checks.append(lambda: _full_chain(workers) if full_audit else _chain_head())
    if reachable:
        checks.append(_worker)
    else:
        findings.append(Finding("后台任务", SKIP, "数据库无法连接，无法读取后台任务心跳"))
    for check in checks:
        try:
            findings.append(check())
        except DatabaseError as exc:
            findings.append(
                Finding("数据库", FAIL, f"读取数据库出错：{exc}", "先运行 qingfeng migrate，再运行 qingfeng doctor")
            )
    findings += list(_system_checks())
    findings += list(_disks())
    findings.append(_static())
    findings.append(_backups())
    return findings
