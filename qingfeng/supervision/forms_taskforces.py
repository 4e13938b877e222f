from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.org.models import Person, Unit
from qingfeng.supervision.models import Task


class TaskForceForm(forms.Form):
    name = forms.CharField(label="专班名称", max_length=100, help_text="如：老旧小区改造攻坚专班")
    leader = forms.ModelChoiceField(label="专班负责人", queryset=Person.objects.none(), empty_label="请选择")
    members = forms.ModelMultipleChoiceField(
        label="成员", queryset=Person.objects.none(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    goal = forms.CharField(label="攻坚目标", widget=forms.Textarea(attrs={"rows": 4}))
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="计划完成日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).select_related("department")
        self.fields["leader"].queryset = people.filter(is_leadership=True)
        self.fields["members"].queryset = people
        self.fields["members"].label_from_instance = lambda p: f"{p.name}（{p.department or '—'}）"


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=200)
    due = forms.DateField(label="计划时间", widget=forms.DateInput(attrs={"type": "date"}))


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="完成情况", max_length=300, required=False)


class AttachForm(forms.Form):
    task = forms.ModelChoiceField(label="纳入督办事项", queryset=Task.objects.none(), empty_label="请选择")

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = (
            Task.objects.filter(unit=unit).exclude(status=Task.Status.DONE).order_by("-year", "-seq")
        )
        self.fields["task"].label_from_instance = lambda t: f"{t.number} {t.title}"
