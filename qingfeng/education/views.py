"""学习教育 pages: the dashboard, compliance, study sessions (list, record, correct, detail, 补学), the branches'
支部书记, the materials library, each person's study record, the 三会一课记录本 (.docx) and the 学习台账 (.xlsx)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core import audit
from qingfeng.core.actions import first_error, run_action
from qingfeng.core.attachments import attachments_of
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.paging import paginate
from qingfeng.education import compliance as compliance_services
from qingfeng.education import kinds, selectors, services
from qingfeng.education.forms import MakeupForm, MaterialForm, PhotoForm, SecretaryForm, SessionForm
from qingfeng.education.models import BranchSecretary, Material
from qingfeng.education.recordbook import record_book_docx
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Branch, Person

VIEW, RECORD, MANAGE = "education.view", "education.record", "education.manage"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LEDGER_HEADER = [
    "序号",
    "日期",
    "类别",
    "支部/单位",
    "议题/主题",
    "地点",
    "主持人",
    "授课人",
    "应到",
    "实到",
    "缺席",
    "学时",
    "学习资料",
]


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _year(request: HttpRequest) -> int:
    return selectors.year_of(request.GET.get("year", "")) or timezone.localdate().year


def _years() -> range:
    today = timezone.localdate()
    return range(today.year, today.year - 5, -1)


def _record_unit(request: HttpRequest) -> Any:
    unit = access.unit_with(request.user, RECORD)
    if unit is None:
        raise PermissionDenied(RECORD)
    return unit


def _require_recorder(request: HttpRequest) -> Any:
    """The unit the user records for; 403 unless they hold education.manage or lead a branch (before any object is
    looked up, so that a non-recorder gets 403 whatever the object)."""
    unit = _record_unit(request)
    if not access.can(request.user, MANAGE, unit) and not services.led_branches(request.user).exists():
        raise PermissionDenied(RECORD)
    return unit


def _compliance_rows(request: HttpRequest, year: int) -> list[compliance_services.Row]:
    units = selectors.compliance_units(request.user)
    if units:
        return compliance_services.compliance(units, year)
    led = list(services.led_branches(request.user).select_related("unit"))
    if not led:
        return []
    rows = compliance_services.compliance([led[0].unit], year)
    ids = {b.pk for b in led}
    return [r for r in rows if r.branch is not None and r.branch.pk in ids]


@require_GET
@perm_required(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = _compliance_rows(request, year)
    person = getattr(request.user, "person", None)
    record = selectors.study_record(person, year) if person is not None else None
    return render(
        request,
        "education/dashboard.html",
        {
            "year": year,
            "years": _years(),
            "missed": [r for r in rows if r.missed],
            "due": [r for r in rows if r.current and r.current.state == "due"],
            "rows_total": len(rows),
            "sessions_count": selectors.sessions(request.user, selectors.SessionFilters(year=year)).count(),
            "record": record,
            "can_record": services.recordable_branches(request.user, _record_unit(request)).exists()
            if access.can(request.user, RECORD)
            else False,
        },
    )


@require_GET
@perm_required(VIEW)
def compliance(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "education/compliance.html",
        {"year": year, "years": _years(), "rows": _compliance_rows(request, year)},
    )


# --- sessions -------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def session_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds.BY_CODE else ""
    filters = selectors.SessionFilters(
        kind=kind,
        branch=_int(request.GET.get("branch")),
        year=selectors.year_of(request.GET.get("year", "")),
        q=request.GET.get("q", "").strip()[:50],
    )
    page = paginate(request, selectors.sessions(request.user, filters).order_by("-date", "-id"))
    unit = access.unit_with(request.user, VIEW)
    return render(
        request,
        "education/session_list.html",
        {
            **page,
            "f": filters,
            "kinds": kinds.CHOICES,
            "years": _years(),
            "branches": Branch.objects.filter(unit=unit) if unit else [],
            "can_record": access.can(request.user, RECORD),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(RECORD)
def session_new(request: HttpRequest) -> HttpResponse:
    unit = _require_recorder(request)
    branches = services.recordable_branches(request.user, unit)
    manage = access.can(request.user, MANAGE, unit)
    initial = {"date": timezone.localdate(), "kind": request.GET.get("kind", "")}
    form = SessionForm(
        request.POST if request.method == "POST" else None, unit=unit, branches=branches, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, unit=unit, data=form.data_object())
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"{session}已登记")
            return redirect("education:session_detail", pk=session.pk)
    return render(request, "education/session_form.html", {"form": form, "unit": unit, "manage": manage})


@require_GET
@perm_required(VIEW)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session(request.user, pk)
    attendances = list(session.attendances.select_related("person", "person__department"))
    writable = services.can_record(request.user, session.unit, session.branch)
    absent = session.attendances.filter(present=False).values("person")
    return render(
        request,
        "education/session_detail.html",
        {
            "s": session,
            "present": [a for a in attendances if a.present],
            "absent": [a for a in attendances if not a.present],
            "materials": list(session.materials.order_by("kind", "title")),
            "writable": writable,
            "makeup_form": MakeupForm(absent=Person.objects.filter(pk__in=absent)) if writable else None,
            "photo_form": PhotoForm() if writable else None,
            "files": list(attachments_of(session)),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(RECORD)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_recorder(request)
    session = selectors.get_session(request.user, pk)
    if not services.can_record(request.user, session.unit, session.branch):
        raise PermissionDenied(RECORD)
    if request.method == "POST":
        form = SessionForm(request.POST, unit=session.unit, branches=Branch.objects.none(), edit=True)
    else:
        attendances = session.attendances.all()
        form = SessionForm(
            unit=session.unit,
            branches=Branch.objects.none(),
            edit=True,
            initial={
                "date": session.date,
                "place": session.place,
                "host": session.host_id,
                "recorder": session.recorder_id,
                "speaker": session.speaker_id,
                "topic": session.topic,
                "content": session.content,
                "summary": session.summary,
                "hours": session.hours,
                "present": [a.person_id for a in attendances if a.present],
                "absence_reasons": "\n".join(
                    f"{a.person.name}：{a.absence_reason}"
                    for a in attendances.select_related("person")
                    if not a.present
                ),
                "materials": list(session.materials.values_list("pk", flat=True)),
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, data=form.data_object())
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"{session}已更正")
            return redirect("education:session_detail", pk=session.pk)
    return render(request, "education/session_form.html", {"form": form, "unit": session.unit, "session": session})


@require_POST
@perm_required(RECORD)
def session_makeup(request: HttpRequest, pk: int) -> HttpResponse:
    _require_recorder(request)
    session = selectors.get_session(request.user, pk)
    if not services.can_record(request.user, session.unit, session.branch):
        raise PermissionDenied(RECORD)
    absent = Person.objects.filter(pk__in=session.attendances.filter(present=False).values("person"))
    form = MakeupForm(request.POST, absent=absent)
    if not form.is_valid():
        messages.error(request, f"未登记补学——{first_error(form)}")
    else:
        run_action(
            request,
            lambda: services.attendance_makeup(actor=request.user, session=session, **form.cleaned_data),
            "补学情况已登记",
        )
    return redirect("education:session_detail", pk=session.pk)


@require_POST
@perm_required(RECORD)
def session_photo(request: HttpRequest, pk: int) -> HttpResponse:
    _require_recorder(request)
    session = selectors.get_session(request.user, pk)
    if not services.can_record(request.user, session.unit, session.branch):
        raise PermissionDenied(RECORD)
    run_action(
        request,
        lambda: services.session_attach(actor=request.user, session=session, upload=request.FILES.get("file")),
        "附件已上传",
    )
    return redirect("education:session_detail", pk=session.pk)


# --- branches (支部书记) --------------------------------------------------------------------------------------------


@require_GET
@perm_required(MANAGE)
def branch_list(request: HttpRequest) -> HttpResponse:
    unit = access.unit_with(request.user, MANAGE)
    branches = list(Branch.objects.filter(unit=unit).order_by("order", "pk"))
    leads = {
        b.branch_id: b.person for b in BranchSecretary.objects.filter(branch__in=branches).select_related("person")
    }
    return render(
        request,
        "education/branch_list.html",
        {"unit": unit, "rows": [(b, leads.get(b.pk), SecretaryForm(branch=b)) for b in branches]},
    )


@require_POST
@perm_required(MANAGE)
def branch_secretary(request: HttpRequest, pk: int) -> HttpResponse:
    branch = get_object_or_404(Branch.objects.filter(access.units_q(request.user, roles_=None, field="unit")), pk=pk)
    access.require(request.user, MANAGE, branch.unit)
    form = SecretaryForm(request.POST, branch=branch)
    if not form.is_valid():
        messages.error(request, f"未设置——{first_error(form)}")
    else:
        run_action(
            request,
            lambda: services.branch_secretary_set(actor=request.user, branch=branch, **form.cleaned_data),
            f"{branch.name}支部书记已设置",
        )
    return redirect("education:branch_list")


# --- materials ------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def material_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Material.Kind.values else ""
    q, tag = request.GET.get("q", "").strip()[:50], request.GET.get("tag", "").strip()[:30]
    page = paginate(request, selectors.materials(request.user, kind=kind, q=q, tag=tag).order_by("-created_at", "-id"))
    return render(
        request,
        "education/material_list.html",
        {
            **page,
            "kind": kind,
            "q": q,
            "tag": tag,
            "kinds": Material.Kind.choices,
            "can_manage": access.can(request.user, MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def material_new(request: HttpRequest) -> HttpResponse:
    unit = access.unit_with(request.user, MANAGE)
    post = request.method == "POST"
    form = MaterialForm(
        request.POST if post else None, request.FILES if post else None, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_create(
                actor=request.user, unit=unit, data=form.data_object(), upload=form.cleaned_data.get("file")
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"资料“{material}”已入库")
            return redirect("education:material_detail", pk=material.pk)
    return render(request, "education/material_form.html", {"form": form, "unit": unit})


@require_GET
@perm_required(VIEW)
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = selectors.get_material(request.user, pk)
    used = selectors.sessions(request.user).filter(materials=material).order_by("-date")[:50]
    return render(
        request,
        "education/material_detail.html",
        {"m": material, "sessions": used, "files": list(attachments_of(material))},
    )


# --- people ---------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def my_record(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(VIEW)
    return person_record(request, person.pk)


@require_GET
@perm_required(VIEW)
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person(request.user, pk)
    year = _year(request)
    return render(
        request,
        "education/person_record.html",
        {"r": selectors.study_record(person, year), "year": year, "years": _years()},
    )


# --- exports --------------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def ledger(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.ledger_rows(request.user, year)
    audit.record(actor=request.user, action="education_ledger.export", changes={"year": year, "rows": len(rows)})
    return xlsx_response(f"{year}年学习台账", LEDGER_HEADER, rows, filename=f"{year}年学习台账.xlsx")


@require_GET
@perm_required(RECORD)
def record_book(request: HttpRequest) -> HttpResponse:
    """The 三会一课记录本 of a branch (?branch=) and year (?year=): the branch's secretary or education.manage."""
    unit = _require_recorder(request)
    branches = services.recordable_branches(request.user, unit)
    branch = branches.filter(pk=_int(request.GET.get("branch"))).first() if request.GET.get("branch") else None
    if branch is None:
        branch = branches.order_by("order", "pk").first()
    if branch is None:
        raise PermissionDenied(RECORD)
    year = _year(request)
    data = record_book_docx(branch, year)
    audit.record(actor=request.user, action="education_record_book.export", obj=branch, changes={"year": year})
    filename = f"{branch.name}{year}年三会一课记录本.docx"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
