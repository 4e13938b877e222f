"""The permission-matrix rows of the ideology module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope.

The in-scope objects: 财务股's 财政预决算公开 column (责任人 杨丽娟 the staff member, 审核人 刘海燕 the clerk), a draft on it
by 杨丽娟 waiting for 初审, and a 专题研究 meeting attended by the secretary and the leader. Codes (org/roles.py):
view = every business role and the superior; edit = the business roles of a unit (not the superior); review (复审)
= the heads; approve (终审) = the secretary and the leaders; manage = the secretary and the clerk. The 三员 get 403
everywhere; the far bureau's objects are 404 to everyone who may use the route."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.permission_matrix import BUSINESS, Route

VIEW = BUSINESS | {"outsider"}
EDIT = BUSINESS - {"superior"} | {"outsider"}
MANAGE = frozenset({"secretary", "clerk"})
REVIEW = frozenset({"head", "outsider"})  # 复审: the heads (the outsider is one, in the sibling bureau)
APPROVE = frozenset({"secretary", "leader"})  # 终审: staff, the head, the clerk get 403
# The meeting: the whole-unit roles, the superior and its participants (the secretary, the leader).
SEES_MEETING = frozenset({"secretary", "inspector", "clerk", "superior", "leader"})

ROUTES: list[Route] = [
    # --- ideology: pages (an empty POST: the form again with its errors, 200; an action: a message and back, 302) ---
    Route("ideology:dashboard", "GET", VIEW),
    Route("ideology:report", "GET", MANAGE),  # the current half-year's 意识形态工作情况报告 (.docx)
    Route("ideology:position_list", "GET", VIEW),
    Route("ideology:position_new", "GET", MANAGE),
    Route("ideology:position_new", "POST", MANAGE),
    Route("ideology:position_detail", "GET", VIEW, obj="ideo_position"),
    Route("ideology:position_edit", "GET", MANAGE, obj="ideo_position"),
    Route("ideology:position_edit", "POST", MANAGE, obj="ideo_position"),
    Route("ideology:position_delete", "POST", MANAGE, ok=302, obj="ideo_position"),  # no reason: nothing deleted
    Route("ideology:publication_list", "GET", VIEW),
    Route("ideology:publication_new", "GET", EDIT),
    Route("ideology:publication_new", "POST", EDIT),
    Route("ideology:publication_detail", "GET", VIEW, obj="ideo_publication"),
    # the draft waits for 初审: an empty review, proof or resubmission is a message; 发布 is refused with its reason
    Route("ideology:publication_review", "POST", EDIT, ok=302, obj="ideo_publication"),
    Route("ideology:publication_proof", "POST", EDIT, ok=302, obj="ideo_publication"),
    Route("ideology:publication_publish", "POST", EDIT, ok=302, obj="ideo_publication"),
    Route("ideology:publication_resubmit", "POST", EDIT, ok=302, obj="ideo_publication"),
    Route("ideology:meeting_list", "GET", VIEW),
    Route("ideology:meeting_new", "GET", MANAGE),
    Route("ideology:meeting_new", "POST", MANAGE),
    Route("ideology:meeting_detail", "GET", VIEW, obj="ideo_meeting", sees=SEES_MEETING),
    Route("ideology:meeting_task", "POST", MANAGE, ok=302, obj="ideo_meeting"),
    # --- ideology: API (an empty body: 400 with the Chinese message; an empty update changes nothing: 200) ---
    Route("api:ideology_position_list_api", "GET", VIEW),
    Route("api:ideology_position_detail_api", "GET", VIEW, obj="ideo_position"),
    Route("api:ideology_position_create_api", "POST", MANAGE, ok=400),
    Route("api:ideology_position_update_api", "POST", MANAGE, obj="ideo_position"),
    Route("api:ideology_publication_list_api", "GET", VIEW),
    Route("api:ideology_publication_detail_api", "GET", VIEW, obj="ideo_publication"),
    Route("api:ideology_publication_create_api", "POST", EDIT, ok=400),
    Route("api:ideology_first_review_api", "POST", EDIT, ok=400, obj="ideo_publication"),
    Route("api:ideology_second_review_api", "POST", REVIEW, ok=400, obj="ideo_publication"),
    Route("api:ideology_final_review_api", "POST", APPROVE, ok=400, obj="ideo_publication"),
    Route("api:ideology_proof_api", "POST", EDIT, ok=400, obj="ideo_publication"),
    # not yet reviewed: 400 for its author (尚未完成三审) and for the others (not theirs to publish) alike
    Route("api:ideology_publication_publish_api", "POST", EDIT, ok=400, obj="ideo_publication"),
    Route("api:ideology_meeting_list_api", "GET", VIEW),
    Route("api:ideology_meeting_detail_api", "GET", VIEW, obj="ideo_meeting", sees=SEES_MEETING),
    Route("api:ideology_meeting_create_api", "POST", MANAGE, ok=400),
]

MATRIX_POSITION = "矩阵测试：财政预决算公开"
MATRIX_TOPICS = "矩阵测试：专题研究意识形态工作"


def build_objects(cast: Any, far: Any) -> None:
    """In each bureau a position, a draft on it waiting for 初审 and a 专题研究 meeting; `far` is the far bureau's
    head account (also its clerk: it keeps that bureau's register)."""
    from qingfeng.ideology.services import meetings, positions, publications
    from qingfeng.org.models import Person

    far_leader = Person.objects.filter(unit=cast.far_bureau, is_leadership=True).first() or far.person
    worlds = [
        (
            cast.users["clerk"],
            cast.users["staff"],
            cast.bureau,
            cast.departments["财务股"],
            cast.users["staff"].person,
            cast.users["clerk"].person,
            [cast.users["secretary"].person, cast.users["leader"].person],
        ),
        (far, far, cast.far_bureau, far.person.department, far.person, far.person, [far_leader]),
    ]
    for manager, author, unit, dept, responsible, reviewer, participants in worlds:
        position = positions.position_create(
            actor=manager,
            unit=unit,
            data=positions.PositionData(
                name=MATRIX_POSITION,
                kind="portal",
                department=dept,
                responsible_person=responsible,
                reviewer=reviewer,
            ),
        )
        publications.publication_create(actor=author, position=position, title="矩阵测试：预算公开", body="正文")
        meetings.meeting_create(
            actor=manager,
            unit=unit,
            kind="study",
            date=dt.date.today(),
            topics=MATRIX_TOPICS,
            conclusions="落实三审三校",
            participants=participants,
        )


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    from qingfeng.ideology.models import Meeting, Position, Publication

    return {
        "ideo_position": lambda: Position.objects.filter(unit=unit, name=MATRIX_POSITION).first(),
        "ideo_publication": lambda: Publication.objects.filter(unit=unit, position__name=MATRIX_POSITION).first(),
        "ideo_meeting": lambda: Meeting.objects.filter(unit=unit, topics=MATRIX_TOPICS).first(),
    }
