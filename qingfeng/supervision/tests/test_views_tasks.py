"""The task pages: list, export, 交办, detail and the actions on a task, and the 督办看板 (real stack, the
settable clock of factories.py)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from qingfeng.core.models import AuditEvent
from qingfeng.supervision.models import ExtensionRequest, Instruction, Task, TaskEvent, TaskPart
from qingfeng.supervision.tests.factories import D, at, lead_part, make_task, signed_task, submitted_task

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def detail(task: Task) -> str:
    return reverse("supervision:task_detail", args=[task.pk])


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow(client, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    response = client.post(url, data or {}, follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    return response


def test_the_head_signs_the_lead_part_and_the_task_is_in_progress(cast, clock, login) -> None:
    task = make_task(cast)
    part = lead_part(task)
    response = follow(login("head"), reverse("supervision:part_sign", args=[part.pk]))
    assert response.redirect_chain[-1][0] == detail(task)
    assert "“财务股”已签收" in messages_of(response)
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assert TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.SIGNED).count() == 1
    assert "签收" in response.content.decode()


def test_a_staff_member_of_another_department_cannot_sign_and_nothing_changes(cast, clock, login) -> None:
    # 杨丽娟 stays the task's responsible person (so she sees it) but has moved to 办公室.
    task = make_task(cast)
    part = lead_part(task)
    other = cast.users["staff"]
    other.person.department = cast.departments["办公室"]
    other.person.save(update_fields=["department"])
    response = follow(login("staff"), reverse("supervision:part_sign", args=[part.pk]))
    assert any("只有“财务股”的负责人" in m for m in messages_of(response))
    part.refresh_from_db()
    assert part.status == TaskPart.Status.PENDING_SIGN
    assert not TaskEvent.objects.filter(task=task, kind=TaskEvent.Kind.SIGNED).exists()


def test_the_head_reports_progress_with_an_attachment_and_the_lead_leader_downloads_it(cast, clock, login) -> None:
    task = signed_task(cast)
    head = login("head")
    page = head.get(detail(task))
    assert f'action="{reverse("supervision:task_report", args=[task.pk])}"' in page.content.decode()
    upload = SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")
    response = follow(
        head,
        reverse("supervision:task_report", args=[task.pk]),
        {"percent": "40", "text": "已建立报销审核台账", "files": [upload]},
    )
    assert "进展已报送" in messages_of(response)
    task.refresh_from_db()
    assert task.percent == 40
    report = task.reports.get()
    leader_page = login("leader").get(detail(task))
    attachment = leader_page.context["reports"][0].files[0]
    assert attachment.original_name == "台账.pdf"
    html = leader_page.content.decode()
    assert "已建立报销审核台账" in html and reverse("core:attachment_download", args=[attachment.pk]) in html
    download = login("leader").get(reverse("core:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert report.author == cast.users["head"]


def test_a_report_with_an_invalid_percent_shows_a_chinese_message(cast, clock, login) -> None:
    task = signed_task(cast)
    response = follow(
        login("head"), reverse("supervision:task_report", args=[task.pk]), {"percent": "150", "text": "x"}
    )
    assert any("形象进度" in m for m in messages_of(response))
    assert not task.reports.exists()


def test_submit_then_the_lead_leader_approves_with_a_rating_and_the_task_is_closed(cast, clock, login) -> None:
    task = signed_task(cast)
    head = login("head")
    follow(head, reverse("supervision:task_report", args=[task.pk]), {"percent": "100", "text": "已全部完成"})
    response = follow(head, reverse("supervision:task_submit", args=[task.pk]))
    assert "已提交办结审核" in messages_of(response)
    task.refresh_from_db()
    assert task.status == Task.Status.PENDING_REVIEW
    leader = login("leader")
    assert "审核通过（办结）" in leader.get(detail(task)).content.decode()
    response = follow(leader, reverse("supervision:task_approve", args=[task.pk]), {"rating": "4", "remark": "好"})
    assert "已审核办结" in messages_of(response)
    task.refresh_from_db()
    assert (task.status, task.rating, task.display_status()) == (Task.Status.DONE, 4, "已办结")


def test_the_lead_leader_returns_a_task_with_a_reason(cast, clock, login) -> None:
    task = submitted_task(cast)
    leader = login("leader")
    response = follow(leader, reverse("supervision:task_return", args=[task.pk]), {"reason": ""})
    assert "请填写退回理由" in messages_of(response)
    response = follow(leader, reverse("supervision:task_return", args=[task.pk]), {"reason": "佐证材料不全"})
    assert "已退回" in messages_of(response)
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assert TaskEvent.objects.get(task=task, kind=TaskEvent.Kind.RETURNED).note == "佐证材料不全"


def test_submitting_an_unsigned_task_gives_a_chinese_message(cast, clock, login) -> None:
    task = make_task(cast)
    response = follow(login("head"), reverse("supervision:task_submit", args=[task.pk]))
    assert any("不能提交审核" in m for m in messages_of(response))


def test_the_head_asks_for_an_extension_and_the_leader_approves_it(cast, clock, login) -> None:
    task = signed_task(cast)
    response = follow(
        login("head"),
        reverse("supervision:task_extend", args=[task.pk]),
        {"requested_deadline": "2023-10-31", "reason": "需等待上级批复"},
    )
    assert "延期申请已提交" in messages_of(response)
    request = ExtensionRequest.objects.get(task=task)
    leader = login("leader")
    assert reverse("supervision:extension_decide", args=[request.pk]) in leader.get(detail(task)).content.decode()
    response = follow(leader, reverse("supervision:extension_decide", args=[request.pk]), {"approve": "no"})
    assert "请填写不同意延期的理由" in messages_of(response)
    response = follow(leader, reverse("supervision:extension_decide", args=[request.pk]), {"approve": "yes"})
    assert "已同意延期" in messages_of(response)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (D(2023, 10, 31), D(2023, 9, 28))


def test_the_leaders_instruction_shows_at_the_top_and_the_next_report_must_answer_it(cast, clock, login) -> None:
    task = signed_task(cast)
    leader = login("leader")
    response = follow(leader, reverse("supervision:task_instruct", args=[task.pk]), {"text": "请加快进度"})
    assert "批示已发送" in messages_of(response)
    assert task.watchers.filter(pk=cast.users["leader"].person.pk).exists()
    head = login("head")
    html = head.get(detail(task)).content.decode()
    assert html.index("领导批示（待答复）") < html.index("基本情况") and "请加快进度" in html
    url = reverse("supervision:task_report", args=[task.pk])
    response = follow(head, url, {"percent": "50", "text": "推进中"})
    assert any("请在本次报送中答复领导批示" in m for m in messages_of(response))
    response = follow(head, url, {"percent": "50", "text": "推进中", "instruction_answer": "已加派人手"})
    assert "进展已报送" in messages_of(response)
    assert Instruction.objects.get(task=task).answered_at is not None
    assert "领导批示（待答复）" not in head.get(detail(task)).content.decode()


def test_the_leader_watches_and_unwatches_a_task(cast, clock, login) -> None:
    task = make_task(cast)
    leader = login("leader")
    follow(leader, reverse("supervision:task_watch", args=[task.pk]), {"watch": "1"})
    assert task.watchers.count() == 1
    follow(leader, reverse("supervision:task_watch", args=[task.pk]), {"watch": "0"})
    assert task.watchers.count() == 0


def test_the_detail_shows_only_the_actions_the_user_can_take(cast, clock, login) -> None:
    task = make_task(cast)
    html = login("inspector").get(detail(task)).content.decode()
    assert "签收</button>" not in html and "报送进展</h2>" not in html and "领导批示</h2>" not in html
    html = login("head").get(detail(task)).content.decode()
    assert "签收</button>" in html and "申请延期" in html


def test_the_outsider_gets_404_on_the_detail_and_the_actions(cast, clock, login) -> None:
    task = make_task(cast)
    outsider = login("outsider")
    assert outsider.get(detail(task)).status_code == 404
    assert outsider.post(reverse("supervision:part_sign", args=[lead_part(task).pk])).status_code == 404
    assert outsider.post(reverse("supervision:task_report", args=[task.pk])).status_code == 404


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_the_three_administrators_get_403(cast, clock, login, role) -> None:
    task = make_task(cast)
    client = login(role)
    assert client.get(reverse("supervision:task_list")).status_code == 403
    assert client.get(detail(task)).status_code == 403
    assert client.get(reverse("supervision:board")).status_code == 403
    assert client.post(reverse("supervision:part_sign", args=[lead_part(task).pk])).status_code == 403


def test_a_role_without_the_code_gets_403_on_an_action(cast, clock, login) -> None:
    task = submitted_task(cast)
    assert login("head").post(reverse("supervision:task_approve", args=[task.pk]), {"rating": "4"}).status_code == 403
    assert login("inspector").post(reverse("supervision:task_instruct", args=[task.pk])).status_code == 403


def test_the_list_filters_by_status_overdue_department_leader_and_text(cast, clock, login) -> None:
    late = signed_task(cast, title="逾期的任务", deadline=D(2023, 9, 5))
    make_task(cast, title="办公室的任务", lead_department=cast.departments["办公室"], responsible_person=None)
    clock.set(at(2023, 9, 8))
    clerk = login("clerk")
    url = reverse("supervision:task_list")

    def titles(**params: str) -> set[str]:
        return {t.title for t in clerk.get(url, params).context["page_obj"]}

    assert titles(status="overdue") == {"逾期的任务"}
    assert "办公室的任务" in titles(status="pending_sign")
    assert titles(department=str(cast.departments["办公室"].pk)) == {"办公室的任务"}
    assert "逾期的任务" in titles(lead_leader=str(cast.users["leader"].person.pk))
    assert titles(q="办公室") == {"办公室的任务"}
    html = clerk.get(url, {"status": "overdue"}).content.decode()
    assert late.number in html and "dot dot-red" in html and "办理中（逾期）" in html


def test_a_county_scope_picks_the_unit_first_and_its_lists_hold_that_units_entries(cast, clock, login) -> None:
    make_task(cast, title="局里的任务")
    url = reverse("supervision:task_list")
    superior = login("superior")  # 县纪委: the county and every unit below it
    form = superior.get(url).context["filter"]
    assert cast.bureau in form.fields["unit"].queryset and cast.sibling in form.fields["unit"].queryset
    # Without a unit: the departments of the superior's own unit (the county), not of every bureau below it.
    assert not form.fields["department"].queryset.filter(unit=cast.bureau).exists()
    response = superior.get(url, {"unit": str(cast.bureau.pk)})
    chosen = response.context["filter"]
    assert set(chosen.fields["department"].queryset.values_list("unit_id", flat=True)) == {cast.bureau.pk}
    assert {t.title for t in response.context["page_obj"]} == {"局里的任务"}
    assert "<th>单位</th>" in response.content.decode() and cast.bureau.name in response.content.decode()
    assert "<th>单位</th>" not in login("clerk").get(url).content.decode()
    assert not {t.title for t in superior.get(url, {"unit": str(cast.sibling.pk)}).context["page_obj"]}
    # A unit outside the scope filters nothing (the form is invalid) and a bureau's clerk has no unit field.
    assert "unit" not in login("clerk").get(url).context["filter"].fields
    outside = superior.get(url, {"unit": str(cast.far_bureau.pk)})
    assert outside.status_code == 200 and "局里的任务" in {t.title for t in outside.context["page_obj"]}


def test_a_list_beyond_the_count_cap_says_more_than_and_asks_for_a_filter(cast, clock, login, monkeypatch) -> None:
    from qingfeng.core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    for i in range(4):
        make_task(cast, title=f"第{i}项")
    response = login("clerk").get(reverse("supervision:task_list"), {"status": "pending_sign"})
    paginator = response.context["page_obj"].paginator
    assert paginator.capped and paginator.count == 3
    assert "超过 2 条，请用筛选缩小范围" in response.content.decode()


def test_the_list_query_count_does_not_grow_with_the_rows(
    cast, clock, login, django_assert_num_queries, django_assert_max_num_queries
) -> None:
    clerk = login("clerk")
    url = reverse("supervision:task_list")
    for i in range(2):
        make_task(cast, title=f"任务{i}", partner_departments=[cast.departments["办公室"]])
    clerk.get(url)  # warm the session, content types and calendar caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert clerk.get(url).status_code == 200
    for i in range(2, 12):
        make_task(cast, title=f"任务{i}", partner_departments=[cast.departments["办公室"]])
    # N = the same: session, user, role assignments, filter choices, count, page, parts, calendar
    with django_assert_num_queries(len(few)):
        response = clerk.get(url)
    assert len(response.context["page_obj"]) >= 12


def test_the_export_is_a_real_xlsx_of_the_filtered_list_and_is_audited(cast, clock, login) -> None:
    task = make_task(cast, title="导出的任务", partner_departments=[cast.departments["办公室"]])
    response = login("clerk").get(reverse("supervision:task_export"), {"q": "导出的"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (
        "督办编号",
        "督办事项",
        "牵头领导",
        "牵头单位",
        "配合单位",
        "责任人",
        "办理时限",
        "办理情况/状态",
        "形象进度",
        "办结评价",
    )
    assert rows[1][:6] == (task.number, "导出的任务", "李志强", "财务股", "办公室", "杨丽娟")
    assert len(rows) == 2
    assert AuditEvent.objects.filter(action="task.export").exists()


def test_the_clerk_assigns_a_superior_task_and_an_empty_form_shows_chinese_errors(cast, clock, login) -> None:
    clerk = login("clerk")
    url = reverse("supervision:task_new")
    assert clerk.get(url).status_code == 200
    response = clerk.post(url, {})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    response = clerk.post(
        url,
        {
            "source": "superior",
            "source_ref": "市纪委〔2023〕5号",
            "title": "开展廉政风险排查",
            "lead_department": cast.departments["财务股"].pk,
            "lead_leader": cast.users["leader"].person.pk,
            "kind": "limited",
            "deadline": "2023-10-20",
        },
    )
    task = Task.objects.get(title="开展廉政风险排查")
    assert response.status_code == 302 and response["Location"] == detail(task)
    assert task.source == Task.Source.SUPERIOR and task.status == Task.Status.PENDING_SIGN
    response = clerk.post(
        url,
        {
            **{"source": "superior", "title": "过去的任务", "kind": "limited"},
            "deadline": "2023-01-01",
            "lead_department": cast.departments["财务股"].pk,
            "lead_leader": cast.users["leader"].person.pk,
        },
    )
    assert response.status_code == 200 and "早于交办日期" in response.content.decode()


def test_the_board_lists_red_and_yellow_tasks_and_the_department_ranking(cast, clock, login) -> None:
    signed_task(cast, title="已逾期", deadline=D(2023, 9, 5))
    signed_task(cast, title="快到期", deadline=D(2023, 9, 11))
    make_task(
        cast,
        title="没签收",
        deadline=D(2023, 10, 31),
        lead_department=cast.departments["办公室"],
        responsible_person=None,
    )
    clock.set(at(2023, 9, 7))
    response = login("clerk").get(reverse("supervision:board"))
    assert response.status_code == 200
    assert "已逾期" in {t.title for t in response.context["red"]}
    assert "没签收" in {t.title for t in response.context["red"]}  # 超时未签收 is red too
    assert "快到期" in {t.title for t in response.context["yellow"]}
    assert any(r["department_name"] == "办公室" for r in response.context["unsigned"])
    assert "财务股" in {r.department for r in response.context["ranking"]}


def test_the_board_lists_the_earliest_overdue_tasks_up_to_its_limit_and_counts_them_all(
    cast, clock, login, monkeypatch
) -> None:
    from qingfeng.supervision import selectors, warnings

    monkeypatch.setattr(selectors, "BOARD_LIMIT", 2)
    for day in (6, 4, 5):
        signed_task(cast, title=f"逾期{day}日", deadline=D(2023, 9, day))
    clock.set(at(2023, 9, 8))
    response = login("clerk").get(reverse("supervision:board"))
    assert [t.title for t in response.context["red"]] == ["逾期4日", "逾期5日"]
    assert all(t.colour == warnings.RED for t in response.context["red"])
    assert response.context["board"].red_total == 3
    html = response.content.decode()
    assert "逾期（3）" in html and "查看全部 3 项逾期事项" in html


def test_approving_without_choosing_a_rating_is_refused_and_changes_nothing(cast, clock, login) -> None:
    task = submitted_task(cast)
    response = login("leader").post(reverse("supervision:task_approve", args=[task.pk]), {"rating": ""}, follow=True)
    assert "办结评价" in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == Task.Status.PENDING_REVIEW
