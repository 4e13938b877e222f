from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from qingfeng.org.models import Department, Person, Unit
from qingfeng.rectification.models import DEFAULT_CATEGORIES, Finding, Measure, Round

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def categories() -> list[str]:
    return list(getattr(settings, "RECTIFICATION_CATEGORIES", None) or DEFAULT_CATEGORIES)


class RoundForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, help_text="如：市委第二轮巡察")
    body = forms.CharField(label="检查主体", max_length=100, help_text="如：市委第十巡察组")
    kind = forms.ChoiceField(label="类别", choices=Round.Kind.choices, initial=Round.Kind.XUNCHA)
    feedback_date = forms.DateField(label="反馈日期", widget=DATE)
    rectify_until = forms.DateField(
        label="集中整改期截止", required=False, widget=DATE, help_text="不填则为反馈日期后两个月"
    )
    report_due = forms.DateField(
        label="整改报告报送期限", required=False, widget=DATE, help_text="不填则与集中整改期截止相同"
    )


class FindingForm(forms.Form):
    number = forms.CharField(label="序号", max_length=20, required=False, help_text="不填则顺延编号")
    category = forms.CharField(
        label="问题类别", max_length=50, widget=forms.TextInput(attrs={"list": "finding-categories"})
    )
    description = forms.CharField(label="具体问题", widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(
        label="严重程度", choices=Finding.Severity.choices, initial=Finding.Severity.GENERAL, required=False
    )


class MeasureForm(forms.Form):
    text = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}))
    lead_leader = forms.ModelChoiceField(label="责任领导", queryset=Person.objects.none(), empty_label="请选择")
    department = forms.ModelChoiceField(label="责任部门", queryset=Department.objects.none(), empty_label="请选择")
    responsible_person = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), required=False, empty_label="（部门负责人）"
    )
    deadline = forms.DateField(label="整改时限", required=False, widget=DATE, help_text="长期坚持的措施可不填")
    kind = forms.ChoiceField(label="整改类型", choices=Measure.Kind.choices, initial=Measure.Kind.LIMITED)

    def __init__(self, *args: Any, unit: Unit, choices: dict[str, list] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).select_related("department")
        self.fields["lead_leader"].queryset = people.filter(is_leadership=True)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_person"].label_from_instance = lambda p: f"{p.name}（{p.department or '—'}）"
        for name, values in (choices or {}).items():
            self.fields[name].choices = values  # rendered once for every finding's form (validation still queries)

    def rendered_choices(self) -> dict[str, list]:
        return {name: list(self.fields[name].choices) for name in ("lead_leader", "department", "responsible_person")}
