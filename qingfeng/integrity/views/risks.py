"""廉政风险点 pages: the register (filters, heat map, .xlsx in the 风险防控台账 layout), adding a point, the
督促检查 list (待检查 / 已完成 / 逾期未完成), running one, and a check's page where each problem found is turned into a
督办事项 or 整改问题 and the check is completed (完成检查)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core import audit
from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.paging import paginate
from qingfeng.integrity import selectors
from qingfeng.integrity.forms import CheckForm, CompleteForm, DeleteForm, PointForm, ProblemForm, ReviewForm
from qingfeng.integrity.models import RiskCheck, RiskPoint
from qingfeng.integrity.services import risks
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Department

MANAGE = risks.MANAGE
REGISTER_HEADER = ["序号", "岗位", "风险点", "风险描述", "风险等级", "防控措施", "责任人"]


def _unit(request: HttpRequest) -> Any:
    return selectors.managed_unit(request.user)


def _filters(request: HttpRequest) -> selectors.RiskFilters:
    level = request.GET.get("level", "")
    area = request.GET.get("area", "")
    try:
        department = int(request.GET.get("department", "")) or None
    except ValueError:
        department = None
    return selectors.RiskFilters(
        area=area if area in risks.risk_areas() else "",
        level=level if level in RiskPoint.Level.values else "",
        department=department if department and department < 2**31 else None,
        q=request.GET.get("q", "").strip()[:50],
        review_due=request.GET.get("review") == "due",
    )


@require_GET
@perm_required("integrity.view")
def risk_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = paginate(request, selectors.risk_points(request.user, filters))
    departments = Department.objects.filter(access.visible_q(request.user, Department)).order_by("unit_id", "order")
    return render(
        request,
        "integrity/risk_list.html",
        {
            **page,
            "filters": filters,
            "areas": risks.risk_areas(),
            "levels": RiskPoint.Level.choices,
            "departments": departments,
            "heat": selectors.heat_map(request.user),
            "can_manage": access.can(request.user, MANAGE),
            "today": timezone.localdate(),
        },
    )


@require_GET
@perm_required("integrity.view")
def risk_export(request: HttpRequest) -> HttpResponse:
    points = selectors.risk_points(request.user, _filters(request)).order_by("department__order", "area", "id")
    rows = (
        [
            i,
            f"{p.department.name}·{p.post}（{p.area}）",
            p.name,
            p.description,
            p.get_level_display(),
            p.controls,
            p.owner.name,
        ]
        for i, p in enumerate(points.iterator(chunk_size=2000), start=1)
    )
    audit.record(actor=request.user, action="riskpoint.export", object_type="integrity.riskpoint")
    return xlsx_response("风险防控台账", REGISTER_HEADER, rows, filename="廉政风险防控台账.xlsx")


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def risk_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    form = PointForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            point = risks.point_create(actor=request.user, unit=unit, data=risks.PointData(**form.cleaned_data))
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"风险点“{point.name}”已登记")
            return redirect("integrity:risk_list")
    return render(request, "integrity/risk_form.html", {"form": form, "unit": unit})


def _point(request: HttpRequest, pk: int) -> RiskPoint:
    return access.get_object_for_user(
        request.user,
        RiskPoint,
        pk,
        write=True,
        queryset=RiskPoint.objects.select_related("unit", "department", "owner"),
    )


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a point; the same page reviews it (复核) and deletes it."""
    point = _point(request, pk)
    initial = {f: getattr(point, f) for f in risks.POINT_FIELDS}
    form = PointForm(request.POST if request.method == "POST" else None, unit=point.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            risks.point_update(actor=request.user, point=point, data=risks.PointData(**form.cleaned_data))
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"风险点“{point.name}”已修改")
            return redirect("integrity:risk_list")
    return render(
        request,
        "integrity/risk_edit.html",
        {
            "form": form,
            "point": point,
            "review_form": ReviewForm(initial={"date": timezone.localdate()}),
            "delete_form": DeleteForm(),
            "reviews": selectors.point_reviews(point)[:20],
            "today": timezone.localdate(),
        },
    )


