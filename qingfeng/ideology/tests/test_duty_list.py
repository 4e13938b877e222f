"""The year's 意识形态工作责任清单 is a responsibility list of its own kind: made, copied from last year, published
(its items become 督办事项) by the responsibility app, and linked from the ideology dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from qingfeng.responsibility.models import ResponsibilityList
from qingfeng.responsibility.services import lists

pytestmark = pytest.mark.django_db
IDEOLOGY = ResponsibilityList.Kind.IDEOLOGY


def test_the_ideology_duty_list_is_copied_published_and_linked(cast, login) -> None:  # type: ignore[no-untyped-def]
    clerk, year = cast.users["clerk"], timezone.localdate().year
    last = lists.list_create(actor=clerk, unit=cast.bureau, year=year - 1, kind=IDEOLOGY)
    lists.item_add(
        actor=clerk,
        rlist=last,
        data=lists.ItemData(
            content="每半年开展一次意识形态形势分析研判",
            owner_person=cast.users["secretary"].person,
            frequency="halfyearly",
        ),
    )
    copied = lists.lists_copy_year(actor=clerk, unit=cast.bureau, year=year).lists
    assert [(x.kind, x.title) for x in copied] == [(IDEOLOGY, f"{year}年度意识形态工作责任清单")]
    assert lists.list_publish(actor=clerk, rlist=copied[0]) == 1
    item = copied[0].items.select_related("task").get()
    assert (
        item.task.title.startswith("【意识形态工作责任清单】")
        and item.task.lead_leader == cast.users["secretary"].person
    )

    page = login("staff").get(reverse("ideology:dashboard"))
    assert [x.pk for x in page.context["d"].duty_lists] == [copied[0].pk]
    assert reverse("responsibility:list_detail", args=[copied[0].pk]) in page.content.decode()
