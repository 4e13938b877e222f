"""The rule registry: a rule from a .docx (a file that is not one refused), a new version (an older one refused),
the diff between versions, the list's filters and the idempotent review reminder."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingfeng.core.errors import UserError
from qingfeng.core.models import Notification
from qingfeng.rules.models import ReviewReminder, Rule
from qingfeng.rules.services import registry
from qingfeng.rules.tests import factories

pytestmark = pytest.mark.django_db


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_rule_is_registered_from_a_docx_and_a_fake_docx_is_refused(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk = login("clerk")
    base = {"title": "财务报销管理办法", "department": cast.departments["财务股"].pk, "effective_date": "2023-05-01"}
    fake = SimpleUploadedFile("办法.docx", b"this is not a word file")
    response = clerk.post(reverse("rules:rule_new"), {**base, "upload": fake})
    assert "不是有效的 Word" in response.content.decode()
    assert not Rule.objects.filter(title="财务报销管理办法").exists()
    upload = SimpleUploadedFile("办法.docx", _docx("第一条 报销须有合法票据。", "第二条 本办法自印发之日起施行。"))
    response = clerk.post(reverse("rules:rule_new"), {**base, "upload": upload})
    rule = Rule.objects.get(title="财务报销管理办法")
    assert response.status_code == 302 and "合法票据" in rule.text
    assert rule.review_date == dt.date(2026, 5, 1) and rule.versions.count() == 1  # three years by default
    assert login("staff").get(reverse("rules:rule_detail", args=[rule.pk])).status_code == 200


def test_a_new_version_becomes_current_and_the_diff_shows_what_changed(cast, login) -> None:  # type: ignore[no-untyped-def]
    rule = factories.rule(cast)
    new_text = factories.TEXT.replace("接待标准按规定执行", "接待标准按县财政局规定执行，严禁超标准接待")
    with pytest.raises(UserError, match="早于现行版本"):
        registry.rule_revise(actor=cast.users["clerk"], rule=rule, text=new_text, effective_date=dt.date(2022, 1, 1))
    with pytest.raises(UserError, match="相同"):
        registry.rule_revise(
            actor=cast.users["clerk"], rule=rule, text=factories.TEXT, effective_date=dt.date(2024, 1, 1)
        )
    registry.rule_revise(
        actor=cast.users["clerk"], rule=rule, text=new_text, effective_date=dt.date(2024, 1, 1), change_note="严格标准"
    )
    rule.refresh_from_db()
    assert (rule.version, rule.status, rule.review_date) == (2, Rule.Status.REVISED, dt.date(2027, 1, 1))
    page = login("staff").get(reverse("rules:rule_diff", args=[rule.pk]) + "?a=1&b=2").content.decode()
    assert "<del>第二条 接待标准按规定执行。</del>" in page and "严禁超标准接待。</ins>" in page
    assert "新增或改写1行" in page


def test_the_list_filters_rules_due_for_review_and_the_reminder_is_sent_once(cast, login) -> None:  # type: ignore[no-untyped-def]
    due = factories.rule(cast, effective_date=dt.date(2021, 1, 10), title="会议管理制度")
    Rule.objects.filter(pk=due.pk).update(department=cast.departments["财务股"])  # the head's department
    factories.rule(cast, effective_date=dt.date.today(), title="车辆管理制度")
    page = login("head").get(reverse("rules:rule_list") + "?due=1").content.decode()
    assert "会议管理制度" in page and "车辆管理制度" not in page
    before = Notification.objects.count()
    assert registry.rules_due(dt.date(2024, 1, 1)) >= 1
    assert ReviewReminder.objects.filter(rule=due, review_date=dt.date(2024, 1, 10)).count() == 1
    sent = Notification.objects.count() - before
    assert sent == 2  # the office (the clerk) and 财务股's head
    assert registry.rules_due(dt.date(2024, 1, 2)) == 0 and Notification.objects.count() - before == sent


def test_the_list_pages_make_the_same_number_of_queries_for_more_rows(cast, login) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk = login("clerk")
    urls = [reverse("rules:rule_list"), reverse("rules:proposal_list"), reverse("rules:decision_list")]

    def counts() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert clerk.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    factories.rule(cast, title="甲制度")
    factories.decision(cast)
    first = counts()
    for i in range(3):
        factories.rule(cast, title=f"乙制度{i}")
        factories.decision(cast)
    assert counts() == first  # no query per row
