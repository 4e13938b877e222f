"""From a deployment's text to its 任务分解表, shared by the review page, the exports and `qingfeng decompose`:
the unit's 分管 map for the decomposer, the candidate → TaskDraft resolution (a leader's name → a person of the
unit's leadership, unit names → the unit's departments, the deadline default, the kind), and the table's rows.

Resolution is a suggestion for the clerk, never a decision: a name that matches nothing, or several things,
is left empty for the clerk to choose, and deployment_confirm checks every row again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qingfeng.core.calendar import WorkCalendar
from qingfeng.org.models import Department, Person, Unit
from qingfeng.supervision.decompose import Candidate, Outline, decompose
from qingfeng.supervision.decompose_dates import RECURRENCE_LABELS, format_date
from qingfeng.supervision.decompose_modules import MODULE_LABELS
from qingfeng.supervision.models import Deployment, Task
from qingfeng.supervision.services.tasks import TaskDraft

TABLE_HEADER = ["序号", "工作任务", "具体内容", "牵头领导", "责任单位", "责任人", "完成时限", "类型"]
DEPARTMENT_SUFFIXES = ("股", "科", "处")  # 财务股 → 财务: the field word a text names


def field_word(name: str) -> str:
    """财务股 → 财务; names too short to lose a character stay whole."""
    return name[:-1] if name.endswith(DEPARTMENT_SUFFIXES) and len(name) >= 3 else name


def leaders_map(unit: Unit) -> dict[str, str]:
    """The 分管 map of a unit: each supervised department's name, and its field word, → the leader's name."""
    leaders: dict[str, str] = {}
    people = Person.objects.filter(unit=unit, is_leadership=True, status=Person.Status.ACTIVE).prefetch_related(
        "supervised_departments"
    )
    for person in people.order_by("order", "employee_no"):
        for department in person.supervised_departments.all():
            leaders.setdefault(department.name, person.name)
            leaders.setdefault(field_word(department.name), person.name)
    return leaders


def outline_of(deployment: Deployment) -> Outline:
    """The deployment's text decomposed against its unit's 分管 and the working-day calendar (UserError on an
    empty or oversized text)."""
    return decompose(
        deployment.text,
        deployment_date=deployment.date,
        leaders=leaders_map(deployment.unit),
        is_working_day=WorkCalendar().is_working_day,
    )


# --- the table as the decomposer sees it (the CLI's xlsx, a draft deployment's export) ----------------------


def deadline_label(c: Candidate) -> str:
    if c.immediate:
        return f"当日（{format_date(c.deadline)}）" if c.deadline else "当日"
    if c.long_term and c.deadline is None:
        return "长期坚持"
    label = format_date(c.deadline) if c.deadline else ""
    if c.recurrence:
        label = f"{RECURRENCE_LABELS[c.recurrence]}，{label}前" if label else RECURRENCE_LABELS[c.recurrence]
    return label


def units_label(c: Candidate) -> str:
    return _units_label(c.lead_units, c.partner_units)


def _units_label(lead: Iterable[str], partners: Iterable[str]) -> str:
    label = "、".join(lead)
    partner_label = "、".join(partners)
    if partner_label:
        label = f"{label}（牵头）；{partner_label}（配合）" if label else partner_label
    return label


def candidate_title(c: Candidate) -> str:
    return f"{c.section_no}、{c.title}" if c.section_no and not c.number else c.title


def outline_rows(outline: Outline) -> list[list[Any]]:
    """The 任务分解表 of an outline, one row per candidate (类型 = the suggested module)."""
    return [
        [
            i,
            candidate_title(c),
            c.text,
            c.lead_hint,
            units_label(c),
            "",
            deadline_label(c),
            MODULE_LABELS.get(c.module, ""),
        ]
        for i, c in enumerate(outline.candidates(), start=1)
    ]


def task_table_rows(tasks: Iterable[Task]) -> list[list[Any]]:
    """The 任务分解表 of confirmed tasks (parts prefetched, lead first), with each task's 督办编号 last."""
    rows = []
    for i, t in enumerate(tasks, start=1):
        parts = list(t.parts.all())
        lead = [p.department.name for p in parts if p.role == "lead"]
        partners = [p.department.name for p in parts if p.role != "lead"]
        long_term = "长期坚持" if t.kind == Task.Kind.LONG_TERM else ""
        deadline = format_date(t.deadline) if t.deadline else long_term
        rows.append(
            [
                i,
                t.title,
                t.content,
                t.lead_leader.name if t.lead_leader else "",
                _units_label(lead, partners),
                t.responsible_person.name if t.responsible_person else "",
                deadline,
                t.get_kind_display(),
                t.number,
            ]
        )
    return rows


