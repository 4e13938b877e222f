"""Rounds, findings and measures through the services: defaults, Chinese messages, statuses that follow the
measures' 督办事项, and the dashboard figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent
from qingfeng.org.models import Person
from qingfeng.rectification import selectors
from qingfeng.rectification.models import Measure, Round
from qingfeng.rectification.services.rounds import (
    finding_create,
    finding_status,
    measure_create,
    measure_status,
    next_finding_number,
    round_create,
)
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services.tasks import task_approve, task_sign_for, task_submit

TODAY = timezone.localdate()


def zhao() -> Person:
    """赵春生, a deputy who supervises 建筑管理股 and 城建股."""
    return Person.objects.get(employee_no="QHZJL03")


def make_round(cast, **kwargs) -> Round:  # type: ignore[no-untyped-def]
    values = {
        "actor": cast.users["clerk"],
        "unit": cast.bureau,
        "name": "市委第二轮巡察",
        "body": "市委第十巡察组",
        "kind": "xuncha",
        "feedback_date": TODAY,
    }
    values.update(kwargs)
    return round_create(**values)


def make_measure(cast, finding, **kwargs) -> Measure:  # type: ignore[no-untyped-def]
    values = {
        "actor": cast.users["clerk"],
        "finding": finding,
        "text": "建立报销审核台账，逐笔复核",
        "department": cast.departments["财务股"],
        "lead_leader": cast.users["leader"].person,
        "responsible_person": cast.users["staff"].person,
        "deadline": TODAY + dt.timedelta(days=30),
        "kind": Measure.Kind.LIMITED,
    }
    values.update(kwargs)
    return measure_create(**values)


def close(cast, measure: Measure) -> None:
    """签收 → 提交审核 (= 申请销号) → 审核通过 (= 销号), through supervision's services."""
    task = measure.task
    part = TaskPart.objects.get(task=task, role=TaskPart.Role.LEAD)
    head = cast.users["head"] if part.department == cast.departments["财务股"] else None
    assert head is not None
    task_sign_for(actor=head, part=part)
    task_submit(actor=head, task=Task.objects.get(pk=task.pk), note="已建立台账，附佐证")
    task_approve(actor=cast.users["clerk"], task=Task.objects.get(pk=task.pk), rating=Task.Rating.GOOD)


