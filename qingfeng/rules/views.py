"""制度建设 pages: the 制度库 (filters, register, detail with its versions, revise, the diff between two versions),
废改立 (proposals and their steps, 征求意见 comments) and 三重一大 (decisions, their preparation, meeting, opinions,
decision and the procedure checker's findings; the list of decisions with procedure problems)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Department
from qingfeng.rules import selectors
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

VIEW, MANAGE, DECIDE, COMMENT = "rules.view", "rules.manage", "rules.decide", "rules.comment"


def _int(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _manage_unit(request: HttpRequest) -> Any:
    unit = access.unit_with(request.user, MANAGE)
    if unit is None:
        raise PermissionDenied(MANAGE)
    return unit


# --- rules -----------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def rule_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    filters = selectors.RuleFilters(
        status=status if status in Rule.Status.values else "",
        department=_int(request.GET.get("department", "")),
        due=request.GET.get("due") == "1",
        q=request.GET.get("q", "").strip()[:50],
    )
    page = paginate(request, selectors.rules(request.user, filters).order_by("unit__path", "-effective_date", "-id"))
    departments = Department.objects.filter(access.visible_q(request.user, Department)).order_by("unit_id", "order")
    return render(
        request,
        "rules/rule_list.html",
        {
            **page,
            "filters": filters,
            "statuses": Rule.Status.choices,
            "departments": departments,
            "horizon": selectors.due_horizon(),
            "can_manage": access.can(request.user, MANAGE),
        },
    )


def _text(form: Any) -> str:
    return registry.text_of(text=form.cleaned_data.get("text") or "", upload=form.cleaned_data.get("upload"))


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def rule_new(request: HttpRequest) -> HttpResponse:
    unit = _manage_unit(request)
    form = RuleForm(request.POST if request.method == "POST" else None, request.FILES or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = registry.rule_create(
                actor=request.user,
                unit=unit,
                title=data["title"],
                number=data["number"],
                department=data["department"],
                effective_date=data["effective_date"],
                text=_text(form),
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"制度《{rule.title}》已登记")
            return redirect("rules:rule_detail", pk=rule.pk)
    return render(request, "rules/rule_form.html", {"form": form, "unit": unit})


def _rule(request: HttpRequest, pk: int, *, write: bool = False) -> Rule:
    return access.get_object_for_user(
        request.user, Rule, pk, write=write, queryset=Rule.objects.select_related("unit", "department")
    )


@require_GET
@perm_required(VIEW)
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    versions = list(rule.versions.select_related("created_by").order_by("-number"))
    can_manage = access.can(request.user, MANAGE, rule.unit)
    return render(
        request,
        "rules/rule_detail.html",
        {
            "rule": rule,
            "versions": versions,
            "proposals": rule.proposals.order_by("-created_at"),
            "revise_form": ReviseForm() if can_manage and rule.status != Rule.Status.REPEALED else None,
            "can_manage": can_manage,
        },
    )


@require_POST
@perm_required(MANAGE)
def rule_revise(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk, write=True)
    form = ReviseForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"未修订——{first_error(form)}")
        return redirect("rules:rule_detail", pk=rule.pk)

    def call() -> Any:
        data = form.cleaned_data
        return registry.rule_revise(
            actor=request.user,
            rule=rule,
            text=_text(form),
            effective_date=data["effective_date"],
            change_note=data["change_note"],
            number=data["number"],
        )

    run_action(request, call, f"《{rule.title}》已修订，新版本为现行版本")
    return redirect("rules:rule_detail", pk=rule.pk)


@require_GET
@perm_required(VIEW)
def rule_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """The side-by-side diff of two versions: ?a=&b= (version numbers; by default the previous and the current)."""
    rule = _rule(request, pk)
    versions = {v.number: v for v in rule.versions.all()}
    b = _int(request.GET.get("b", "")) or rule.version
    a = _int(request.GET.get("a", "")) or max(1, b - 1)
    if a not in versions or b not in versions:
        messages.error(request, "所选版本不存在")
        return redirect("rules:rule_detail", pk=rule.pk)
    rows = registry.diff_rows(versions[a].text, versions[b].text)
    return render(
        request,
        "rules/rule_diff.html",
        {
            "rule": rule,
            "a": versions[a],
            "b": versions[b],
            "rows": rows,
            "summary": registry.diff_summary(rows),
            "numbers": sorted(versions),
        },
    )


# --- 废改立 -----------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def proposal_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    stage = stage if stage in Proposal.Stage.values else ""
    page = paginate(request, selectors.proposals(request.user, stage).order_by("-created_at", "-id"))
    return render(
        request,
        "rules/proposal_list.html",
        {**page, "stage": stage, "stages": Proposal.Stage.choices, "can_manage": access.can(request.user, MANAGE)},
    )


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def proposal_new(request: HttpRequest) -> HttpResponse:
    unit = _manage_unit(request)
    initial = {"rule": _int(request.GET.get("rule", "")), "finding": _int(request.GET.get("finding", ""))}
    form = ProposalForm(request.POST if request.method == "POST" else None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_services.proposal_create(actor=request.user, unit=unit, **form.cleaned_data)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"废改立事项已提出，起草任务已交办{proposal.department.name}")
            return redirect("rules:proposal_detail", pk=proposal.pk)
    return render(request, "rules/proposal_form.html", {"form": form, "unit": unit})


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    return access.get_object_for_user(
        request.user,
        Proposal,
        pk,
        queryset=Proposal.objects.select_related("unit", "department", "rule", "task", "finding"),
    )


@require_GET
@perm_required(VIEW)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    unit = proposal.unit
    open_ = proposal.stage != Proposal.Stage.PUBLISHED
    return render(
        request,
        "rules/proposal_detail.html",
        {
            "p": proposal,
            "steps": selectors.proposal_steps(proposal),
            "comments": proposal.comments.select_related("author"),
            "step_form": StepForm() if open_ and access.can(request.user, MANAGE, unit) else None,
            "comment_form": CommentForm()
            if proposal.stage == Proposal.Stage.DRAFTED and access.can(request.user, COMMENT, unit)
            else None,
            "can_decide": access.can(request.user, DECIDE, unit),
        },
    )


def proposal_step_call(actor: Any, proposal: Proposal, data: dict[str, Any]) -> Proposal:
    """One step from the step form's fields (pages and API)."""
    step = data["step"]
    if step == Proposal.Stage.DRAFTED:
        return proposal_services.proposal_draft(actor=actor, proposal=proposal, text=data.get("text") or "")
    if step == Proposal.Stage.CONSULTED:
        return proposal_services.proposal_close_consultation(
            actor=actor, proposal=proposal, note=data.get("note") or ""
        )
    if step == Proposal.Stage.APPROVED:
        return proposal_services.proposal_approve(
            actor=actor, proposal=proposal, day=data.get("date"), note=data.get("note") or ""
        )
    return proposal_services.proposal_publish(
        actor=actor,
        proposal=proposal,
        effective_date=data.get("date"),
        number=data.get("number") or "",
        note=data.get("note") or "",
    )


