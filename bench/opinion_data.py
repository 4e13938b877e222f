"""Data and timings of the 舆情处置 bench cases (issue 8), run in a child process with the bench environment (the
throwaway database the harness migrated and filled with the demo), never by the test suite:

    python -m bench.opinion_data severity 1000   # one severity suggestion each over 1,000 varied texts
    python -m bench.opinion_data import 10000    # a monitoring export of 10,000 rows: parse, preview, confirm

Progress goes to stdout; the last line is `RESULT {json}` for the harness."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from typing import Any

SITES = ["微博", "抖音", "微信公众号", "今日头条", "百度贴吧", "本地论坛", "人民网留言板", "江州日报"]
HOSTS = ["weibo.com", "douyin.com", "mp.weixin.qq.com", "toutiao.com", "tieba.baidu.com", "bbs.jiangzhou.cn"]
PLACES = ["临江区", "望山县", "青河县", "云溪县", "石门县", "安平县", "长宁县", "白水县", "东湖区", "西岭县"]
STREETS = ["建设路", "人民路", "解放街", "滨江大道", "新华路", "中山路", "和平里", "光明巷", "跃进路", "幸福街"]
SUBJECTS = [
    "拖欠农民工工资",
    "办事窗口态度生硬",
    "工地夜间施工扰民",
    "补贴迟迟未发放",
    "执法人员粗暴执法",
    "学校食堂食品安全",
    "小区长时间停水",
    "道路施工长期未完工",
    "违规收费",
    "公职人员酒驾",
    "干部违规吃喝",
    "医院排队时间过长",
    "河道污染死鱼",
    "征地补偿纠纷",
    "企业投诉营商环境",
    "燃气管道安全隐患",
    "群体性聚集",
    "网传重大安全事故",
    "疑似贪污挪用公款",
    "物业乱收费",
]
CLAUSES = [
    "当事人称多次反映未果",
    "现场有多名群众围观",
    "视频在本地群内广泛转发",
    "评论区出现不实信息",
    "网民要求有关部门尽快回应",
    "有自媒体账号跟进报道",
    "涉及金额较大",
    "事发时有人员受伤",
    "相关部门尚未作出说明",
    "话题登上本地热搜",
    "有网民质疑处理结果",
    "多家媒体转载",
]


_VOCABULARY: tuple[list[str], list[float]] | None = None


def vocabulary() -> tuple[list[str], list[float]]:
    """The 20,000 most frequent Chinese words of jieba's dictionary with their cumulative frequencies: a poster's
    own words drawn from it follow the language's Zipf-like distribution (common words repeat, content words vary),
    as real posts do. Posts about one subject share their template words; this is where they differ."""
    global _VOCABULARY
    if _VOCABULARY is None:
        import itertools
        import re
        from pathlib import Path

        import jieba

        han = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
        entries = []
        for line in (Path(jieba.__file__).parent / "dict.txt").read_text("utf-8").splitlines():
            word, freq, *_ = line.split(" ")
            if han.match(word):
                entries.append((int(freq), word))
        entries.sort(reverse=True)
        top = entries[:20_000]
        _VOCABULARY = [w for _, w in top], list(itertools.accumulate(float(f) for f, _ in top))
    return _VOCABULARY


def _text(rng: random.Random, n: int) -> tuple[str, str]:
    """A title and a summary, varied: a place, a street, a person, a subject, the poster's own words, clauses."""
    from qingfeng.org.demo import GIVEN, SURNAMES

    person = rng.choice(SURNAMES) + rng.choice(GIVEN)
    place, street, subject = rng.choice(PLACES), rng.choice(STREETS), rng.choice(SUBJECTS)
    title = f"{place}{street}{rng.randint(1, 300)}号{subject}（{person}反映）"
    clauses = rng.sample(CLAUSES, 2)
    words, weights = vocabulary()
    told = "".join(rng.choices(words, cum_weights=weights, k=12))
    summary = (
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日，{person}在{rng.choice(SITES)}发帖称{place}{street}一带"
        f"{subject}：{told}，{clauses[0]}，{clauses[1]}。"
    )
    return title, summary


# --- severity -----------------------------------------------------------------------------------------------------


def severity_figures(texts: int) -> dict[str, Any]:
    """severity.suggest() once for each of `texts` varied texts in the demo bureau (its rules and the general ones),
    after one unrecorded call (the rules compiled, jieba's dictionary loaded): median, p95 and max."""
    from qingfeng.opinion.models import Level
    from qingfeng.opinion.services import severity
    from qingfeng.org import demo

    cast = demo.load()
    unit_id = cast.bureau.pk
    rng = random.Random(8)
    pairs = [_text(rng, i) for i in range(texts)]
    started = time.perf_counter()
    severity.suggest(unit_id=unit_id, title=pairs[0][0], content=pairs[0][1])
    first_ms = (time.perf_counter() - started) * 1000
    samples: list[float] = []
    levels = {label: 0 for label in Level.labels}
    for title, content in pairs:
        t0 = time.perf_counter()
        suggestion = severity.suggest(unit_id=unit_id, title=title, content=content)
        samples.append((time.perf_counter() - t0) * 1000)
        levels[suggestion.level_display] += 1
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    hit = texts - levels[Level.ORDINARY.label]
    print(
        f"{texts:,} 段文字：中位数 {median:.2f} ms，p95 {p95:.2f} ms，最长 {ordered[-1]:.2f} ms"
        f"（首次含规则编译与词典加载 {first_ms:,.0f} ms）；{hit:,} 段命中规则高于一般",
        flush=True,
    )
    return {
        "samples_ms": [round(s, 4) for s in samples],
        "p50_ms": round(median, 4),
        "p95_ms": round(p95, 4),
        "max_ms": round(ordered[-1], 4),
        "first_ms": round(first_ms, 1),
        "levels": levels,
        "texts": texts,
    }


