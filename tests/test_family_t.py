"""Shapes of the t gold set (tests/fixtures/make_gold_t.py: results as matrices, tables as archives
hold them), each in a small invented page named by the case it covers (tests/fixtures/family8/):
what it must yield, and nothing more.

No number without structure: every row each page yields is written out here.
"""

from __future__ import annotations

from decimal import Decimal

from tests.family_pages import entries, page_parser, scores

parsed = page_parser("family8")


def test_a_matrix_of_points_lost_per_item_gives_one_deduction_per_cell() -> None:
    """t01, t02, t05, t12: `扣分情况` merged over `一、组织领导（10分）| …` beside `加分 | 总分 | 排名`:
    each non-blank cell is the points lost on its item (`-0.5` as `0.5`; `/`, `—` none), named by
    the item without its label and maximum; the 加分 is a bonus; the 合计 row is no unit."""
    ex = parsed("matrix-of-points-lost-per-item.md")
    assert scores(ex) == [
        ("甲镇", 2, Decimal("98.5")),
        ("乙乡", 1, Decimal("99")),
        ("丙镇", 3, Decimal("97")),
    ]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "组织领导"),
        ("甲镇", [], "deduction", Decimal("0.5"), "工程管护"),
        ("乙乡", [], "deduction", Decimal("2"), "水质检测"),
        ("乙乡", [], "bonus", Decimal("1"), "加分"),
        ("丙镇", [], "deduction", Decimal("0.5"), "组织领导"),
        ("丙镇", [], "deduction", Decimal("1.5"), "水质检测"),
        ("丙镇", [], "deduction", Decimal("1"), "工程管护"),
    ]


def test_a_matrix_of_points_earned_per_item_gives_no_deduction() -> None:
    """t04: `各项得分` over items without their maxima: the cells are points earned, and nothing says
    what was lost; the 测评总分 (a total named by how it was given) and 排名 are the rows."""
    ex = parsed("matrix-of-points-earned-per-item.md")
    assert scores(ex) == [
        ("甲镇", 2, Decimal("36.5")),
        ("乙乡", 1, Decimal("39")),
        ("丙镇", 3, Decimal("36")),
    ]
    assert entries(ex) == []


def test_item_columns_adding_up_to_a_total_column_are_points_lost() -> None:
    """t11: a GBK CSV `组织保障（10分）| 隐患排查（40分）| … | 扣分合计 | 得分 | 排名`: on every row the
    item cells add up to 扣分合计, which says they are points lost; each is a deduction named by
    its item, and the total is none of its own (nor a weighted part's false score_mismatch)."""
    ex = parsed("item-columns-summed-by-a-total-column.csv")
    assert scores(ex) == [
        ("甲镇", 2, Decimal("97.5")),
        ("乙乡", 1, Decimal("99.5")),
        ("丙镇", 3, Decimal("97")),
    ]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1.5"), "隐患排查"),
        ("甲镇", [], "deduction", Decimal("1"), "执法检查"),
        ("乙乡", [], "deduction", Decimal("0.5"), "组织保障"),
        ("丙镇", [], "deduction", Decimal("1"), "组织保障"),
        ("丙镇", [], "deduction", Decimal("2"), "隐患排查"),
    ]
    assert ex.unread == []


def test_item_columns_not_adding_up_to_their_total_are_not_read_and_said() -> None:
    """t10: items beside a 扣分合计 that holds more than they add up to on one row (a deduction
    noted elsewhere): no row from the items, and an unread block naming the rows."""
    ex = parsed("item-columns-not-adding-up-to-their-total.csv")
    assert scores(ex) == [
        ("甲镇", 1, Decimal("97.5")),
        ("乙乡", 1, Decimal("97.5")),
        ("丙镇", 3, Decimal("95")),
    ]
    assert entries(ex) == []
    assert [(u.first.line_no, u.last.line_no) for u in ex.unread] == [(3, 5)]
    assert "乙乡" in ex.unread[0].reason


