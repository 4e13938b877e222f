"""The audit log: append-only events chained with HMAC-SM3 (SECURITY.md L1-L4, L6).

Each event's hash is HMAC-SM3(key, canonical JSON of the event including the previous event's hash). The event is
written inside the caller's transaction, so a failed audit write rolls back the business action (L6)."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from qingfeng.core import crypto
from qingfeng.core.context import current_ip
from qingfeng.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
SECRET_KEYS = {
    "password",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "old_password",
    "token",
    "otp",
    "key",
    "secret",
}


def _key() -> bytes:
    return bytes.fromhex(settings.AUDIT_KEY_HEX)


def _normalise(changes: dict[str, Any] | None) -> dict[str, Any]:
    """JSON-safe and free of secrets, so that what is hashed is exactly what the database gives back."""
    clean = {k: ("***" if k in SECRET_KEYS else v) for k, v in (changes or {}).items()}
    # PostgreSQL's jsonb cannot hold U+0000: drop it rather than fail the business action.
    return json.loads(json.dumps(clean, cls=DjangoJSONEncoder, ensure_ascii=False).replace("\\u0000", ""))


# The fields of an event that its hash covers, in the order of AuditEvent's columns.
CHAINED_FIELDS = (
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
)


_string = json.encoder.encode_basestring  # the C encoder json.dumps itself uses when ensure_ascii=False


def _json(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _utc_iso(moment: Any) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_values(values: tuple[Any, ...]) -> bytes:
    """The canonical JSON of an event given as a tuple in the order of CHAINED_FIELDS (what verify reads with
    values_list and what the scale-data generator writes, without building model instances).

    Byte for byte `json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))` (a test holds it
    to that), written out key by key because verify runs it millions of times."""
    (
        seq,
        occurred_at,
        actor_id,
        actor_name,
        ip,
        action,
        object_type,
        object_id,
        object_repr,
        result,
        changes,
        prev_hash,
    ) = values
    occurred = occurred_at if isinstance(occurred_at, str) else _utc_iso(occurred_at)
    # The text columns are NOT NULL strings and seq an integer; the others may be anything JSON holds.
    string = _string
    return (
        f'{{"action":{string(action)},"actor_id":{_json(actor_id)},"actor_name":{string(actor_name)},'
        f'"changes":{_json(changes) if changes else "{}"},"ip":{string(ip)},"object_id":{string(object_id)},'
        f'"object_repr":{string(object_repr)},"object_type":{string(object_type)},"occurred_at":"{occurred}",'
        f'"prev_hash":{string(prev_hash)},"result":{string(result)},"seq":{seq:d}}}'
    ).encode()


def canonical(event: AuditEvent) -> bytes:
    return canonical_values(tuple(getattr(event, name) for name in CHAINED_FIELDS))


def record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    actor_name: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event. `actor` is a user or None (e.g. a failed log-in, then `actor_name` says who tried)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        # Lock the head row: writers queue here, so the chain never forks.
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1, seq=0, last_hash=GENESIS)
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor=actor,
            actor_name=(actor_name or (actor.get_username() if actor else ""))[:150],
            ip=current_ip.get(),
            action=action,
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None and obj.pk is not None else ""),
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            result=result,
            changes=_normalise(changes),
            prev_hash=head.last_hash or GENESIS,
        )
        event.hash = crypto.hmac_sm3_hex(_key(), canonical(event))
        event.save()
        AuditChainHead.objects.filter(pk=1).update(seq=event.seq, last_hash=event.hash)
    return event


def record_denied(request: Any, reason: object = None) -> AuditEvent:
    """A permission denial (SECURITY.md L1), for the 403 page and the API alike."""
    user = getattr(request, "user", None)
    return record(
        actor=user if user is not None and user.is_authenticated else None,
        action="access.denied",
        result=AuditEvent.Result.DENIED,
        object_type="route",
        object_repr=f"{request.method} {request.path}"[:200],
        changes={"perm": str(reason or "")[:100]},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


_PAGE = 20_000
_PARALLEL_FROM = 10 * _PAGE  # shorter chains are walked in-process: forking costs more than it saves
_COLUMNS = ", ".join(f'"{c}"' for c in (*CHAINED_FIELDS, "hash"))


def _events(after: int = 0, upto: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The chain in order (seq > after, and <= upto when given), as tuples in the order of CHAINED_FIELDS plus the
    stored hash, the time already as the ISO text canonical JSON holds and `changes` decoded. Read page by page on the
    seq index with the database's own text for the time: a city's chain is millions of events, and building
    datetimes and model instances for each was most of verify's time (bench: audit-verify)."""
    table = AuditEvent._meta.db_table
    if connection.vendor == "postgresql":
        occurred = """to_char("occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
        columns = _COLUMNS.replace('"occurred_at"', occurred).replace('"changes"', '"changes"::text')
    elif connection.vendor == "sqlite":
        # As stored ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC): the driver's datetime parsing was half of verify's time.
        columns = _COLUMNS.replace('"occurred_at"', 'CAST("occurred_at" AS TEXT)')
    else:
        fields = (*CHAINED_FIELDS, "hash")
        events = AuditEvent.objects.filter(seq__gt=after).order_by("seq")
        if upto is not None:
            events = events.filter(seq__lte=upto)
        yield from events.values_list(*fields).iterator(chunk_size=5000)
        return
    bound = f'AND "seq" <= {int(upto)} ' if upto is not None else ""
    sql = f'SELECT {columns} FROM "{table}" WHERE "seq" > %s {bound}ORDER BY "seq" LIMIT {_PAGE}'  # noqa: S608 - fixed names
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [after])
            rows = cursor.fetchall()
            if not rows:
                return
            for row in rows:
                when, changes = row[1], row[10]
                if when[10] == " ":  # SQLite's text
                    when = f"{when[:10]}T{when[11:]}{'' if len(when) > 19 else '.000000'}+00:00"
                changes = {} if changes in (None, "{}") else json.loads(changes)
                yield (row[0], when, *row[2:10], changes, row[11], row[12])
            after = rows[-1][0]


@dataclass
class _Walk:
    """What one walk over a stretch of the chain found: the result so far, and where it ended."""

    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""
    last_seq: int = 0
    last_hash: str = GENESIS


def _walk(after: int = 0, upto: int | None = None, prev: str | None = GENESIS) -> _Walk:
    """Check the events after `after` (up to `upto`): each one's seq follows the last, its link is the hash before
    it (`prev`: the stored hash of event `after`; None when that event is missing, which the stretch before
    reports) and its hash is its content's."""
    keyed = crypto.hmac_sm3(_key())
    expected_seq = after + 1
    checked = 0
    for row in _events(after, upto):
        seq, prev_hash, stored = row[0], row[-2], row[-1]
        if seq != expected_seq:
            return _Walk(False, checked, expected_seq, f"缺少第 {expected_seq} 号事件（被删除）")
        if prev is not None and prev_hash != prev:
            return _Walk(False, checked, seq, "前序哈希不符（链被截断或插入）")
        digest = keyed.copy()
        digest.update(canonical_values(row[:-1]))
        if not crypto.constant_time_equal(digest.hexdigest(), stored):
            return _Walk(False, checked, seq, "内容与哈希不符（事件被篡改）")
        prev, expected_seq = stored, seq + 1
        checked += 1
    if upto is not None and expected_seq <= upto:
        return _Walk(False, checked, expected_seq, f"缺少第 {expected_seq} 号事件（被删除）")
    return _Walk(True, checked, last_seq=expected_seq - 1, last_hash=prev or "")


