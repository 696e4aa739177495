"""Fixes made for gold set aa (tests/fixtures/make_gold_aa.py), each in a small invented page of
tests/fixtures/family15/ named by the case it covers: what it must yield, and nothing more.

No number without structure: every row each page yields is written out here.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.tables.roles import cell_role
from tests.family_pages import entries, page_parser, scores

parsed = page_parser("family15")


def test_last_months_points_are_not_this_months_deductions() -> None:
    """aa01: `上月扣分 | 本月扣分 | 较上月增减 | 本月得分` — both 扣分 columns were read, every unit's
    deductions doubled and each score flagged as not adding up."""
    ex = parsed("previous-month-points-column.md")
    assert scores(ex) == [("东坪镇", 1, Decimal("99")), ("西岭镇", 2, Decimal("97.5"))]
    assert entries(ex) == [
        ("东坪镇", [], "deduction", Decimal("1"), "本月扣分"),
        ("西岭镇", [], "deduction", Decimal("2.5"), "本月扣分"),
    ]
    assert (cell_role("上月扣分"), cell_role("较上月增减"), cell_role("暗访扣分")) == (
        "other_period",
        "change",
        "points",
    )


def test_a_subtotal_row_is_no_entry_and_one_that_does_not_add_up_is_said() -> None:
    """aa08: `| | 小计 | | 1.5 |` under each town's rows (the word in the 序号 column, the problem cell
    blank) was read as one more deduction; 西岭镇's 小计 of 1 over its 0.5 is named, not read."""
    ex = parsed("subtotal-rows-in-the-seq-column.md")
    assert entries(ex) == [
        ("东坪镇", [], "deduction", Decimal("0.5"), "散装食品未标注生产日期"),
        ("东坪镇", [], "deduction", Decimal("1"), "冷柜温度记录不全"),
        ("西岭镇", [], "deduction", Decimal("0.5"), "从业人员未戴口罩"),
    ]
    assert [(u.first.line_no, u.reason) for u in ex.unread] == [
        (13, "a 小计 row of 1 that is not the sum of 西岭镇's rows above")
    ]


def test_closing_totals_named_by_period_or_summing_both_lists_and_a_unit_with_nothing_found() -> None:
    """aa06 `合计扣5分，本月得分95分。` and aa03 `以上扣1分、加0.5分，最终得分99.5分。` were read as one
    more deduction or bonus and the score lost; aa06 `本月未发现问题，得分100分。` lost its score."""
    ex = parsed("closing-totals-and-nothing-found.txt")
    assert scores(ex) == [
        ("东坪镇", None, Decimal("98.5")),
        ("西岭镇", None, Decimal("100")),
        ("南湖镇", None, Decimal("99.5")),
    ]
    assert entries(ex) == [
        ("东坪镇", [1], "deduction", Decimal("1"), "1处工地裸土未覆盖"),
        ("东坪镇", [2], "deduction", Decimal("0.5"), "车辆冲洗设施未使用"),
        ("南湖镇", [1], "deduction", Decimal("1"), "渣土车未密闭"),
        ("南湖镇", [1], "bonus", Decimal("0.5"), "主动上报问题线索"),
    ]
    assert [(s.unit, s.no_deductions) for s in ex.sections][1] == ("西岭镇", True)


def test_scores_closing_numbered_paragraphs_of_problems_without_points() -> None:
    """aa07: `（一）区…局。2件…；1件…。本季度考核得分87.5分。` — a long paragraph was no heading (its score
    past the first 48 characters), and headings over problems without points gave no score rows."""
    ex = parsed("scores-closing-problem-paragraphs.txt")
    assert scores(ex) == [("区自然资源和规划局", None, Decimal("87.5")), ("区水利局", None, Decimal("89"))]
    assert entries(ex) == []


def test_traffic_lights_are_the_units_grades() -> None:
    """aa05: `亮灯情况` with 绿灯/黄灯/红灯 was a column of nothing; the 办件量 counts stay no score."""
    ex = parsed("traffic-lights-as-grades.md")
    assert [(row.unit_raw, row.score, row.grade) for row in ex.scores] == [
        ("区民政局", Decimal("92.5"), "绿灯"),
        ("区司法局", Decimal("81"), "红灯"),
    ]
