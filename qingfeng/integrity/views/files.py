"""廉政档案 pages: whose files the user sees, one person's file (sections from selectors.FILE_SECTIONS), its .docx
(公文 layout), and a new filing."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core import audit, gongwen
from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.integrity import selectors
from qingfeng.integrity.forms import DeleteForm, FilingForm
from qingfeng.integrity.models import Filing
from qingfeng.integrity.services import filings
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Department, Person

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _person(request: HttpRequest, pk: int) -> Person:
    person = selectors.file_people(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("对象不存在")
    return person


@require_GET
@perm_required("integrity.view")
def file_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    try:
        department = int(request.GET.get("department", "")) or None
    except ValueError:
        department = None
    department = department if department and department < 2**31 else None
    page = paginate(request, selectors.file_people(request.user, q=q, department=department))
    departments = Department.objects.filter(access.visible_q(request.user, Department)).order_by("unit_id", "order")
    return render(
        request,
        "integrity/file_list.html",
        {**page, "q": q, "department": department, "departments": departments},
    )


@require_GET
@never_cache
@perm_required("integrity.view")
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    sections = selectors.file_sections(request.user, person)
    if any(s.key == "ledger" for s in sections):
        audit.record(actor=request.user, action="ledger.view_file", obj=person, changes={"section": "四种形态"})
    return render(
        request,
        "integrity/file_detail.html",
        {
            "person": person,
            "sections": sections,
            "can_file": filings.may_file_for(request.user, person),
            # a 填报 link under the filing sections only (not under talks, duties or the ledger)
            "filing_kinds": Filing.Kind.values,
        },
    )


@require_GET
@never_cache
@perm_required("integrity.view")
def file_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    sections = selectors.file_sections(request.user, person)
    blocks: list[gongwen.Block] = [
        gongwen.Paragraph(
            f"姓名：{person.name}　单位：{person.unit.name}　科室：{person.department or '—'}　职务：{person.post or '—'}"
        )
    ]
    numerals = "一二三四五六七八九十"
    for i, section in enumerate(sections):
        blocks.append(gongwen.Heading(1, f"{numerals[i % 10]}、{section.title}"))
        if section.rows:
            blocks.append(gongwen.Table(section.header, section.rows))
        else:
            blocks.append(gongwen.Paragraph("无。"))
    blocks.append(gongwen.Paragraph(f"（{selectors.cn(timezone.localdate())}导出）"))
    data = gongwen.gongwen_docx(title=f"{person.name}同志廉政档案", blocks=blocks)
    audit.record(
        actor=request.user,
        action="file.export",
        obj=person,
        changes={"sections": [s.key for s in sections]},
    )
    filename = f"{person.name}廉政档案.docx"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@perm_required("integrity.file_submit")
def filing_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if not filings.may_file_for(request.user, person):
        raise PermissionDenied("integrity.file_submit")
    kind = request.GET.get("kind", Filing.Kind.PERSONAL_MATTERS)
    initial = {"kind": kind if kind in Filing.Kind.values else Filing.Kind.PERSONAL_MATTERS}
    initial["filed_on"] = timezone.localdate()
    initial["year"] = timezone.localdate().year
    form = FilingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            filing = filings.filing_create(
                actor=request.user, person=person, data=filings.FilingData(**data), upload=upload
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            text = f"{filing.get_kind_display()}已登记"
            if filing.over_limit:
                messages.warning(request, f"{text}。规模超过规定，已报纪检组长核实")
            else:
                messages.success(request, text)
            return redirect("integrity:file_detail", pk=person.pk)
    return render(request, "integrity/filing_form.html", {"form": form, "person": person})


def _filing(request: HttpRequest, pk: int) -> Filing:
    """A filing the user sees (else 404) and may still change (else 403: services.filings decision 5)."""
    filing = access.get_object_for_user(
        request.user, Filing, pk, queryset=Filing.objects.select_related("person", "unit")
    )
    if not filings.may_change(request.user, filing):
        raise PermissionDenied(filings.change_refusal(request.user, filing))
    return filing


@require_http_methods(["GET", "POST"])
@perm_required("integrity.file_submit")
def filing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    fields = ["kind", *filings.EDITABLE[filing.kind]]
    initial = {f: getattr(filing, f) for f in fields}
    form = FilingForm(request.POST or None, initial=initial).for_edit(filing.kind)
    if request.method == "POST" and form.is_valid():
        current = {f: getattr(filing, f) for f in filings.FilingData.__dataclass_fields__}
        data = filings.FilingData(**{**current, **form.cleaned_data, "kind": filing.kind})
        try:
            filing = filings.filing_update(actor=request.user, filing=filing, data=data)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            text = f"{filing.get_kind_display()}已修改"
            if filing.over_limit:
                messages.warning(request, f"{text}。规模超过规定，已报纪检组长核实")
            else:
                messages.success(request, text)
            return redirect("integrity:file_detail", pk=filing.person_id)
    return render(
        request,
        "integrity/filing_edit.html",
        {"form": form, "filing": filing, "person": filing.person, "delete_form": DeleteForm()},
    )


@require_POST
@perm_required("integrity.file_submit")
def filing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未删除——{first_error(form)}")
        return redirect("integrity:filing_edit", pk=filing.pk)
    if run_action(
        request,
        lambda: filings.filing_delete(actor=request.user, filing=filing, reason=form.cleaned_data["reason"]),
        f"{filing.get_kind_display()}已撤回",
    ):
        return redirect("integrity:file_detail", pk=filing.person_id)
    return redirect("integrity:filing_edit", pk=filing.pk)
