from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.org.models import Department, Unit
from qingfeng.supervision.models import StyleProblem, Task


class StyleReportForm(forms.Form):
    category = forms.ChoiceField(label="问题类别", choices=[("", "请选择"), *StyleProblem.Category.choices])
    department = forms.ModelChoiceField(
        label="涉及科室", queryset=Department.objects.none(), required=False, empty_label="（不涉及具体科室）"
    )
    matter = forms.CharField(
        label="涉及事项", max_length=200, required=False, help_text="如：办理不动产登记材料被多次退回"
    )
    description = forms.CharField(
        label="具体情况", widget=forms.Textarea(attrs={"rows": 6}), help_text="时间、地点、经过，越具体越便于核实"
    )
    anonymous = forms.BooleanField(label="不公开我的姓名（仅纪检组长可见）", required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)


class StyleVerifyForm(forms.Form):
    note = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 3}))


class StyleLinkForm(forms.Form):
    task = forms.ModelChoiceField(label="关联督办事项", queryset=Task.objects.none(), empty_label="请选择")
    decision = forms.CharField(label="处理意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = (
            Task.objects.filter(unit=unit).exclude(status=Task.Status.DONE).order_by("-year", "-seq")
        )
        self.fields["task"].label_from_instance = lambda t: f"{t.number} {t.title}"


class StyleCloseForm(forms.Form):
    reason = forms.CharField(label="了结理由", widget=forms.Textarea(attrs={"rows": 2}))
