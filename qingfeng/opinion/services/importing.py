"""舆情监测导入: a monitoring service's export (.xlsx, or .csv in UTF-8 or GBK) read, de-duplicated and shown as a
preview (new / merged / refused, each with its reason) before anything is stored; confirming stores it all or
nothing.

1. Reading: the header is the first of the first rows naming 标题, 链接 and 发布时间 (English headers too; 来源 and
   摘要 are optional); a missing column is a Chinese message naming it and nothing is read. A CSV is UTF-8 (with or
   without BOM) when it decodes as such, else GB18030 (a superset of GBK, what Chinese Excel writes), else UTF-16
   with its BOM; anything else is refused with a message saying to save it as UTF-8 or GBK.
2. A row is refused with its reason when it has no title, its 发布时间 cannot be read or is in the future.
3. De-duplication, within the file and against the unit's incidents (and their merged reports) of the last
   OPINION_DEDUP_DAYS days: the same link (scheme and host in lower case, no fragment or trailing slash) merges
   the row into the earlier one, adding nothing; a near-identical text — the Jaccard similarity of the character
   bigrams of the normalised title and summary (NFKC, lower case, letters and digits only) at least SIMILARITY —
   merges it as a further report (IncidentMention, a repost elsewhere). Near-identical pairs are found with prefix
   filtering (the All-Pairs similarity join): with the bigrams of every text in one global order, rarest first, two
   texts at or above the threshold share a bigram among their first |x| - ⌈t·|x|⌉ + 1, so only those are compared:
   10,000 rows in about a second, without missing a pair.
4. Confirm (opinion.manage): the judgement is made again against what is stored now (someone may have recorded one
   meanwhile), then in one transaction: each new row an incident (source 网络, found now by the one who confirms,
   the level the rules suggest; the department is named at a later step, which assigns its 督办事项), the merged
   reports, one audit event, one notice to the leader on duty and the office."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.core.xlsx_import import xlsx_upload_problem
from qingfeng.opinion.models import IncidentMention, IncidentStep, MonitorImport, OpinionIncident, Step
from qingfeng.opinion.services import severity
from qingfeng.opinion.services.incidents import active_accounts, leader_for, office_accounts
from qingfeng.org import access
from qingfeng.org.models import Unit

MANAGE = "opinion.manage"
SIMILARITY = 0.8  # bigram Jaccard of near-identical texts (decision 3)
MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 5
SHORT = 4  # texts with fewer bigrams are compared as a whole

COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "title", "文章标题", "信息标题", "舆情标题"),
    "link": ("链接", "link", "url", "原文链接", "网址", "地址"),
    "site": ("来源", "source", "sourcesite", "来源网站", "站点", "媒体", "网站"),
    "published": ("发布时间", "publishedat", "published", "时间", "发布日期", "日期"),
    "summary": ("摘要", "summary", "内容", "正文", "内容摘要", "简介"),
}
REQUIRED = ("title", "link", "published")
LABEL = {"title": "标题", "link": "链接", "site": "来源", "published": "发布时间", "summary": "摘要"}
_HEADER_NOISE = re.compile(r"[\s_*（）()：:]+")
_BY_HEADER = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}


# --- reading ------------------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was read in (decision 1)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise UserError("无法识别文件编码：请在 Excel 或 WPS 中另存为“CSV UTF-8”或 GBK 编码的 CSV 后再导入") from None


def _grid_csv(raw: bytes) -> tuple[list[list[str]], str]:
    text, encoding = decode_csv(raw)
    if "\x00" in text:
        raise UserError("文件不是有效的 CSV 文本文件")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid = []
    for line in reader:
        grid.append([_cell(v) for v in line])
        if len(grid) > MAX_ROWS + HEADER_SCAN_ROWS:
            raise UserError(f"文件超过 {MAX_ROWS} 行，请分成几个文件导入")
    return grid, encoding


def _grid_xlsx(upload: UploadedFile) -> list[list[Any]]:
    from openpyxl import load_workbook

    problem = xlsx_upload_problem(upload, missing="请选择要导入的监测文件")
    if problem:
        raise UserError(problem)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises a dozen kinds for a damaged zip
        raise UserError("文件不是有效的 Excel（.xlsx）文件") from None
    try:
        if not book.worksheets:
            raise UserError("文件中没有工作表")
        grid = []
        for values in book.worksheets[0].iter_rows(values_only=True):
            grid.append(list(values[:20]))
            if len(grid) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise UserError(f"文件超过 {MAX_ROWS} 行，请分成几个文件导入")
        return grid
    finally:
        book.close()


def _header(grid: list[list[Any]]) -> tuple[int, dict[str, int]]:
    best: tuple[int, dict[str, int]] = (0, {})
    for index, values in enumerate(grid[:HEADER_SCAN_ROWS]):
        positions: dict[str, int] = {}
        for col, value in enumerate(values):
            key = _BY_HEADER.get(_HEADER_NOISE.sub("", _cell(value)).lower())
            if key is not None and key not in positions:
                positions[key] = col
        if len(positions) > len(best[1]):
            best = (index, positions)
        if all(k in positions for k in REQUIRED):
            return index, positions
    index, positions = best
    if not positions:
        raise UserError("没有找到表头：第一行须为列名，至少包括“标题”“链接”“发布时间”（可另有“来源”“摘要”）")
    missing = [LABEL[k] for k in REQUIRED if k not in positions]
    raise UserError(f"缺少必需的列：{'、'.join(missing)}（表头须包括“标题”“链接”“发布时间”，可另有“来源”“摘要”）")


def read_rows(upload: UploadedFile | None) -> tuple[list[dict[str, Any]], str]:
    """The data rows as dicts (row: the row number in the file, title, link, site, published, summary), and the
    encoding read. Raises UserError for a file that cannot be read at all."""
    if upload is None or not upload.size:
        raise UserError("请选择要导入的监测文件（.xlsx 或 .csv）")
    if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise UserError(f"文件“{upload.name}”超过 {settings.UPLOAD_MAX_MB} MB 的上限")
    name = (upload.name or "").lower()
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK"):
        grid, encoding = _grid_xlsx(upload), "xlsx"
    elif name.endswith((".xlsx", ".xls")) or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError("文件不是有效的 .xlsx 文件（旧版 .xls 请另存为 .xlsx 或 CSV）")
    else:
        grid, encoding = _grid_csv(upload.read())
    index, positions = _header(grid)
    rows = []
    for number, values in enumerate(grid[index + 1 :], start=index + 2):
        cells = {k: _cell(values[c]) if c < len(values) else "" for k, c in positions.items()}
        if not any(cells.values()):
            continue
        rows.append({"row": number, **{k: cells.get(k, "") for k in ("title", "link", "site", "published", "summary")}})
    if not rows:
        raise UserError("文件中没有数据行")
    return rows, encoding


_DATE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?秒?)?)?$"
)


def parse_published(value: str, tz: Any = None) -> dt.datetime | None:
    """2026-11-20 08:30(:15), 2026/11/20 8:30, 2026年11月20日 08:30, 2026-11-20, an Excel serial day number."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    match = _DATE.match(text)
    try:
        if match:
            y, m, d, hh, mm, ss = (int(g) if g else 0 for g in match.groups())
            naive = dt.datetime(y, m, d, hh, mm, ss)
        elif re.fullmatch(r"\d{5}(\.\d+)?", text):
            naive = dt.datetime(1899, 12, 30) + dt.timedelta(days=float(text))
        else:
            return None
        return timezone.make_aware(naive.replace(microsecond=0), tz or timezone.get_current_timezone())
    except (ValueError, OverflowError):
        return None


