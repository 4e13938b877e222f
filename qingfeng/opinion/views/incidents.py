"""舆情事件 pages: the list (filters: level, step, open/closed, month), recording one (with the live severity
suggestion), its timeline (steps, clocks, the rule that suggested its level, the 口径), the step, screenshot and 口径
actions, and the dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error, run_action
from qingfeng.core.attachments import attachments_of
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.opinion import selectors
from qingfeng.opinion.forms import (
    IncidentForm,
    ReleaseForm,
    StatementEditForm,
    StatementForm,
    StepForm,
    SuggestForm,
    now_local,
)
from qingfeng.opinion.models import STEP_ORDER, Level, OpinionIncident, ResponseStatement, Step
from qingfeng.opinion.services import incidents, severity, statements
from qingfeng.org import access
from qingfeng.org.access import perm_required

VIEW, RECORD = "opinion.view", "opinion.record"


@require_GET
@perm_required(VIEW)
def incident_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.IncidentFilters.from_query(request.GET)
    page = paginate(request, selectors.incidents(request.user, filters))
    return render(
        request,
        "opinion/incident_list.html",
        {
            **page,
            "filters": filters,
            "levels": Level.choices,
            "steps": [(s, Step(s).label) for s in STEP_ORDER],
            "statuses": selectors.STATUS_CHOICES,
            "can_record": access.can(request.user, RECORD),
            "month_value": filters.month.strftime("%Y-%m") if filters.month else "",
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(RECORD)
def incident_new(request: HttpRequest) -> HttpResponse:
    unit = incidents.recording_unit(request.user)
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        unit=unit,
        initial={"found_at": now_local()},
    )
    suggestion = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        screenshot = data.pop("screenshot")
        try:
            incident = incidents.incident_create(
                actor=request.user, unit=unit, data=incidents.IncidentData(**data), screenshot=screenshot
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"舆情“{incident.title}”已登记，等级{incident.get_level_display()}")
            return redirect(incident.get_absolute_url())
    if request.method == "POST" and unit is not None:
        suggestion = severity.suggest(
            unit_id=unit.pk, title=request.POST.get("title", ""), content=request.POST.get("content", "")
        )
    return render(request, "opinion/incident_form.html", {"form": form, "unit": unit, "suggestion": suggestion})


@require_POST
@perm_required(RECORD)
def suggest(request: HttpRequest) -> HttpResponse:
    """The suggestion for the text typed so far (an htmx fragment of the create form)."""
    unit = incidents.recording_unit(request.user)
    form = SuggestForm(request.POST)
    suggestion = None
    if form.is_valid() and unit is not None and (form.cleaned_data["title"] or form.cleaned_data["content"]):
        suggestion = severity.suggest(unit_id=unit.pk, **form.cleaned_data)
    return render(request, "opinion/_suggestion.html", {"suggestion": suggestion})


def _detail_context(request: HttpRequest, incident: OpinionIncident) -> dict[str, Any]:
    user = request.user
    can_record = access.can(user, RECORD, incident.unit)
    open_statements = selectors.statements_of(incident)
    return {
        "incident": incident,
        "steps": selectors.steps_of(incident),
        "clocks": selectors.timeline_clocks(incident),
        "statements": [
            {"s": s, "may_approve": statements.may_approve(user, s) and s.drafted_by_id != user.pk}
            for s in open_statements
        ],
        "attachments": list(attachments_of(incident)),
        "mentions": selectors.mentions_of(incident),
        "can_record": can_record,
        "step_form": StepForm(incident=incident, initial={"at": now_local()}) if can_record else None,
        "statement_form": StatementForm() if can_record else None,
        "release_form": ReleaseForm(),
        "levels": Level,
    }


@require_GET
@perm_required(VIEW)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_for(request.user, pk)
    return render(request, "opinion/incident_detail.html", _detail_context(request, incident))


@require_POST
@perm_required(RECORD)
def incident_step(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_for(request.user, pk, write=True)
    form = StepForm(request.POST, incident=incident)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        data = form.cleaned_data
        step = data["step"]
        run_action(
            request,
            lambda: incidents.incident_step(
                actor=request.user,
                incident=incident,
                step=step,
                at=data["at"],
                note=data["note"],
                department=data.get("department"),
                level=data.get("level"),
            ),
            f"已记录“{Step(step).label}”",
        )
    return redirect(incident.get_absolute_url())


@require_POST
@perm_required(RECORD)
def incident_attach(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_for(request.user, pk, write=True)
    upload = request.FILES.get("screenshot")
    if upload is None:
        messages.error(request, "请选择截图文件")
    else:
        run_action(
            request,
            lambda: incidents.incident_attach(actor=request.user, incident=incident, upload=upload),
            "截图已上传",
        )
    return redirect(incident.get_absolute_url())


@require_POST
@perm_required(RECORD)
def statement_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_for(request.user, pk, write=True)
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        run_action(
            request,
            lambda: statements.statement_draft(actor=request.user, incident=incident, **form.cleaned_data),
            "口径已起草，已提请负责领导审批",
        )
    return redirect(f"{incident.get_absolute_url()}#statements")


def _statement(request: HttpRequest, pk: int) -> ResponseStatement:
    return selectors.statement_for(request.user, pk)


@require_POST
@perm_required(RECORD)
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_for(request.user, pk, write=True)
    form = StatementEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        run_action(
            request,
            lambda: statements.statement_update(actor=request.user, statement=statement, **form.cleaned_data),
            "口径草稿已修改",
        )
    return redirect(f"{statement.incident.get_absolute_url()}#statements")


@require_POST
@perm_required(statements.APPROVE)
def statement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk)
    run_action(
        request,
        lambda: statements.statement_approve(actor=request.user, statement=statement),
        "口径已审批，审批通过的文本已存档",
    )
    return redirect(f"{statement.incident.get_absolute_url()}#statements")


@require_POST
@perm_required(RECORD)
def statement_release(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_for(request.user, pk, write=True)
    form = ReleaseForm(request.POST)
    channel = form.cleaned_data["channel"] if form.is_valid() else ""
    run_action(
        request,
        lambda: statements.statement_release(actor=request.user, statement=statement, channel=channel),
        "口径已标记为发布",
    )
    return redirect(f"{statement.incident.get_absolute_url()}#statements")


@require_GET
@perm_required(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard(request.user)
    return render(
        request,
        "opinion/dashboard.html",
        {**data, "by_department": selectors.open_by_department(request.user), "now": timezone.now()},
    )
