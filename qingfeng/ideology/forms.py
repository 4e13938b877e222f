from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.ideology.models import Meeting, Position, Proof, Review
from qingfeng.org.models import Department, Person, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(unit: Unit) -> Any:
    return Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).select_related("department")


def _label(p: Person) -> str:
    return f"{p.name}（{p.department or '—'}）"


class PositionForm(forms.Form):
    name = forms.CharField(
        label="阵地名称", max_length=100, help_text="如：局门户网站“政务公开”栏目、“清河住建”微信公众号"
    )
    kind = forms.ChoiceField(label="阵地类别", choices=Position.Kind.choices)
    address = forms.CharField(label="网址/账号/位置", max_length=200, required=False)
    department = forms.ModelChoiceField(label="主管科室", queryset=Department.objects.none(), empty_label="请选择")
    responsible_person = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), empty_label="请选择", help_text="主管科室的人员"
    )
    reviewer = forms.ModelChoiceField(
        label="审核人", queryset=Person.objects.none(), empty_label="请选择", help_text="负责初审，可为办公室人员"
    )
    status = forms.ChoiceField(label="状态", choices=Position.Status.choices, initial=Position.Status.ACTIVE)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)
        for name in ("responsible_person", "reviewer"):
            self.fields[name].queryset = _people(unit)
            self.fields[name].label_from_instance = _label


class DeleteForm(forms.Form):
    reason = forms.CharField(label="删除原因", max_length=200)


class PublicationForm(forms.Form):
    position = forms.ModelChoiceField(label="阵地", queryset=Position.objects.none(), empty_label="请选择")
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", max_length=50_000, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions
        self.fields["position"].label_from_instance = lambda p: f"{p.name}（{p.get_kind_display()}）"


class ResubmitForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", max_length=50_000, widget=forms.Textarea(attrs={"rows": 10}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论", choices=Review.Decision.choices, widget=forms.RadioSelect, initial=Review.Decision.APPROVE
    )
    opinion = forms.CharField(
        label="审核意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text="退回修改时写明修改要求"
    )


class ProofForm(forms.Form):
    kind = forms.ChoiceField(label="校对类别", choices=Proof.Kind.choices)
    note = forms.CharField(
        label="校对说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="校对了什么，改正了哪些问题",
    )


class PublishForm(forms.Form):
    link = forms.CharField(label="发布链接/位置", max_length=300, required=False)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="会议类别", choices=Meeting.Kind.choices)
    date = forms.DateField(label="会议日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100, required=False)
    host = forms.ModelChoiceField(label="主持人", queryset=Person.objects.none(), required=False, empty_label="请选择")
    participants = forms.ModelMultipleChoiceField(
        label="参会人员", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    topics = forms.CharField(label="议题", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    conclusions = forms.CharField(label="研究结论", max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = _people(unit).filter(is_leadership=True).order_by("order", "pk")
        self.fields["host"].queryset = leaders
        # 党组 members first, then the others of the unit who may attend (the office, the heads concerned)
        self.fields["participants"].queryset = _people(unit).order_by("-is_leadership", "order", "pk")
        self.fields["participants"].label_from_instance = _label


class FollowUpForm(forms.Form):
    title = forms.CharField(label="落实事项", max_length=200)
    department = forms.ModelChoiceField(label="牵头科室", queryset=Department.objects.none(), empty_label="请选择")
    lead_leader = forms.ModelChoiceField(
        label="牵头领导",
        queryset=Person.objects.none(),
        required=False,
        empty_label="分管领导",
        help_text="不选为分管该科室的班子成员",
    )
    deadline = forms.DateField(label="完成时限", widget=DATE)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)
        self.fields["lead_leader"].queryset = _people(unit).filter(is_leadership=True)
