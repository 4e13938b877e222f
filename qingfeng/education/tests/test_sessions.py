from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent
from qingfeng.education import services
from qingfeng.education.models import Attendance, StudySession
from qingfeng.education.tests.factories import second_branch, session

pytestmark = pytest.mark.django_db


def test_it_records_a_committee_meeting_with_absences_and_a_makeup(cast) -> None:
    s = session(cast, absent=2)
    absent = list(s.attendances.filter(present=False))
    assert [a.absence_reason for a in absent] == ["出差", "出差"]
    assert s.expected == s.attendances.count()
    services.attendance_makeup(
        actor=cast.users["clerk"], session=s, person=absent[0].person, date=timezone.localdate(), note="自学并交心得"
    )
    assert Attendance.objects.get(pk=absent[0].pk).makeup_note == "自学并交心得"
    assert AuditEvent.objects.filter(action="education_session.makeup").exists()


def test_it_refuses_a_future_date_attendance_outside_the_roster_and_missing_reasons(cast) -> None:
    outsider = cast.users["outsider"].person
    with pytest.raises(UserError) as exc:
        session(cast, absent=1, date=timezone.localdate() + dt.timedelta(days=1), absence_reasons="")
    assert "不能晚于今天" in exc.value.message and "缺席原因" in exc.value.message
    branch = second_branch(cast)
    people = list(services.roster(cast.bureau, "committee", branch))
    with pytest.raises(UserError, match="应到人员名单"):
        session(cast, present=[*people, outsider])
    with pytest.raises(UserError, match="授课人"):
        session(cast, kind="lecture")
    assert not StudySession.objects.filter(branch=branch).exists()


def test_a_branch_secretary_records_only_their_own_branch(cast) -> None:
    head = cast.users["head"]  # the matrix made him 支部书记 of the first branch
    with pytest.raises(UserError, match="不是“机关第二党支部”的支部书记"):
        session(cast, actor=head)
    first = services.led_branches(head).get()
    assert session(cast, actor=head, branch=first).recorded_by == head


def test_the_staff_member_who_leads_no_branch_gets_403_on_the_form(login) -> None:
    assert login("staff").get(reverse("education:session_new")).status_code == 403


def test_the_form_records_a_session_and_the_list_shows_it(cast, login) -> None:
    client = login("clerk")
    branch = second_branch(cast)
    people = list(services.roster(cast.bureau, "theme_day", branch))
    response = client.post(
        reverse("education:session_new"),
        {
            "kind": "theme_day",
            "branch": branch.pk,
            "date": timezone.localdate().isoformat(),
            "place": "党员活动室",
            "host": people[0].pk,
            "topic": "主题党日：重温入党誓词",
            "content": "重温入党誓词",
            "hours": "1.5",
            "present": [p.pk for p in people[1:]],
            "absence_reasons": f"{people[0].name}：病假",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    s = StudySession.objects.get(topic="主题党日：重温入党誓词")
    assert s.attendances.get(person=people[0]).absence_reason == "病假"
    page = client.get(reverse("education:session_list"), {"kind": "theme_day"})
    assert "主题党日：重温入党誓词" in page.content.decode()
    detail = client.get(reverse("education:session_detail", args=[s.pk]))
    assert "病假" in detail.content.decode()


def test_the_session_list_keeps_its_query_count(cast, login, django_assert_max_num_queries) -> None:
    for _ in range(3):
        session(cast)
    client = login("clerk")
    # session + user + assignments, the count, the page's rows with their annotations, navigation; a handful more
    # for the shell: fixed, not one per row
    with django_assert_max_num_queries(14):
        assert client.get(reverse("education:session_list")).status_code == 200


def test_a_correction_changes_the_attendance_and_is_audited(cast) -> None:
    s = session(cast, absent=1)
    people = [a.person for a in s.attendances.all()]
    data = services.SessionData(
        date=s.date,
        place=s.place,
        host=s.host,
        topic="学习党章（更正）",
        content=s.content,
        hours=s.hours,
        present=people,
    )
    services.session_update(actor=cast.users["clerk"], session=s, data=data)
    assert not s.attendances.filter(present=False).exists()
    assert StudySession.objects.get(pk=s.pk).topic == "学习党章（更正）"
    assert AuditEvent.objects.filter(action="education_session.update").exists()
