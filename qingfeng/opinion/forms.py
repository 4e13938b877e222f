"""The 舆情处置 forms: the pages' and the API's (the API validates its bodies with these same forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from qingfeng.opinion.models import STEP_ORDER, Level, OpinionIncident, Step
from qingfeng.org.models import Department, Unit

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
LEVEL_CHOICES = [("", "采用建议等级"), *Level.choices]


def _datetime_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DATETIME,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不对（例如 2026-11-21 21:40）"},
    )


def now_local() -> str:
    return timezone.localtime().strftime(DATETIME_FORMAT)


class IncidentForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写标题"})
    source = forms.ChoiceField(
        label="来源",
        choices=[("", "请选择"), *OpinionIncident.Source.choices],
        error_messages={"required": "请选择来源"},
    )
    found_at = _datetime_field("发现时间")
    link = forms.CharField(label="发现位置（链接）", max_length=500, required=False)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    department = forms.ModelChoiceField(
        label="涉及科室",
        queryset=Department.objects.none(),
        required=False,
        empty_label="暂不确定",
        help_text="确定后即作为督办事项交办该科室",
    )
    level = forms.TypedChoiceField(
        label="等级",
        coerce=int,
        empty_value=None,
        required=False,
        choices=LEVEL_CHOICES,
        help_text="由值班人员确定；不选则采用研判规则的建议",
    )
    screenshot = forms.FileField(label="截图", required=False, help_text="PNG、JPG 图片或 PDF")

    def __init__(self, *args: Any, unit: Unit | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["department"].queryset = Department.objects.filter(unit=unit).order_by("order", "pk")
        # The suggestion follows the text as it is typed (an htmx fragment; the server decides again on save).
        live = {
            "hx-post": reverse("opinion:suggest"),
            "hx-trigger": "keyup changed delay:400ms, change",
            "hx-target": "#suggestion",
            "hx-include": "#id_title, #id_content",
        }
        self.fields["title"].widget.attrs.update(live)
        self.fields["content"].widget.attrs.update(live)


class SuggestForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, required=False)
    content = forms.CharField(label="内容", max_length=20_000, required=False)


class StepForm(forms.Form):
    step = forms.ChoiceField(
        label="环节",
        choices=[("", "请选择"), *[(s, Step(s).label) for s in STEP_ORDER[1:]], (Step.PRESS, Step.PRESS.label)],
        error_messages={"required": "请选择要记录的环节"},
    )
    at = _datetime_field("时间")
    note = forms.CharField(label="情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), required=False)
    department = forms.ModelChoiceField(
        label="涉及科室", queryset=Department.objects.none(), required=False, empty_label="不变"
    )
    level = forms.TypedChoiceField(
        label="等级（研判时可调整）",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "不变"), *Level.choices],
    )

    def __init__(self, *args: Any, incident: OpinionIncident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if incident.department_id:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = Department.objects.filter(unit=incident.unit_id).order_by(
                "order", "pk"
            )
        if incident.next_step:
            self.fields["step"].initial = incident.next_step


class StatementForm(forms.Form):
    title = forms.CharField(label="口径名称", max_length=100, required=False, initial="回应口径")
    text = forms.CharField(
        label="口径内容", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "请填写口径内容"}
    )


class StatementEditForm(forms.Form):
    text = forms.CharField(
        label="口径内容", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "请填写口径内容"}
    )


class ReleaseForm(forms.Form):
    channel = forms.CharField(label="发布渠道", max_length=100, required=False, help_text="如：局门户网站、官方微博")


class RuleForm(forms.Form):
    topic = forms.CharField(label="主题", max_length=50, error_messages={"required": "请填写主题"})
    level = forms.TypedChoiceField(
        label="建议等级",
        coerce=int,
        choices=[("", "请选择"), *Level.choices],
        error_messages={"required": "请选择建议等级"},
    )
    keywords = forms.CharField(
        label="关键词",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="以逗号、顿号、空格或换行分隔；标题或内容中出现任一关键词即命中",
        error_messages={"required": "请至少填写一个关键词"},
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="监测导出文件",
        help_text="Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码），列：标题、链接、来源、发布时间、摘要",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"required": "请选择要导入的监测文件", "empty": "文件是空文件"},
    )
