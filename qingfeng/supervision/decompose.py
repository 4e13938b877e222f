"""The decomposer: a deployment text (a speech, 工作要点, 整改方案, notice) → an outline of sections and candidate
tasks for the clerk to review. Pure Python — no ORM, no Django — so it runs anywhere and fast.

How a text is read:
1. Paragraphs are normalised (full-width spaces, half-width brackets) and a number glued to a heading on the
   same line ("二、征集内容1.…") is put on a line of its own.
2. The numbering of Chinese official writing gives each paragraph a level: 一、 (1), （一） (2), 1. (3),
   （1） (4); an unnumbered paragraph continues the one before. The salutation (同志们：) and everything before
   the first number is the opening; closing words (同志们，…/到此结束/特此通知/signature and date) are dropped.
3. The levels make a tree. The top level present is the section level (一、 when it occurs); with a single level
   and no 一、, the whole text is one section. Leaves are the tasks; inside a leaf, 一是/二是…, 第一/第二… and
   首先/其次… split it further. A section with no numbered items is itself one task.
4. Each task gets its title, deadline hints (decompose_dates), module, lead and units (decompose_modules), and
   flags for the clerk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from qingfeng.core.errors import UserError
from qingfeng.supervision.decompose_dates import RECURRENCE_LABELS, format_date, read_hints
from qingfeng.supervision.decompose_modules import parse_units, redaction_flags, suggest_lead, suggest_module
from qingfeng.supervision.decompose_text import (
    SALUTATION_RE,
    Node,
    closing_start,
    document_title,
    inline_items,
    levels_of,
    paragraphs_of,
    split_heading,
    title_of,
)

MAX_CHARS = 1_000_000  # a deployment text is tens of thousands of characters; a million is not one
NO_NUMBERING_MESSAGE = "未识别到编号（一、（一）1. 一是…），全文作为一项任务，请人工拆分"


@dataclass
class Candidate:
    section_no: str
    section_heading: str
    number: str
    title: str
    text: str
    deadline: dt.date | None = None
    recurrence: str = ""
    long_term: bool = False
    immediate: bool = False
    module: str = "supervision"
    lead_hint: str = ""
    lead_units: list[str] = field(default_factory=list)
    partner_units: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    subsection: str = ""  # the headings between the section and this task, e.g. "（一）产业提升人才行动计划"


@dataclass
class Section:
    number: str
    heading: str
    items: list[Candidate] = field(default_factory=list)


@dataclass
class Outline:
    title: str
    sections: list[Section]
    default_deadline: dt.date | None = None
    messages: list[str] = field(default_factory=list)

    def candidates(self) -> list[Candidate]:
        return [item for section in self.sections for item in section.items]

    def as_json(self) -> dict[str, Any]:
        def item_json(c: Candidate) -> dict[str, Any]:
            data = asdict(c)
            data["deadline"] = c.deadline.isoformat() if c.deadline else None
            data["lead"] = data.pop("lead_hint")
            del data["section_no"], data["section_heading"]
            return data

        return {
            "title": self.title,
            "default_deadline": self.default_deadline.isoformat() if self.default_deadline else None,
            "messages": list(self.messages),
            "sections": [
                {"number": s.number, "heading": s.heading, "items": [item_json(c) for c in s.items]}
                for s in self.sections
            ],
        }


# The decomposer ---------------------------------------------------------------------------------------------


def decompose(
    text: str,
    *,
    deployment_date: dt.date,
    leaders: Mapping[str, str] | None = None,
    is_working_day: Callable[[dt.date], bool] | None = None,
) -> Outline:
    """The outline and candidate tasks of a deployment text; `leaders` maps field words (分管 departments, or
    words like 财务) to leaders' names; `is_working_day` moves a same-day deadline off days off."""
    if not text or not text.strip():
        raise UserError("内容为空，没有可以分解的文字。")
    if len(text) > MAX_CHARS:
        raise UserError(f"内容超过 {MAX_CHARS // 10000} 万字，不像是一份部署文件，请拆分后再分解。")
    text = text.lstrip("\ufeff")
    leaders = leaders or {}

    paragraphs = paragraphs_of(text)
    levels = levels_of(paragraphs)
    numbered = [i for i, lv in enumerate(levels) if lv]
    first = numbered[0] if numbered else len(paragraphs)

    end = closing_start(paragraphs, first if numbered else 0, numbered[-1] if numbered else -1)
    opening = paragraphs[:first]
    title = document_title(opening)
    default_hints = read_hints("\n".join(opening), today=deployment_date, is_working_day=is_working_day)
    default_deadline = default_hints.dates_found[-1] if default_hints.dates_found else None

    builder = _Builder(deployment_date, leaders, is_working_day, default_deadline)
    messages: list[str] = []
    if not numbered:
        body = paragraphs[:end]
        if body and body[0] == title and len(body) > 1:
            body = body[1:]
        while len(body) > 1 and SALUTATION_RE.match(body[0]):
            body = body[1:]
        root = Node(0, "", parts=body)
        items = inline_items(root.text)
        section = Section("", title, [])
        section.items = builder.tasks(root, section, [], default_deadline)
        if not items:
            messages.insert(0, NO_NUMBERING_MESSAGE)
        sections = [section]
    else:
        root = Node(0, "")
        stack = [root]
        for paragraph, lv in zip(paragraphs[first:end], levels[first:end], strict=True):
            if lv is None:
                stack[-1].parts.append(paragraph)
                continue
            level, number, rest = lv
            while stack[-1].level >= level:
                stack.pop()
            node = Node(level, number, parts=[rest])
            stack[-1].children.append(node)
            stack.append(node)
        sections = builder.sections(root, title)
    if default_deadline:
        messages.append(f"开头部分提到完成时间，未写时限的任务默认于{format_date(default_deadline)}前完成")
    return Outline(title=title, sections=sections, default_deadline=default_deadline, messages=messages)


