"""The severity suggestion: the active keyword rules that apply to a unit, matched against the jieba words of an
incident's title and content. The person on duty decides the level; the suggestion and the rule that fired are kept.

Speed (issue 8: under 5 ms for one incident's text): the rules are compiled once per process — their keyword sets
and a jieba tokenizer of our own that holds every keyword as a dictionary word (so 拖欠工资 stays one word) — and
compiled again only when a rule changed: each suggestion compares one aggregate (the rules' count and last change,
soft deletions included) with the compiled one. The tokenizer is separate from jieba's global one, so the words we
add change no other module's segmentation."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max

from qingfeng.opinion.models import Level, SeverityRule

log = logging.getLogger(__name__)
_SPLIT = re.compile(r"[,，、;；\s]+")
MAX_KEYWORD = 20
MAX_TEXT = 20_000  # characters segmented at most (an incident's text is a few hundred)


def split_keywords(raw: str) -> list[str]:
    """The keywords of a rule as typed (comma, 顿号, semicolon, blank or new line between them), once each."""
    seen: dict[str, None] = {}
    for word in _SPLIT.split(raw or ""):
        word = word.strip()
        if word:
            seen.setdefault(word, None)
    return list(seen)


@dataclass(frozen=True)
class _Rule:
    pk: int
    unit_id: int | None
    topic: str
    level: int
    active: bool
    keywords: frozenset[str]


@dataclass(frozen=True)
class Suggestion:
    level: int
    rule_id: int | None
    topic: str
    words: list[str]

    @property
    def level_display(self) -> str:
        return Level(self.level).label

    @property
    def explanation(self) -> str:
        if self.rule_id is None:
            return "未命中研判规则，默认为一般"
        return f"规则“{self.topic}”命中：{'、'.join(self.words)}"


class _Compiled:
    def __init__(self, signature: tuple[Any, ...], rules: list[_Rule]) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.signature = signature
        self.rules = rules
        self.tokenizer = _base_tokenizer()
        # The tokenizer is shared by every compilation of the process; words of rules since changed stay in its
        # dictionary and only make the segmentation a little coarser, which matching does not mind.
        for rule in rules:
            for word in rule.keywords:
                self.tokenizer.add_word(word, freq=100_000)
        self._by_unit: dict[int | None, list[_Rule]] = {}

    def for_unit(self, unit_id: int | None) -> list[_Rule]:
        """The unit's active rules: its own, and the general ones whose topic it has no rule for."""
        cached = self._by_unit.get(unit_id)
        if cached is None:
            own = [r for r in self.rules if unit_id is not None and r.unit_id == unit_id]
            topics = {r.topic for r in own}
            general = [r for r in self.rules if r.unit_id is None and r.topic not in topics]
            cached = self._by_unit[unit_id] = [r for r in own + general if r.active]
        return cached


_LOCK = threading.Lock()
_COMPILED: _Compiled | None = None
_TOKENIZER: Any = None


def _base_tokenizer() -> Any:
    global _TOKENIZER
    if _TOKENIZER is None:
        import jieba

        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        _TOKENIZER = tokenizer
    return _TOKENIZER


def _signature() -> tuple[Any, ...]:
    row = SeverityRule.all_objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"])


def compiled() -> _Compiled:
    """The compiled rules, compiled again when a rule was added, changed or deleted since."""
    global _COMPILED
    signature = _signature()
    current = _COMPILED
    if current is not None and current.signature == signature:
        return current
    with _LOCK:
        if _COMPILED is not None and _COMPILED.signature == signature:
            return _COMPILED
        rows = SeverityRule.objects.values_list("pk", "unit_id", "topic", "level", "active", "keywords")
        rules = [
            _Rule(pk, unit_id, topic, level, active, frozenset(w for w in split_keywords(raw) if len(w) <= MAX_KEYWORD))
            for pk, unit_id, topic, level, active, raw in rows
        ]
        _COMPILED = _Compiled(signature, rules)
        return _COMPILED


def forget() -> None:
    """Drop the compiled rules (tests that roll a rule back)."""
    global _COMPILED
    _COMPILED = None


def suggest(*, unit_id: int | None, title: str, content: str = "", rules: _Compiled | None = None) -> Suggestion:
    """The suggested level for a text: the highest level among the rules that fire (more words hit first, then the
    rule's order), or 一般 when none fires. `rules`: compiled() once for a batch (an import of thousands of rows
    asked the database whether the rules had changed for each row)."""
    rules = rules or compiled()
    candidates = rules.for_unit(unit_id)
    text = f"{title}\n{content}"[:MAX_TEXT]
    if not candidates or not text.strip():
        return Suggestion(Level.ORDINARY, None, "", [])
    words = set(rules.tokenizer.lcut(text, HMM=False))
    best: tuple[int, int, int] | None = None
    chosen: _Rule | None = None
    hits: list[str] = []
    for rule in candidates:
        matched = rule.keywords & words
        if not matched:
            continue
        key = (rule.level, len(matched), -rule.pk)
        if best is None or key > best:
            best, chosen, hits = key, rule, sorted(matched, key=lambda w: text.find(w))
    if chosen is None:
        return Suggestion(Level.ORDINARY, None, "", [])
    return Suggestion(chosen.level, chosen.pk, chosen.topic, hits[:10])