# --- judging ------------------------------------------------------------------------------------------------------


def normal_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    link = link.split("#", 1)[0].rstrip("/")
    scheme, sep, rest = link.partition("://")
    if not sep:
        return link.lower()
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def normal_text(text: str) -> str:
    return _KEEP.sub("", unicodedata.normalize("NFKC", text or "").lower())


def bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


@dataclass
class _Doc:
    key: str  # "i<pk>" a stored incident, "r<n>" a row of the file
    label: str
    grams: frozenset[str]
    text: str
    root: str = ""  # the doc it merges into (its own key when it is kept)
    prefix: list[str] | None = None


@dataclass
class Judgement:
    rows: list[dict[str, Any]] = field(default_factory=list)  # each row with decision, reason, target
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "merged": 0, "refused": 0})


class _Index:
    """Prefix-filtering index over bigram sets (decision 3). The global order is each bigram's rank by (frequency,
    bigram): the same for every text, as the method needs."""

    def __init__(self, freq: Counter[str]) -> None:
        # A bigram of one text only can match nothing: all rank 0 (first), in any order; the others by frequency.
        shared = sorted((g for g, n in freq.items() if n > 1), key=lambda g: (freq[g], g))
        self.rank = dict.fromkeys(freq, 0)
        self.rank.update((g, i) for i, g in enumerate(shared, start=1))
        self.lists: dict[str, list[int]] = {}
        self.docs: list[_Doc] = []
        self.whole: dict[str, int] = {}

    def prefix(self, doc: _Doc) -> list[str]:
        if doc.prefix is None:
            ordered = sorted(doc.grams, key=self.rank.__getitem__)
            doc.prefix = ordered[: len(ordered) - math.ceil(SIMILARITY * len(ordered)) + 1]
        return doc.prefix

    def best(self, doc: _Doc) -> _Doc | None:
        if len(doc.grams) < SHORT:
            found = self.whole.get(doc.text) if doc.text else None
            return self.docs[found] if found is not None else None
        size = len(doc.grams)
        low, high = SIMILARITY * size, size / SIMILARITY
        seen: set[int] = set()
        best: tuple[float, int] | None = None
        for gram in self.prefix(doc):
            for i in self.lists.get(gram, ()):
                if i in seen:
                    continue
                seen.add(i)
                other = self.docs[i].grams
                if not low <= len(other) <= high:
                    continue
                common = len(doc.grams & other)
                score = common / (size + len(other) - common)
                if score >= SIMILARITY and (best is None or score > best[0]):
                    best = (score, i)
        return self.docs[best[1]] if best is not None else None

    def add(self, doc: _Doc) -> None:
        i = len(self.docs)
        self.docs.append(doc)
        if len(doc.grams) < SHORT:
            if doc.text:
                self.whole.setdefault(doc.text, i)
            return
        for gram in self.prefix(doc):
            self.lists.setdefault(gram, []).append(i)


