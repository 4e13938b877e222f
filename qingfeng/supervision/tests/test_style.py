"""作风问题: anyone reports, the reporter may stay anonymous to all but the 纪检组长, who verifies and decides."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from qingfeng.core.errors import UserError
from qingfeng.core.models import AuditEvent, Notification
from qingfeng.supervision.models import StyleProblem
from qingfeng.supervision.services.style import style_close, style_link, style_report, style_verify
from qingfeng.supervision.tests.factories import make_task

TEXT = "上周到办公室递交材料，被要求反复补正三次，始终没有一次性告知。"


def _report(cast, **kwargs) -> StyleProblem:  # type: ignore[no-untyped-def]
    values = {
        "actor": cast.users["staff"],
        "unit": cast.bureau,
        "category": "shirking",
        "department": cast.departments["办公室"],
        "description": TEXT,
        "anonymous": True,
    }
    values.update(kwargs)
    return style_report(**values)


def test_a_report_reaches_the_inspector_and_is_audited(cast) -> None:
    problem = _report(cast)
    assert problem.status == StyleProblem.Status.REPORTED
    assert Notification.objects.filter(recipient=cast.users["inspector"], title__startswith="新的作风问题反映").exists()
    assert AuditEvent.objects.filter(action="style.report", object_id=str(problem.pk)).exists()


def test_an_anonymous_reporter_is_named_only_to_the_inspector_and_themself(cast, login) -> None:
    problem = _report(cast)
    url = f"/supervision/style/{problem.pk}/"
    assert "杨丽娟" in login("inspector").get(url).content.decode()
    assert "杨丽娟" in login("staff").get(url).content.decode()
    for role in ("secretary", "superior"):
        page = login(role).get(url).content.decode()
        assert 'id="reporter">匿名<' in page and "杨丽娟" not in page
    for role in ("clerk", "leader", "head", "outsider"):
        assert login(role).get(url).status_code == 404


def test_the_list_shows_the_inspector_everything_and_a_reporter_only_their_own(cast, login) -> None:
    mine = _report(cast)
    other = _report(cast, actor=cast.users["head"], anonymous=False, description=TEXT + "（二）")
    staff_page = login("staff").get("/supervision/style/").content.decode()
    assert f"/supervision/style/{mine.pk}/" in staff_page and f"/supervision/style/{other.pk}/" not in staff_page
    inspector_page = login("inspector").get("/supervision/style/").content.decode()
    assert f"/supervision/style/{mine.pk}/" in inspector_page and f"/supervision/style/{other.pk}/" in inspector_page


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"department": None, "matter": ""}, "涉及的科室"),
        ({"description": "太慢了"}, "至少 10 个字"),
        ({"category": "nonsense"}, "问题类别"),
    ],
)
def test_bad_reports_get_chinese_messages_and_store_nothing(cast, kwargs, message) -> None:
    before = StyleProblem.objects.count()
    with pytest.raises(UserError, match=message):
        _report(cast, **kwargs)
    assert StyleProblem.objects.count() == before


def test_the_inspector_verifies_then_links_the_problem_to_a_task(cast, clock) -> None:
    problem = _report(cast)
    task = make_task(cast)
    inspector = cast.users["inspector"]
    style_verify(actor=inspector, problem=problem, note="经核实情况属实")
    problem = style_link(actor=inspector, problem=problem, task=task, decision="交办财务股整改")
    assert (problem.status, problem.task, problem.decided_by) == (StyleProblem.Status.LINKED, task, inspector)
    with pytest.raises(UserError, match="已处理完毕"):
        style_close(actor=inspector, problem=problem, reason="x")


def test_closing_needs_a_reason_and_only_the_inspector_decides(cast) -> None:
    problem = _report(cast)
    with pytest.raises(UserError, match="理由"):
        style_close(actor=cast.users["inspector"], problem=problem, reason=" ")
    for role in ("secretary", "clerk", "staff"):
        with pytest.raises(PermissionDenied):
            style_close(actor=cast.users[role], problem=problem, reason="不属实")
    assert style_close(actor=cast.users["inspector"], problem=problem, reason="经核实不属实").status == "closed"


def test_the_report_page_takes_a_report_and_shows_errors_in_chinese(cast, login) -> None:
    client = login("head")
    response = client.post("/supervision/style/new/", {"category": "lazy", "description": "短"})
    assert "至少 10 个字" in response.content.decode() or "涉及的科室" in response.content.decode()
    response = client.post(
        "/supervision/style/new/",
        {"category": "lazy", "matter": "窗口午休无人值守", "description": TEXT, "anonymous": "on"},
    )
    assert response.status_code == 302
    assert StyleProblem.objects.filter(matter="窗口午休无人值守", anonymous=True, reporter=cast.users["head"]).exists()


def test_the_inspector_acts_on_the_page(cast, login) -> None:
    problem = _report(cast)
    client = login("inspector")
    client.post(f"/supervision/style/{problem.pk}/verify/", {"note": "已约谈办公室负责人"})
    response = client.post(f"/supervision/style/{problem.pk}/close/", {"reason": "已当面纠正，不再立项"}, follow=True)
    assert "已了结" in response.content.decode()
    assert login("staff").post(f"/supervision/style/{problem.pk}/close/", {"reason": "x"}).status_code == 403
