"""The integrity API: the same visibility as the pages; a ledger record read through it is decrypted and audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingfeng.core.models import AuditEvent
from qingfeng.integrity.models import DisciplineRecord

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
