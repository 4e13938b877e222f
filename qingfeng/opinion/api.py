"""舆情处置 for other systems: incidents (list, detail with steps, clocks and 口径; record one), each step, the 回应口径
(draft, edit, approve, release) and the severity suggestion for a text.

The pages' selectors, services, forms and visibility: a route the role may not use → 403; an object outside the
user's scope → 404 (decided before the body is read); a broken rule or a bad field → 400 with the Chinese message.
Writes take a JSON object or form fields (an incident's screenshot as a multipart file "screenshot")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core.errors import UserError
from qingfeng.core.request_body import json_or_form, valid_data
from qingfeng.opinion import selectors
from qingfeng.opinion.forms import IncidentForm, ReleaseForm, StatementEditForm, StatementForm, StepForm, SuggestForm
from qingfeng.opinion.models import OpinionIncident, ResponseStatement
from qingfeng.opinion.services import incidents, severity, statements
from qingfeng.org import access

router = Router(tags=["舆情处置"])
VIEW, RECORD = "opinion.view", "opinion.record"


class IncidentOut(Schema):
    id: int
    unit_id: int
    title: str
    content: str
    source: str
    source_display: str
    link: str
    found_at: dt.datetime
    level: int
    level_display: str
    suggested_level: int | None
    suggested_rule: str | None
    suggested_words: str
    department: str | None
    leader: str | None
    recorded_by: str
    step: str
    step_display: str
    reported_at: dt.datetime | None
    verified_at: dt.datetime | None
    assessed_at: dt.datetime | None
    responded_at: dt.datetime | None
    handled_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    press_at: dt.datetime | None
    mentions: int
    task_number: str | None

    @staticmethod
    def resolve_source_display(obj: OpinionIncident) -> str:
        return obj.get_source_display()

    @staticmethod
    def resolve_level_display(obj: OpinionIncident) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_step_display(obj: OpinionIncident) -> str:
        return obj.get_step_display()

    @staticmethod
    def resolve_suggested_rule(obj: OpinionIncident) -> str | None:
        return obj.suggested_rule.topic if obj.suggested_rule_id else None

    @staticmethod
    def resolve_department(obj: OpinionIncident) -> str | None:
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_leader(obj: OpinionIncident) -> str | None:
        return obj.leader.name if obj.leader_id else None

    @staticmethod
    def resolve_recorded_by(obj: OpinionIncident) -> str:
        return str(obj.recorded_by)

    @staticmethod
    def resolve_task_number(obj: OpinionIncident) -> str | None:
        return obj.task.number if obj.task_id else None


class StepOut(Schema):
    step: str
    step_display: str
    at: dt.datetime
    note: str
    actor: str


class ClockOut(Schema):
    step: str
    label: str
    limit: str
    due_at: dt.datetime
    done_at: dt.datetime | None
    state: str
    text: str


class StatementOut(Schema):
    id: int
    incident_id: int
    title: str
    text: str
    status: str
    status_display: str
    drafted_by: str
    approved_text: str
    approved_by: str | None
    approved_at: dt.datetime | None
    released_at: dt.datetime | None
    channel: str

    @staticmethod
    def resolve_status_display(obj: ResponseStatement) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_drafted_by(obj: ResponseStatement) -> str:
        return str(obj.drafted_by)

    @staticmethod
    def resolve_approved_by(obj: ResponseStatement) -> str | None:
        return str(obj.approved_by) if obj.approved_by_id else None


class IncidentDetailOut(IncidentOut):
    steps: list[StepOut]
    clocks: list[ClockOut]
    statements: list[StatementOut]


class SuggestionOut(Schema):
    level: int
    level_display: str
    rule_id: int | None
    topic: str
    words: list[str]
    explanation: str


LIST_RELATED = ("department", "leader", "recorded_by", "suggested_rule", "task")


class _Detail:
    """An incident with its steps, clocks and 口径 under the names of IncidentDetailOut (the model's own `steps` and
    `statements` are its related managers)."""

    def __init__(self, incident: OpinionIncident) -> None:
        self._incident = incident
        self.steps = [
            {"step": s.step, "step_display": s.get_step_display(), "at": s.at, "note": s.note, "actor": str(s.actor)}
            for s in selectors.steps_of(incident)
        ]
        self.clocks = [
            {k: c[k] for k in ("step", "label", "limit", "due_at", "done_at", "state", "text")}
            for c in selectors.timeline_clocks(incident)
        ]
        self.statements = selectors.statements_of(incident)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._incident, name)


def _detail(incident: OpinionIncident) -> _Detail:
    return _Detail(OpinionIncident.objects.select_related(*LIST_RELATED).get(pk=incident.pk))


@router.get("/incidents", response=list[IncidentOut], url_name="opinion_incident_list_api")
@paginate(PageNumberPagination, page_size=50)
def incident_list(
    request: HttpRequest, level: str = "", status: str = "", step: str = "", month: str = "", q: str = ""
):  # type: ignore[no-untyped-def]
    """level: 1-4 (一般 … 特别重大); status: open | closed; step: found … reviewed; month: 2026-11; q: words."""
    access.require(request.user, VIEW)
    filters = selectors.IncidentFilters.from_query(
        {"level": level[:2], "status": status[:10], "step": step[:10], "month": month[:7], "q": q[:50]}
    )
    return selectors.incidents(request.user, filters).select_related(*LIST_RELATED)


@router.get("/incidents/{int:pk}", response=IncidentDetailOut, url_name="opinion_incident_detail_api")
def incident_detail(request: HttpRequest, pk: int) -> _Detail:
    access.require(request.user, VIEW)
    return _detail(selectors.incident_for(request.user, pk))


@router.post("/incidents", response={201: IncidentDetailOut}, url_name="opinion_incident_create_api")
def incident_create(request: HttpRequest) -> Status:
    """JSON or form fields: {"title", "source": network|media|petition|hotline|superior, "found_at": "2026-11-21
    21:40" (not in the future), "link", "content", "department": 科室 id, "level": 1-4 (left out: the suggestion)};
    multipart with a "screenshot" file (PNG, JPG or PDF). In the unit where the user is on duty."""
    access.require(request.user, RECORD)
    unit = incidents.recording_unit(request.user)
    form = IncidentForm(json_or_form(request, as_fields=True), request.FILES or None, unit=unit)
    data = dict(valid_data(form))
    screenshot = data.pop("screenshot")
    incident = incidents.incident_create(
        actor=request.user, unit=unit, data=incidents.IncidentData(**data), screenshot=screenshot
    )
    return Status(201, _detail(incident))


@router.post("/incidents/{int:pk}/steps", response={201: IncidentDetailOut}, url_name="opinion_incident_step_api")
def incident_step(request: HttpRequest, pk: int) -> Status:
    """JSON: {"step": reported|verified|assessed|responded|handled|reviewed|press, "at": "2026-11-21 22:10", "note",
    "department": 科室 id (when none yet), "level": 1-4 (at 研判 only)}. In order, not before the previous step."""
    access.require(request.user, RECORD)
    incident = selectors.incident_for(request.user, pk, write=True)
    data = valid_data(StepForm(json_or_form(request, as_fields=True), incident=incident))
    incidents.incident_step(
        actor=request.user,
        incident=incident,
        step=data["step"],
        at=data["at"],
        note=data["note"],
        department=data.get("department"),
        level=data.get("level"),
    )
    return Status(201, _detail(incident))


def _statement_out(statement: ResponseStatement) -> ResponseStatement:
    return ResponseStatement.objects.select_related("drafted_by", "approved_by").get(pk=statement.pk)


@router.post("/incidents/{int:pk}/statements", response={201: StatementOut}, url_name="opinion_statement_create_api")
def statement_create(request: HttpRequest, pk: int) -> Status:
    """起草口径. JSON: {"title" (default 回应口径), "text"}; the responsible leader is asked to approve it."""
    access.require(request.user, RECORD)
    incident = selectors.incident_for(request.user, pk, write=True)
    data = valid_data(StatementForm(json_or_form(request, as_fields=True)))
    return Status(201, _statement_out(statements.statement_draft(actor=request.user, incident=incident, **data)))


@router.post("/statements/{int:pk}/update", response=StatementOut, url_name="opinion_statement_update_api")
def statement_update(request: HttpRequest, pk: int) -> ResponseStatement:
    """JSON: {"text"}. Until released; the approved text (if any) does not change."""
    access.require(request.user, RECORD)
    statement = selectors.statement_for(request.user, pk, write=True)
    data = valid_data(StatementEditForm(json_or_form(request, as_fields=True)))
    return _statement_out(statements.statement_update(actor=request.user, statement=statement, **data))


@router.post("/statements/{int:pk}/approve", response=StatementOut, url_name="opinion_statement_approve_api")
def statement_approve(request: HttpRequest, pk: int) -> ResponseStatement:
    """审批: the incident's responsible leader or the secretary, not the drafter; stores the text as approved."""
    access.require(request.user, statements.APPROVE)
    statement = selectors.statement_for(request.user, pk)
    return _statement_out(statements.statement_approve(actor=request.user, statement=statement))


@router.post("/statements/{int:pk}/release", response=StatementOut, url_name="opinion_statement_release_api")
def statement_release(request: HttpRequest, pk: int) -> ResponseStatement:
    """发布 the approved text. JSON: {"channel": "官方微博"} (optional); refused before approval."""
    access.require(request.user, RECORD)
    statement = selectors.statement_for(request.user, pk, write=True)
    data = valid_data(ReleaseForm(json_or_form(request, as_fields=True)))
    return _statement_out(statements.statement_release(actor=request.user, statement=statement, **data))


@router.post("/severity/suggest", response=SuggestionOut, url_name="opinion_suggest_api")
def suggest(request: HttpRequest) -> dict[str, Any]:
    """JSON: {"title", "content"}: the level the rules of the user's unit suggest, the rule that fired and its words."""
    access.require(request.user, RECORD)
    data = valid_data(SuggestForm(json_or_form(request, as_fields=True)))
    if not (data["title"] or data["content"]):
        raise UserError("请提供标题或内容", field="title")
    unit = incidents.recording_unit(request.user)
    s = severity.suggest(unit_id=unit.pk if unit else None, **data)
    return {
        "level": s.level,
        "level_display": s.level_display,
        "rule_id": s.rule_id,
        "topic": s.topic,
        "words": s.words,
        "explanation": s.explanation,
    }
