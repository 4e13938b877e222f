"""The confidential 四种形态 ledger: recording, reading (each read of a record's texts is an audit event),
exporting (audited) and re-keying.

Decisions:
1. The 纪检组长 keeps the ledger (integrity.ledger_manage) of their own unit; the person must be of that unit.
2. The problem description and the decision text are SM4-GCM ciphertext bound to the record's unit and uid; the
   clear fields (date, form, measure, category, clue source, who decided, person) are what lists filter on.
3. A routine 廉政谈话 is not a form and is not recorded here (the measure list has no such entry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.integrity import ledger_crypto
from qingfeng.integrity.models import DisciplineRecord, LedgerKeyCheck
from qingfeng.org import access
from qingfeng.org.models import Person, Unit
from qingfeng.org.roles import Role


@dataclass
class RecordData:
    person: Person | None
    date: dt.date | None
    form: int | None
    measure: str
    category: str
    clue_source: str
    decided_by: str
    description: str
    decision: str


def record_problems(unit: Unit, data: RecordData) -> list[str]:
    problems = []
    person = data.person
    if person is None:
        problems.append("请选择对象")
    elif person.unit_id != unit.pk or person.is_deleted:
        problems.append(f"“{person.name}”不是{unit.name}的人员，不能记入本单位的四种形态台账")
    if data.date is None:
        problems.append("请填写日期")
    elif data.date > timezone.localdate():
        problems.append("日期不能晚于今天")
    if data.form not in DisciplineRecord.Form.values:
        problems.append("请选择形态（第一种至第四种）")
    elif data.measure not in DisciplineRecord.MEASURES[data.form]:
        label = DisciplineRecord.Form(data.form).label
        allowed = "、".join(DisciplineRecord.MEASURES[data.form])
        problems.append(f"处理方式“{data.measure or '（空）'}”不属于{label}（可选：{allowed}）")
    if not data.category.strip():
        problems.append("请填写问题类别")
    if data.clue_source not in DisciplineRecord.ClueSource.values:
        problems.append("请选择线索来源")
    if not data.decided_by.strip():
        problems.append("请填写决定机关（如：驻局纪检监察组）")
    if not data.description.strip():
        problems.append("请填写问题描述")
    if not data.decision.strip():
        problems.append("请填写处理决定")
    return problems


@transaction.atomic
def record_create(*, actor: Any, unit: Unit, data: RecordData) -> DisciplineRecord:
    access.require(actor, "integrity.ledger_manage", unit)
    problems = record_problems(unit, data)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    key = ledger_crypto.ledger_key()
    record = DisciplineRecord(
        unit=unit,
        person=data.person,
        date=data.date,
        form=data.form,
        measure=data.measure,
        category=data.category.strip()[:50],
        clue_source=data.clue_source,
        decided_by=data.decided_by.strip()[:100],
        created_by=actor,
    )
    aad = record.associated_data()
    record.description_enc = ledger_crypto.encrypt(key, data.description.strip(), aad)
    record.decision_enc = ledger_crypto.encrypt(key, data.decision.strip(), aad)
    record.save()
    ledger_crypto.remember_key(key)
    audit.record(
        actor=actor,
        action="ledger.create",
        obj=record,
        object_repr=f"四种形态记录 #{record.pk}",
        # the clear fields only: the audit log must not become a clear copy of the confidential texts
        changes={"form": record.form, "measure": record.measure, "date": record.date, "person": record.person_id},
    )
    return record


def may_keep(actor: Any, unit: Unit) -> bool:
    """The 纪检组长 of the unit keeps its ledger: records, corrects and deletes (the secretary only reads)."""
    return access.can(actor, "integrity.ledger_manage", unit) and access.holds(actor, Role.INSPECTOR, unit)


# The clear fields an edit may change (all of them; each change is in the audit event as [old, new]).
CLEAR_FIELDS = ["person", "date", "form", "measure", "category", "clue_source", "decided_by"]


@transaction.atomic
def record_update(*, actor: Any, record: DisciplineRecord, data: RecordData) -> DisciplineRecord:
    """Correct a record (纪检组长 only). Both texts are encrypted again with the current key — the configured one,
    verified against the stored fingerprint — whether or not they changed; the audit event names the changed clear
    fields with their values and the changed texts by name only (the log must not hold the confidential texts)."""
    if not may_keep(actor, record.unit):
        raise PermissionDenied("integrity.ledger_manage")
    problems = record_problems(record.unit, data)
    if problems:
        raise UserError("；".join(problems), errors=problems)
    key = ledger_crypto.ledger_key()
    record = DisciplineRecord.objects.select_for_update().get(pk=record.pk)
    old = _decrypt(key, record)
    before = {f: getattr(record, f"{f}_id" if f == "person" else f) for f in CLEAR_FIELDS}
    record.person, record.date, record.form, record.measure = data.person, data.date, data.form, data.measure
    record.category, record.clue_source = data.category.strip()[:50], data.clue_source
    record.decided_by = data.decided_by.strip()[:100]
    after = {f: getattr(record, f"{f}_id" if f == "person" else f) for f in CLEAR_FIELDS}
    changes: dict[str, Any] = audit.diff(before, after)
    description, decision = data.description.strip(), data.decision.strip()
    changed_texts = [
        name
        for name, a, b in (("问题描述", old.description, description), ("处理决定", old.decision, decision))
        if a != b
    ]
    if changed_texts:
        changes["texts"] = changed_texts
    aad = record.associated_data()
    record.description_enc = ledger_crypto.encrypt(key, description, aad)
    record.decision_enc = ledger_crypto.encrypt(key, decision, aad)
    record.save(update_fields=[*CLEAR_FIELDS, "description_enc", "decision_enc", "updated_at"])
    audit.record(
        actor=actor,
        action="ledger.update",
        obj=record,
        object_repr=f"四种形态记录 #{record.pk}",
        changes={**changes, "reencrypted": True},
    )
    return record


@transaction.atomic
def record_delete(*, actor: Any, record: DisciplineRecord, reason: str) -> None:
    """Soft delete (纪检组长 only, with a reason): the record leaves the lists and statistics, its ciphertext stays
    (ledger-rekey re-encrypts deleted records too)."""
    if not may_keep(actor, record.unit):
        raise PermissionDenied("integrity.ledger_manage")
    if not reason.strip():
        raise UserError("请填写删除原因（如：录入错误、处分决定被撤销）", field="reason")
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at", "updated_at"])
    audit.record(
        actor=actor,
        action="ledger.delete",
        obj=record,
        object_repr=f"四种形态记录 #{record.pk}",
        changes={"reason": reason.strip()[:200], "form": record.form, "measure": record.measure},
    )


@dataclass
class OpenRecord:
    record: DisciplineRecord
    description: str
    decision: str


def _decrypt(key: bytes, record: DisciplineRecord) -> OpenRecord:
    aad = record.associated_data()
    try:
        return OpenRecord(
            record,
            ledger_crypto.decrypt(key, record.description_enc, aad),
            ledger_crypto.decrypt(key, record.decision_enc, aad),
        )
    except Exception as exc:  # InvalidTag: the ciphertext was altered or moved
        raise ledger_crypto.LedgerKeyError(f"四种形态记录 #{record.pk} 的密文无法解密（被篡改或密钥不符）") from exc


def record_open(*, actor: Any, record: DisciplineRecord, purpose: str = "") -> OpenRecord:
    """The record with its texts decrypted; the view is an audit event (SECURITY.md L1) — the edit form's too
    (purpose "edit": it shows the same texts)."""
    opened = _decrypt(ledger_crypto.ledger_key(), record)
    audit.record(
        actor=actor,
        action="ledger.view",
        obj=record,
        object_repr=f"四种形态记录 #{record.pk}",
        changes={"purpose": purpose} if purpose else None,
    )
    return opened


def records_export(*, actor: Any, records: list[DisciplineRecord]) -> list[OpenRecord]:
    """The records decrypted for an export: one audit event naming every record exported."""
    key = ledger_crypto.ledger_key()
    opened = [_decrypt(key, r) for r in records]
    audit.record(
        actor=actor,
        action="ledger.export",
        object_type="integrity.disciplinerecord",
        object_repr=f"四种形态台账导出（{len(records)} 条）",
        changes={"records": [r.pk for r in records]},
    )
    return opened


@transaction.atomic
def ledger_rekey(*, old_key: bytes, new_key: bytes, actor: Any = None) -> int:
    """Re-encrypt every record (deleted ones too) from `old_key` to `new_key` in one transaction and store the new
    key's fingerprint. `old_key` must be the key the ledger was written with: nothing changes otherwise."""
    ledger_crypto.verify_key(old_key, name="QINGFENG_LEDGER_KEY_OLD")
    if old_key == new_key:
        raise UserError("新旧密钥相同，无需更换")
    count = 0
    records = DisciplineRecord.all_objects.select_for_update().order_by("pk")
    for record in records.iterator(chunk_size=500):
        opened = _decrypt(old_key, record)
        aad = record.associated_data()
        record.description_enc = ledger_crypto.encrypt(new_key, opened.description, aad)
        record.decision_enc = ledger_crypto.encrypt(new_key, opened.decision, aad)
        record.save(update_fields=["description_enc", "decision_enc"])
        count += 1
    fingerprint = ledger_crypto.fingerprint(new_key)
    updated = LedgerKeyCheck.objects.filter(pk=1).update(fingerprint=fingerprint, rotated_at=timezone.now())
    if not updated:
        LedgerKeyCheck.objects.create(pk=1, fingerprint=fingerprint, rotated_at=timezone.now())
    audit.record(
        actor=actor,
        action="ledger.rekey",
        actor_name="" if actor else "qingfeng ledger-rekey",
        object_type="integrity.ledgerkeycheck",
        object_repr="四种形态台账密钥更换",
        changes={"records": count},
    )
    return count
