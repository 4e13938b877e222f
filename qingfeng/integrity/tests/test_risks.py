"""廉政风险点: the register (configurable areas, Chinese refusals), the heat map figures, the .xlsx in the 风险防控台账
layout, and a 督促检查 whose problems become a 督办事项 (supervision) or an 整改问题 (rectification)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qingfeng.core.errors import UserError
from qingfeng.integrity.models import RiskPoint, RiskProblem
from qingfeng.integrity.services import risks
from qingfeng.rectification.models import Finding, Round
from qingfeng.supervision.models import Task

pytestmark = pytest.mark.django_db


def _point(cast, **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "area": "政府采购",
        "department": cast.departments["计划项目股"],
        "post": "采购经办人",
        "name": "采购需求编制",
        "description": "量身定制采购需求",
        "level": RiskPoint.Level.HIGH,
        "controls": "采购需求集体论证",
        "owner": cast.users["head"].person,
    }
    values.update(kwargs)
    return risks.point_create(actor=cast.users["clerk"], unit=cast.bureau, data=risks.PointData(**values))


def test_an_area_outside_the_configured_list_is_refused(cast, settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="岗位/业务环节“食堂管理”不在配置的清单中"):
        _point(cast, area="食堂管理")
    settings.INTEGRITY_RISK_AREAS = ["食堂管理"]
    assert _point(cast, area="食堂管理").area == "食堂管理"


def test_heat_map_and_register_export(cast, login) -> None:  # type: ignore[no-untyped-def]
    _point(cast)
    _point(cast, level=RiskPoint.Level.LOW, name="供应商库管理")
    client = login("secretary")
    heat = client.get(reverse("integrity:risk_list")).context["heat"]
    row = next(r for r in heat["rows"] if r["name"] == "计划项目股")
    assert row["cells"][0] >= 1 and row["cells"][2] >= 1  # 高 … 低
    assert heat["levels"] == ["高", "中", "低"]
    response = client.get(reverse("integrity:risk_export"), {"department": cast.departments["计划项目股"].pk})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("序号", "岗位", "风险点", "风险描述", "风险等级", "防控措施", "责任人")
    assert rows[1][0] == 1 and rows[1][4] == "高" and rows[1][6] == "陈文斌"
    assert len(rows) == 3


def test_the_register_pins_its_queries(cast, login, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        _point(cast, name=f"风险点{i}")
    client = login("leader")
    client.get(reverse("integrity:risk_list"))
    # session, user, role assignments, count, page, heat map, departments, unread notices, the user's unit, and
    # the person (for the 分管 subquery): 10 whatever the number of points
    with django_assert_num_queries(10):
        client.get(reverse("integrity:risk_list"))


def test_a_check_turns_problems_into_a_task_or_a_finding(cast, login) -> None:  # type: ignore[no-untyped-def]
    inspector = cast.users["inspector"]
    finance = _point(cast, department=cast.departments["财务股"], area="财务报销", name="差旅费报销审核")
    today = timezone.localdate()
    check = risks.check_create(actor=inspector, unit=cast.bureau, name="下半年督促检查", date=today, points=[finance])
    assert RiskPoint.objects.get(pk=finance.pk).last_checked_on == today
    client = login("inspector")
    url = reverse("integrity:problem_new", args=[check.pk])
    client.post(
        url,
        {
            "point": finance.pk,
            "description": "3笔差旅费缺审批单",
            "route": "task",
            "lead_leader": cast.users["leader"].person.pk,
            "deadline": (today + dt.timedelta(days=20)).isoformat(),
        },
    )
    problem = RiskProblem.objects.get(check_run=check, route="task")
    task = Task.objects.get(pk=problem.task_id)
    assert task.source == Task.Source.MODULE and "差旅费报销审核" in task.title
    assert task.parts.get(role="lead").department == cast.departments["财务股"]
    client.post(url, {"point": finance.pk, "description": "报销台账未按月核对", "route": "finding"})
    finding = Finding.objects.get(pk=RiskProblem.objects.get(check_run=check, route="finding").finding_id)
    assert finding.round.kind == Round.Kind.SELF and finding.round.name == "下半年督促检查"
    page = client.get(reverse("integrity:check_detail", args=[check.pk])).content.decode()
    assert task.number in page and "问题1" in page


def test_a_task_problem_without_a_leader_changes_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    point = _point(cast)
    check = risks.check_create(
        actor=cast.users["clerk"], unit=cast.bureau, name="检查", date=timezone.localdate(), points=[point]
    )
    with pytest.raises(UserError, match="请选择牵头领导"):
        risks.problem_create(actor=cast.users["clerk"], check=check, point=point, description="问题", route="task")
    assert not RiskProblem.objects.filter(check_run=check).exists()


def test_a_check_date_in_the_future_and_no_points_are_refused(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as exc:
        risks.check_create(
            actor=cast.users["clerk"],
            unit=cast.bureau,
            name="检查",
            date=timezone.localdate() + dt.timedelta(days=1),
            points=[],
        )
    assert exc.value.errors == ["检查日期不能晚于今天", "请至少选择一个风险点"]
