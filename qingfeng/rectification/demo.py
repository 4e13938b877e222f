"""The demo bureau's 巡察整改: the 市委第二轮巡察 the seed speech announces, fed back a month ago, with measures in
each state (销号 done, in progress, 长期坚持, overdue). Called by `qingfeng demo` only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qingfeng.org.demo import Cast
from qingfeng.rectification.models import Round
from qingfeng.rectification.services.rounds import finding_create, measure_create, round_create
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import task_approve, task_sign_for, task_submit

FINDINGS = [
    (
        "1",
        "党风廉政建设",
        "公务接待审批单填写不完整，个别接待无公函",
        "修订公务接待管理办法，逐笔补齐审批手续",
        20,
        "limited",
    ),
    (
        "2",
        "财务管理",
        "项目资金拨付审核把关不严，存在先拨付后补手续情况",
        "建立资金拨付联审制度，开展专项自查",
        40,
        "limited",
    ),
    (
        "3",
        "作风建设",
        "“三会一课”记录不规范，个别支部学习流于形式",
        "规范组织生活记录，纳入年度考核",
        None,
        "long_term",
    ),
    ("4", "意识形态", "意识形态工作专题研究次数不足", "每半年专题研究一次意识形态工作", -3, "limited"),
]


def exists(cast: Cast) -> bool:
    return Round.all_objects.filter(unit=cast.bureau).exists()


@transaction.atomic
def extend(cast: Cast) -> None:
    clerk, head, inspector = cast.users["clerk"], cast.users["head"], cast.users["inspector"]
    today = timezone.localdate()
    round_ = round_create(
        actor=clerk,
        unit=cast.bureau,
        name="市委第二轮巡察",
        body="市委第十巡察组",
        kind="xuncha",
        feedback_date=today - dt.timedelta(days=30),
    )
    finance, leader, staff = cast.departments["财务股"], cast.users["leader"].person, cast.users["staff"].person
    measures = []
    for number, category, problem, text, days, kind in FINDINGS:
        finding = finding_create(actor=clerk, round_=round_, number=number, category=category, description=problem)
        deadline = today + dt.timedelta(days=days) if days is not None else None
        measures.append(
            measure_create(
                actor=clerk,
                finding=finding,
                text=text,
                department=finance,
                lead_leader=leader,
                responsible_person=staff,
                deadline=max(deadline, today) if deadline else None,
                kind=kind,
            )
        )
    first, second, _, last = measures
    for measure in (first, second, last):
        task_sign_for(actor=head, part=TaskPart.objects.get(task=measure.task, role="lead"))
    lead = TaskPart.objects.get(task=first.task, role="lead")
    task_report_progress(actor=head, part=lead, percent=100, text="管理办法已修订印发，31笔接待手续全部补齐。")
    task_submit(actor=head, task=first.task)
    task_approve(actor=inspector, task=Task.objects.get(pk=first.task.pk), rating=Task.Rating.GOOD, remark="整改到位")
    task_report_progress(
        actor=head,
        part=TaskPart.objects.get(task=second.task, role="lead"),
        percent=50,
        text="联审制度已起草，专项自查完成一半。",
    )
    # The fourth was due three days ago: the board shows it red.
    overdue = today - dt.timedelta(days=3)
    Task.objects.filter(pk=last.task.pk).update(deadline=overdue, original_deadline=overdue)
    type(last).objects.filter(pk=last.pk).update(deadline=overdue)
