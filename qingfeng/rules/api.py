"""制度 and 三重一大 for other systems: rules and their versions (list, detail with versions, register, a new version,
the diff between two versions), 废改立 proposals (list, detail with steps and comments, propose, the next step, a
comment) and 三重一大 decisions (list, detail with attendance, opinions and the checker's findings, register, a
调研论证/征求意见 record, the meeting, an opinion, the decision).

Same forms, services and visibility as the pages: a route the role may not use → 403 (党组审议 without
rules.decide too); an object outside the user's scope → 404 (decided before the body is read); a broken rule or a
bad field → 400 with the Chinese message. Writes take a JSON object or form fields (a rule's .docx as a multipart
`upload`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qingfeng.core.errors import UserError
from qingfeng.core.request_body import json_or_form, valid_data
from qingfeng.org import access
from qingfeng.rules import selectors, views
from qingfeng.rules.forms import (
    CommentForm,
    ConcludeForm,
    DecisionForm,
    MeetingForm,
    OpinionForm,
    PreparationForm,
    ProposalForm,
    ReviseForm,
    RuleForm,
    StepForm,
)
from qingfeng.rules.models import Decision, Proposal, Rule
from qingfeng.rules.services import decisions as decision_services
from qingfeng.rules.services import proposals as proposal_services
from qingfeng.rules.services import registry

router = Router(tags=["制度与三重一大"])
VIEW, MANAGE, COMMENT = "rules.view", "rules.manage", "rules.comment"


# --- rules -----------------------------------------------------------------------------------------------------


class RuleOut(Schema):
    id: int
    unit_id: int
    title: str
    number: str
    department_id: int
    department: str
    effective_date: dt.date
    status: str
    status_display: str
    version: int
    review_date: dt.date | None

    @staticmethod
    def resolve_department(obj: Rule) -> str:
        return obj.department.name

    @staticmethod
    def resolve_status_display(obj: Rule) -> str:
        return obj.get_status_display()


class VersionOut(Schema):
    number: int
    effective_date: dt.date
    change_note: str
    text: str


class RuleDetailOut(RuleOut):
    text: str
    repealed_on: dt.date | None
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj: Rule) -> list:
        return list(obj.versions.order_by("number"))


class DiffRowOut(Schema):
    tag: str
    left: str
    right: str
    left_no: int | None
    right_no: int | None


class DiffOut(Schema):
    a: int
    b: int
    summary: str
    rows: list[DiffRowOut]


def _rule(request: HttpRequest, pk: int, *, write: bool = False) -> Rule:
    return access.get_object_for_user(
        request.user, Rule, pk, write=write, queryset=Rule.objects.select_related("department")
    )


@router.get("/rules", response=list[RuleOut], url_name="rules_rule_list_api")
@paginate(PageNumberPagination, page_size=50)
def rule_list(request: HttpRequest, status: str = "", department: int | None = None, due: bool = False, q: str = ""):  # type: ignore[no-untyped-def]
    access.require(request.user, VIEW)
    filters = selectors.RuleFilters(status=status[:10], department=department, due=due, q=q[:50])
    return selectors.rules(request.user, filters).order_by("id")


@router.get("/rules/{int:pk}", response=RuleDetailOut, url_name="rules_rule_detail_api")
def rule_detail(request: HttpRequest, pk: int) -> Rule:
    access.require(request.user, VIEW)
    return _rule(request, pk)


@router.post("/rules", response={201: RuleDetailOut}, url_name="rules_rule_create_api")
def rule_create(request: HttpRequest) -> Status:
    """JSON or multipart: {"title", "number", "department": 科室 id, "effective_date": "2023-07-01", "text"} or a
    .docx `upload` instead of `text`."""
    access.require(request.user, MANAGE)
    unit = access.unit_with(request.user, MANAGE)
    form = RuleForm(json_or_form(request, as_fields=True), request.FILES or None, unit=unit)
    data = valid_data(form)
    rule = registry.rule_create(
        actor=request.user,
        unit=unit,
        title=data["title"],
        number=data["number"],
        department=data["department"],
        effective_date=data["effective_date"],
        text=views._text(form),
    )
    return Status(201, rule)


@router.post("/rules/{int:pk}/versions", response={201: RuleDetailOut}, url_name="rules_rule_revise_api")
def rule_revise(request: HttpRequest, pk: int) -> Status:
    """JSON or multipart: {"effective_date" (not before the current version's), "text" or a .docx `upload`,
    "change_note", "number"}."""
    access.require(request.user, MANAGE)
    rule = _rule(request, pk, write=True)
    form = ReviseForm(json_or_form(request, as_fields=True), request.FILES or None)
    data = valid_data(form)
    registry.rule_revise(
        actor=request.user,
        rule=rule,
        text=views._text(form),
        effective_date=data["effective_date"],
        change_note=data["change_note"],
        number=data["number"],
    )
    return Status(201, _rule(request, pk))


@router.get("/rules/{int:pk}/diff", response=DiffOut, url_name="rules_rule_diff_api")
def rule_diff(request: HttpRequest, pk: int, a: int | None = None, b: int | None = None) -> dict:
    access.require(request.user, VIEW)
    rule = _rule(request, pk)
    versions = {v.number: v for v in rule.versions.all()}
    b = b or rule.version
    a = a or max(1, b - 1)
    if a not in versions or b not in versions:
        raise UserError("所选版本不存在")
    rows = registry.diff_rows(versions[a].text, versions[b].text)
    return {"a": a, "b": b, "summary": registry.diff_summary(rows), "rows": rows}


# --- 废改立 -----------------------------------------------------------------------------------------------------


class ProposalOut(Schema):
    id: int
    unit_id: int
    kind: str
    title: str
    rule_id: int | None
    finding_id: int | None
    department_id: int
    draft_deadline: dt.date
    stage: str
    stage_display: str
    task_number: str | None
    approved_on: dt.date | None

    @staticmethod
    def resolve_stage_display(obj: Proposal) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_task_number(obj: Proposal) -> str | None:
        return obj.task.number if obj.task_id else None


class StepOut(Schema):
    stage: str
    actor: str
    at: dt.datetime
    note: str

    @staticmethod
    def resolve_actor(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.actor)


class CommentOut(Schema):
    author: str
    text: str
    at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.author)


class ProposalDetailOut(ProposalOut):
    reason: str
    draft_text: str
    steps: list[StepOut]
    comments: list[CommentOut]

    @staticmethod
    def resolve_steps(obj: Proposal) -> list:
        return list(selectors.proposal_steps(obj))

    @staticmethod
    def resolve_comments(obj: Proposal) -> list:
        return list(obj.comments.select_related("author"))


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    return access.get_object_for_user(
        request.user, Proposal, pk, queryset=Proposal.objects.select_related("unit", "task", "rule")
    )


@router.get("/proposals", response=list[ProposalOut], url_name="rules_proposal_list_api")
@paginate(PageNumberPagination, page_size=50)
def proposal_list(request: HttpRequest, stage: str = ""):  # type: ignore[no-untyped-def]
    access.require(request.user, VIEW)
    return selectors.proposals(request.user, stage[:10]).order_by("id")


@router.get("/proposals/{int:pk}", response=ProposalDetailOut, url_name="rules_proposal_detail_api")
def proposal_detail(request: HttpRequest, pk: int) -> Proposal:
    access.require(request.user, VIEW)
    return _proposal(request, pk)


@router.post("/proposals", response={201: ProposalDetailOut}, url_name="rules_proposal_create_api")
def proposal_create(request: HttpRequest) -> Status:
    """JSON: {"kind": "make|revise|repeal", "rule": rule id (改/废), "title" (立), "reason", "department": 起草科室 id,
    "draft_deadline": "2024-03-31", "finding": the rectification finding it comes from (optional)}."""
    access.require(request.user, MANAGE)
    unit = access.unit_with(request.user, MANAGE)
    data = valid_data(ProposalForm(json_or_form(request, as_fields=True), unit=unit))
    proposal = proposal_services.proposal_create(actor=request.user, unit=unit, **data)
    return Status(201, _proposal(request, proposal.pk))


@router.post("/proposals/{int:pk}/steps", response=ProposalDetailOut, url_name="rules_proposal_step_api")
def proposal_step(request: HttpRequest, pk: int) -> Proposal:
    """JSON: {"step": "drafted" (with "text") | "consulted" | "approved" (with "date", the secretary) | "published"
    (with "date": the effective date, "number"), "note"}. Steps go in this order."""
    access.require(request.user, MANAGE)
    proposal = _proposal(request, pk)
    data = valid_data(StepForm(json_or_form(request, as_fields=True)))
    views.proposal_step_call(request.user, proposal, data)
    return _proposal(request, pk)


@router.post("/proposals/{int:pk}/comments", response={201: ProposalDetailOut}, url_name="rules_proposal_comment_api")
def proposal_comment(request: HttpRequest, pk: int) -> Status:
    """JSON: {"text"}; while 征求意见 is open."""
    access.require(request.user, COMMENT)
    proposal = _proposal(request, pk)
    data = valid_data(CommentForm(json_or_form(request, as_fields=True)))
    proposal_services.proposal_comment(actor=request.user, proposal=proposal, text=data["text"])
    return Status(201, _proposal(request, pk))


# --- 三重一大 ----------------------------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    unit_id: int
    kind: str
    kind_display: str
    title: str
    amount_wan: Decimal | None
    meeting_kind: str
    meeting_date: dt.date | None
    host_id: int | None
    result: str
    problems: list[str]

    @staticmethod
    def resolve_kind_display(obj: Decision) -> str:
        return obj.get_kind_display()


class PreparationOut(Schema):
    kind: str
    date: dt.date
    note: str


class AttendanceOut(Schema):
    person_id: int
    person: str
    present: bool
    recused: bool

    @staticmethod
    def resolve_person(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.person.name


class OpinionOut(Schema):
    order: int
    person_id: int
    person: str
    stance: str
    text: str

    @staticmethod
    def resolve_person(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.person.name


class DecisionDetailOut(DecisionOut):
    proposal: str
    decision_text: str
    preparations: list[PreparationOut]
    attendances: list[AttendanceOut]
    opinions: list[OpinionOut]

    @staticmethod
    def resolve_preparations(obj: Decision) -> list:
        return list(obj.preparations.all())

    @staticmethod
    def resolve_attendances(obj: Decision) -> list:
        return list(obj.attendances.all())

    @staticmethod
    def resolve_opinions(obj: Decision) -> list:
        return list(obj.opinions.all())


def _decision(request: HttpRequest, pk: int) -> Decision:
    return access.get_object_for_user(request.user, Decision, pk, queryset=Decision.objects.select_related("unit"))


def _decision_out(decision: Decision) -> Decision:
    return selectors.decision_detail(decision)


@router.get("/decisions", response=list[DecisionOut], url_name="rules_decision_list_api")
@paginate(PageNumberPagination, page_size=50)
def decision_list(request: HttpRequest, kind: str = "", problems: bool = False):  # type: ignore[no-untyped-def]
    """`problems=true`: only the decisions whose procedure the checker found wrong."""
    access.require(request.user, VIEW)
    return selectors.decisions(request.user, kind=kind[:10], problems=problems).order_by("id")


@router.get("/decisions/{int:pk}", response=DecisionDetailOut, url_name="rules_decision_detail_api")
def decision_detail(request: HttpRequest, pk: int) -> Decision:
    access.require(request.user, VIEW)
    return _decision_out(_decision(request, pk))


@router.post("/decisions", response={201: DecisionDetailOut}, url_name="rules_decision_create_api")
def decision_create(request: HttpRequest) -> Status:
    """JSON: {"kind": "major|cadre|project|funds", "title", "proposal", "amount_wan" (万元; required for funds)}."""
    access.require(request.user, MANAGE)
    unit = access.unit_with(request.user, MANAGE)
    data = valid_data(DecisionForm(json_or_form(request, as_fields=True)))
    decision = decision_services.decision_create(actor=request.user, unit=unit, **data)
    return Status(201, _decision_out(decision))


def _action(request: HttpRequest, pk: int, form_class: type, call) -> Decision:  # type: ignore[no-untyped-def]
    access.require(request.user, MANAGE)
    decision = _decision(request, pk)
    kwargs = {"unit": decision.unit} if form_class in (MeetingForm, OpinionForm) else {}
    data = valid_data(form_class(json_or_form(request, as_fields=True), **kwargs))
    call(request.user, decision, data)
    return _decision_out(decision)


@router.post("/decisions/{int:pk}/preparations", response=DecisionDetailOut, url_name="rules_decision_prepare_api")
def decision_prepare(request: HttpRequest, pk: int) -> Decision:
    """JSON: {"kind": "research" (调研论证) | "consult" (征求意见), "date", "note"}."""
    return _action(request, pk, PreparationForm, views.prepare_call)


@router.post("/decisions/{int:pk}/meeting", response=DecisionDetailOut, url_name="rules_decision_meeting_api")
def decision_meeting(request: HttpRequest, pk: int) -> Decision:
    """JSON: {"meeting_kind": "party|office|other", "meeting_date", "host": person id, "present": [person id, …],
    "recused": [person id, …]} — members of the unit's 党组; recorded once."""
    return _action(request, pk, MeetingForm, views.meeting_call)


@router.post("/decisions/{int:pk}/opinions", response=DecisionDetailOut, url_name="rules_decision_opinion_api")
def decision_opinion(request: HttpRequest, pk: int) -> Decision:
    """JSON: {"person": person id (present at the meeting), "stance": "agree|disagree|abstain", "text"}; the next
    in speaking order."""
    return _action(request, pk, OpinionForm, views.opinion_call)


@router.post("/decisions/{int:pk}/conclude", response=DecisionDetailOut, url_name="rules_decision_conclude_api")
def decision_conclude(request: HttpRequest, pk: int) -> Decision:
    """JSON: {"result": "passed|rejected", "text"}."""
    return _action(request, pk, ConcludeForm, views.conclude_call)
