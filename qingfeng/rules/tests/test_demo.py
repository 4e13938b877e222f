"""The demo's 制度建设: a revised rule with two versions, one due for review, a proposal in 征求意见 and a decision the
checker flags (the secretary spoke first)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingfeng.rules import demo
from qingfeng.rules.models import Decision, Proposal, Rule

pytestmark = pytest.mark.django_db


def test_the_demo_extends_once_with_a_flagged_decision(cast, login) -> None:  # type: ignore[no-untyped-def]
    assert not demo.exists(cast)
    demo.extend(cast)
    assert demo.exists(cast)
    assert Rule.objects.get(unit=cast.bureau, title=demo.RECEPTION).versions.count() == 2
    assert Proposal.objects.filter(unit=cast.bureau, stage=Proposal.Stage.DRAFTED).count() == 1
    flagged = Decision.objects.filter(unit=cast.bureau, problem_count__gt=0).exclude(title__startswith="矩阵测试")
    assert [d.title for d in flagged] == ["办公楼维修改造项目"]
    assert Decision.objects.get(title="老旧小区改造配套资金拨付").problems == []
    page = login("secretary").get(reverse("rules:rule_list") + "?due=1").content.decode()
    assert "会议管理制度" in page and "印章管理办法" not in page
