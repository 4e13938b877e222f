"""drafting: the unit's 分管 map, and a decomposer candidate resolved into a TaskDraft of the unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qingfeng.org import demo
from qingfeng.supervision import drafting
from qingfeng.supervision.decompose import Candidate
from qingfeng.supervision.models import Task

pytestmark = pytest.mark.django_db
DEFAULT = dt.date(2023, 12, 31)


def candidate(**kwargs: Any) -> Candidate:
    values: dict[str, Any] = {"section_no": "一", "section_heading": "", "number": "一是", "title": "任务", "text": ""}
    return Candidate(**{**values, **kwargs})


def test_the_leaders_map_names_each_supervised_department_and_its_field_word(cast: demo.Cast) -> None:
    leaders = drafting.leaders_map(cast.bureau)
    assert leaders["财务股"] == leaders["财务"] == "李志强"
    assert leaders["人事"] == "吴振华" and leaders["办公室"] == "王建国"
    assert "张秀英" not in leaders.values()  # the inspector supervises no department


def test_departments_match_exactly_by_field_word_by_a_unique_part_and_never_when_ambiguous(cast: demo.Cast) -> None:
    directory = drafting.Directory.of(cast.bureau)
    named = {
        name: (d.name if (d := directory.department(name)) else None)
        for name in ["财务股", "财务", "财务科", "建筑", "项目", "股", "各股室", "", "宣传部"]
    }
    assert named == {
        "财务股": "财务股",
        "财务": "财务股",
        "财务科": "财务股",
        "建筑": "建筑管理股",
        "项目": "计划项目股",
        "股": None,
        "各股室": None,
        "": None,
        "宣传部": None,
    }
    assert directory.leader("李志强") == cast.users["leader"].person
    assert directory.leader("陈文斌") is None  # a department head is not of the leadership
    assert directory.leader("") is None


def test_a_candidate_becomes_a_draft_with_its_leader_units_and_default_deadline(cast: demo.Cast) -> None:
    directory = drafting.Directory.of(cast.bureau)
    c = candidate(lead_hint="李志强", lead_units=["财务"], partner_units=["人事股", "财务股", "各股室"])
    draft = drafting.candidate_draft(c, directory, default_deadline=DEFAULT)
    assert draft.lead_leader == cast.users["leader"].person
    assert draft.lead_department == cast.departments["财务股"]
    assert draft.partner_departments == [cast.departments["人事股"]]  # the lead is not its own partner
    assert draft.deadline == DEFAULT and draft.kind == Task.Kind.LIMITED
    assert draft.responsible_person is None


def test_without_named_units_the_leaders_supervised_department_the_text_mentions_leads(cast: demo.Cast) -> None:
    directory = drafting.Directory.of(cast.bureau)
    c = candidate(lead_hint="李志强", text="对财务、人事等关键岗位反复督促检查")
    assert drafting.candidate_draft(c, directory).lead_department == cast.departments["财务股"]
    vague = candidate(lead_hint="李志强", text="认真抓好落实")
    assert drafting.candidate_draft(vague, directory).lead_department is None


@pytest.mark.parametrize(
    ("flags", "kind", "deadline"),
    [
        ({"immediate": True, "deadline": dt.date(2023, 7, 17)}, Task.Kind.IMMEDIATE, dt.date(2023, 7, 17)),
        ({"recurrence": "monthly"}, Task.Kind.RECURRING, DEFAULT),
        ({"long_term": True}, Task.Kind.LONG_TERM, None),
        ({"deadline": dt.date(2023, 9, 30)}, Task.Kind.LIMITED, dt.date(2023, 9, 30)),
    ],
)
def test_the_kind_and_deadline_follow_the_candidates_hints(cast: demo.Cast, flags, kind, deadline) -> None:  # type: ignore[no-untyped-def]
    draft = drafting.candidate_draft(candidate(**flags), drafting.Directory.of(cast.bureau), default_deadline=DEFAULT)
    assert (draft.kind, draft.deadline) == (kind, deadline)


def test_the_seed_speech_gives_ten_rows_in_the_breakdown_table(cast: demo.Cast) -> None:
    from pathlib import Path

    from qingfeng.supervision.decompose import decompose

    text = (Path(__file__).parent / "data" / "deployment-speech-2023h2.txt").read_text(encoding="utf-8")
    outline = decompose(text, deployment_date=dt.date(2023, 7, 15), leaders=drafting.leaders_map(cast.bureau))
    rows = drafting.outline_rows(outline)
    assert len(rows) == 10 and rows[0][3] == "李志强" and rows[3][6] == "长期坚持"
    drafts = drafting.outline_drafts(outline, drafting.Directory.of(cast.bureau))
    assert [d.title for d in drafts] == [r[1] for r in rows]


@pytest.mark.parametrize("recurrence", ["monthly", "quarterly"])
def test_a_recurring_candidate_keeps_its_period_through_the_review_form(cast: demo.Cast, recurrence: str) -> None:
    from qingfeng.supervision.forms_deployments import initial_row

    draft = drafting.candidate_draft(candidate(recurrence=recurrence), drafting.Directory.of(cast.bureau))
    assert (draft.kind, draft.recurrence) == (Task.Kind.RECURRING, recurrence)
    assert initial_row(draft)["recurrence"] == recurrence