@require_POST
@perm_required(MANAGE)
def proposal_step(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未办理——{first_error(form)}")
    else:
        label = dict(form.fields["step"].choices)[form.cleaned_data["step"]]
        run_action(request, lambda: proposal_step_call(request.user, proposal, form.cleaned_data), f"已办理：{label}")
    return redirect("rules:proposal_detail", pk=proposal.pk)


@require_POST
@perm_required(COMMENT)
def proposal_comment(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未提交——{first_error(form)}")
    else:
        run_action(
            request,
            lambda: proposal_services.proposal_comment(
                actor=request.user, proposal=proposal, text=form.cleaned_data["text"]
            ),
            "意见已记录",
        )
    return redirect("rules:proposal_detail", pk=proposal.pk)


# --- 三重一大 ----------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def decision_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Decision.Kind.values else ""
    problems = request.GET.get("problems") == "1"
    page = paginate(
        request, selectors.decisions(request.user, kind=kind, problems=problems).order_by("-created_at", "-id")
    )
    return render(
        request,
        "rules/decision_list.html",
        {
            **page,
            "kind": kind,
            "kinds": Decision.Kind.choices,
            "problems": problems,
            "can_manage": access.can(request.user, MANAGE),
        },
    )


@require_GET
@perm_required(VIEW)
def problem_list(request: HttpRequest) -> HttpResponse:
    """程序检查: the decisions whose procedure the checker found wrong, each with its findings."""
    page = paginate(request, selectors.decisions(request.user, problems=True).order_by("-created_at", "-id"))
    return render(request, "rules/problem_list.html", page)


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def decision_new(request: HttpRequest) -> HttpResponse:
    unit = _manage_unit(request)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = decision_services.decision_create(actor=request.user, unit=unit, **form.cleaned_data)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "三重一大事项已登记")
            return redirect("rules:decision_detail", pk=decision.pk)
    return render(request, "rules/decision_form.html", {"form": form, "unit": unit})


def _decision(request: HttpRequest, pk: int) -> Decision:
    return access.get_object_for_user(request.user, Decision, pk, queryset=Decision.objects.select_related("unit"))


@require_GET
@perm_required(VIEW)
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_detail(_decision(request, pk))
    can_manage = access.can(request.user, MANAGE, decision.unit)
    attendances = list(decision.attendances.all())
    pending = decision.result == Decision.Result.PENDING
    return render(
        request,
        "rules/decision_detail.html",
        {
            "d": decision,
            "attendances": attendances,
            "opinions": list(decision.opinions.all()),
            "prep_form": PreparationForm() if can_manage else None,
            "meeting_form": MeetingForm(unit=decision.unit) if can_manage and not attendances else None,
            "opinion_form": OpinionForm(unit=decision.unit) if can_manage and attendances and pending else None,
            "conclude_form": ConcludeForm() if can_manage and pending else None,
        },
    )


def _decision_action(request: HttpRequest, pk: int, form_class: Any, call: Any, success: str) -> HttpResponse:
    decision = _decision(request, pk)
    kwargs = {"unit": decision.unit} if form_class in (MeetingForm, OpinionForm) else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, f"未保存——{first_error(form)}")
    else:
        run_action(request, lambda: call(request.user, decision, form.cleaned_data), success)
    return redirect("rules:decision_detail", pk=decision.pk)


