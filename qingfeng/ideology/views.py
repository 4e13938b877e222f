"""意识形态 pages: the 阵地 register (filters, add, correct, delete) and each position's 审核台账; the publications
through 三审三校 (a draft, each 审, each 校, 发布); the 研判 meetings with their follow-up tasks; the dashboard."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core import audit
from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.ideology import selectors
from qingfeng.ideology.forms import (
    DeleteForm,
    FollowUpForm,
    MeetingForm,
    PositionForm,
    ProofForm,
    PublicationForm,
    PublishForm,
    ResubmitForm,
    ReviewForm,
)
from qingfeng.ideology.models import Meeting, Position, Publication, Review
from qingfeng.ideology.services import meetings as meeting_services
from qingfeng.ideology.services import positions as position_services
from qingfeng.ideology.services import publications as services
from qingfeng.ideology.services import report as report_services
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.models import Department

VIEW, EDIT, MANAGE = "ideology.view", "ideology.edit", "ideology.manage"


def _int(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _year(request: HttpRequest) -> int:
    year = _int(request.GET.get("year", "")) or 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _manage_unit(request: HttpRequest) -> Any:
    unit = access.unit_with(request.user, MANAGE)
    if unit is None:
        raise PermissionDenied(MANAGE)
    return unit


# --- dashboard ----------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request)
    board = selectors.dashboard(request.user, year, today)
    return render(
        request,
        "ideology/dashboard.html",
        {
            "d": board,
            "years": range(today.year, today.year - 5, -1),
            "can_manage": access.can(request.user, MANAGE),
            "report_half": report_services.current_half(today).half,
        },
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
@perm_required(MANAGE)
def report(request: HttpRequest) -> HttpResponse:
    """The half-year 意识形态工作情况报告 (.docx) of the unit the user manages ideology work for: ?year=&half=1|2,
    the current half-year when left out."""
    unit = _manage_unit(request)
    today = timezone.localdate()
    current = report_services.current_half(today)
    year_text, half_text = request.GET.get("year", "").strip(), request.GET.get("half", "").strip()
    year = (_int(year_text) or 0) if year_text else current.year
    half = (_int(half_text) or 0) if half_text else current.half
    try:
        period = report_services.half_year(year, half)
        if period.start > today:
            raise UserError(f"{period.label}尚未开始，不能生成报告")
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("ideology:dashboard")
    data = report_services.report_docx(request.user, unit, period, today=today)
    audit.record(
        actor=request.user,
        action="ideology_report.export",
        obj=unit,
        changes={"year": period.year, "half": period.half},
    )
    filename = f"{report_services.report_title(unit, period)}.docx"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


# --- positions ----------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def position_list(request: HttpRequest) -> HttpResponse:
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    filters = selectors.PositionFilters(
        kind=kind if kind in Position.Kind.values else "",
        status=status if status in Position.Status.values else "",
        department=_int(request.GET.get("department", "")),
        q=request.GET.get("q", "").strip()[:50],
    )
    page = paginate(request, selectors.positions(request.user, filters).order_by("unit__path", "kind", "id"))
    departments = Department.objects.filter(access.visible_q(request.user, Department)).order_by("unit_id", "order")
    return render(
        request,
        "ideology/position_list.html",
        {
            **page,
            "filters": filters,
            "kinds": Position.Kind.choices,
            "statuses": Position.Status.choices,
            "departments": departments,
            "can_manage": access.can(request.user, MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def position_new(request: HttpRequest) -> HttpResponse:
    unit = _manage_unit(request)
    form = PositionForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            position = position_services.position_create(
                actor=request.user, unit=unit, data=position_services.PositionData(**form.cleaned_data)
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"阵地“{position.name}”已登记")
            return redirect("ideology:position_detail", pk=position.pk)
    return render(request, "ideology/position_form.html", {"form": form, "unit": unit})


def _position(request: HttpRequest, pk: int, *, write: bool = False) -> Position:
    return access.get_object_for_user(
        request.user,
        Position,
        pk,
        write=write,
        queryset=Position.objects.select_related("unit", "department", "responsible_person", "reviewer"),
    )


@require_GET
@perm_required(VIEW)
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The position and its 审核台账: everything published on it and who approved and proofread each piece."""
    position = _position(request, pk)
    page = paginate(request, selectors.position_publications(position))
    rows = [(p, selectors.approvals(p), selectors.round_proofs(p)) for p in page["page_obj"].object_list]
    pending = (
        selectors.publications(request.user).filter(position=position).exclude(status=Publication.Status.PUBLISHED)
    )
    return render(
        request,
        "ideology/position_detail.html",
        {
            **page,
            "position": position,
            "rows": rows,
            "pending": pending.count(),
            "can_manage": access.can(request.user, MANAGE, position.unit),
            "can_draft": access.can(request.user, EDIT, position.unit) and position.status == Position.Status.ACTIVE,
            "levels": Review.Level.choices,
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk, write=True)
    initial = {f: getattr(position, f) for f in position_services.FIELDS}
    form = PositionForm(request.POST if request.method == "POST" else None, unit=position.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            position_services.position_update(
                actor=request.user, position=position, data=position_services.PositionData(**form.cleaned_data)
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"阵地“{position.name}”已修改")
            return redirect("ideology:position_detail", pk=position.pk)
    return render(
        request, "ideology/position_edit.html", {"form": form, "position": position, "delete_form": DeleteForm()}
    )


@require_POST
@perm_required(MANAGE)
def position_delete(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk, write=True)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未删除——{first_error(form)}")
        return redirect("ideology:position_edit", pk=position.pk)
    if run_action(
        request,
        lambda: position_services.position_delete(
            actor=request.user, position=position, reason=form.cleaned_data["reason"]
        ),
        f"阵地“{position.name}”已删除",
    ):
        return redirect("ideology:position_list")
    return redirect("ideology:position_edit", pk=position.pk)


# --- publications -------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def publication_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    filters = selectors.PublicationFilters(
        status=status if status in Publication.Status.values else "",
        position=_int(request.GET.get("position", "")),
        q=request.GET.get("q", "").strip()[:50],
    )
    page = paginate(request, selectors.publications(request.user, filters).order_by("-submitted_at", "-id"))
    return render(
        request,
        "ideology/publication_list.html",
        {
            **page,
            "filters": filters,
            "statuses": Publication.Status.choices,
            "positions": selectors.positions(request.user).order_by("unit__path", "kind", "id")[:200],
            "can_draft": access.can(request.user, EDIT),
        },
    )


def _draftable(request: HttpRequest) -> Any:
    """The positions the user may write a draft on: those they see, 运行中, in units where they hold edit."""
    units = access.units_q(request.user, roles_=selectors._roles_with(EDIT), field="unit")
    return selectors.positions(request.user).filter(units, status=Position.Status.ACTIVE).order_by("kind", "id")


@require_http_methods(["GET", "POST"])
@perm_required(EDIT)
def publication_new(request: HttpRequest) -> HttpResponse:
    initial = {"position": _int(request.GET.get("position", ""))}
    form = PublicationForm(
        request.POST if request.method == "POST" else None, positions=_draftable(request), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.publication_create(actor=request.user, **form.cleaned_data)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "稿件已送初审")
            return redirect("ideology:publication_detail", pk=publication.pk)
    return render(request, "ideology/publication_form.html", {"form": form})


def _publication(request: HttpRequest, pk: int) -> Publication:
    return access.get_object_for_user(
        request.user,
        Publication,
        pk,
        queryset=Publication.objects.select_related(
            "unit", "position", "position__department", "position__reviewer", "author", "published_by"
        ),
    )


@require_GET
@perm_required(VIEW)
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    reviews, proofs = selectors.publication_history(publication)
    user, unit = request.user, publication.unit
    editable = access.can(user, EDIT, unit) and publication.status != Publication.Status.PUBLISHED
    level = services.current_level(publication)
    done_kinds = {p.kind for p in proofs if p.round == publication.round}
    context = {
        "p": publication,
        "reviews": reviews,
        "proofs": proofs,
        "level": Review.Level(level).label if level else "",
        "review_form": ReviewForm() if services.may_review(user, publication) else None,
        "who": services.WHO[Review.Level(level)] if level else "",
        "proof_form": None,
        "missing": services.missing_proofs(publication),
        "publish_form": None,
        "resubmit_form": None,
    }
    if editable and publication.status != Publication.Status.RETURNED and len(done_kinds) < 3:
        form = ProofForm()
        form.fields["kind"].choices = [c for c in form.fields["kind"].choices if c[0] not in done_kinds]
        context["proof_form"] = form
    if editable and publication.status == Publication.Status.APPROVED and services.may_publish(user, publication):
        context["publish_form"] = PublishForm()
    if publication.status == Publication.Status.RETURNED and publication.author_id == user.pk:
        context["resubmit_form"] = ResubmitForm(initial={"title": publication.title, "body": publication.body})
    return render(request, "ideology/publication_detail.html", context)


@require_POST
@perm_required(EDIT)
def publication_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review of the level the draft waits for (初审, 复审 or 终审); a level the user's role does not reach: 403."""
    publication = _publication(request, pk)
    form = ReviewForm(request.POST)
    level = services.current_level(publication)
    if level is None:
        messages.error(request, f"稿件{publication.get_status_display()}，没有待进行的审核")
    elif not form.is_valid():
        messages.error(request, f"未审核——{first_error(form)}")
    else:
        label = Review.Level(level).label
        run_action(
            request,
            lambda: services.publication_review(
                actor=request.user, publication=publication, level=level, **form.cleaned_data
            ),
            f"{label}已完成" if form.cleaned_data["decision"] == Review.Decision.APPROVE else "稿件已退回撰稿人修改",
        )
    return redirect("ideology:publication_detail", pk=publication.pk)


@require_POST
@perm_required(EDIT)
def publication_proof(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    form = ProofForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未登记——{first_error(form)}")
    else:
        run_action(
            request,
            lambda: services.publication_proof(actor=request.user, publication=publication, **form.cleaned_data),
            "校对已登记",
        )
    return redirect("ideology:publication_detail", pk=publication.pk)


@require_POST
@perm_required(EDIT)
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未发布——{first_error(form)}")
    else:
        run_action(
            request,
            lambda: services.publication_publish(actor=request.user, publication=publication, **form.cleaned_data),
            "稿件已标记为已发布",
        )
    return redirect("ideology:publication_detail", pk=publication.pk)


@require_POST
@perm_required(EDIT)
def publication_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    form = ResubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未送审——{first_error(form)}")
    else:
        run_action(
            request,
            lambda: services.publication_resubmit(actor=request.user, publication=publication, **form.cleaned_data),
            "稿件已修改并重新送初审",
        )
    return redirect("ideology:publication_detail", pk=publication.pk)


# --- meetings -----------------------------------------------------------------------------------------------


@require_GET
@perm_required(VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Meeting.Kind.values else ""
    year = _int(request.GET.get("year", "")) or None
    year = year if year and 2000 <= year <= 2100 else None
    page = paginate(request, selectors.meetings(request.user, kind=kind, year=year).order_by("-date", "-id"))
    today = timezone.localdate()
    return render(
        request,
        "ideology/meeting_list.html",
        {
            **page,
            "kind": kind,
            "year": year,
            "kinds": Meeting.Kind.choices,
            "years": range(today.year, today.year - 5, -1),
            "can_manage": access.can(request.user, MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required(MANAGE)
def meeting_new(request: HttpRequest) -> HttpResponse:
    unit = _manage_unit(request)
    initial = {"date": timezone.localdate(), "kind": request.GET.get("kind", Meeting.Kind.STUDY)}
    form = MeetingForm(request.POST if request.method == "POST" else None, unit=unit, initial=initial)
    if request.method == "GET":
        form.initial["participants"] = list(form.fields["participants"].queryset.filter(is_leadership=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_services.meeting_create(
                actor=request.user, unit=unit, **{**data, "participants": list(data["participants"])}
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"{meeting}已登记，可继续交办落实事项")
            return redirect("ideology:meeting_detail", pk=meeting.pk)
    return render(request, "ideology/meeting_form.html", {"form": form, "unit": unit})


def _meeting(request: HttpRequest, pk: int, *, write: bool = False) -> Meeting:
    return access.get_object_for_user(
        request.user,
        Meeting,
        pk,
        write=write,
        queryset=Meeting.objects.select_related("unit", "host", "recorded_by"),
    )


@require_GET
@perm_required(VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    manage = access.can(request.user, MANAGE, meeting.unit)
    return render(
        request,
        "ideology/meeting_detail.html",
        {
            "m": meeting,
            "participants": list(meeting.participants.select_related("department").order_by("-is_leadership", "order")),
            "tasks": list(meeting.tasks.order_by("id")),
            "follow_form": FollowUpForm(unit=meeting.unit) if manage else None,
        },
    )


@require_POST
@perm_required(MANAGE)
def meeting_task(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, write=True)
    form = FollowUpForm(request.POST, unit=meeting.unit)
    if not form.is_valid():
        messages.error(request, f"未交办——{first_error(form)}")
        return redirect("ideology:meeting_detail", pk=meeting.pk)
    made: list[Any] = []
    if run_action(
        request,
        lambda: made.append(
            meeting_services.meeting_follow_up(actor=request.user, meeting=meeting, **form.cleaned_data)
        ),
        "落实事项已交办",
    ):
        messages.info(request, f"督办事项 {made[0].number} 已交办，牵头科室须于当日签收")
    return redirect("ideology:meeting_detail", pk=meeting.pk)
