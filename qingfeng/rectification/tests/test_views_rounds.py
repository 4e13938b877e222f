"""The round pages: creating a round, the 问题清单 and its measures by hand, who sees what, and a flat list."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingfeng.org.models import Person
from qingfeng.org.roles import Role
from qingfeng.org.services import accounts, roles
from qingfeng.rectification.models import Finding, Measure, Round
from qingfeng.rectification.tests.test_services_rounds import TODAY, make_measure, make_round, zhao
from qingfeng.supervision.models import Task


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_office_creates_a_round_enters_findings_and_measures(cast, login) -> None:
    client = login("clerk")
    response = client.post(
        "/rectification/rounds/new/",
        {"name": "市委第二轮巡察", "body": "市委第十巡察组", "kind": "xuncha", "feedback_date": "2023-12-31"},
    )
    r = Round.objects.get(name="市委第二轮巡察")
    assert response.status_code == 302 and response["Location"] == f"/rectification/rounds/{r.pk}/"
    assert (r.unit, r.rectify_until, r.report_due) == (cast.bureau, dt.date(2024, 2, 29), dt.date(2024, 2, 29))

    client.post(f"/rectification/rounds/{r.pk}/findings/", {"category": "财务管理", "description": "报销审核不严"})
    finding = Finding.objects.get(round=r)
    assert finding.number == "1"
    deadline = (TODAY + dt.timedelta(days=30)).isoformat()
    for text in ("建立报销审核台账", "开展财务制度专题学习"):
        response = client.post(
            f"/rectification/findings/{finding.pk}/measures/",
            {
                "text": text,
                "lead_leader": cast.users["leader"].person.pk,
                "department": cast.departments["财务股"].pk,
                "responsible_person": cast.users["staff"].person.pk,
                "deadline": deadline,
                "kind": "limited",
            },
        )
        assert response.status_code == 302
    measures = list(Measure.objects.filter(finding=finding).select_related("task"))
    assert len(measures) == 2 and all(m.task is not None for m in measures)

    page = client.get(f"/rectification/rounds/{r.pk}/").content.decode()
    for m in measures:
        assert m.task.number in page and m.task.get_absolute_url() in page
    assert "报送进展/申请销号" not in page  # not signed yet
    assert "待签收" in page and "按责任领导" in page and "按责任部门" in page and "按问题类别" in page
    listing = client.get("/rectification/").content.decode()
    assert "市委第二轮巡察" in listing and "0 / 2" in listing


def test_bad_input_gets_chinese_messages(cast, login) -> None:
    client = login("clerk")
    bad = client.post(
        "/rectification/rounds/new/", {"name": " ", "body": "x", "kind": "xuncha", "feedback_date": "昨天"}
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "这个字段是必填项" in text and "输入一个有效的日期" in text

    r = make_round(cast)
    empty = client.post(f"/rectification/rounds/{r.pk}/findings/", {})
    assert empty.status_code == 302 and any("必填" in m for m in _messages(empty))
    finding = Finding.objects.create(round=r, unit=r.unit, number="1", category="作风建设", description="x")
    data = {
        "text": "压缩审批时限",
        "lead_leader": cast.users["leader"].person.pk,
        "department": cast.departments["财务股"].pk,
        "kind": "limited",
    }
    no_deadline = client.post(f"/rectification/findings/{finding.pk}/measures/", data)
    assert no_deadline.status_code == 302 and "请填写整改时限（长期坚持的措施可不填）" in _messages(no_deadline)
    lasting = client.post(f"/rectification/findings/{finding.pk}/measures/", {**data, "kind": "long_term"})
    assert any("已添加并交办" in m for m in _messages(lasting))
    far = Person.objects.filter(unit=cast.far_bureau, department__isnull=False).first()
    other_unit = client.post(
        f"/rectification/findings/{finding.pk}/measures/",
        {**data, "department": far.department_id, "deadline": "2099-01-01"},
    )
    assert any("责任部门" in m and "选择一个有效的选项" in m for m in _messages(other_unit))
    assert Measure.objects.filter(finding=finding).count() == 1


def test_heads_see_the_rounds_of_their_departments_measures_only(cast, login) -> None:
    r = make_round(cast)
    finding = Finding.objects.create(round=r, unit=r.unit, number="1", category="作风建设", description="办事拖沓")
    mine = make_measure(cast, finding)
    theirs = make_measure(
        cast,
        finding,
        text="压缩审批时限",
        department=cast.departments["城建股"],
        lead_leader=zhao(),
        responsible_person=None,
    )
    chengjian = Person.objects.filter(unit=cast.bureau, department=cast.departments["城建股"]).first()
    other_head, _ = accounts.account_create(
        actor=None, username="chengjian-head", unit=cast.bureau, person=chengjian, system=True
    )
    other_head.must_change_password = False
    other_head.save(update_fields=["must_change_password"])
    roles.role_grant(actor=None, user=other_head, role=Role.HEAD, unit=cast.bureau, system=True)
    url = f"/rectification/rounds/{r.pk}/"

    page = login("head").get(url).content.decode()
    assert mine.task.number in page and theirs.task.number not in page
    assert "市委第二轮巡察" in login("head").get("/rectification/").content.decode()

    from django.test import Client

    lonely = Client()
    lonely.force_login(other_head)
    assert lonely.get(url).status_code == 200  # 城建股's measure is in this round
    Measure.objects.filter(pk=theirs.pk).delete()
    Task.objects.filter(pk=theirs.task_id).update(deleted_at=timezone.now())
    assert lonely.get(url).status_code == 404
    assert "市委第二轮巡察" not in lonely.get("/rectification/").content.decode()
    assert login("outsider").get(url).status_code == 404
    for admin in ("sysadmin", "secadmin", "auditor"):
        assert login(admin).get(url).status_code == 403
        assert login(admin).get("/rectification/").status_code == 403
    assert login("head").post(f"/rectification/rounds/{r.pk}/findings/", {}).status_code == 403


def test_the_page_points_to_the_task_for_closing(cast, login) -> None:
    from qingfeng.supervision.models import TaskPart
    from qingfeng.supervision.services.tasks import task_sign_for, task_submit

    r = make_round(cast)
    finding = Finding.objects.create(round=r, unit=r.unit, number="1", category="作风建设", description="x")
    m = make_measure(cast, finding)
    task_sign_for(actor=cast.users["head"], part=TaskPart.objects.get(task=m.task, role="lead"))
    page = login("staff").get(f"/rectification/rounds/{r.pk}/").content.decode()
    assert f"{m.task.get_absolute_url()}#report" in page and "申请销号" in page
    task_submit(actor=cast.users["head"], task=Task.objects.get(pk=m.task_id))
    page = login("clerk").get(f"/rectification/rounds/{r.pk}/").content.decode()
    assert f"{m.task.get_absolute_url()}#review" in page and "审核销号" in page


def test_the_list_runs_a_flat_number_of_queries(cast, login) -> None:
    client = login("clerk")

    def count() -> int:
        client.get("/rectification/")  # warm: the process keeps the year's holiday overrides
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/rectification/").status_code == 200
        return len(ctx.captured_queries)

    make_round(cast)
    before = count()
    for n in range(3):
        r = make_round(cast, name=f"第{n}轮巡察")
        f = Finding.objects.create(round=r, unit=r.unit, number="1", category="作风建设", description="x")
        make_measure(cast, f)
    assert count() == before


def test_the_round_page_links_the_ledger_the_import_and_the_report(cast, login) -> None:
    from qingfeng.rectification.models import Round

    round_ = Round.objects.filter(unit=cast.bureau).first()
    clerk_page = login("clerk").get(f"/rectification/rounds/{round_.pk}/").content.decode()
    for path in ("ledger/", "ledger.xlsx", "import/", "report.docx"):
        assert f"/rectification/rounds/{round_.pk}/{path}" in clerk_page
    assert "导入问题清单" in clerk_page and "整改进展情况报告" in clerk_page and "整改台账" in clerk_page
    head_page = login("head").get(f"/rectification/rounds/{round_.pk}/").content.decode()
    assert "整改台账" in head_page and "导入问题清单" not in head_page
