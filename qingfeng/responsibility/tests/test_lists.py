"""责任清单: items need an owner; publishing assigns tasks (限期, 周期性, 长期) and the list shows their 落实情况; last
year's lists are copied as drafts; who may write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.responsibility import selectors
from qingfeng.responsibility.models import ResponsibilityItem, ResponsibilityList
from qingfeng.responsibility.services import lists
from qingfeng.responsibility.services.lists import ItemData, first_deadline
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.services.progress import task_report_progress
from qingfeng.supervision.services.tasks import task_approve, task_sign_for, task_submit

TODAY = timezone.localdate()
YEAR = TODAY.year + 2  # the matrix objects hold this year's 党组主体责任清单: the tests write lists of later years


def make_list(cast, *, year: int = YEAR, kind: str = "party_group") -> ResponsibilityList:  # type: ignore[no-untyped-def]
    return lists.list_create(actor=cast.users["clerk"], unit=cast.bureau, year=year, kind=kind)


def add(cast, rlist, content: str, **kwargs) -> ResponsibilityItem:  # type: ignore[no-untyped-def]
    return lists.item_add(actor=cast.users["clerk"], rlist=rlist, data=ItemData(content=content, **kwargs))


def test_an_item_without_an_owner_is_refused_with_a_chinese_message(cast, login) -> None:
    rlist = make_list(cast)
    with pytest.raises(UserError, match="没有责任主体"):
        add(cast, rlist, "严格落实中央八项规定精神")
    response = login("clerk").post(f"/responsibility/lists/{rlist.pk}/items/", {"content": "无主体的事项"})
    assert response.status_code == 302
    assert any("没有责任主体" in str(m) for m in get_messages(response.wsgi_request))
    assert not rlist.items.exists()


def test_publishing_assigns_each_timed_item_and_the_page_shows_its_progress(
    cast, login, django_assert_max_num_queries
) -> None:
    finance, leader = cast.departments["财务股"], cast.users["leader"].person
    rlist = make_list(cast)
    limited = add(cast, rlist, "开展公务接待专项检查", owner_department=finance, deadline=TODAY + dt.timedelta(days=20))
    quarterly = add(cast, rlist, "专题研究党风廉政建设", owner_person=leader, frequency="quarterly")
    long_term = add(cast, rlist, "深化廉政风险防控", owner_department=finance, frequency="long_term")
    untimed = add(cast, rlist, "落实一岗双责", owner_person=leader)
    assert not Task.objects.filter(source_ref__startswith=rlist.title).exists()  # a draft assigns nothing

    assert lists.list_publish(actor=cast.users["clerk"], rlist=rlist) == 3
    for item in (limited, quarterly, long_term, untimed):
        item.refresh_from_db()
    assert (limited.task.kind, limited.task.deadline, limited.task.lead_leader) == ("limited", limited.deadline, leader)
    assert TaskPart.objects.get(task=limited.task, role="lead").department == finance
    assert (quarterly.task.kind, quarterly.task.recurrence) == ("recurring", "quarterly")
    assert quarterly.task.deadline == first_deadline("quarterly", YEAR, TODAY)
    assert quarterly.task.recurs_until == dt.date(YEAR, 12, 31)  # the list binds for its year
    assert (long_term.task.kind, long_term.task.deadline) == ("long_term", None)
    assert untimed.task is None
    with pytest.raises(UserError, match="已发布"):
        lists.item_update(actor=cast.users["clerk"], item=limited, data=ItemData(content="改", owner_person=leader))

    # 财务股 signs and finishes the limited item; the page reads 落实情况 from the tasks.
    head = cast.users["head"]
    task_sign_for(actor=head, part=TaskPart.objects.get(task=limited.task, role="lead"))
    task_report_progress(actor=head, part=TaskPart.objects.get(task=limited.task), percent=100, text="检查完成")
    task_submit(actor=head, task=limited.task)
    task_approve(actor=cast.users["clerk"], task=Task.objects.get(pk=limited.task_id), rating=Task.Rating.GOOD)
    Task.objects.filter(pk=long_term.task_id).update(deadline=None)
    client = login("staff")  # everyone of the unit reads the published lists
    # At most 15, however many items: session, user, role grants, the list, its items with their tasks, the tasks'
    # parts, the recurring-chain lookup, the holiday calendar (三色预警, cached once loaded), and the base page's own
    # (notifications, units, session)
    with django_assert_max_num_queries(15):
        page = client.get(f"/responsibility/lists/{rlist.pk}/").content.decode()
    assert "已完成" in page and "未开始" in page and limited.task.number in page
    figures = selectors.list_figures([rlist])[0].figures
    assert (figures.total, figures.done, figures.open) == (4, 1, 2)


def test_a_recurring_item_shows_its_current_occurrence(cast) -> None:
    rlist = make_list(cast)
    item = add(
        cast, rlist, "每月报送廉政风险排查情况", owner_department=cast.departments["财务股"], frequency="monthly"
    )
    lists.list_publish(actor=cast.users["clerk"], rlist=rlist)
    item.refresh_from_db()
    head = cast.users["head"]
    task_sign_for(actor=head, part=TaskPart.objects.get(task=item.task, role="lead"))
    task_submit(actor=head, task=item.task)
    task_approve(actor=cast.users["clerk"], task=Task.objects.get(pk=item.task_id), rating=Task.Rating.GOOD)
    (shown,) = selectors.list_items(rlist)
    assert shown.progress.task.pk != item.task_id and shown.progress.label == selectors.NOT_STARTED
    assert shown.progress.task.source_ref == item.task.number


def test_a_past_deadline_stops_the_whole_list_from_publishing(cast) -> None:
    rlist = make_list(cast)
    add(cast, rlist, "按期事项", owner_department=cast.departments["财务股"], deadline=TODAY + dt.timedelta(days=9))
    add(cast, rlist, "过期事项", owner_department=cast.departments["财务股"], deadline=TODAY - dt.timedelta(days=1))
    with pytest.raises(UserError, match="第2项"):
        lists.list_publish(actor=cast.users["clerk"], rlist=rlist)
    rlist.refresh_from_db()
    assert rlist.status == "draft" and not rlist.items.filter(task__isnull=False).exists()


def test_copying_last_years_lists_makes_drafts_a_year_on_without_tasks(cast, login) -> None:
    last = make_list(cast, year=YEAR - 1)
    add(cast, last, "年度检查", owner_department=cast.departments["财务股"], deadline=dt.date(YEAR - 1, 2, 28))
    lists.list_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        year=YEAR - 1,
        kind="leader",
        leader=cast.users["leader"].person,
    )
    make_list(cast, kind="secretary")  # this year's already exists: skipped, and said so
    make_list(cast, year=YEAR - 1, kind="secretary")
    response = login("clerk").post("/responsibility/lists/copy/", {"year": YEAR})
    assert response.status_code == 302
    copies = ResponsibilityList.objects.filter(unit=cast.bureau, year=YEAR, copied_from__isnull=False)
    assert sorted(c.kind for c in copies) == ["leader", "party_group"]
    copy = copies.get(kind="party_group")
    (item,) = copy.items.all()
    assert (copy.status, item.deadline, item.task) == ("draft", dt.date(YEAR, 2, 28), None)
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("已存在" in n for n in notes)


def test_a_head_cannot_write_lists_and_the_inspector_writes_only_the_supervision_list(cast, login) -> None:
    rlist = make_list(cast)
    assert login("head").post(f"/responsibility/lists/{rlist.pk}/items/", {"content": "x"}).status_code == 403
    assert login("inspector").post(f"/responsibility/lists/{rlist.pk}/publish/").status_code == 403
    mine = lists.list_create(actor=cast.users["inspector"], unit=cast.bureau, year=YEAR, kind="supervision")
    inspector = cast.users["inspector"].person
    lists.item_add(actor=cast.users["inspector"], rlist=mine, data=ItemData(content="日常监督", owner_person=inspector))
    assert mine.items.count() == 1
    # drafts are the office's and the inspector's; a staff member sees only published lists
    assert login("staff").get(f"/responsibility/lists/{rlist.pk}/").status_code == 404
    assert login("auditor").get("/responsibility/").status_code == 403


def test_a_leaders_list_covers_only_the_departments_they_supervise(cast) -> None:
    leader = cast.users["leader"].person  # 李志强 supervises 财务股 and 计划项目股
    rlist = lists.list_create(actor=cast.users["clerk"], unit=cast.bureau, year=YEAR, kind="leader", leader=leader)
    add(cast, rlist, "抓好财务股廉政风险防控", owner_department=cast.departments["财务股"], frequency="halfyearly")
    with pytest.raises(UserError, match="不是李志强的分管科室"):
        add(cast, rlist, "抓好人事股廉政风险防控", owner_department=cast.departments["人事股"])
    lists.list_publish(actor=cast.users["clerk"], rlist=rlist)
    (item,) = rlist.items.select_related("task")
    assert (item.task.lead_leader, item.task.recurrence) == (leader, "halfyearly")
    assert item.task.deadline == first_deadline("halfyearly", YEAR, TODAY) == dt.date(YEAR, 6, 30)
