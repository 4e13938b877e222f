from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.org.models import Department, Person, Unit
from qingfeng.rectification.models import Finding
from qingfeng.rules.models import Decision, Opinion, Preparation, Proposal, Rule
from qingfeng.rules.services import decisions as decision_services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 12})


class RuleForm(forms.Form):
    title = forms.CharField(label="制度名称", max_length=200)
    number = forms.CharField(label="文号", max_length=100, required=False, help_text="如：清住建党组〔2023〕5号")
    department = forms.ModelChoiceField(label="制定科室", queryset=Department.objects.none(), empty_label="请选择")
    effective_date = forms.DateField(label="生效日期", widget=DATE)
    text = forms.CharField(label="全文", required=False, widget=TEXT, help_text="粘贴全文，或上传 .docx 文件")
    upload = forms.FileField(label="上传 Word 文件（.docx）", required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)


class ReviseForm(forms.Form):
    effective_date = forms.DateField(label="新版本生效日期", widget=DATE)
    number = forms.CharField(label="新文号", max_length=100, required=False)
    change_note = forms.CharField(label="修订说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label="新版本全文", required=False, widget=TEXT)
    upload = forms.FileField(label="上传 Word 文件（.docx）", required=False)


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Proposal.Kind.choices)
    rule = forms.ModelChoiceField(
        label="涉及制度", queryset=Rule.objects.none(), required=False, empty_label="（制定新制度时不选）"
    )
    title = forms.CharField(label="拟制定的制度名称", max_length=200, required=False, help_text="修订、废止时可不填")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))
    department = forms.ModelChoiceField(label="起草科室", queryset=Department.objects.none(), empty_label="请选择")
    draft_deadline = forms.DateField(label="起草时限", widget=DATE)
    finding = forms.ModelChoiceField(
        label="来源整改问题", queryset=Finding.objects.none(), required=False, empty_label="（无）"
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(unit=unit)
        self.fields["rule"].queryset = Rule.objects.filter(unit=unit).exclude(status=Rule.Status.REPEALED)
        self.fields["finding"].queryset = Finding.objects.filter(unit=unit).select_related("round")
        self.fields["finding"].label_from_instance = lambda f: f"{f.number} {f.description[:40]}"


class StepForm(forms.Form):
    """One step of a proposal: which, and what it needs (the draft, the approval's date, the publication's date)."""

    step = forms.ChoiceField(
        label="环节",
        choices=[
            (Proposal.Stage.DRAFTED, "起草完成"),
            (Proposal.Stage.CONSULTED, "结束征求意见"),
            (Proposal.Stage.APPROVED, "党组审议通过"),
            (Proposal.Stage.PUBLISHED, "发布"),
        ],
    )
    text = forms.CharField(label="草案全文（废止时为废止说明）", required=False, widget=TEXT)
    date = forms.DateField(label="日期（审议日期或生效日期）", required=False, widget=DATE)
    number = forms.CharField(label="文号（发布时）", max_length=100, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label="意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="事项类别", choices=Decision.Kind.choices)
    title = forms.CharField(label="事项", max_length=200)
    proposal = forms.CharField(label="议题内容", widget=forms.Textarea(attrs={"rows": 4}))
    amount_wan = forms.DecimalField(label="涉及金额（万元）", required=False, max_digits=12, decimal_places=2)


class PreparationForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Preparation.Kind.choices)
    date = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="情况", widget=forms.Textarea(attrs={"rows": 2}))


def _member_field(label: str, required: bool = True) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label, queryset=Person.objects.none(), required=required, widget=forms.CheckboxSelectMultiple
    )


class MeetingForm(forms.Form):
    meeting_kind = forms.ChoiceField(label="决策会议", choices=Decision.MeetingKind.choices)
    meeting_date = forms.DateField(label="会议日期", widget=DATE)
    host = forms.ModelChoiceField(label="主持人", queryset=Person.objects.none(), required=False, empty_label="请选择")
    present = _member_field("到会党组成员")
    recused = _member_field("回避人员", required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = decision_services.members(unit)
        for name in ("host", "present", "recused"):
            self.fields[name].queryset = team


class OpinionForm(forms.Form):
    person = forms.ModelChoiceField(label="表态人", queryset=Person.objects.none(), empty_label="请选择")
    stance = forms.ChoiceField(label="表态", choices=Opinion.Stance.choices)
    text = forms.CharField(label="发言要点", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit=unit)


class ConcludeForm(forms.Form):
    result = forms.ChoiceField(
        label="决定", choices=[(Decision.Result.PASSED, "通过"), (Decision.Result.REJECTED, "未通过")]
    )
    text = forms.CharField(label="决定内容", widget=forms.Textarea(attrs={"rows": 3}))
