from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from qingfeng.core.models import Notification
from qingfeng.education import compliance, kinds, services
from qingfeng.education.models import SessionReminder
from qingfeng.education.tests.factories import second_branch, session

pytestmark = pytest.mark.django_db


def _row(rows, branch, kind):
    return next(r for r in rows if r.branch == branch and r.kind == kind)


def test_the_periods_follow_the_settings() -> None:
    assert len(kinds.periods("committee", 2026)) == 12
    assert [p.label for p in kinds.periods("general", 2026)][1] == "2026年第二季度"
    with override_settings(EDUCATION_MONTHS={"lecture": 6}):
        assert [p.end for p in kinds.periods("lecture", 2026)] == [dt.date(2026, 6, 30), dt.date(2026, 12, 31)]
        assert kinds.periods("committee", 2026) == []


def test_a_missing_month_is_red_and_a_held_one_is_green(cast, login) -> None:
    today = dt.date.today()
    branch = second_branch(cast)
    rows = compliance.compliance([cast.bureau], today.year, today)
    committee = _row(rows, branch, "committee")
    if today.month > 1:
        assert committee.missed == today.month - 1
    assert committee.current.state != "met"
    session(cast)
    rows = compliance.compliance([cast.bureau], today.year, today)
    assert _row(rows, branch, "committee").current.state == "met"
    assert any(r.kind == "secretary_lecture" for r in rows)
    page = login("secretary").get(reverse("education:compliance"))
    assert "机关第二党支部" in page.content.decode() and "逾期未开" in page.content.decode()


def test_sessions_due_reminds_the_branch_secretary_once(cast) -> None:
    branch = second_branch(cast)
    member = services.roster(cast.bureau, "committee", branch).exclude(account__isnull=True).first()
    lead = member or services.roster(cast.bureau, "committee", branch).first()
    services.branch_secretary_set(actor=cast.users["clerk"], branch=branch, person=lead)
    day = dt.date(dt.date.today().year, 11, 27)  # within a week of the end of November
    with override_settings(EDUCATION_REMIND_DAYS=7):
        first = compliance.sessions_due(day)
        assert first > 0
        assert compliance.sessions_due(day) == 0
    row = SessionReminder.objects.get(branch_key=branch.pk, kind="committee", seq=11)
    clerk_told = Notification.objects.filter(recipient=cast.users["clerk"], title__contains="机关第二党支部").exists()
    # the branch secretary is told; when they have no account, the office
    assert row.recipients >= 1 and (member is not None or clerk_told)
