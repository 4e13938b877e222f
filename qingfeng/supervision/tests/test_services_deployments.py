"""工作部署 and the confirm step of its 任务分解表: all tasks in one transaction, or none with every problem named."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.org.models import Person
from qingfeng.supervision.models import Deployment, Task, TaskCounter
from qingfeng.supervision.services.deployments import deployment_confirm, deployment_create
from qingfeng.supervision.tests.factories import D, draft


def _deployment(cast, role: str = "clerk") -> Deployment:  # type: ignore[no-untyped-def]
    return deployment_create(
        actor=cast.users[role],
        unit=cast.bureau,
        title="2023年下半年全面从严治党工作会议讲话",
        date=D(2023, 9, 4),
        kind=Deployment.Kind.SPEECH,
        issuing_leader=cast.users["secretary"].person,
    )


def _rows(cast):  # type: ignore[no-untyped-def]
    return [
        draft(cast, title="压实两个责任"),
        draft(
            cast,
            title="开展廉政风险排查",
            lead_department=cast.departments["计划项目股"],
            partner_departments=[cast.departments["财务股"]],
            responsible_person=None,
            deadline=D(2023, 12, 31),
        ),
        draft(cast, title="坚持中心组学习", kind=Task.Kind.LONG_TERM, deadline=None),
    ]


def test_the_clerk_and_the_secretary_create_deployments_and_it_is_audited(cast, clock) -> None:
    deployment = _deployment(cast)
    assert (deployment.status, deployment.kind, deployment.created_by) == ("draft", "speech", cast.users["clerk"])
    assert _deployment(cast, "secretary").unit == cast.bureau
    assert AuditEvent.objects.filter(action="deployment.create", object_id=str(deployment.pk)).exists()


@pytest.mark.parametrize("role", ["leader", "head", "staff", "inspector", "superior", "outsider", "sysadmin"])
def test_other_roles_may_not_create_a_deployment(cast, clock, role) -> None:
    with pytest.raises(PermissionDenied):
        _deployment(cast, role)


def test_a_deployment_needs_a_title(cast, clock) -> None:
    with pytest.raises(UserError, match="部署标题不能为空"):
        deployment_create(actor=cast.users["clerk"], unit=cast.bureau, title=" ", date=D(2023, 9, 4))


def test_confirming_creates_every_task_with_consecutive_numbers_in_one_go(cast, clock) -> None:
    deployment = _deployment(cast)
    tasks = deployment_confirm(actor=cast.users["clerk"], deployment=deployment, rows=_rows(cast))
    assert [t.number for t in tasks] == ["督〔2023〕1号", "督〔2023〕2号", "督〔2023〕3号"]
    assert {t.source for t in tasks} == {Task.Source.DEPLOYMENT}
    assert set(deployment.tasks.values_list("title", flat=True)) == {
        "压实两个责任",
        "开展廉政风险排查",
        "坚持中心组学习",
    }
    deployment.refresh_from_db()
    assert (deployment.status, deployment.confirmed_by) == (Deployment.Status.CONFIRMED, cast.users["clerk"])
    confirm = AuditEvent.objects.get(action="deployment.confirm", object_id=str(deployment.pk))
    assert confirm.changes["tasks"] == ["督〔2023〕1号", "督〔2023〕2号", "督〔2023〕3号"]
    assert AuditEvent.objects.filter(action="task.create", object_id__in=[str(t.pk) for t in tasks]).count() == 3
    assert Notification.objects.filter(recipient=cast.users["head"], title__startswith="新督办事项待签收").count() == 3


def test_a_bad_row_creates_nothing_and_every_problem_is_named_with_its_row(cast, clock) -> None:
    deployment = _deployment(cast)
    rows = _rows(cast)  # reviewed while 杨丽娟 was still there
    rows[1].deadline = D(2023, 8, 31)
    rows[2].responsible_person = cast.users["staff"].person
    Person.objects.filter(pk=cast.users["staff"].person.pk).update(status=Person.Status.LEFT)
    events, notes = AuditEvent.objects.count(), Notification.objects.count()
    with pytest.raises(UserError) as caught:
        deployment_confirm(actor=cast.users["clerk"], deployment=deployment, rows=rows)
    assert caught.value.errors == [
        "第1行：责任人“杨丽娟”已离岗，不能交办",
        "第2行：完成时限2023年8月31日早于部署日期2023年9月4日",
        "第3行：责任人“杨丽娟”已离岗，不能交办",
    ]
    assert caught.value.message.startswith("分解表有3处问题，未创建任何任务：")
    assert not Task.objects.exists()
    assert not TaskCounter.objects.filter(year=2023, last__gt=0).exists()
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, notes)
    assert Deployment.objects.get(pk=deployment.pk).status == Deployment.Status.DRAFT


def test_a_row_without_lead_department_or_leader_is_named(cast, clock) -> None:
    rows = [draft(cast), draft(cast, lead_department=None, lead_leader=None, responsible_person=None, title="")]
    with pytest.raises(UserError) as caught:
        deployment_confirm(actor=cast.users["clerk"], deployment=_deployment(cast), rows=rows)
    assert caught.value.errors == ["第2行：工作任务不能为空", "第2行：请选择牵头单位", "第2行：请选择牵头领导"]


def test_a_department_of_another_unit_is_refused(cast, clock) -> None:
    from qingfeng.org.models import Department

    foreign = Department.objects.filter(unit=cast.sibling).first()
    rows = [draft(cast, partner_departments=[foreign])]
    with pytest.raises(UserError, match=f"第1行：配合单位“{foreign.name}”不是本单位的科室"):
        deployment_confirm(actor=cast.users["clerk"], deployment=_deployment(cast), rows=rows)


def test_a_deployment_is_confirmed_only_once(cast, clock) -> None:
    deployment = _deployment(cast)
    deployment_confirm(actor=cast.users["clerk"], deployment=deployment, rows=_rows(cast))
    with pytest.raises(UserError, match="该部署的分解表已确认，不能重复确认"):
        deployment_confirm(actor=cast.users["clerk"], deployment=deployment, rows=_rows(cast))
    assert Task.objects.count() == 3


def test_an_empty_table_cannot_be_confirmed(cast, clock) -> None:
    with pytest.raises(UserError, match="分解表没有任务，无法确认"):
        deployment_confirm(actor=cast.users["clerk"], deployment=_deployment(cast), rows=[])


@pytest.mark.parametrize("role", ["leader", "head", "superior", "outsider"])
def test_only_the_deploying_roles_may_confirm(cast, clock, role) -> None:
    with pytest.raises(PermissionDenied):
        deployment_confirm(actor=cast.users[role], deployment=_deployment(cast), rows=_rows(cast))