@require_POST
@perm_required(MANAGE)
def risk_review(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未复核——{first_error(form)}")
    else:
        done: list[Any] = []
        if run_action(
            request,
            lambda: done.append(risks.point_review(actor=request.user, point=point, **form.cleaned_data)),
            "已复核",
        ):
            messages.info(request, f"下次复核日期：{done[0].next_review_on:%Y年%m月%d日}")
    return redirect("integrity:risk_edit", pk=point.pk)


@require_POST
@perm_required(MANAGE)
def risk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未删除——{first_error(form)}")
        return redirect("integrity:risk_edit", pk=point.pk)
    if run_action(
        request,
        lambda: risks.point_delete(actor=request.user, point=point, reason=form.cleaned_data["reason"]),
        f"风险点“{point.name}”已删除",
    ):
        return redirect("integrity:risk_list")
    return redirect("integrity:risk_edit", pk=point.pk)


@require_GET
@perm_required("integrity.view")
def check_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in RiskCheck.State.values else ""
    page = paginate(request, selectors.risk_checks(request.user, state).order_by("-date", "-id"))
    return render(
        request,
        "integrity/check_list.html",
        {
            **page,
            "can_manage": access.can(request.user, MANAGE),
            "state": state,
            "states": RiskCheck.State.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def check_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    points = RiskPoint.objects.filter(unit=unit).select_related("department").order_by("department__order", "id")
    form = CheckForm(
        request.POST if request.method == "POST" else None,
        points=points,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = risks.check_create(actor=request.user, unit=unit, **{**data, "points": list(data["points"])})
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"检查“{check.name}”已登记，请录入发现的问题")
            return redirect("integrity:check_detail", pk=check.pk)
    return render(request, "integrity/check_form.html", {"form": form, "unit": unit})


def _check(request: HttpRequest, pk: int, *, write: bool = False) -> RiskCheck:
    return access.get_object_for_user(
        request.user,
        RiskCheck,
        pk,
        write=write,
        queryset=RiskCheck.objects.select_related("unit", "round", "task", "completed_by"),
    )


@require_GET
@perm_required("integrity.view")
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check(request, pk)
    manage = access.can(request.user, MANAGE, check.unit)
    problems = check.problems.select_related("point", "point__department", "task", "finding")
    # Every point the check covered, those deleted since included (the record of what was checked stays whole).
    points = RiskPoint.all_objects.filter(checks=check).select_related("department", "owner").order_by("id")
    context = {
        "check": check,
        "points": points,
        "problems": problems,
        "manage": manage and check.completed_at is None,
        "state": check.state(),
    }
    if context["manage"]:
        context["problem_form"] = ProblemForm(check=check)
        context["complete_form"] = CompleteForm(initial={"summary": check.summary})
    return render(request, "integrity/check_detail.html", context)


@require_POST
@perm_required(MANAGE)
def check_complete(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check(request, pk, write=True)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"检查未完成——{first_error(form)}")
        return redirect("integrity:check_detail", pk=check.pk)
    done: list[RiskCheck] = []
    if (
        run_action(
            request,
            lambda: done.append(risks.check_complete(actor=request.user, check=check, **form.cleaned_data)),
            "检查已完成",
        )
        and done[0].task is not None
    ):
        messages.info(request, f"督办事项 {done[0].task.number} 已随之办结")
    return redirect("integrity:check_detail", pk=check.pk)


@require_POST
@perm_required(MANAGE)
def problem_new(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check(request, pk, write=True)
    form = ProblemForm(request.POST, check=check)
    if not form.is_valid():
        messages.error(request, f"问题未登记——{first_error(form)}")
        return redirect("integrity:check_detail", pk=check.pk)
    data = form.cleaned_data
    created: list[Any] = []
    ok = run_action(
        request,
        lambda: created.append(risks.problem_create(actor=request.user, check=check, **data)),
        "问题已登记",
    )
    if ok and created:
        problem = created[0]
        if problem.task is not None:
            messages.info(request, f"已转为督办事项 {problem.task.number}，责任科室须于当日签收")
        else:
            messages.info(request, f"已列入整改轮次“{check.name}”的问题清单，请在整改台账中添加整改措施")
    return redirect("integrity:check_detail", pk=check.pk)