def _stored(unit: Unit, now: dt.datetime) -> tuple[list[_Doc], dict[str, str]]:
    """The unit's incidents of the last OPINION_DEDUP_DAYS days as docs, and their links (merged reports' too)."""
    since = now - dt.timedelta(days=settings.OPINION_DEDUP_DAYS)
    docs, links = [], {}
    rows = OpinionIncident.objects.filter(unit=unit, found_at__gte=since).values_list("pk", "title", "content", "link")
    for pk, title, content, link in rows.iterator(chunk_size=2000):
        text = normal_text(f"{title}{content}")
        docs.append(_Doc(f"i{pk}", f"已有事件“{title[:30]}”", bigrams(text), text, f"i{pk}"))
        if link:
            links.setdefault(normal_link(link), f"i{pk}")
    mentions = IncidentMention.objects.filter(incident__unit=unit, incident__found_at__gte=since).exclude(link="")
    for incident_id, link in mentions.values_list("incident_id", "link").iterator(chunk_size=2000):
        links.setdefault(normal_link(link), f"i{incident_id}")
    return docs, links


def judge(unit: Unit, rows: list[dict[str, Any]], *, now: dt.datetime | None = None) -> Judgement:
    """Each row's decision (new, merged, refused) with its reason and, when merged, what it merges into."""
    now = now or timezone.now()
    stored, links = _stored(unit, now)
    labels = {d.key: d.label for d in stored}
    docs: list[_Doc | None] = []
    out = Judgement()
    tz = timezone.get_current_timezone()
    for row in rows:
        title = row.get("title", "").strip()
        published = parse_published(row.get("published", ""), tz)
        reason = ""
        if not title:
            reason = "标题为空"
        elif row.get("published", "").strip() and published is None:
            reason = f"发布时间“{row['published'][:30]}”无法识别"
        elif published is not None and published > now + dt.timedelta(minutes=5):
            reason = "发布时间晚于当前时间"
        if reason:
            docs.append(None)
            out.rows.append({**row, "decision": "refused", "reason": reason})
            continue
        text = normal_text(f"{title}{row.get('summary', '')}")
        docs.append(_Doc(f"r{row['row']}", f"第{row['row']}行“{title[:30]}”", bigrams(text), text))
        out.rows.append({**row, "published_at": published.isoformat() if published else ""})
    freq: Counter[str] = Counter()
    for doc in [*stored, *(d for d in docs if d is not None)]:
        freq.update(doc.grams)
    index = _Index(freq)
    for doc in stored:
        index.add(doc)
    for row, doc in zip(out.rows, docs, strict=True):
        if doc is None:
            out.counts["refused"] += 1
            continue
        link = normal_link(row.get("link", ""))
        if link and link in links:
            doc.root = links[link]
            row.update(decision="merged", reason="链接相同", target=labels[doc.root], root=doc.root, same_link=True)
            out.counts["merged"] += 1
            continue
        similar = index.best(doc)
        if similar is not None:
            doc.root = similar.root
            row.update(decision="merged", reason="内容几乎相同（转载）", target=labels[doc.root], root=doc.root)
            out.counts["merged"] += 1
        else:
            doc.root = doc.key
            labels[doc.key] = doc.label
            row.update(decision="new", reason="", root=doc.key)
            out.counts["new"] += 1
            index.add(doc)  # only what is kept: a repost of a repost is a repost of the first
        if link:
            links[link] = doc.root
    return out


# --- preview and confirm ------------------------------------------------------------------------------------------


