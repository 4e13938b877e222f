"""The demo bureau's supervision work: the seed speech deployed three weeks ago, decomposed and confirmed, with
tasks in every state a clerk meets on a Monday morning (to sign, in progress, overdue, 批示, done). Called by
`qingfeng demo` only; the test cast stays without it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from qingfeng.org.demo import Cast
from qingfeng.supervision.drafting import Directory, outline_drafts, outline_of
from qingfeng.supervision.models import Deployment, Task, TaskPart
from qingfeng.supervision.services.deployments import deployment_confirm, deployment_create
from qingfeng.supervision.services.instructions import task_instruct
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.style import style_report
from qingfeng.supervision.services.taskforces import milestone_add, milestone_done, taskforce_attach, taskforce_create
from qingfeng.supervision.services.tasks import task_sign_for

SEED = Path(__file__).resolve().parent / "tests" / "data" / "deployment-speech-2023h2.txt"


def exists(cast: Cast) -> bool:
    return Deployment.all_objects.filter(unit=cast.bureau).exists()


@transaction.atomic
def extend(cast: Cast) -> None:
    clerk, head, leader = cast.users["clerk"], cast.users["head"], cast.users["leader"]
    today = timezone.localdate()
    text = SEED.read_text(encoding="utf-8").replace("2023年下半年", f"{today.year}年下半年")
    deployment = deployment_create(
        actor=clerk,
        unit=cast.bureau,
        title=f"{today.year}年下半年党风廉政建设、意识形态和“三抓三促”行动安排部署会议",
        date=today - dt.timedelta(days=21),
        issuing_leader=cast.users["secretary"].person,
        text=text,
    )
    drafts = outline_drafts(outline_of(deployment), Directory.of(cast.bureau))
    finance, office = cast.departments["财务股"], cast.departments["办公室"]
    for i, draft in enumerate(drafts):
        # Half the table goes to 财务股, whose head and staff have demo accounts, so the demo can sign and report.
        if i % 2 == 0 or draft.lead_department is None:
            draft.lead_department = finance if i % 2 == 0 else office
        if draft.lead_department == finance:
            draft.lead_leader, draft.responsible_person = leader.person, cast.users["staff"].person
        elif draft.lead_leader is None:
            draft.lead_leader = cast.users["secretary"].person
        draft.partner_departments = [d for d in draft.partner_departments if d != draft.lead_department]
        if draft.deadline is not None and draft.deadline < today:
            draft.deadline = today + dt.timedelta(days=10)
    tasks = deployment_confirm(actor=clerk, deployment=deployment, rows=drafts)
    finance_tasks = [t for t in tasks if TaskPart.objects.filter(task=t, department=finance, role="lead").exists()]
    # One signed with progress and a 批示; one signed, left at 30 % and now overdue; the rest wait to be signed.
    for task in finance_tasks[:2]:
        task_sign_for(actor=head, part=TaskPart.objects.get(task=task, department=finance))
    if finance_tasks:
        first = finance_tasks[0]
        task_report_progress(
            actor=head,
            part=TaskPart.objects.get(task=first, department=finance),
            percent=60,
            text="已完成财务、人事、项目审批三个环节的风险排查，正在汇总问题清单。",
        )
        task_instruct(actor=leader, task=first, text="请于本周内将问题清单报我审阅，整改措施要具体到人。")
    if len(finance_tasks) > 1:
        second = finance_tasks[1]
        task_report_progress(
            actor=head,
            part=TaskPart.objects.get(task=second, department=finance),
            percent=30,
            text="已制定工作方案，正在组织实施。",
        )
        Task.objects.filter(pk=second.pk).update(
            deadline=today - dt.timedelta(days=3), original_deadline=today - dt.timedelta(days=3)
        )
    # A 专班 for the hard part of section 五, and one 作风问题 report waiting for the 纪检组长.
    taskforce = taskforce_create(
        actor=clerk,
        unit=cast.bureau,
        name="“三抓三促”项目审批提速专班",
        leader=leader.person,
        members=[head.person, cast.users["staff"].person, cast.users["clerk"].person],
        goal="集中攻坚项目审批中的难点堵点，审批时限压缩一半，年底前全部办结。",
        start=deployment.date,
        end=dt.date(today.year, 12, 31),
    )
    first_step = milestone_add(
        actor=leader, taskforce=taskforce, title="梳理审批事项清单", due=deployment.date + dt.timedelta(days=7)
    )
    milestone_add(actor=leader, taskforce=taskforce, title="压缩时限方案报党组审定", due=today + dt.timedelta(days=10))
    milestone_add(actor=leader, taskforce=taskforce, title="全部事项按新时限办结", due=dt.date(today.year, 12, 31))
    milestone_done(actor=leader, milestone=first_step, note="共梳理审批事项 23 项")
    for task in finance_tasks[:2]:
        taskforce_attach(actor=clerk, taskforce=taskforce, task=task)
    style_report(
        actor=cast.users["staff"],
        unit=cast.bureau,
        category="shirking",
        department=cast.departments["城建股"],
        description="群众反映到城建股咨询老旧小区改造政策，被告知找其他股室，来回跑了三次仍未答复。",
        anonymous=True,
    )
