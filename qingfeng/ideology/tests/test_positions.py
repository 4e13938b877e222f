"""阵地管理: the register kept by the office (Chinese refusals, nothing half-written), its filters, correcting a
position and deleting one with a reason; who sees which positions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qingfeng.core.models import AuditEvent
from qingfeng.ideology.models import Position
from qingfeng.ideology.tests import factories

pytestmark = pytest.mark.django_db


def test_the_office_registers_corrects_and_deletes_a_position(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk = login("clerk")
    finance, office = cast.departments["财务股"], cast.departments["办公室"]
    staff, head = cast.users["staff"].person, cast.users["head"].person
    form = {
        "name": "“清河住建”微信公众号",
        "kind": "wechat",
        "department": finance.pk,
        "responsible_person": cast.users["clerk"].person.pk,  # 办公室: not of the department
        "reviewer": head.pk,
        "status": "active",
    }
    response = clerk.post(reverse("ideology:position_new"), form)
    assert response.status_code == 200 and not Position.objects.filter(kind="wechat").exists()
    assert "责任人“刘海燕”不在主管科室“财务股”" in response.content.decode()

    response = clerk.post(reverse("ideology:position_new"), {**form, "responsible_person": staff.pk})
    position = Position.objects.get(kind="wechat")
    assert response.status_code == 302 and position.reviewer == head and position.unit == cast.bureau
    again = clerk.post(reverse("ideology:position_new"), {**form, "responsible_person": staff.pk})
    assert again.status_code == 200 and "已登记同名的微信公众号：“清河住建”微信公众号" in again.content.decode()

    url = reverse("ideology:position_edit", args=[position.pk])
    response = clerk.post(
        url, {**form, "responsible_person": staff.pk, "status": "suspended", "department": finance.pk}
    )
    position.refresh_from_db()
    assert response.status_code == 302 and position.status == Position.Status.SUSPENDED
    assert AuditEvent.objects.filter(action="ideology_position.update", object_id=str(position.pk)).exists()

    # the list filters by kind, status and department
    listing = clerk.get(reverse("ideology:position_list"), {"status": "suspended", "department": finance.pk})
    assert [p.pk for p in listing.context["page_obj"]] == [position.pk]
    assert not list(clerk.get(reverse("ideology:position_list"), {"department": office.pk}).context["page_obj"])
    assert not list(clerk.get(reverse("ideology:position_list"), {"kind": "weibo"}).context["page_obj"])

    # a deletion needs a reason; then the position leaves the register, kept on record
    response = clerk.post(reverse("ideology:position_delete", args=[position.pk]), {"reason": ""}, follow=True)
    assert "删除原因" in " ".join(str(m) for m in response.context["messages"])
    assert Position.objects.filter(pk=position.pk).exists()
    clerk.post(reverse("ideology:position_delete", args=[position.pk]), {"reason": "误登记"})
    assert not Position.objects.filter(pk=position.pk).exists() and Position.all_objects.filter(pk=position.pk).exists()
    event = AuditEvent.objects.get(action="ideology_position.delete", object_id=str(position.pk))
    assert event.changes["reason"] == "误登记"


def test_who_sees_a_position(cast, login) -> None:  # type: ignore[no-untyped-def]
    """财务股's column: the whole-unit roles, the 分管 leader, the department's head and staff, the superior; not
    the sibling bureau's head, nor the 三员; a staff member of another department does not see it either."""
    position = factories.position(cast)
    url = reverse("ideology:position_detail", args=[position.pk])
    for role in ("secretary", "clerk", "inspector", "leader", "head", "staff", "superior"):
        assert login(role).get(url).status_code == 200, role
    assert login("outsider").get(url).status_code == 404
    assert login("auditor").get(url).status_code == 403
    other = factories.position(
        cast,
        name="建筑市场信息",
        department=cast.departments["建筑管理股"],
        responsible_person=cast.departments["建筑管理股"].people.first(),
        reviewer=cast.users["secretary"].person,
    )
    assert login("staff").get(reverse("ideology:position_detail", args=[other.pk])).status_code == 404
    seen = [p.pk for p in login("head").get(reverse("ideology:position_list")).context["page_obj"]]
    assert position.pk in seen and other.pk not in seen