@transaction.atomic
def import_preview(*, actor: Any, unit: Unit, upload: UploadedFile | None) -> MonitorImport:
    """Read and judge the file; store it as a preview only (nothing of it is an incident yet)."""
    access.require(actor, MANAGE, unit)
    rows, encoding = read_rows(upload)
    judgement = judge(unit, rows)
    batch = MonitorImport.objects.create(
        unit=unit,
        file_name=(upload.name or "监测导出")[:200],  # type: ignore[union-attr]
        encoding=encoding,
        rows=rows,
        preview={"counts": judgement.counts, "rows": judgement.rows},
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        action="opinion.import_preview",
        obj=batch,
        changes={"file": batch.file_name, "encoding": encoding, **judgement.counts},
    )
    return batch


@transaction.atomic
def import_confirm(*, actor: Any, batch: MonitorImport) -> MonitorImport:
    """Store the file (decision 4), all or nothing."""
    access.require(actor, MANAGE, batch.unit)
    batch = MonitorImport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=batch.pk)
    if batch.status != MonitorImport.Status.PREVIEW:
        raise UserError("该文件已经导入，不能重复导入")
    now = timezone.now()
    unit = batch.unit
    judgement = judge(unit, batch.rows, now=now)
    leader = leader_for(unit, None)
    new_rows = [r for r in judgement.rows if r["decision"] == "new"]
    merged = [r for r in judgement.rows if r["decision"] == "merged" and not r.get("same_link")]
    extra = Counter(r["root"] for r in merged)
    incidents = []
    rules = severity.compiled()
    for row in new_rows:
        suggestion = severity.suggest(unit_id=unit.pk, title=row["title"], content=row.get("summary", ""), rules=rules)
        incidents.append(
            OpinionIncident(
                unit=unit,
                title=row["title"][:200],
                content=row.get("summary", ""),
                source=OpinionIncident.Source.NETWORK,
                link=row.get("link", "")[:500],
                source_site=row.get("site", "")[:100],
                published_at=dt.datetime.fromisoformat(row["published_at"]) if row.get("published_at") else None,
                leader=leader,
                recorded_by=actor,
                level=suggestion.level,
                suggested_level=suggestion.level,
                suggested_rule_id=suggestion.rule_id,
                suggested_words="、".join(suggestion.words)[:200],
                found_at=now,
                mentions=extra.get(row["root"], 0),
                import_batch=batch,
            )
        )
    created = OpinionIncident.objects.bulk_create(incidents, batch_size=1000)
    ids = {row["root"]: incident.pk for row, incident in zip(new_rows, created, strict=True)}
    IncidentStep.objects.bulk_create(
        [
            IncidentStep(
                incident=i, unit=unit, step=Step.FOUND, at=now, actor=actor, note=f"监测导入：{batch.file_name}"
            )
            for i in created
        ],
        batch_size=1000,
    )
    mentions = []
    for row in merged:
        root = row["root"]
        incident_id = ids.get(root) or int(root[1:])
        published = row.get("published_at")
        mentions.append(
            IncidentMention(
                incident_id=incident_id,
                batch=batch,
                title=row["title"][:200],
                link=row.get("link", "")[:500],
                source_site=row.get("site", "")[:100],
                published_at=dt.datetime.fromisoformat(published) if published else None,
            )
        )
    IncidentMention.objects.bulk_create(mentions, batch_size=1000)
    for root, count in extra.items():
        if root.startswith("i"):
            OpinionIncident.objects.filter(pk=int(root[1:])).update(mentions=F("mentions") + count, updated_at=now)
    batch.status = MonitorImport.Status.CONFIRMED
    batch.confirmed_at, batch.confirmed_by = now, actor
    batch.created_count = len(created)
    batch.merged_count = judgement.counts["merged"]
    batch.refused_count = judgement.counts["refused"]
    batch.preview = {"counts": judgement.counts, "rows": judgement.rows}
    batch.save(
        update_fields=[
            "status",
            "confirmed_at",
            "confirmed_by",
            "created_count",
            "merged_count",
            "refused_count",
            "preview",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action="opinion.import_confirm",
        obj=batch,
        changes={"file": batch.file_name, **judgement.counts, "mentions": len(mentions)},
    )
    recipients = {u.pk: u for u in office_accounts(unit)}
    recipients.update({u.pk: u for u in active_accounts([leader] if leader else [])})
    recipients.pop(actor.pk, None)
    if created and recipients:
        by_level = Counter(i.get_level_display() for i in created)
        notify.send(
            recipients=recipients.values(),
            title=f"监测导入新增舆情 {len(created)} 条",
            body=f"{actor}导入“{batch.file_name}”：新增{len(created)}条（"
            + "，".join(f"{k}{v}条" for k, v in by_level.items())
            + f"），合并{judgement.counts['merged']}条。请逐条报告、核实并确定涉及科室。",
            link=f"{reverse('opinion:incident_list')}?status=open",
        )
    return batch
