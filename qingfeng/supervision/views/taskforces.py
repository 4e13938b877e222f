"""专班推进 pages: the list, setting one up, and its board (goal, members, milestones, tasks, progress line)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.org.roles import Role
from qingfeng.supervision import warnings
from qingfeng.supervision.forms_taskforces import AttachForm, MilestoneDoneForm, MilestoneForm, TaskForceForm
from qingfeng.supervision.models import Milestone, TaskForce
from qingfeng.supervision.services import taskforces


def _visible(request: HttpRequest):  # type: ignore[no-untyped-def]
    return TaskForce.objects.filter(access.visible_q(request.user, TaskForce))


@require_GET
@perm_required("supervision.view")
def taskforce_list(request: HttpRequest) -> HttpResponse:
    qs = (
        _visible(request)
        .select_related("leader")
        .annotate(
            milestone_count=Count("milestones", filter=Q(milestones__deleted_at__isnull=True), distinct=True),
            milestone_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
            task_count=Count("tasks", distinct=True),
        )
        .order_by("status", "-start", "-id")
    )
    can_create = access.can(request.user, "supervision.taskforce")
    return render(request, "supervision/taskforce_list.html", {**paginate(request, qs), "can_create": can_create})


@require_http_methods(["GET", "POST"])
@perm_required("supervision.taskforce")
def taskforce_new(request: HttpRequest) -> HttpResponse:
    unit = next(a.unit for a in access.assignments(request.user) if a.role in (Role.CLERK, Role.SECRETARY))
    form = TaskForceForm(request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tf = taskforces.taskforce_create(
                actor=request.user,
                unit=unit,
                name=data["name"],
                leader=data["leader"],
                members=list(data["members"]),
                goal=data["goal"],
                start=data["start"],
                end=data["end"],
            )
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"专班“{tf.name}”已成立")
            return redirect("supervision:taskforce_detail", pk=tf.pk)
    return render(request, "supervision/taskforce_form.html", {"form": form})


@require_GET
@perm_required("supervision.view")
def taskforce_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tf = access.get_object_for_user(
        request.user, TaskForce, pk, queryset=TaskForce.objects.select_related("leader", "unit")
    )
    tasks = warnings.annotate(
        list(tf.tasks.select_related("lead_leader").prefetch_related("parts__department").order_by("deadline", "pk"))
    )
    return render(
        request,
        "supervision/taskforce_detail.html",
        {
            "tf": tf,
            "members": tf.members.select_related("department"),
            "milestones": tf.milestones.all(),
            "tasks": tasks,
            "progress": taskforces.progress(tf),
            "steer": taskforces.can_steer(request.user, tf),
            "can_attach": access.can(request.user, "supervision.assign", tf.unit),
            "milestone_form": MilestoneForm(),
            "attach_form": AttachForm(unit=tf.unit),
        },
    )


def _act(request: HttpRequest, pk: int, form_class, run) -> HttpResponse:  # type: ignore[no-untyped-def]
    tf = access.get_object_for_user(request.user, TaskForce, pk)
    form = form_class(request.POST, **({"unit": tf.unit} if form_class is AttachForm else {}))
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            run(tf, form.cleaned_data)
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存")
    return redirect("supervision:taskforce_detail", pk=tf.pk)


@require_POST
@perm_required("supervision.view")
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        MilestoneForm,
        lambda tf, d: taskforces.milestone_add(actor=request.user, taskforce=tf, title=d["title"], due=d["due"]),
    )


@require_POST
@perm_required("supervision.view")
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    def run(tf, d):  # type: ignore[no-untyped-def]
        milestone = Milestone.objects.filter(taskforce=tf, pk=d["milestone"]).first()
        if milestone is None:
            raise Http404
        taskforces.milestone_done(actor=request.user, milestone=milestone, note=d["note"])

    return _act(request, pk, MilestoneDoneForm, run)


@require_POST
@perm_required("supervision.assign")
def taskforce_attach(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AttachForm,
        lambda tf, d: taskforces.taskforce_attach(actor=request.user, taskforce=tf, task=d["task"]),
    )
