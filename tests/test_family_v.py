"""Shapes of the v gold set (tests/fixtures/make_gold_v.py), each in a small invented page named by
the case it covers (tests/fixtures/family6/): what it must yield, and nothing more.

No number without structure: every row each page yields is written out here.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.entries import split_entries
from tests.family_pages import entries, page_parser, scores

parsed = page_parser("family6")


def test_a_total_column_beside_the_amounts_restates_them() -> None:
    """v07: `单位 | 存在问题 | 扣分 | 合计扣分`, the unit and the total merged down its problems."""
    ex = parsed("deduction-table-total-column-beside-amounts.md")
    assert entries(ex) == [
        ("甲客运公司", [], "deduction", Decimal("1"), "培训记录不全"),
        ("甲客运公司", [], "deduction", Decimal("2"), "监控装置离线"),
        ("乙货运公司", [], "deduction", Decimal("1.5"), "消防器材过期"),
    ]


def test_a_cells_paragraphs_are_its_entries_and_the_score_beside_them_is_read() -> None:
    """v15: one Word paragraph per problem in a cell (joined by a space), `合计扣分 | 得分` beside."""
    ex = parsed("deduction-table-cell-paragraphs-total-and-score.md")
    assert entries(ex) == [
        ("甲燃气公司", [], "deduction", Decimal("1"), "报警器安装率未达标"),
        ("甲燃气公司", [], "deduction", Decimal("0.5"), "巡线记录缺失"),
        ("乙燃气公司", [], "deduction", Decimal("1"), "充装台账不规范"),
    ]
    assert scores(ex) == [("甲燃气公司", None, Decimal("98.5")), ("乙燃气公司", None, Decimal("99"))]


def test_scores_on_rows_whose_unit_is_carried_are_the_items_own() -> None:
    """`单位 | 扣分事项 | 扣分 | 得分` with a score on every item's row: no unit's score at all."""
    ex = parsed("deduction-table-item-scores-are-not-unit-scores.md")
    assert scores(ex) == []
    assert [(u, p) for u, _, _, p, _ in entries(ex)] == [("甲镇", Decimal("1")), ("甲镇", Decimal("0.5"))]


def test_a_zero_in_the_deduction_column_is_no_entry() -> None:
    """v03: `甲镇 | 100 | 0 | — | 100 | 1` — nothing deducted, no 0-point row; the scores are read."""
    ex = parsed("deduction-table-zero-amount-is-no-entry.md")
    assert entries(ex) == [("乙镇", [], "deduction", Decimal("2"), "月报迟报2天")]
    assert scores(ex) == [("甲镇", 1, Decimal("100")), ("乙镇", 2, Decimal("98"))]


def test_an_amount_followed_by_the_next_label_ends_an_entry() -> None:
    """v15.pdf glues a cell's wrapped paragraphs: `…，扣1分2.巡线…`; `扣1分2.5` stays a number run."""
    assert split_entries("1.报警器未达标，扣1分2.巡线记录缺失，扣0.5分") == [
        "1.报警器未达标，扣1分",
        "2.巡线记录缺失，扣0.5分",
    ]
    assert split_entries("（1）甲，扣1分（2）乙，扣2分") == ["（1）甲，扣1分", "（2）乙，扣2分"]
    assert split_entries("扣1分2.5") == ["扣1分2.5"]


def test_a_group_column_merged_down_names_each_rows_group() -> None:
    """v06: `组别 | 街道（镇） | 得分 | 组内排名 | 较上月`, the group merged down its streets, ranks
    restarting in each group; the change column is no score."""
    ex = parsed("score-table-group-column-merged-down.md")
    assert [(r.unit_raw, r.group, r.rank, r.score) for r in ex.scores] == [
        ("东街道", "中心城区组", 1, Decimal("96.5")),
        ("西街道", "中心城区组", 2, Decimal("95")),
        ("南镇", "城郊组", 1, Decimal("94")),
        ("北镇", "城郊组", 2, Decimal("93")),
    ]
    assert ex.entries == []


def test_columns_under_a_weighted_part_are_its_own_figures() -> None:
    """v13: `日常考核（权重40%）` merged over `得分 | 折算分`: the first is the part's score, the
    weighted one no score at all; the unit's score is `综合得分` (was the part's 92)."""
    ex = parsed("weighted-parts-over-raw-and-weighted-columns.md")
    assert scores(ex) == [("甲区医保分局", 1, Decimal("93.8")), ("乙区医保分局", 2, Decimal("92.7"))]
    assert [[(name, w, v) for name, w, v in r.parts] for r in ex.scores] == [
        [("日常考核", Decimal("0.4"), Decimal("92")), ("年终考核", Decimal("0.6"), Decimal("95"))],
        [("日常考核", Decimal("0.4"), Decimal("96")), ("年终考核", Decimal("0.6"), Decimal("90.5"))],
    ]


def test_numbers_counting_each_units_problems_are_no_items_beside_a_bonus_section() -> None:
    """v04: `1.` `2.` again under each unit's heading count its problems; a 加分 section numbered
    across units (`1.乙镇：…，加1分。`) does not make them rubric items."""
    ex = parsed("numbered-entries-per-unit-with-bonus-section.txt")
    assert entries(ex) == [
        ("甲街道", [], "deduction", Decimal("2"), "体检初检合格率偏低"),
        ("甲街道", [], "deduction", Decimal("3"), "大学生征集任务未完成"),
        ("乙镇", [], "deduction", Decimal("1"), "兵役登记信息录入不完整"),
        ("乙镇", [], "bonus", Decimal("1"), "输送学历兵比例居全区第一"),
        ("丙街道", [], "bonus", Decimal("0.5"), "征兵宣传被省级媒体报道"),
    ]


def test_an_issuer_named_by_its_hotline_number_or_an_archives_is_read() -> None:
    """v01 `清河市12345政务服务便民热线管理中心`, v14 `澧水县档案馆` above the 发文字号 and in the signature."""
    assert parsed("issuer-hotline-centre-named-by-its-number.txt").metadata.issuer == (
        "清河市12345政务服务便民热线管理中心"
    )
    assert parsed("issuer-county-archives.txt").metadata.issuer == "澧水县档案馆"


def test_units_with_their_scores_then_where_they_stand_are_scores() -> None:
    """v01: `市体育中心86.5分、市供销社88.2分排名靠后。` — each a unit's score, no rank; an item's own
    `该项得分为0分` and the counts are none."""
    ex = parsed("scored-units-then-their-place.txt")
    assert scores(ex) == [
        ("市档案局", None, Decimal("99.5")),
        ("市气象局", None, Decimal("99")),
        ("市体育中心", None, Decimal("86.5")),
        ("市供销社", None, Decimal("88.2")),
    ]
    assert ex.entries == []
