"""The ledger key (SECURITY.md D1): SM4-GCM through core/crypto.py, key from QINGFENG_LEDGER_KEY, checked against the
fingerprint stored with the data so that a wrong key is a clear error at start-up and on use — never records that
silently cannot be read.

Fingerprint = HMAC-SM3(key, CHECK_TEXT): it proves which key wrote the data without revealing the key."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from qingfeng.core import crypto

CHECK_TEXT = b"qingfeng ledger key check v1"
ENV = "QINGFENG_LEDGER_KEY"


class LedgerKeyError(ImproperlyConfigured):
    """The configured key is malformed or is not the key the ledger was written with."""


def parse_key(value: str | None, *, name: str = ENV) -> bytes:
    if not value:
        raise LedgerKeyError(f"未设置环境变量 {name}（四种形态台账的SM4密钥，32位十六进制）")
    try:
        key = bytes.fromhex(value.strip())
    except ValueError:
        raise LedgerKeyError(f"环境变量 {name} 不是十六进制数") from None
    if len(key) != crypto.SM4_KEY_BYTES:
        raise LedgerKeyError(f"环境变量 {name} 须为16字节（32位十六进制），现为 {len(key)} 字节")
    return key


def fingerprint(key: bytes) -> str:
    return crypto.hmac_sm3_hex(key, CHECK_TEXT)


def stored_fingerprint() -> str | None:
    from qingfeng.integrity.models import LedgerKeyCheck

    return LedgerKeyCheck.objects.filter(pk=1).values_list("fingerprint", flat=True).first()


def verify_key(key: bytes, *, name: str = ENV) -> None:
    stored = stored_fingerprint()
    if stored is not None and not crypto.constant_time_equal(stored, fingerprint(key)):
        raise LedgerKeyError(
            f"环境变量 {name} 的密钥与四种形态台账加密所用的密钥不一致：请设置正确的密钥；"
            "如需更换密钥，请用 qingfeng ledger-rekey 重新加密"
        )


def ledger_key() -> bytes:
    """The configured key, verified against the stored fingerprint (LedgerKeyError otherwise)."""
    key = parse_key(settings.LEDGER_KEY_HEX)
    verify_key(key)
    return key


def remember_key(key: bytes) -> None:
    """Store the fingerprint when the first record is written (inside the caller's transaction)."""
    from qingfeng.integrity.models import LedgerKeyCheck

    LedgerKeyCheck.objects.get_or_create(pk=1, defaults={"fingerprint": fingerprint(key)})


def encrypt(key: bytes, text: str, associated_data: bytes) -> bytes:
    return crypto.sm4_gcm_encrypt(key, text.encode(), associated_data)


def decrypt(key: bytes, blob: bytes, associated_data: bytes) -> str:
    return crypto.sm4_gcm_decrypt(key, bytes(blob), associated_data).decode()


def check_ledger_key(app_configs=None, **kwargs):  # type: ignore[no-untyped-def]
    """Django system check (runs with `qingfeng check`, `serve`, `runserver`, `migrate`): integrity.E001."""
    from django.core.checks import Error

    try:
        key = parse_key(settings.LEDGER_KEY_HEX)
    except LedgerKeyError as exc:
        return [Error(str(exc), id="integrity.E001")]
    try:
        verify_key(key)
    except LedgerKeyError as exc:
        return [Error(str(exc), id="integrity.E001")]
    except DatabaseError:
        return []  # no database or no table yet (before migrate): checked again on first use
    return []
