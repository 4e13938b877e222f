"""研判 meetings: recording one (Chinese refusals), its follow-up tasks as 督办事项, the year's periods from the
settings, the dashboard's compliance (a missed 上半年形势分析研判 in red) and the idempotent reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from qingfeng.core.errors import UserError
from qingfeng.core.models import Notification
from qingfeng.ideology.apps import check_settings
from qingfeng.ideology.models import Meeting, MeetingReminder
from qingfeng.ideology.services import meetings
from qingfeng.supervision.models import Task

pytestmark = pytest.mark.django_db


def _meeting(cast, kind=Meeting.Kind.STUDY, date=None, **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "actor": cast.users["clerk"],
        "unit": cast.bureau,
        "kind": kind,
        "date": date or dt.date.today(),
        "topics": "研究意识形态工作",
        "conclusions": "落实三审三校",
        "participants": [cast.users["secretary"].person, cast.users["leader"].person],
    }
    values.update(kwargs)
    return meetings.meeting_create(**values)


def test_a_meeting_is_recorded_and_its_follow_up_is_a_supervision_task(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk = login("clerk")
    people = [cast.users["secretary"].person.pk, cast.users["leader"].person.pk]
    base = {"kind": "analysis", "date": "2099-01-01", "topics": "分析网络舆情", "conclusions": "加强阵地管理"}
    response = clerk.post(reverse("ideology:meeting_new"), {**base, "participants": people})
    assert "会议日期不能晚于今天" in response.content.decode()
    assert not Meeting.objects.filter(topics="分析网络舆情").exists()
    today = dt.date.today().isoformat()
    response = clerk.post(reverse("ideology:meeting_new"), {**base, "date": today, "participants": people})
    meeting = Meeting.objects.get(topics="分析网络舆情")
    assert response.status_code == 302 and meeting.participants.count() == 2

    url = reverse("ideology:meeting_task", args=[meeting.pk])
    deadline = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    clerk.post(url, {"title": "修订舆情应对预案", "department": cast.departments["财务股"].pk, "deadline": deadline})
    task = meeting.tasks.get()
    assert task.source == Task.Source.MODULE and task.lead_leader == cast.users["leader"].person  # 分管 财务股
    assert task.title == "【意识形态形势分析研判】修订舆情应对预案"
    # the leader took part and sees it; staff did not, and sees nothing; the head may not add tasks
    assert login("leader").get(reverse("ideology:meeting_detail", args=[meeting.pk])).status_code == 200
    assert login("staff").get(reverse("ideology:meeting_detail", args=[meeting.pk])).status_code == 404
    assert login("head").post(url, {"title": "x"}).status_code == 403
    with pytest.raises(UserError, match="请选择参会人员"):
        _meeting(cast, participants=[])


def test_the_periods_follow_the_settings(settings) -> None:  # type: ignore[no-untyped-def]
    labels = [p.label for p in meetings.periods(2024)]
    assert labels == ["上半年专题研究", "下半年专题研究", "上半年形势分析研判", "下半年形势分析研判"]
    settings.IDEOLOGY_STUDY_PER_YEAR, settings.IDEOLOGY_ANALYSIS_MONTHS = 3, 3
    periods = meetings.periods(2024)
    assert [(p.label, p.end.isoformat(), p.required) for p in periods if p.kind == "study"] == [
        ("1—4月专题研究（全年第1次）", "2024-04-30", 1),
        ("5—8月专题研究（全年第2次）", "2024-08-31", 2),
        ("9—12月专题研究（全年第3次）", "2024-12-31", 3),
    ]
    assert [p.label for p in periods if p.kind == "analysis"][0] == "第一季度形势分析研判"
    settings.IDEOLOGY_ANALYSIS_MONTHS = 5
    assert [e.id for e in check_settings()] == ["ideology.E001"]


def test_compliance_flags_a_missed_period_and_the_reminder_goes_once(cast, login) -> None:  # type: ignore[no-untyped-def]
    year = dt.date.today().year - 1  # a year of its own: no other meeting counts
    _meeting(cast, date=dt.date(year, 3, 10))  # 上半年专题研究 held; no 形势分析研判 at all
    states = meetings.compliance([cast.bureau.pk], year, dt.date(year, 7, 10))[cast.bureau.pk]
    by_label = {s.period.label: s.state for s in states}
    assert by_label == {
        "上半年专题研究": "met",
        "下半年专题研究": "open",
        "上半年形势分析研判": "missed",
        "下半年形势分析研判": "open",
    }

    # two weeks before the end of December: the 下半年 study and analysis are reminded, once
    day = dt.date(year, 12, 20)
    before = Notification.objects.count()
    assert meetings.meetings_due(day) == 2
    recipients = set(
        Notification.objects.filter(title__contains="下半年形势分析研判").values_list("recipient__username", flat=True)
    )
    assert recipients == {"secretary", "clerk"}
    assert meetings.meetings_due(day) == 0 and meetings.meetings_due(dt.date(year, 12, 31)) == 0
    assert Notification.objects.count() == before + 4
    assert MeetingReminder.objects.filter(unit=cast.bureau, year=year).count() == 2
    assert meetings.meetings_due(dt.date(year, 12, 1)) == 0  # not yet within two weeks (a fresh period)

    # the dashboard of that year, now past: what was not held is red
    page = login("secretary").get(reverse("ideology:dashboard"), {"year": year})
    units = page.context["d"].units
    assert [u.unit for u in units] == [cast.bureau] and units[0].missed == 3  # all but the 上半年专题研究
    assert "逾期未召开" in page.content.decode()
    superior = login("superior").get(reverse("ideology:dashboard")).context["d"].units
    assert {u.unit.name for u in superior} == {"清河县住房和城乡建设局", "清河县交通运输局"}
