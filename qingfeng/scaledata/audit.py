"""Years of audit events, chained with HMAC-SM3 exactly as core.audit.record chains them, continuing from the
chain's current head (so a database that already holds events still verifies end to end)."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings

from qingfeng.core import crypto
from qingfeng.core.audit import GENESIS, canonical_values
from qingfeng.core.models import AuditChainHead, AuditEvent
from qingfeng.scaledata.progress import Progress
from qingfeng.scaledata.writer import Table, json_value

BATCH = 20_000
# (action, object type, share): log-ins dominate, as in any real log.
ACTIONS = [
    ("login", "", 40),
    ("logout", "", 15),
    ("task.report", "supervision.task", 14),
    ("task.sign", "supervision.taskpart", 8),
    ("task.create", "supervision.task", 7),
    ("task.approve", "supervision.task", 5),
    ("notice.read", "core.notification", 5),
    ("measure.create", "rectification.measure", 2),
    ("login.failed", "", 2),
    ("export", "supervision.task", 1),
    ("access.denied", "route", 1),
]


def generate(
    rng: random.Random,
    n: int,
    users: list[int],
    usernames: dict[int, str],
    start: dt.datetime,
    end: dt.datetime,
    max_task: int,
) -> int:
    """`n` events between `start` and `end`, in time order. Returns the new head's sequence number."""
    table = Table(
        AuditEvent,
        [
            "seq",
            "occurred_at",
            "actor_id",
            "actor_name",
            "ip",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "result",
            "changes",
            "prev_hash",
            "hash",
        ],
    )
    head = AuditChainHead.objects.filter(pk=1).first()
    seq, prev = (head.seq, head.last_hash or GENESIS) if head else (0, GENESIS)
    keyed = crypto.hmac_sm3(bytes.fromhex(settings.AUDIT_KEY_HEX))
    pick = [a for a in ACTIONS for _ in range(a[2])]
    span = (end - start).total_seconds()
    step = span / max(n, 1)
    progress = Progress("审计事件", n)
    rows = []
    for i in range(n):
        seq += 1
        occurred = start + dt.timedelta(seconds=step * i + rng.random() * step * 0.9)
        action, object_type, _ = pick[rng.randrange(len(pick))]
        uid = users[rng.randrange(len(users))]
        name = usernames[uid]
        result = "success"
        changes: dict = {}
        object_id = object_repr = ""
        if action == "login.failed":
            uid, result = None, "failure"
        elif action == "access.denied":
            result = "denied"
            object_repr = "GET /org/accounts/"
            changes = {"perm": "org.manage"}
        elif object_type:
            object_id = str(1 + rng.randrange(max_task))
            object_repr = f"督办事项 {object_id}"
            if action == "task.report":
                changes = {"percent": [rng.randrange(0, 90, 10), rng.randrange(10, 101, 10)]}
        ip = f"10.{uid % 250 if uid else 0}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        values = (seq, occurred, uid, name, ip, action, object_type, object_id, object_repr, result, changes, prev)
        hasher = keyed.copy()
        hasher.update(canonical_values(values))
        digest = hasher.hexdigest()
        rows.append((table.allocate(), *values[:10], json_value(changes), prev, digest))
        prev = digest
        if len(rows) >= BATCH:
            table.write(rows)
            progress.advance(len(rows))
            rows.clear()
    table.write(rows)
    progress.advance(len(rows))
    progress.finish()
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "last_hash": prev})
    return seq
