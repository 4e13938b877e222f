"""作风问题 pages: report, the reporter's own list, and the 纪检组长's verification and decision."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.roles import Role
from qingfeng.supervision import selectors
from qingfeng.supervision.forms_style import StyleCloseForm, StyleLinkForm, StyleReportForm, StyleVerifyForm
from qingfeng.supervision.services import style


def _home_unit(request: HttpRequest):  # type: ignore[no-untyped-def]
    grants = [a for a in access.assignments(request.user) if a.role != Role.SUPERIOR]
    return grants[0].unit if grants else None


@require_GET
@perm_required("supervision.view")
@never_cache
def style_list(request: HttpRequest) -> HttpResponse:
    problems = selectors.style_problems_for(request.user)
    context = paginate(request, problems)
    for problem in context["page_obj"]:
        problem.reporter_shown = selectors.reporter_shown(problem, request.user)
    can_handle = access.can(request.user, "supervision.style_handle")
    can_report = access.can(request.user, "supervision.style_report")
    return render(
        request, "supervision/style_list.html", {**context, "can_handle": can_handle, "can_report": can_report}
    )


@require_http_methods(["GET", "POST"])
@perm_required("supervision.style_report")
def style_new(request: HttpRequest) -> HttpResponse:
    unit = _home_unit(request)
    form = StyleReportForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = style.style_report(
                actor=request.user,
                unit=unit,
                category=data["category"],
                description=data["description"],
                department=data["department"],
                matter=data["matter"],
                anonymous=data["anonymous"],
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "已提交，纪检组长将核实处理。")
            return redirect("supervision:style_detail", pk=problem.pk)
    return render(request, "supervision/style_form.html", {"form": form})


@require_GET
@perm_required("supervision.view")
@never_cache
def style_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.style_problem_for(request.user, pk)
    handle = access.can(request.user, "supervision.style_handle", problem.unit)
    open_ = problem.status in (problem.Status.REPORTED, problem.Status.VERIFYING)
    return render(
        request,
        "supervision/style_detail.html",
        {
            "problem": problem,
            "reporter": selectors.reporter_shown(problem, request.user),
            "handle": handle and open_,
            "verify_form": StyleVerifyForm(),
            "link_form": StyleLinkForm(unit=problem.unit),
            "close_form": StyleCloseForm(),
        },
    )


def _act(request: HttpRequest, pk: int, form_class, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    problem = selectors.style_problem_for(request.user, pk)
    kwargs = {"unit": problem.unit} if form_class is StyleLinkForm else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            action(actor=request.user, problem=problem, **form.cleaned_data)
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存")
    return redirect("supervision:style_detail", pk=problem.pk)


@require_POST
@perm_required("supervision.style_handle")
def style_verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, StyleVerifyForm, style.style_verify)


@require_POST
@perm_required("supervision.style_handle")
def style_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, StyleLinkForm, style.style_link)


@require_POST
@perm_required("supervision.style_handle")
def style_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, StyleCloseForm, style.style_close)
