"""`qingfeng decompose FILE [--xlsx OUT] [--json] [--date] [--unit]` through call_command, against the real
database (the working-day calendar reads its holiday table; --unit reads the demo bureau's 分管)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from qingfeng.org import demo
from qingfeng.org.models import Person
from qingfeng.supervision.management.commands.decompose import XLSX_HEADER

SEED = Path(__file__).parent / "data" / "deployment-speech-2023h2.txt"
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("decompose", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_chinese_summary_of_the_seed() -> None:
    output = run(str(SEED), "--date", "2023-07-15")
    assert "一、提高站位，强化担当，落实全面从严治党主体责任" in output
    assert "一是 认真履行“两个责任”｜时限：2023年12月31日｜类型：主体责任" in output
    assert "三是 强化舆情处置｜时限：当日（2023年7月17日）" in output  # 7-15 is a Saturday
    assert "牢牢把握“党性”｜时限：长期坚持｜类型：巡察整改" in output
    assert "！含脱敏占位符“********”，请核对" in output
    assert output.rstrip().endswith("共 5 个部分、10 项候选任务。")


def test_json_prints_the_outline() -> None:
    data = json.loads(run(str(SEED), "--json", "--date", "2023-07-15"))
    assert [len(s["items"]) for s in data["sections"]] == [2, 3, 1, 3, 1]
    item = data["sections"][3]["items"][2]
    assert item["number"] == "三是" and item["title"] == "强化舆情处置"
    assert item["deadline"] == "2023-07-17" and item["immediate"] is True
    assert item["module"] == "ideology" and item["recurrence"] == ""
    assert data["sections"][2]["items"][0]["number"] == ""


def test_xlsx_writes_the_task_breakdown_table(tmp_path: Path) -> None:
    out = tmp_path / "任务分解表.xlsx"
    output = run(str(SEED), "--xlsx", str(out), "--date", "2023-07-15")
    assert "任务分解表已写入" in output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == XLSX_HEADER
    assert len(rows) == 11
    assert rows[1][0] == 1 and "认真履行“两个责任”" in rows[1][1] and rows[1][6] == "2023年12月31日"
    assert rows[1][7] == "主体责任"
    assert rows[4][6] == "长期坚持"
    assert rows[6][1].startswith("三、以身作则")  # a section-task is named with its section number


def test_the_unit_supervision_map_suggests_the_lead_leader(cast: demo.Cast) -> None:
    leader = cast.users["leader"].person
    assert leader is not None and leader.supervised_departments.filter(name="财务股").exists()
    data = json.loads(run(str(SEED), "--json", "--date", "2023-07-15", "--unit", demo.BUREAU_CODE))
    first = data["sections"][0]["items"][0]  # 对财务、人事、重大项目审批等关键的部位
    expected = {p.name for p in Person.objects.filter(supervised_departments__name__in=["财务股", "人事股"])}
    assert first["lead"] in expected and first["lead"]


def test_it_reads_a_docx_with_a_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于开展廉政风险排查的通知")
    document.add_paragraph("一、排查范围")
    document.add_paragraph("财务报销、项目审批等关键岗位。（牵头单位：财务股；责任单位：各股室）")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "二、工作要求"
    table.cell(1, 0).text = "1.9月30日前报送排查表。"
    path = tmp_path / "notice.docx"
    document.save(path)
    data = json.loads(run(str(path), "--json", "--date", "2023-07-03"))
    assert data["title"] == "关于开展廉政风险排查的通知"
    first, second = data["sections"]
    assert first["items"][0]["module"] == "integrity"
    assert first["items"][0]["lead_units"] == ["财务股"] and first["items"][0]["partner_units"] == ["各股室"]
    assert second["items"][0]["deadline"] == "2023-09-30"


def test_text_without_numbering_says_so(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("请各股室加强作风建设，年底前见成效。", encoding="utf-8")
    output = run(str(path), "--date", "2023-07-03")
    assert "提示：未识别到编号" in output and "共 1 个部分、1 项候选任务。" in output


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "文件是空的"),
        ("一、学习".encode(), "fake.docx", "文件不是有效的 Word（.docx）文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc", "另存为"),
        (b"%PDF-1.4", "speech.pdf", "不支持的文件类型"),
    ],
)
def test_bad_files_stop_with_a_chinese_message(tmp_path: Path, content: bytes, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_a_20_mb_file_stops_with_the_size_message(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(CommandError, match="文件超过 20 MB 上限"):
        run(str(path))


def test_a_missing_file_a_bad_date_and_an_unknown_unit_stop(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        run(str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match="格式不对"):
        run(str(SEED), "--date", "2023/07/15")
    with pytest.raises(CommandError, match="没有单位代码"):
        run(str(SEED), "--unit", "NO-SUCH-UNIT")


def test_an_unwritable_xlsx_path_stops(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法写入"):
        run(str(SEED), "--xlsx", str(tmp_path / "no-such-dir" / "out.xlsx"))
