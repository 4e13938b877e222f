"""专班推进: set up by the office, milestones kept by its leader, tasks on its board, a progress line."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from qingfeng.core.errors import UserError
from qingfeng.supervision.models import Task, TaskForce
from qingfeng.supervision.services.taskforces import (
    milestone_add,
    milestone_done,
    progress,
    taskforce_attach,
    taskforce_create,
)
from qingfeng.supervision.tests.factories import D, make_task


def _tf(cast, **kwargs) -> TaskForce:  # type: ignore[no-untyped-def]
    values = {
        "actor": cast.users["clerk"],
        "unit": cast.bureau,
        "name": "老旧小区改造攻坚专班",
        "leader": cast.users["leader"].person,
        "members": [cast.users["head"].person],
        "goal": "年底前完成12个老旧小区改造",
        "start": D(2023, 9, 1),
        "end": D(2023, 12, 31),
    }
    values.update(kwargs)
    return taskforce_create(**values)


def test_a_taskforce_is_set_up_with_its_people_and_audited(cast) -> None:
    from qingfeng.core.models import AuditEvent, Notification

    tf = _tf(cast)
    assert list(tf.members.all()) == [cast.users["head"].person]
    assert AuditEvent.objects.filter(action="taskforce.create", object_id=str(tf.pk)).exists()
    assert Notification.objects.filter(
        recipient=cast.users["head"], title="您已加入专班：老旧小区改造攻坚专班"
    ).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "名称不能为空"),
        ({"end": D(2023, 8, 1)}, "不能早于开始日期"),
        ({"goal": ""}, "攻坚目标"),
        ({"leader": None}, "负责人"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_creates_nothing(cast, kwargs, message) -> None:
    before = TaskForce.objects.count()
    with pytest.raises(UserError, match=message):
        _tf(cast, **kwargs)
    assert TaskForce.objects.count() == before


def test_only_the_office_or_the_secretary_sets_one_up(cast) -> None:
    with pytest.raises(PermissionDenied):
        _tf(cast, actor=cast.users["head"])


def test_milestones_are_kept_by_the_taskforce_leader_and_feed_the_progress_line(cast, clock) -> None:
    tf = _tf(cast)
    first = milestone_add(actor=cast.users["leader"], taskforce=tf, title="完成入户摸底", due=D(2023, 9, 30))
    milestone_add(actor=cast.users["clerk"], taskforce=tf, title="完成设计方案", due=D(2023, 10, 31))
    with pytest.raises(UserError, match="只有专班负责人"):
        milestone_add(actor=cast.users["head"], taskforce=tf, title="x", due=D(2023, 9, 30))
    milestone_done(actor=cast.users["leader"], milestone=first, note="摸底完成")
    task = make_task(cast)
    taskforce_attach(actor=cast.users["clerk"], taskforce=tf, task=task)
    Task.objects.filter(pk=task.pk).update(percent=40)
    line = progress(TaskForce.objects.get(pk=tf.pk))
    assert (line["milestones_done"], line["milestones_total"], line["task_percent"]) == (1, 2, 40)


def test_members_and_the_leader_see_it_others_of_other_units_do_not(cast, login) -> None:
    tf = _tf(cast)
    url = f"/supervision/taskforces/{tf.pk}/"
    for role in ("head", "leader", "clerk", "secretary"):
        assert login(role).get(url).status_code == 200, role
    assert login("staff").get(url).status_code == 404  # not a member
    assert login("outsider").get(url).status_code == 404


def test_the_pages_set_up_a_taskforce_and_keep_its_milestones(cast, login) -> None:
    client = login("clerk")
    leader, head = cast.users["leader"].person, cast.users["head"].person
    response = client.post(
        "/supervision/taskforces/new/",
        {
            "name": "项目审批提速专班",
            "leader": leader.pk,
            "members": [head.pk],
            "goal": "审批时限压缩一半",
            "start": "2023-09-01",
            "end": "2023-11-30",
        },
    )
    tf = TaskForce.objects.get(name="项目审批提速专班")
    assert response.status_code == 302
    page = login("leader")
    page.post(f"/supervision/taskforces/{tf.pk}/milestones/", {"title": "梳理审批流程", "due": "2023-09-20"})
    detail = page.get(f"/supervision/taskforces/{tf.pk}/").content.decode()
    assert "梳理审批流程" in detail and "节点完成 0 / 1" in detail
    bad = client.post("/supervision/taskforces/new/", {"name": "", "start": "2023-09-01", "end": "2023-08-01"})
    assert "这个字段是必填项" in bad.content.decode()
    assert dt.date(2023, 9, 1) == tf.start


def test_the_navigation_marks_only_the_taskforce_item_on_a_taskforce_page(cast, login) -> None:
    import re

    tf = _tf(cast)
    page = login("leader").get(f"/supervision/taskforces/{tf.pk}/").content.decode()
    active = re.findall(r'<a href="[^"]*" class="active">([^<]+)</a>', page)
    assert active == ["专班推进"]
