"""The ideology API: the pages' rules through JSON — 201 on a write, 400 with the Chinese message on a broken rule,
403 without the level's permission (staff and 终审), 404 out of scope."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from qingfeng.ideology.models import Position, Publication
from qingfeng.ideology.tests import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/ideology"


def _post(client, url, body):  # type: ignore[no-untyped-def]
    return client.post(f"{API}{url}", json.dumps(body), content_type="application/json")


def test_positions_and_a_publication_through_the_api(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk, staff, head, leader = (login(r) for r in ("clerk", "staff", "head", "leader"))
    body = {
        "name": "财政预决算公开",
        "kind": "portal",
        "department": cast.departments["财务股"].pk,
        "responsible_person": cast.users["staff"].person.pk,
        "reviewer": cast.users["clerk"].person.pk,
    }
    response = _post(clerk, "/positions", {**body, "kind": "tv"})
    assert response.status_code == 400 and "阵地类别" in response.json()["detail"]
    assert _post(staff, "/positions", body).status_code == 403
    response = _post(clerk, "/positions", body)
    assert response.status_code == 201 and response.json()["status"] == "active"
    pk = response.json()["id"]
    response = _post(clerk, f"/positions/{pk}/update", {"address": "http://x/czyjs/"})
    assert response.status_code == 200 and response.json()["address"] == "http://x/czyjs/"
    assert response.json()["reviewer"] == "刘海燕"
    assert pk in [p["id"] for p in staff.get(f"{API}/positions").json()["items"]]

    response = _post(staff, "/publications", {"position": pk, "title": "预算公开", "body": ""})
    assert response.status_code == 400 and "正文" in response.json()["detail"]
    piece = _post(staff, "/publications", {"position": pk, "title": "预算公开", "body": "正文"}).json()["id"]
    assert (
        _post(staff, f"/publications/{piece}/final-review", {"decision": "approve", "opinion": "同意"}).status_code
        == 403
    )
    response = _post(leader, f"/publications/{piece}/final-review", {"decision": "approve", "opinion": "同意"})
    assert response.status_code == 400 and response.json()["detail"] == "稿件当前为“待初审”，不能进行终审"
    assert (
        _post(clerk, f"/publications/{piece}/first-review", {"decision": "approve", "opinion": "同意"}).status_code
        == 200
    )
    assert (
        _post(head, f"/publications/{piece}/second-review", {"decision": "approve", "opinion": "同意"}).status_code
        == 200
    )
    response = _post(leader, f"/publications/{piece}/publish", {})
    assert response.status_code == 400 and response.json()["detail"] == "只有撰稿人、阵地责任人或办公室可以发布"
    response = _post(staff, f"/publications/{piece}/publish", {})
    assert response.status_code == 400 and "稿件尚未完成三审（当前：待终审）" in response.json()["detail"]
    assert (
        _post(leader, f"/publications/{piece}/final-review", {"decision": "approve", "opinion": "同意"}).status_code
        == 200
    )
    for client, kind in ((staff, "text"), (clerk, "political"), (head, "fact")):
        assert _post(client, f"/publications/{piece}/proofs", {"kind": kind, "note": "已校"}).status_code == 201
    response = _post(staff, f"/publications/{piece}/publish", {"link": "http://x/1.html"})
    assert response.status_code == 200 and response.json()["status"] == "published"
    detail = head.get(f"{API}/publications/{piece}").json()
    assert [(r["level"], r["reviewer"]) for r in detail["reviews"]] == [(1, "刘海燕"), (2, "陈文斌"), (3, "李志强")]
    assert detail["missing_proofs"] == []
    # the sibling bureau's head: 404 for the objects; the auditor: 403
    outsider = login("outsider")
    assert outsider.get(f"{API}/publications/{piece}").status_code == 404
    assert _post(outsider, f"/publications/{piece}/proofs", {"kind": "text", "note": "x"}).status_code == 404
    assert login("auditor").get(f"{API}/positions").status_code == 403
    assert Publication.objects.get(pk=piece).status == Publication.Status.PUBLISHED
    assert Position.objects.get(pk=pk).address == "http://x/czyjs/"


def test_meetings_through_the_api(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk = login("clerk")
    people = [cast.users["secretary"].person.pk, cast.users["leader"].person.pk]
    today = dt.date.today().isoformat()
    body = {"kind": "study", "date": today, "participants": people, "topics": "专题研究", "conclusions": "落实"}
    response = _post(clerk, "/meetings", {**body, "participants": []})
    assert response.status_code == 400 and "参会人员" in response.json()["detail"]
    response = _post(clerk, "/meetings", body)
    assert response.status_code == 201 and response.json()["participants"] == ["王建国", "李志强"]
    pk = response.json()["id"]
    assert login("leader").get(f"{API}/meetings/{pk}").status_code == 200  # a participant
    assert login("staff").get(f"{API}/meetings/{pk}").status_code == 404
    assert _post(login("head"), "/meetings", body).status_code == 403
    assert pk in [m["id"] for m in login("superior").get(f"{API}/meetings").json()["items"]]
    factories.position(cast)  # unused objects of another kind change nothing
    assert len(clerk.get(f"{API}/meetings", {"kind": "analysis"}).json()["items"]) == 0
