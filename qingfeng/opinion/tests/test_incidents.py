"""Recording an incident and its steps (issue 8): found in the future → refused; the level suggested and decided;
the leader on duty and the office told; the steps in order and in time; one 督办事项 per incident for the department
concerned, closed at 处置完毕; the timeline page shows the steps, the clocks (超时 in red) and the rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qingfeng.core.attachments import attachments_of
from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.opinion.models import IncidentStep, Level, OpinionIncident, Step
from qingfeng.opinion.services import incidents
from qingfeng.opinion.tests.factories import incident
from qingfeng.supervision.models import Task

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _form(found_at: dt.datetime, **extra: str) -> dict[str, str]:
    return {
        "title": "某小区业主反映新建住宅楼漏水开裂",
        "source": "network",
        "found_at": timezone.localtime(found_at).strftime("%Y-%m-%dT%H:%M"),
        "link": "https://weibo.example.cn/status/1001",
        "content": "开发商拖欠维修，业主多次投诉无果。",
        **extra,
    }


def test_the_person_on_duty_records_an_incident_with_its_suggested_level(cast, login) -> None:  # type: ignore[no-untyped-def]
    staff = login("staff")
    form = staff.get(reverse("opinion:incident_new"))
    assert form.status_code == 200 and 'hx-post="/opinion/incidents/suggest/"' in form.content.decode()
    hint = staff.post(reverse("opinion:suggest"), {"title": "住宅楼漏水开裂", "content": "开发商拖欠维修"})
    assert "较大" in hint.content.decode() and "民生诉求" in hint.content.decode()

    future = staff.post(reverse("opinion:incident_new"), _form(timezone.now() + dt.timedelta(hours=2)))
    assert future.status_code == 200 and "晚于当前时间" in future.content.decode()
    assert not OpinionIncident.objects.filter(title__startswith="某小区业主").exists()

    found = timezone.now() - dt.timedelta(minutes=20)
    shot = SimpleUploadedFile("截图.png", PNG, content_type="image/png")
    data = _form(found, department=str(cast.departments["财务股"].pk), screenshot=shot)
    response = staff.post(reverse("opinion:incident_new"), data)
    assert response.status_code == 302
    i = OpinionIncident.objects.get(title="某小区业主反映新建住宅楼漏水开裂")
    assert (i.level, i.suggested_level, i.suggested_rule.topic) == (Level.LARGER, Level.LARGER, "民生诉求")
    assert i.recorded_by == cast.users["staff"] and i.leader == cast.users["leader"].person
    assert [a.original_name for a in attachments_of(i)] == ["截图.png"]
    assert IncidentStep.objects.get(incident=i).step == Step.FOUND
    # the leader on duty (分管 财务股) and the office are told, with the 报告 limit
    note = Notification.objects.get(recipient=cast.users["leader"], title__startswith="新舆情")
    assert "较大" in note.title and "前完成向带班领导报告" in note.body
    assert Notification.objects.filter(recipient=cast.users["clerk"], title__startswith="新舆情").exists()
    # one 督办事项 for 财务股, source 其他模块, due on the 处置完毕 limit's day
    task = i.task
    assert task.source == Task.Source.MODULE and task.lead_leader == cast.users["leader"].person
    assert task.parts.get().department == cast.departments["财务股"]
    assert AuditEvent.objects.filter(action="opinion.incident_create", object_id=str(i.pk)).exists()

    # the person on duty decides: 重大 chosen over the suggestion
    chosen = staff.post(reverse("opinion:incident_new"), _form(found, title="另一条", level="3"))
    assert chosen.status_code == 302
    other = OpinionIncident.objects.get(title="另一条")
    assert (other.level, other.suggested_level) == (Level.MAJOR, Level.LARGER)
    # a screenshot that is no image is refused, and nothing is written
    bad = SimpleUploadedFile("说明.txt", "文本".encode(), content_type="text/plain")
    refused = staff.post(reverse("opinion:incident_new"), _form(found, title="第三条", screenshot=bad))
    assert "不是截图" in refused.content.decode() and not OpinionIncident.objects.filter(title="第三条").exists()


def test_steps_go_in_order_and_in_time_and_handled_closes_the_task(cast, login) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    i = incident(cast, found_at=now - dt.timedelta(hours=6))
    staff, leader = cast.users["staff"], cast.users["leader"]
    with pytest.raises(UserError, match="先记录“报告”"):
        incidents.incident_step(actor=staff, incident=i, step=Step.VERIFIED, at=now - dt.timedelta(hours=1))
    incidents.incident_step(actor=staff, incident=i, step=Step.REPORTED, at=now - dt.timedelta(hours=5))
    with pytest.raises(UserError, match="早于上一环节“报告”"):
        incidents.incident_step(actor=staff, incident=i, step=Step.VERIFIED, at=now - dt.timedelta(hours=5, minutes=30))
    with pytest.raises(UserError, match="晚于当前时间"):
        incidents.incident_step(actor=staff, incident=i, step=Step.VERIFIED, at=now + dt.timedelta(minutes=5))
    with pytest.raises(UserError, match="已经记录"):
        incidents.incident_step(actor=staff, incident=i, step=Step.REPORTED, at=now)
    with pytest.raises(UserError, match="只适用于重大"):
        incidents.incident_step(actor=staff, incident=i, step=Step.PRESS, at=now)
    with pytest.raises(UserError, match="只能在“研判”"):
        incidents.incident_step(actor=staff, incident=i, step=Step.VERIFIED, at=now, level=Level.MAJOR)
    incidents.incident_step(actor=staff, incident=i, step=Step.VERIFIED, at=now - dt.timedelta(hours=4), note="属实")
    incidents.incident_step(actor=leader, incident=i, step=Step.ASSESSED, at=now - dt.timedelta(hours=3), level=3)
    i.refresh_from_db()
    assert (i.level, i.step) == (Level.MAJOR, Step.ASSESSED)
    incidents.incident_step(actor=staff, incident=i, step=Step.PRESS, at=now - dt.timedelta(hours=1))
    incidents.incident_step(actor=staff, incident=i, step=Step.RESPONDED, at=now - dt.timedelta(hours=2))
    assert i.task.status != Task.Status.DONE
    incidents.incident_step(actor=staff, incident=i, step=Step.HANDLED, at=now - dt.timedelta(minutes=30))
    i.refresh_from_db()
    task = Task.objects.get(pk=i.task_id)
    assert task.status == Task.Status.DONE and task.on_time is True
    assert i.step == Step.HANDLED and i.press_at is not None
    # the page posts the same rules and says what was wrong
    client = login("staff")
    page = client.post(reverse("opinion:incident_step", args=[i.pk]), {"step": "reviewed", "at": "2020-01-01T00:00"})
    assert page.status_code == 302
    assert "早于上一环节" in client.get(page.url).content.decode()
    assert not IncidentStep.objects.filter(incident=i, step=Step.REVIEWED).exists()


def test_an_incident_without_a_department_gets_its_task_when_a_step_names_it(cast) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    i = incident(cast, department=None, found_at=now - dt.timedelta(hours=2))
    assert i.task is None and i.leader == cast.users["secretary"].person
    incidents.incident_step(
        actor=cast.users["clerk"],
        incident=i,
        step=Step.REPORTED,
        at=now - dt.timedelta(hours=1),
        department=cast.departments["计划项目股"],
    )
    i.refresh_from_db()
    assert i.department == cast.departments["计划项目股"] and i.leader == cast.users["leader"].person
    assert i.task is not None and i.task.parts.get().department == cast.departments["计划项目股"]


def test_the_timeline_list_and_dashboard_pages(cast, login, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    late = incident(cast, found_at=now - dt.timedelta(hours=3), title="燃气管道泄漏引发居民恐慌")
    done = incident(cast, found_at=now - dt.timedelta(hours=30), title="已处置的舆情")
    for step, hours in ((Step.REPORTED, 29), (Step.VERIFIED, 28), (Step.ASSESSED, 27), (Step.RESPONDED, 26)):
        incidents.incident_step(actor=cast.users["staff"], incident=done, step=step, at=now - dt.timedelta(hours=hours))
    incidents.incident_step(actor=cast.users["staff"], incident=done, step=Step.HANDLED, at=now)
    leader = login("leader")
    page = leader.get(reverse("opinion:incident_detail", args=[late.pk])).content.decode()
    assert "clock-overdue" in page and "超时 2小时" in page  # 报告 within 1 hour: missed by two
    assert "规则建议" in page
    listing = leader.get(reverse("opinion:incident_list"), {"status": "open"}).content.decode()
    assert late.title in listing and done.title not in listing
    month = timezone.localtime(now).strftime("%Y-%m")
    assert (
        done.title
        in leader.get(reverse("opinion:incident_list"), {"status": "closed", "month": month}).content.decode()
    )
    with django_assert_max_num_queries(12):  # session, user, grants, person, 分管, count, rows, nav, notices …
        leader.get(reverse("opinion:incident_list"))
    board = leader.get(reverse("opinion:dashboard")).content.decode()
    assert "处置中的舆情及时限" in board and late.title in board and "clock-overdue" in board
    assert "平均回应用时" in board and ">4.0<small>小时" in board  # found 30 h ago, responded 26 h ago
    # outside the scope: another bureau's incident is 404; the head of another department does not see it
    assert login("outsider").get(reverse("opinion:incident_detail", args=[late.pk])).status_code == 404
