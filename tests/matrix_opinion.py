"""The permission-matrix rows of the opinion module (see tests/permission_matrix.py, MODULES): its routes, the objects
they point at (built once per session with the cast) and the finders of those objects per scope.

The in-scope objects: an incident of 财务股 recorded by 杨丽娟 (staff; 李志强, the leader, is responsible for it as 财务股's
分管 leader), so every business role of the bureau sees it; a 回应口径 drafted by her, not yet approved; a rule of the
bureau; a monitoring import waiting for confirmation. They are written with the ORM, not the services, so that no
督办事项, notice or audit event of theirs changes what other modules' tests count. The 三员 see nothing (403), the
sibling bureau's head (outsider) and any role on the far bureau's objects get 404, staff cannot approve (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.permission_matrix import BUSINESS, Route

VIEW = BUSINESS | {"outsider"}
RECORD = BUSINESS - {"superior"} | {"outsider"}
MANAGE = frozenset({"secretary", "inspector", "clerk"})
APPROVE = frozenset({"secretary", "leader"})
MATRIX_TITLE = "矩阵测试：小区住宅漏水开裂"

ROUTES: list[Route] = [
    # --- opinion: incidents (an empty POST: the form again with its errors, 200; an action: a message, 302) ---
    Route("opinion:incident_list", "GET", VIEW),
    Route("opinion:dashboard", "GET", VIEW),
    Route("opinion:incident_new", "GET", RECORD),
    Route("opinion:incident_new", "POST", RECORD),
    Route("opinion:suggest", "POST", RECORD),
    Route("opinion:incident_detail", "GET", VIEW, obj="incident"),
    Route("opinion:incident_step", "POST", RECORD, ok=302, obj="incident"),
    Route("opinion:incident_attach", "POST", RECORD, ok=302, obj="incident"),
    Route("opinion:statement_new", "POST", RECORD, ok=302, obj="incident"),
    # --- opinion: 回应口径 (the matrix one is a draft of staff's: the leader and the secretary approve it, 302;
    # releasing it before approval is refused with a message, 302; staff may not approve, 403) ---
    Route("opinion:statement_edit", "POST", RECORD, ok=302, obj="statement"),
    Route("opinion:statement_approve", "POST", APPROVE, ok=302, obj="statement"),
    Route("opinion:statement_release", "POST", RECORD, ok=302, obj="statement"),
    # --- opinion: 研判规则 and 监测导入 (the office, the secretary, the 纪检组长) ---
    Route("opinion:rule_list", "GET", MANAGE),
    Route("opinion:rule_list", "POST", MANAGE),
    Route("opinion:rule_edit", "GET", MANAGE, obj="severityrule"),
    Route("opinion:rule_edit", "POST", MANAGE, obj="severityrule"),
    Route("opinion:import", "GET", MANAGE),
    Route("opinion:import", "POST", MANAGE),
    Route("opinion:import_preview", "GET", MANAGE, obj="monitorimport"),
    Route("opinion:import_confirm", "POST", MANAGE, ok=302, obj="monitorimport"),
    # --- opinion: API (an empty body: 400 with the Chinese message; approving staff's draft: 200) ---
    Route("api:opinion_incident_list_api", "GET", VIEW),
    Route("api:opinion_incident_detail_api", "GET", VIEW, obj="incident"),
    Route("api:opinion_incident_create_api", "POST", RECORD, ok=400),
    Route("api:opinion_incident_step_api", "POST", RECORD, ok=400, obj="incident"),
    Route("api:opinion_statement_create_api", "POST", RECORD, ok=400, obj="incident"),
    Route("api:opinion_statement_update_api", "POST", RECORD, ok=400, obj="statement"),
    Route("api:opinion_statement_approve_api", "POST", APPROVE, obj="statement"),
    Route("api:opinion_statement_release_api", "POST", RECORD, ok=400, obj="statement"),
    Route("api:opinion_suggest_api", "POST", RECORD, ok=400),
]


def build_objects(cast: Any, far: Any) -> None:
    """An incident with a draft 口径, a rule and an import preview in the demo bureau ("in") and in the far bureau
    ("out"; `far` is its head, also clerk there)."""
    from django.utils import timezone

    from qingfeng.opinion.models import IncidentStep, MonitorImport, OpinionIncident, ResponseStatement, SeverityRule

    now = timezone.now()
    staff = cast.users["staff"]
    worlds = [
        (cast.bureau, staff, cast.departments["财务股"], cast.users["leader"].person),
        (cast.far_bureau, far, far.person.department, None),
    ]
    for unit, recorder, department, leader in worlds:
        incident = OpinionIncident.objects.create(
            unit=unit,
            title=MATRIX_TITLE,
            content="矩阵测试：业主反映顶层漏水、墙体开裂。",
            source=OpinionIncident.Source.NETWORK,
            department=department,
            leader=leader,
            recorded_by=recorder,
            level=2,
            suggested_level=2,
            found_at=now,
        )
        IncidentStep.objects.create(incident=incident, unit=unit, step="found", at=now, actor=recorder)
        ResponseStatement.objects.create(incident=incident, unit=unit, text="矩阵测试：正在核查。", drafted_by=recorder)
        SeverityRule.objects.create(unit=unit, topic="矩阵测试主题", level=2, keywords="矩阵测试")
        row = {"row": 2, "title": "矩阵测试导入", "link": "", "site": "", "published": "", "summary": ""}
        MonitorImport.objects.create(
            unit=unit,
            file_name="矩阵测试.csv",
            rows=[row],
            preview={"counts": {"new": 1, "merged": 0, "refused": 0}, "rows": [{**row, "decision": "new"}]},
            uploaded_by=recorder,
        )


def finders(unit: Any, scope: str, own: str) -> dict[str, Callable[[], Any]]:
    from qingfeng.opinion.models import MonitorImport, OpinionIncident, ResponseStatement, SeverityRule

    return {
        "incident": lambda: OpinionIncident.objects.filter(unit=unit, title=MATRIX_TITLE).first(),
        "statement": lambda: ResponseStatement.objects.filter(unit=unit, incident__title=MATRIX_TITLE).first(),
        "severityrule": lambda: SeverityRule.objects.filter(unit=unit, topic="矩阵测试主题").first(),
        "monitorimport": lambda: MonitorImport.objects.filter(unit=unit, file_name="矩阵测试.csv").first(),
    }
