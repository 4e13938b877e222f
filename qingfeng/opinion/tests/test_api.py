"""The 舆情处置 API: the pages' rules over JSON — create (a future time 400), the steps in order (400 with the
message), the 口径 (the drafter cannot approve: 400; staff: 403), the suggestion; another bureau's incident 404."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from qingfeng.opinion.models import OpinionIncident
from qingfeng.opinion.tests.factories import incident

pytestmark = pytest.mark.django_db
API = "/api/v1/opinion"


def _post(client, url: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body, ensure_ascii=False), content_type="application/json")


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_incidents_steps_and_statements_through_the_api(cast, login, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    staff, leader = login("staff"), login("leader")
    now = timezone.now()
    body = {
        "title": "工地塔吊倒塌",
        "source": "media",
        "found_at": _local(now - dt.timedelta(hours=2)),
        "content": "某在建工地塔吊倒塌，现场有人员受伤。",
        "department": cast.departments["财务股"].pk,
    }
    future = _post(staff, f"{API}/incidents", {**body, "found_at": _local(now + dt.timedelta(days=1))})
    assert future.status_code == 400 and "晚于当前时间" in future.json()["detail"]
    bad = _post(staff, f"{API}/incidents", {"title": "", "source": "x"})
    assert bad.status_code == 400 and "标题" in bad.json()["detail"]
    created = _post(staff, f"{API}/incidents", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["level"], data["suggested_rule"]) == (3, "安全生产事故")  # 倒塌: 重大
    assert [c["step"] for c in data["clocks"]][:5] == ["reported", "verified", "assessed", "responded", "press"]
    pk = data["id"]
    order = _post(staff, f"{API}/incidents/{pk}/steps", {"step": "verified", "at": _local(now)})
    assert order.status_code == 400 and "先记录“报告”" in order.json()["detail"]
    step = _post(staff, f"{API}/incidents/{pk}/steps", {"step": "reported", "at": _local(now - dt.timedelta(hours=1))})
    assert step.status_code == 201 and step.json()["step"] == "reported"

    drafted = _post(staff, f"{API}/incidents/{pk}/statements", {"text": "我局已第一时间组织救援并核查。"})
    assert drafted.status_code == 201
    sid = drafted.json()["id"]
    assert _post(staff, f"{API}/statements/{sid}/approve", {}).status_code == 403
    assert _post(staff, f"{API}/statements/{sid}/release", {}).status_code == 400
    approved = _post(leader, f"{API}/statements/{sid}/approve", {})
    assert approved.status_code == 200 and approved.json()["approved_text"] == "我局已第一时间组织救援并核查。"
    _post(staff, f"{API}/statements/{sid}/update", {"text": "改过的草稿"})
    released = _post(staff, f"{API}/statements/{sid}/release", {"channel": "局门户网站"})
    assert released.json()["status"] == "released" and released.json()["approved_text"].startswith("我局已")

    detail = leader.get(f"{API}/incidents/{pk}").json()
    assert detail["statements"][0]["status"] == "released" and len(detail["steps"]) == 2
    with django_assert_max_num_queries(12):  # session, user, grants, person, 分管, count, the page with its joins
        listing = leader.get(f"{API}/incidents", {"status": "open", "level": "3"})
    assert [r["id"] for r in listing.json()["items"]] == [pk]

    suggestion = _post(staff, f"{API}/severity/suggest", {"title": "小区墙体开裂", "content": "业主维权"})
    assert suggestion.json()["level_display"] == "较大" and suggestion.json()["topic"] == "民生诉求"
    assert _post(staff, f"{API}/severity/suggest", {}).status_code == 400


def test_out_of_scope_is_404_and_the_three_admins_see_nothing(cast, login) -> None:  # type: ignore[no-untyped-def]
    mine = incident(cast)
    far = OpinionIncident.objects.create(
        unit=cast.far_bureau,
        title="南山县的舆情",
        source="network",
        recorded_by=cast.users["sysadmin"],
        level=1,
        found_at=timezone.now(),
    )
    secretary = login("secretary")
    assert secretary.get(f"{API}/incidents/{far.pk}").status_code == 404
    assert _post(secretary, f"{API}/incidents/{far.pk}/steps", {"step": "reported"}).status_code == 404
    assert secretary.get(f"{API}/incidents/{mine.pk}").status_code == 200
    for admin in ("sysadmin", "secadmin", "auditor"):
        assert login(admin).get(f"{API}/incidents").status_code == 403
        assert login(admin).get(f"{API}/incidents/{mine.pk}").status_code == 403
