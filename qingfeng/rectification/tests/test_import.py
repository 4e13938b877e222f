"""问题清单导入 through the real stack: the test client, the database, and xlsx files built here with openpyxl
the way real ones come (a title row, merged cells, blank rows, full-width digits, dates written by hand)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from qingfeng.core.models import AuditEvent
from qingfeng.rectification.models import DEFAULT_CATEGORIES, Finding, Measure
from qingfeng.rectification.services import importing
from qingfeng.rectification.services.rounds import finding_create, round_create
from qingfeng.supervision.models import Task

TEMPLATE = reverse("rectification:import_template")
HEADER = [
    "序号",
    "问题类别",
    "具体问题",
    "严重程度",
    "整改措施",
    "责任领导",
    "责任部门",
    "责任人",
    "整改时限",
    "整改类型",
]
NEXT = timezone.localdate().year + 1


def xlsx(
    rows: list[list[Any]],
    header: list[Any] | None = HEADER,
    *,
    title: str | None = None,
    merges: list[str] = (),  # type: ignore[assignment]
) -> bytes:
    book = Workbook()
    sheet = book.active
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header or [1]))
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def round_(cast):  # type: ignore[no-untyped-def]
    return round_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        name="县委第三轮巡察",
        body="县委第三巡察组",
        kind="xuncha",
        feedback_date=timezone.localdate(),
    )


@pytest.fixture
def names(cast) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"leader": cast.users["leader"].person.name, "staff": cast.users["staff"].person.name}


def url(round_) -> str:  # type: ignore[no-untyped-def]
    return reverse("rectification:round_import", kwargs={"pk": round_.pk})


def post(client, round_, content: bytes, name: str = "问题清单.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(url(round_), {"file": SimpleUploadedFile(name, content)})


def problems(response) -> list[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    return [(p.row, p.reason) for p in response.context["problems"]]


def counts() -> tuple[int, int, int, int]:
    return Finding.all_objects.count(), Measure.all_objects.count(), Task.objects.count(), AuditEvent.objects.count()


def test_the_template_downloads_and_its_sample_rows_pass_validation(cast, login, round_):
    response = login("clerk").get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote('问题清单模板.xlsx')}"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["问题清单", "说明"]
    assert [c.value for c in book["问题清单"][1]] == HEADER
    notes = "\n".join(str(v) for row in book["说明"].iter_rows(values_only=True) for v in row if v)
    assert "财务股" in notes and "作风建设" in notes
    result = importing.import_parse(round_=round_, upload=SimpleUploadedFile("t.xlsx", response.content))
    assert result.errors == []
    assert [(f.number, len(f.measures)) for f in result.findings] == [("1", 2), ("2", 0)]


def test_a_real_world_file_imports_findings_and_measures_with_their_tasks(cast, login, round_, names):
    leader, staff = names["leader"], names["staff"]
    rows = [
        [
            "１",
            "作风建设",
            "落实中央八项规定精神不到位",
            "较重",
            "开展专项整治",
            leader,
            "财务股",
            staff,
            f"{NEXT}年9月30日",
            "限期整改",
        ],
        [None, None, None, None, "建立公务接待台账", leader, "财务股", "", "", "长期坚持"],
        [None] * 10,
        ["2", "财务管理", "专项资金管理不规范", "", "", "", "", "", "", ""],
        ["3", None, "票据审核把关不严", "一般", "完善审核制度", leader, "办公室", "", f"{NEXT}.3.31", ""],
        ["3", None, "票据审核把关不严", "一般", "开展业务培训", leader, "办公室", "", "年底", "立行立改"],
    ]
    rows[0][8] = rows[0][8].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    content = xlsx(
        rows, title="县住建局关于县委第三轮巡察反馈问题的整改清单", merges=["A3:A4", "B3:B4", "C3:C4", "D3:D4"]
    )
    client = login("clerk")
    before = counts()

    response = post(client, round_, content)

    assert response.status_code == 302, problems(response) if response.context else response
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["导入成功：问题 3 个，整改措施 4 条"]
    findings = list(Finding.objects.filter(round=round_).order_by("order"))
    assert [(f.number, f.category, f.severity) for f in findings] == [
        ("1", "作风建设", "serious"),
        ("2", "财务管理", "general"),
        ("3", "财务管理", "general"),  # a blank 问题类别 takes the one above
    ]
    first = list(findings[0].measures.order_by("order"))
    assert [(m.text, m.kind, m.deadline) for m in first] == [
        ("开展专项整治", "limited", dt.date(NEXT, 9, 30)),
        ("建立公务接待台账", "long_term", None),
    ]
    assert first[0].department == cast.departments["财务股"] and first[0].responsible_person.name == staff
    assert first[0].task is not None and first[0].task.lead_leader.name == leader
    third = list(findings[2].measures.order_by("order"))
    assert [m.deadline for m in third] == [dt.date(NEXT, 3, 31), dt.date(timezone.localdate().year, 12, 31)]
    after = counts()
    assert (after[0] - before[0], after[1] - before[1], after[2] - before[2]) == (3, 4, 4)
    assert AuditEvent.objects.filter(action="finding.import", object_id=str(round_.pk)).count() == 1


def test_findings_only_file_without_measure_columns(login, round_):
    content = xlsx(
        [
            ["1", "政治建设", "问题一"],
            [
                "2",
                "思想建设",
                "问题二",
            ],
            ["3", "组织建设", "问题三"],
        ],
        header=["序号", "问题类别", "问题描述"],
    )
    response = post(login("inspector"), round_, content)

    assert response.status_code == 302
    assert Finding.objects.filter(round=round_).count() == 3
    assert not Measure.objects.filter(finding__round=round_).exists()


def test_a_bad_file_changes_nothing_and_lists_every_bad_row(login, round_, names):
    leader = names["leader"]
    finding_create(actor=round_.created_by, round_=round_, number="9", category="作风建设", description="已有的问题")
    content = xlsx(
        [
            ["1", "作风建设", "好的问题", "一般", "好的措施", leader, "财务股", "", f"{NEXT}-06-30", ""],  # row 2
            ["2", "乱写的类别", "类别不对", "", "", "", "", "", "", ""],  # row 3
            ["3", "作风建设", "时限不对", "", "措施", leader, "财务股", "", "下个月吧", ""],  # row 4
            ["4", "作风建设", "部门不对", "", "措施", leader, "不存在股", "", f"{NEXT}-06-30", ""],  # row 5
            ["1", "作风建设", "序号重复但问题不同", "", "", "", "", "", "", ""],  # row 6
            ["9", "作风建设", "本轮已有的序号", "", "", "", "", "", "", ""],  # row 7
            ["5", "作风建设", "领导不对", "很严重", "措施", "查无此人", "财务股", "", f"{NEXT}-06-30", ""],  # row 8
            ["6", "作风建设", "时限已过", "", "措施", leader, "财务股", "", "2020年1月1日", ""],  # row 9
        ]
    )
    client = login("clerk")
    before = counts()

    response = post(client, round_, content)

    assert response.status_code == 200
    assert counts() == before
    found = problems(response)
    assert [row for row, _ in found] == [3, 4, 5, 6, 7, 8, 8, 9]
    text = "\n".join(reason for _, reason in found)
    assert "问题类别“乱写的类别”不在可选范围内（" + "、".join(DEFAULT_CATEGORIES) + "）" in text
    assert "整改时限“下个月吧”无法识别" in text
    assert "责任部门“不存在股”在本单位不存在" in text
    assert "序号“1”与第 2 行重复，但具体问题不同" in text
    assert "序号“9”在本轮次中已存在" in text
    assert "严重程度只能是一般、较重或严重（现为“很严重”）" in text
    assert "责任领导“查无此人”不是本单位人员" in text
    assert "整改时限2020年1月1日早于今天" in text.replace(" ", "")
    page = response.content.decode()
    assert "未导入：发现 8 处错误" in page and "第 3 行</td>" in page


def test_a_merged_number_column_is_one_finding_with_several_measures(login, round_, names):
    leader = names["leader"]
    content = xlsx(
        [
            ["1", "纪律建设", "问题甲", "", "措施一", leader, "财务股", "", f"{NEXT}/6/30", ""],
            [None, None, None, None, "措施二", leader, "财务股", "", f"{NEXT}/7/31", ""],
            [None, None, None, None, "措施三", leader, "人事股", "", "长期坚持", ""],
        ],
        merges=["A2:A4", "B2:B4", "C2:C4"],
    )
    response = post(login("secretary"), round_, content)

    assert response.status_code == 302
    finding = Finding.objects.get(round=round_)
    assert [(m.text, m.kind) for m in finding.measures.order_by("order")] == [
        ("措施一", "limited"),
        ("措施二", "limited"),
        ("措施三", "long_term"),
    ]


def test_categories_come_from_the_setting_when_it_is_set(login, round_, settings):
    settings.RECTIFICATION_CATEGORIES = ["甲类", "乙类"]
    response = post(login("clerk"), round_, xlsx([["1", "作风建设", "问题"]], header=["序号", "问题类别", "具体问题"]))

    assert problems(response) == [(2, "问题类别“作风建设”不在可选范围内（甲类、乙类）")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-30", dt.date(2023, 9, 30)),
        ("2023年9月30日", dt.date(2023, 9, 30)),
        ("２０２３年９月３０日", dt.date(2023, 9, 30)),
        ("2023.9.30", dt.date(2023, 9, 30)),
        ("2023/9/30", dt.date(2023, 9, 30)),
        ("2023年9月底", dt.date(2023, 9, 30)),
        ("9月底", dt.date(2023, 9, 30)),
        ("3月底", dt.date(2024, 3, 31)),  # before the feedback date: next year
        ("12月15日", dt.date(2023, 12, 15)),
        ("年底", dt.date(2023, 12, 31)),
        (dt.datetime(2023, 10, 1), dt.date(2023, 10, 1)),
        (45199, dt.date(2023, 9, 30)),
        ("", None),
    ],
)
def test_deadlines_as_people_write_them(text, expected):
    assert importing.parse_deadline(text, dt.date(2023, 7, 15)) == expected


@pytest.mark.parametrize("text", ["下月", "2023年13月1日", "2月30日", "尽快"])
def test_unreadable_deadlines_are_refused(text):
    with pytest.raises(ValueError):
        importing.parse_deadline(text, dt.date(2023, 7, 15))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "空文件"),
        (b"not an xlsx at all", "不是有效的 Excel"),
        (None, "前 10 行中没有找到表头"),
    ],
)
def test_files_that_cannot_be_read_are_refused(login, round_, content, reason):
    if content is None:
        content = xlsx([["a", "b"]], header=["标题", "其他"])
    client = login("clerk")
    before = counts()
    response = post(client, round_, content)

    assert response.status_code == 200
    assert reason in response.context["problems"][0].reason
    assert counts() == before


def test_an_empty_post_shows_an_error(login, round_):
    response = login("clerk").post(url(round_), {})
    assert response.status_code == 200
    assert problems(response) == [(None, "请选择要导入的问题清单文件")]


def test_roles_without_manage_cannot_import(login, round_):
    assert login("head").get(url(round_)).status_code == 403
    assert login("leader").get(TEMPLATE).status_code == 403


def test_a_five_thousand_row_file_imports_whole(login, round_):
    # Its speed is measured by `make bench`, not here.
    rows = [[str(i), DEFAULT_CATEGORIES[i % 8], f"第{i}个问题：制度执行不到位", "一般"] for i in range(1, 5001)]
    content = xlsx(rows, header=HEADER[:4], title="问题清单")
    response = post(login("clerk"), round_, content)
    assert response.status_code == 302
    assert Finding.objects.filter(round=round_).count() == 5000


def test_a_five_thousand_row_file_with_one_bad_row_changes_nothing(login, round_):
    rows = [[str(i), "作风建设", f"问题{i}"] for i in range(1, 5001)]
    rows[4321][1] = "不存在的类别"
    response = post(login("clerk"), round_, xlsx(rows, header=HEADER[:3]))

    assert [row for row, _ in problems(response)] == [4323]
    assert not Finding.objects.filter(round=round_).exists()


def test_chinese_punctuation_in_the_text_is_kept_and_full_width_dates_are_read() -> None:
    import datetime as dt

    from qingfeng.rectification.services.importing import clean, parse_deadline

    assert clean("财务报销审核把关不严，部分附件不全（共３笔）") == "财务报销审核把关不严，部分附件不全（共3笔）"
    assert parse_deadline("２０２３．９．３０", dt.date(2023, 7, 1)) == dt.date(2023, 9, 30)
