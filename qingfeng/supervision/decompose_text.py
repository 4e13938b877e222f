"""Reading the shape of an official text (part of the decomposer; pure Python, no ORM): paragraphs, their
numbering levels, where the opening and the closing words are, headings, titles and inline items
(一是…二是…, 第一…第二…, 首先…其次…)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qingfeng.supervision.decompose_dates import cn_number
from qingfeng.supervision.decompose_modules import strip_unit_notes

TITLE_MAX = 40

# 1. Paragraphs ---------------------------------------------------------------------------------------------

_CN = "一二三四五六七八九十"
_LEVEL_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^(?P<no>[{_CN}]{{1,3}})\s*[、.．]\s*")),
    (2, re.compile(rf"^[（(]\s*(?P<no>[{_CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(r"^(?P<no>[0-9]{1,2})\s*[.．、](?![0-9])\s*")),
    (4, re.compile(r"^(?:[（(]\s*(?P<no>[0-9]{1,2})\s*[）)]|(?P<circled>[①-⑳]))\s*[、.．]?\s*")),
)
# A number glued after a heading on one line ("二、征集内容1.“选题”…") or after a sentence ("…。2.…").
_GLUED_RE = re.compile(
    rf"(?<=[。；;！!？?：:])\s*(?=[（(][{_CN}]{{1,3}}[）)]|[0-9]{{1,2}}[.．、](?![0-9])|[（(][0-9]{{1,2}}[）)])"
    rf"|(?<=[。；;！!？?])\s*(?=[{_CN}]{{1,3}}、)"
)
_GLUED_FIRST_RE = re.compile(
    rf"^(?P<head>(?:[{_CN}]{{1,3}}[、.．]|[（(][{_CN}]{{1,3}}[）)])[^。；;！!？?：:，,]{{2,20}}?)(?=[（(]一[）)]|1[.．、](?![0-9]))"
)
_SPACES_RE = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u200b]+")

SALUTATION_RE = re.compile(r"^(?:同志们|各位(?:领导|同志|代表|同事)[^：:]{0,10}|[^。！？]{1,80})[：:]$")
_STRONG_CLOSING_RES = (
    re.compile(r"(?:会议|讲话|发言)到此结束"),
    re.compile(r"^特此(?:通知|说明|通报|报告|公告|函告|批复)"),
    re.compile(r"^(?:附件|抄送|印发)\s*[:：0-9１-９]"),
    re.compile(r"^[（(]此件[^）)]*[）)]$"),
)
_WEAK_CLOSING_RES = (
    re.compile(r"^同志们[，,！!。]"),
    re.compile(r"^谢谢"),
    re.compile(r"^(?:联系人|联系电话|联系方式)\s*[:：]"),
)
DATE_LINE_RE = re.compile(
    r"^[0-9〇○零一二三四五六七八九十]{4}年[0-9一二三四五六七八九十]{1,2}月[0-9一二三四五六七八九十]{1,3}日$"
)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_MEETING_TITLE_RE = re.compile(r"召开(?P<title>[^，。；]{4,60}?(?:会议|大会|会))")


def paragraphs_of(text: str) -> list[str]:
    paragraphs: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES_RE.sub(" ", raw).strip()
        if not line:
            continue
        for part in _GLUED_RE.split(line):
            part = part.strip()
            first = _GLUED_FIRST_RE.match(part)
            if first:
                paragraphs.append(first["head"])
                part = part[first.end() :]
            if part:
                paragraphs.append(part)
    return paragraphs


def _level(paragraph: str) -> tuple[int, str, str] | None:
    """(level, number as written, the rest) of a numbered paragraph."""
    for level, pattern in _LEVEL_RES:
        m = pattern.match(paragraph)
        if m and len(paragraph) > m.end():
            return level, _normalise_number(level, m), paragraph[m.end() :]
    return None


_DIGIT_AFTER_RE = re.compile(r"^(?P<no>[0-9]{1,2})[.．、](?=[0-9])")


def levels_of(paragraphs: list[str]) -> list[tuple[int, str, str] | None]:
    """Each paragraph's level. "11.121人才梯队项目" is item 11 when item 10 came before it (a number followed
    by a digit is otherwise a decimal, "2.5亿元")."""
    levels: list[tuple[int, str, str] | None] = []
    last_item = 0
    for paragraph in paragraphs:
        lv = _level(paragraph)
        if lv is None:
            m = _DIGIT_AFTER_RE.match(paragraph)
            if m and int(m["no"]) == last_item + 1:
                lv = (3, f"{int(m['no'])}.", paragraph[m.end() :])
        if lv and lv[0] == 3:
            last_item = int(lv[1].rstrip("."))
        levels.append(lv)
    return levels


def _normalise_number(level: int, m: re.Match[str]) -> str:
    """The number as the outline shows it: "一", "（一）", "1.", "（1）"."""
    if level == 1:
        return m["no"]
    if level == 2:
        return f"（{m['no']}）"
    if level == 3:
        return f"{int(m['no'])}."
    return f"（{int(m['no'])}）" if m["no"] else m["circled"]


def closing_start(paragraphs: list[str], first: int, last: int) -> int:
    """Where the closing words begin: a strong marker anywhere after the first number, a weak one (同志们，…,
    谢谢, a date line, 联系人) only after the last number; the signature line above a date goes with it."""
    end = len(paragraphs)
    for i in range(first + 1, len(paragraphs)):
        strong = any(p.search(paragraphs[i]) for p in _STRONG_CLOSING_RES)
        weak = i > last and (
            any(p.search(paragraphs[i]) for p in _WEAK_CLOSING_RES) or DATE_LINE_RE.match(paragraphs[i])
        )
        if strong or weak:
            end = i
            if i - 1 > last and len(paragraphs[i - 1]) <= 30 and DATE_LINE_RE.match(paragraphs[i]):
                end = i - 1  # the signature above the date
            break
    return end


# 2. The tree -------------------------------------------------------------------------------------------------


@dataclass
class Node:
    level: int
    number: str
    parts: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def split_heading(text: str) -> tuple[str, str]:
    """("heading", "the rest") of a numbered paragraph: the heading is its first sentence, or its first line
    when that is a heading on a line of its own."""
    first_line, newline, after = text.partition("\n")
    if newline and len(first_line) <= 60 and _sentence_end(first_line) is None:
        return first_line, after.strip()
    end = _sentence_end(text)
    if end is None:
        return (text, "") if len(text) <= 60 else ("", text)
    heading, rest = text[:end], text[end + 1 :].strip()
    if len(heading) > 60:
        return "", text
    return heading, rest


def _sentence_end(text: str, stops: str = "。！？；;!?") -> int | None:
    """Index of the first sentence stop outside quotation marks and book-title marks."""
    depth = 0
    for i, char in enumerate(text):
        if char in "“《「(（":
            depth += 1
        elif char in "”》」)）" and depth:
            depth -= 1
        elif char in stops and depth == 0:
            return i
    for i, char in enumerate(text):  # unbalanced quotes: any stop will do
        if char in stops:
            return i
    return None


def title_of(text: str) -> str:
    text = strip_unit_notes(text).strip()
    end = _sentence_end(text, "。！？；;!?：:\n")
    title = text if end is None else text[:end]
    if len(title) > TITLE_MAX:
        comma = _sentence_end(title, "，,")
        if comma is not None and 4 <= comma <= TITLE_MAX:
            title = title[:comma]
    if title.startswith("要") and len(title) > 3:
        title = title[1:]
    title = title.strip(" ，,、")
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


# 3. Inline items: 一是…二是…, 第一，…第二，…, 首先…其次… ------------------------------------------------------

_INLINE_RES = (
    re.compile(rf"(?:(?<=^)|(?<=[。；;：:！!？?\n，,]))(?P<no>[{_CN}]{{1,3}})是"),
    re.compile(rf"(?:(?<=^)|(?<=[。；;：:！!？?\n]))第(?P<no>[{_CN}]{{1,3}})(?=[，,、：:])"),
)
_ORDINAL_RE = re.compile(r"(?:(?<=^)|(?<=[。；;：:！!？?\n]))(?P<no>首先|其次|再次|然后|最后)(?=[，,：:])")
_ORDINALS = {"首先": 1, "其次": 2, "再次": 3, "然后": 3, "最后": 9}


def inline_items(text: str) -> list[tuple[str, int, int]]:
    """[(marker as written, start, end of its item)] when the text holds a run 一是, 二是, … of two or more."""
    for pattern in _INLINE_RES:
        run: list[tuple[str, int]] = []
        for m in pattern.finditer(text):
            if m.start() and text[m.start() - 1] in "，," and not run:
                continue  # "，一是" can continue a list, never start one
            if cn_number(m["no"]) == len(run) + 1:
                run.append((m.group(), m.start()))
        if len(run) >= 2:
            return [(no, start, run[i + 1][1] if i + 1 < len(run) else len(text)) for i, (no, start) in enumerate(run)]
    run = []
    for m in _ORDINAL_RE.finditer(text):
        rank = _ORDINALS[m["no"]]
        if (not run and rank == 1) or (run and rank > _ORDINALS[run[-1][0]]):
            run.append((m["no"], m.start()))
    if len(run) >= 2:
        return [(no, start, run[i + 1][1] if i + 1 < len(run) else len(text)) for i, (no, start) in enumerate(run)]
    return []


_DOC_TITLE_RE = re.compile(
    r"^(?P<title>[^。！？!?]{4,80}?(?:通知|意见|方案|要点|说明|报告|通报|决定|办法|规定|讲话|计划|公告|纪要|细则|清单))"
    r"\s*(?:$|[-—_－|｜])"
)


def document_title(opening: list[str]) -> str:
    """A line naming the document (…的通知, …实施方案), else a short first line, else the meeting named in the
    opening ("召开…会议")."""
    for paragraph in opening:
        m = _DOC_TITLE_RE.match(paragraph)
        if m:
            return m["title"]
    for paragraph in opening[:3]:
        if SALUTATION_RE.match(paragraph):
            continue
        if len(paragraph) <= 60 and _sentence_end(paragraph, "。！？；;!?，,：:") is None and _CJK_RE.search(paragraph):
            return paragraph
    m = _MEETING_TITLE_RE.search("\n".join(opening))
    return m["title"] if m else ""
