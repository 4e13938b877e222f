"""The demo bureau's 制度建设: four rules (公务接待管理办法 revised once, so it has two versions to compare; 会议管理制度
due for review; 财务报销管理办法; 印章管理办法), a 废改立 proposal to revise the 财务报销管理办法 in 征求意见 with one
comment, a 三重一大 decision taken properly and one where the secretary spoke first (the checker flags it). Called by
`qingfeng demo` only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qingfeng.org.demo import Cast
from qingfeng.rules.models import Decision, Rule
from qingfeng.rules.services import decisions, proposals, registry

RECEPTION = "公务接待管理办法"
RECEPTION_V1 = (
    "第一条 为规范公务接待工作，厉行勤俭节约，制定本办法。\n"
    "第二条 公务接待实行审批制度，无公函的一律不予接待。\n"
    "第三条 接待用餐标准按有关规定执行。\n"
    "第四条 本办法自印发之日起施行。"
)
RECEPTION_V2 = (
    "第一条 为规范公务接待工作，落实中央八项规定精神，厉行勤俭节约，制定本办法。\n"
    "第二条 公务接待实行审批制度，无公函的一律不予接待。\n"
    "第三条 接待用餐标准按县财政局规定执行，陪餐人数不超过3人，不得提供高档菜肴和酒水。\n"
    "第四条 接待结束后5个工作日内填写接待清单，作为报销凭证。\n"
    "第五条 本办法自印发之日起施行。"
)
MEETINGS = (
    "第一条 局党组会议、局长办公会议每月召开一次，遇有重要情况随时召开。\n第二条 会议议题由办公室汇总，经主要领导审定。"
)
FINANCE = "第一条 报销须有合法有效票据。\n第二条 单笔5000元以上支出须经分管领导和主要领导审批。"
SEALS = "第一条 局印章由办公室专人保管。\n第二条 用印须填写用印登记，经审批后使用。"


def exists(cast: Cast) -> bool:
    return Rule.all_objects.filter(unit=cast.bureau, title=RECEPTION).exists()


@transaction.atomic
def extend(cast: Cast) -> None:
    clerk, staff = cast.users["clerk"], cast.users["staff"]
    office, finance = cast.departments["办公室"], cast.departments["财务股"]
    today = timezone.localdate()

    def rule(title: str, number: str, dept, day: dt.date, text: str) -> Rule:  # type: ignore[no-untyped-def]
        return registry.rule_create(
            actor=clerk, unit=cast.bureau, title=title, number=number, department=dept, effective_date=day, text=text
        )

    reception = rule(RECEPTION, "清住建党组〔2021〕3号", office, registry.add_years(today, -4), RECEPTION_V1)
    registry.rule_revise(
        actor=clerk,
        rule=reception,
        text=RECEPTION_V2,
        effective_date=registry.add_years(today, -1),
        change_note="落实中央八项规定精神，明确陪餐人数和接待清单",
        number="清住建党组〔2023〕12号",
    )
    # due for review in a fortnight (took effect three years ago less 14 days); the others are years from review
    rule("会议管理制度", "清住建〔2020〕8号", office, registry.add_years(today, -3) + dt.timedelta(days=14), MEETINGS)
    finance_rule = rule("财务报销管理办法", "清住建〔2022〕6号", finance, today - dt.timedelta(days=300), FINANCE)
    rule("印章管理办法", "清住建〔2022〕9号", office, today - dt.timedelta(days=200), SEALS)

    proposal = proposals.proposal_create(
        actor=clerk,
        unit=cast.bureau,
        kind="revise",
        rule=finance_rule,
        reason="巡察反馈指出报销审批权限不清，须修订",
        department=finance,
        draft_deadline=today + dt.timedelta(days=30),
    )
    proposals.proposal_draft(
        actor=clerk, proposal=proposal, text=FINANCE + "\n第三条 差旅费报销须在返回后10个工作日内办理。"
    )
    proposals.proposal_comment(actor=staff, proposal=proposal, text="建议明确跨年度票据的处理办法")

    team = [cast.users[r].person for r in ("secretary", "leader", "inspector")]
    good = decisions.decision_create(
        actor=clerk,
        unit=cast.bureau,
        kind=Decision.Kind.FUNDS,
        title="老旧小区改造配套资金拨付",
        proposal="拨付老旧小区改造配套资金",
        amount_wan=Decimal("180"),
    )
    bad = decisions.decision_create(
        actor=clerk,
        unit=cast.bureau,
        kind=Decision.Kind.PROJECT,
        title="办公楼维修改造项目",
        proposal="对办公楼屋面和外墙进行维修改造",
        amount_wan=Decimal("35"),
    )
    for decision, order in ((good, [1, 2, 0]), (bad, [0, 1, 2])):
        decisions.decision_prepare(
            actor=clerk, decision=decision, kind="research", date=today - dt.timedelta(days=10), note="实地调研并论证"
        )
        decisions.decision_meeting(
            actor=clerk,
            decision=decision,
            meeting_kind=Decision.MeetingKind.PARTY,
            meeting_date=today - dt.timedelta(days=3),
            present=team,
            host=team[0],
        )
        for i in order:  # the good one: the secretary last; the bad one: the secretary first
            decisions.decision_opinion(actor=clerk, decision=decision, person=team[i], stance="agree")
        decisions.decision_conclude(actor=clerk, decision=decision, result="passed", text="同意")
