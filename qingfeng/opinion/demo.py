"""The demo bureau's 舆情处置: a rule of its own beside the general ones (migration 0002), and three incidents at
different steps — one 复盘 done, one answered with a released 口径, one whose 核实 limit has passed (overdue). Called
by `qingfeng demo` only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qingfeng.opinion.models import Level, OpinionIncident, Step
from qingfeng.opinion.services import incidents, rules, statements
from qingfeng.org.demo import Cast

FIRST = "工地塔吊倒塌致一人受伤"


def exists(cast: Cast) -> bool:
    return OpinionIncident.all_objects.filter(unit=cast.bureau, title=FIRST).exists()


def _steps(cast: Cast, incident: OpinionIncident, rows: list[tuple[str, dt.datetime, str, str]]) -> None:
    for step, at, username, note in rows:
        incidents.incident_step(actor=cast.users[username], incident=incident, step=step, at=at, note=note)


@transaction.atomic
def extend(cast: Cast) -> None:
    now = timezone.now()
    rules.rule_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        data=rules.RuleData(topic="燃气安全", level=Level.MAJOR, keywords="燃气泄漏、闪爆、燃气爆炸、液化气"),
    )

    def record(
        title: str, content: str, hours_ago: float, department: str, source: str, **kw: object
    ) -> OpinionIncident:
        return incidents.incident_create(
            actor=cast.users["staff"],
            unit=cast.bureau,
            data=incidents.IncidentData(
                title=title,
                content=content,
                source=source,
                found_at=now - dt.timedelta(hours=hours_ago),
                department=cast.departments[department],
                link="https://news.example.cn/qinghe/" + str(int(hours_ago)),
                **kw,  # type: ignore[arg-type]
            ),
        )

    # 1. 重大, handled and reviewed
    t0 = now - dt.timedelta(days=12)
    tower = record(
        FIRST, "某在建项目工地塔吊倒塌，一名工人受伤送医，现场视频在网上传播。", 12 * 24, "质量安全股", "media"
    )
    _steps(
        cast,
        tower,
        [
            (Step.REPORTED, t0 + dt.timedelta(minutes=35), "staff", "电话报告周立新副局长"),
            (Step.VERIFIED, t0 + dt.timedelta(hours=2), "head", "现场核实：塔吊倒塌属实，一人轻伤，无人员死亡"),
            (Step.ASSESSED, t0 + dt.timedelta(hours=3), "leader", "研判为重大舆情，启动应急发布"),
            (Step.RESPONDED, t0 + dt.timedelta(hours=4, minutes=30), "clerk", "局官方微博发布情况通报"),
            (Step.PRESS, t0 + dt.timedelta(hours=20), "clerk", "召开新闻发布会通报事故调查进展"),
            (Step.HANDLED, t0 + dt.timedelta(days=6), "head", "责令停工整改，对施工单位立案调查"),
            (Step.REVIEWED, t0 + dt.timedelta(days=9), "clerk", "复盘：首次回应在5小时内，发布会在24小时内"),
        ],
    )
    # 2. 较大, answered with an approved and released 口径
    t1 = now - dt.timedelta(hours=30)
    leak = record(
        "某小区业主反映新建住宅楼漏水开裂",
        "网友发帖称小区多栋住宅墙体开裂、顶层漏水，开发商拖欠维修，业主多次投诉无果。",
        30,
        "建筑管理股",
        "network",
    )
    _steps(
        cast,
        leak,
        [
            (Step.REPORTED, t1 + dt.timedelta(minutes=40), "staff", "报告赵春生副局长"),
            (Step.VERIFIED, t1 + dt.timedelta(hours=5), "staff", "现场查看：3栋顶层渗漏属实"),
            (Step.ASSESSED, t1 + dt.timedelta(hours=8), "clerk", "较大舆情，由建筑管理股牵头处置"),
        ],
    )
    draft = statements.statement_draft(
        actor=cast.users["clerk"],
        incident=leak,
        title="首次回应",
        text="我局已关注到网民反映的情况，已责成开发企业于本周内完成维修，并将持续跟踪。",
    )
    statements.statement_approve(actor=cast.users["secretary"], statement=draft)
    statements.statement_release(actor=cast.users["clerk"], statement=draft, channel="局门户网站")
    _steps(cast, leak, [(Step.RESPONDED, t1 + dt.timedelta(hours=20), "clerk", "门户网站发布回应")])
    # 3. 一般, reported but not verified: its 核实 limit (12 hours) has passed
    dust = record(
        "城区道路施工扬尘扰民",
        "市民反映城区主干道施工未采取降尘措施，扬尘和噪音严重影响周边居民生活。",
        20,
        "城建股",
        "hotline",
    )
    _steps(cast, dust, [(Step.REPORTED, now - dt.timedelta(hours=19, minutes=20), "staff", "报告带班领导")])
