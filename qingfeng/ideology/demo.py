"""The demo bureau's 意识形态工作: three positions (the portal's 政务公开 column and the WeChat account kept by the office,
the 财政预决算公开 column kept by 财务股), publications on the 财务股 column at every stage of 三审三校 (one published
with all its reviews and 校), this year's 专题研究 with a follow-up task, and this year's 意识形态工作责任清单
(published: its items are 督办事项). Called by `qingfeng demo` only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qingfeng.ideology.models import Meeting, Position, Proof, Review
from qingfeng.ideology.services import meetings, positions, publications
from qingfeng.org.demo import Cast
from qingfeng.org.models import Person

APPROVE, REJECT = Review.Decision.APPROVE, Review.Decision.REJECT
FINANCE_COLUMN = "局门户网站“财政预决算公开”栏目"
# title, how far it went: 1 = 初审 done, 2 = 复审, 3 = 终审, 4 = 三校 and published, -2 = returned at 复审
PIECES = [
    ("2022年度部门决算公开说明", 4),
    ("2023年“三公”经费预算情况说明", 3),
    ("2023年部门预算绩效目标公开", 2),
    ("关于2023年上半年预算执行情况的公告", 1),
    ("2023年部门预算公开说明", 0),
    ("预算绩效自评报告（初稿）", -2),
]
BODY = "根据《中华人民共和国预算法》和政府信息公开有关规定，现将{title}公开如下：……（正文略）"
DUTY_ITEMS = [
    # content, measures, owner (a 班子成员's employee_no or a department), frequency
    (
        "党组每年至少两次专题研究意识形态工作",
        "列入党组会议议题，研究部署、听取汇报，会后跟踪落实",
        "QHZJL01",
        "halfyearly",
    ),
    (
        "每半年开展一次意识形态领域形势分析研判",
        "分析网络舆情、阵地管理和干部职工思想动态，提出应对措施",
        "QHZJL01",
        "halfyearly",
    ),
    ("落实网站、新媒体和宣传栏“三审三校”制度", "建立阵地台账，明确责任人和审核人，审核记录留痕", "办公室", "long_term"),
]


def exists(cast: Cast) -> bool:
    return Position.all_objects.filter(unit=cast.bureau, name=FINANCE_COLUMN).exists()


@transaction.atomic
def extend(cast: Cast) -> None:
    clerk, head, staff = cast.users["clerk"], cast.users["head"], cast.users["staff"]
    leader, secretary = cast.users["leader"], cast.users["secretary"]
    office = cast.departments["办公室"]
    office_head = Person.objects.filter(unit=cast.bureau, post="办公室负责人").first() or secretary.person
    for name, kind, address, dept, responsible, reviewer in (
        (
            "局门户网站“政务公开”栏目",
            Position.Kind.PORTAL,
            "http://zjj.qinghe.gov.cn/zwgk/",
            office,
            clerk.person,
            office_head,
        ),
        ("“清河住建”微信公众号", Position.Kind.WECHAT, "qhzjj2016", office, clerk.person, office_head),
        (
            FINANCE_COLUMN,
            Position.Kind.PORTAL,
            "http://zjj.qinghe.gov.cn/czyjs/",
            cast.departments["财务股"],
            staff.person,
            clerk.person,
        ),
    ):
        position = positions.position_create(
            actor=clerk,
            unit=cast.bureau,
            data=positions.PositionData(
                name=name,
                kind=kind,
                address=address,
                department=dept,
                responsible_person=responsible,
                reviewer=reviewer,
            ),
        )
    # The 财务股 column: 杨丽娟 writes, 刘海燕 (the column's 审核人) 初审, 陈文斌 (财务股 head) 复审, 李志强 (分管) 终审.
    steps = [(clerk, 1, "同意，请复审"), (head, 2, "数据已与决算报表核对，同意"), (leader, 3, "同意发布")]
    for title, reach in PIECES:
        piece = publications.publication_create(
            actor=staff, position=position, title=title, body=BODY.format(title=title)
        )
        if reach == -2:
            publications.publication_review(actor=clerk, publication=piece, level=1, decision=APPROVE, opinion="同意")
            publications.publication_review(
                actor=head, publication=piece, level=2, decision=REJECT, opinion="绩效指标与批复不一致，请核对后修改"
            )
            continue
        for actor, level, opinion in steps[: min(reach, 3)]:
            publications.publication_review(
                actor=actor, publication=piece, level=level, decision=APPROVE, opinion=opinion
            )
        if reach >= 3:
            publications.publication_proof(
                actor=staff, publication=piece, kind=Proof.Kind.TEXT, note="通读全文，改正错别字2处"
            )
            publications.publication_proof(
                actor=clerk, publication=piece, kind=Proof.Kind.POLITICAL, note="表述规范，无政治性差错"
            )
        if reach == 4:
            publications.publication_proof(
                actor=head, publication=piece, kind=Proof.Kind.FACT, note="金额、日期与决算报表一致"
            )
            publications.publication_publish(
                actor=staff, publication=piece, link="http://zjj.qinghe.gov.cn/czyjs/2023/001.html"
            )
    _meeting(cast)
    _duty_list(cast)


def _meeting(cast: Cast) -> None:
    today = timezone.localdate()
    day = max(today - dt.timedelta(days=20), dt.date(today.year, 1, 1))
    party_group = list(Person.objects.filter(unit=cast.bureau, is_leadership=True).order_by("order"))
    meeting = meetings.meeting_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        kind=Meeting.Kind.STUDY,
        date=day,
        place="局三楼会议室",
        host=cast.users["secretary"].person,
        participants=[*party_group, cast.users["clerk"].person],
        topics="传达学习上级关于意识形态工作的部署要求；研究本局意识形态工作责任制落实和网络阵地管理",
        conclusions="一、严格落实网站、公众号“三审三校”制度，阵地台账每半年更新一次；二、各分管领导每季度过问分管科室阵地内容；三、办公室牵头完善网络舆情应对预案。",
    )
    meetings.meeting_follow_up(
        actor=cast.users["clerk"],
        meeting=meeting,
        title="完善网络舆情应对预案并报党组审定",
        department=cast.departments["办公室"],
        deadline=today + dt.timedelta(days=30),
    )


def _duty_list(cast: Cast) -> None:
    from qingfeng.responsibility.models import ResponsibilityList
    from qingfeng.responsibility.services import lists

    year, clerk = timezone.localdate().year, cast.users["clerk"]
    if ResponsibilityList.objects.filter(unit=cast.bureau, year=year, kind=ResponsibilityList.Kind.IDEOLOGY).exists():
        return
    leaders = {p.employee_no: p for p in Person.objects.filter(unit=cast.bureau, is_leadership=True)}
    rlist = lists.list_create(actor=clerk, unit=cast.bureau, year=year, kind=ResponsibilityList.Kind.IDEOLOGY)
    for content, measures, owner, frequency in DUTY_ITEMS:
        data = lists.ItemData(content=content, measures=measures, frequency=frequency)
        if owner in leaders:
            data.owner_person = leaders[owner]
        else:
            data.owner_department = cast.departments[owner]
        lists.item_add(actor=clerk, rlist=rlist, data=data)
    lists.list_publish(actor=clerk, rlist=rlist)
