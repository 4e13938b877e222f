"""废改立: the steps in order (a step too early refused in Chinese), the drafting deadline as a supervision task,
征求意见 comments, the 党组's approval by the secretary only, publication; a rectification finding's proposal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qingfeng.core.errors import UserError
from qingfeng.rules.models import Proposal, Rule
from qingfeng.rules.selectors import revisions_for_finding
from qingfeng.rules.services import proposals
from qingfeng.rules.tests import factories
from qingfeng.supervision.models import Task

pytestmark = pytest.mark.django_db


def test_a_revision_runs_its_steps_in_order_and_publishes_a_new_version(cast, login) -> None:  # type: ignore[no-untyped-def]
    rule = factories.rule(cast)
    clerk = login("clerk")
    deadline = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    response = clerk.post(
        reverse("rules:proposal_new"),
        {
            "kind": "revise",
            "rule": rule.pk,
            "reason": "落实八项规定",
            "department": rule.department_id,
            "draft_deadline": deadline,
        },
    )
    proposal = Proposal.objects.get(rule=rule)
    assert response.status_code == 302 and proposal.task.source == Task.Source.MODULE
    assert proposal.task.deadline.isoformat() == deadline and proposal.title == rule.title
    step = reverse("rules:proposal_step", args=[proposal.pk])
    response = clerk.post(step, {"step": "consulted"}, follow=True)
    assert "请先完成“起草”环节" in response.content.decode()
    assert login("staff").post(step, {"step": "drafted", "text": "x"}).status_code == 403
    clerk.post(step, {"step": "drafted", "text": factories.TEXT + "\n第四条 严禁超标准接待。"})
    proposal.refresh_from_db()
    assert proposal.stage == Proposal.Stage.DRAFTED
    login("staff").post(reverse("rules:proposal_comment", args=[proposal.pk]), {"text": "建议明确陪餐人数"})
    assert proposal.comments.get().text == "建议明确陪餐人数"
    clerk.post(step, {"step": "consulted"})
    with pytest.raises(PermissionDenied):  # only the secretary records the 党组's approval
        proposals.proposal_approve(actor=cast.users["clerk"], proposal=proposal, day=dt.date.today())
    login("secretary").post(step, {"step": "approved", "date": dt.date.today().isoformat()})
    clerk.post(step, {"step": "published", "date": dt.date.today().isoformat(), "number": "清住建〔2024〕2号"})
    proposal.refresh_from_db()
    rule.refresh_from_db()
    assert proposal.stage == Proposal.Stage.PUBLISHED
    assert rule.version == 2 and "第四条" in rule.text and rule.number == "清住建〔2024〕2号"
    assert [s.stage for s in proposal.steps.all()] == ["proposed", "drafted", "consulted", "approved", "published"]


def test_a_repeal_from_a_finding_is_linked_both_ways(cast) -> None:  # type: ignore[no-untyped-def]
    from qingfeng.rectification.models import Finding

    rule = factories.rule(cast)
    finding = Finding.objects.filter(unit=cast.bureau).first()
    if finding is None:
        pytest.skip("the demo bureau has no finding")
    clerk, secretary = cast.users["clerk"], cast.users["secretary"]
    proposal = proposals.proposal_create(
        actor=clerk,
        unit=cast.bureau,
        kind="repeal",
        rule=rule,
        reason="巡察指出该办法与上位法冲突",
        department=rule.department,
        draft_deadline=dt.date.today(),
        finding=finding,
    )
    assert list(revisions_for_finding(finding)) == [proposal]
    with pytest.raises(UserError, match="尚无征求意见记录"):
        proposals.proposal_draft(actor=clerk, proposal=proposal, text="该办法废止")
        proposals.proposal_close_consultation(actor=clerk, proposal=proposal)
    proposals.proposal_comment(actor=secretary, proposal=proposal, text="同意废止")
    proposals.proposal_close_consultation(actor=clerk, proposal=proposal)
    proposals.proposal_approve(actor=secretary, proposal=proposal, day=dt.date.today())
    proposals.proposal_publish(actor=clerk, proposal=proposal, effective_date=dt.date.today())
    rule.refresh_from_db()
    assert rule.status == Rule.Status.REPEALED and rule.review_date is None
    with pytest.raises(UserError, match="已废止"):
        proposals.proposal_create(
            actor=clerk,
            unit=cast.bureau,
            kind="revise",
            rule=rule,
            reason="x",
            department=rule.department,
            draft_deadline=dt.date.today(),
        )
