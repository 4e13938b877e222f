"""两个责任看板 and 以身作则: who opens them, what each sees (overdue items first, the 四种形态 only to those allowed),
the superior's rows per unit with ?unit=, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingfeng.integrity.services import ledger
from qingfeng.integrity.tests.test_ledger import _data
from qingfeng.integrity.tests.test_risks import _point
from qingfeng.responsibility.models import ResponsibilityItem, ResponsibilityList
from qingfeng.responsibility.services import lists, talks
from qingfeng.responsibility.services.lists import ItemData
from qingfeng.supervision.models import Task

TODAY = timezone.localdate()
URL = "/responsibility/dashboard/"


def _secretary_list(cast, *, overdue: int = 1, on_time: int = 1) -> ResponsibilityList:  # type: ignore[no-untyped-def]
    """This year's 书记第一责任人清单 (the matrix holds the 党组主体责任清单), published; `overdue` of its items are
    set back past their deadline."""
    clerk, finance = cast.users["clerk"], cast.departments["财务股"]
    rlist = ResponsibilityList.objects.filter(unit=cast.bureau, year=TODAY.year, kind="secretary").first()
    if rlist is None:
        rlist = lists.list_create(actor=clerk, unit=cast.bureau, year=TODAY.year, kind="secretary")
    for i in range(overdue + on_time):
        lists.item_add(
            actor=clerk,
            rlist=rlist,
            data=ItemData(
                content=f"{'逾期' if i < overdue else '按期'}事项{rlist.items.count() + 1}",
                owner_department=finance,
                deadline=TODAY + dt.timedelta(days=10),
            ),
        )
    if rlist.status == ResponsibilityList.Status.DRAFT:
        lists.list_publish(actor=clerk, rlist=rlist)
    late = ResponsibilityItem.objects.filter(rlist=rlist, content__startswith="逾期").values("task")
    Task.objects.filter(pk__in=late).update(deadline=TODAY - dt.timedelta(days=3))
    return rlist


def _forms_total(html: str) -> int:
    return int(re.search(r'id="forms-total">(\d+) 人次', html).group(1))  # type: ignore[union-attr]


def _more_records(cast, n: int) -> None:  # type: ignore[no-untyped-def]
    leader, head = cast.users["leader"].person, cast.users["head"].person
    for i in range(n):
        _point(cast, name=f"看板测试风险点{i}")
        ledger.record_create(actor=cast.users["inspector"], unit=cast.bureau, data=_data(cast.users["staff"].person))
        talks.talk_create(
            actor=cast.users["leader"],
            unit=cast.bureau,
            kind="heart",
            talker=leader,
            talkee=head,
            date=TODAY,
            place="会议室",
            summary=f"看板测试谈话{i}",
        )


def test_the_secretary_sees_overdue_items_first_and_the_forms(cast, login) -> None:
    _secretary_list(cast)
    _point(cast, name="看板测试高风险点", level="high")
    before = _forms_total(login("secretary").get(URL).content.decode())
    ledger.record_create(actor=cast.users["inspector"], unit=cast.bureau, data=_data(cast.users["staff"].person))
    response = login("secretary").get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert html.index('id="overdue"') < html.index('id="lists"')  # overdue items come first
    overdue = html[html.index('id="overdue"') : html.index('id="lists"')]
    assert "逾期事项1" in overdue and "按期事项" not in overdue
    assert f"{TODAY.year}年度书记第一责任人清单" in html and "逾期" in html
    assert 'id="heat-data"' in html and "计划项目股" in html
    assert "运用监督执纪“四种形态”情况" in html and _forms_total(html) == before + 1
    assert f"/responsibility/leaders/{cast.users['leader'].person.pk}/" in html  # each 班子成员's 以身作则 page
    assert "/responsibility/talks/compliance/" in html


def test_the_office_and_a_leader_see_no_forms_heads_and_the_three_admins_get_403(cast, login) -> None:
    ledger.record_create(actor=cast.users["inspector"], unit=cast.bureau, data=_data(cast.users["staff"].person))
    for role in ("clerk", "leader"):
        html = login(role).get(URL).content.decode()
        assert "两个责任看板" in html and "四种形态" not in html and "forms-data" not in html
    for role in ("head", "staff", "sysadmin", "secadmin", "auditor"):
        assert login(role).get(URL).status_code == 403


def test_the_superior_sees_one_row_per_unit_and_opens_a_unit_in_scope_only(cast, login) -> None:
    _secretary_list(cast, overdue=1, on_time=0)
    client = login("superior")
    html = client.get(URL).content.decode()
    assert "各单位情况" in html and f"?unit={cast.bureau.pk}&amp;year={TODAY.year}" in html
    assert cast.far_bureau.name not in html
    drilled = client.get(URL, {"unit": cast.bureau.pk})
    assert drilled.status_code == 200 and "逾期事项1" in drilled.content.decode()
    assert "全部单位" in drilled.content.decode()
    assert client.get(URL, {"unit": cast.far_bureau.pk}).status_code == 404
    assert client.get(URL, {"unit": "x"}).status_code == 404
    assert login("secretary").get(URL, {"unit": cast.far_bureau.pk}).status_code == 404


def test_the_dashboard_reads_a_fixed_number_of_queries(cast, login) -> None:
    client = login("secretary")
    _secretary_list(cast, overdue=1, on_time=1)
    _more_records(cast, 1)
    client.get(URL)  # warm: the session, the content types
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _secretary_list(cast, overdue=3, on_time=4)
    _more_records(cast, 4)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    # 24 = session, user, role assignments (3); the scope's units: count and first (2); lists, items, their tasks'
    # parts (3); talk compliance: rules, talks, 班子, secretaries, 纪检组长, heads (2), 分管 (2+1) (10); the ledger's
    # forms (1); the years (1); the heat map (1); the 班子 list (1); the base page's notifications and unit (2).
    assert len(small) == 24


def test_a_leaders_example_page_and_who_may_open_it(cast, login) -> None:
    leader, secretary = cast.users["leader"].person, cast.users["secretary"].person
    head = cast.users["head"].person
    rlist = lists.list_create(
        actor=cast.users["clerk"], unit=cast.bureau, year=TODAY.year, kind="leader", leader=leader
    )
    lists.item_add(
        actor=cast.users["clerk"],
        rlist=rlist,
        data=ItemData(content="督促分管科室落实廉政风险防控", owner_person=leader, frequency="long_term"),
    )
    lists.list_publish(actor=cast.users["clerk"], rlist=rlist)
    talks.talk_create(
        actor=cast.users["secretary"],
        unit=cast.bureau,
        kind="heart",
        talker=secretary,
        talkee=head,
        date=TODAY,
        place="书记办公室",
        summary="书记与财务股长的谈心谈话要点",
    )
    url = f"/responsibility/leaders/{leader.pk}/"
    html = login("leader").get(url).content.decode()
    assert "以身作则 · 李志强" in html and "督促分管科室落实廉政风险防控" in html and "长期" in html
    assert "矩阵测试谈话" in html  # the talk 李志强 gave (matrix world), with its summary: his own
    for role in ("secretary", "inspector", "superior"):
        assert login(role).get(url).status_code == 200
    # a fellow 班子成员 sees the secretary's talk as a fact, not its summary (the Talk scope decides)
    fellow = login("leader").get(f"/responsibility/leaders/{secretary.pk}/").content.decode()
    assert "书记与财务股长的谈心谈话要点" not in fellow and head.name in fellow
    assert (
        "书记与财务股长的谈心谈话要点"
        in login("secretary").get(f"/responsibility/leaders/{secretary.pk}/").content.decode()
    )
    for role in ("clerk", "head", "staff", "sysadmin", "outsider"):
        assert login(role).get(url).status_code == 403
    assert login("leader").get(f"/responsibility/leaders/{head.pk}/").status_code == 404  # not a 班子成员
    far = type(leader).objects.filter(unit=cast.far_bureau, is_leadership=True).first()
    assert login("secretary").get(f"/responsibility/leaders/{far.pk}/").status_code == 404
    # the navigation's 以身作则: a 班子成员's own page; the superior (no 班子成员) goes to the dashboard
    assert login("leader").get("/responsibility/leaders/mine/")["Location"] == url
    assert login("superior").get("/responsibility/leaders/mine/")["Location"] == URL


def _month_end_before(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def _unit_with_overdue(cast, name: str, overdue: int):  # type: ignore[no-untyped-def]
    """A bureau under the county (the superior's scope) with a published list of `overdue` items, each assigned as
    a task past its deadline: written as rows, since only the figures are read."""
    from qingfeng.org.models import Unit

    unit = Unit.objects.create(name=name, code=f"TEST-{name}", kind=Unit.Kind.BUREAU, parent=cast.county, order=9)
    unit.path = f"{cast.county.path}{unit.pk}/"
    unit.save(update_fields=["path"])
    rlist = ResponsibilityList.objects.create(unit=unit, year=TODAY.year, kind="party_group", status="published")
    now = timezone.now()
    for seq in range(1, overdue + 1):
        task = Task.objects.create(
            unit=unit,
            year=TODAY.year,
            seq=seq,
            title=f"{name}逾期事项{seq}",
            lead_leader=cast.users["leader"].person,
            deadline=TODAY - dt.timedelta(days=seq),
            assigned_at=now,
            assigned_by=cast.users["clerk"],
            sign_deadline=now,
            source=Task.Source.MODULE,
        )
        ResponsibilityItem.objects.create(rlist=rlist, unit=unit, seq=seq, content=f"事项{seq}", task=task)
    return unit


def test_the_rows_per_unit_count_overdue_items_as_each_units_dashboard_and_put_the_most_first(cast, login) -> None:
    """The current task of a recurring item is the last of its chain: an overdue earlier occurrence does not make
    the item overdue, an overdue later one does, and of two occurrences assigned after the same one the later
    counts. The per-unit row (one SQL GROUP BY) and the unit's own dashboard (the chains walked in Python) agree."""
    from qingfeng.responsibility import selectors as duties
    from qingfeng.responsibility import selectors_dashboard as board
    from qingfeng.supervision.models import TaskPart
    from qingfeng.supervision.services.tasks import recurring_periods_start, task_approve, task_sign_for, task_submit

    superior, clerk, head = cast.users["superior"], cast.users["clerk"], cast.users["head"]
    board.scope_overview(superior)  # warm: the role grants
    with CaptureQueriesContext(connection) as few:
        before = {r.unit.pk: r.overdue for r in board.scope_overview(superior).rows}

    rlist = _secretary_list(cast, overdue=1, on_time=0)  # a 限期 item past its deadline
    rlist.refresh_from_db()  # published: an item added is assigned at once
    chains = {}
    for name in ("A", "B", "C"):
        item = lists.item_add(
            actor=clerk,
            rlist=rlist,
            data=ItemData(content=f"每月事项{name}", owner_department=cast.departments["财务股"], frequency="monthly"),
        )
        Task.objects.filter(pk=item.task_id).update(deadline=_month_end_before(TODAY))  # last month's, still open
        chains[name] = item.task
    recurring_periods_start()  # each first occurrence gets its successor (this month's), the late one stays open
    second = {n: Task.objects.get(unit=cast.bureau, source_ref=t.number) for n, t in chains.items()}
    Task.objects.filter(pk=second["A"].pk).update(deadline=TODAY - dt.timedelta(days=1))  # A: the current is late
    # C: its late first occurrence is closed after all (that assigns no second successor), and two occurrences
    # naming the same predecessor (as data from before that rule may hold): the later assigned is current
    task_sign_for(actor=head, part=TaskPart.objects.get(task=chains["C"], role="lead"))
    task_submit(actor=head, task=chains["C"])
    task_approve(actor=clerk, task=Task.objects.get(pk=chains["C"].pk), rating=Task.Rating.GOOD)
    assert Task.objects.filter(unit=cast.bureau, source_ref=chains["C"].number).count() == 1
    twin = Task.objects.get(pk=second["C"].pk)
    twin.pk = twin.id = None
    twin.seq = (
        Task.objects.filter(unit=cast.bureau, year=twin.year).order_by("-seq").values_list("seq", flat=True)[0] + 1
    )
    twin.save()
    assert Task.objects.filter(unit=cast.bureau, source_ref=chains["C"].number).count() == 2
    Task.objects.filter(pk=second["C"].pk).update(deadline=TODAY - dt.timedelta(days=1))  # the superseded one
    # B: only its first occurrence is late; 3 tasks of the bureau's items past their deadline, 2 items overdue
    far = _unit_with_overdue(cast, "测试新区住建局", 3)
    _unit_with_overdue(cast, "测试新区交通局", 0)

    with CaptureQueriesContext(connection) as more:
        rows = board.scope_overview(superior).rows
    assert len(more) == len(few), [q["sql"][:100] for q in more.captured_queries]  # two more units, no more queries
    counted = {r.unit.pk: r.overdue for r in rows}
    assert counted[cast.bureau.pk] == before[cast.bureau.pk] + 2 and counted[far.pk] == 3
    for row in rows:  # every unit's row as its own dashboard counts
        mine = board.unit_dashboard(superior, row.unit)
        assert row.overdue == mine.total.overdue == len(mine.overdue), row.unit.name
    shown = board.unit_dashboard(superior, cast.bureau).overdue
    assert {i.content for i in shown} >= {"逾期事项1", "每月事项A"} and not {"每月事项B", "每月事项C"} & {
        i.content for i in shown
    }
    assert [r.overdue for r in rows] == sorted((r.overdue for r in rows), reverse=True)
    assert rows[0].unit == far and duties.overdue_by_unit(duties.visible_items(superior).none()) == {}

    html = login("superior").get(URL).content.decode()
    assert html.index("测试新区住建局") < html.index(cast.bureau.name) < html.index("测试新区交通局")
    assert '<span class="tag tag-red">3</span>' in html
