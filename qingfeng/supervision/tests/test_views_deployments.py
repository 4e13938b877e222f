"""The deployment pages through the test client: the clerk's whole journey on the seed speech (create by paste
or .docx, review, confirm with edits, board, exports), the bad inputs, and who may do what."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingfeng.core.models import AuditEvent
from qingfeng.org import demo
from qingfeng.org.models import Person, User
from qingfeng.supervision.forms_deployments import NO_TEXT
from qingfeng.supervision.models import Deployment, Task
from qingfeng.supervision.services.deployments import deployment_create
from qingfeng.supervision.views.deployments import BROKEN_FORM
from tests.permission_matrix import FAR_USERNAME

SEED = Path(__file__).parent / "data" / "deployment-speech-2023h2.txt"
DATE = dt.date(2023, 7, 15)
pytestmark = pytest.mark.django_db


def create_form(**extra: Any) -> dict[str, Any]:
    return {"title": "2023年下半年党风廉政建设部署会议", "date": "2023-07-15", "kind": "speech", **extra}


def new_deployment(cast: demo.Cast, text: str | None = None) -> Deployment:
    return deployment_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        title="下半年部署会议",
        date=DATE,
        issuing_leader=cast.users["secretary"].person,
        text=SEED.read_text(encoding="utf-8") if text is None else text,
    )


def review_url(d: Deployment) -> str:
    return reverse("supervision:deployment_review", kwargs={"pk": d.pk})


def detail_url(d: Deployment) -> str:
    return reverse("supervision:deployment_detail", kwargs={"pk": d.pk})


def export_url(d: Deployment, fmt: str) -> str:
    return reverse("supervision:deployment_export", kwargs={"pk": d.pk}) + f"?format={fmt}"


def formset_data(formset: Any, edit: Callable[[int, dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """The POST data of a rendered (unbound) review table, each row passed through `edit(row_no, values)`."""
    data: dict[str, Any] = {
        formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()
    }
    for no, form in enumerate(formset.forms, start=1):
        values = {name: form[name].value() for name in form.fields}
        if edit is not None:
            edit(no, values)
        for name, value in values.items():
            key = form.add_prefix(name)
            if name == "keep":
                if value:
                    data[key] = "on"
            elif isinstance(value, list) or name == "partner_departments":
                data[key] = [str(v) for v in value or []]
            elif isinstance(value, dt.date):
                data[key] = value.isoformat()
            else:
                data[key] = "" if value is None else str(value)
    return data


def assign_all(cast: demo.Cast) -> Callable[[int, dict[str, Any]], None]:
    """Every candidate row led by 李志强 with 财务股; the first with 杨丽娟 responsible and a new deadline; the
    second dropped."""
    leader, finance = cast.users["leader"].person, cast.departments["财务股"]

    def edit(no: int, row: dict[str, Any]) -> None:
        if not row["title"]:
            return
        row["lead_leader"], row["lead_department"] = leader.pk, finance.pk
        row["partner_departments"] = [d for d in row["partner_departments"] or [] if d != finance.pk]
        if no == 1:
            row["responsible_person"] = cast.users["staff"].person.pk
            row["deadline"] = dt.date(2023, 9, 30)
        if no == 2:
            row["keep"] = False

    return edit


def test_a_clerk_creates_a_deployment_by_pasting_and_reviews_ten_suggested_rows(cast, login) -> None:
    client = login("clerk")
    response = client.post(
        reverse("supervision:deployment_create"),
        create_form(text=SEED.read_text(encoding="utf-8"), issuing_leader=cast.users["secretary"].person.pk),
    )
    deployment = Deployment.objects.get(title="2023年下半年党风廉政建设部署会议")
    assert response.status_code == 302 and response["Location"] == review_url(deployment)
    assert deployment.unit == cast.bureau and deployment.status == Deployment.Status.DRAFT
    assert deployment.issuing_leader == cast.users["secretary"].person

    response = client.get(review_url(deployment))
    assert response.status_code == 200
    forms = [f for f in response.context["formset"].forms if f.initial.get("title")]
    assert len(forms) == 10
    assert forms[0].initial["title"] == "认真履行“两个责任”"
    assert forms[0].initial["lead_leader"] == cast.users["leader"].person.pk  # 分管财务股: the text names 财务
    assert forms[0].initial["lead_department"] == cast.departments["财务股"].pk
    assert forms[0].initial["deadline"] == dt.date(2023, 12, 31)
    assert forms[3].initial["kind"] == Task.Kind.LONG_TERM and forms[3].initial["deadline"] is None
    assert forms[8].initial["kind"] == Task.Kind.IMMEDIATE
    content = response.content.decode()
    assert "含脱敏占位符" in content and "未写时限的任务默认于2023年12月31日前完成" in content
    assert "以身作则、率先垂范" in content


def test_a_clerk_creates_a_deployment_from_an_uploaded_docx(cast, login) -> None:
    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("部署讲话.docx", buffer.getvalue())
    response = login("clerk").post(reverse("supervision:deployment_create"), create_form(file=upload))
    deployment = Deployment.objects.get(title="2023年下半年党风廉政建设部署会议")
    assert response.status_code == 302
    assert "认真履行“两个责任”" in deployment.text
    review = login("clerk").get(review_url(deployment))
    assert len([f for f in review.context["formset"].forms if f.initial.get("title")]) == 10


def test_confirming_the_edited_table_creates_exactly_the_kept_tasks_and_the_board_shows_them(cast, login) -> None:
    deployment = new_deployment(cast)
    client = login("clerk")
    formset = client.get(review_url(deployment)).context["formset"]
    titles = [f.initial["title"] for f in formset.forms if f.initial.get("title")]
    response = client.post(review_url(deployment), formset_data(formset, assign_all(cast)))
    if response.status_code == 200:
        print(
            response.context["errors"],
            [f.errors for f in response.context["formset"].forms],
            response.context["formset"].non_form_errors(),
        )
    assert response.status_code == 302 and response["Location"] == detail_url(deployment)

    tasks = list(Task.objects.filter(deployment=deployment).order_by("seq"))
    assert [t.title for t in tasks] == [titles[0], *titles[2:]]  # the second row was dropped
    first = tasks[0]
    assert first.deadline == dt.date(2023, 9, 30) and first.responsible_person == cast.users["staff"].person
    assert first.lead_leader == cast.users["leader"].person
    assert first.lead_part().department == cast.departments["财务股"]
    assert [t.seq for t in tasks] == list(range(tasks[0].seq, tasks[0].seq + 9))  # consecutive 督办编号
    deployment.refresh_from_db()
    assert deployment.status == Deployment.Status.CONFIRMED

    board = client.get(detail_url(deployment))
    content = board.content.decode()
    assert board.status_code == 200 and "分解表已确认，已交办 9 项任务" in content
    for t in tasks:
        assert t.number in content and t.title in content
    assert titles[1] not in content
    assert "已办结 0 项" in content
    assert client.get(review_url(deployment))["Location"] == detail_url(deployment)  # confirmed: to the board

    xlsx = client.get(export_url(deployment, "xlsx"))
    assert xlsx.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:8] == ("序号", "工作任务", "具体内容", "牵头领导", "责任单位", "责任人", "完成时限", "类型")
    assert len(rows) == 10 and rows[1][1] == titles[0] and rows[1][3] == "李志强" and rows[1][5] == "杨丽娟"
    assert rows[1][4] == "财务股" and rows[1][6] == "2023年9月30日" and rows[1][8] == first.number

    word = client.get(export_url(deployment, "docx"))
    assert word.status_code == 200
    table = docx.Document(io.BytesIO(word.content)).tables[0]
    assert len(table.rows) == 10 and table.rows[1].cells[1].text == titles[0]
    assert AuditEvent.objects.filter(action="deployment.export", object_id=str(deployment.pk)).count() == 2


def test_a_draft_deployment_exports_its_decomposition_and_an_unknown_format_is_refused(cast, login) -> None:
    deployment = new_deployment(cast)
    client = login("inspector")
    xlsx = client.get(export_url(deployment, "xlsx"))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 11 and rows[1][6] == "2023年12月31日"
    assert client.get(export_url(deployment, "pdf")).status_code == 400


def test_an_empty_create_post_shows_chinese_field_errors_and_creates_nothing(login) -> None:
    before = Deployment.objects.count()
    response = login("clerk").post(reverse("supervision:deployment_create"), {})
    content = response.content.decode()
    assert response.status_code == 200
    assert "请填写部署标题" in content and "请填写部署日期" in content and NO_TEXT in content
    assert Deployment.objects.count() == before


def test_empty_text_and_no_file_is_refused(login) -> None:
    response = login("clerk").post(reverse("supervision:deployment_create"), create_form(text="  \n "))
    assert response.status_code == 200 and NO_TEXT in response.content.decode()
    assert not Deployment.objects.filter(title="2023年下半年党风廉政建设部署会议").exists()


def test_a_fake_docx_is_refused_with_a_chinese_message(login) -> None:
    upload = SimpleUploadedFile("讲话.docx", "这不是 Word 文件".encode() * 50)
    response = login("clerk").post(reverse("supervision:deployment_create"), create_form(file=upload))
    assert response.status_code == 200 and "文件不是有效的 Word（.docx）文件" in response.content.decode()
    assert not Deployment.objects.filter(title="2023年下半年党风廉政建设部署会议").exists()


def test_text_without_numbering_becomes_one_candidate_with_a_message(cast, login) -> None:
    deployment = new_deployment(cast, text="请各股室认真做好防汛值班工作，确保汛期安全。")
    response = login("clerk").get(review_url(deployment))
    assert len([f for f in response.context["formset"].forms if f.initial.get("title")]) == 1
    assert "未识别到编号" in response.content.decode()


def test_a_deadline_before_the_deployment_date_names_its_row_and_creates_nothing(cast, login) -> None:
    deployment = new_deployment(cast)
    client = login("clerk")
    formset = client.get(review_url(deployment)).context["formset"]
    assign = assign_all(cast)

    def edit(no: int, row: dict[str, Any]) -> None:
        assign(no, row)
        if no == 4:
            row["deadline"], row["kind"] = dt.date(2023, 7, 1), Task.Kind.LIMITED

    response = client.post(review_url(deployment), formset_data(formset, edit))
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors == ["第4行：完成时限2023年7月1日早于部署日期2023年7月15日"]  # the table's own 序号
    assert "未创建任何任务" in response.content.decode()
    assert not Task.objects.filter(deployment=deployment).exists()
    deployment.refresh_from_db()
    assert deployment.status == Deployment.Status.DRAFT


def test_a_responsible_person_who_has_left_is_refused(cast, login) -> None:
    deployment = new_deployment(cast)
    client = login("clerk")
    formset = client.get(review_url(deployment)).context["formset"]
    Person.objects.filter(pk=cast.users["staff"].person.pk).update(status=Person.Status.LEFT)
    response = client.post(review_url(deployment), formset_data(formset, assign_all(cast)))
    assert response.status_code == 200
    assert "第1行：责任人“杨丽娟”已离岗，不能交办" in response.context["errors"]
    assert not Task.objects.filter(deployment=deployment).exists()


def test_an_empty_review_post_re_renders_the_table_with_an_error(cast, login) -> None:
    deployment = new_deployment(cast)
    response = login("clerk").post(review_url(deployment), {})
    assert response.status_code == 200 and BROKEN_FORM in response.content.decode()
    assert len([f for f in response.context["formset"].forms if f.initial.get("title")]) == 10
    assert not Task.objects.filter(deployment=deployment).exists()


@pytest.mark.parametrize("role", ["head", "staff"])
def test_head_and_staff_may_not_create_or_review(role, cast, login) -> None:
    deployment = new_deployment(cast)
    client = login(role)
    assert client.get(reverse("supervision:deployment_create")).status_code == 403
    assert client.post(reverse("supervision:deployment_create"), create_form(text="一、测试")).status_code == 403
    assert client.get(review_url(deployment)).status_code == 403
    assert client.post(review_url(deployment), {}).status_code == 403


def test_an_out_of_scope_deployment_is_404(cast, login) -> None:
    far_clerk = User.objects.get(username=FAR_USERNAME)  # a clerk of the far county's bureau (the matrix's)
    far = deployment_create(actor=far_clerk, unit=cast.far_bureau, title="外县部署", date=DATE, text="一、外县任务")
    client = login("clerk")
    assert client.get(detail_url(far)).status_code == 404
    assert client.get(review_url(far)).status_code == 404
    assert client.get(export_url(far, "xlsx")).status_code == 404


def test_the_list_shows_visible_deployments_with_progress_in_a_fixed_number_of_queries(cast, login) -> None:
    client: Client = login("clerk")
    url = reverse("supervision:deployment_list")

    def queries() -> int:
        client.get(url)  # warm: the process keeps the year's holiday overrides
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    new_deployment(cast, text="一、第一项")
    small = queries()
    for _ in range(6):
        new_deployment(cast, text="一、第一项")
    assert queries() == small
    content = client.get(url).content.decode()
    assert content.count("下半年部署会议") == 7 and "待确认" in content
    assert "下半年部署会议" not in login("head").get(url).content.decode()  # a head sees no deployment
