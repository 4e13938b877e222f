"""进展报送: the responsible people report with evidence; 批示 must be answered in the next report."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from qingfeng.core.attachments import attachments_of
from qingfeng.core.errors import UserError
from qingfeng.core.models import Attachment, AuditEvent, Notification
from qingfeng.supervision.models import Instruction, ProgressReport, Task, TaskEvent
from qingfeng.supervision.selectors import open_instructions, task_reports
from qingfeng.supervision.services.instructions import task_instruct
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import task_sign_for, task_submit
from qingfeng.supervision.tests.factories import lead_part, make_task, part_of, signed_task, text_upload


def test_the_responsible_person_reports_progress_with_evidence(cast, clock) -> None:
    task = signed_task(cast)
    report = task_report_progress(
        actor=cast.users["staff"], part=lead_part(task), percent=40, text="已完成自查", uploads=[text_upload()]
    )
    task.refresh_from_db()
    assert (task.percent, lead_part(task).percent) == (40, 40)
    assert [a.original_name for a in attachments_of(report)] == ["证明材料.txt"]
    event = task.events.get(kind=TaskEvent.Kind.REPORTED)
    assert (event.note, event.snapshot["attachments"]) == ("已完成自查", ["证明材料.txt"])
    assert AuditEvent.objects.filter(action="task.report_progress", object_id=str(task.pk)).exists()
    assert AuditEvent.objects.filter(action="attachment.create").exists()


def test_the_history_is_kept_newest_first(cast, clock) -> None:
    from qingfeng.supervision.tests.factories import at

    task = signed_task(cast)
    task_report_progress(actor=cast.users["staff"], part=lead_part(task), percent=30, text="第一次")
    clock.set(at(2023, 9, 5))
    task_report_progress(actor=cast.users["head"], part=lead_part(task), percent=60, text="第二次")
    assert [r.text for r in task_reports(task)] == ["第二次", "第一次"]


def test_a_bad_upload_stores_nothing(cast, clock) -> None:
    task = signed_task(cast)
    binary = SimpleUploadedFile("a.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 64)
    with pytest.raises(UserError, match="类型不允许上传"):
        task_report_progress(
            actor=cast.users["staff"], part=lead_part(task), percent=10, text="x", uploads=[text_upload(), binary]
        )
    assert not ProgressReport.objects.exists()
    assert not Attachment.objects.filter(owner_type__model="progressreport").exists()


@pytest.mark.parametrize("percent", [-1, 101, "abc"])
def test_the_percent_must_be_between_0_and_100(cast, clock, percent) -> None:
    with pytest.raises(UserError, match="形象进度须为0到100之间的整数"):
        task_report_progress(actor=cast.users["staff"], part=lead_part(signed_task(cast)), percent=percent, text="x")


def test_a_report_needs_a_text(cast, clock) -> None:
    with pytest.raises(UserError, match="请填写进展情况"):
        task_report_progress(actor=cast.users["staff"], part=lead_part(signed_task(cast)), percent=10, text=" ")


def test_a_part_must_be_signed_before_it_is_reported(cast, clock) -> None:
    with pytest.raises(UserError, match="请先签收，再报送进展"):
        task_report_progress(actor=cast.users["staff"], part=lead_part(make_task(cast)), percent=10, text="x")


def test_no_report_while_the_task_awaits_review(cast, clock) -> None:
    task = signed_task(cast)
    task_submit(actor=cast.users["head"], task=task)
    with pytest.raises(UserError, match="任务当前为“待审核”，不能报送进展"):
        task_report_progress(actor=cast.users["staff"], part=lead_part(task), percent=10, text="x")


@pytest.mark.parametrize("role", ["clerk", "leader", "superior", "outsider"])
def test_roles_without_the_report_permission_may_not_report(cast, clock, role) -> None:
    with pytest.raises(PermissionDenied):
        task_report_progress(actor=cast.users[role], part=lead_part(signed_task(cast)), percent=10, text="x")


def test_staff_may_not_report_on_a_task_they_are_not_responsible_for(cast, clock) -> None:
    task = signed_task(cast, responsible_person=cast.users["head"].person)
    with pytest.raises(UserError, match="只有“财务股”的负责人或本任务责任人可以报送进展"):
        task_report_progress(actor=cast.users["staff"], part=lead_part(task), percent=10, text="x")


def test_a_partner_reports_on_its_own_part_without_moving_the_task_percent(cast, clock) -> None:
    task = make_task(
        cast,
        lead_department=cast.departments["计划项目股"],
        partner_departments=[cast.departments["财务股"]],
        responsible_person=None,
    )
    Task.objects.filter(pk=task.pk).update(status=Task.Status.IN_PROGRESS)  # the lead part has no account here
    part = part_of(task, "财务股")
    task_sign_for(actor=cast.users["head"], part=part)
    task_report_progress(actor=cast.users["head"], part=part, percent=70, text="配合完成数据核对")
    assert (part_of(task, "财务股").percent, Task.objects.get(pk=task.pk).percent) == (70, 0)


def test_an_instruction_must_be_answered_in_the_next_report(cast, clock) -> None:
    task = signed_task(cast)
    instruction = task_instruct(actor=cast.users["leader"], task=task, text="请于月底前形成制度文本")
    assert list(open_instructions(task)) == [instruction]
    with pytest.raises(UserError, match="请在本次报送中答复领导批示：“请于月底前形成制度文本”"):
        task_report_progress(actor=cast.users["staff"], part=lead_part(task), percent=50, text="推进中")
    report = task_report_progress(
        actor=cast.users["staff"],
        part=lead_part(task),
        percent=50,
        text="推进中",
        instruction_answer="制度文本初稿已完成，9月25日前定稿",
    )
    instruction.refresh_from_db()
    assert (instruction.answered_by_report, report.instruction_answer) == (report, "制度文本初稿已完成，9月25日前定稿")
    assert not open_instructions(task).exists()
    assert Notification.objects.filter(recipient=cast.users["leader"], title__startswith="批示已答复").exists()


def test_an_unanswered_instruction_blocks_the_submission(cast, clock) -> None:
    task = signed_task(cast)
    task_instruct(actor=cast.users["leader"], task=task, text="抓紧办理")
    with pytest.raises(UserError, match="领导批示尚未答复"):
        task_submit(actor=cast.users["head"], task=task)
    assert Instruction.objects.filter(answered_at__isnull=True).count() == 1
