"""干部职工 (系统管理员): list, create, edit, 离岗, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.attachments import attachment_create, attachments_of
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access, selectors
from qingfeng.org.access import perm_required
from qingfeng.org.forms import PersonCreateForm, PersonFilter, PersonForm
from qingfeng.org.models import Person, Unit
from qingfeng.org.services import people
from qingfeng.org.services.people import PersonData


def _data(cleaned: dict) -> PersonData:
    return PersonData(
        employee_no=cleaned["employee_no"],
        name=cleaned["name"],
        post=cleaned["post"],
        department=cleaned["department"],
        branch=cleaned["branch"],
        is_party_member=cleaned["is_party_member"],
        is_leadership=cleaned["is_leadership"],
        phone=cleaned["phone"] or "",
        order=cleaned["order"] or 0,
        supervised_departments=list(cleaned["supervised_departments"]),
    )


@require_GET
@perm_required("org.manage")
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilter(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.people_for(request.user, filters=filters)
    return render(request, "org/person_list.html", {"filter": form, **paginate(request, qs)})


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def person_create(request: HttpRequest) -> HttpResponse:
    unit = selectors.default_unit(request.user)
    wanted = request.POST.get("unit") or request.GET.get("unit")
    if wanted:
        unit = access.get_object_for_user(request.user, Unit, wanted, write=True)
    if unit is None:
        return redirect("org:unit_list")
    form = PersonCreateForm(request.POST if request.method == "POST" else None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            person = people.person_create(
                actor=request.user, unit=form.cleaned_data["unit"], data=_data(form.cleaned_data)
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"已新增人员 {person}")
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "unit": unit})


@require_http_methods(["GET", "POST"])
@perm_required("org.manage")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_object_for_user(
        request.user, Person, pk, write=True, queryset=Person.objects.select_related("unit", "department", "branch")
    )
    initial = {
        "employee_no": person.employee_no,
        "name": person.name,
        "post": person.post,
        "department": person.department_id,
        "branch": person.branch_id,
        "is_party_member": person.is_party_member,
        "is_leadership": person.is_leadership,
        "phone": person.phone,
        "order": person.order,
        "supervised_departments": list(person.supervised_departments.values_list("pk", flat=True)),
    }
    form = PersonForm(request.POST if request.method == "POST" else None, unit=person.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            people.person_update(actor=request.user, person=person, data=_data(form.cleaned_data))
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "人员信息已保存")
            return redirect("org:person_detail", pk=person.pk)
    return render(
        request,
        "org/person_form.html",
        {
            "form": form,
            "person": person,
            "unit": person.unit,
            "attachments": attachments_of(person),
            "account": getattr(person, "account", None),
        },
    )


@perm_required("org.manage")
@require_POST
def person_leave(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_object_for_user(request.user, Person, pk, write=True)
    try:
        people.person_leave(actor=request.user, person=person)
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{person.name}已设为离岗，其账号已停用")
    return redirect("org:person_detail", pk=person.pk)


@perm_required("org.manage")
@require_POST
def person_attach(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_object_for_user(request.user, Person, pk, write=True)
    try:
        attachment_create(actor=request.user, owner=person, unit=person.unit, upload=request.FILES.get("file"))
    except UserError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "附件已上传")
    return redirect("org:person_detail", pk=person.pk)
