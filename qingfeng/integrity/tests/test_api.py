"""The integrity API: the same visibility as the pages; a ledger record read through it is decrypted and audited;
the register, its checks and the filings are written through the pages' services and forms (403 for a role that
may not, 400 with the Chinese message for a broken rule)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from qingfeng.core.models import AuditEvent
from qingfeng.integrity.models import DisciplineRecord, Filing

pytestmark = pytest.mark.django_db


def test_filings_are_filtered_like_the_files(cast, login) -> None:  # type: ignore[no-untyped-def]
    staff = login("staff").get(reverse("api:integrity_filing_list_api")).json()
    assert {item["person_name"] for item in staff["items"]} == {"杨丽娟"}
    assert login("clerk").get(reverse("api:integrity_filing_list_api")).json()["count"] == 0


def test_a_ledger_record_through_the_api_is_decrypted_and_audited(cast, login) -> None:  # type: ignore[no-untyped-def]
    record = DisciplineRecord.objects.filter(unit=cast.bureau).first()
    body = login("superior").get(reverse("api:integrity_ledger_detail_api", args=[record.pk])).json()
    assert body["decision"] == "矩阵测试：谈话提醒" and body["measure"] == "谈话提醒"
    assert AuditEvent.objects.filter(action="ledger.view", object_id=str(record.pk), actor=cast.users["superior"])
    listing = login("inspector").get(reverse("api:integrity_ledger_list_api")).json()
    assert listing["count"] >= 1 and "decision" not in listing["items"][0]


def _post(client, name: str, body: dict, *args: int):  # type: ignore[no-untyped-def]
    return client.post(reverse(name, args=args), json.dumps(body), content_type="application/json")


def test_a_risk_manager_keeps_the_register_and_completes_a_check_through_the_api(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk = login("clerk")
    body = {
        "area": "工程建设",
        "department": cast.departments["建筑管理股"].pk,
        "post": "项目负责人",
        "name": "接口：工程变更签证",
        "description": "虚增工程量",
        "level": "高",
        "controls": "变更集体研究",
        "owner": cast.users["head"].person.pk,
    }
    refused = _post(clerk, "api:integrity_risk_create_api", body)
    assert refused.status_code == 400 and "风险等级" in refused.json()["detail"]
    created = _post(clerk, "api:integrity_risk_create_api", {**body, "level": "high"})
    assert created.status_code == 201 and created.json()["review_cycle"] == "yearly"
    pk = created.json()["id"]
    # an update sends only what changes; the head (the point's 责任人) may not change it
    assert _post(login("head"), "api:integrity_risk_update_api", {"level": "low"}, pk).status_code == 403
    updated = _post(clerk, "api:integrity_risk_update_api", {"level": "low"}, pk).json()
    assert updated["level"] == "low" and updated["name"] == "接口：工程变更签证"
    assert AuditEvent.objects.filter(action="riskpoint.update", object_id=str(pk)).get().changes["level"] == [
        "high",
        "low",
    ]
    review = _post(clerk, "api:integrity_risk_review_api", {"note": "措施仍适当"}, pk)
    assert review.status_code == 201 and review.json()["date"] == timezone.localdate().isoformat()

    today = timezone.localdate().isoformat()
    odd = {"name": ["接口检查"], "date": 20240101, "points": {"id": pk}, "cycle": None}
    assert "检查日期" in _post(clerk, "api:integrity_check_create_api", odd).json()["detail"]
    check = _post(clerk, "api:integrity_check_create_api", {"name": "接口检查", "date": today, "points": [pk]})
    assert check.status_code == 201 and check.json()["state"] == "pending" and check.json()["points"] == [pk]
    check_pk = check.json()["id"]
    problem = {"point": pk, "description": "变更未集体研究", "route": "finding"}
    assert _post(clerk, "api:integrity_problem_create_api", problem, check_pk).status_code == 201
    clean = _post(clerk, "api:integrity_check_complete_api", {"summary": "已查", "no_problems": True}, check_pk)
    assert clean.status_code == 400 and "不能以“未发现问题”完成" in clean.json()["detail"]
    done = _post(clerk, "api:integrity_check_complete_api", {"summary": "查阅变更签证12份"}, check_pk).json()
    assert done["state"] == "done" and done["result"] == "found" and done["completed_by"] == str(cast.users["clerk"])
    late = _post(clerk, "api:integrity_problem_create_api", problem, check_pk)
    assert late.status_code == 400 and "不能再登记发现的问题" in late.json()["detail"]
    listed = clerk.get(reverse("api:integrity_check_list_api"), {"state": "done"}).json()["items"]
    assert check_pk in [c["id"] for c in listed]

    assert _post(clerk, "api:integrity_risk_delete_api", {"reason": ""}, pk).status_code == 400
    assert _post(clerk, "api:integrity_risk_delete_api", {"reason": "项目结束"}, pk).json()["deleted"]
    assert clerk.get(reverse("api:integrity_risk_detail_api", args=[pk])).status_code == 404


def test_filings_are_filed_corrected_and_withdrawn_through_the_api(cast, login) -> None:  # type: ignore[no-untyped-def]
    staff = login("staff")
    person = cast.users["staff"].person.pk
    today = timezone.localdate()
    gift = {
        "kind": "gift",
        "filed_on": today.isoformat(),
        "event_date": today.isoformat(),
        "giver": "某供应商",
        "summary": "购物卡",
        "value": "500",
    }
    created = _post(staff, "api:integrity_filing_create_api", gift, person)
    assert created.status_code == 201 and created.json()["value"] == "500.00"
    pk = created.json()["id"]
    assert _post(staff, "api:integrity_filing_update_api", {"value": "600"}, pk).json()["value"] == "600.00"
    # the secretary sees her file but does not file or correct it for her
    assert _post(login("secretary"), "api:integrity_filing_update_api", {"value": "1"}, pk).status_code == 403
    # a month later her own correction is a broken rule (400, with the reason); the 纪检组长 still may
    Filing.objects.filter(pk=pk).update(
        filed_on=today - dt.timedelta(days=40), event_date=today - dt.timedelta(days=40)
    )
    late = _post(staff, "api:integrity_filing_update_api", {"value": "700"}, pk)
    assert late.status_code == 400 and "本人不能再修改或撤回" in late.json()["detail"]
    inspector = login("inspector")
    assert _post(inspector, "api:integrity_filing_update_api", {"value": "700"}, pk).json()["value"] == "700.00"
    assert _post(inspector, "api:integrity_filing_delete_api", {"reason": "重复登记"}, pk).json()["deleted"]
    assert not Filing.objects.filter(pk=pk).exists()
