"""四种形态 ledger: recording (the measure belongs to its form; nobody from outside the unit), SM4 at rest, each view
and export audited, the key check (wrong key = clear error), the rotation command, the statistics, and who may open
it (the 组织部 superior may not)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent
from qingfeng.integrity import ledger_crypto
from qingfeng.integrity.models import DisciplineRecord, LedgerKeyCheck
from qingfeng.integrity.services import ledger
from qingfeng.org.demo import DEMO_PASSWORD as TEST_PASSWORD
from qingfeng.org.models import Person
from qingfeng.org.roles import Role, SuperiorKind
from qingfeng.org.services import accounts, roles

pytestmark = pytest.mark.django_db
NEW_KEY = "22" * 16


def _data(person, **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "person": person,
        "date": timezone.localdate(),
        "form": 1,
        "measure": "谈话提醒",
        "category": "违反工作纪律",
        "clue_source": "routine",
        "decided_by": "驻局纪检监察组",
        "description": "在行政审批中推诿扯皮，群众多次反映",
        "decision": "由纪检组长谈话提醒，限期改正",
    }
    values.update(kwargs)
    return ledger.RecordData(**values)


def _record(cast, **kwargs):  # type: ignore[no-untyped-def]
    return ledger.record_create(
        actor=cast.users["inspector"], unit=cast.bureau, data=_data(cast.users["staff"].person, **kwargs)
    )


def test_the_texts_are_sm4_ciphertext_in_the_database(cast) -> None:  # type: ignore[no-untyped-def]
    record = _record(cast)
    table = DisciplineRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT description_enc, decision_enc FROM {table} WHERE id = %s", [record.pk])  # noqa: S608
        description, decision = (bytes(v) for v in cursor.fetchone())
    assert "推诿扯皮".encode() not in description and "谈话提醒".encode() not in decision
    opened = ledger.record_open(actor=cast.users["inspector"], record=DisciplineRecord.objects.get(pk=record.pk))
    assert opened.description == "在行政审批中推诿扯皮，群众多次反映"
    assert opened.decision == "由纪检组长谈话提醒，限期改正"
    # the audit event of the write carries the clear fields only
    event = AuditEvent.objects.filter(action="ledger.create", object_id=str(record.pk)).get()
    assert "推诿" not in str(event.changes)


def test_a_measure_of_another_form_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="处理方式“组织调整”不属于第一种形态"):
        _record(cast, measure="组织调整")
    assert not DisciplineRecord.objects.filter(category="违反工作纪律", measure="组织调整").exists()


def test_a_person_outside_the_unit_is_refused_and_nothing_is_written(cast) -> None:  # type: ignore[no-untyped-def]
    before = DisciplineRecord.all_objects.count()
    outsider = Person.objects.filter(unit=cast.sibling).first()
    with pytest.raises(UserError, match=f"“{outsider.name}”不是清河县住房和城乡建设局的人员"):
        ledger.record_create(actor=cast.users["inspector"], unit=cast.bureau, data=_data(outsider))
    assert DisciplineRecord.all_objects.count() == before


def test_the_page_form_shows_the_refusal(cast, login) -> None:  # type: ignore[no-untyped-def]
    data = {**_data(cast.users["staff"].person).__dict__, "measure": "严重违纪涉嫌违法立案审查"}
    data["person"] = data["person"].pk
    response = login("inspector").post(reverse("integrity:ledger_new"), data)
    assert response.status_code == 200
    assert "不属于第一种形态" in response.content.decode()


def test_viewing_and_exporting_a_record_are_audit_events(cast, login) -> None:  # type: ignore[no-untyped-def]
    record = _record(cast)
    client = login("secretary")
    page = client.get(reverse("integrity:ledger_detail", args=[record.pk]))
    assert "在行政审批中推诿扯皮" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    assert AuditEvent.objects.filter(action="ledger.view", object_id=str(record.pk), actor=cast.users["secretary"])
    # the export asks for the password again (SECURITY.md A11), then goes on
    asked = client.get(reverse("integrity:ledger_export"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("integrity:ledger_reauth"))
    confirmed = client.post(asked["Location"], {"password": TEST_PASSWORD})
    assert confirmed["Location"] == reverse("integrity:ledger_export")
    export = client.get(reverse("integrity:ledger_export"))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "姓名", "单位", "日期", "形态")
    assert any(r[9] == "在行政审批中推诿扯皮，群众多次反映" for r in rows[1:])
    event = AuditEvent.objects.filter(action="ledger.export").order_by("-seq").first()
    assert record.pk in event.changes["records"]


def test_the_list_pins_its_queries_and_shows_no_secret(cast, login, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        _record(cast)
    client = login("inspector")
    client.get(reverse("integrity:ledger_list"))  # warm the session and the user's role cache
    # session, user, role assignments, person, count, page, the audit event of the view (savepoint, chain head,
    # insert, head update, release), unread notices, the user's unit: 13 whatever the number of records
    with django_assert_num_queries(13):
        response = client.get(reverse("integrity:ledger_list"))
    assert "推诿扯皮" not in response.content.decode()


def test_a_zuzhibu_superior_and_the_others_cannot_open_the_ledger(cast, login) -> None:  # type: ignore[no-untyped-def]
    user, _ = accounts.account_create(actor=None, username="zuzhibu", unit=cast.county, system=True)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    roles.role_grant(
        actor=None,
        user=user,
        role=Role.SUPERIOR,
        unit=cast.county,
        include_subunits=True,
        superior_kind=SuperiorKind.ZUZHIBU,
        system=True,
    )
    record = _record(cast)
    from django.test import Client

    client = Client()
    client.force_login(user)
    for url in (
        reverse("integrity:ledger_list"),
        reverse("integrity:ledger_stats"),
        reverse("integrity:ledger_detail", args=[record.pk]),
        reverse("api:integrity_ledger_list_api"),
    ):
        assert client.get(url).status_code == 403, url
    risk_page = client.get(reverse("integrity:risk_list"))
    assert risk_page.status_code == 200
    ledger_link = reverse("integrity:ledger_list")
    assert ledger_link not in risk_page.content.decode()  # no link that leads to 403
    assert ledger_link in login("inspector").get(reverse("integrity:risk_list")).content.decode()
    # the 档案 page of someone with a record shows no ledger section to a 组织部 superior or a leader
    person_page = client.get(reverse("integrity:file_detail", args=[cast.users["staff"].person.pk])).content.decode()
    assert "运用监督执纪" not in person_page
    leader_page = login("leader").get(reverse("integrity:file_detail", args=[cast.users["staff"].person.pk]))
    assert "运用监督执纪" not in leader_page.content.decode()
    assert (
        "运用监督执纪“四种形态”情况"
        in login("superior")
        .get(reverse("integrity:file_detail", args=[cast.users["staff"].person.pk]))
        .content.decode()
    )


def test_the_statistics_count_person_times_and_percent_per_form(cast, login) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year
    before = login("inspector").get(reverse("integrity:ledger_stats"), {"year": year}).context["stats"]
    _record(cast)
    _record(cast, form=2, measure="组织调整")
    response = login("inspector").get(reverse("integrity:ledger_stats"), {"year": year})
    stats = response.context["stats"]
    assert stats.total == before.total + 2
    # the tables' rows (written by integrity_stats.stat_rows): the unit's 人次 and % per form, then its total
    unit = stats.units[0]
    (first_count, first_pct), *_ = unit.cells()
    html = response.content.decode()
    assert (
        f'<tr><td data-label="单位">{unit.name}</td><td data-label="第一种">{first_count} 人次（{first_pct}%）</td>'
        in html
    )
    assert f'<td data-label="合计">{unit.total} 人次</td></tr>' in html
    assert f'<tr><td data-label="年度">{year}年</td>' in html
    first = next(f for f in stats.forms if f.form == 1)
    assert first.count == next(f for f in before.forms if f.form == 1).count + 1
    assert sum(f.percent for f in stats.forms) == pytest.approx(100, abs=0.5)
    assert f"{year}年" in [y.name for y in stats.by_year]
    assert [u.name for u in stats.units] == ["清河县住房和城乡建设局"]  # the far bureau's record is out of scope
    # the superior (县纪委) sees the same figures in the API
    body = login("superior").get(reverse("api:integrity_ledger_stats_api"), {"year": year}).json()
    assert body["total"] == stats.total


def test_a_wrong_key_is_a_clear_error_on_use_and_at_start_up(cast, settings) -> None:  # type: ignore[no-untyped-def]
    record = _record(cast)  # stores the fingerprint of the dev key
    assert LedgerKeyCheck.objects.filter(pk=1).exists()
    settings.LEDGER_KEY_HEX = NEW_KEY
    with pytest.raises(
        ledger_crypto.LedgerKeyError, match="QINGFENG_LEDGER_KEY 的密钥与四种形态台账加密所用的密钥不一致"
    ):
        ledger.record_open(actor=cast.users["inspector"], record=record)
    errors = ledger_crypto.check_ledger_key()
    assert [e.id for e in errors] == ["integrity.E001"]
    assert "QINGFENG_LEDGER_KEY" in errors[0].msg
    settings.LEDGER_KEY_HEX = "abc"
    assert "不是十六进制数" in ledger_crypto.check_ledger_key()[0].msg
    settings.LEDGER_KEY_HEX = "11" * 8
    assert "须为16字节" in ledger_crypto.check_ledger_key()[0].msg


def test_rekey_re_encrypts_every_record_and_refuses_a_wrong_old_key(cast, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    record = _record(cast)
    old = settings.LEDGER_KEY_HEX
    monkeypatch.setenv("QINGFENG_LEDGER_KEY_OLD", "33" * 16)
    monkeypatch.setenv("QINGFENG_LEDGER_KEY_NEW", NEW_KEY)
    with pytest.raises(CommandError, match="QINGFENG_LEDGER_KEY_OLD 的密钥与四种形态台账加密所用的密钥不一致"):
        call_command("ledger-rekey")
    monkeypatch.setenv("QINGFENG_LEDGER_KEY_OLD", old)
    out = io.StringIO()
    call_command("ledger-rekey", stdout=out)
    assert "重新加密" in out.getvalue()
    settings.LEDGER_KEY_HEX = NEW_KEY
    opened = ledger.record_open(actor=cast.users["inspector"], record=DisciplineRecord.objects.get(pk=record.pk))
    assert opened.decision == "由纪检组长谈话提醒，限期改正"
    assert AuditEvent.objects.filter(action="ledger.rekey").exists()
    assert LedgerKeyCheck.objects.get(pk=1).rotated_at is not None


def test_a_date_in_the_future_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="日期不能晚于今天"):
        _record(cast, date=timezone.localdate() + dt.timedelta(days=1))
