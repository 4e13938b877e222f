"""回应口径 (issue 8): drafted, approved by the responsible leader (not the drafter; staff may not approve at all),
only then released; the approved text is a snapshot that later edits of the draft do not change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingfeng.core.errors import UserError
from qingfeng.core.models import Notification
from qingfeng.opinion.models import ResponseStatement
from qingfeng.opinion.services import statements
from qingfeng.opinion.tests.factories import incident

pytestmark = pytest.mark.django_db
FIRST = "我局已关注到网民反映的情况，已成立工作组赴现场核查，将及时公布处理结果。"
SECOND = "经核查，该小区3栋顶层存在渗漏，开发商已于今日开始维修。"


def test_a_statement_is_approved_by_the_leader_then_released_as_approved(cast, login) -> None:  # type: ignore[no-untyped-def]
    i = incident(cast)
    staff, leader, secretary = login("staff"), login("leader"), login("secretary")
    response = staff.post(reverse("opinion:statement_new", args=[i.pk]), {"title": "首次回应", "text": FIRST})
    assert response.status_code == 302
    s = ResponseStatement.objects.get(incident=i)
    assert s.status == ResponseStatement.Status.DRAFT
    assert Notification.objects.filter(recipient=cast.users["leader"], title__startswith="回应口径待审批").exists()
    # released before approval: refused; staff may not approve (403)
    staff.post(reverse("opinion:statement_release", args=[s.pk]), {"channel": "官方微博"})
    s.refresh_from_db()
    assert s.status == ResponseStatement.Status.DRAFT
    assert staff.post(reverse("opinion:statement_approve", args=[s.pk])).status_code == 403
    # the responsible leader approves: the text is stored as approved
    assert leader.post(reverse("opinion:statement_approve", args=[s.pk])).status_code == 302
    s.refresh_from_db()
    assert (s.status, s.approved_text, s.approved_by) == ("approved", FIRST, cast.users["leader"])
    # the draft edited afterwards: the approved text stays, and that is what is released
    staff.post(reverse("opinion:statement_edit", args=[s.pk]), {"text": SECOND})
    s.refresh_from_db()
    assert (s.text, s.approved_text, s.draft_changed) == (SECOND, FIRST, True)
    page = secretary.get(reverse("opinion:incident_detail", args=[i.pk])).content.decode()
    assert "草稿在审批后有修改" in page and FIRST in page
    staff.post(reverse("opinion:statement_release", args=[s.pk]), {"channel": "官方微博"})
    s.refresh_from_db()
    assert (s.status, s.approved_text, s.channel) == ("released", FIRST, "官方微博")
    with pytest.raises(UserError, match="已发布"):
        statements.statement_update(actor=cast.users["staff"], statement=s, text="再改")


def test_the_drafter_and_a_leader_not_responsible_cannot_approve(cast) -> None:  # type: ignore[no-untyped-def]
    i = incident(cast)  # 财务股: 李志强 (leader) is responsible
    own = statements.statement_draft(actor=cast.users["leader"], incident=i, title="", text=FIRST)
    with pytest.raises(UserError, match="起草人不能审批"):
        statements.statement_approve(actor=cast.users["leader"], statement=own)
    # the secretary may approve any incident's 口径 of the unit
    assert statements.statement_approve(actor=cast.users["secretary"], statement=own).approved_text == FIRST
    with pytest.raises(UserError, match="无须再次审批"):
        statements.statement_approve(actor=cast.users["secretary"], statement=own)
    other = incident(cast, department="城建股", title="城建股的舆情")  # 赵春生's, not the demo leader's
    draft = statements.statement_draft(actor=cast.users["staff"], incident=other, title="", text=SECOND)
    with pytest.raises(UserError, match="须由负责领导赵春生或党组书记审批"):
        statements.statement_approve(actor=cast.users["leader"], statement=draft)
