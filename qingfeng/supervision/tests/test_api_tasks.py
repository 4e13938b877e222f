"""The supervision API with a personal token: list, detail, 签收, 报送进展, 提交审核, and visibility."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from qingfeng.org.services.accounts import token_create
from qingfeng.supervision.models import Task, TaskPart
from qingfeng.supervision.tests.factories import lead_part, make_task, signed_task


def api(cast, role: str) -> Client:  # type: ignore[no-untyped-def]
    _, raw = token_create(actor=cast.users[role], name="接口测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post_json(client: Client, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, data or {}, content_type="application/json")


def test_the_list_returns_the_visible_tasks_with_filters(cast, clock) -> None:
    task = make_task(cast, title="接口任务")
    client = api(cast, "leader")
    response = client.get(reverse("api:task_list_api"), {"q": "接口任务"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["number"], row["lead_leader_name"], row["lead_department"], row["status"]) == (
        task.number,
        "李志强",
        "财务股",
        "pending_sign",
    )
    assert client.get(reverse("api:task_list_api"), {"status": "done", "q": "接口任务"}).json()["count"] == 0
    assert api(cast, "outsider").get(reverse("api:task_list_api"), {"q": "接口任务"}).json()["count"] == 0


def test_the_list_query_count_does_not_grow_with_the_rows(cast, clock, django_assert_num_queries) -> None:
    client = api(cast, "clerk")
    url = reverse("api:task_list_api")
    make_task(cast)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(8):
        make_task(cast, title=f"任务{i}")
    # N = token, user, role assignments, count, page, parts: the same for any page length
    with django_assert_num_queries(len(few)):
        assert len(client.get(url).json()["items"]) >= 9


def test_the_detail_shows_parts_and_is_404_out_of_scope(cast, clock) -> None:
    task = make_task(cast)
    url = reverse("api:task_detail_api", kwargs={"pk": task.pk})
    body = api(cast, "staff").get(url).json()
    assert body["number"] == task.number and body["parts"][0]["department_name"] == "财务股"
    assert body["open_instructions"] == [] and body["reports"] == []
    assert api(cast, "outsider").get(url).json() == {"detail": "对象不存在"}
    assert api(cast, "outsider").get(url).status_code == 404
    assert api(cast, "sysadmin").get(url).status_code == 404


def test_sign_report_and_submit_through_the_api(cast, clock) -> None:
    task = make_task(cast)
    head = api(cast, "head")
    response = post_json(head, reverse("api:part_sign_api", kwargs={"pk": lead_part(task).pk}))
    assert response.status_code == 200 and response.json()["status"] == TaskPart.Status.IN_PROGRESS
    again = post_json(head, reverse("api:part_sign_api", kwargs={"pk": lead_part(task).pk}))
    assert again.status_code == 400 and "无需重复签收" in again.json()["detail"]
    progress = reverse("api:task_progress_api", kwargs={"pk": task.pk})
    bad = post_json(head, progress, {"percent": 101, "text": "x"})
    assert bad.status_code == 400 and "形象进度" in bad.json()["detail"]
    response = post_json(head, progress, {"percent": 100, "text": "全部完成"})
    assert response.status_code == 201 and response.json()["department_name"] == "财务股"
    response = post_json(head, reverse("api:task_submit_api", kwargs={"pk": task.pk}), {"note": "请审核"})
    assert response.status_code == 200 and response.json()["status"] == Task.Status.PENDING_REVIEW


def test_a_role_without_the_code_gets_403_and_an_outsider_404(cast, clock) -> None:
    task = signed_task(cast)
    url = reverse("api:task_progress_api", kwargs={"pk": task.pk})
    assert post_json(api(cast, "leader"), url, {"percent": 10, "text": "x"}).status_code == 403
    assert post_json(api(cast, "outsider"), url, {"percent": 10, "text": "x"}).status_code == 404
    sign = reverse("api:part_sign_api", kwargs={"pk": lead_part(task).pk})
    assert post_json(api(cast, "clerk"), sign).status_code == 403
    assert post_json(api(cast, "outsider"), sign).status_code == 404


def test_anonymous_calls_get_401(cast, clock) -> None:
    task = make_task(cast)
    assert Client().get(reverse("api:task_detail_api", kwargs={"pk": task.pk})).status_code == 401
