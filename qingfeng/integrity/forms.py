from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.core.widgets import FastSelect
from qingfeng.integrity.models import DisciplineRecord, Filing, RiskPoint
from qingfeng.integrity.services.risks import risk_areas
from qingfeng.org.models import Department, Person, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _measure_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (DisciplineRecord.Form(form).label, [(m, m) for m in measures])
        for form, measures in DisciplineRecord.MEASURES.items()
    ]


class RecordForm(forms.Form):
    person = forms.ModelChoiceField(
        label="对象", queryset=Person.objects.none(), empty_label="请选择", widget=FastSelect
    )
    date = forms.DateField(label="日期", widget=DATE)
    form = forms.TypedChoiceField(label="形态", coerce=int, choices=[("", "请选择"), *DisciplineRecord.Form.choices])
    measure = forms.ChoiceField(label="处理方式", choices=[("", "请选择"), *_measure_choices()])
    category = forms.CharField(
        label="问题类别", max_length=50, widget=forms.TextInput(attrs={"list": "ledger-categories"})
    )
    clue_source = forms.ChoiceField(label="线索来源", choices=[("", "请选择"), *DisciplineRecord.ClueSource.choices])
    decided_by = forms.CharField(label="决定机关", max_length=100, initial="驻局纪检监察组")
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}), help_text="加密存储")
    decision = forms.CharField(label="处理决定", widget=forms.Textarea(attrs={"rows": 3}), help_text="加密存储")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people
        field.label_from_instance = lambda p: f"{p.name}（{p.department or '—'}，{p.post or '—'}）"
        field.widget.choices = field.choices


class PointForm(forms.Form):
    area = forms.ChoiceField(label="岗位/业务环节")
    department = forms.ModelChoiceField(label="科室", queryset=Department.objects.none(), empty_label="请选择")
    post = forms.CharField(label="岗位", max_length=50)
    name = forms.CharField(label="风险点", max_length=100)
    description = forms.CharField(label="风险描述", widget=forms.Textarea(attrs={"rows": 2}))
    level = forms.ChoiceField(label="风险等级", choices=RiskPoint.Level.choices, initial=RiskPoint.Level.MEDIUM)
    controls = forms.CharField(label="防控措施", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label="责任人", queryset=Person.objects.none(), empty_label="请选择")
    review_cycle = forms.ChoiceField(label="复核周期", choices=RiskPoint.Cycle.choices, initial=RiskPoint.Cycle.YEARLY)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a, a) for a in risk_areas()]
        self.fields["department"].queryset = Department.objects.filter(unit=unit)
        owners = Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).select_related("department")
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda p: f"{p.name}（{p.department or '—'}）"


class ReviewForm(forms.Form):
    date = forms.DateField(label="复核日期", widget=DATE)
    note = forms.CharField(
        label="复核意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="风险描述、等级和防控措施是否仍然适当；需要调整的请修改风险点",
    )


class DeleteForm(forms.Form):
    reason = forms.CharField(label="删除原因", max_length=200)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="登录密码",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CheckForm(forms.Form):
    name = forms.CharField(label="检查名称", max_length=100, help_text="如：2023年下半年关键岗位廉政风险督促检查")
    date = forms.DateField(label="检查日期", widget=DATE)
    cycle = forms.ChoiceField(
        label="检查周期",
        required=False,
        choices=[("", "不定期（仅本次）"), *RiskPoint.Cycle.choices],
        help_text="选择周期后，到期自动开启下一次检查并通知风险管理人员",
    )
    points = forms.ModelMultipleChoiceField(
        label="检查的风险点", queryset=RiskPoint.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].queryset = points
        self.fields["points"].label_from_instance = lambda p: f"{p.department.name}·{p.name}（{p.get_level_display()}）"


class ProblemForm(forms.Form):
    point = forms.ModelChoiceField(label="风险点", queryset=RiskPoint.objects.none(), empty_label="请选择")
    description = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 2}))
    route = forms.ChoiceField(
        label="转为",
        choices=[("task", "督办事项（交科室办理）"), ("finding", "整改问题（列入整改台账）")],
        widget=forms.RadioSelect,
        initial="task",
    )
    lead_leader = forms.ModelChoiceField(
        label="牵头领导", queryset=Person.objects.none(), required=False, empty_label="请选择", help_text="督办事项必填"
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE, help_text="督办事项必填")

    def __init__(self, *args: Any, check: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = check.points.select_related("department")
        self.fields["point"].label_from_instance = lambda p: f"{p.department.name}·{p.name}"
        self.fields["lead_leader"].queryset = Person.objects.filter(
            unit=check.unit, is_leadership=True, status=Person.Status.ACTIVE
        )


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label="检查情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="检查了哪些风险点、怎样检查、防控措施落实得怎样",
    )
    no_problems = forms.BooleanField(
        label="未发现问题", required=False, help_text="本次检查没有登记问题时勾选；已登记的问题均已转办"
    )


class FilingForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Filing.Kind.choices)
    filed_on = forms.DateField(label="报告日期", widget=DATE)
    year = forms.IntegerField(label="报告年度", required=False, help_text="个人有关事项报告、廉洁承诺书填写")
    event_date = forms.DateField(
        label="事项日期", required=False, widget=DATE, help_text="礼品收受日期或婚丧喜庆举办日期"
    )
    summary = forms.CharField(
        label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="报告内容、物品或礼金、说明"
    )
    has_changes = forms.BooleanField(label="较上年有变化", required=False)
    giver = forms.CharField(label="赠送人（单位）", max_length=100, required=False)
    value = forms.DecimalField(label="价值（元）", required=False, max_digits=12, decimal_places=2, min_value=0)
    event_kind = forms.ChoiceField(label="事宜类别", required=False, choices=[("", "—"), *Filing.EventKind.choices])
    guests = forms.IntegerField(label="规模（人）", required=False, min_value=0)
    tables = forms.IntegerField(label="桌数", required=False, min_value=0)
    gifts_policy = forms.CharField(label="礼金收受安排", max_length=100, required=False, help_text="如：不收礼金")
    file = forms.FileField(label="承诺书扫描件", required=False, help_text="廉洁承诺书须上传签字扫描件")

    # The fields each kind's correction shows (services.filings.EDITABLE; the kind itself never changes).
    def for_edit(self, kind: str) -> FilingForm:
        from qingfeng.integrity.services.filings import EDITABLE

        keep = {"kind", *EDITABLE[kind]}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["kind"].disabled = True
        return self
