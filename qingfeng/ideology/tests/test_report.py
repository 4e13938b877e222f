"""意识形态工作情况报告 (上半年 2025): the half-year's positions, publications, 研判 meetings and 舆情 incidents counted
and written into a 公文 .docx (read back with python-docx); the route for the office and the secretary only,
audited as an export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Mm, Pt

from qingfeng.core.models import AuditEvent
from qingfeng.ideology.models import Meeting, Position, Publication, Review
from qingfeng.ideology.services import report
from qingfeng.ideology.tests import factories
from qingfeng.opinion.models import Step
from qingfeng.opinion.services import incidents
from qingfeng.opinion.tests.factories import at, incident

pytestmark = pytest.mark.django_db
H1_2025 = report.HalfYear(2025, 1)
SIGNED = dt.date(2025, 7, 3)


def _world(cast) -> None:  # type: ignore[no-untyped-def]
    """In 2025 上半年: two positions (one new), three drafts (one published after 3 days to 终审, one returned, one
    through 终审 in 1 day), one 专题研究 and no 形势分析研判, a 重大 and a 一般 incident; and things outside the period."""
    portal = factories.position(cast)
    wechat = factories.position(cast, name="局微信公众号", kind=Position.Kind.WECHAT)
    weibo = factories.position(cast, name="局政务微博", kind=Position.Kind.WEIBO)
    Position.objects.filter(pk=portal.pk).update(created_at=at(2024, 12, 1))
    Position.objects.filter(pk=wechat.pk).update(created_at=at(2025, 3, 1), status=Position.Status.SUSPENDED)
    Position.objects.filter(pk=weibo.pk).update(created_at=at(2025, 8, 1))  # after the period

    clerk, head, leader = cast.users["clerk"], cast.users["head"], cast.users["leader"]

    def piece(title: str, submitted: dt.datetime, reviews: list[tuple[int, str, dt.datetime]], **fields) -> None:  # type: ignore[no-untyped-def]
        draft = factories.draft(cast, on=portal, title=title)
        Publication.objects.filter(pk=draft.pk).update(submitted_at=submitted, **fields)
        for level, decision, when in reviews:
            Review.objects.create(
                publication=draft,
                round=1,
                level=level,
                reviewer=(clerk, head, leader)[level - 1],
                decision=decision,
                opinion="意见",
                reviewed_at=when,
            )

    approve, reject = Review.Decision.APPROVE, Review.Decision.REJECT
    piece(
        "预算公开说明",
        at(2025, 3, 1, 10),
        [(1, approve, at(2025, 3, 2)), (2, approve, at(2025, 3, 3)), (3, approve, at(2025, 3, 4, 10))],
        status=Publication.Status.PUBLISHED,
        published_at=at(2025, 3, 5),
    )
    piece("决算公开说明", at(2025, 5, 1), [(1, reject, at(2025, 5, 2))], status=Publication.Status.RETURNED)
    piece(
        "绩效目标公开",
        at(2025, 4, 1, 9),
        [(1, approve, at(2025, 4, 1, 12)), (2, approve, at(2025, 4, 1, 15)), (3, approve, at(2025, 4, 2, 9))],
        status=Publication.Status.APPROVED,
    )
    piece("下半年稿件", at(2025, 8, 1), [])  # after the period

    for kind, day in ((Meeting.Kind.STUDY, dt.date(2025, 3, 10)), (Meeting.Kind.ANALYSIS, dt.date(2025, 9, 1))):
        Meeting.objects.create(
            unit=cast.bureau, kind=kind, date=day, topics="意识形态工作", conclusions="落实", recorded_by=clerk
        )

    major = incident(cast, found_at=at(2025, 3, 1, 9), level=3)
    for step, hours in ((Step.REPORTED, 0.5), (Step.VERIFIED, 1), (Step.ASSESSED, 2), (Step.RESPONDED, 4)):
        incidents.incident_step(
            actor=cast.users["staff"], incident=major, step=step, at=major.found_at + dt.timedelta(hours=hours)
        )
    incident(cast, found_at=at(2025, 5, 6, 21, 40), level=1)
    incident(cast, found_at=at(2025, 7, 2, 8), level=2)  # after the period


def _text(document) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(p.text for p in document.paragraphs)


def test_the_half_year_figures(cast) -> None:  # type: ignore[no-untyped-def]
    _world(cast)
    data = report.figures(cast.bureau, H1_2025, today=SIGNED)
    assert (data.positions_total, data.positions_new) == (2, 1)
    assert dict(data.positions_by_kind)["微信公众号"] == 1 and dict(data.positions_by_kind)["微博"] == 0
    assert dict(data.positions_by_status) == {"运行中": 1, "暂停更新": 1, "已关停": 0}
    assert (data.submitted, data.published, data.returned, data.finalised) == (3, 1, 1, 2)
    assert data.avg_days_to_final == 2.0  # (3 days + 1 day) / 2
    assert dict(data.meetings_held) == {"专题研究": 1, "形势分析研判": 0}
    assert [(m.label, m.held, m.required, m.state) for m in data.meeting_lines] == [
        ("上半年专题研究", 1, 1, "met"),
        ("上半年形势分析研判", 0, 1, "missed"),
    ]
    assert data.incidents["total"] == 2
    assert {r["label"]: r["count"] for r in data.incidents["by_level"]} == {
        "特别重大": 0,
        "重大": 1,
        "较大": 0,
        "一般": 1,
    }
    assert (data.incidents["responded"], data.incidents["responded_in_limit"]) == (1, 1)


def test_the_report_is_a_gongwen_with_the_figures(cast) -> None:  # type: ignore[no-untyped-def]
    _world(cast)
    document = Document(io.BytesIO(report.report_docx(cast.users["clerk"], cast.bureau, H1_2025, today=SIGNED)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == f"{cast.bureau.name}2025年上半年意识形态工作情况报告"
    for heading in ("一、阵地建设和管理情况", "二、发布审核情况", "三、党组研究和分析研判情况", "四、舆情处置情况"):
        assert heading in texts
    body = _text(document)
    assert "共登记意识形态阵地2个，其中本期新增1个" in body
    assert "送审稿件3篇，经三审三校后发布1篇，审核中退回修改1次；完成终审2篇，从送审到终审平均用时2.0天" in body
    assert "专题研究会议1次、形势分析研判会议0次；应召开的会议中，逾期未召开1项" in body
    assert "本期共发现舆情2起，其中特别重大0起、重大1起、较大0起、一般1起" in body
    assert "已回应1起，其中按时回应1起（100.0%）" in body
    assert texts[-2] == cast.bureau.name and texts[-1] == "2025年7月3日"  # 发文机关署名 and 成文日期
    assert document.paragraphs[-1].paragraph_format.right_indent == Pt(16) * 4  # 右空四字
    positions, meetings, levels = document.tables
    assert [c.text for c in positions.rows[-1].cells] == ["合计", "2"]
    assert [c.text for c in meetings.rows[2].cells] == ["上半年形势分析研判", "2025年6月30日", "0/1", "逾期未召开"]
    assert [c.text for c in levels.rows[2].cells] == ["重大", "1"]
    # the layout core.gongwen sets: A4, 天头 37 mm, 订口 28 mm, bottom 35 mm, right 26 mm; title 2号 小标宋
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    margins = (section.top_margin, section.left_margin, section.bottom_margin, section.right_margin)
    assert tuple(round(m / Mm(1)) for m in margins) == (37, 28, 35, 26)
    title = document.paragraphs[0].runs[0]
    assert title.font.name == "方正小标宋简体" and title.font.size == Pt(22)
    heading = next(p for p in document.paragraphs if p.text == "四、舆情处置情况").runs[0]
    assert heading.font.name == "黑体" and heading.font.size == Pt(16)


def test_the_route_downloads_the_report_for_managers_only_and_is_audited(cast, login) -> None:  # type: ignore[no-untyped-def]
    _world(cast)
    url = reverse("ideology:report")
    response = login("secretary").get(url, {"year": 2025, "half": 1})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "2025%E5%B9%B4%E4%B8%8A%E5%8D%8A%E5%B9%B4" in response["Content-Disposition"]  # 2025年上半年
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text.endswith("2025年上半年意识形态工作情况报告")
    assert "本期共发现舆情2起" in _text(document)
    today = timezone.localdate()
    assert document.paragraphs[-1].text == f"{today.year}年{today.month}月{today.day}日"
    event = AuditEvent.objects.get(action="ideology_report.export")
    assert event.changes == {"year": 2025, "half": 1} and event.actor == cast.users["secretary"]
    # a half not yet begun or a bad half: a message on the dashboard, nothing written
    response = login("clerk").get(url, {"year": today.year + 1, "half": 1}, follow=True)
    assert "尚未开始" in " ".join(str(m) for m in response.context["messages"])
    assert login("clerk").get(url, {"year": 2025, "half": 3}).status_code == 302
    assert AuditEvent.objects.filter(action="ideology_report.export").count() == 1
    # the dashboard offers the form to those who may use it
    assert f'action="{url}"' in login("clerk").get(reverse("ideology:dashboard")).content.decode()
    for role in ("head", "staff", "leader"):
        assert login(role).get(url, {"year": 2025, "half": 1}).status_code == 403
