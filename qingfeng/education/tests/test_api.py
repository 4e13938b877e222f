from __future__ import annotations

import json

import pytest
from django.utils import timezone

from qingfeng.education import services
from qingfeng.education.models import StudySession
from qingfeng.education.tests.factories import second_branch, session

pytestmark = pytest.mark.django_db
API = "/api/v1/education"


def test_the_api_records_a_session_and_lists_it(cast, login) -> None:
    client = login("clerk")
    branch = second_branch(cast)
    people = list(services.roster(cast.bureau, "group", branch))
    body = {
        "kind": "group",
        "branch": branch.pk,
        "date": timezone.localdate().isoformat(),
        "place": "会议室",
        "host": people[0].pk,
        "topic": "党小组会（接口）",
        "content": "学习",
        "hours": 1,
        "present": [p.pk for p in people[:-1]],
        "absence_reasons": f"{people[-1].name}：培训",
    }
    response = client.post(f"{API}/sessions", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [a["absence_reason"] for a in data["attendance"] if not a["present"]] == ["培训"]
    listed = client.get(f"{API}/sessions", {"kind": "group"}).json()["items"]
    assert any(s["topic"] == "党小组会（接口）" for s in listed)


def test_the_api_refuses_a_bad_session_with_the_message_and_writes_nothing(cast, login) -> None:
    client = login("clerk")
    before = StudySession.objects.count()
    body = {
        "kind": "committee",
        "branch": second_branch(cast).pk,
        "date": "2099-01-01",
        "place": "x",
        "topic": "t",
        "content": "c",
        "hours": 1,
    }
    response = client.post(f"{API}/sessions", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert StudySession.objects.count() == before


def test_the_api_makeup_and_materials(cast, login) -> None:
    s = session(cast, absent=1)
    absent = s.attendances.get(present=False).person
    client = login("clerk")
    body = {"person": absent.pk, "date": timezone.localdate().isoformat(), "note": "补学"}
    response = client.post(f"{API}/sessions/{s.pk}/makeup", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    made = client.post(
        f"{API}/materials",
        json.dumps({"kind": "family", "title": "家风家训", "content": "好家风"}),
        content_type="application/json",
    )
    assert made.status_code == 201
    assert login("superior").get(f"{API}/materials/{made.json()['id']}").status_code == 200
    assert login("outsider").get(f"{API}/sessions/{s.pk}").status_code == 404