class _Builder:
    def __init__(
        self,
        today: dt.date,
        leaders: Mapping[str, str],
        is_working_day: Callable[[dt.date], bool] | None,
        default_deadline: dt.date | None,
    ) -> None:
        self.today, self.leaders, self.is_working_day = today, leaders, is_working_day
        self.default_deadline = default_deadline

    def sections(self, root: Node, title: str) -> list[Section]:
        top = root.children
        has_sections = any(n.level == 1 for n in top) or any(n.children for n in top)
        if not has_sections:
            section = Section("", title)
            section.items = self.tasks(root, section, [], self.default_deadline)
            return [section]
        sections = []
        for node in top:
            heading, _ = split_heading(node.text)
            section = Section(_bare(node.number), heading or title_of(node.text))
            section.items = self.tasks(node, section, [], self.default_deadline, is_section=True)
            sections.append(section)
        return sections

    def tasks(
        self,
        node: Node,
        section: Section,
        path: list[str],
        inherited: dt.date | None,
        *,
        is_section: bool = False,
    ) -> list[Candidate]:
        """The candidates under `node`: its children's leaves, else its inline items, else itself."""
        heading, rest = split_heading(node.text) if node.level else ("", node.text)
        inline = inline_items(rest)
        intro = rest[: inline[0][1]] if inline else rest  # the lead-in before the items
        hints = read_hints(heading + "\n" + intro, today=self.today, is_working_day=self.is_working_day)
        deadline = hints.deadline if hints.deadline and not hints.immediate else inherited
        lead_units, partner_units, _ = parse_units(node.text)
        if node.children:
            label = "" if is_section or not node.level else f"{node.number}{heading}"
            below = path + [label] if label else path
            candidates: list[Candidate] = []
            for marker, start, stop in inline:
                candidates.append(self._candidate(section, marker, rest[start:stop], below, deadline))
            for child in node.children:
                candidates.extend(self.tasks(child, section, below, deadline))
            return self._inherit_units(candidates, lead_units, partner_units)
        if inline:
            body = rest
            label = "" if is_section or not node.level else f"{node.number}{heading}"
            below = path + [label] if label else path
            candidates = [self._candidate(section, m, body[s:e], below, deadline) for m, s, e in inline]
            return self._inherit_units(candidates, lead_units, partner_units)
        number = "" if is_section or not node.level else node.number
        return [self._candidate(section, number, node.text, path, inherited)]

    def _inherit_units(self, candidates: list[Candidate], lead: list[str], partners: list[str]) -> list[Candidate]:
        for c in candidates:
            if not c.lead_units and not c.partner_units:
                c.lead_units, c.partner_units = list(lead), list(partners)
        return candidates

    def _candidate(
        self, section: Section, number: str, text: str, path: list[str], inherited: dt.date | None
    ) -> Candidate:
        text = text.strip()
        body = text[len(number) :].strip() if number and text.startswith(number) else text
        hints = read_hints(text, today=self.today, is_working_day=self.is_working_day)
        flags = redaction_flags(text)
        if hints.immediate:
            deadline = hints.deadline
            flags.append("含“第一时间/立即/事不过夜”，按当日工作日结束前办结，请核对是否为常态要求")
        elif hints.deadline:
            deadline = hints.deadline
            if len(hints.dates_found) > 1:
                dates = "、".join(format_date(d) for d in hints.dates_found)
                flags.append(f"含多个时间节点（{dates}），取最晚的作为完成时限")
        elif hints.long_term:
            deadline = None
            flags.append("长期坚持事项，未设完成时限")
        else:
            deadline = inherited
        if hints.immediate_quoted and not hints.immediate:
            flags.append("“事不过夜”等只出现在引号中，未按当日办结处理")
        if len(hints.recurrences_found) > 1:
            labels = "、".join(RECURRENCE_LABELS[r] for r in hints.recurrences_found)
            flags.append(f"含多种频次（{labels}），按最频繁的设定")
        lead_units, partner_units, named_leader = parse_units(text)
        lead, named = suggest_lead(text, self.leaders)
        if named_leader:
            lead = named_leader
        elif len(named) > 1:
            flags.append(f"涉及多位分管领导（{'、'.join(named)}），已按提及次数建议{lead}")
        return Candidate(
            section_no=section.number,
            section_heading=section.heading,
            number=number,
            title=title_of(body) or section.heading,
            text=body,
            deadline=deadline,
            recurrence=hints.recurrence,
            long_term=hints.long_term,
            immediate=hints.immediate,
            module=suggest_module(text),
            lead_hint=lead,
            lead_units=lead_units,
            partner_units=partner_units,
            flags=flags,
            subsection=" / ".join(p for p in path if p),
        )


def _bare(number: str) -> str:
    """ "（一）" → "（一）", "一、" → "一": a section number without its stop."""
    return number.rstrip("、.．")
