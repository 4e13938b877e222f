"""Talks: recording one, follow-up tasks, the default and configured frequency rules, the compliance page, and the
reads the integrity app calls."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfeng.core.errors import UserError
from qingfeng.org.models import Person
from qingfeng.responsibility import people, selectors
from qingfeng.responsibility.models import Talk
from qingfeng.responsibility.services import talks
from qingfeng.responsibility.services.lists import ItemData, item_add, list_publish
from qingfeng.responsibility.tests.test_lists import YEAR, make_list

TODAY = timezone.localdate()


def talk(cast, talker: str, talkee: Person, kind: str = "heart") -> Talk:  # type: ignore[no-untyped-def]
    user = cast.users[talker]
    return talks.talk_create(
        actor=user,
        unit=cast.bureau,
        kind=kind,
        talker=user.person,
        talkee=talkee,
        date=TODAY,
        place="会议室",
        summary="交流思想和工作",
    )


def test_a_leader_records_a_talk_and_bad_input_changes_nothing(cast, login) -> None:
    head = cast.users["head"].person
    client = login("leader")
    data = {"kind": "integrity", "talkee": head.pk, "date": TODAY.isoformat(), "place": "会议室", "summary": "谈话要点"}
    response = client.post("/responsibility/talks/new/", data)
    t = Talk.objects.get(talker=cast.users["leader"].person, talkee=head, summary="谈话要点")
    assert response.status_code == 302 and response["Location"] == f"/responsibility/talks/{t.pk}/"
    future = {**data, "date": (TODAY + dt.timedelta(days=1)).isoformat(), "summary": "明天的谈话"}
    assert "谈话日期不能晚于今天" in client.post("/responsibility/talks/new/", future).content.decode()
    other = {**data, "talker": cast.users["secretary"].person.pk, "summary": "代书记登记"}
    assert "只能登记本人" in client.post("/responsibility/talks/new/", other).content.decode()
    assert not Talk.objects.filter(summary__in=["明天的谈话", "代书记登记"]).exists()
    # the head sees the talk they received, staff do not
    assert login("head").get(f"/responsibility/talks/{t.pk}/").status_code == 200
    assert login("staff").get(f"/responsibility/talks/{t.pk}/").status_code == 404


def test_a_follow_up_is_a_supervision_task_led_by_the_talkees_department(cast) -> None:
    t = talk(cast, "leader", cast.users["head"].person, "integrity")
    task = talks.talk_follow_up(
        actor=cast.users["leader"], talk=t, title="补齐差旅报销附件", department=None, deadline=TODAY + dt.timedelta(9)
    )
    assert task.lead_leader == cast.users["leader"].person and task.source == "module"
    assert task.parts.get(role="lead").department == cast.departments["财务股"]
    assert list(t.tasks.all()) == [task]
    with pytest.raises(UserError, match="只有谈话人或办公室"):
        talks.talk_follow_up(
            actor=cast.users["inspector"], talk=t, title="x", department=None, deadline=TODAY + dt.timedelta(9)
        )


def test_compliance_lists_who_is_missing_whom_under_the_default_rules(cast, login) -> None:
    secretary = cast.users["secretary"].person
    leaders = Person.objects.filter(unit=cast.bureau, is_leadership=True).exclude(pk=secretary.pk)
    results = talks.compliance(cast.bureau)
    by_relation = {r.rule.relation: r for r in results}
    yearly = by_relation["sec_leaders"]
    assert yearly.label == f"{TODAY.year}年" and len(yearly.pairs) == leaders.count() == 5
    half = by_relation["leader_heads"]
    pairs = {(p.talker.name, p.talkee.name) for p in half.pairs}
    assert ("李志强", "陈文斌") in pairs  # 李志强 supervises 财务股, whose head is 陈文斌
    missing_before = len(half.missing)

    talk(cast, "secretary", cast.users["leader"].person)
    # the office records 赵春生's talk with the head of 建筑管理股 (a department he supervises)
    zhao = Person.objects.get(unit=cast.bureau, employee_no="QHZJL03")
    building_head = people.department_heads(cast.bureau)[cast.departments["建筑管理股"].pk]
    talks.talk_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        kind="heart",
        talker=zhao,
        talkee=building_head,
        date=TODAY,
        place="会议室",
        summary="谈心谈话",
    )
    after = {r.rule.relation: r for r in talks.compliance(cast.bureau)}
    assert len(after["sec_leaders"].missing) == len(yearly.missing) - 1
    assert len(after["leader_heads"].missing) == missing_before - 1
    page = login("secretary").get("/responsibility/talks/compliance/").content.decode()
    assert "党组书记 → 每位班子成员" in page and "赵春生" in page and "未落实" in page


def test_the_office_changes_the_rules_and_the_defaults_become_the_units_own(cast, login) -> None:
    assert [r.relation for r in talks.rules_for(cast.far_bureau) if r.pk is None] == []  # the matrix saved its own
    client = login("clerk")
    response = client.post(
        "/responsibility/talks/rules/",
        {"relation": "insp_leaders", "kind": "integrity", "minimum": 1, "period": "year"},
    )
    assert response.status_code == 302
    rules = talks.rules_for(cast.bureau)
    # the defaults were saved as the unit's own rows the first time the unit changed its rules
    assert {r.relation for r in rules} >= {"sec_leaders", "leader_heads", "insp_leaders"}
    assert all(r.pk for r in rules)
    talks.rule_disable(actor=cast.users["clerk"], rule=next(r for r in rules if r.relation == "sec_leaders"))
    assert "sec_leaders" not in {r.relation for r in talks.rules_for(cast.bureau)}
    assert "至少次数" in client.post("/responsibility/talks/rules/", {"minimum": 0}).content.decode()


def test_the_reads_for_the_integrity_file(cast) -> None:
    leader, head = cast.users["leader"].person, cast.users["head"].person
    given = talk(cast, "leader", head, "integrity")
    assert given in selectors.talks_given(leader) and given in selectors.talks_received(head)
    assert given not in selectors.talks_received(leader)
    rlist = make_list(cast)
    item = item_add(
        actor=cast.users["clerk"],
        rlist=rlist,
        data=ItemData(content="抓好分管科室党风廉政建设", owner_person=leader, frequency="yearly"),
    )
    assert item not in selectors.items_held(leader, YEAR)  # a draft binds nobody
    list_publish(actor=cast.users["clerk"], rlist=rlist)
    assert list(selectors.items_held(leader, YEAR)) == [item]
    assert not selectors.items_held(head, YEAR).exists()
