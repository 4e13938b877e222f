"""The decomposer on the seed speech, on each numbering style and deadline hint, and on real public documents
it was not written against. Pure Python: no database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from qingfeng.core.errors import UserError
from qingfeng.supervision.decompose import NO_NUMBERING_MESSAGE, Outline, decompose

DATA = Path(__file__).parent / "data"
JULY_15 = dt.date(2023, 7, 15)  # a Saturday


def load(name: str) -> str:
    """A test document without its "# " header lines (source, kind, counts by reading)."""
    return "\n".join(line for line in (DATA / name).read_text("utf-8").splitlines() if not line.startswith("# "))


def weekdays_only(day: dt.date) -> bool:
    return day.weekday() < 5


@pytest.fixture(scope="module")
def seed() -> Outline:
    return decompose(load("deployment-speech-2023h2.txt"), deployment_date=JULY_15)


def items(text: str, **kwargs) -> list:  # type: ignore[no-untyped-def]
    return decompose(text, deployment_date=kwargs.pop("date", JULY_15), **kwargs).candidates()


# The seed speech ------------------------------------------------------------------------------------------------


def test_the_seed_has_five_sections_with_two_three_one_three_one_candidates(seed: Outline) -> None:
    assert [s.number for s in seed.sections] == ["一", "二", "三", "四", "五"]
    assert [len(s.items) for s in seed.sections] == [2, 3, 1, 3, 1]
    assert [c.number for c in seed.candidates()] == [
        "一是",
        "二是",
        "一是",
        "二是",
        "三是",
        "",
        "一是",
        "二是",
        "三是",
        "",
    ]


def test_the_seed_section_headings_are_their_first_sentences(seed: Outline) -> None:
    assert seed.sections[0].heading == "提高站位，强化担当，落实全面从严治党主体责任"
    assert seed.sections[3].heading == "把牢方向、多措并举，从严落实意识形态工作责任制"


def test_the_seed_item_titles_are_their_lead_phrases(seed: Outline) -> None:
    titles = [c.title for c in seed.candidates()]
    assert "认真履行“两个责任”" in titles[0]
    assert titles[1] == "坚持监督关口前移"
    assert titles[2:5] == ["牢牢把握“教育”", "牢牢把握“党性”", "牢牢把握“制度”"]
    assert titles[7] == "坚决落实工作责任"
    assert titles[8] == "强化舆情处置"


def test_a_section_without_numbered_items_is_one_task_titled_by_its_heading(seed: Outline) -> None:
    three, five = seed.sections[2].items[0], seed.sections[4].items[0]
    assert three.number == "" and three.title == "以身作则、率先垂范，切实发挥模范带头作用"
    assert three.text.startswith("以身作则、率先垂范") and three.text.endswith("团结奋进。")
    assert five.title == "提高认识，突出重点，扎实推进“三抓三促”行动"


def test_the_second_half_year_of_the_opening_sets_the_default_deadline(seed: Outline) -> None:
    assert seed.default_deadline == dt.date(2023, 12, 31)
    assert any("2023年12月31日" in m for m in seed.messages)
    assert seed.candidates()[0].deadline == dt.date(2023, 12, 31)
    assert seed.title == "2023年下半年**局党风廉政建设、意识形态、“三抓三促”行动安排部署会议"


def test_the_salutation_opening_and_closing_words_are_no_task(seed: Outline) -> None:
    texts = "\n".join(c.text for c in seed.candidates())
    assert "同志们" not in texts
    assert "我讲5点意见" not in texts
    assert "到此结束" not in texts
    assert "党风廉政约谈会" not in texts
    assert seed.candidates()[-1].text.endswith("临时性工作任务。")


# Module of each of the seed's ten candidates: the words that decided it (hits per module; ties go to the earlier
# of rectification, ideology, education, rules, integrity, responsibility; no hit → supervision).
SEED_MODULES = [
    ("一", "一是", "responsibility"),  # 责任×4 + 一岗双责×1 = 5 beats integrity 财务+人事+审批 = 3
    ("一", "二是", "education"),  # tie 1–1–1: 教育 (从严教育) vs 关键岗位 vs “责任”; education comes first
    ("二", "一是", "education"),  # 学习×4 + 三会一课×1 + 教育×2 = 7
    ("二", "二是", "rectification"),  # 巡察×2 + 整改×2 = 4 beats integrity 人事×1
    ("二", "三是", "rules"),  # 制度×6
    ("三", "", "education"),  # 教育×1 (批评教育), the only hit
    ("四", "一是", "education"),  # 学习×2
    ("四", "二是", "responsibility"),  # 责任×1 + 一岗双责×1 = 2 beats ideology 意识形态×1
    ("四", "三是", "ideology"),  # 舆情×2 + 意识形态×1 = 3
    ("五", "", "supervision"),  # no word of any list: 三抓三促 stays with 督查督办
]


@pytest.mark.parametrize(("section", "number", "module"), SEED_MODULES)
def test_each_seed_candidate_gets_the_module_its_words_decide(
    seed: Outline, section: str, number: str, module: str
) -> None:
    (candidate,) = [c for c in seed.candidates() if c.section_no == section and c.number == number]
    assert candidate.module == module


def test_the_seed_keeps_redaction_placeholders_and_flags_them(seed: Outline) -> None:
    three, five = seed.sections[2].items[0], seed.sections[4].items[0]
    assert "********" in three.text
    assert "含脱敏占位符“********”，请核对" in three.flags
    assert "**、**、**" in five.text
    assert "含脱敏占位符“**”，请核对" in five.flags
    assert not any("脱敏" in f for f in seed.candidates()[0].flags)


def test_first_time_in_the_seed_means_the_same_working_day(seed: Outline) -> None:
    opinion = seed.sections[3].items[2]
    assert opinion.immediate and opinion.deadline == JULY_15
    moved = decompose(load("deployment-speech-2023h2.txt"), deployment_date=JULY_15, is_working_day=weekdays_only)
    assert moved.sections[3].items[2].deadline == dt.date(2023, 7, 17)  # Saturday → Monday


def test_a_quoted_slogan_is_no_same_day_deadline(seed: Outline) -> None:
    five = seed.sections[4].items[0]  # “案无积卷、事不过夜”的要求
    assert not five.immediate and five.deadline == dt.date(2023, 12, 31)
    assert any("引号" in f for f in five.flags)


def test_a_long_term_item_has_no_deadline(seed: Outline) -> None:
    party_spirit = seed.sections[1].items[1]  # 保持久久为功的韧劲
    assert party_spirit.long_term and party_spirit.deadline is None


def test_the_lead_hint_comes_from_the_supervision_map() -> None:
    outline = decompose(
        load("deployment-speech-2023h2.txt"),
        deployment_date=JULY_15,
        leaders={"财务股": "王建国", "财务": "王建国", "意识形态": "李红"},
    )
    leads = [c.lead_hint for c in outline.candidates()]
    assert leads[0] == "王建国"  # 对财务、人事、重大项目审批等关键的部位
    assert leads[7] == "李红" and leads[8] == "李红"
    assert leads[2] == ""


def test_the_outline_as_json_lists_sections_and_items() -> None:
    outline = decompose(load("deployment-speech-2023h2.txt"), deployment_date=JULY_15)
    data = json.loads(json.dumps(outline.as_json(), ensure_ascii=False))
    assert data["default_deadline"] == "2023-12-31"
    first = data["sections"][0]
    assert first["number"] == "一" and first["heading"].startswith("提高站位")
    item = first["items"][0]
    assert {"number", "title", "text", "deadline", "recurrence", "module", "lead"} <= set(item)
    assert item["deadline"] == "2023-12-31" and item["number"] == "一是"
    assert data["sections"][1]["items"][1]["deadline"] is None


# Deadline hints --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("下半年完成全面排查。", dt.date(2023, 12, 31)),
        ("2024年下半年完成。", dt.date(2024, 12, 31)),
        ("上半年完成。", dt.date(2023, 6, 30)),
        ("年底前完成。", dt.date(2023, 12, 31)),
        ("年内完成。", dt.date(2023, 12, 31)),
        ("月底前报送。", dt.date(2023, 7, 31)),
        ("10月底前完成。", dt.date(2023, 10, 31)),
        ("3月底前完成。", dt.date(2024, 3, 31)),  # March has passed: next year's
        ("九月底前完成。", dt.date(2023, 9, 30)),
        ("9月30日前报送。", dt.date(2023, 9, 30)),
        ("2024年1月10日前报送。", dt.date(2024, 1, 10)),
        ("2023年底前完成。", dt.date(2023, 12, 31)),
        ("10日内报送。", dt.date(2023, 7, 25)),
        ("3个工作日内报送。", dt.date(2023, 7, 19)),  # Mon 17, Tue 18, Wed 19
        ("5年内引进人才。", None),  # within five years: no year-end
    ],
)
def test_a_deadline_hint_becomes_a_date(sentence: str, deadline: dt.date | None) -> None:
    (item,) = items(f"一、加强学习。{sentence}\n二、完善制度。")[:1]
    assert item.deadline == deadline


@pytest.mark.parametrize("word", ["第一时间", "立即", "事不过夜"])
def test_an_immediate_word_means_the_end_of_the_same_working_day(word: str) -> None:
    (item, _) = items(f"一、处置舆情。发现问题{word}报告。\n二、完善制度。", is_working_day=weekdays_only)
    assert item.immediate and item.deadline == dt.date(2023, 7, 17)
    (item, _) = items(f"一、处置舆情。发现问题{word}报告。\n二、完善制度。", date=dt.date(2023, 7, 12))
    assert item.deadline == dt.date(2023, 7, 12)


@pytest.mark.parametrize(
    ("sentence", "recurrence"),
    [("每月召开支委会。", "monthly"), ("每季度召开党员大会。", "quarterly"), ("每年至少讲1次党课。", "yearly")],
)
def test_a_frequency_makes_a_recurring_task(sentence: str, recurrence: str) -> None:
    assert items(f"一、组织生活。{sentence}\n二、其他。")[0].recurrence == recurrence


def test_several_frequencies_keep_the_most_frequent_and_say_so() -> None:
    item = items("一、三会一课。支委会每月1次，党员大会每季度1次。\n二、其他。")[0]
    assert item.recurrence == "monthly"
    assert any("多种频次" in f for f in item.flags)


@pytest.mark.parametrize("word", ["长期坚持", "久久为功"])
def test_a_long_term_word_clears_the_deadline(word: str) -> None:
    item = items(f"今年下半年重点工作如下。\n一、作风建设。{word}，常抓不懈。\n二、其他。")[0]
    assert item.long_term and item.deadline is None


def test_several_dates_keep_the_latest_and_say_so() -> None:
    item = items("一、制定细则。10月底前制定方案，年底前完成。\n二、其他。")[0]
    assert item.deadline == dt.date(2023, 12, 31)
    assert any("多个时间节点" in f for f in item.flags)


def test_a_section_lead_in_date_applies_to_its_items() -> None:
    outline = decompose("一、专项整治。9月底前完成以下工作。一是自查。二是整改。\n二、其他。", deployment_date=JULY_15)
    assert [c.deadline for c in outline.sections[0].items] == [dt.date(2023, 9, 30)] * 2


# Numbering styles ------------------------------------------------------------------------------------------------


def test_bracketed_chinese_numbers_make_items() -> None:
    outline = decompose(
        "一、总体要求\n（一）加强学习。每月一次。\n（二）完善制度。\n二、保障措施", deployment_date=JULY_15
    )
    assert [len(s.items) for s in outline.sections] == [2, 1]
    assert [c.number for c in outline.sections[0].items] == ["（一）", "（二）"]
    assert outline.sections[0].items[0].title == "加强学习"


def test_half_width_brackets_count_as_well() -> None:
    outline = decompose("(一)责任落实\n1.压实责任。\n2.传导压力。\n(二)问题整改\n1.建立台账。", deployment_date=JULY_15)
    assert [(s.number, len(s.items)) for s in outline.sections] == [("（一）", 2), ("（二）", 1)]


def test_arabic_numbers_alone_make_one_section_of_items() -> None:
    text = "关于做好年度考核工作的通知\n各科室：\n现将有关事项通知如下：\n1.12月20日前报送总结。\n2.认真开展述职。\n3.按时提交测评表。\n特此通知。\n局办公室\n2023年12月1日"
    outline = decompose(text, deployment_date=dt.date(2023, 12, 1))
    assert outline.title == "关于做好年度考核工作的通知"
    (section,) = outline.sections
    assert [c.number for c in section.items] == ["1.", "2.", "3."]
    assert section.items[0].deadline == dt.date(2023, 12, 20)
    assert "特此通知" not in section.items[-1].text and "局办公室" not in section.items[-1].text


def test_bracketed_arabic_numbers_are_the_fourth_level() -> None:
    outline = decompose(
        "一、整改措施\n1.财务管理问题\n（1）规范报销。\n（2）清理往来款。\n2.制度问题\n（1）修订制度。",
        deployment_date=JULY_15,
    )
    (section,) = outline.sections
    assert [(c.number, c.subsection) for c in section.items] == [
        ("（1）", "1.财务管理问题"),
        ("（2）", "1.财务管理问题"),
        ("（1）", "2.制度问题"),
    ]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("一、学习\n第一，抓好中心组学习。第二，抓好三会一课。", ["第一", "第二"]),
        ("一、学习\n首先，抓好中心组学习。其次，抓好三会一课。最后，抓好警示教育。", ["首先", "其次", "最后"]),
        ("一、学习\n一是抓好中心组学习；二是抓好三会一课；三是抓好警示教育。", ["一是", "二是", "三是"]),
    ],
)
def test_inline_ordinals_split_a_paragraph(text: str, numbers: list[str]) -> None:
    assert [c.number for c in items(text)] == numbers


def test_a_lone_first_is_no_list() -> None:
    (item,) = items("一、统一思想\n统一是前提，一是一，二是二不是列举。")
    assert item.number == ""


def test_a_number_glued_to_its_heading_is_split_off() -> None:
    outline = decompose("一、征集时间。十日内。二、征集内容1.选题整治。请投票。2.点题整治。", deployment_date=JULY_15)
    assert [(s.number, s.heading, len(s.items)) for s in outline.sections] == [
        ("一", "征集时间", 1),
        ("二", "征集内容", 2),
    ]


def test_an_item_number_followed_by_a_digit_continues_the_sequence() -> None:
    outline = decompose(
        "一、人才\n10.羊城学者项目。\n11.121人才梯队项目。\n2.5亿元的投入不是条目。", deployment_date=JULY_15
    )
    assert [c.number for c in outline.candidates()] == ["10.", "11."]
    assert outline.candidates()[1].title == "121人才梯队项目"


def test_text_without_numbering_is_one_task_with_a_message() -> None:
    outline = decompose("同志们：\n今天主要讲作风建设。大家要立足岗位，年底前见到成效。", deployment_date=JULY_15)
    assert outline.messages[0] == NO_NUMBERING_MESSAGE
    (item,) = outline.candidates()
    assert item.text.startswith("今天主要讲作风建设") and item.deadline == dt.date(2023, 12, 31)


@pytest.mark.parametrize("text", ["", "   \n\u3000\n"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(UserError, match="内容为空"):
        decompose(text, deployment_date=JULY_15)


def test_a_text_of_millions_of_characters_is_refused() -> None:
    with pytest.raises(UserError, match="不像是一份部署文件"):
        decompose("字" * 1_000_001, deployment_date=JULY_15)


def test_nonsense_without_numbering_still_gives_one_task_and_the_message() -> None:
    outline = decompose("qwe rty uio 阿萨德 zxc " * 2000, deployment_date=JULY_15)
    assert len(outline.candidates()) == 1 and NO_NUMBERING_MESSAGE in outline.messages


# Units, leaders, redaction ---------------------------------------------------------------------------------------


def test_inline_lead_and_responsible_units_are_parsed() -> None:
    (item, _) = items(
        "一、廉政教育。开展警示教育月活动。（牵头单位：县纪委监委；责任单位：各乡镇、县直各单位）\n二、其他。"
    )
    assert item.lead_units == ["县纪委监委"] and item.partner_units == ["各乡镇", "县直各单位"]
    assert item.title == "廉政教育"


def test_partner_units_after_a_comma_and_a_named_leader() -> None:
    (item, _) = items("一、清理往来款。（牵头单位：财务股，配合单位：办公室、人事股）责任领导：张三\n二、其他。")
    assert item.lead_units == ["财务股"] and item.partner_units == ["办公室", "人事股"]
    assert item.lead_hint == "张三"


def test_responsible_units_alone_lead() -> None:
    (item, _) = items("一、修订制度。责任单位：法规股\n二、其他。")
    assert item.lead_units == ["法规股"] and item.partner_units == []


def test_a_parent_units_note_reaches_its_inline_items() -> None:
    outline = decompose("一、清廉机关。一是自查；二是整改。（牵头单位：办公室）\n二、其他。", deployment_date=JULY_15)
    assert all(c.lead_units == ["办公室"] for c in outline.sections[0].items[:1])


def test_two_leaders_named_are_both_reported() -> None:
    (item, _) = items("一、风险防控。财务报销和人事档案，财务审核。\n二、其他。", leaders={"财务": "王", "人事": "李"})
    assert item.lead_hint == "王"
    assert any("王、李" in f for f in item.flags)


@pytest.mark.parametrize("placeholder", ["**", "********", "××", "XX"])
def test_redaction_placeholders_are_flagged(placeholder: str) -> None:
    (item, _) = items(f"一、整治。在{placeholder}等领域开展整治。\n二、其他。")
    assert placeholder in item.text
    assert f"含脱敏占位符“{placeholder}”，请核对" in item.flags


# Real public documents (see the header of each file for its source and the counts by reading) -------------------

REAL_DOCUMENTS = [
    # file, kind, sections, items per section (as counted by reading)
    (
        "guangzhou-talent-2012-implementation.txt",
        "实施意见/工作要点，牵头单位行内",
        ["一", "二", "三", "四", "五"],
        [1, 30, 8, 3, 3],
    ),
    ("heilongjiang-talent-survey-notice-2019.txt", "通知/说明，1. 2.", ["一", "二", "三", "四"], [1, 3, 7, 3]),
    ("huiji-xuncha-zhenggai-2024.txt", "巡察整改情况，（一）1.", ["（一）", "（二）"], [3, 1]),
    ("wucheng-xuncha-zhenggai-2023.txt", "巡察整改通报，（一）1.（1）", ["（一）"], [1]),
    ("taishun-jiwei-notice-2022.txt", "公告，编号粘连", ["一", "二"], [1, 1]),
    ("langfang-zhuti-zeren-2014.txt", "实施方案，1. 和（一）", ["一", "二", "三"], [1, 5, 1]),
]


@pytest.mark.parametrize(("name", "kind", "numbers", "counts"), REAL_DOCUMENTS)
def test_a_real_document_gives_the_outline_counted_by_reading(
    name: str, kind: str, numbers: list[str], counts: list[int]
) -> None:
    outline = decompose(load(name), deployment_date=JULY_15)
    assert [s.number for s in outline.sections] == numbers
    assert [len(s.items) for s in outline.sections] == counts


def test_the_guangzhou_items_carry_their_units_and_subsections() -> None:
    outline = decompose(load("guangzhou-talent-2012-implementation.txt"), deployment_date=dt.date(2012, 6, 1))
    items_ = outline.candidates()
    assert [c.number for c in items_] == [f"{n}." for n in range(1, 46)]
    assert not items_[0].lead_units and all(c.lead_units for c in items_[1:])  # 1.目标 names no unit
    second = items_[1]
    assert second.title == "战略性主导产业紧缺人才开发项目"
    assert second.lead_units == ["市发展改革委"]
    assert second.partner_units[:2] == ["市委组织部", "市人力资源和社会保障局"]
    assert second.subsection == "（一）产业提升人才行动计划"
    organise = items_[42]  # 会同配合单位于2012年10月底前…各区（县级市）要于2012年底前…
    assert organise.deadline == dt.date(2012, 12, 31)


def test_the_rectification_report_items_are_rectification() -> None:
    outline = decompose(load("huiji-xuncha-zhenggai-2024.txt"), deployment_date=JULY_15)
    assert {c.module for c in outline.candidates()} == {"rectification"}
    assert outline.sections[0].heading == "党组书记组织落实整改工作情况"


def test_web_page_metadata_and_signatures_stay_in_the_opening_and_closing() -> None:
    notice = decompose(load("heilongjiang-talent-survey-notice-2019.txt"), deployment_date=JULY_15)
    assert notice.title == "全省人才调研填表工作有关情况的说明"
    assert "谢谢您" not in notice.candidates()[-1].text
    report = decompose(load("wucheng-xuncha-zhenggai-2023.txt"), deployment_date=JULY_15)
    assert report.title == "中共金华市婺城区文化和旅游体育局党组关于巡察整改情况的通报"