def prepare_call(actor: Any, decision: Decision, data: dict[str, Any]) -> Any:
    return decision_services.decision_prepare(actor=actor, decision=decision, **data)


def meeting_call(actor: Any, decision: Decision, data: dict[str, Any]) -> Any:
    return decision_services.decision_meeting(
        actor=actor,
        decision=decision,
        meeting_kind=data["meeting_kind"],
        meeting_date=data["meeting_date"],
        host=data.get("host"),
        present=list(data["present"]),
        recused=list(data.get("recused") or []),
    )


def opinion_call(actor: Any, decision: Decision, data: dict[str, Any]) -> Any:
    return decision_services.decision_opinion(actor=actor, decision=decision, **data)


def conclude_call(actor: Any, decision: Decision, data: dict[str, Any]) -> Any:
    return decision_services.decision_conclude(actor=actor, decision=decision, **data)


@require_POST
@perm_required(MANAGE)
def decision_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_action(request, pk, PreparationForm, prepare_call, "记录已保存")


@require_POST
@perm_required(MANAGE)
def decision_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_action(request, pk, MeetingForm, meeting_call, "会议及到会情况已登记")


@require_POST
@perm_required(MANAGE)
def decision_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_action(request, pk, OpinionForm, opinion_call, "表态已记录")


@require_POST
@perm_required(MANAGE)
def decision_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_action(request, pk, ConcludeForm, conclude_call, "决定已记录")