def _walk_part(after: int, upto: int) -> _Walk:
    """One worker process's stretch (core/audit_workers.py: its own connection, closed when done)."""
    try:
        start = AuditEvent.objects.filter(seq=after).values_list("hash", flat=True).first() if after else GENESIS
        return _walk(after, upto, start)
    finally:
        connection.close()


def verify(workers: int = 1) -> VerifyResult:
    """Walk the chain from its start; name the first event whose content, link or position is wrong.

    `workers` > 1 (the audit-verify command, on PostgreSQL, outside a transaction): the chain is cut into that many
    stretches of seq, each walked by a spawned process from the stored hash before it — hashing is CPU-bound Python,
    so processes, not threads. The first failure in chain order is the one reported."""
    top = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if workers > 1 and top > _PARALLEL_FROM and connection.vendor == "postgresql" and not connection.in_atomic_block:
        bounds = [top * i // workers for i in range(workers + 1)]
        from qingfeng.core import audit_workers

        setup = (
            os.environ.get("DJANGO_SETTINGS_MODULE", "qingfeng.settings"),
            connection.settings_dict["NAME"],
            settings.AUDIT_KEY_HEX,
        )
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, initializer=audit_workers.start, initargs=setup) as pool:
            parts = pool.starmap(audit_workers.walk, list(zip(bounds, bounds[1:], strict=False)))
        checked = 0
        for part in parts:
            checked += part.checked
            if not part.ok:
                return VerifyResult(False, checked, part.bad_seq, part.reason)
        walk = _Walk(True, checked, last_seq=top, last_hash=parts[-1].last_hash)
        # Events appended while the stretches were walked are checked from where they stopped.
        tail = _walk(top, None, walk.last_hash)
        if not tail.ok:
            return VerifyResult(False, checked + tail.checked, tail.bad_seq, tail.reason)
        if tail.checked:
            walk = _Walk(True, checked + tail.checked, last_seq=tail.last_seq, last_hash=tail.last_hash)
    else:
        walk = _walk()
        if not walk.ok:
            return VerifyResult(False, walk.checked, walk.bad_seq, walk.reason)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq and (head.seq != walk.last_seq or head.last_hash != walk.last_hash):
        return VerifyResult(False, walk.checked, walk.last_seq + 1, "链尾事件缺失（被删除）")
    return VerifyResult(True, walk.checked)
