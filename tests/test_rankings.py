"""Rankings and grades in prose, and the per-unit sections around them.

Each fixture in tests/fixtures/rankings/ is a small invented circular named by the case it
covers; the records it must yield are written out here. Scores are (unit, group, rank, score,
grade); deductions (unit, items, points, reason); findings the (unit, check) pairs of CHECKS.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Extraction, parse_document
from parsers.model import Line
from parsers.rankings import extract_grade_lists, extract_prose_ranks
from parsers.sections import extract_sections
from parsers.units import looks_like_unit
from pipeline.reconcile import reconcile

FIXTURES = Path(__file__).parent / "fixtures" / "rankings"
CHECKS = {
    "score_mismatch",
    "table_mismatch",
    "rank_order",
    "missing_section",
    "missing_score",
    "duplicate_item",
    "veto",
    "unit_uncertain",
    "unparsed_entry",
}

ScoreT = tuple[str, str | None, int | None, float | None, str | None]
DeductionT = tuple[str, list[int], float, str]


def parse(name: str) -> Extraction:
    path = FIXTURES / name
    return parse_document(path.read_bytes(), path.name)


def scores_of(ex: Extraction) -> list[ScoreT]:
    return [
        (unit, row.group, row.rank, float(row.score) if row.score is not None else None, row.grade)
        for row, unit in zip(ex.scores, ex.score_units, strict=True)
    ]


def deductions_of(ex: Extraction) -> list[DeductionT]:
    return [(e.unit, e.entry.items, float(e.entry.points), e.entry.reason) for e in ex.entries]


def findings_of(ex: Extraction) -> set[tuple[str | None, str]]:
    _, findings = reconcile(ex, "test")
    return {(f.unit, f.check) for f in findings if f.check in CHECKS}


def lines_of(*texts: str) -> list[Line]:
    return [Line(text=t, line_no=i) for i, t in enumerate(texts, start=1)]


CASES: dict[str, tuple[list[ScoreT], list[DeductionT], set[tuple[str | None, str]]]] = {
    # One grade list per line with blank lines between (read as separate lists, not one run-on
    # line), under chapter headings that name the group (`一、区县（市）` / `二、市直成员单位`).
    "grade-lists-blank-lines-under-group-headings.txt": (
        [
            ("澧县", "区县（市）", None, None, "优秀"),
            ("津市市", "区县（市）", None, None, "优秀"),
            ("汉寿县", "区县（市）", None, None, "优秀"),
            ("桃源县", "区县（市）", None, None, "良好"),
            ("石门县", "区县（市）", None, None, "良好"),
            ("安乡县", "区县（市）", None, None, "合格"),
            ("市公安局", "市直成员单位", None, None, "优秀"),
            ("市司法局", "市直成员单位", None, None, "优秀"),
            ("市民政局", "市直成员单位", None, None, "良好"),
        ],
        [],
        set(),
    ),
    # fd-11: `第一名：X` one per line under `一、县区教育主管部门`; under `二、…示范学校` a grade list of
    # schools counted in 所 with no full stop, then a blank line and a paragraph that must not run
    # on into it. Two chapter headings over the ranks and the grades together give the groups.
    "grade-list-of-schools-before-a-paragraph.txt": (
        [
            ("六安市第一中学", "校园食品安全示范学校", None, None, "优秀"),
            ("六安市城南中学", "校园食品安全示范学校", None, None, "优秀"),
            ("霍山县实验小学", "校园食品安全示范学校", None, None, "优秀"),
            ("金寨县机关幼儿园", "校园食品安全示范学校", None, None, "优秀"),
            ("霍山县教育局", "县区教育主管部门", 1, None, None),
            ("金寨县教育局", "县区教育主管部门", 2, None, None),
        ],
        [],
        set(),
    ),
    # fd-08: `第一名：萧县；` / `倒数第一名：泗县。`, a colon in place of 为, one after a lead-in colon
    # (`考核结果：第一名：萧县`); the bottom place counts from `全市5个县（区）`.
    "prose-ranking-places-after-a-colon.txt": (
        [
            ("萧县", None, 1, None, None),
            ("灵璧县", None, 2, None, None),
            ("泗县", None, 5, None, None),
        ],
        [],
        set(),
    ),
    # `X以97.2分位列第一名`, `A、B均为95.6分，并列第二名`, `X以94.8分排名第四`, `X得分93.1分位列第五名`.
    "prose-ranking-scores-and-ties.txt": (
        [
            ("屯溪区", None, 1, 97.2, None),
            ("歙县", None, 2, 95.6, None),
            ("休宁县", None, 2, 95.6, None),
            ("黟县", None, 4, 94.8, None),
            ("祁门县", None, 5, 93.1, None),
        ],
        [],
        set(),
    ),
    # A caption ending in 表 with its period, then the table one cell per line (`上 蔡 县`).
    "score-table-caption-one-cell-per-line.txt": (
        [
            ("上蔡县", None, 1, 95.5, None),
            ("西平县", None, 2, 94.0, None),
            ("遂平县", None, 3, 92.5, None),
        ],
        [],
        set(),
    ),
    # `南坪村：` on a line of its own opens a section although the table does not list it: its
    # entries are its own (missing_score), not 西湖村's (which would be a false score_mismatch).
    "deductions-colon-heading-unit-not-in-table.txt": (
        [
            ("东岗村", None, 1, 97.0, None),
            ("西湖村", None, 2, 95.5, None),
        ],
        [
            ("东岗村", [1], 1.0, "村内沟渠存在垃圾漂浮物"),
            ("东岗村", [2], 2.0, "公厕管护不到位"),
            ("西湖村", [3], 2.5, "生活垃圾收集点周边脏乱"),
            ("西湖村", [4], 2.0, "畜禽散养粪污未及时清理"),
            ("南坪村", [5], 0.5, "村级考核台账资料缺失"),
            ("南坪村", [6], 1.0, "房前屋后柴草乱堆乱放"),
        ],
        {("南坪村", "missing_score")},
    ),
    # A numbered entry whose amount wraps onto the next line, after a long line (joined by the
    # line joiner) and after a short one (`5、…打击力度` / `不够（扣3分）`, joined in sections).
    "deductions-entry-amount-on-next-line.txt": (
        [
            ("淇滨区", None, 1, 97.0, None),
            ("浚县", None, 2, 95.5, None),
        ],
        [
            ("淇滨区", [3], 1.0, "安委办专职人员配备不足"),
            ("淇滨区", [12], 2.0, "危险化学品企业重大隐患排查治理不彻底"),
            ("浚县", [5], 3.0, "建筑施工领域违法分包转包打击力度不够"),
            ("浚县", [9], 1.5, "专业委员会未召开会议"),
        ],
        set(),
    ),
}


def test_every_fixture_has_a_case() -> None:
    assert {p.name for p in FIXTURES.glob("*.txt")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_ranking_and_section_cases(name: str) -> None:
    scores, deductions, findings = CASES[name]
    ex = parse(name)
    assert scores_of(ex) == scores
    assert deductions_of(ex) == deductions
    assert findings_of(ex) == findings
    assert ex.unmatched == []


def test_tie_over_a_clause_break_takes_one_place_with_its_score() -> None:
    rows = extract_prose_ranks(
        lines_of("经综合考核，郊区以96.8分位列第一名；义安区、铜官区均为94.1分，并列第三名。")
    )
    assert [(r.unit_raw, r.rank, str(r.score)) for r in rows] == [
        ("郊区", 1, "96.8"),
        ("义安区", 3, "94.1"),
        ("铜官区", 3, "94.1"),
    ]


def test_ranking_without_a_score_keeps_score_none() -> None:
    rows = extract_prose_ranks(lines_of("魏都区位列全市第一名，鄢陵县、襄城县并列第二名。"))
    assert [(r.unit_raw, r.rank, r.score) for r in rows] == [
        ("鄢陵县", 2, None),
        ("襄城县", 2, None),
        ("魏都区", 1, None),
    ]


def test_grade_group_needs_two_group_headings() -> None:
    # One chapter heading above the only lists says nothing about groups (as a single ranked
    # table has none); narrative headings (`一、考核结果`) are never a group.
    one = extract_grade_lists(lines_of("一、县（市、区）", "优秀：汨罗市、临湘市", "良好：平江县"))
    assert {r.group for r in one} == {None}
    narrative = extract_grade_lists(
        lines_of("一、考核结果", "优秀：汨罗市", "二、成员单位", "优秀：市公安局")
    )
    assert [r.group for r in narrative] == [None, None]


def test_unit_colon_heading_not_in_table_opens_a_section() -> None:
    lines = lines_of(
        "甲村：", "①村内沟渠存在垃圾漂浮物，扣1分；", "河西村：", "③背街小巷卫生死角清理不彻底，扣1分；"
    )
    result = extract_sections(lines, ["甲村", "乙村"], set())
    assert [(s.unit, len(s.entries)) for s in result.sections] == [("甲村", 1), ("河西村", 1)]
    # A column word is a kind of unit, not one: `乡镇：` opens no section.
    result = extract_sections(lines_of("乡镇：", "①村内沟渠存在垃圾漂浮物，扣1分；"), ["甲村"], set())
    assert result.sections == []


def test_labelled_line_without_amount_joins_the_unlabelled_line_with_it() -> None:
    lines = lines_of(
        "安阳县（93.5分）", "28、建筑施工领域违法分包转包打击力度", "不够（扣2分）", "29、台账不全（扣1分）"
    )
    result = extract_sections(lines, ["安阳县"], set())
    entries = [(e.entry.items, str(e.entry.points), e.entry.reason) for e in result.sections[0].entries]
    assert entries == [([28], "2", "建筑施工领域违法分包转包打击力度不够"), ([29], "1", "台账不全")]
    assert result.unmatched == []
    assert (result.sections[0].entries[0].line.line_no, result.sections[0].entries[0].line.last_line) == (
        2,
        3,
    )
    # Two labelled lines are two entries, even when the first has no amount.
    result = extract_sections(
        lines_of("安阳县（93.5分）", "28、建筑施工领域违法分包", "29、台账不全（扣1分）"), ["安阳县"], set()
    )
    assert [e.entry.items for e in result.sections[0].entries] == [[29]]
    assert [ln.line_no for ln in result.unmatched] == [2]


def test_colon_after_is_introduces_the_list() -> None:
    # fc-03: `排名前三位的是：A、B、C`; the colon after 是 is part of the pattern, not a lead-in to drop.
    rows = extract_prose_ranks(
        lines_of(
            "对全市11个县（市、区）进行了考核。从考核结果看，排名前三位的是：资兴市、永兴县、宜章县；"
            "排名后三位的是：临武县、汝城县、北湖区，其中北湖区排名倒数第一。"
        )
    )
    assert [(r.unit_raw, r.rank) for r in rows] == [
        ("资兴市", 1),
        ("永兴县", 2),
        ("宜章县", 3),
        ("临武县", 9),
        ("汝城县", 10),
        ("北湖区", 11),
    ]


def test_place_then_colon_is_a_rank() -> None:
    # fd-08 `倒数第一名：阜南县；` / `倒数第二名：临泉县。`: the colon stands for 为, and is no lead-in to drop.
    rows = extract_prose_ranks(
        lines_of("对全市8个县（市、区）进行了考评。", "倒数第一名：阜南县；", "倒数第二名：临泉县。")
    )
    assert [(r.unit_raw, r.rank, r.rank_raw) for r in rows] == [
        ("阜南县", 8, "倒数第1"),
        ("临泉县", 7, "倒数第2"),
    ]
    rows = extract_prose_ranks(lines_of("第一名：青阳县教育体育局", "考评结果：第二名：贵池区教育体育局"))
    assert [(r.unit_raw, r.rank) for r in rows] == [("青阳县教育体育局", 1), ("贵池区教育体育局", 2)]
    # A colon after a place that names no unit yields nothing.
    assert extract_prose_ranks(lines_of("第一名：要加强线索核查工作力度并按时办结")) == []


def test_grade_list_counted_in_schools_firms_or_people() -> None:
    # fd-11 `优秀等次（8所）：…`: the count note names units by their kind, not only 个.
    rows = extract_grade_lists(
        lines_of(
            "优秀等次（2所）：池州市第一中学、石台县仁里中学",
            "良好（1家）：安徽华源建设有限公司",
            "合格等次（共3个单位）：东至县、石台县、青阳县",
        )
    )
    assert [(r.unit_raw, r.grade) for r in rows] == [
        ("池州市第一中学", "优秀"),
        ("石台县仁里中学", "优秀"),
        ("安徽华源建设有限公司", "良好"),
        ("东至县", "合格"),
        ("石台县", "合格"),
        ("青阳县", "合格"),
    ]


def test_schools_and_institutions_look_like_units_sentences_do_not() -> None:
    for name in (
        "池州市第一中学",
        "石台县仁里中学",
        "池州市实验小学",
        "青阳县教育体育局",
        "贵池区机关幼儿园",
        "池州职业技术学院",
        "东至县人民医院",
        "梅街镇卫生院",
        "市疾控中心",
        "东流村党支部",
        "池州市特殊教育学校",
    ):
        assert looks_like_unit(name), name
    for text in (
        "希望受到表扬的单位珍惜荣誉",
        "各学校要以先进为榜样，坚持安全第一",
        "全市教育系统深入贯彻落实上级关于校园安全工作的决策部署",
    ):
        assert not looks_like_unit(text), text


def test_place_then_score_glued_spaced_tied_or_with_a_change_after_it() -> None:
    # y01 `第一名：岭南县 91.06分`, y04 `第一名鲤江区86.15分，较上月提高1.35分`, y15 `（并列）`: the change
    # against last month is neither a score nor a place.
    rows = extract_prose_ranks(
        lines_of(
            "第一名：岭南县 91.06分",
            "第二名鲤江区86.15分，较上月提高1.35分，排名上升3位；第三名：白沙镇、青林镇（并列），85.2分。",
        )
    )
    assert [(r.unit_raw, r.rank, str(r.score)) for r in rows] == [
        ("岭南县", 1, "91.06"),
        ("鲤江区", 2, "86.15"),
        ("白沙镇", 3, "85.2"),
        ("青林镇", 3, "85.2"),
    ]
    # Two names at one place without a word that says they tie are not read.
    assert extract_prose_ranks(lines_of("第一名：白沙镇、青林镇，95.2分")) == []


def test_one_numbered_line_per_place_under_a_ranking_lead_in() -> None:
    # y12: the printed numbers are the places; a score out of order is kept for rank_order to flag.
    rows = extract_prose_ranks(
        lines_of(
            "考评排名如下：", "1.东岭镇 95.60分（较上季度上升3位）", "2.西坡乡 93.15分", "3.南冲镇 94.02分"
        )
    )
    assert [(r.unit_raw, r.rank, str(r.score)) for r in rows] == [
        ("东岭镇", 1, "95.60"),
        ("西坡乡", 2, "93.15"),
        ("南冲镇", 3, "94.02"),
    ]
    # Without a lead-in that says it ranks, numbered lines are any list; a line that is not a unit
    # and its score makes the run a doubt, not rows.
    assert extract_prose_ranks(lines_of("检查情况如下：", "1.东岭镇 95.60分", "2.西坡乡 93.15分")) == []
    unread: list = []
    assert (
        extract_prose_ranks(lines_of("排名如下：", "1.东岭镇 95分", "2.台账不全 93分"), unread=unread) == []
    )
    assert len(unread) == 1


def test_scores_left_after_deductions_are_scores() -> None:
    # y10 `扣分后各街道得分：…`: what is left after the points taken is each unit's score; a list of
    # the points taken (`扣分情况：…`) is not.
    rows = extract_prose_ranks(lines_of("扣分后各街道得分：城南街道98.5分，城北街道100分。"))
    assert [(r.unit_raw, r.rank, str(r.score)) for r in rows] == [
        ("城南街道", None, "98.5"),
        ("城北街道", None, "100"),
    ]
    assert extract_prose_ranks(lines_of("各街道扣分：城南街道1.5分，城北街道2分。")) == []


def test_grade_named_after_dengci_wei_in_quotation_marks() -> None:
    # y08: the units graded, and a count of units per grade that names none.
    rows = extract_grade_lists(
        lines_of(
            "全市28个镇（街），综合评价等次为“优秀”的12个，为“良好”的16个。",
            "其中，抽查考核的4个镇：南湾镇、东坑镇综合评价等次为“优秀”；大岭镇、石排镇综合评价等次为“良好”。",
        )
    )
    assert [(r.unit_raw, r.grade) for r in rows] == [
        ("南湾镇", "优秀"),
        ("东坑镇", "优秀"),
        ("大岭镇", "良好"),
        ("石排镇", "良好"),
    ]


def test_names_in_order_from_the_highest_score() -> None:
    # y02: the note after the list says it runs from the highest score down.
    rows = extract_prose_ranks(lines_of("西江区、东岭区、点石区。（从高到低依次）请各区抓好整改。"))
    assert [(r.unit_raw, r.rank, r.score) for r in rows] == [
        ("西江区", 1, None),
        ("东岭区", 2, None),
        ("点石区", 3, None),
    ]
    assert extract_prose_ranks(lines_of("西江区、东岭区、点石区。")) == []


def test_top_places_with_their_scores_then_a_run_of_places() -> None:
    # y03: `居全市前三位，得分分别为…`, then `第4—5名分别为…，其后依次是…`.
    rows = extract_prose_ranks(
        lines_of(
            "从排名情况看，青岚县、海口区、白鹭县居全市前三位，得分分别为79.2分、77.6分、76.8分。"
            "第4—5名分别为琼东县、澄江县，其后依次是临高县、万宁市。"
        )
    )
    assert [(r.unit_raw, r.rank, None if r.score is None else str(r.score)) for r in rows] == [
        ("青岚县", 1, "79.2"),
        ("海口区", 2, "77.6"),
        ("白鹭县", 3, "76.8"),
        ("琼东县", 4, None),
        ("澄江县", 5, None),
        ("临高县", 6, None),
        ("万宁市", 7, None),
    ]
    # Names that do not fill the run one apiece: a doubt, no rows.
    unread: list = []
    assert extract_prose_ranks(lines_of("第4—6名分别为琼东县、澄江县。"), unread=unread) == []
    assert len(unread) == 1


def test_a_place_noted_as_the_last() -> None:
    # y07 `第六名（末位）：…，扣减当月工作经费2000元`: the note is the place's, the fine is money.
    rows = extract_prose_ranks(lines_of("第六名（末位）：金山工业园社区，扣减当月工作经费2000元。"))
    assert [(r.unit_raw, r.rank, r.score) for r in rows] == [("金山工业园社区", 6, None)]


def test_a_score_clause_after_a_units_place_is_its_score() -> None:
    # y09 `浦江区位列第三，得分为80.21`: the score follows the place in the next clause.
    rows = extract_prose_ranks(lines_of("浦江区位列第三，得分为80.21；白沙县位列第四，较上月上升2位。"))
    assert [(r.unit_raw, r.rank, None if r.score is None else str(r.score)) for r in rows] == [
        ("浦江区", 3, "80.21"),
        ("白沙县", 4, None),
    ]


def test_numbered_lines_under_a_bottom_lead_in_are_no_places() -> None:
    # `排名靠后的单位：` then `1.甲镇 80分`: the list numbers count the last places, not from the top.
    assert extract_prose_ranks(lines_of("排名靠后的单位如下：", "1.甲镇 80分", "2.乙镇 79分")) == []
