"""The demo bureau's 廉政建设: a 风险防控台账 over its departments, a 督促检查 that found two problems (one a 督办事项,
one an 整改问题), a 四种形态 ledger over two years, and 廉政档案 filings of the demo accounts. Called by `qingfeng
demo` only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qingfeng.integrity.models import Filing, RiskPoint
from qingfeng.integrity.services import filings, ledger, risks
from qingfeng.org.demo import Cast
from qingfeng.org.models import Person

H, M, L = RiskPoint.Level.HIGH, RiskPoint.Level.MEDIUM, RiskPoint.Level.LOW
POINTS = [
    # department, area, post, name, description, level, controls
    (
        "财务股",
        "财务报销",
        "会计",
        "差旅费报销审核",
        "审核把关不严，虚列、多报差旅费",
        H,
        "报销单据双人审核，每季度抽查",
    ),
    ("财务股", "资金拨付", "出纳", "项目资金拨付", "未按进度拨付、先拨付后补手续", H, "资金拨付联审，按合同节点支付"),
    ("财务股", "资产管理", "资产管理员", "固定资产处置", "低价处置、账实不符", M, "资产年度盘点，处置集体研究"),
    (
        "计划项目股",
        "项目审批",
        "项目审核岗",
        "项目立项审核",
        "违规插手项目立项、打招呼",
        H,
        "审核意见留痕，领导干部插手登记",
    ),
    (
        "计划项目股",
        "政府采购",
        "采购经办人",
        "采购需求编制",
        "量身定制采购需求、指定品牌",
        M,
        "采购需求集体论证，公开征求意见",
    ),
    ("建筑管理股", "行政执法", "执法员", "建筑市场执法检查", "选择性执法、吃拿卡要", H, "执法全过程记录，双随机一公开"),
    ("建筑管理股", "工程建设", "质量监督员", "工程竣工验收", "降低标准通过验收", M, "验收结果公示，联合验收"),
    ("城建股", "工程建设", "项目负责人", "市政工程变更签证", "虚增工程量、违规变更", H, "变更集体研究，跟踪审计"),
    ("质量安全股", "行政执法", "安全监督员", "安全生产检查", "检查走过场、隐瞒隐患", M, "检查清单化，问题闭环销号"),
    ("人事股", "干部选拔任用", "干部工作人员", "干部考察", "考察失真、带病提拔", M, "考察对象公示，全程纪实"),
    ("法规股", "行政执法", "法制审核员", "行政处罚法制审核", "裁量权滥用", L, "裁量基准公开，重大处罚集体讨论"),
    ("办公室", "政府采购", "办公用品采购员", "办公用品采购", "化整为零规避采购", L, "月度采购计划，价格比对"),
]

LEDGER = [
    # days ago, staff index, form, measure, category, source, description, decision
    (20, 0, 1, "谈话提醒", "违反工作纪律", "routine", "执法检查记录不完整，工作作风不扎实", "由纪检组长进行谈话提醒"),
    (45, 3, 1, "批评教育", "违反中央八项规定精神", "petition", "工作日中午饮酒", "当面批评教育，责令深刻反省"),
    (80, 5, 1, "责令检查", "违反廉洁纪律", "inspection", "接受管理服务对象宴请一次", "责令作出书面检查"),
    (130, 7, 1, "诫勉", "违反工作纪律", "audit", "项目资金拨付审核不严，造成资金滞留", "对其进行诫勉"),
    (200, 9, 2, "党纪轻处分（警告）", "违反廉洁纪律", "petition", "违规收受礼品礼金", "给予党内警告处分，收缴违纪所得"),
    (300, 11, 1, "谈话提醒", "违反群众纪律", "self", "办事群众反映态度生硬", "谈话提醒"),
    (400, 13, 2, "组织调整", "违反工作纪律", "assigned", "安全监管履职不力", "调离执法岗位"),
    (
        500,
        15,
        3,
        "党纪重处分（留党察看）",
        "违反廉洁纪律",
        "inspection",
        "利用职务便利为他人谋取利益",
        "给予留党察看一年处分",
    ),
]


def exists(cast: Cast) -> bool:
    return RiskPoint.all_objects.filter(unit=cast.bureau, name=POINTS[0][3]).exists()


@transaction.atomic
def extend(cast: Cast) -> None:
    clerk, inspector = cast.users["clerk"], cast.users["inspector"]
    today = timezone.localdate()
    people = list(Person.objects.filter(unit=cast.bureau, is_leadership=False).order_by("employee_no"))
    points = []
    for dept_name, area, post, name, description, level, controls in POINTS:
        dept = cast.departments[dept_name]
        owner = next((p for p in people if p.department_id == dept.pk), people[0])
        if dept_name == "财务股":
            owner = cast.users["head"].person
        points.append(
            risks.point_create(
                actor=clerk,
                unit=cast.bureau,
                data=risks.PointData(
                    area=area,
                    department=dept,
                    post=post,
                    name=name,
                    description=description,
                    level=level,
                    controls=controls,
                    owner=owner,
                    review_cycle=RiskPoint.Cycle.HALF_YEARLY if level == H else RiskPoint.Cycle.YEARLY,
                ),
            )
        )
    check = risks.check_create(
        actor=inspector,
        unit=cast.bureau,
        name=f"{today.year}年关键岗位廉政风险督促检查",
        date=today - dt.timedelta(days=7),
        points=[p for p in points if p.level == H],
        summary="抽查财务报销、资金拨付、项目审核、行政执法等高风险岗位",
        cycle=RiskPoint.Cycle.HALF_YEARLY,
    )
    risks.problem_create(
        actor=inspector,
        check=check,
        point=points[0],
        description="2023年二季度3笔差旅费报销缺少审批单",
        route="task",
        lead_leader=cast.users["leader"].person,
        deadline=today + dt.timedelta(days=30),
    )
    risks.problem_create(
        actor=inspector, check=check, point=points[5], description="执法检查记录未全程留痕", route="finding"
    )
    for days, index, form, measure, category, source, description, decision in LEDGER:
        ledger.record_create(
            actor=inspector,
            unit=cast.bureau,
            data=ledger.RecordData(
                person=people[index % len(people)],
                date=today - dt.timedelta(days=days),
                form=form,
                measure=measure,
                category=category,
                clue_source=source,
                decided_by="驻局纪检监察组" if form == 1 else "局党组",
                description=description,
                decision=decision,
            ),
        )
    _filings(cast, today)


def _filings(cast: Cast, today: dt.date) -> None:
    for username in ("secretary", "leader", "inspector", "clerk", "head", "staff"):
        user = cast.users[username]
        filings.filing_create(
            actor=user,
            person=user.person,
            data=filings.FilingData(
                kind=Filing.Kind.PERSONAL_MATTERS,
                filed_on=dt.date(today.year, 3, 20) if today >= dt.date(today.year, 3, 20) else today,
                year=today.year,
                summary="本人婚姻、出国（境）证件、投资、房产等情况如实报告",
                has_changes=username == "leader",
            ),
        )
    staff, head = cast.users["staff"], cast.users["head"]
    filings.filing_create(
        actor=staff,
        person=staff.person,
        data=filings.FilingData(
            kind=Filing.Kind.GIFT,
            filed_on=today - dt.timedelta(days=40),
            event_date=today - dt.timedelta(days=41),
            giver="某建筑公司",
            summary="购物卡一张",
            value=Decimal("1000.00"),
        ),
    )
    filings.filing_create(
        actor=head,
        person=head.person,
        data=filings.FilingData(
            kind=Filing.Kind.FAMILY_EVENT,
            filed_on=today,
            event_date=today + dt.timedelta(days=30),
            event_kind=Filing.EventKind.WEDDING,
            guests=260,
            tables=26,
            gifts_policy="仅收亲属礼金",
        ),
    )
    filings.filing_create(
        actor=staff,
        person=staff.person,
        data=filings.FilingData(
            kind=Filing.Kind.FAMILY_EVENT,
            filed_on=today,
            event_date=today + dt.timedelta(days=14),
            event_kind=Filing.EventKind.WEDDING,
            guests=80,
            tables=8,
            gifts_policy="不收礼金",
        ),
    )
