"""Forms of the task pages: the list filters, 交办 (task_create), and the small forms of the actions on one task.
They only parse input; every rule is checked by the service the view calls."""

from __future__ import annotations

from typing import Any

from django import forms

from qingfeng.core.widgets import FastSelect
from qingfeng.org import access
from qingfeng.org.models import Department, Person, Unit
from qingfeng.supervision.models import Deployment, Task, TaskPart
from qingfeng.supervision.selectors import OVERDUE, TaskFilters, scope_units, spans_units
from qingfeng.supervision.services.tasks import TaskDraft

STATUS_CHOICES = [("", "全部"), *Task.Status.choices, (OVERDUE, "逾期")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=STATUS_CHOICES, required=False)
    department = forms.ModelChoiceField(
        label="责任科室", queryset=Department.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )
    lead_leader = forms.ModelChoiceField(
        label="牵头领导", queryset=Person.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )
    deployment = forms.ModelChoiceField(
        label="工作部署", queryset=Deployment.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Task.Kind.choices], required=False)
    q = forms.CharField(label="关键词", max_length=100, required=False)

    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )
    field_order = ["unit"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(access.visible_q(user, Department))
        leaders = Person.objects.filter(access.visible_q(user, Person), is_leadership=True)
        deployments = Deployment.objects.filter(access.visible_q(user, Deployment), status=Deployment.Status.CONFIRMED)
        grants = access.assignments(user)
        if spans_units(user):
            # A county's or a city's scope: hundreds of units, thousands of leaders and deployments. The unit is
            # chosen first; the other lists hold that unit's entries only (else those of the user's own unit).
            self.fields["unit"].queryset = scope_units(user).order_by("path")
            chosen = self._chosen_unit() or (grants[0].unit_id if grants else None)
            departments, leaders, deployments = (
                qs.filter(unit_id=chosen) for qs in (departments, leaders, deployments)
            )
        else:
            del self.fields["unit"]
        self.fields["department"].queryset = departments.order_by("unit_id", "order", "id")
        self.fields["lead_leader"].queryset = leaders.order_by("unit_id", "order", "id")
        self.fields["deployment"].queryset = deployments

    def _chosen_unit(self) -> int | None:
        """The unit picked in the query string, if it is one of the scope's (checked again by the field)."""
        raw = self.data.get("unit") if self.is_bound else None
        if not raw or not str(raw).isdigit():
            return None
        return int(raw) if self.fields["unit"].queryset.filter(pk=int(raw)).exists() else None

    def filters(self) -> TaskFilters:
        """The selector's filters; an invalid query string (a hand-edited URL) filters nothing."""
        if not self.is_valid():
            return TaskFilters()
        c = self.cleaned_data
        return TaskFilters(
            status=c["status"] or "",
            department=c["department"],
            lead_leader=c["lead_leader"],
            deployment=c["deployment"].pk if c["deployment"] else None,
            kind=c["kind"] or "",
            q=c["q"] or "",
            unit=c.get("unit"),
        )


SOURCE_CHOICES = [(v, label) for v, label in Task.Source.choices if v != Task.Source.DEPLOYMENT]


class TaskCreateForm(forms.Form):
    """交办 one task that does not come from a deployment (上级交办, 会议, 信访, 自查, 其他模块)."""

    source = forms.ChoiceField(label="任务来源", choices=SOURCE_CHOICES, initial=Task.Source.SUPERIOR)
    source_ref = forms.CharField(label="来源文号", max_length=100, required=False, help_text="如上级来文文号")
    title = forms.CharField(label="督办事项", max_length=300)
    content = forms.CharField(label="具体内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead_department = forms.ModelChoiceField(label="牵头单位", queryset=Department.objects.none(), empty_label="请选择")
    partner_departments = forms.ModelMultipleChoiceField(
        label="配合单位", queryset=Department.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    lead_leader = forms.ModelChoiceField(label="牵头领导", queryset=Person.objects.none(), empty_label="请选择")
    responsible_person = forms.ModelChoiceField(
        label="责任人", queryset=Person.objects.none(), required=False, empty_label="（无）"
    )
    kind = forms.ChoiceField(label="任务类型", choices=Task.Kind.choices, initial=Task.Kind.LIMITED)
    deadline = forms.DateField(label="办理时限", required=False, widget=DATE, help_text="长期坚持的任务可以不填")
    is_urgent = forms.BooleanField(label="急难险重", required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(unit=unit).order_by("order", "id")
        self.fields["lead_department"].queryset = departments
        self.fields["partner_departments"].queryset = departments
        people = Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).order_by("order", "id")
        self.fields["lead_leader"].queryset = people.filter(is_leadership=True)
        self.fields["responsible_person"].queryset = people

    def draft(self) -> TaskDraft:
        c = self.cleaned_data
        return TaskDraft(
            title=c["title"],
            content=c["content"] or "",
            lead_department=c["lead_department"],
            partner_departments=list(c["partner_departments"]),
            lead_leader=c["lead_leader"],
            responsible_person=c["responsible_person"],
            deadline=c["deadline"],
            kind=c["kind"],
            is_urgent=c["is_urgent"],
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); the service checks each upload."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    part = forms.ModelChoiceField(label="报送单位", queryset=TaskPart.objects.none(), empty_label=None)
    percent = forms.IntegerField(label="形象进度（%）", min_value=0, max_value=100)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    instruction_answer = forms.CharField(
        label="批示答复", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="有未答复的领导批示时必填"
    )
    files = MultipleFileField(
        label="佐证材料", required=False, help_text="可多选；PDF、图片、Office 文档、OFD、文本或 ZIP"
    )

    def __init__(self, *args: Any, parts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = parts


class ApproveForm(forms.Form):
    # No rating is preselected: the reviewer chooses one deliberately.
    rating = forms.TypedChoiceField(label="办结评价", choices=[("", "请选择"), *Task.Rating.choices], coerce=int)
    remark = forms.CharField(label="评价意见", max_length=500, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(forms.Form):
    note = forms.CharField(label="办结说明", max_length=500, required=False)


class ExtensionForm(forms.Form):
    requested_deadline = forms.DateField(label="申请延至", widget=DATE)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批意见", choices=[("", "请选择"), ("yes", "同意"), ("no", "不同意")], coerce=lambda v: v == "yes"
    )
    note = forms.CharField(label="说明", max_length=500, required=False, help_text="不同意时必填理由")


class InstructForm(forms.Form):
    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 2}))
