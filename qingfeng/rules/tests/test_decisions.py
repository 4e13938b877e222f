"""三重一大: the procedure checker (the secretary speaking first, a recused member stating an opinion, quorum, no
调研论证, a large sum outside a 党组会议), an opinion by someone not at the meeting refused, the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from qingfeng.core.errors import UserError
from qingfeng.rules.models import Decision
from qingfeng.rules.services import decisions
from qingfeng.rules.tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_the_clerk_records_a_decision_where_the_secretary_spoke_first_and_sees_it_flagged(cast, login) -> None:  # type: ignore[no-untyped-def]
    secretary, leader, inspector = factories.team(cast)
    clerk = login("clerk")
    clerk.post(reverse("rules:decision_new"), {"kind": "project", "title": "老旧小区改造项目", "proposal": "实施改造"})
    decision = Decision.objects.get(title="老旧小区改造项目")
    clerk.post(
        reverse("rules:decision_prepare", args=[decision.pk]), {"kind": "research", "date": TODAY, "note": "实地调研"}
    )
    meeting = {"meeting_kind": "party", "meeting_date": TODAY, "host": secretary.pk}
    clerk.post(
        reverse("rules:decision_meeting", args=[decision.pk]),
        {**meeting, "present": [p.pk for p in factories.team(cast)]},
    )
    for person in (secretary, leader, inspector):
        clerk.post(reverse("rules:decision_opinion", args=[decision.pk]), {"person": person.pk, "stance": "agree"})
    clerk.post(reverse("rules:decision_conclude", args=[decision.pk]), {"result": "passed", "text": "同意实施"})
    decision.refresh_from_db()
    assert decision.problems == [f"主持人{secretary.name}未末位表态（第1个发言，共3人）"]
    page = login("inspector").get(reverse("rules:problem_list")).content.decode()
    assert "老旧小区改造项目" in page and "未末位表态" in page
    assert login("staff").get(reverse("rules:decision_detail", args=[decision.pk])).status_code == 404


def test_the_checker_flags_quorum_a_recused_voter_and_missing_preparation(cast) -> None:  # type: ignore[no-untyped-def]
    secretary, leader, inspector = factories.team(cast)
    clerk = cast.users["clerk"]
    decision = factories.decision(cast, kind=Decision.Kind.CADRE)
    decisions.decision_meeting(
        actor=clerk,
        decision=decision,
        meeting_kind="party",
        meeting_date=TODAY,
        present=[secretary, leader],
        recused=[leader],
        host=secretary,
    )
    decisions.decision_opinion(actor=clerk, decision=decision, person=leader, stance="agree")
    decisions.decision_opinion(actor=clerk, decision=decision, person=secretary, stance="agree")
    with pytest.raises(UserError, match="未到会，不能表态"):
        decisions.decision_opinion(actor=clerk, decision=decision, person=inspector, stance="agree")
    decision.refresh_from_db()
    assert "未开展调研论证" in decision.problems and "重要干部任免未征求意见" in decision.problems
    assert "到会1人（不含回避），未达到应到3人的三分之二（干部任免）" in decision.problems
    assert f"回避人员{leader.name}参与了表态" in decision.problems


@override_settings(RULES_LARGE_AMOUNT_WAN=50)
def test_a_large_sum_outside_a_party_meeting_is_flagged(cast) -> None:  # type: ignore[no-untyped-def]
    decision = factories.decision(cast, kind=Decision.Kind.FUNDS, amount=Decimal("120"))
    with pytest.raises(UserError, match="须填写涉及金额"):
        factories.decision(cast, kind=Decision.Kind.FUNDS)
    decisions.decision_meeting(
        actor=cast.users["clerk"],
        decision=decision,
        meeting_kind="office",
        meeting_date=TODAY,
        present=factories.team(cast),
    )
    decision.refresh_from_db()
    assert any("大额资金（120.00万元，标准50万元）未经党组会议集体决策" in p for p in decision.problems)
