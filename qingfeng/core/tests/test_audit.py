"""SECURITY.md L1-L4, L6: the append-only HMAC-SM3 audit chain."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from qingfeng.core import audit
from qingfeng.core.models import AppendOnlyError, AuditChainHead, AuditEvent
from qingfeng.org.models import Department
from qingfeng.org.services import structure


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")


def test_the_demo_chain_verifies(cast) -> None:
    result = audit.verify()
    assert result.ok, result
    assert result.checked == AuditEvent.objects.count() > 50


def test_each_event_links_to_the_previous_one(cast) -> None:
    first = audit.record(actor=cast.users["clerk"], action="test.one")
    second = audit.record(actor=cast.users["clerk"], action="test.two", changes={"x": [1, 2]})
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert AuditChainHead.objects.get(pk=1).last_hash == second.hash


def test_a_business_write_records_who_what_and_the_change(cast) -> None:
    sysadmin = cast.users["sysadmin"]
    dept = structure.department_create(actor=sysadmin, unit=cast.bureau, name="信访股")
    structure.department_update(actor=sysadmin, department=dept, name="信访办", order=3)
    event = AuditEvent.objects.filter(action="department.update").first()
    assert event.actor == sysadmin and event.actor_name == "sysadmin"
    assert event.object_type == "org.department" and event.object_id == str(dept.pk)
    assert event.changes == {"name": ["信访股", "信访办"], "order": [0, 3]}
    assert event.occurred_at.tzinfo is not None


def test_orm_refuses_to_change_or_delete_events(cast) -> None:
    event = AuditEvent.objects.first()
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_a_raw_update(cast) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE seq = 1")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_a_raw_delete(cast) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = 1")


def test_verify_names_the_first_edited_event(cast) -> None:
    target = AuditEvent.objects.order_by("seq")[10]
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET object_repr = 'forged' WHERE seq = %s", [target.seq])
    result = audit.verify()
    assert not result.ok
    assert result.first_bad_seq == target.seq
    assert "篡改" in result.reason
    with pytest.raises(CommandError, match=f"第 {target.seq} 号事件"):
        call_command("audit-verify")


def test_verify_names_a_deleted_event(cast) -> None:
    target = AuditEvent.objects.order_by("seq")[20]
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [target.seq])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == target.seq


def test_verify_sees_a_cut_tail(cast) -> None:
    last = audit.record(actor=None, action="test.tail")
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [last.seq])
    result = audit.verify()
    assert not result.ok and result.first_bad_seq == last.seq


def test_audit_verify_command_reports_a_clean_chain(cast, capsys) -> None:
    call_command("audit-verify")
    assert "校验通过" in capsys.readouterr().out


def test_a_failed_audit_write_rolls_back_the_business_action(cast, settings) -> None:
    settings.AUDIT_KEY_HEX = "not-hex"  # the HMAC cannot be computed: the audit write fails
    before = Department.objects.count()
    with pytest.raises(ValueError):
        structure.department_create(actor=cast.users["sysadmin"], unit=cast.bureau, name="不应存在的股")
    assert Department.objects.count() == before
    assert not Department.objects.filter(name="不应存在的股").exists()


def test_secrets_never_reach_the_log(cast) -> None:
    event = audit.record(actor=None, action="test.secret", changes={"password": "S3cret!x", "name": "x"})
    assert event.changes == {"password": "***", "name": "x"}


def test_canonical_json_is_byte_for_byte_json_dumps_with_sorted_keys() -> None:
    """canonical_values writes the JSON out by hand for speed; it must stay what json.dumps gives, or chains written
    before would no longer verify."""
    import datetime as dt
    import json
    from zoneinfo import ZoneInfo

    from qingfeng.core.audit import CHAINED_FIELDS, canonical_values

    moment = dt.datetime(2024, 2, 29, 23, 59, 59, 7, tzinfo=ZoneInfo("Asia/Shanghai"))
    cases = [
        (1, moment, None, "", "", "login.failed", "", "", "", "failure", {}, "0" * 64),
        (
            2**40,
            moment.replace(microsecond=0),
            17,
            'a"b\\c\n\t\u2028\x01',
            "::1",
            "task.report",
            "supervision.task",
            "99",
            "督办事项「廉政」\r\n",
            "success",
            {"z": [1, None, True, 1.5], "a": {"y": '引号"', "b": False}, "中": "文"},
            "f" * 64,
        ),
    ]
    for values in cases:
        body = dict(zip(CHAINED_FIELDS, values, strict=True))
        body["occurred_at"] = values[1].astimezone(dt.UTC).isoformat(timespec="microseconds")
        expected = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        assert canonical_values(values) == expected