# --- import -------------------------------------------------------------------------------------------------------


def workbook(rows: int, now: Any, seed: int = 0) -> tuple[bytes, dict[str, int]]:
    """An .xlsx of `rows` monitoring rows (a title row above the header): about 10 % repeat an earlier row's link
    (another case of the host, a trailing slash or a fragment), about 10 % an earlier row's text nearly word for word
    (a repost elsewhere: a prefix, another link and site), the rest new."""
    import datetime as dt
    import io

    from openpyxl import Workbook

    rng = random.Random(10_000 + seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("监测导出")
    sheet.append(["舆情监测导出（基准测试）"])
    sheet.append(["标题", "链接", "来源", "发布时间", "摘要"])
    made: list[tuple[str, str, str]] = []
    plan = {"new": 0, "same_link": 0, "near": 0}
    for i in range(rows):
        published = now - dt.timedelta(minutes=rng.randint(10, 60 * 24 * 7))
        when = f"{published:%Y-%m-%d %H:%M}"
        draw = rng.random()
        if made and draw < 0.1:
            title, link, summary = rng.choice(made)
            scheme, _, rest = link.partition("://")
            host, _, path = rest.partition("/")
            link = f"{scheme}://{host.upper()}/{path}" + rng.choice(["/", "#comments", ""])
            sheet.append([title, link, rng.choice(SITES), when, summary])
            plan["same_link"] += 1
        elif made and draw < 0.2:
            title, _, summary = rng.choice(made)
            link = f"https://{rng.choice(HOSTS)}/repost/{seed}-{i:06d}"
            sheet.append(
                [rng.choice(["转发：", "【关注】", ""]) + title, link, rng.choice(SITES), when, summary + "转"]
            )
            plan["near"] += 1
        else:
            title, summary = _text(rng, i)
            link = f"https://{rng.choice(HOSTS)}/p/{seed}-{i:06d}"
            made.append((title, link, summary))
            sheet.append([title, link, rng.choice(SITES), when, summary])
            plan["new"] += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), plan


def import_figures(rows: int) -> dict[str, Any]:
    """The demo bureau's 督查专员 (opinion.manage) imports the file: read alone, then import_preview() (read and
    judge against the file and the stored incidents) and import_confirm() (judged again, stored) timed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from qingfeng.opinion.models import IncidentMention, MonitorImport, OpinionIncident
    from qingfeng.opinion.services import importing
    from qingfeng.org import demo

    cast = demo.load()
    clerk = cast.users["clerk"]
    # Another file for each import into the same bureau (a second run in one database judges new rows, not the
    # first run's again).
    seed = MonitorImport.objects.filter(unit=cast.bureau).count()
    content, plan = workbook(rows, timezone.now(), seed)
    print(
        f"文件 {len(content) / 1024:,.0f} KB，{rows:,} 行（新 {plan['new']:,}，同链接 {plan['same_link']:,}，"
        f"近似文字 {plan['near']:,}）",
        flush=True,
    )
    before = OpinionIncident.objects.filter(unit=cast.bureau).count()

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("舆情监测导出.xlsx", content)

    t0 = time.perf_counter()
    parsed, _ = importing.read_rows(upload())
    parse_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    batch = importing.import_preview(actor=clerk, unit=cast.bureau, upload=upload())
    preview_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    batch = importing.import_confirm(actor=clerk, batch=batch)
    confirm_ms = (time.perf_counter() - t0) * 1000
    created = OpinionIncident.objects.filter(unit=cast.bureau).count() - before
    mentions = IncidentMention.objects.filter(batch=batch).count()
    counts = batch.preview.get("counts", {})
    print(
        f"读取 {parse_ms:,.0f} ms；预览（读取 + 去重）{preview_ms:,.0f} ms；确认导入 {confirm_ms:,.0f} ms；"
        f"新增 {batch.created_count:,} 起，合并 {batch.merged_count:,} 条（相关报道 {mentions:,} 条），"
        f"未导入 {batch.refused_count:,} 条",
        flush=True,
    )
    return {
        "ms": preview_ms + confirm_ms,
        "parse_ms": round(parse_ms, 1),
        "preview_ms": round(preview_ms, 1),
        "confirm_ms": round(confirm_ms, 1),
        "rows": rows,
        "read": len(parsed),
        "plan": plan,
        "counts": counts,
        "created": batch.created_count,
        "stored": created,
        "merged": batch.merged_count,
        "mentions": mentions,
        "refused": batch.refused_count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.opinion_data", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sev = commands.add_parser("severity", help="研判等级建议")
    sev.add_argument("texts", type=int)
    imp = commands.add_parser("import", help="舆情监测导入")
    imp.add_argument("rows", type=int)
    args = parser.parse_args(argv)

    import django

    django.setup()
    if args.command == "severity":
        figures = severity_figures(args.texts)
        print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
        return 0
    if args.command == "import":
        figures = import_figures(args.rows)
        print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)
        ok = (
            figures["stored"] == figures["created"]
            and figures["created"] + figures["merged"] + figures["refused"] == figures["rows"]
        )
        return 0 if ok else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
