"""巡察整改 pages: the rounds, creating one, and a round's page — its 问题清单 with every measure as a 督办事项 (销号
happens on the task's page) and its dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.roles import PERMISSIONS, Role
from qingfeng.rectification import selectors
from qingfeng.rectification.forms import FindingForm, MeasureForm, RoundForm, categories
from qingfeng.rectification.models import Finding, Round
from qingfeng.rectification.services import recheck, rounds
from qingfeng.rectification.views.checks import FindingCheckForm, attach_checks

MANAGE = "rectification.manage"


@require_GET
@perm_required("rectification.view")
def round_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.visible_rounds(request.user).order_by("-feedback_date", "-id"))
    page["page_obj"].object_list = list(page["page_obj"].object_list)
    selectors.round_rows(request.user, page["page_obj"].object_list)
    return render(request, "rectification/round_list.html", {**page, "can_create": access.can(request.user, MANAGE)})


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def round_new(request: HttpRequest) -> HttpResponse:
    unit = next(a.unit for a in access.assignments(request.user) if MANAGE in PERMISSIONS.get(a.role, ()))
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = rounds.round_create(actor=request.user, unit=unit, **data)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"整改轮次“{round_.name}”已建立，请录入问题清单")
            return redirect("rectification:round_detail", pk=round_.pk)
    return render(request, "rectification/round_form.html", {"form": form, "unit": unit})


@require_GET
@perm_required("rectification.view")
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_object_for_user(request.user, Round, pk, queryset=Round.objects.select_related("unit"))
    board = selectors.round_board(request.user, round_)
    manage = access.can(request.user, MANAGE, round_.unit)
    context = {"round": round_, "board": board, "manage": manage}
    recheck.annotate(board.measures)
    attach_checks(board.findings)
    context["check_form"] = FindingCheckForm()
    context["inspector"] = access.holds(request.user, Role.INSPECTOR, round_.unit)
    if manage:
        template = MeasureForm(unit=round_.unit)
        choices = template.rendered_choices()
        for f in board.findings:
            f.measure_form = MeasureForm(unit=round_.unit, choices=choices, auto_id=f"m{f.pk}_%s")
        context["finding_form"] = FindingForm(initial={"number": rounds.next_finding_number(round_)})
        context["categories"] = categories()
    return render(request, "rectification/round_detail.html", context)


@require_POST
@perm_required(MANAGE)
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_object_for_user(request.user, Round, pk, write=True)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("rectification:round_detail", pk=round_.pk)
    data = form.cleaned_data
    number = data["number"].strip() or rounds.next_finding_number(round_)
    run_action(
        request,
        lambda: rounds.finding_create(
            actor=request.user,
            round_=round_,
            number=number,
            category=data["category"],
            description=data["description"],
            severity=data["severity"] or Finding.Severity.GENERAL,
            order=rounds.next_finding_order(round_),
        ),
        f"问题{number}已录入",
    )
    return redirect(reverse("rectification:round_detail", args=[round_.pk]) + "#findings")


@require_POST
@perm_required(MANAGE)
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.get_object_for_user(
        request.user, Finding, pk, write=True, queryset=Finding.objects.select_related("round", "unit")
    )
    back = reverse("rectification:round_detail", args=[finding.round_id]) + f"#finding-{finding.pk}"
    form = MeasureForm(request.POST, unit=finding.unit)
    if not form.is_valid():
        messages.error(request, f"问题{finding.number}的整改措施未添加——{first_error(form)}")
        return redirect(back)
    data = form.cleaned_data
    created = []
    run_action(
        request,
        lambda: created.append(rounds.measure_create(actor=request.user, finding=finding, **data)),
        f"问题{finding.number}的整改措施已添加并交办",
    )
    if created:
        messages.info(request, f"督办编号：{created[0].task.number}，责任部门须于当日签收")
    return redirect(back)
