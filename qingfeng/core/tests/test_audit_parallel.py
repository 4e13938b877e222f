"""audit-verify in several processes (PostgreSQL): the stretches of the chain walked by spawned workers give the
same verdict, the same count and the same first bad event as the walk in one process. The workers read committed
data only, hence a transactional test (the demo data is flushed afterwards; pytest-django runs these last)."""

from __future__ import annotations

import pytest
from django.db import connection

from qingfeng.core import audit
from qingfeng.core.models import AuditEvent

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
    pytest.mark.django_db(transaction=True),
]


def _raw(sql: str, params: list[object]) -> None:
    """A write the append-only triggers would refuse, as a tamperer with the database's own rights would do it."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET session_replication_role = DEFAULT")


def test_parallel_verify_agrees_with_the_single_walk(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit, "_PARALLEL_FROM", 0)
    for number in range(90):
        audit.record(actor=None, action="test.parallel", changes={"n": number})
    total = AuditEvent.objects.count()
    clean = audit.verify(workers=3)
    assert clean.ok and clean.checked == total == audit.verify().checked

    # An edit in the last stretch and a deletion on the boundary of the first two: the deletion, first in chain
    # order, is what both walks name.
    top = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    boundary = top // 3
    _raw("UPDATE core_auditevent SET object_repr = 'forged' WHERE seq = %s", [top - 2])
    single = audit.verify()
    assert not single.ok and single.first_bad_seq == top - 2
    assert audit.verify(workers=3) == single
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [boundary])
    single = audit.verify()
    assert not single.ok and single.first_bad_seq == boundary and "删除" in single.reason
    assert audit.verify(workers=3) == single
