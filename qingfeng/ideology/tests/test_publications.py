"""三审三校 through the pages: three different people (the same person approving two levels is refused), the author
never reviews, a return goes back to the author and a resubmission starts a new round, 发布 only after all three 审
and all three 校, and the position's 审核台账 names who approved each level."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.ideology.models import Position, Proof, Publication, Review
from qingfeng.ideology.services import publications
from qingfeng.ideology.tests import factories

pytestmark = pytest.mark.django_db
APPROVE, REJECT = Review.Decision.APPROVE, Review.Decision.REJECT


def _review(client, piece, decision="approve", opinion="同意"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("ideology:publication_review", args=[piece.pk]), {"decision": decision, "opinion": opinion}, follow=True
    )


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def test_a_draft_goes_through_three_reviews_three_proofs_and_is_published(cast, login) -> None:  # type: ignore[no-untyped-def]
    staff, clerk, head, leader = (login(r) for r in ("staff", "clerk", "head", "leader"))
    position = factories.position(cast)
    response = staff.post(
        reverse("ideology:publication_new"), {"position": position.pk, "title": "预算公开", "body": "正文……"}
    )
    piece = Publication.objects.get(title="预算公开")
    assert response.status_code == 302 and piece.status == Publication.Status.FIRST and piece.author.username == "staff"
    assert Notification.objects.filter(recipient=cast.users["clerk"], title__contains="待初审").exists()

    # the page reviews the level the draft waits for: the leader is no one the 初审 allows, the author never reviews
    assert "初审须由阵地主管科室人员或阵地审核人进行" in _messages(_review(leader, piece))
    assert "撰稿人不能审核本人的稿件" in _messages(_review(staff, piece))

    _review(clerk, piece, opinion="同意，请复审")
    piece.refresh_from_db()
    assert piece.status == Publication.Status.SECOND
    # the clerk who did 初审 cannot 复审 (no head role: 403), the head can
    assert (
        clerk.post(
            reverse("ideology:publication_review", args=[piece.pk]), {"decision": "approve", "opinion": "x"}
        ).status_code
        == 403
    )
    _review(head, piece, opinion="数据已核对")
    piece.refresh_from_db()
    assert piece.status == Publication.Status.FINAL
    # staff cannot 终审 (no ideology.approve): the audited 403 page
    assert (
        staff.post(
            reverse("ideology:publication_review", args=[piece.pk]), {"decision": "approve", "opinion": "x"}
        ).status_code
        == 403
    )

    # not yet publishable
    response = staff.post(reverse("ideology:publication_publish", args=[piece.pk]), {}, follow=True)
    assert "稿件尚未完成三审（当前：待终审）" in _messages(response)
    _review(leader, piece, opinion="同意发布")
    piece.refresh_from_db()
    assert piece.status == Publication.Status.APPROVED
    staff.post(reverse("ideology:publication_proof", args=[piece.pk]), {"kind": "text", "note": "改错字1处"})
    response = staff.post(reverse("ideology:publication_publish", args=[piece.pk]), {}, follow=True)
    assert "尚未完成三校：缺政治校对、事实校对" in _messages(response)
    response = clerk.post(
        reverse("ideology:publication_proof", args=[piece.pk]), {"kind": "text", "note": "再校"}, follow=True
    )
    assert "本轮文字校对已由" in _messages(response)
    clerk.post(reverse("ideology:publication_proof", args=[piece.pk]), {"kind": "political", "note": "无政治性差错"})
    head.post(reverse("ideology:publication_proof", args=[piece.pk]), {"kind": "fact", "note": "金额一致"})
    response = staff.post(
        reverse("ideology:publication_publish", args=[piece.pk]), {"link": "http://x/1.html"}, follow=True
    )
    piece.refresh_from_db()
    assert piece.status == Publication.Status.PUBLISHED and piece.published_by == cast.users["staff"], _messages(
        response
    )
    assert AuditEvent.objects.filter(action="ideology_publication.publish", object_id=str(piece.pk)).exists()

    # the position's 审核台账: the piece with who approved each level and who proofread it
    page = clerk.get(reverse("ideology:position_detail", args=[position.pk]))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [p.pk for p, _, _ in rows] == [piece.pk]
    _, approvals, proofs = rows[0]
    names = {lv: r.reviewer.username for lv, r in approvals.items()}
    assert names == {1: "clerk", 2: "head", 3: "leader"}
    assert set(proofs) == {"text", "political", "fact"}
    assert "陈文斌" in page.content.decode() and "李志强" in page.content.decode()


def test_the_same_person_cannot_approve_two_levels(cast) -> None:  # type: ignore[no-untyped-def]
    head = cast.users["head"]  # 陈文斌, of 财务股: may 初审 (the department) and 复审 (its head), not both
    piece = factories.draft(cast)
    publications.publication_review(actor=head, publication=piece, level=1, decision=APPROVE, opinion="同意")
    with pytest.raises(UserError, match=r"同一人不能审核两个层级：您已于.*完成本稿件的初审，复审须由另一人进行"):
        publications.publication_review(actor=head, publication=piece, level=2, decision=APPROVE, opinion="同意")
    piece.refresh_from_db()
    assert piece.status == Publication.Status.SECOND and piece.reviews.count() == 1  # nothing half-written


def test_a_return_goes_back_to_the_author_and_a_resubmission_starts_a_new_round(cast, login) -> None:  # type: ignore[no-untyped-def]
    piece = factories.draft(cast)
    clerk, head, staff = cast.users["clerk"], cast.users["head"], cast.users["staff"]
    publications.publication_review(actor=clerk, publication=piece, level=1, decision=APPROVE, opinion="同意")
    publications.publication_proof(actor=clerk, publication=piece, kind=Proof.Kind.TEXT, note="已校")
    with pytest.raises(UserError, match="请填写复审意见"):
        publications.publication_review(actor=head, publication=piece, level=2, decision=REJECT, opinion=" ")
    publications.publication_review(actor=head, publication=piece, level=2, decision=REJECT, opinion="数据有误")
    piece.refresh_from_db()
    assert piece.status == Publication.Status.RETURNED
    assert Notification.objects.filter(recipient=staff, title__contains="稿件退回修改").exists()
    with pytest.raises(UserError, match="只有撰稿人可以修改退回的稿件"):
        publications.publication_resubmit(actor=clerk, publication=piece, title="x", body="y")

    response = login("staff").post(
        reverse("ideology:publication_resubmit", args=[piece.pk]),
        {"title": "预算公开（修改稿）", "body": "改正后的正文"},
    )
    piece.refresh_from_db()
    assert response.status_code == 302 and piece.round == 2 and piece.status == Publication.Status.FIRST
    # the first round's 初审 and 文字校对 do not count for the second
    assert publications.missing_proofs(piece) == ["文字校对", "政治校对", "事实校对"]
    publications.publication_review(actor=clerk, publication=piece, level=1, decision=APPROVE, opinion="同意")
    assert piece.reviews.count() == 3


def test_a_position_not_running_takes_no_draft(cast) -> None:  # type: ignore[no-untyped-def]
    position = factories.position(cast, status=Position.Status.SUSPENDED)
    with pytest.raises(UserError, match="暂停更新，不能送审新稿件"):
        factories.draft(cast, on=position)


def test_publication_list_queries_are_fixed_and_filters_apply(cast, login, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    position = factories.position(cast)
    for i in range(5):
        factories.draft(cast, on=position, title=f"稿件{i}")
    client = login("head")
    client.get(reverse("ideology:publication_list"))
    # session, user, role assignments, the head's person (visibility); the count; the shell's unread notices and
    # unit; the positions of the filter; the page (with its position, department and author joined)
    with django_assert_num_queries(9):
        response = client.get(reverse("ideology:publication_list"), {"status": "first", "position": position.pk})
    assert len(response.context["page_obj"]) == 5
    assert not client.get(
        reverse("ideology:publication_list"), {"status": "published", "position": position.pk}
    ).context["page_obj"]
