"""回头看: a closed measure gets a recheck date (closed + 3 months by default), the scan hands it to the 纪检组长 on
that date, and a failed recheck reopens the measure with a new task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent
from qingfeng.rectification.models import Measure
from qingfeng.rectification.services.recheck import measure_recheck, measure_schedule_recheck, rechecks_due
from qingfeng.rectification.services.rounds import finding_create, finding_status, measure_status
from qingfeng.rectification.tests.test_services_rounds import close, make_measure, make_round
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.tests.factories import D, at

pytestmark = pytest.mark.django_db


def _measure(cast) -> Measure:  # type: ignore[no-untyped-def]
    round_ = make_round(cast, feedback_date=D(2023, 9, 1))
    finding = finding_create(
        actor=cast.users["clerk"], round_=round_, number="3", category="财务管理", description="报销审核不严"
    )
    return make_measure(cast, finding, deadline=D(2023, 9, 30))


def _closed(cast) -> Measure:  # type: ignore[no-untyped-def]
    measure = _measure(cast)
    close(cast, measure)  # 销号 on Monday 2023-09-04
    return Measure.objects.select_related("task").get(pk=measure.pk)


def _fresh(measure: Measure) -> Measure:
    return Measure.objects.select_related("task", "recheck_task", "finding").get(pk=measure.pk)


def _due(cast, clock) -> Measure:  # type: ignore[no-untyped-def]
    measure = measure_schedule_recheck(actor=cast.users["clerk"], measure=_closed(cast))
    clock.set(at(2023, 12, 4))
    rechecks_due()
    return _fresh(measure)


def test_the_recheck_date_defaults_to_three_months_after_the_measure_was_closed(cast, clock) -> None:
    measure = measure_schedule_recheck(actor=cast.users["clerk"], measure=_closed(cast))
    assert measure.recheck_on == D(2023, 12, 4)
    assert AuditEvent.objects.filter(action="measure.recheck_schedule", object_id=str(measure.pk)).exists()
    measure = measure_schedule_recheck(actor=cast.users["secretary"], measure=measure, on=D(2024, 1, 15))
    assert _fresh(measure).recheck_on == D(2024, 1, 15)
    with pytest.raises(UserError, match="不能早于今天"):
        measure_schedule_recheck(actor=cast.users["clerk"], measure=measure, on=D(2023, 9, 1))
    with pytest.raises(PermissionDenied):
        measure_schedule_recheck(actor=cast.users["head"], measure=measure)


def test_an_open_measure_cannot_be_given_a_recheck_date(cast, clock) -> None:
    measure = _measure(cast)
    with pytest.raises(UserError, match="已销号"):
        measure_schedule_recheck(actor=cast.users["clerk"], measure=measure)
    assert _fresh(measure).recheck_on is None


def test_the_job_gives_the_inspector_one_recheck_task_on_the_date_and_not_before(cast, clock) -> None:
    measure = measure_schedule_recheck(actor=cast.users["clerk"], measure=_closed(cast))
    clock.set(at(2023, 12, 1))
    assert rechecks_due() == []
    assert _fresh(measure).recheck_task is None

    clock.set(at(2023, 12, 4))
    assert [m.pk for m in rechecks_due()] == [measure.pk]
    measure = _fresh(measure)
    task = measure.recheck_task
    inspector = cast.users["inspector"].person
    assert task.title.startswith("回头看：建立报销审核台账")
    assert (task.lead_leader, task.responsible_person) == (inspector, inspector)
    assert TaskPart.objects.get(task=task, role=TaskPart.Role.LEAD).department == inspector.department
    assert (task.source, task.source_ref, task.deadline) == (Task.Source.MODULE, "回头看·问题3", D(2023, 12, 14))
    assert task.assigned_by == cast.users["clerk"]
    assert measure.task.status == Task.Status.DONE  # the measure stays closed until the recheck says otherwise

    assert rechecks_due() == []  # idempotent
    call_command("scan", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Task.objects.filter(source_ref="回头看·问题3").count() == 1


def test_the_scan_command_assigns_due_rechecks(cast, clock) -> None:
    measure = measure_schedule_recheck(actor=cast.users["clerk"], measure=_closed(cast))
    clock.set(at(2023, 12, 5))
    call_command("scan", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _fresh(measure).recheck_task is not None


def test_a_passed_recheck_is_recorded_and_closes_the_recheck_task(cast, clock) -> None:
    measure = _due(cast, clock)
    closed_task = measure.task
    measure = measure_recheck(actor=cast.users["inspector"], measure=measure, passed=True, note="台账持续更新")
    measure = _fresh(measure)
    assert (measure.recheck_result, measure.recheck_note, measure.rechecked_by) == (
        "passed",
        "台账持续更新",
        cast.users["inspector"],
    )
    assert measure.task == closed_task and measure_status(measure) == "已整改"
    assert measure.recheck_task.status == Task.Status.DONE
    assert AuditEvent.objects.filter(action="measure.recheck", object_id=str(measure.pk)).exists()
    with pytest.raises(UserError, match="不能重复记录"):
        measure_recheck(actor=cast.users["inspector"], measure=measure, passed=True, note="")


def test_a_failed_recheck_reopens_the_measure_with_a_new_task(cast, clock) -> None:
    measure = _due(cast, clock)
    old = measure.task
    with pytest.raises(UserError, match="写明发现的问题"):
        measure_recheck(actor=cast.users["inspector"], measure=measure, passed=False, note="  ")
    measure_recheck(actor=cast.users["inspector"], measure=measure, passed=False, note="12月又有3笔报销附件不全")
    measure = _fresh(measure)
    new = measure.task
    assert new.pk != old.pk and measure.recheck_result == "failed"
    assert Task.objects.get(pk=old.pk).status == Task.Status.DONE  # the closed task stays on record
    assert "回头看未通过：12月又有3笔报销附件不全" in new.content
    assert (new.lead_leader, new.responsible_person) == (measure.lead_leader, measure.responsible_person)
    assert TaskPart.objects.get(task=new, role=TaskPart.Role.LEAD).department == measure.department
    assert new.deadline == D(2023, 12, 4) + dt.timedelta(days=30) and new.status == Task.Status.PENDING_SIGN
    assert measure_status(measure) == "未整改"
    assert finding_status([measure]) == "未整改"
    event = AuditEvent.objects.get(action="measure.recheck", object_id=str(measure.pk))
    assert event.changes["old_task_id"] == old.pk and event.changes["new_task_id"] == new.pk


def test_only_the_inspector_rechecks_and_only_when_due(cast, clock) -> None:
    measure = measure_schedule_recheck(actor=cast.users["clerk"], measure=_closed(cast))
    with pytest.raises(UserError, match="尚未到期"):
        measure_recheck(actor=cast.users["inspector"], measure=measure, passed=True)
    clock.set(at(2023, 12, 4))
    for username in ("clerk", "secretary", "head"):
        with pytest.raises(PermissionDenied):
            measure_recheck(actor=cast.users[username], measure=measure, passed=True)
    assert _fresh(measure).recheck_result == ""


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_round_page_schedules_and_records_the_recheck(cast, clock, login) -> None:
    measure = _closed(cast)
    round_page = f"/rectification/rounds/{measure.finding.round_id}/"
    clerk = login("clerk")
    assert "设定回头看日期" in clerk.get(round_page).content.decode()
    response = clerk.post(f"/rectification/measures/{measure.pk}/recheck/schedule/", {"on": ""})
    assert response.status_code == 302 and response["Location"] == f"{round_page}#finding-{measure.finding_id}"
    assert "回头看日期已设定" in _messages(response)
    assert _fresh(measure).recheck_on == D(2023, 12, 4)
    bad = clerk.post(f"/rectification/measures/{measure.pk}/recheck/schedule/", {"on": "明天"})
    assert bad.status_code == 302 and any("格式不正确" in m for m in _messages(bad))

    clock.set(at(2023, 12, 4))
    rechecks_due()
    clerk, inspector = login("clerk"), login("inspector")  # new sessions: three months later
    page = inspector.get(round_page).content.decode()
    assert "回头看通过" in page and "未通过（写明发现的问题）" in page
    assert "回头看通过" not in clerk.get(round_page).content.decode()
    refused = clerk.post(f"/rectification/measures/{measure.pk}/recheck/", {"result": "passed"})
    assert refused.status_code == 403
    empty = inspector.post(f"/rectification/measures/{measure.pk}/recheck/", {"result": "failed", "note": ""})
    assert empty.status_code == 302 and any("写明发现的问题" in m for m in _messages(empty))
    response = inspector.post(
        f"/rectification/measures/{measure.pk}/recheck/", {"result": "failed", "note": "附件仍不全"}
    )
    assert response.status_code == 302 and "回头看未通过，该措施已重新交办整改" in _messages(response)
    assert measure_status(_fresh(measure)) == "未整改"
    assert "回头看未通过" in inspector.get(round_page).content.decode()
