"""Each finding keeps its three checks apart — 科室自查, 分管领导验收, 纪检组长抽查 — each by its own people, with its
own evidence and date."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingfeng.core.attachments import attachments_of
from qingfeng.core.errors import UserError
from qingfeng.rectification.models import FindingCheck
from qingfeng.rectification.services.checks import finding_check
from qingfeng.rectification.services.rounds import finding_create, measure_create, round_create
from qingfeng.supervision.tests.factories import D

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def finding(cast, clock):  # type: ignore[no-untyped-def]
    clerk = cast.users["clerk"]
    round_ = round_create(
        actor=clerk,
        unit=cast.bureau,
        name="市委第二轮巡察",
        body="市委第十巡察组",
        kind="xuncha",
        feedback_date=D(2023, 9, 1),
    )
    f = finding_create(actor=clerk, round_=round_, number="1", category="财务管理", description="报销审核不严")
    measure_create(
        actor=clerk,
        finding=f,
        text="建立报销联审制度",
        department=cast.departments["财务股"],
        lead_leader=cast.users["leader"].person,
        responsible_person=cast.users["staff"].person,
        deadline=D(2023, 10, 31),
    )
    return f


def test_each_stage_is_recorded_by_its_own_people_with_evidence(cast, finding) -> None:
    finding_check(
        actor=cast.users["head"],
        finding=finding,
        stage="self",
        note="逐笔自查完毕",
        uploads=[SimpleUploadedFile("自查表.pdf", PDF)],
    )
    finding_check(actor=cast.users["leader"], finding=finding, stage="verify", note="现场验收合格")
    finding_check(actor=cast.users["inspector"], finding=finding, stage="spot", note="抽查10笔无问题")
    checks = {c.stage: c for c in FindingCheck.objects.filter(finding=finding)}
    assert set(checks) == {"self", "verify", "spot"}
    assert checks["self"].checked_by == cast.users["head"]
    assert [a.original_name for a in attachments_of(checks["self"])] == ["自查表.pdf"]


@pytest.mark.parametrize(
    ("role", "stage"), [("leader", "self"), ("head", "verify"), ("clerk", "spot"), ("head", "spot")]
)
def test_a_stage_by_the_wrong_people_is_refused(cast, finding, role, stage) -> None:
    with pytest.raises(UserError, match="须由"):
        finding_check(actor=cast.users[role], finding=finding, stage=stage, note="x")
    assert not FindingCheck.objects.filter(finding=finding).exists()


def test_a_bad_evidence_file_stores_nothing(cast, finding) -> None:
    with pytest.raises(UserError, match="类型不允许"):
        finding_check(
            actor=cast.users["head"],
            finding=finding,
            stage="self",
            note="自查",
            uploads=[SimpleUploadedFile("a.pdf", b"\x00\x01" * 40)],
        )
    assert not FindingCheck.objects.filter(finding=finding).exists()


def test_recording_a_stage_again_replaces_it_and_keeps_the_old_record(cast, finding) -> None:
    finding_check(actor=cast.users["head"], finding=finding, stage="self", note="第一次自查")
    finding_check(actor=cast.users["head"], finding=finding, stage="self", note="补充自查")
    assert FindingCheck.objects.get(finding=finding, stage="self").note == "补充自查"
    assert FindingCheck.all_objects.filter(finding=finding, stage="self").count() == 2


def test_the_round_page_shows_the_checks_and_takes_one(cast, finding, login) -> None:
    client = login("inspector")
    response = client.post(
        f"/rectification/findings/{finding.pk}/checks/",
        {"stage": "spot", "note": "抽查无问题", "files": SimpleUploadedFile("抽查记录.pdf", PDF)},
    )
    assert response.status_code == 302
    page = login("head").get(f"/rectification/rounds/{finding.round_id}/").content.decode()
    assert "纪检组长抽查" in page and "抽查无问题" in page and "抽查记录.pdf" in page
    refused = login("head").post(
        f"/rectification/findings/{finding.pk}/checks/", {"stage": "spot", "note": "x"}, follow=True
    )
    assert "须由纪检组长填报" in refused.content.decode()
