"""舆情监测导入 (issue 8): .xlsx or .csv (UTF-8 or GBK, detected), Chinese or English headers, a missing column named;
duplicates merged by link and by near-identical text, within the file and against the last 30 days' incidents; a
preview stores nothing; confirm stores everything or nothing; 10,000 rows judged in well under 10 s."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from qingfeng.core.errors import UserError
from qingfeng.opinion.models import IncidentMention, MonitorImport, OpinionIncident
from qingfeng.opinion.services import importing
from qingfeng.opinion.tests.factories import incident

pytestmark = pytest.mark.django_db
HEADER = ["标题", "链接", "来源", "发布时间", "摘要"]
ROWS = [
    [
        "某小区住宅楼漏水开裂 业主维权无果",
        "https://bbs.example.cn/t/1",
        "本地论坛",
        "2025-11-20 08:30",
        "网友发帖称小区多栋住宅墙体开裂、顶层漏水，开发商拖欠维修，业主多次投诉无果。",
    ],
    # the same link, another site's copy of the header: merged, adds nothing
    ["某小区住宅楼漏水开裂", "HTTPS://BBS.example.cn/t/1/#reply", "本地论坛", "2025-11-20 09:00", "同上"],
    # a repost: near-identical text, another link
    [
        "转载：某小区住宅楼漏水开裂 业主维权无果",
        "https://weibo.example.cn/2",
        "微博",
        "2025/11/20 10:15",
        "网友发帖称小区多栋住宅墙体开裂、顶层漏水，开发商拖欠维修，业主多次投诉无果！",
    ],
    [
        "城区道路施工扬尘扰民",
        "https://news.example.cn/3",
        "新闻网",
        "2025年11月21日 14:00",
        "市民反映城区主干道施工未采取降尘措施，扬尘严重影响周边居民生活。",
    ],
    ["", "https://news.example.cn/4", "新闻网", "2025-11-21 15:00", "没有标题的行"],
    ["发布时间写错的行", "https://news.example.cn/5", "新闻网", "昨天下午", "无法识别的时间"],
    ["未来发布的行", "https://news.example.cn/6", "新闻网", "2099-01-01 00:00", "发布时间在未来"],
]


def _csv(rows: list[list[str]], encoding: str, header: list[str] = HEADER) -> SimpleUploadedFile:
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("监测导出.csv", out.getvalue().encode(encoding), content_type="text/csv")


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["舆情监测日报"])  # a title row above the header
    sheet.append(["title", "link", "source site", "published at", "summary"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("监测导出.xlsx", out.getvalue())


def test_a_gbk_csv_is_previewed_then_stored_with_its_duplicates_merged(cast, login) -> None:  # type: ignore[no-untyped-def]
    stored = incident(
        cast, title="道路施工扬尘扰民", content="市民反映城区主干道施工未采取降尘措施，扬尘严重影响周边居民生活。"
    )
    clerk = login("clerk")
    response = clerk.post(reverse("opinion:import"), {"file": _csv(ROWS, "gbk")})
    assert response.status_code == 302
    batch = MonitorImport.objects.filter(unit=cast.bureau).latest("id")
    assert batch.encoding == "GBK" and batch.status == "preview"
    before = OpinionIncident.objects.filter(unit=cast.bureau).count()
    assert OpinionIncident.objects.filter(unit=cast.bureau, import_batch__isnull=False).count() == 0  # nothing yet
    decisions = {r["row"]: (r["decision"], r["reason"]) for r in batch.preview["rows"]}
    assert decisions == {
        2: ("new", ""),
        3: ("merged", "链接相同"),
        4: ("merged", "内容几乎相同（转载）"),
        5: ("merged", "内容几乎相同（转载）"),  # the incident recorded by hand
        6: ("refused", "标题为空"),
        7: ("refused", "发布时间“昨天下午”无法识别"),
        8: ("refused", "发布时间晚于当前时间"),
    }
    page = clerk.get(response.url).content.decode()
    assert 'id="count-new">1<' in page and 'id="count-merged">3<' in page and "已有事件“道路施工扬尘扰民”" in page

    assert clerk.post(reverse("opinion:import_confirm", args=[batch.pk])).status_code == 302
    new = OpinionIncident.objects.get(unit=cast.bureau, import_batch=batch)
    assert new.link == "https://bbs.example.cn/t/1" and new.source_site == "本地论坛" and new.mentions == 1
    assert new.level == 2 and new.recorded_by == cast.users["clerk"] and new.department is None
    stored.refresh_from_db()
    assert stored.mentions == 1
    assert IncidentMention.objects.filter(batch=batch).count() == 2
    # a second confirm and a second import of the same file add nothing
    clerk.post(reverse("opinion:import_confirm", args=[batch.pk]))
    again = importing.judge(cast.bureau, batch.rows)
    assert again.counts == {"new": 0, "merged": 4, "refused": 3}
    assert OpinionIncident.objects.filter(unit=cast.bureau).count() == before + 1


def test_utf8_and_xlsx_files_are_read_and_broken_ones_explained(cast) -> None:  # type: ignore[no-untyped-def]
    rows, encoding = importing.read_rows(_csv(ROWS[:2], "utf-8-sig"))
    assert encoding == "UTF-8" and rows[0]["title"].startswith("某小区")
    when = dt.datetime(2025, 11, 20, 8, 30)
    rows, encoding = importing.read_rows(_xlsx([["标题甲", "https://x.example.cn/1", "站点", when, "摘要"]]))
    assert encoding == "xlsx" and rows[0]["row"] == 3
    assert importing.parse_published(rows[0]["published"]) == timezone.make_aware(when)
    with pytest.raises(UserError, match="缺少必需的列：链接、发布时间"):
        importing.read_rows(_csv(ROWS[:1], "utf-8", header=["标题", "来源", "摘要", "网址x", "时间x"]))
    with pytest.raises(UserError, match="无法识别文件编码"):
        importing.read_rows(SimpleUploadedFile("x.csv", b"\x81\x30\xff\xfe\x00abc" * 3 + b"\xff"))
    with pytest.raises(UserError, match="请选择"):
        importing.read_rows(None)
    clerk = cast.users["clerk"]
    with pytest.raises(UserError, match="缺少必需的列"):
        importing.import_preview(actor=clerk, unit=cast.bureau, upload=_csv(ROWS, "utf-8", header=["标题", "摘要"]))
    assert not MonitorImport.objects.filter(uploaded_by=clerk).exists()


def test_ten_thousand_rows_are_judged_quickly(cast) -> None:  # type: ignore[no-untyped-def]
    base = "市民反映{n}号小区{kind}问题，相关部门尚未答复，请求尽快处理。该情况已持续{d}天，影响周边居民正常生活。"
    kinds = ["噪音扰民", "停车难", "垃圾清运不及时", "电梯故障", "路灯不亮", "下水道堵塞", "违章搭建", "绿化带被占"]
    rows = []
    for n in range(10_000):
        text = base.format(n=n % 2500, kind=kinds[n % 8], d=n % 2500 + 3)
        rows.append(
            {
                "row": n + 2,
                "title": f"{n % 2500}号小区{kinds[n % 8]}",
                "link": f"https://s.example.cn/{n}",
                "site": "论坛",
                "published": "2025-11-20 08:30",
                "summary": text,
            }
        )
    start = time.perf_counter()
    judged = importing.judge(cast.bureau, rows)
    elapsed = time.perf_counter() - start
    # 2,500 distinct stories × 8 kinds collapse onto 2,500 × 8 / … : each (n mod 2500, kind) pair repeats
    assert judged.counts["new"] + judged.counts["merged"] == 10_000
    assert judged.counts["merged"] >= 6_000
    assert elapsed < 5, elapsed
