from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.core.widgets import FastSelect
from qingfeng.org.models import Department, Person, Unit
from qingfeng.responsibility.models import ResponsibilityItem, ResponsibilityList, Talk, TalkRule
from qingfeng.responsibility.services.lists import ItemData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(unit: Unit) -> Any:
    return Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).select_related("department")


class ListForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="清单类别", choices=ResponsibilityList.Kind.choices)
    leader = forms.ModelChoiceField(
        label="班子成员", queryset=Person.objects.none(), required=False, help_text="仅一岗双责清单填写"
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _people(unit).filter(is_leadership=True)


class CopyForm(forms.Form):
    year = forms.IntegerField(label="新年度", min_value=2001, max_value=2100)


class ItemForm(forms.Form):
    content = forms.CharField(label="责任内容", widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label="具体措施", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner_person = forms.ModelChoiceField(
        label="责任主体（领导）", queryset=Person.objects.none(), required=False, widget=FastSelect
    )
    owner_department = forms.ModelChoiceField(
        label="责任主体（科室）", queryset=Department.objects.none(), required=False, widget=FastSelect
    )
    responsible_person = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), required=False, widget=FastSelect
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)
    frequency = forms.ChoiceField(
        label="频次", choices=[("", "（按完成时限）"), *ResponsibilityItem.Frequency.choices], required=False
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people(unit)
        self.fields["owner_person"].queryset = people.filter(is_leadership=True)
        self.fields["owner_department"].queryset = Department.objects.filter(unit=unit)
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_person"].label_from_instance = lambda p: f"{p.name}（{p.department or '—'}）"

    def item_data(self) -> ItemData:
        """The cleaned fields as the services take them (after is_valid)."""
        d = self.cleaned_data
        return ItemData(
            content=d["content"],
            measures=d["measures"],
            owner_person=d["owner_person"],
            owner_department=d["owner_department"],
            responsible_person=d["responsible_person"],
            deadline=d["deadline"],
            frequency=d["frequency"],
        )


class UploadForm(forms.Form):
    file = forms.FileField(label="文件", error_messages={"required": "请选择文件"})


class SignForm(forms.Form):
    file = forms.FileField(label="签字扫描件", error_messages={"required": "请选择签字后的扫描件"})
    signed_on = forms.DateField(label="签订日期", required=False, widget=DATE)


class TalkForm(forms.Form):
    kind = forms.ChoiceField(label="谈话类别", choices=Talk.Kind.choices)
    talker = forms.ModelChoiceField(
        label="谈话人", queryset=Person.objects.none(), required=False, widget=FastSelect, help_text="不填为本人"
    )
    talkee = forms.ModelChoiceField(label="谈话对象", queryset=Person.objects.none(), widget=FastSelect)
    date = forms.DateField(label="谈话日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=100)
    summary = forms.CharField(
        label="谈话要点", widget=forms.Textarea(attrs={"rows": 4}), help_text="不含涉密内容；四种形态的处置另行登记"
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people(unit)
        self.fields["talker"].queryset = people
        self.fields["talkee"].queryset = people
        label = lambda p: f"{p.name}（{p.post or p.department or '—'}）"  # noqa: E731
        self.fields["talker"].label_from_instance = label
        self.fields["talkee"].label_from_instance = label


class FollowUpForm(forms.Form):
    title = forms.CharField(label="整改落实事项", max_length=200)
    department = forms.ModelChoiceField(
        label="牵头科室", queryset=Department.objects.none(), required=False, help_text="不填为谈话对象所在科室"
    )
    deadline = forms.DateField(label="完成时限", widget=DATE)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)


class RuleForm(forms.Form):
    relation = forms.ChoiceField(label="谈话关系", choices=TalkRule.Relation.choices)
    kind = forms.ChoiceField(label="谈话类别", choices=[("", "（任何类别）"), *Talk.Kind.choices], required=False)
    minimum = forms.IntegerField(label="至少次数", min_value=1, max_value=24, initial=1)
    period = forms.ChoiceField(label="周期", choices=TalkRule.Period.choices)


class AssignReportsForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    due = forms.DateField(label="报送期限", widget=DATE)


class ReportForm(forms.Form):
    text = forms.CharField(label="述责述廉报告", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    file = forms.FileField(label="或上传 Word（.docx）", required=False)


class ScoreForm(forms.Form):
    excellent = forms.IntegerField(label="优秀", min_value=0)
    competent = forms.IntegerField(label="称职", min_value=0)
    basic = forms.IntegerField(label="基本称职", min_value=0)
    incompetent = forms.IntegerField(label="不称职", min_value=0)
