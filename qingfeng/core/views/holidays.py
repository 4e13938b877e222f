from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from qingfeng.core import calendar, holidays
from qingfeng.core.errors import UserError
from qingfeng.core.models import HolidayOverride
from qingfeng.org.access import perm_required


class HolidayForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="单日可不填"
    )
    is_workday = forms.TypedChoiceField(
        label="类型", choices=[("0", "放假"), ("1", "调休上班")], coerce=lambda v: v == "1"
    )
    name = forms.CharField(label="名称", max_length=50, required=False, help_text="如：春节、国庆节")


@require_http_methods(["GET", "POST"])
@perm_required("calendar.manage")
def holiday_list(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2004), 2100)
    form = HolidayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = holidays.holiday_range_set(
                actor=request.user,
                start=data["start"],
                end=data["end"] or data["start"],
                is_workday=data["is_workday"],
                name=data["name"],
            )
        except UserError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已录入 {len(rows)} 天")
            return redirect(f"{request.path}?year={rows[0].date.year}")
    overrides = HolidayOverride.objects.filter(date__year=year)
    package_days = [(d, n) for d, n in calendar.package_days(year) if d.weekday() >= 5 or "调休" not in n]
    return render(
        request,
        "core/holidays.html",
        {
            "form": form,
            "year": year,
            "overrides": overrides,
            "package_days": package_days[:80],
            "warning": calendar.year_warning(year),
            "years": range(year - 2, year + 3),
            "today": timezone.localdate(),
            "next_workday": calendar.add_working_days(timezone.localdate(), 1),
        },
    )


@perm_required("calendar.manage")
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(HolidayOverride, pk=pk)
    holidays.holiday_delete(actor=request.user, row=row)
    messages.success(request, f"已删除 {row.date:%Y年%-m月%-d日}")
    return redirect(f"/calendar/?year={row.date.year}")
