"""Issue 7, what the first build left out: correcting and deleting risk points, filings and ledger records (soft,
audited with the changed fields), the risk points' 复核 cycle (待复核 filter, workbench count), periodic checks opened
by the worker once, and the password asked again before the ledger export (SECURITY.md A11)."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.core.workbench import collect
from qingfeng.integrity import ledger_crypto
from qingfeng.integrity.models import DisciplineRecord, Filing, RiskCheck, RiskPoint
from qingfeng.integrity.services import filings, ledger, risks, schedule
from qingfeng.integrity.views.ledger import REAUTH_AT, REAUTH_SECONDS
from qingfeng.org.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _point(cast, **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "area": "政府采购",
        "department": cast.departments["计划项目股"],
        "post": "采购经办人",
        "name": "采购需求编制",
        "description": "量身定制采购需求",
        "level": RiskPoint.Level.HIGH,
        "controls": "采购需求集体论证",
        "owner": cast.users["head"].person,
        "review_cycle": RiskPoint.Cycle.QUARTERLY,
    }
    values.update(kwargs)
    return risks.point_create(actor=cast.users["clerk"], unit=cast.bureau, data=risks.PointData(**values))


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


# --- 风险点: edit, delete, 复核 ------------------------------------------------------------------------------


def test_a_point_is_corrected_with_the_changes_audited_and_deleted_softly(cast, login) -> None:  # type: ignore[no-untyped-def]
    point = _point(cast)
    client = login("clerk")
    form = client.get(reverse("integrity:risk_edit", args=[point.pk]))
    assert form.status_code == 200 and "采购需求编制" in form.content.decode()
    data = {
        "area": "政府采购",
        "department": point.department_id,
        "post": "采购经办人",
        "name": "采购需求编制",
        "description": "量身定制采购需求",
        "level": "medium",
        "controls": "采购需求集体论证，法律顾问审核",
        "owner": point.owner_id,
        "review_cycle": "yearly",
    }
    assert client.post(reverse("integrity:risk_edit", args=[point.pk]), data).status_code == 302
    point.refresh_from_db()
    assert point.level == "medium" and point.review_cycle == "yearly"
    changes = _last("riskpoint.update").changes
    assert changes["level"] == ["high", "medium"] and "controls" in changes and "name" not in changes
    # the cycle moved the next review: one year after the registration
    assert point.next_review_on == risks.next_review(timezone.localdate(), "yearly")
    # a deletion needs a reason; then the point leaves the register but stays in the database
    client.post(reverse("integrity:risk_delete", args=[point.pk]), {"reason": ""})
    assert RiskPoint.objects.filter(pk=point.pk).exists()
    client.post(reverse("integrity:risk_delete", args=[point.pk]), {"reason": "岗位撤销"})
    assert not RiskPoint.objects.filter(pk=point.pk).exists()
    assert RiskPoint.all_objects.get(pk=point.pk).deleted_at is not None
    assert _last("riskpoint.delete").changes["reason"] == "岗位撤销"


def test_the_review_cycle_lists_due_points_counts_them_and_a_review_moves_the_date(cast, login) -> None:  # type: ignore[no-untyped-def]
    point = _point(cast, name="待复核的风险点")
    today = timezone.localdate()
    RiskPoint.objects.filter(pk=point.pk).update(next_review_on=today - dt.timedelta(days=1))
    clerk = cast.users["clerk"]
    due = [i for i in collect(clerk).todo if "待复核的廉政风险点" in i.title]
    assert due and due[0].url.endswith("?review=due")
    page = login("clerk").get(reverse("integrity:risk_list"), {"review": "due"})
    names = [p.name for p in page.context["page_obj"]]
    assert "待复核的风险点" in names
    assert all(p.next_review_on <= today for p in page.context["page_obj"])
    # staff manage no risk: no such item on their workbench
    assert not [i for i in collect(cast.users["staff"]).todo if "待复核" in i.title]
    with pytest.raises(UserError, match="请填写复核意见"):
        risks.point_review(actor=clerk, point=point, date=today, note=" ")
    response = login("clerk").post(
        reverse("integrity:risk_review", args=[point.pk]), {"date": today.isoformat(), "note": "等级和措施仍适当"}
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.last_reviewed_on == today and point.next_review_on == risks.next_review(today, "quarterly")
    assert point.reviews.get().reviewer == clerk
    assert _last("riskpoint.review").changes["note"] == "等级和措施仍适当"
    assert not selectors_due(clerk, point)


def selectors_due(user, point) -> bool:  # type: ignore[no-untyped-def]
    from qingfeng.integrity import selectors

    return selectors.risk_points(user, selectors.RiskFilters(review_due=True)).filter(pk=point.pk).exists()


# --- 定期督促检查 ----------------------------------------------------------------------------------------------


def test_a_periodic_check_opens_its_successor_once_and_tells_the_risk_managers(cast) -> None:  # type: ignore[no-untyped-def]
    point = _point(cast)
    today = timezone.localdate()
    started = today - dt.timedelta(days=100)
    check = risks.check_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        name="采购环节季度检查",
        date=started,
        points=[point],
        cycle="quarterly",
    )
    notices = Notification.objects.count()
    opened = schedule.checks_due(today=today)
    successor = next(c for c in opened if c.previous_id == check.pk)
    assert successor.scheduled and successor.cycle == "quarterly"
    assert successor.date == schedule.due_date(check) and successor.name.startswith("采购环节季度检查（")
    assert list(successor.points.all()) == [point]
    told = Notification.objects.filter(title__contains=successor.name)
    assert {n.recipient.username for n in told} >= {"clerk", "inspector", "secretary"}
    assert Notification.objects.count() > notices
    # a second run opens nothing more (the successor is not due yet, the check has one)
    assert not [c for c in schedule.checks_due(today=today) if c.previous_id in (check.pk, successor.pk)]
    assert RiskCheck.objects.filter(previous=check).count() == 1
    # a check without a cycle never opens another
    once = risks.check_create(
        actor=cast.users["clerk"], unit=cast.bureau, name="一次性检查", date=started, points=[point]
    )
    assert not RiskCheck.objects.filter(previous=once).exists()
    # the command the worker's schedule can also be run by: nothing is due any more
    out = io.StringIO()
    call_command("integrity-checks", stdout=out)
    assert "开启定期督促检查 0 项" in out.getvalue()


# --- 廉政档案: edit, withdraw -------------------------------------------------------------------------------------


def _gift(cast, filed_on=None):  # type: ignore[no-untyped-def]
    staff = cast.users["staff"]
    today = timezone.localdate()
    return filings.filing_create(
        actor=staff,
        person=staff.person,
        data=filings.FilingData(
            kind=Filing.Kind.GIFT,
            filed_on=filed_on or today,
            event_date=(filed_on or today) - dt.timedelta(days=1),
            giver="某供应商",
            summary="购物卡一张",
            value=500,
        ),
    )


def test_the_person_corrects_their_own_filing_and_the_inspector_any(cast, login) -> None:  # type: ignore[no-untyped-def]
    gift = _gift(cast)
    client = login("staff")
    page = login("staff").get(reverse("integrity:file_detail", args=[gift.person_id]))
    assert reverse("integrity:filing_edit", args=[gift.pk]) in page.content.decode()
    form = client.get(reverse("integrity:filing_edit", args=[gift.pk]))
    assert "guests" not in form.context["form"].fields  # only the gift's own fields
    data = {
        "filed_on": gift.filed_on.isoformat(),
        "event_date": gift.event_date.isoformat(),
        "giver": "某供应商",
        "summary": "购物卡一张",
        "value": "800",
    }
    assert client.post(reverse("integrity:filing_edit", args=[gift.pk]), data).status_code == 302
    gift.refresh_from_db()
    assert gift.value == 800 and gift.kind == Filing.Kind.GIFT
    assert float(_last("filing.update").changes["value"][1]) == 800
    # a month and more later the person may no longer change it; the 纪检组长 still may
    old = _gift(cast, filed_on=timezone.localdate() - dt.timedelta(days=filings.OWN_EDIT_DAYS + 1))
    assert client.get(reverse("integrity:filing_edit", args=[old.pk])).status_code == 403
    with pytest.raises(UserError, match="本人不能再修改或撤回"):
        filings.filing_delete(actor=cast.users["staff"], filing=old, reason="填错")
    filings.filing_delete(actor=cast.users["inspector"], filing=old, reason="重复登记")
    assert not Filing.objects.filter(pk=old.pk).exists() and Filing.all_objects.filter(pk=old.pk).exists()
    # the secretary sees the file but does not correct it
    assert login("secretary").get(reverse("integrity:filing_edit", args=[gift.pk])).status_code == 403


def test_a_correction_over_the_limit_flags_it_and_the_kind_never_changes(cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.INTEGRITY_EVENT_MAX_TABLES = 10
    staff = cast.users["staff"]
    today = timezone.localdate()
    data = filings.FilingData(
        kind=Filing.Kind.FAMILY_EVENT,
        filed_on=today,
        event_date=today + dt.timedelta(days=10),
        event_kind=Filing.EventKind.WEDDING,
        guests=60,
        tables=6,
        gifts_policy="不收礼金",
    )
    event = filings.filing_create(actor=staff, person=staff.person, data=data)
    assert not event.over_limit
    data.tables = 15
    filings.filing_update(actor=staff, filing=event, data=data)
    assert event.over_limit
    assert Notification.objects.filter(recipient=cast.users["inspector"], title__contains="超规模").exists()
    data.kind = Filing.Kind.GIFT
    with pytest.raises(UserError, match="档案类别不能修改"):
        filings.filing_update(actor=staff, filing=event, data=data)


# --- 四种形态台账: edit, delete, the password again before the export ----------------------------------------


def _record(cast):  # type: ignore[no-untyped-def]
    return ledger.record_create(
        actor=cast.users["inspector"],
        unit=cast.bureau,
        data=ledger.RecordData(
            person=cast.users["staff"].person,
            date=timezone.localdate(),
            form=1,
            measure="谈话提醒",
            category="违反工作纪律",
            clue_source="routine",
            decided_by="驻局纪检监察组",
            description="报销审核不严",
            decision="谈话提醒",
        ),
    )


def test_the_inspector_corrects_a_record_reencrypted_and_audited_without_the_texts(cast, login) -> None:  # type: ignore[no-untyped-def]
    record = _record(cast)
    old_cipher = bytes(DisciplineRecord.objects.get(pk=record.pk).description_enc)
    client = login("inspector")
    views = AuditEvent.objects.filter(action="ledger.view", object_id=str(record.pk)).count()
    form = client.get(reverse("integrity:ledger_edit", args=[record.pk]))
    assert "报销审核不严" in form.content.decode() and "no-store" in form["Cache-Control"]
    # showing the edit form decrypts the texts: audited like a view
    assert AuditEvent.objects.filter(action="ledger.view", object_id=str(record.pk)).count() == views + 1
    data = {
        "person": record.person_id,
        "date": record.date.isoformat(),
        "form": "1",
        "measure": "批评教育",
        "category": "违反工作纪律",
        "clue_source": "routine",
        "decided_by": "驻局纪检监察组",
        "description": "报销审核不严，多次补正",
        "decision": "谈话提醒",
    }
    assert client.post(reverse("integrity:ledger_edit", args=[record.pk]), data).status_code == 302
    stored = DisciplineRecord.objects.get(pk=record.pk)
    assert bytes(stored.description_enc) != old_cipher
    key = ledger_crypto.ledger_key()
    assert (
        ledger_crypto.decrypt(key, bytes(stored.description_enc), stored.associated_data()) == "报销审核不严，多次补正"
    )
    changes = _last("ledger.update").changes
    assert changes["measure"] == ["谈话提醒", "批评教育"] and changes["texts"] == ["问题描述"]
    assert "报销审核" not in str(changes)
    # the secretary reads the ledger but does not keep it
    assert login("secretary").get(reverse("integrity:ledger_edit", args=[record.pk])).status_code == 403


def test_a_deleted_record_leaves_the_list_and_the_statistics(cast, login) -> None:  # type: ignore[no-untyped-def]
    from qingfeng.integrity import selectors

    record = _record(cast)
    inspector = cast.users["inspector"]
    before = selectors.ledger_stats(inspector).total
    client = login("inspector")
    client.post(reverse("integrity:ledger_delete", args=[record.pk]), {"reason": ""})
    assert DisciplineRecord.objects.filter(pk=record.pk).exists()
    client.post(reverse("integrity:ledger_delete", args=[record.pk]), {"reason": "录入错误"})
    assert not DisciplineRecord.objects.filter(pk=record.pk).exists()
    assert selectors.ledger_stats(inspector).total == before - 1
    assert _last("ledger.delete").changes["reason"] == "录入错误"
    assert client.get(reverse("integrity:ledger_detail", args=[record.pk])).status_code == 404


def test_the_export_needs_the_password_again_within_minutes(cast, login) -> None:  # type: ignore[no-untyped-def]
    client = login("secretary")
    export = reverse("integrity:ledger_export")
    asked = client.get(export, {"year": "2023"})
    assert asked.status_code == 302 and reverse("integrity:ledger_reauth") in asked["Location"]
    wrong = client.post(asked["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200 and "密码不正确" in wrong.content.decode()
    assert _last("reauth.failure").result == "failure"
    # a foreign address in `next` is never followed
    assert client.post(reverse("integrity:ledger_reauth"), {"password": DEMO_PASSWORD, "next": "//evil.example/"})[
        "Location"
    ] == reverse("integrity:ledger_list")
    ok = client.post(asked["Location"], {"password": DEMO_PASSWORD})
    assert ok["Location"] == f"{export}?year=2023"
    assert client.get(ok["Location"]).status_code == 200
    # five minutes later it asks again
    session = client.session
    session[REAUTH_AT] = time.time() - REAUTH_SECONDS - 1
    session.save()
    assert client.get(export).status_code == 302


def test_five_wrong_passwords_end_the_session(cast, login) -> None:  # type: ignore[no-untyped-def]
    client = login("inspector")
    url = reverse("integrity:ledger_reauth")
    for _ in range(4):
        assert client.post(url, {"password": "wrong"}).status_code == 200
    last = client.post(url, {"password": "wrong"})
    assert last.status_code == 302
    assert client.get(reverse("integrity:ledger_list")).status_code == 302  # logged out: to the log-in page
