"""The demo bureau's 学习教育: a 支部书记 for each branch (the head of 财务股 joins the first branch and leads it), the
materials library (正面典型, 警示案例, 家风家教, a policy document), and this year's sessions: the first branch's
支委会 and 主题党日 each month and its 党员大会 and 党课 each quarter up to last month (the secretary lecturing once),
a few of the second branch's — so that the compliance page shows it red — the 中心组学习 and a 警示教育. Called by
`qingfeng demo` only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qingfeng.education import kinds, services
from qingfeng.education.models import Material
from qingfeng.org.demo import Cast
from qingfeng.org.models import Branch, Person

MATERIALS = [
    ("positive", "", "廖俊波同志先进事迹", "楷模,担当作为", "一心为民、鞠躬尽瘁的“樵夫书记”的先进事迹。"),
    (
        "negative",
        "integrity",
        "某县住建局原局长违规收受工程老板礼金案",
        "廉洁纪律,礼金,工程建设",
        "利用职务便利在工程验收中为他人谋利，收受礼金。",
    ),
    ("negative", "work", "某局干部慵懒散慢、推诿扯皮问责案", "工作纪律,作风建设", "办理群众诉求一拖再拖，被诫勉谈话。"),
    ("family", "", "清河县“廉洁家风”故事选编", "家风家教", "领导干部家属讲述身边的好家风。"),
    ("policy", "", "《中国共产党纪律处分条例》（2023年修订）", "党规党纪", "第五条：四种形态……"),
]


def exists(cast: Cast) -> bool:
    return Material.all_objects.filter(unit=cast.bureau, title=MATERIALS[0][2]).exists()


def _day(year: int, month: int, day: int = 15) -> dt.date:
    return dt.date(year, month, min(day, kinds.month_end(year, month).day))


@transaction.atomic
def extend(cast: Cast) -> None:
    clerk = cast.users["clerk"]
    today = timezone.localdate()
    branches = list(Branch.objects.filter(unit=cast.bureau).order_by("order", "pk"))
    head = cast.users["head"].person
    if head.branch_id is None:
        head.branch = branches[0]
        head.save(update_fields=["branch"])
    services.branch_secretary_set(actor=clerk, branch=branches[0], person=head)
    for branch in branches[1:]:
        lead = Person.objects.filter(branch=branch, is_party_member=True).order_by("order", "pk").first()
        if lead is not None:
            services.branch_secretary_set(actor=clerk, branch=branch, person=lead)
    made = [
        services.material_create(
            actor=clerk,
            unit=cast.bureau,
            data=services.MaterialData(kind=k, case_category=c, title=t, tags=tags, content=body),
        )
        for k, c, t, tags, body in MATERIALS
    ]
    secretary = cast.users["secretary"].person

    def record(kind: str, branch: Branch | None, day: dt.date, topic: str, absent: int = 0, **extra: object) -> None:
        people = list(services.roster(cast.bureau, kind, branch))
        data = services.SessionData(
            kind=kind,
            branch=branch,
            date=day,
            place="局机关三楼会议室",
            host=head if branch == branches[0] else people[0],
            recorder=people[-1],
            topic=topic,
            content=f"{topic}。集中学习有关文件精神，结合工作实际交流讨论。",
            summary="与会同志逐一发言，表示要学以致用。",
            hours=Decimal("2"),
            present=people[absent:],
            absence_reasons="\n".join(f"{p.name}：出差" for p in people[:absent]),
            materials=[made[(day.month + len(topic)) % len(made)]],
        )
        for key, value in extra.items():
            setattr(data, key, value)
        services.session_create(actor=clerk, unit=cast.bureau, data=data)

    last = today.month - 1 if today.month > 1 else 0
    for month in range(1, last + 1):
        record(
            "committee",
            branches[0],
            _day(today.year, month, 8),
            f"{month}月支委会：研究支部工作",
            absent=int(month % 3 == 0),
        )
        record("theme_day", branches[0], _day(today.year, month, 20), f"{month}月主题党日：重温入党誓词")
        record("center", None, _day(today.year, month, 12), f"{month}月中心组学习：学习党的创新理论")
        if month % 3 == 0:
            record("general", branches[0], _day(today.year, month, 25), f"第{month // 3}季度党员大会")
            record("lecture", branches[0], _day(today.year, month, 26), f"第{month // 3}季度党课", speaker=head)
    if last:
        record("lecture", branches[0], _day(today.year, 1, 28), "党组书记讲党课：全面从严治党", speaker=secretary)
        record("warning", None, _day(today.year, 1, 18), "警示教育：以案为鉴", materials=[made[1], made[2]])
    if len(branches) > 1:
        record("committee", branches[1], today, "支委会：部署近期工作", absent=1)
