"""Shapes of the z gold set (tests/fixtures/make_gold_z.py), each in a small invented page named by
the case it covers (tests/fixtures/family5/): what it must yield, and nothing more.

No number without structure: every row each page yields is written out here, and each refusal
with the message a person reads.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from parsers.document import Extraction, parse_document
from parsers.model import Line
from parsers.prose_entries import prose_entries
from pipeline.reconcile import reconcile

FIXTURES = Path(__file__).parent / "fixtures" / "family5"


def parsed(name: str) -> Extraction:
    return parse_document((FIXTURES / name).read_bytes(), name)


def scores(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def entries(ex: Extraction) -> list[tuple[str, str, Decimal, str]]:
    return [(e.unit, e.entry.kind, e.entry.points, e.entry.reason) for e in ex.entries]


def unread(ex: Extraction) -> list[tuple[int, int, str, str]]:
    return [(u.first.line_no, u.last.line_no, u.kind, u.reason) for u in ex.unread]


def test_a_fenzhi_column_beside_a_deduction_column_is_the_base() -> None:
    """z02: `分值 | 加分 | 扣分 | 总得分` — 分值 is what each unit starts from, 加分 and 扣分 are rows."""
    ex = parsed("base-column-named-fenzhi-beside-deductions.md")
    assert scores(ex) == [("甲局", 1, Decimal("101")), ("乙局", 2, Decimal("98"))]
    assert entries(ex) == [
        ("甲局", "bonus", Decimal("1.5"), "加分"),
        ("甲局", "deduction", Decimal("0.5"), "扣分"),
        ("乙局", "deduction", Decimal("2"), "扣分"),
    ]
    assert unread(ex) == []


def test_a_fenzhi_column_alone_beside_a_problem_is_the_amount() -> None:
    """`问题 | 分值`: with no other deduction column, 分值 is still the amount deducted."""
    ex = parsed("fenzhi-column-alone-is-the-amount.md")
    assert entries(ex) == [
        ("甲局", "deduction", Decimal("1"), "窗口人员脱岗"),
        ("乙局", "deduction", Decimal("0.5"), "办件超时2件"),
    ]


def test_total_rows_of_a_deduction_table_restate_and_are_no_entries() -> None:
    """z14: `甲店 | 合计 | -0.75` after 甲店's rows is their sum; a 小计 that is not the sum is said."""
    ex = parsed("deduction-table-total-rows-restate.md")
    assert entries(ex) == [
        ("甲店", "deduction", Decimal("0.5"), "安全出口堵塞"),
        ("甲店", "deduction", Decimal("0.25"), "灭火器过期1具"),
        ("乙店", "deduction", Decimal("0.5"), "应急灯损坏"),
    ]
    assert scores(ex) == [("甲店", None, Decimal("99.25")), ("乙店", None, Decimal("99.5"))]
    assert unread(ex) == [(13, 13, "table", "a 小计 row of -1 that is not the sum of 乙店's rows above")]


def test_a_score_line_after_the_entries_closes_a_units_section() -> None:
    """z10: `考核得分：99.25分。` on its own line after the entries under `一、东城监管所`."""
    ex = parsed("score-line-after-entries-under-heading.txt")
    assert scores(ex) == [("东城监管所", None, Decimal("99.25")), ("西城监管所", None, Decimal("99"))]
    assert entries(ex) == [
        ("东城监管所", "deduction", Decimal("0.5"), "餐饮单位未公示许可证"),
        ("东城监管所", "deduction", Decimal("0.25"), "投诉处理超时1件"),
        ("西城监管所", "deduction", Decimal("1"), "快检室未正常运行"),
    ]


def test_change_notes_after_listed_scores_are_not_scores() -> None:
    """z04: `甲街道99分（较上月提高0.5分）` — the score is read, the change is not a row; `累计扣1分`
    restates the entries."""
    ex = parsed("scores-in-sentence-with-change-notes.txt")
    assert scores(ex) == [("甲街道", None, Decimal("99")), ("乙街道", None, Decimal("99.5"))]
    assert entries(ex) == [
        ("甲街道", "deduction", Decimal("1"), "投放点无人值守"),
        ("乙街道", "deduction", Decimal("0.5"), "宣传栏未更新"),
    ]


def test_a_change_column_beside_ranks_printed_one_cell_per_line() -> None:
    """z12: `名次 | 村 | 较上月` with `↑2`, `—`, `↓1`, one cell a line: ranks with no score; the arrows
    and the prize money are no rows."""
    ex = parsed("ranks-only-with-change-column-one-cell-per-line.txt")
    assert scores(ex) == [("东坪村", 1, None), ("西坪村", 2, None), ("南坪村", 3, None)]
    assert entries(ex) == []
    assert unread(ex) == []