def test_a_note_whose_points_the_total_counts_is_an_entry_of_its_own() -> None:
    """t10: a 备注 `另：案件超期未处置，扣3分` on the row whose 扣分合计 holds the items plus those 3
    points: the items are points lost, and the note is the row's entry; a 备注 without an amount
    (`整改及时`) is none."""
    ex = parsed("item-columns-with-a-note-counted-in-their-total.csv")
    assert scores(ex) == [
        ("东社区", 1, Decimal("98.5")),
        ("西社区", 2, Decimal("96.5")),
        ("南社区", 3, Decimal("97")),
    ]
    assert [(unit, points, reason) for unit, _, _, points, reason in entries(ex)] == [
        ("东社区", Decimal("1"), "市容秩序"),
        ("东社区", Decimal("0.5"), "违章搭建"),
        ("西社区", Decimal("3"), "案件超期未处置"),
        ("西社区", Decimal("0.5"), "环境卫生"),
        ("南社区", Decimal("2"), "市容秩序"),
        ("南社区", Decimal("1"), "环境卫生"),
    ]
    assert ex.unread == []


def test_a_subtotal_under_a_matrixs_items_is_no_item() -> None:
    """`扣分情况` over `火灾防控 | 宣传教育 | 小计`: the 小计 sums the items beside it; only the items
    are deductions (read as one more, it would double every unit's deductions)."""
    ex = parsed("matrix-with-a-subtotal-under-its-items.md")
    assert scores(ex) == [("甲镇", 1, Decimal("98.5")), ("乙乡", 2, Decimal("98"))]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "火灾防控"),
        ("甲镇", [], "deduction", Decimal("0.5"), "宣传教育"),
        ("乙乡", [], "deduction", Decimal("2"), "火灾防控"),
    ]


def test_a_matrix_pasted_with_tabs_keeps_its_empty_cells_where_they_stand() -> None:
    """A matrix pasted from a spreadsheet into a GBK .txt (`乙乡\\t\\t2\\t—\\t1\\t99\\t1`, the header's
    second row opening with a tab): each tab is a column, so a blank item stays blank instead of
    the cells after it moving left; read as the same matrix in a Word table is."""
    ex = parsed("matrix-pasted-from-a-spreadsheet-with-tabs.txt")
    assert scores(ex) == [
        ("甲镇", 2, Decimal("98.5")),
        ("乙乡", 1, Decimal("99")),
        ("丙镇", 3, Decimal("97")),
    ]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "组织领导"),
        ("甲镇", [], "deduction", Decimal("0.5"), "工程管护"),
        ("乙乡", [], "deduction", Decimal("2"), "水质检测"),
        ("乙乡", [], "bonus", Decimal("1"), "加分"),
        ("丙镇", [], "deduction", Decimal("0.5"), "组织领导"),
        ("丙镇", [], "deduction", Decimal("1.5"), "水质检测"),
        ("丙镇", [], "deduction", Decimal("1"), "工程管护"),
    ]


def test_items_with_maxima_that_the_score_is_taken_from_are_points_lost() -> None:
    """`组织领导（10分）| 隐患排查（20分）| … | 加分 | 得分`, every row's score 100 less its items plus
    its 加分: the items are what each unit lost (read as parts, 0.5 + 1 + 2 against 96.5 was a
    false score_mismatch); the 加分 a bonus."""
    ex = parsed("item-columns-with-maxima-the-score-is-taken-from.md")
    assert scores(ex) == [
        ("甲镇", 2, Decimal("96.5")),
        ("乙乡", 1, Decimal("99.5")),
        ("丙镇", 3, Decimal("94")),
    ]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("0.5"), "组织领导"),
        ("甲镇", [], "deduction", Decimal("1"), "隐患排查"),
        ("甲镇", [], "deduction", Decimal("2"), "宣传培训"),
        ("乙乡", [], "deduction", Decimal("1.5"), "隐患排查"),
        ("乙乡", [], "bonus", Decimal("1"), "加分"),
        ("丙镇", [], "deduction", Decimal("1"), "组织领导"),
        ("丙镇", [], "deduction", Decimal("2"), "隐患排查"),
        ("丙镇", [], "deduction", Decimal("3"), "宣传培训"),
    ]


def test_a_deduction_word_centred_over_its_items_spans_them_all() -> None:
    """`| 乡镇 | | 扣分情况 | | 总分 |`: a merged header cell whose word was kept where it was printed,
    in the middle of its columns (a PDF's or a paste's centred text), spans every item under it."""
    ex = parsed("matrix-with-its-deduction-word-centred.md")
    assert scores(ex) == [("甲镇", 1, Decimal("98.5")), ("乙乡", 2, Decimal("97"))]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "组织领导"),
        ("甲镇", [], "deduction", Decimal("0.5"), "工程管护"),
        ("乙乡", [], "deduction", Decimal("2"), "水质检测"),
        ("乙乡", [], "deduction", Decimal("1"), "工程管护"),
    ]