def test_a_round_defaults_to_two_months_of_rectification_and_is_audited(cast) -> None:
    r = make_round(cast, feedback_date=dt.date(2023, 12, 31))
    assert (r.rectify_until, r.report_due) == (dt.date(2024, 2, 29), dt.date(2024, 2, 29))
    assert AuditEvent.objects.filter(action="round.create", object_id=str(r.pk)).exists()
    other = make_round(cast, feedback_date=dt.date(2023, 9, 1), report_due=dt.date(2023, 11, 15))
    assert (other.rectify_until, other.report_due) == (dt.date(2023, 11, 1), dt.date(2023, 11, 15))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "请填写名称"),
        ({"kind": "x"}, "请选择类别"),
        ({"feedback_date": dt.date(2023, 9, 1), "rectify_until": dt.date(2023, 8, 1)}, "不能早于反馈日期"),
    ],
)
def test_bad_rounds_get_a_chinese_message(cast, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    before = Round.objects.count()
    with pytest.raises(UserError, match=message):
        make_round(cast, **kwargs)
    assert Round.objects.count() == before


def test_only_the_office_the_inspector_or_the_secretary_keep_rounds(cast) -> None:
    make_round(cast, actor=cast.users["inspector"])
    for role in ("head", "leader", "staff"):
        with pytest.raises(PermissionDenied):
            make_round(cast, actor=cast.users[role])


def test_measures_are_assigned_as_tasks_at_once(cast) -> None:
    r = make_round(cast)
    f = finding_create(actor=cast.users["clerk"], round_=r, number="1", category="财务管理", description="报销审核不严")
    first = make_measure(cast, f)
    second = make_measure(cast, f, text="开展财务制度专题学习", kind=Measure.Kind.IMMEDIATE)
    assert first.task.status == Task.Status.PENDING_SIGN and second.task.kind == Task.Kind.IMMEDIATE
    assert first.task.number != second.task.number
    assert first.task.source == Task.Source.MODULE and "市委第二轮巡察" in first.task.source_ref
    assert first.task.lead_part().department == cast.departments["财务股"]
    assert next_finding_number(r) == "2"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"deadline": None}, "请填写整改时限"),
        ({"text": " "}, "整改措施不能为空"),
        ({"responsible_person": None, "lead_leader": None}, "请选择牵头领导"),
    ],
)
def test_bad_measures_get_a_chinese_message(cast, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    f = finding_create(
        actor=cast.users["clerk"], round_=make_round(cast), number="1", category="作风建设", description="x"
    )
    with pytest.raises(UserError, match=message):
        make_measure(cast, f, **kwargs)
    assert not f.measures.exists()


def test_a_department_of_another_unit_is_refused(cast) -> None:
    from qingfeng.org.models import Department

    f = finding_create(
        actor=cast.users["clerk"], round_=make_round(cast), number="1", category="作风建设", description="x"
    )
    far = Department.objects.filter(unit=cast.far_bureau).first()
    with pytest.raises(UserError, match="不是本单位的科室"):
        make_measure(cast, f, department=far, responsible_person=None)


def test_a_long_term_measure_needs_no_deadline_and_does_not_hold_its_finding_back(cast) -> None:
    f = finding_create(
        actor=cast.users["clerk"], round_=make_round(cast), number="1", category="作风建设", description="x"
    )
    limited = make_measure(cast, f)
    lasting = make_measure(cast, f, text="持续开展作风建设", kind=Measure.Kind.LONG_TERM, deadline=None)
    assert measure_status(limited) == "未整改" and measure_status(lasting) == "长期坚持"
    assert finding_status([limited, lasting]) == "整改中"  # (finding_status: only all-未整改 is 未整改)

    part = TaskPart.objects.get(task=limited.task, role=TaskPart.Role.LEAD)
    task_sign_for(actor=cast.users["head"], part=part)
    limited = Measure.objects.select_related("task").get(pk=limited.pk)
    assert measure_status(limited) == "整改中" and finding_status([limited, lasting]) == "整改中"

    head = cast.users["head"]
    task_submit(actor=head, task=limited.task, note="已建立台账")  # 申请销号
    limited = Measure.objects.select_related("task").get(pk=limited.pk)
    assert measure_status(limited) == "整改中"
    task_approve(actor=cast.users["clerk"], task=limited.task, rating=Task.Rating.GOOD)  # 销号
    limited = Measure.objects.select_related("task").get(pk=limited.pk)
    assert measure_status(limited) == "已整改"
    assert finding_status([limited, lasting]) == "长期坚持"
    assert finding_status([limited]) == "已整改"


def test_the_dashboard_counts_by_category_leader_and_department_overdue_first(cast) -> None:
    r = make_round(cast)
    clerk = cast.users["clerk"]
    money = finding_create(actor=clerk, round_=r, number="1", category="财务管理", description="报销审核不严")
    style = finding_create(actor=clerk, round_=r, number="2", category="作风建设", description="办事拖沓")
    late = make_measure(cast, money, deadline=TODAY + dt.timedelta(days=40))
    done = make_measure(cast, money, text="退回不合规报销", deadline=TODAY + dt.timedelta(days=5))
    soon = make_measure(
        cast,
        style,
        text="压缩审批时限",
        department=cast.departments["城建股"],
        lead_leader=zhao(),
        responsible_person=None,
        deadline=TODAY + dt.timedelta(days=20),
    )
    lasting = make_measure(cast, style, text="常态化作风督查", kind=Measure.Kind.LONG_TERM, deadline=None)
    Task.objects.filter(pk=late.task_id).update(deadline=TODAY - dt.timedelta(days=2))
    close(cast, done)

    board = selectors.round_board(cast.users["clerk"], r)
    assert [m.pk for m in board.attention] == [late.pk, soon.pk, lasting.pk]
    assert [m.pk for m in board.overdue] == [late.pk]
    assert board.attention[0].task.colour == "red"
    total = board.total
    assert (total.total, total.closed, total.long_open, total.overdue, total.percent) == (4, 1, 1, 1, 33)
    by_category = {t.name: (t.total, t.closed, t.overdue, t.percent) for t in board.by_category}
    assert by_category == {"财务管理": (2, 1, 1, 50), "作风建设": (2, 0, 0, 0)}
    assert board.by_category[0].name == "财务管理"  # overdue lines first
    by_leader = {t.name: (t.total, t.closed) for t in board.by_leader}
    assert by_leader == {"李志强": (3, 1), "赵春生": (1, 0)}
    by_department = {t.name: (t.total, t.closed, t.long_open) for t in board.by_department}
    assert by_department == {"财务股": (3, 1, 1), "城建股": (1, 0, 0)}
    statuses = {f.number: f.status for f in board.findings}
    assert statuses == {"1": "整改中", "2": "整改中"}  # a 长期坚持 measure counts as under way

    listed = selectors.round_rows(cast.users["clerk"], [Round.objects.get(pk=r.pk)])[0]
    assert (listed.findings_count, listed.measures_total, listed.measures_closed, listed.percent) == (2, 4, 1, 33)
    # the head of 财务股 counts only its own measures
    mine = selectors.round_rows(cast.users["head"], [Round.objects.get(pk=r.pk)])[0]
    assert (mine.findings_count, mine.measures_total, mine.measures_closed) == (2, 3, 1)


def test_the_inspector_approves_the_xiaohao_of_a_measure_but_not_other_tasks(cast, clock) -> None:
    """销号: the responsible unit reports with evidence and submits; the 纪检组长 (or the clerk) approves."""
    from qingfeng.core.errors import UserError
    from qingfeng.rectification.models import Finding
    from qingfeng.rectification.services.rounds import finding_create, measure_create, round_create
    from qingfeng.supervision.models import Task, TaskPart
    from qingfeng.supervision.services.progress import task_report_progress
    from qingfeng.supervision.services.tasks import task_approve, task_sign_for, task_submit
    from qingfeng.supervision.tests.factories import D, submitted_task

    clerk, head = cast.users["clerk"], cast.users["head"]
    round_ = round_create(
        actor=clerk,
        unit=cast.bureau,
        name="市委第二轮巡察",
        body="市委第十巡察组",
        kind="xuncha",
        feedback_date=D(2023, 9, 1),
    )
    finding: Finding = finding_create(
        actor=clerk, round_=round_, number="1", category="财务管理", description="公务接待审批不规范"
    )
    measure = measure_create(
        actor=clerk,
        finding=finding,
        text="修订公务接待管理办法",
        department=cast.departments["财务股"],
        lead_leader=cast.users["leader"].person,
        responsible_person=cast.users["staff"].person,
        deadline=D(2023, 10, 31),
    )
    part = TaskPart.objects.get(task=measure.task, role="lead")
    task_sign_for(actor=head, part=part)
    task_report_progress(actor=head, part=part, percent=100, text="办法已修订印发")
    task_submit(actor=head, task=measure.task)
    task_approve(actor=cast.users["inspector"], task=Task.objects.get(pk=measure.task.pk), rating=Task.Rating.GOOD)
    assert Task.objects.get(pk=measure.task.pk).status == Task.Status.DONE
    other = submitted_task(cast)
    with pytest.raises(UserError, match="或督查专员可以审核办结"):
        task_approve(actor=cast.users["inspector"], task=other, rating=Task.Rating.GOOD)
