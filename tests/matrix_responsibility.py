"""The permission-matrix rows of the responsibility module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope.

Codes (org/roles.py): view = every business role + superior (+ outsider, a head elsewhere); manage = secretary,
clerk; inspect = inspector (纪检监督责任清单 only); talk = secretary, leader, inspector, clerk; sign = secretary,
leader, inspector, head. The in-scope objects: a published 党组主体责任清单 whose one item is held by 李志强 (the
leader); 李志强's 责任书 and 述责述廉; a 廉政谈话 李志强 → 陈文斌 (the head); a saved talk rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.permission_matrix import BUSINESS, LOGGED_IN, Route

WRITERS = frozenset({"secretary", "clerk", "inspector"})  # manage or inspect: may write some list
MANAGE = frozenset({"secretary", "clerk"})
TALKERS = frozenset({"secretary", "leader", "inspector", "clerk"})
SIGNERS = frozenset({"secretary", "leader", "inspector", "clerk", "head"}) | {"outsider"}
VIEWERS = BUSINESS | {"outsider"}
LEADER_SEES = frozenset({"secretary", "inspector", "clerk", "superior", "leader"})
# 两个责任看板: the secretary, the 班子成员, the 纪检组长, the office and the superior; 以身作则: the same but the office.
DASHBOARD = frozenset({"secretary", "leader", "inspector", "clerk", "superior"})
EXAMPLE = frozenset({"secretary", "leader", "inspector", "superior"})
# The in-scope list is a 党组主体责任清单: the 纪检组长 (inspect only) may open the write routes but is refused.
WRITE_OK_POST = {"secretary": 302, "clerk": 302, "inspector": 403}
WRITE_OK_API = {"secretary": 400, "clerk": 400, "inspector": 403}

ROUTES: list[Route] = [
    # --- responsibility: 责任清单 ---
    Route("responsibility:list_index", "GET", VIEWERS),
    Route("responsibility:list_new", "POST", WRITERS, ok=302),  # empty: message, back to the lists
    Route("responsibility:lists_copy", "POST", MANAGE, ok=302),
    Route("responsibility:list_detail", "GET", VIEWERS, obj="rlist", sees=BUSINESS),
    Route("responsibility:list_export", "GET", VIEWERS, obj="rlist", sees=BUSINESS),
    # a head (or anyone without manage/inspect) cannot edit lists: 403 in and out of scope
    Route("responsibility:item_new", "POST", WRITERS, ok=WRITE_OK_POST, obj="rlist"),
    Route("responsibility:list_publish", "POST", WRITERS, ok=WRITE_OK_POST, obj="rlist"),
    Route(
        "responsibility:list_import", "GET", WRITERS, ok={**WRITE_OK_POST, "secretary": 200, "clerk": 200}, obj="rlist"
    ),
    Route(
        "responsibility:list_import", "POST", WRITERS, ok={**WRITE_OK_POST, "secretary": 200, "clerk": 200}, obj="rlist"
    ),
    Route(
        "responsibility:item_edit", "GET", WRITERS, ok={**WRITE_OK_POST, "secretary": 200, "clerk": 200}, obj="ritem"
    ),
    Route(
        "responsibility:item_edit", "POST", WRITERS, ok={**WRITE_OK_POST, "secretary": 200, "clerk": 200}, obj="ritem"
    ),
    Route("responsibility:item_delete", "POST", WRITERS, ok=WRITE_OK_POST, obj="ritem"),
    # --- responsibility: 责任书 (the in-scope letter is 李志强's) ---
    Route("responsibility:letter_list", "GET", VIEWERS),
    Route("responsibility:letters_prepare", "POST", MANAGE, ok=302),
    Route("responsibility:letter_docx", "GET", VIEWERS, obj="letter", sees=LEADER_SEES),
    Route("responsibility:letter_sign", "POST", SIGNERS, ok=302, obj="letter", sees=LEADER_SEES - {"superior"}),
    # --- responsibility: 谈话 (李志强 → 陈文斌) ---
    Route("responsibility:talk_list", "GET", VIEWERS),
    Route("responsibility:talk_new", "GET", TALKERS),
    Route("responsibility:talk_new", "POST", TALKERS),  # empty: errors, 200
    Route("responsibility:talk_detail", "GET", VIEWERS, obj="talk", sees=LEADER_SEES | {"head"}),
    Route("responsibility:talk_follow_up", "POST", TALKERS, ok=302, obj="talk"),
    Route("responsibility:compliance", "GET", TALKERS),
    Route("responsibility:rules", "GET", MANAGE),
    Route("responsibility:rules", "POST", MANAGE),  # empty: errors, 200
    Route("responsibility:rule_disable", "POST", MANAGE, ok=302, obj="talkrule"),
    # --- responsibility: 述责述廉 (李志强's report) ---
    Route("responsibility:report_list", "GET", VIEWERS),
    Route("responsibility:report_export", "GET", VIEWERS),
    Route("responsibility:reports_assign", "POST", MANAGE, ok=302),
    Route("responsibility:report_detail", "GET", VIEWERS, obj="dutyreport", sees=LEADER_SEES),
    # POST: the leader (own) and the office submit (empty: errors, 200); the 纪检组长 and the superior only read
    Route(
        "responsibility:report_detail",
        "POST",
        VIEWERS,
        ok={r: 403 if r in {"inspector", "superior"} else 200 for r in VIEWERS},
        obj="dutyreport",
        sees=LEADER_SEES,
    ),
    Route("responsibility:report_score", "POST", MANAGE, ok=302, obj="dutyreport"),
    # --- responsibility: 两个责任看板 and 以身作则 (李志强's page; the far bureau's leader is out of scope) ---
    Route("responsibility:dashboard", "GET", DASHBOARD),
    Route("responsibility:example", "GET", EXAMPLE, obj="leaderperson"),
    Route("responsibility:example_mine", "GET", EXAMPLE, ok=302),
    # --- responsibility: API ---
    Route("api:resp_list_api", "GET", LOGGED_IN),
    Route("api:resp_items_api", "GET", LOGGED_IN, obj="rlist", sees=BUSINESS),
    Route("api:talk_list_api", "GET", LOGGED_IN),
    # an empty body: 400 for those who record talks, 403 for everyone else (the 三员 included)
    Route("api:talk_create_api", "POST", LOGGED_IN, ok={r: 400 if r in TALKERS else 403 for r in LOGGED_IN}),
    # Writes of items, as the pages: those who may never write a list get 403 in and out of scope (the 三员, the
    # heads, the superior); the 纪检组长 may write only a 纪检监督责任清单 (403 on this one). An empty body is 400 (a
    # required field), and so is editing or deleting an item of the in-scope list, which is published.
    Route("api:resp_item_create_api", "POST", WRITERS, ok=WRITE_OK_API, obj="rlist"),
    Route("api:resp_item_update_api", "POST", WRITERS, ok=WRITE_OK_API, obj="ritem"),
    Route("api:resp_item_delete_api", "POST", WRITERS, ok=WRITE_OK_API, obj="ritem"),
    # 责任书: read by whoever reads the pages (not the 三员: 403); the scan without a file is 400 for 李志强 and the
    # office, 403 for the 纪检组长 (not theirs to sign), 404 for a head (not theirs to see)
    Route("api:resp_letter_list_api", "GET", VIEWERS),
    Route("api:resp_letter_docx_api", "GET", VIEWERS, obj="letter", sees=LEADER_SEES),
    Route(
        "api:resp_letter_sign_api",
        "POST",
        SIGNERS,
        ok={r: 403 if r == "inspector" else 400 for r in SIGNERS},
        obj="letter",
        sees=LEADER_SEES - {"superior"},
    ),
    # 述责述廉: the empty report is 400 for 李志强 and the office, 403 for the 纪检组长 and the superior (who only
    # read it); the 民主测评 is the office's alone (a head, a leader, the 三员: 403), an empty one 400
    Route("api:resp_report_list_api", "GET", VIEWERS),
    Route("api:resp_report_summary_api", "GET", VIEWERS),
    Route(
        "api:resp_report_submit_api",
        "POST",
        VIEWERS,
        ok={r: 403 if r in {"inspector", "superior"} else 400 for r in VIEWERS},
        obj="dutyreport",
        sees=LEADER_SEES,
    ),
    Route("api:resp_report_score_api", "POST", MANAGE, ok=400, obj="dutyreport"),
]


def build_objects(cast: Any, far: Any) -> None:
    """In each bureau: a published list with one item held by a leader (assigned as a task), the year's 责任书
    and 述责述廉 rows, one talk and one saved talk rule."""
    from qingfeng.org.models import Person
    from qingfeng.responsibility.services import letters, lists, talks
    from qingfeng.supervision.models import Task

    today = dt.date.today()
    far_leader = Person.objects.filter(unit=cast.far_bureau, is_leadership=True).first()
    worlds = [
        (cast.users["clerk"], cast.bureau, cast.users["leader"].person, cast.users["head"].person),
        (far, cast.far_bureau, far_leader, far.person),
    ]
    for actor, unit, leader, talkee in worlds:
        rlist = lists.list_create(actor=actor, unit=unit, year=today.year, kind="party_group")
        lists.item_add(
            actor=actor,
            rlist=rlist,
            data=lists.ItemData(
                content="矩阵测试：落实一岗双责", owner_person=leader, deadline=today + dt.timedelta(days=30)
            ),
        )
        lists.list_publish(actor=actor, rlist=rlist)
        # The supervision tests put the matrix's tasks out of sight by this title prefix (their conftest).
        Task.objects.filter(responsibility_item__rlist=rlist).update(title="【矩阵测试】落实一岗双责")
        letters.letters_prepare(actor=actor, unit=unit, year=today.year)
        letters.reports_assign(actor=actor, unit=unit, year=today.year, due=today + dt.timedelta(days=30))
        talks.talk_create(
            actor=actor,
            unit=unit,
            kind="integrity",
            talker=leader,
            talkee=talkee,
            date=today,
            place="会议室",
            summary="矩阵测试谈话",
        )
        talks.rule_add(actor=actor, unit=unit, relation="sec_heads", kind="", minimum=1, period="year")


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    from qingfeng.org.models import Person
    from qingfeng.responsibility.models import (
        DutyReport,
        Letter,
        ResponsibilityItem,
        ResponsibilityList,
        Talk,
        TalkRule,
    )

    def leader() -> Any:
        if scope == "in":
            return Person.objects.get(unit=unit, employee_no="QHZJL02")
        return Person.objects.filter(unit=unit, is_leadership=True).first()

    return {
        "rlist": lambda: ResponsibilityList.objects.filter(unit=unit, status="published").first(),
        "ritem": lambda: ResponsibilityItem.objects.filter(unit=unit, content="矩阵测试：落实一岗双责").first(),
        "letter": lambda: Letter.objects.filter(unit=unit, signer=leader()).first(),
        "talk": lambda: Talk.objects.filter(unit=unit, summary="矩阵测试谈话").first(),
        "talkrule": lambda: TalkRule.objects.filter(unit=unit, active=True).first(),
        "dutyreport": lambda: DutyReport.objects.filter(unit=unit, leader=leader()).first(),
        "leaderperson": leader,
    }
