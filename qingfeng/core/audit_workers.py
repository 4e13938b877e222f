"""The worker processes of a parallel audit-verify (core/audit.verify(workers=N)). They are spawned, not forked: a
fork copies whatever lock another thread of the parent holds at that moment (a web server's, a test server's) and
can hang for ever. A spawned worker sets Django up itself, on the parent's database and audit key (which a test's
settings may have changed), so this module imports nothing of Django at load time."""

from __future__ import annotations

import os
from typing import Any


def start(settings_module: str, database_name: str, audit_key_hex: str) -> None:
    """Pool initializer: Django set up as in the parent process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database_name
    settings.AUDIT_KEY_HEX = audit_key_hex


def walk(after: int, upto: int) -> Any:
    """One stretch of the chain (audit._walk_part)."""
    from qingfeng.core.audit import _walk_part

    return _walk_part(after, upto)
