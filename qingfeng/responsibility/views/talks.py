"""谈话 pages: the talks a user sees, recording one, a talk with its follow-up tasks, the frequency rules and the
compliance page (who is missing whom this period)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qingfeng.core.actions import first_error, run_action
from qingfeng.core.errors import UserError, add_to_form
from qingfeng.core.paging import paginate
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.responsibility import selectors
from qingfeng.responsibility.forms import FollowUpForm, RuleForm, TalkForm
from qingfeng.responsibility.models import Talk, TalkRule
from qingfeng.responsibility.services import talks as services
from qingfeng.responsibility.views.lists import writer_unit

VIEW = "responsibility.view"


@require_GET
@perm_required(VIEW)
def talk_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.visible_talks(request.user)
    kind = request.GET.get("kind", "")
    if kind in Talk.Kind.values:
        qs = qs.filter(kind=kind)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(talker__name__contains=q) | Q(talkee__name__contains=q))
    page = paginate(request, qs.order_by("-date", "-id"))
    context = {
        **page,
        "kind": kind,
        "q": q,
        "kinds": Talk.Kind.choices,
        "can_record": access.can(request.user, "responsibility.talk"),
    }
    return render(request, "responsibility/talk_list.html", context)


@require_http_methods(["GET", "POST"])
@perm_required("responsibility.talk")
def talk_new(request: HttpRequest) -> HttpResponse:
    unit = writer_unit(request.user, "responsibility.talk")
    form = TalkForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.talk_create(actor=request.user, unit=unit, **form.cleaned_data)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"{talk.get_kind_display()}记录已登记")
            return redirect("responsibility:talk_detail", pk=talk.pk)
    return render(request, "responsibility/talk_form.html", {"form": form})


@require_GET
@perm_required(VIEW)
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talk = access.get_object_for_user(
        request.user, Talk, pk, queryset=Talk.objects.select_related("talker", "talkee", "unit", "recorded_by")
    )
    own = getattr(request.user, "person", None)
    may_follow = access.can(request.user, "responsibility.talk", talk.unit) and (
        (own is not None and own.pk == talk.talker_id) or access.can(request.user, "responsibility.manage", talk.unit)
    )
    context = {
        "talk": talk,
        "tasks": list(talk.tasks.all()),
        "follow_form": FollowUpForm(unit=talk.unit) if may_follow else None,
    }
    return render(request, "responsibility/talk_detail.html", context)


@require_POST
@perm_required("responsibility.talk")
def talk_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    talk = access.get_object_for_user(request.user, Talk, pk, queryset=Talk.objects.select_related("talker", "talkee"))
    form = FollowUpForm(request.POST, unit=talk.unit)
    if not form.is_valid():
        messages.error(request, f"整改落实事项未交办——{first_error(form)}")
    else:
        run_action(
            request,
            lambda: services.talk_follow_up(actor=request.user, talk=talk, **form.cleaned_data),
            "整改落实事项已交办",
        )
    return redirect("responsibility:talk_detail", pk=talk.pk)


@require_GET
@perm_required("responsibility.talk")
def compliance(request: HttpRequest) -> HttpResponse:
    """谈话落实情况 of the user's own unit: for those who record talks (secretary, leaders, 纪检组长, office)."""
    unit = writer_unit(request.user, "responsibility.talk")
    results = services.compliance(unit)
    context = {
        "unit": unit,
        "results": results,
        "missing": sum(len(r.missing) for r in results),
        "can_rules": access.can(request.user, "responsibility.manage", unit),
    }
    return render(request, "responsibility/compliance.html", context)


@require_http_methods(["GET", "POST"])
@perm_required("responsibility.manage")
def rules(request: HttpRequest) -> HttpResponse:
    unit = writer_unit(request.user, "responsibility.manage")
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_add(actor=request.user, unit=unit, **form.cleaned_data)
        except UserError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "谈话频次规则已添加")
            return redirect("responsibility:rules")
    in_force = services.rules_for(unit)
    return render(request, "responsibility/rules.html", {"form": form, "rules": in_force, "unit": unit})


@require_POST
@perm_required("responsibility.manage")
def rule_disable(request: HttpRequest, pk: int) -> HttpResponse:
    rule = access.get_object_for_user(request.user, TalkRule, pk, write=True)
    run_action(request, lambda: services.rule_disable(actor=request.user, rule=rule), "规则已停用")
    return redirect("responsibility:rules")