# --- candidate → TaskDraft -----------------------------------------------------------------------------------


@dataclass
class Directory:
    """The unit's leadership and departments, loaded once for a whole table (two queries)."""

    unit: Unit
    leaders: list[Person] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)

    @classmethod
    def of(cls, unit: Unit) -> Directory:
        leaders = list(
            Person.objects.filter(unit=unit, is_leadership=True, status=Person.Status.ACTIVE)
            .prefetch_related("supervised_departments")
            .order_by("order", "employee_no")
        )
        departments = list(Department.objects.filter(unit=unit).order_by("order", "pk"))
        return cls(unit=unit, leaders=leaders, departments=departments)

    def leader(self, name: str) -> Person | None:
        name = name.strip()
        matches = [p for p in self.leaders if p.name == name] if name else []
        return matches[0] if len(matches) == 1 else None

    def department(self, name: str) -> Department | None:
        """Exact name first, then the field word (财务 ↔ 财务股), then a unique containment either way."""
        name = name.strip()
        if not name:
            return None
        for test in (
            lambda d: d.name == name,
            lambda d: field_word(d.name) == field_word(name),
            lambda d: field_word(d.name) in name or name in d.name,
        ):
            matches = [d for d in self.departments if test(d)]
            if len(matches) == 1:
                return matches[0]
            if matches:
                return None  # ambiguous: the clerk chooses
        return None

    def departments_named(self, names: Iterable[str]) -> list[Department]:
        found: list[Department] = []
        for name in names:
            d = self.department(name)
            if d is not None and d not in found:
                found.append(d)
        return found


def suggest_kind(c: Candidate) -> str:
    if c.immediate:
        return Task.Kind.IMMEDIATE
    if c.recurrence:
        return Task.Kind.RECURRING
    if c.long_term:
        return Task.Kind.LONG_TERM
    return Task.Kind.LIMITED


def candidate_draft(c: Candidate, directory: Directory, *, default_deadline: dt.date | None = None) -> TaskDraft:
    """One candidate as a TaskDraft: the people and departments it names resolved in the unit; with no 牵头单位
    named, the lead leader's 分管 department the text mentions (财务股 for “财务”), when exactly one is."""
    leader = directory.leader(c.lead_hint)
    lead_units = directory.departments_named(c.lead_units)
    partners = directory.departments_named(c.partner_units)
    lead = lead_units[0] if lead_units else None
    partners = [d for d in [*lead_units[1:], *partners] if d != lead]
    if lead is None and leader is not None:
        mentioned = [d for d in leader.supervised_departments.all() if field_word(d.name) in c.text]
        if len(mentioned) == 1:
            lead = mentioned[0]
            partners = [d for d in partners if d != lead]
    kind = suggest_kind(c)
    deadline = c.deadline
    if deadline is None and kind != Task.Kind.LONG_TERM:
        deadline = default_deadline
    return TaskDraft(
        title=candidate_title(c)[:300],
        content=c.text,
        lead_leader=leader,
        lead_department=lead,
        partner_departments=partners,
        deadline=deadline,
        kind=kind,
        recurrence=c.recurrence if kind == Task.Kind.RECURRING and c.recurrence in Task.Recurrence.values else "",
    )


def outline_drafts(outline: Outline, directory: Directory) -> list[TaskDraft]:
    return [candidate_draft(c, directory, default_deadline=outline.default_deadline) for c in outline.candidates()]
