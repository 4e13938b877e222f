"""The three checks of a finding (科室自查 → 分管领导验收 → 纪检组长抽查), each by its own people, with evidence."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from qingfeng.core import audit
from qingfeng.core.attachments import attachment_create, check_upload
from qingfeng.core.errors import UserError
from qingfeng.org import access
from qingfeng.org.roles import Role
from qingfeng.rectification.models import Finding, FindingCheck


def may_check(actor: Any, finding: Finding, stage: str) -> bool:
    """自查: the head of a department with a measure of the finding, or a measure's responsible person; 验收: a
    measure's lead leader; 抽查: the 纪检组长 of the unit."""
    person = getattr(actor, "person", None)
    measures = list(finding.measures.all())
    if stage == FindingCheck.Stage.SELF:
        return person is not None and any(
            m.responsible_person_id == person.pk
            or (
                m.department_id
                and m.department_id == person.department_id
                and access.holds(actor, Role.HEAD, finding.unit)
            )
            for m in measures
        )
    if stage == FindingCheck.Stage.VERIFY:
        return person is not None and any(m.lead_leader_id == person.pk for m in measures)
    return stage == FindingCheck.Stage.SPOT and access.holds(actor, Role.INSPECTOR, finding.unit)


@transaction.atomic
def finding_check(
    *, actor: Any, finding: Finding, stage: str, note: str, uploads: list[UploadedFile] | None = None
) -> FindingCheck:
    access.require(actor, "rectification.view", finding.unit)
    if stage not in FindingCheck.Stage.values:
        raise UserError("请选择核查环节", field="stage")
    label = FindingCheck.Stage(stage).label
    if not may_check(actor, finding, stage):
        who = {"self": "责任科室负责人或责任人", "verify": "责任领导", "spot": "纪检组长"}[stage]
        raise UserError(f"{label}须由{who}填报")
    if not note.strip():
        raise UserError("请填写核查情况", field="note")
    for upload in uploads or []:
        check_upload(upload)  # every file checked before anything is stored
    previous = FindingCheck.objects.filter(finding=finding, stage=stage).first()
    if previous is not None:
        previous.deleted_at = timezone.now()
        previous.save(update_fields=["deleted_at", "updated_at"])
    check = FindingCheck.objects.create(
        finding=finding,
        unit=finding.unit,
        stage=stage,
        note=note.strip(),
        checked_on=timezone.localdate(),
        checked_by=actor,
    )
    for upload in uploads or []:
        attachment_create(actor=actor, owner=check, unit=finding.unit, upload=upload)
    audit.record(
        actor=actor,
        action="finding.check",
        obj=finding,
        changes={"stage": stage, "files": len(uploads or []), "replaces": previous.pk if previous else None},
    )
    return check
