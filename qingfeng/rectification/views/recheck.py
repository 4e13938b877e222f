"""回头看 actions on the round page: set a closed measure's recheck date (the office), record the recheck (the
纪检组长). Both answer with a message and go back to the measure's finding on the round page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingfeng.core.actions import run_action
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.rectification.models import Measure
from qingfeng.rectification.services import recheck
from qingfeng.supervision.services._common import cn_date

MANAGE = "rectification.manage"


def _measure(request: HttpRequest, pk: int) -> Measure:
    return access.get_object_for_user(
        request.user, Measure, pk, write=True, queryset=Measure.objects.select_related("finding", "unit", "task")
    )


def _back(measure: Measure) -> str:
    return reverse("rectification:round_detail", args=[measure.finding.round_id]) + f"#finding-{measure.finding_id}"


@require_POST
@perm_required(MANAGE)
def measure_recheck_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    raw = request.POST.get("on", "").strip()
    on = None
    if raw:
        try:
            on = dt.date.fromisoformat(raw)
        except ValueError:
            messages.error(request, "回头看日期格式不正确，请按“2024-03-31”填写")
            return redirect(_back(measure))
    done: list[Measure] = []
    run_action(
        request,
        lambda: done.append(recheck.measure_schedule_recheck(actor=request.user, measure=measure, on=on)),
        "回头看日期已设定",
    )
    if done:
        messages.info(request, f"到{cn_date(done[0].recheck_on)}将交纪检组长回头看")
    return redirect(_back(measure))


@require_POST
@perm_required(MANAGE)
def measure_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    result = request.POST.get("result", "")
    if result not in Measure.RecheckResult.values:
        messages.error(request, "请选择回头看结果：通过或未通过")
        return redirect(_back(measure))
    passed = result == Measure.RecheckResult.PASSED
    done: list[Measure] = []
    run_action(
        request,
        lambda: done.append(
            recheck.measure_recheck(
                actor=request.user, measure=measure, passed=passed, note=request.POST.get("note", "")
            )
        ),
        "回头看通过，已记录" if passed else "回头看未通过，该措施已重新交办整改",
    )
    if done and not passed:
        messages.info(request, f"新督办编号：{done[0].task.number}，责任部门须于当日签收")
    return redirect(_back(measure))
