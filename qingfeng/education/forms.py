from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.education import kinds
from qingfeng.education.models import Material
from qingfeng.education.services import MaterialData, SessionData
from qingfeng.org.models import Branch, Person, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(unit: Unit) -> Any:
    return Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).select_related("branch")


def _label(p: Person) -> str:
    return f"{p.name}（{p.branch or '无支部'}）"


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label="会议类别", choices=[("", "请选择"), *kinds.CHOICES])
    branch = forms.ModelChoiceField(
        label="支部", queryset=Branch.objects.none(), required=False, empty_label="（单位层面的学习不选）"
    )
    date = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    host = forms.ModelChoiceField(label="主持人", queryset=Person.objects.none(), empty_label="请选择")
    recorder = forms.ModelChoiceField(
        label="记录人", queryset=Person.objects.none(), required=False, empty_label="请选择"
    )
    speaker = forms.ModelChoiceField(
        label="授课人", queryset=Person.objects.none(), required=False, empty_label="请选择", help_text="党课必填"
    )
    topic = forms.CharField(label="议题/主题", max_length=300)
    content = forms.CharField(label="学习内容", max_length=20_000, widget=forms.Textarea(attrs={"rows": 4}))
    summary = forms.CharField(
        label="发言摘要", max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours = forms.DecimalField(label="学时（小时）", max_digits=4, decimal_places=1, min_value=0, initial=2)
    present = forms.ModelMultipleChoiceField(
        label="出席人员",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="应到人员：支部的党员；中心组学习为党组成员；廉政课堂、警示教育为全体人员",
    )
    absence_reasons = forms.CharField(
        label="缺席人员及原因",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一人：姓名：原因（如“张三：出差”）",
    )
    materials = forms.ModelMultipleChoiceField(
        label="学习资料", queryset=Material.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, unit: Unit, branches: Any, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people(unit).order_by("-is_leadership", "branch_id", "order", "pk")
        for name in ("host", "recorder", "speaker", "present"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _label
        self.fields["branch"].queryset = branches
        self.fields["materials"].queryset = Material.objects.filter(unit=unit).order_by("kind", "title")
        if edit:
            del self.fields["kind"]
            del self.fields["branch"]

    def data_object(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            kind=d.get("kind", ""),
            branch=d.get("branch"),
            date=d["date"],
            place=d["place"],
            host=d["host"],
            recorder=d.get("recorder"),
            speaker=d.get("speaker"),
            topic=d["topic"],
            content=d["content"],
            summary=d.get("summary", ""),
            hours=d["hours"],
            present=list(d["present"]),
            absence_reasons=d.get("absence_reasons", ""),
            materials=list(d.get("materials") or []),
        )


class MakeupForm(forms.Form):
    person = forms.ModelChoiceField(label="缺席人员", queryset=Person.objects.none(), empty_label="请选择")
    date = forms.DateField(label="补学日期", widget=DATE)
    note = forms.CharField(label="补学情况", max_length=300)

    def __init__(self, *args: Any, absent: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = absent


class PhotoForm(forms.Form):
    file = forms.FileField(label="会议照片/签到表", help_text="图片、PDF 等")


class SecretaryForm(forms.Form):
    person = forms.ModelChoiceField(label="支部书记", queryset=Person.objects.none(), empty_label="请选择")

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            branch=branch, is_party_member=True, status=Person.Status.ACTIVE
        ).order_by("order", "pk")


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择"), *Material.Kind.choices])
    title = forms.CharField(label="标题", max_length=200)
    case_category = forms.ChoiceField(
        label="案例类别", choices=Material.CaseCategory.choices, required=False, help_text="警示案例必填"
    )
    tags = forms.CharField(label="标签", max_length=200, required=False, help_text="以逗号分隔，如：廉洁纪律,公车私用")
    source = forms.CharField(label="来源", max_length=200, required=False)
    content = forms.CharField(label="内容摘要", max_length=50_000, widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(label="附件", required=False, help_text="可选：PDF、Word、图片等")

    def data_object(self) -> MaterialData:
        d = self.cleaned_data
        return MaterialData(
            kind=d["kind"],
            title=d["title"],
            case_category=d.get("case_category", ""),
            tags=d.get("tags", ""),
            source=d.get("source", ""),
            content=d["content"],
        )
