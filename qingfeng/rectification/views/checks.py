from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingfeng.core.actions import first_error, run_action
from qingfeng.core.models import Attachment
from qingfeng.org import access
from qingfeng.org.access import perm_required
from qingfeng.rectification.models import Finding, FindingCheck
from qingfeng.rectification.services import checks

STAGE_ORDER = {s: i for i, s in enumerate(FindingCheck.Stage.values)}


class FindingCheckForm(forms.Form):
    stage = forms.ChoiceField(label="核查环节", choices=[("", "请选择"), *FindingCheck.Stage.choices])
    note = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 2}))


def attach_checks(findings: list[Any]) -> None:
    """Each finding's current checks (f.checks_shown, in stage order) with their evidence (c.files): two queries."""
    rows = list(FindingCheck.objects.filter(finding__in=findings).select_related("checked_by"))
    files: dict[int, list[Attachment]] = defaultdict(list)
    owner_type = ContentType.objects.get_for_model(FindingCheck)
    for a in Attachment.objects.filter(owner_type=owner_type, owner_id__in=[c.pk for c in rows]):
        files[a.owner_id].append(a)
    by_finding: dict[int, list[FindingCheck]] = defaultdict(list)
    for c in sorted(rows, key=lambda c: STAGE_ORDER[c.stage]):
        c.files = files.get(c.pk, [])
        by_finding[c.finding_id].append(c)
    for f in findings:
        f.checks_shown = by_finding.get(f.pk, [])


@require_POST
@perm_required("rectification.view")
def finding_check(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.get_object_for_user(request.user, Finding, pk)
    form = FindingCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        run_action(
            request,
            lambda: checks.finding_check(
                actor=request.user,
                finding=finding,
                stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
                uploads=request.FILES.getlist("files"),
            ),
            "核查情况已记录",
        )
    return redirect(reverse("rectification:round_detail", args=[finding.round_id]) + f"#finding-{finding.pk}")
