"""Shapes of the u gold set (tests/fixtures/make_gold_u.py: messy exports, long circulars), each in
a small invented page named by the case it covers (tests/fixtures/family7/): what it must yield,
and nothing more.

No number without structure: every row each page yields is written out here.
"""

from __future__ import annotations

from decimal import Decimal

from tests.family_pages import entries, page_parser, scores

parsed = page_parser("family7")


def test_circled_and_bracketed_numbers_counting_each_units_problems_cite_no_item() -> None:
    """u03, u06, u07: `①…②…`, `（1）…` and `1.…` numbering each unit's problems from 1 are the
    list's own places, not rubric items (as `1.` `2.` already were)."""
    ex = parsed("circled-and-bracketed-list-numbers-per-unit.txt")
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "市场内排水沟堵塞"),
        ("甲镇", [], "deduction", Decimal("0.5"), "公厕无保洁记录"),
        ("乙乡", [], "deduction", Decimal("1"), "摊位占道经营"),
        ("丙镇", [], "deduction", Decimal("1.5"), "垃圾桶满溢未清运"),
        ("丙镇", [], "deduction", Decimal("1"), "活禽区未隔离"),
    ]


def test_a_bonus_sections_lines_numbered_across_units_name_their_unit_first() -> None:
    """u03: `四、加分情况` / `（一）凤岗镇获评…，加1分。` — the label is the line's place, the unit opens
    the clause: a bonus for that unit, citing no item, its name kept in the reason (as x01)."""
    ex = parsed("bonus-lines-numbered-across-units.txt")
    assert entries(ex) == [
        ("乙乡", [], "deduction", Decimal("1"), "河面有漂浮物"),
        ("丙镇", [], "deduction", Decimal("1"), "保洁船未按时出勤"),
        ("甲镇", [], "bonus", Decimal("1"), "甲镇河长制经验被省级简报刊发"),
        ("乙乡", [], "bonus", Decimal("0.5"), "乙乡获评市级美丽河湖"),
    ]


def test_numbered_bonus_clauses_run_on_in_one_line_each_take_their_unit() -> None:
    """u11: `（1）甲街道…，加2分；（2）乙街道…，加1分。` in one paragraph: two units named, no 各, so not
    one problem for both (the by-item reading); each clause is its own unit's."""
    ex = parsed("bonus-clauses-numbered-in-one-line.txt")
    assert sorted(entries(ex)) == [
        ("乙街道", [], "bonus", Decimal("1"), "乙街道应急演练做法被通报表扬"),
        ("乙街道", [], "deduction", Decimal("1"), "宣传活动未开展"),
        ("甲街道", [], "bonus", Decimal("2"), "甲街道获评全省安全社区"),
    ]


def test_markdown_rows_typed_without_their_outer_pipes_are_rows_of_the_table() -> None:
    """u05, u10, u13, u14 .md: ` 乙街道 | 98.5 |  2` and `丙街道 | 97 | 3 |` between `| … |` rows (GFM
    lets a row drop its outer pipes); a `|` in prose below the table stays prose."""
    ex = parsed("markdown-rows-without-outer-pipes.md")
    assert scores(ex) == [
        ("甲街道", 1, Decimal("99")),
        ("乙街道", 2, Decimal("98.5")),
        ("丙街道", 3, Decimal("97")),
        ("丁街道", 4, Decimal("96")),
    ]
    assert entries(ex) == []


def test_places_with_their_scores_run_on_with_commas_are_each_read() -> None:
    """u15: `第一名甲镇（95.2分），第二名乙乡（93.8分），…` — a comma before the next place ends the one
    before (only the last place was read); the prize money and the counts are no scores."""
    ex = parsed("places-with-scores-run-on-with-commas.txt")
    assert scores(ex) == [
        ("甲镇", 1, Decimal("95.2")),
        ("乙乡", 2, Decimal("93.8")),
        ("丙镇", 3, Decimal("90")),
    ]
    assert entries(ex) == []


def test_the_highest_and_the_lowest_scores_in_prose_are_those_units_scores_without_a_rank() -> None:
    """u04: `得分最高的是县民政局（95.5分），最低的是县水务局（80分）` is all the notice says of its units:
    two scores, no rank printed; the average, the share and `最高罚款额度为2000元` are none."""
    ex = parsed("highest-and-lowest-in-prose.txt")
    assert scores(ex) == [("县民政局", None, Decimal("95.5")), ("县水务局", None, Decimal("80"))]
    assert entries(ex) == []
