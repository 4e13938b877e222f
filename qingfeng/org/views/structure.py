"""Units, departments and party branches (系统管理员)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from qingfeng.core.errors import UserError, add_to_form
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.forms import NamedForm, UnitCreateForm, UnitForm
from qingfeng.org.models import Branch, Department, Unit
from qingfeng.org.services import structure


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def unit_list(request: HttpRequest) -> HttpResponse:
    units = (
        Unit.objects.filter(access.visible_q(request.user, Unit))
        .annotate(
            dept_count=Count("departments", filter=Q(departments__deleted_at__isnull=True), distinct=True),
            people_count=Count(
                "people", filter=Q(people__deleted_at__isnull=True, people__status="active"), distinct=True
            ),
        )
        .order_by("path")
    )
    # Indent relative to the top of what this user sees, not to the root of the whole tree.
    units = list(units)
    top = min((u.depth for u in units), default=0)
    for u in units:
        u.indent = u.depth - top
    form = UnitCreateForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = structure.unit_create(
                actor=request.user,
                name=data["name"],
                code=data["code"],
                kind=data["kind"],
                parent=data["parent"],
                order=data["order"] or 0,
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"已新建单位“{unit.name}”")
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_list.html", {"units": units, "form": form})


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_object_for_user(request.user, Unit, pk, write=True)
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        initial={"name": unit.name, "code": unit.code, "kind": unit.kind, "order": unit.order},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            structure.unit_update(
                actor=request.user,
                unit=unit,
                name=data["name"],
                code=data["code"],
                kind=data["kind"],
                order=data["order"] or 0,
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "单位信息已保存")
            return redirect("org:unit_detail", pk=unit.pk)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "form": form,
            "departments": Department.objects.filter(unit=unit).annotate(
                people_count=Count("people", filter=Q(people__status="active"))
            ),
            "branches": Branch.objects.filter(unit=unit).annotate(
                member_count=Count("members", filter=Q(members__status="active"))
            ),
            "dept_form": NamedForm(prefix="dept"),
            "branch_form": NamedForm(prefix="branch"),
        },
    )


@perm_required("org.manage")
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_object_for_user(request.user, Unit, pk, write=True)
    try:
        structure.unit_delete(actor=request.user, unit=unit)
    except UserError as exc:
        messages.error(request, exc.message)
        return redirect("org:unit_detail", pk=unit.pk)
    messages.success(request, f"已删除单位“{unit.name}”")
    return redirect("org:unit_list")


def _named_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    unit = access.get_object_for_user(request.user, Unit, pk, write=True)
    form = NamedForm(request.POST, prefix=kind)
    if form.is_valid():
        create = structure.department_create if kind == "dept" else structure.branch_create
        try:
            obj = create(
                actor=request.user, unit=unit, name=form.cleaned_data["name"], order=form.cleaned_data["order"] or 0
            )
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已新建“{obj.name}”")
    else:
        messages.error(request, "请填写名称")
    return redirect("org:unit_detail", pk=unit.pk)


@perm_required("org.manage")
@require_POST
def department_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _named_create(request, pk, "dept")


@perm_required("org.manage")
@require_POST
def branch_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _named_create(request, pk, "branch")


def _named_edit(request: HttpRequest, model: type[Department] | type[Branch], pk: int) -> HttpResponse:
    obj = access.get_object_for_user(request.user, model, pk, write=True)
    form = NamedForm(request.POST if request.method == "POST" else None, initial={"name": obj.name, "order": obj.order})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if model is Department:
                structure.department_update(
                    actor=request.user, department=obj, name=data["name"], order=data["order"] or 0
                )
            else:
                structure.branch_update(actor=request.user, branch=obj, name=data["name"], order=data["order"] or 0)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("org:unit_detail", pk=obj.unit_id)
    label = "科室" if model is Department else "支部"
    return render(request, "org/named_edit.html", {"obj": obj, "form": form, "label": label})


def _named_delete(request: HttpRequest, model: type[Department] | type[Branch], pk: int) -> HttpResponse:
    obj = access.get_object_for_user(request.user, model, pk, write=True)
    try:
        if model is Department:
            structure.department_delete(actor=request.user, department=obj)
        else:
            structure.branch_delete(actor=request.user, branch=obj)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除“{obj.name}”")
    return redirect("org:unit_detail", pk=obj.unit_id)


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _named_edit(request, Department, pk)


@perm_required("org.manage")
@require_POST
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _named_delete(request, Department, pk)


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def branch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _named_edit(request, Branch, pk)


@perm_required("org.manage")
@require_POST
def branch_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _named_delete(request, Branch, pk)
