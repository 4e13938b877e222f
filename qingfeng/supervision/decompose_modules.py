"""What a candidate task is about, who leads it, which units do it, and what the clerk must check (part of the
decomposer; pure Python, no ORM)."""

from __future__ import annotations

import re
from collections.abc import Mapping

# The word lists, in the order that breaks ties (巡察整改 first, 主体责任 last). A module's score is the
# number of occurrences of its words in the candidate's text; the highest score wins, ties go to the earlier
# module, and no hit at all gives "supervision" (督查督办, the home of every deployment task).
MODULE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rectification", ("巡察", "整改")),
    ("ideology", ("舆情", "意识形态")),
    ("education", ("学习", "三会一课", "教育")),
    ("rules", ("制度",)),
    ("integrity", ("关键岗位", "财务", "人事", "审批", "风险")),
    ("responsibility", ("责任", "一岗双责")),
)
DEFAULT_MODULE = "supervision"
MODULE_LABELS = {
    "rectification": "巡察整改",
    "ideology": "意识形态",
    "education": "学习教育",
    "rules": "制度建设",
    "integrity": "廉政风险防控",
    "responsibility": "主体责任",
    "supervision": "督查督办",
}


def module_scores(text: str) -> dict[str, int]:
    return {module: sum(text.count(word) for word in words) for module, words in MODULE_WORDS}


def suggest_module(text: str) -> str:
    scores = module_scores(text)
    best = max(scores.values())
    if best == 0:
        return DEFAULT_MODULE
    return next(module for module, _ in MODULE_WORDS if scores[module] == best)


def suggest_lead(text: str, leaders: Mapping[str, str]) -> tuple[str, list[str]]:
    """The leader whose field words occur most often in `text` (ties: the longer keyword, then the map's
    order), and the names of every leader whose field is named at all."""
    best_name, best_key = "", (0, 0)
    named: list[str] = []
    for keyword, name in leaders.items():
        if not keyword:
            continue
        hits = text.count(keyword)
        if not hits:
            continue
        if name not in named:
            named.append(name)
        key = (hits, len(keyword))
        if key > best_key:
            best_name, best_key = name, key
    return best_name, named


# Inline responsibility notes: "（牵头单位：市发展改革委，配合单位：市委组织部、市人社局）",
# "牵头单位：县纪委监委；责任单位：各乡镇", "责任领导：张三". The value runs to the next label or the end.
_UNIT_LABEL = r"(?:牵头|责任|配合|协办|参与|主办|协助)(?:单位|部门|科室|股室|处室)"
_LEADER_LABEL = r"(?:牵头|责任|分管|包抓)领导"
_ANY_LABEL = rf"(?:{_UNIT_LABEL}|{_LEADER_LABEL}|完成时限|整改时限|办理时限|时限要求|完成时间)"
_LABELLED_RE = re.compile(
    rf"(?P<label>{_UNIT_LABEL}|{_LEADER_LABEL})\s*[:：]\s*(?P<value>.*?)(?=[，,；;]?\s*{_ANY_LABEL}\s*[:：]|[）)。\n]|$)"
)
_SPLIT_UNITS_RE = re.compile(r"[、，,；;/\s]+")


def parse_units(text: str) -> tuple[list[str], list[str], str]:
    """(lead units, partner units, named leader). With no 牵头 label, the first 责任/主办 list leads."""
    lead: list[str] = []
    partners: list[str] = []
    responsible: list[str] = []
    leader = ""
    for m in _LABELLED_RE.finditer(text):
        label, value = m["label"], m["value"].strip(" ：:，,；;")
        names = [n for n in _SPLIT_UNITS_RE.split(value) if n]
        if label.endswith("领导"):
            leader = leader or (names[0] if names else "")
        elif label.startswith("牵头"):
            lead.extend(n for n in names if n not in lead)
        elif label.startswith(("责任", "主办")):
            responsible.extend(n for n in names if n not in responsible)
        else:
            partners.extend(n for n in names if n not in partners)
    if lead:
        partners = responsible + [n for n in partners if n not in responsible]
    else:
        lead = responsible
    return lead, partners, leader


def strip_unit_notes(text: str) -> str:
    """The text without its bracketed "（牵头单位：…）" notes (for titles)."""
    return re.sub(rf"[（(]\s*{_UNIT_LABEL}\s*[:：][^（）()]*[）)]", "", text)


# Redaction placeholders of published texts: "**", "********", "××", "XX局".
_REDACTION_RE = re.compile(r"\*{2,}|＊{2,}|×{2,}|(?<![A-Za-z])X{2,}(?![A-Za-z])")


def redaction_flags(text: str) -> list[str]:
    found: list[str] = []
    for m in _REDACTION_RE.finditer(text):
        if m.group() not in found:
            found.append(m.group())
    if not found:
        return []
    marks = "、".join(f"“{p}”" for p in found)
    return [f"含脱敏占位符{marks}，请核对"]
