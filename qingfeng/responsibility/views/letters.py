"""责任书 and 述责述廉 pages."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error, run_action
from qingfeng.core.attachments import attachments_of
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.exports import xlsx_response
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.responsibility import selectors
from qingfeng.responsibility.forms import AssignReportsForm, ReportForm, ScoreForm, SignForm
from qingfeng.responsibility.models import DutyReport, Letter
from qingfeng.responsibility.services import letters as services
from qingfeng.responsibility.views.lists import any_perm_required, writer_unit, year_of

VIEW = "responsibility.view"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@perm_required(VIEW)
def letter_list(request: HttpRequest) -> HttpResponse:
    """The year's letters the user sees, those not signed first (the 未签订 list)."""
    year = year_of(request)
    qs = selectors.year_letters(request.user, year, unsigned=request.GET.get("unsigned") == "1")
    unsigned = qs.filter(signed_on__isnull=True).count()
    page = paginate(request, qs)
    unit = writer_unit(request.user, "responsibility.manage")
    own = getattr(request.user, "person", None)
    for letter in page["page_obj"]:
        letter.can_sign = (own is not None and own.pk == letter.signer_id) or (
            unit is not None and access.can(request.user, "responsibility.manage", letter.unit)
        )
    context = {
        **page,
        "year": year,
        "unsigned": unsigned,
        "can_prepare": unit is not None,
        "sign_form": SignForm(),
        "only_unsigned": request.GET.get("unsigned") == "1",
    }
    return render(request, "responsibility/letter_list.html", context)


@require_POST
@perm_required("responsibility.manage")
def letters_prepare(request: HttpRequest) -> HttpResponse:
    unit = writer_unit(request.user, "responsibility.manage")
    year = year_of(request) if request.POST.get("year") is None else _int(request.POST.get("year"))
    made: list[int] = []
    run_action(
        request,
        lambda: made.append(services.letters_prepare(actor=request.user, unit=unit, year=year)),
        f"{year}年度责任书已生成",
    )
    return redirect(reverse("responsibility:letter_list") + f"?year={year}")


def _int(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_GET
@perm_required(VIEW)
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    letter = access.get_object_for_user(
        request.user, Letter, pk, queryset=Letter.objects.select_related("signer", "department", "unit")
    )
    response = HttpResponse(services.letter_docx(letter), content_type=DOCX)
    name = f"{letter.year}年度党风廉政建设责任书（{letter.signer.name}）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@any_perm_required("responsibility.sign", "responsibility.manage")
def letter_sign(request: HttpRequest, pk: int) -> HttpResponse:
    letter = access.get_object_for_user(request.user, Letter, pk, queryset=Letter.objects.select_related("signer"))
    form = SignForm(request.POST, request.FILES)
    back = reverse("responsibility:letter_list") + f"?year={letter.year}"
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    run_action(
        request,
        lambda: services.letter_sign(
            actor=request.user,
            letter=letter,
            upload=form.cleaned_data["file"],
            signed_on=form.cleaned_data["signed_on"],
        ),
        f"{letter.signer.name}的责任书扫描件已上传",
    )
    return redirect(back)


# ------------------------------------------------------------------------------------------------ 述责述廉


@require_GET
@perm_required(VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    """The year's 述责述廉 as one table: who reported (on time or late) and the 民主测评 counts."""
    year = year_of(request)
    page = paginate(request, selectors.year_reports(request.user, year))
    manage = writer_unit(request.user, "responsibility.manage") is not None
    rows = list(page["page_obj"].object_list)
    page["page_obj"].object_list = rows
    table = services.summary_rows(rows)
    for report, row in zip(rows, table, strict=True):
        report.row = row
        report.score_form = ScoreForm(
            initial={n: getattr(report, n) for n in ("excellent", "competent", "basic", "incompetent")},
            auto_id=f"s{report.pk}_%s",
        )
    context = {
        **page,
        "year": year,
        "manage": manage,
        "header": services.SUMMARY_HEADER,
        "assign_form": AssignReportsForm(initial={"year": year}),
    }
    return render(request, "responsibility/report_list.html", context)


@require_POST
@perm_required("responsibility.manage")
def reports_assign(request: HttpRequest) -> HttpResponse:
    unit = writer_unit(request.user, "responsibility.manage")
    form = AssignReportsForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("responsibility:report_list")
    data = form.cleaned_data
    run_action(
        request,
        lambda: services.reports_assign(actor=request.user, unit=unit, year=data["year"], due=data["due"]),
        f"已通知班子成员报送{data['year']}年度述责述廉报告",
    )
    return redirect(reverse("responsibility:report_list") + f"?year={data['year']}")


@require_http_methods(["GET", "POST"])
@perm_required(VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_object_for_user(
        request.user, DutyReport, pk, queryset=DutyReport.objects.select_related("leader", "unit")
    )
    may_submit = services.may_submit(request.user, report)
    form = ReportForm(request.POST or None, request.FILES or None, initial={"text": report.text})
    if request.method == "POST":
        if not may_submit:
            access.require(request.user, "responsibility.manage", report.unit)
        if form.is_valid():
            try:
                services.report_submit(
                    actor=request.user,
                    report=report,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data["file"],
                )
            except UserError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, "述责述廉报告已报送")
                return redirect("responsibility:report_detail", pk=report.pk)
    context = {
        "report": report,
        "form": form if may_submit else None,
        "files": list(attachments_of(report)),
        "late": report.submitted_at is not None and timezone.localdate(report.submitted_at) > report.due,
    }
    return render(request, "responsibility/report_detail.html", context)


@require_POST
@perm_required("responsibility.manage")
def report_score(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_object_for_user(request.user, DutyReport, pk, write=True)
    form = ScoreForm(request.POST)
    back = reverse("responsibility:report_list") + f"?year={report.year}"
    if not form.is_valid():
        messages.error(request, f"测评票数未保存——{first_error(form)}")
        return redirect(back)
    run_action(
        request,
        lambda: services.report_score(actor=request.user, report=report, counts=form.cleaned_data),
        f"{report.leader.name}的民主测评已录入",
    )
    return redirect(back)


@require_GET
@perm_required(VIEW)
def report_export(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    reports = list(selectors.year_reports(request.user, year))
    title = f"{year}年度述责述廉情况汇总表"
    return xlsx_response(title, services.SUMMARY_HEADER, services.summary_rows(reports), filename=f"{title}.xlsx")