def test_a_veto_in_the_score_cell_of_a_table_printed_one_cell_per_line() -> None:
    """z05: `东坪村 | 一票否决 | 不合格`: the row is read with its grade and no score."""
    ex = parsed("veto-in-score-cell-one-cell-per-line.txt")
    assert [(r.unit_raw, r.score, r.grade) for r in ex.scores] == [
        ("西坪村", Decimal("98.5"), "优秀"),
        ("南坪村", Decimal("96"), "合格"),
        ("东坪村", None, "不合格"),
    ]
    assert entries(ex) == []
    assert unread(ex) == []


def test_a_count_and_a_rate_glued_to_the_amount_are_not_the_reason() -> None:
    """z09: `…，发现3处，按每处0.5分扣1.5分。` — 1.5 points; the count and the rate belong to the amount
    (as `发现4处，每处扣0.5分` does in the shared corpus)."""
    ex = parsed("count-then-rate-before-the-amount.txt")
    assert entries(ex) == [
        ("甲镇", "deduction", Decimal("1.5"), "建筑工地裸土未覆盖"),
        ("甲镇", "deduction", Decimal("1"), "渣土车未密闭运输"),
        ("乙乡", "deduction", Decimal("1"), "道路积尘"),
    ]
    assert scores(ex) == [("甲镇", None, Decimal("97.5")), ("乙乡", None, Decimal("99"))]


def unread_findings(name: str) -> list[tuple[int | None, str]]:
    ex = parsed(name)
    return [(f.line_start, f.message) for f in reconcile(ex, "doc")[1] if f.check == "unread_block"]


def test_respectively_amounts_that_outnumber_bare_names_are_an_unread_block() -> None:
    """`青石镇、白沙镇分别扣2分、1分、3分。`: three amounts for two units cannot be paired — no rows and a
    finding naming the line (was skipped silently); the next clause, with 各, is still read."""
    ex = parsed("respectively-amounts-more-than-names.txt")
    assert entries(ex) == [
        ("柳河乡", "deduction", Decimal("1"), "柳河乡、马岭镇集镇主街有占道经营现象"),
        ("马岭镇", "deduction", Decimal("1"), "柳河乡、马岭镇集镇主街有占道经营现象"),
    ]
    assert unread_findings("respectively-amounts-more-than-names.txt") == [
        (
            7,
            "line 7 look like deduction entries but were not read: 3 amounts for 2 units (青石镇、白沙镇) "
            "with 分别 (respectively): they cannot be paired, not attributed; no rows came from them, "
            "read them by hand (first line: '青石镇、白沙镇分别扣2分、1分、3分。').",
        )
    ]


def test_respectively_amounts_for_bare_names_without_a_problem_are_an_unread_block() -> None:
    """`青石镇、白沙镇分别扣2分、1分。`: paired, but no problem is named — it may restate totals listed
    elsewhere, so no rows and a finding (was skipped silently)."""
    ex = parsed("respectively-amounts-bare-names-match.txt")
    assert entries(ex) == []
    assert unread_findings("respectively-amounts-bare-names-match.txt") == [
        (
            7,
            "line 7 look like deduction entries but were not read: amounts for 青石镇、白沙镇 with no "
            "problem named (totals of entries listed elsewhere?): not read as entries; no rows came from "
            "them, read them by hand (first line: '青石镇、白沙镇分别扣2分、1分。').",
        )
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "青石镇、白沙镇扣2分。",
            "1 amount for 2 units (青石镇、白沙镇) without 分别 or 各: they cannot be paired, not attributed",
        ),
        (
            "青石镇、白沙镇扣2分、1分。",
            "2 amounts for 2 units (青石镇、白沙镇) without 分别 or 各: they cannot be paired, not attributed",
        ),
        (
            "青石镇分别扣2分、1分。",
            "2 amounts for 1 unit (青石镇) with 分别 (respectively): they cannot be paired, not attributed",
        ),
        (
            "青石镇、白沙镇、柳河乡分别扣2分、1分。",
            "2 amounts for 3 units (青石镇、白沙镇、柳河乡) with 分别 (respectively): they cannot be paired, not attributed",
        ),
        (
            "青石镇、白沙镇各扣1分。",
            "amounts for 青石镇、白沙镇 with no problem named (totals of entries listed elsewhere?): not read as entries",
        ),
        ("青石镇扣2分。", None),  # one unit, one amount: its own section's line
    ],
)
def test_a_clause_of_bare_unit_names_gives_no_rows_and_says_why(text: str, why: str | None) -> None:
    read = prose_entries(Line(text, 1), ["青石镇", "白沙镇", "柳河乡"])
    assert read.entries == []
    assert [block.reason for block in read.unread] == ([why] if why else [])
