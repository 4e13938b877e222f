"""The demo bureau's 两个责任: last year's four kinds of lists (published before the platform, so without tasks: the
ones "复制上年清单" copies), this year's 党组主体责任清单 published with its items in every state (完成, 办理中, 未开始,
逾期, 周期性, 长期), this year's talks (some rules left unmet), 责任书 (some signed, 李志强's not yet) and
述责述廉 (last year's scored, this year's asked for). Called by `qingfeng demo` and by the browser journey."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from qingfeng.org.demo import Cast
from qingfeng.org.models import Person
from qingfeng.responsibility.models import DutyReport, Letter, ResponsibilityList
from qingfeng.responsibility.services import letters, lists, talks
from qingfeng.responsibility.services.lists import ItemData
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import task_approve, task_sign_for, task_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Kind = ResponsibilityList.Kind

# (责任内容, 具体措施, owner: a leader's employee_no or a department's name, 完成时限 "MM-DD" or 频次)
PARTY_GROUP = [
    (
        "定期研究部署党风廉政建设工作",
        "每季度召开党组会议专题研究党风廉政建设，分析形势、部署任务",
        "QHZJL01",
        "quarterly",
    ),
    ("严格落实中央八项规定精神", "开展公务接待、公车使用专项检查，建立问题台账并整改", "财务股", "06-30"),
    ("规范财务报销和资金拨付", "修订财务报销审核制度，实行资金拨付联审", "财务股", "04-30"),
    ("干部选拔任用全程纪实", "落实干部选拔任用全程纪实和“凡提四必”", "人事股", "03-31"),
    ("深化廉政风险防控", "动态排查岗位廉政风险点，完善防控措施", "法规股", "long_term"),
]
SECRETARY = [
    ("履行第一责任人职责，带头落实主体责任", "主持研究党风廉政建设重大问题，重要工作亲自部署", "QHZJL01", "yearly"),
    ("与班子成员开展廉政谈话", "每年至少与每位班子成员谈话一次", "QHZJL01", "yearly"),
    ("带头讲廉政党课", "每年至少讲一次廉政党课", "QHZJL01", "12-31"),
]
SUPERVISION = [
    ("开展日常监督检查", "对重点岗位和关键环节开展监督检查", "QHZJL06", "quarterly"),
    ("做实做细谈话提醒", "发现苗头性问题及时谈话提醒", "QHZJL06", "long_term"),
    ("监督检查巡察整改落实", "对巡察反馈问题整改情况开展专项监督", "QHZJL06", "09-30"),
]
# 一岗双责: each deputy's items cover the departments they supervise.
LEADER_ITEMS = [
    ("抓好分管科室党风廉政建设", "每半年听取分管科室党风廉政建设情况汇报"),
    ("加强分管领域廉政风险防控", "督促分管科室排查风险点、落实防控措施"),
]


def exists(cast: Cast) -> bool:
    return ResponsibilityList.all_objects.filter(unit=cast.bureau).exists()


def _date(year: int, text: str) -> dt.date:
    month, day = text.split("-")
    return dt.date(year, int(month), int(day))


def _items(clerk, rlist, rows, leaders, departments, year):  # type: ignore[no-untyped-def]
    for content, measures, owner, timing in rows:
        data = ItemData(content=content, measures=measures)
        if owner in leaders:
            data.owner_person = leaders[owner]
        else:
            data.owner_department = departments[owner]
        if "-" in timing:
            data.deadline = _date(year, timing)
        else:
            data.frequency = timing
        lists.item_add(actor=clerk, rlist=rlist, data=data)


def _year_lists(cast: Cast, year: int) -> list[ResponsibilityList]:
    clerk, inspector = cast.users["clerk"], cast.users["inspector"]
    leaders = {p.employee_no: p for p in Person.objects.filter(unit=cast.bureau, is_leadership=True)}
    made = []
    for kind, rows, actor in (
        (Kind.PARTY_GROUP, PARTY_GROUP, clerk),
        (Kind.SECRETARY, SECRETARY, clerk),
        (Kind.SUPERVISION, SUPERVISION, inspector),
    ):
        rlist = lists.list_create(actor=actor, unit=cast.bureau, year=year, kind=kind)
        _items(actor, rlist, rows, leaders, cast.departments, year)
        made.append(rlist)
    for no in ("QHZJL02", "QHZJL03", "QHZJL04", "QHZJL05"):
        leader = leaders[no]
        rlist = lists.list_create(actor=clerk, unit=cast.bureau, year=year, kind=Kind.LEADER, leader=leader)
        rows = [
            (content, measures, dept.name, "halfyearly" if i == 0 else "long_term")
            for dept in leader.supervised_departments.all().order_by("order")
            for i, (content, measures) in enumerate(LEADER_ITEMS)
        ]
        _items(clerk, rlist, rows, leaders, cast.departments, year)
        made.append(rlist)
    return made


@transaction.atomic
def last_year(cast: Cast) -> list[ResponsibilityList]:
    """Last year's lists: kept on paper before the platform, entered as published history without tasks."""
    year = timezone.localdate().year - 1
    made = _year_lists(cast, year)
    ResponsibilityList.objects.filter(pk__in=[x.pk for x in made]).update(
        status=ResponsibilityList.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=300),
        published_by=cast.users["clerk"],
    )
    return made


