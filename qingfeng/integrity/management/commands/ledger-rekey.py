"""qingfeng ledger-rekey: re-encrypt the 四种形态 ledger from the old SM4 key to a new one.

    QINGFENG_LEDGER_KEY_OLD=<current hex key> QINGFENG_LEDGER_KEY_NEW=<new hex key> qingfeng ledger-rekey

Keys come from the environment (never the command line: it shows in `ps` and shell history). Every record is
re-encrypted in one transaction; the stored key fingerprint changes with it; an audit event records the rotation.
Afterwards set QINGFENG_LEDGER_KEY to the new key and restart."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qingfeng.core.errors import UserError
from qingfeng.core.locks import AlreadyRunning, exclusive
from qingfeng.integrity import ledger_crypto
from qingfeng.integrity.services.ledger import ledger_rekey


class Command(BaseCommand):
    help = "更换四种形态台账的SM4密钥：旧密钥取自 QINGFENG_LEDGER_KEY_OLD，新密钥取自 QINGFENG_LEDGER_KEY_NEW"

    requires_system_checks: list[str] = []  # the check would refuse the old key once rotation has begun

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            old = ledger_crypto.parse_key(os.environ.get("QINGFENG_LEDGER_KEY_OLD"), name="QINGFENG_LEDGER_KEY_OLD")
            new = ledger_crypto.parse_key(os.environ.get("QINGFENG_LEDGER_KEY_NEW"), name="QINGFENG_LEDGER_KEY_NEW")
            with exclusive("ledger-rekey"):
                count = ledger_rekey(old_key=old, new_key=new)
        except (ledger_crypto.LedgerKeyError, UserError, AlreadyRunning) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已用新密钥重新加密 {count} 条记录。请将 QINGFENG_LEDGER_KEY 改为新密钥后重启服务。")
