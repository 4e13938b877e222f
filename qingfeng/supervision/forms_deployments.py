"""Forms of the deployment pages: the new deployment (pasted text or an uploaded .txt/.docx), and one row of the
reviewed 任务分解表. People and departments are choices of the deployment's unit, loaded once per table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.org.models import Department, Person, Unit
from qingfeng.supervision import reading
from qingfeng.supervision.decompose import MAX_CHARS
from qingfeng.supervision.models import Deployment, Task
from qingfeng.supervision.services.tasks import TaskDraft

NO_TEXT = "请粘贴部署内容，或上传 .txt / .docx 文件"


class DeploymentCreateForm(forms.Form):
    title = forms.CharField(label="部署标题", max_length=200, error_messages={"required": "请填写部署标题"})
    date = forms.DateField(
        label="部署日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写部署日期", "invalid": "日期格式不对，例如 2023-07-15"},
    )
    kind = forms.ChoiceField(
        label="类别", choices=Deployment.Kind.choices, error_messages={"required": "请选择部署类别"}
    )
    issuing_leader = forms.ModelChoiceField(
        label="部署领导", queryset=Person.objects.none(), required=False, empty_label="（不指定）"
    )
    text = forms.CharField(
        label="部署内容",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="粘贴讲话、文件或纪要的全文；或在下方上传文件（二选一，上传文件优先）",
    )
    file = forms.FileField(
        label="上传文件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
        help_text="纯文本（.txt）或 Word（.docx），不超过 20 MB；旧版 .doc 请先另存为 .docx",
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_leader"].queryset = Person.objects.filter(
            unit=unit, is_leadership=True, status=Person.Status.ACTIVE
        ).order_by("order", "employee_no")
        self.fields["date"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > reading.MAX_BYTES:
                self.add_error("file", f"{reading.TOO_BIG}（{upload.size / 1024 / 1024:.1f} MB）")
                return data
            try:
                data["text"] = reading.read_bytes(upload.read(), upload.name)
            except UserError as exc:
                self.add_error("file", exc.message)
                return data
        text = data.get("text") or ""
        if not text.strip():
            self.add_error("text", NO_TEXT)
        elif len(text) > MAX_CHARS:
            self.add_error("text" if not upload else "file", f"内容超过 {MAX_CHARS // 10000} 万字，不像是一份部署文件")
        return data


class TaskRowForm(forms.Form):
    """One row of the 任务分解表. A row is created when 保留 is ticked and it has a title or content; the
    service checks every kept row and reports problems as 第N行."""

    keep = forms.BooleanField(label="保留", required=False, initial=True)
    title = forms.CharField(label="工作任务", required=False, max_length=300)
    content = forms.CharField(label="具体内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_leader = forms.TypedChoiceField(label="牵头领导", coerce=int, required=False, empty_value=None)
    lead_department = forms.TypedChoiceField(label="牵头单位", coerce=int, required=False, empty_value=None)
    partner_departments = forms.TypedMultipleChoiceField(label="配合单位", coerce=int, required=False)
    responsible_person = forms.TypedChoiceField(label="责任人", coerce=int, required=False, empty_value=None)
    deadline = forms.DateField(
        label="完成时限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "日期格式不对，例如 2023-12-31"},
    )
    kind = forms.ChoiceField(label="类型", choices=Task.Kind.choices, initial=Task.Kind.LIMITED)
    recurrence = forms.ChoiceField(label="周期", choices=[("", "（非周期）"), *Task.Recurrence.choices], required=False)

    def __init__(self, *args: Any, choices: RowChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        blank, nobody = [("", "请选择")], [("", "（无）")]
        # Validation accepts everyone of the unit (so that a person who has left since the page was opened gets
        # the service's clear message); the selects offer only who may be chosen now.
        self.fields["lead_leader"].choices = blank + choices.all_people
        self.fields["lead_leader"].widget.choices = blank + choices.leaders
        self.fields["lead_department"].choices = blank + choices.departments
        self.fields["partner_departments"].choices = choices.departments
        self.fields["partner_departments"].widget.attrs["size"] = 4
        self.fields["responsible_person"].choices = nobody + choices.all_people
        self.fields["responsible_person"].widget.choices = nobody + choices.active_people

    @property
    def is_used(self) -> bool:
        d = self.cleaned_data
        return bool(d.get("keep")) and bool((d.get("title") or "").strip() or (d.get("content") or "").strip())

    def draft(self) -> TaskDraft:
        d = self.cleaned_data
        c = self.choices
        return TaskDraft(
            title=(d.get("title") or "").strip() or (d.get("content") or "").strip()[:50],
            content=d.get("content") or "",
            lead_leader=c.people.get(d.get("lead_leader")),
            lead_department=c.department_objs.get(d.get("lead_department")),
            partner_departments=[c.department_objs[pk] for pk in d.get("partner_departments") or []],
            responsible_person=c.people.get(d.get("responsible_person")),
            deadline=d.get("deadline"),
            kind=d.get("kind") or Task.Kind.LIMITED,
            recurrence=d.get("recurrence") or "",
        )


class RowChoices:
    """The unit's people and departments as select choices (three queries for any number of rows)."""

    def __init__(self, unit: Unit) -> None:
        people = list(Person.objects.filter(unit=unit).select_related("department").order_by("order", "employee_no"))
        departments = list(Department.objects.filter(unit=unit).order_by("order", "pk"))
        self.people = {p.pk: p for p in people}
        self.department_objs = {d.pk: d for d in departments}
        active = [p for p in people if p.status == Person.Status.ACTIVE]
        self.all_people: list[tuple[Any, str]] = [(p.pk, p.name) for p in people]
        self.leaders: list[tuple[Any, str]] = [(p.pk, p.name) for p in active if p.is_leadership]
        self.active_people: list[tuple[Any, str]] = [
            (p.pk, f"{p.name}（{p.department.name}）" if p.department else p.name) for p in active
        ]
        self.departments: list[tuple[Any, str]] = [(d.pk, d.name) for d in departments]


TaskRowFormSet = forms.formset_factory(TaskRowForm, extra=3, max_num=300, absolute_max=300, validate_max=True)


def initial_row(draft: TaskDraft) -> dict[str, Any]:
    return {
        "keep": True,
        "title": draft.title,
        "content": draft.content,
        "lead_leader": draft.lead_leader.pk if draft.lead_leader else None,
        "lead_department": draft.lead_department.pk if draft.lead_department else None,
        "partner_departments": [d.pk for d in draft.partner_departments],
        "responsible_person": draft.responsible_person.pk if draft.responsible_person else None,
        "deadline": draft.deadline,
        "kind": draft.kind,
        "recurrence": draft.recurrence,
    }


def row_formset(data: Any, *, choices: RowChoices, initial: list[dict[str, Any]] | None = None) -> Any:
    return TaskRowFormSet(data, initial=initial, form_kwargs={"choices": choices}, prefix="rows")