@transaction.atomic
def extend(cast: Cast) -> None:
    clerk, head = cast.users["clerk"], cast.users["head"]
    today = timezone.localdate()
    year = today.year
    last_year(cast)
    # This year's 党组主体责任清单: published, its items in every state. Deadlines already past this year are
    # moved ahead so that the list can be published today; the overdue one is set back afterwards.
    leaders = {p.employee_no: p for p in Person.objects.filter(unit=cast.bureau, is_leadership=True)}
    rlist = lists.list_create(actor=clerk, unit=cast.bureau, year=year, kind=Kind.PARTY_GROUP)
    rows = []
    for i, (content, measures, owner, timing) in enumerate(PARTY_GROUP):
        if "-" in timing:
            timing = (today + dt.timedelta(days=(20, 45, 30)[i % 3])).strftime("%m-%d")
            if (today + dt.timedelta(days=45)).year != year:
                timing = "12-31"
        rows.append((content, measures, owner, timing))
    _items(clerk, rlist, rows, leaders, cast.departments, year)
    lists.list_publish(actor=clerk, rlist=rlist)
    items = {item.content: item for item in rlist.items.select_related("task")}
    eight, finance, cadres = (items[PARTY_GROUP[i][0]].task for i in (1, 2, 3))
    for task in (eight, finance):
        task_sign_for(actor=head, part=TaskPart.objects.get(task=task, role="lead"))
    task_report_progress(
        actor=head,
        part=TaskPart.objects.get(task=eight, role="lead"),
        percent=50,
        text="公务接待专项检查已完成两个季度，发现问题3个，正在整改。",
    )
    task_report_progress(
        actor=head,
        part=TaskPart.objects.get(task=finance, role="lead"),
        percent=100,
        text="财务报销审核制度已修订印发，资金拨付联审已实行。",
    )
    task_submit(actor=head, task=finance)
    task_approve(actor=clerk, task=Task.objects.get(pk=finance.pk), rating=Task.Rating.GOOD, remark="按期完成")
    overdue = today - dt.timedelta(days=5)
    Task.objects.filter(pk=cadres.pk).update(deadline=overdue, original_deadline=overdue)
    type(items[PARTY_GROUP[3][0]]).objects.filter(pk=items[PARTY_GROUP[3][0]].pk).update(deadline=overdue)

    # Talks of this year: the secretary with two deputies, 李志强 with the head of 财务股, the 纪检组长's reminder.
    secretary, leader = cast.users["secretary"].person, cast.users["leader"].person
    inspector = cast.users["inspector"]
    day = max(dt.date(year, 1, 2), today - dt.timedelta(days=20))
    for talker_user, talkee, kind, summary in (
        (
            cast.users["secretary"],
            leader,
            "integrity",
            "围绕分管领域廉政风险防控和一岗双责落实情况谈话，提出三点要求。",
        ),
        (cast.users["secretary"], leaders["QHZJL03"], "heart", "交流思想和工作情况，听取对党组工作的意见建议。"),
        (cast.users["leader"], head.person, "integrity", "就财务报销审核和资金拨付风险进行廉政谈话。"),
        (inspector, leaders["QHZJL04"], "reminder", "对分管科室执法记录不规范的苗头性问题进行提醒。"),
    ):
        talks.talk_create(
            actor=talker_user,
            unit=cast.bureau,
            kind=kind,
            talker=talker_user.person,
            talkee=talkee,
            date=day,
            place="党组书记办公室" if talker_user == cast.users["secretary"] else "局机关会议室",
            summary=summary,
        )

    # 责任书: this year's for every leader and head; the secretary's, the inspector's and 财务股's signed.
    letters.letters_prepare(actor=clerk, unit=cast.bureau, year=year)
    for letter in Letter.objects.filter(unit=cast.bureau, year=year, signer__in=[secretary, head.person]):
        upload = SimpleUploadedFile("责任书扫描件.pdf", PDF, content_type="application/pdf")
        letters.letter_sign(actor=clerk, letter=letter, upload=upload, signed_on=day)

    # 述责述廉: last year's reported and scored; this year's asked for by the end of the year.
    letters.reports_assign(actor=clerk, unit=cast.bureau, year=year - 1, due=dt.date(year - 1, 12, 31))
    last_reports = DutyReport.objects.filter(unit=cast.bureau, year=year - 1).select_related("leader")
    for i, report in enumerate(last_reports):
        text = f"{report.leader.name}同志{year - 1}年度述责述廉报告：认真履行一岗双责，抓好分管领域党风廉政建设。"
        letters.report_submit(actor=clerk, report=report, text=text)
        counts = {"excellent": 38 - i * 3, "competent": 8 + i * 2, "basic": i, "incompetent": 0}
        letters.report_score(actor=clerk, report=report, counts=counts)
    # reported last December (history: the services stamp today)
    last_reports.update(submitted_at=timezone.make_aware(dt.datetime(year - 1, 12, 20, 10)))
    letters.reports_assign(actor=clerk, unit=cast.bureau, year=year, due=dt.date(year, 12, 31))
    mine = DutyReport.objects.get(unit=cast.bureau, year=year, leader=secretary)
    letters.report_submit(
        actor=cast.users["secretary"],
        report=mine,
        text="一年来，认真履行党风廉政建设第一责任人职责，主持研究党风廉政建设工作4次……",
    )
