"""The API: a rule and a new version, a proposal's steps (out of order: 400 with the message), a decision's
meeting and opinions with the checker's findings."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from qingfeng.rules.tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today().isoformat()


def _post(client, url, data):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/rules{url}", json.dumps(data), content_type="application/json")


def test_rules_proposals_and_decisions_through_the_api(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk = login("clerk")
    dept = cast.departments["办公室"].pk
    response = _post(
        clerk, "/rules", {"title": "印章管理办法", "department": dept, "effective_date": "2023-01-01", "text": "第一条"}
    )
    assert response.status_code == 201, response.content
    rule = response.json()
    response = _post(clerk, f"/rules/{rule['id']}/versions", {"effective_date": "2022-01-01", "text": "第一条 新"})
    assert response.status_code == 400 and "早于现行版本" in response.json()["detail"]
    response = _post(clerk, f"/rules/{rule['id']}/versions", {"effective_date": "2024-01-01", "text": "第一条 新"})
    assert response.json()["version"] == 2
    diff = clerk.get(f"/api/v1/rules/rules/{rule['id']}/diff?a=1&b=2").json()
    assert diff["rows"][0]["tag"] == "replace"

    body = {"kind": "repeal", "rule": rule["id"], "reason": "已不适用", "department": dept, "draft_deadline": TODAY}
    proposal = _post(clerk, "/proposals", body).json()
    response = _post(clerk, f"/proposals/{proposal['id']}/steps", {"step": "published", "date": TODAY})
    assert response.status_code == 400 and "请先完成“起草”环节" in response.json()["detail"]
    assert _post(login("staff"), f"/proposals/{proposal['id']}/steps", {"step": "drafted"}).status_code == 403

    secretary, leader, inspector = factories.team(cast)
    decision = _post(clerk, "/decisions", {"kind": "major", "title": "年度预算安排", "proposal": "审议预算"}).json()
    url = f"/decisions/{decision['id']}"
    meeting = {
        "meeting_kind": "party",
        "meeting_date": TODAY,
        "host": secretary.pk,
        "present": [secretary.pk, leader.pk],
    }
    assert _post(clerk, f"{url}/meeting", meeting).status_code == 200
    for person in (leader, secretary):
        _post(clerk, f"{url}/opinions", {"person": person.pk, "stance": "agree"})
    detail = clerk.get(f"/api/v1/rules{url}").json()
    assert [o["person"] for o in detail["opinions"]] == [leader.name, secretary.name]
    assert detail["problems"] == ["未开展调研论证", "重大事项决策未征求意见"]
    flagged = [d["id"] for d in clerk.get("/api/v1/rules/decisions?problems=true").json()["items"]]
    assert decision["id"] in flagged
