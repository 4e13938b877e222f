"""The permission-matrix rows of the education module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope.

The in-scope objects: the head (陈文斌) is made 支部书记 of 机关第一党支部, he and the staff member (杨丽娟) join it, and a
支委会 of that branch is recorded with the whole roster present; a 警示案例 in the library. Codes (org/roles.py):
view = every business role and the superior; record = the business roles of a unit, but only the secretary, the
纪检组长 and the clerk (education.manage) or a branch's 支部书记 (the head) may use the recording routes — the leader,
the staff member and the outsider get 403; manage = the secretary, the 纪检组长 and the clerk. A session is seen by the
whole-unit roles, the superior, the people on its roster (head, staff) and its branch's secretary; the leader gets 404.
The 三员 get 403 everywhere; the far bureau's objects are 404 to everyone who may use the route."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.permission_matrix import BUSINESS, Route

VIEW = BUSINESS | {"outsider"}
OWN = BUSINESS - {"superior"} | {"outsider"}  # a person of their own: my record
RECORDERS = frozenset({"secretary", "inspector", "clerk", "head"})
MANAGE = frozenset({"secretary", "inspector", "clerk"})
SEES_SESSION = frozenset({"secretary", "inspector", "clerk", "superior", "head", "staff"})
SEES_PERSON = frozenset({"secretary", "inspector", "clerk", "superior", "staff"})  # staff: their own record

ROUTES: list[Route] = [
    # --- education: pages (an empty POST: the form again with its errors, 200; an action: a message and back, 302) ---
    Route("education:dashboard", "GET", VIEW),
    Route("education:compliance", "GET", VIEW),
    Route("education:session_list", "GET", VIEW),
    Route("education:session_new", "GET", RECORDERS),
    Route("education:session_new", "POST", RECORDERS),
    Route("education:session_detail", "GET", VIEW, obj="edu_session", sees=SEES_SESSION),
    Route("education:session_edit", "GET", RECORDERS, obj="edu_session", sees=RECORDERS),
    Route("education:session_edit", "POST", RECORDERS, obj="edu_session", sees=RECORDERS),
    Route("education:session_makeup", "POST", RECORDERS, ok=302, obj="edu_session", sees=RECORDERS),
    Route(
        "education:session_photo", "POST", RECORDERS, ok=302, obj="edu_session", sees=RECORDERS
    ),  # no file: a message
    Route("education:branch_list", "GET", MANAGE),
    Route("education:branch_secretary", "POST", MANAGE, ok=302, obj="branch"),
    Route("education:material_list", "GET", VIEW),
    Route("education:material_new", "GET", MANAGE),
    Route("education:material_new", "POST", MANAGE),
    Route("education:material_detail", "GET", VIEW, obj="edu_material"),
    Route("education:my_record", "GET", OWN),
    Route("education:person_record", "GET", VIEW, obj="person", sees=SEES_PERSON),
    Route("education:ledger", "GET", VIEW),
    Route("education:record_book", "GET", RECORDERS),
    # --- education: API (an empty body: 400 with the Chinese message) ---
    Route("api:education_session_list_api", "GET", VIEW),
    Route("api:education_session_detail_api", "GET", VIEW, obj="edu_session", sees=SEES_SESSION),
    Route("api:education_session_create_api", "POST", RECORDERS, ok=400),
    Route("api:education_session_makeup_api", "POST", RECORDERS, ok=400, obj="edu_session", sees=RECORDERS),
    Route("api:education_material_list_api", "GET", VIEW),
    Route("api:education_material_detail_api", "GET", VIEW, obj="edu_material"),
    Route("api:education_material_create_api", "POST", MANAGE, ok=400),
]

MATRIX_TOPIC = "矩阵测试：支委会学习"
MATRIX_MATERIAL = "矩阵测试：警示案例"


def build_objects(cast: Any, far: Any) -> None:
    """In each bureau a 支委会 of its first branch with the whole roster present, and a 警示案例; in the bureau the
    head leads that branch (he and the staff member join it). `far` is the far bureau's head, also its clerk."""
    from qingfeng.education import services
    from qingfeng.org.models import Branch

    head, staff = cast.users["head"].person, cast.users["staff"].person
    branch = Branch.objects.filter(unit=cast.bureau).order_by("order", "pk").first()
    for person in (head, staff):
        person.branch = branch
        person.save(update_fields=["branch"])
    services.branch_secretary_set(actor=cast.users["clerk"], branch=branch, person=head)
    far_branch = Branch.objects.filter(unit=cast.far_bureau).order_by("order", "pk").first()
    for actor, unit, br, host in (
        (cast.users["clerk"], cast.bureau, branch, head),
        (far, cast.far_bureau, far_branch, None),
    ):
        people = list(services.roster(unit, "committee", br))
        services.session_create(
            actor=actor,
            unit=unit,
            data=services.SessionData(
                kind="committee",
                branch=br,
                date=dt.date.today(),
                place="会议室",
                host=host or people[0],
                topic=MATRIX_TOPIC,
                content="学习支部工作条例",
                hours=Decimal("1.5"),
                present=people,
            ),
        )
        services.material_create(
            actor=actor,
            unit=unit,
            data=services.MaterialData(
                kind="negative", title=MATRIX_MATERIAL, case_category="integrity", content="案情"
            ),
        )


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    from qingfeng.education.models import Material, StudySession

    return {
        "edu_session": lambda: StudySession.objects.filter(unit=unit, topic=MATRIX_TOPIC).first(),
        "edu_material": lambda: Material.objects.filter(unit=unit, title=MATRIX_MATERIAL).first(),
    }
