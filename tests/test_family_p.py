"""Shapes of the p gold set (tests/fixtures/make_gold_p.py), each in a small invented page named by
the case it covers (tests/fixtures/family11/): what it must yield, and nothing more.

No number without structure: every row each page yields is written out here, and each refusal
with what a person reads.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from parsers.document import Extraction
from parsers.entries import parse_entry
from tests.family_pages import entries, page_parser, scores

parsed = page_parser("family11")


def unread(ex: Extraction) -> list[tuple[int, int, str, str]]:
    return [(u.first.line_no, u.last.line_no, u.kind, u.reason) for u in ex.unread]


def test_the_months_score_beside_the_year_to_date_flattened() -> None:
    """p02: `本月得分 | 本月排名 | 累计得分 | 累计排名` one cell per line — the month's score and rank are
    the circular's; the year to date is another period's, read into nothing (the whole table was
    left unread: `累计得分` named no column, so the header ended before it)."""
    ex = parsed("month-score-beside-cumulative-flattened.txt")
    assert scores(ex) == [
        ("甲村", 1, Decimal("96")),
        ("乙村", 2, Decimal("95")),
        ("丙村", 3, Decimal("93.5")),
    ]
    assert unread(ex) == []


def test_last_months_score_beside_this_months() -> None:
    """p15: `上月得分 | 本月得分 | 较上月 | 本月排名` — only 本月得分 is the period's score (none was read:
    neither column named a score), and the entries below reconcile with it."""
    ex = parsed("last-month-beside-this-month.md")
    assert scores(ex) == [("甲社区", 1, Decimal("97")), ("乙社区", 2, Decimal("96.5"))]
    assert entries(ex) == [
        ("甲社区", [], "deduction", Decimal("3"), "楼道堆放杂物"),
        ("乙社区", [], "deduction", Decimal("2"), "垃圾桶满溢"),
        ("乙社区", [], "deduction", Decimal("1.5"), "绿化带缺株"),
    ]


def test_a_cumulative_score_alone_names_no_score() -> None:
    """`累计得分` with no column of the period beside it says nothing of which figure the circular is
    about: no score, as before the year-to-date role existed."""
    assert scores(parsed("cumulative-score-alone.md")) == []


GRADED = [("甲镇", None, Decimal("98.5"), "优秀"), ("乙乡", None, Decimal("98"), "良好")]
BRACKETED = [
    ("甲镇", [], "deduction", Decimal("0.5"), "污水设施运维记录缺失"),
    ("甲镇", [], "deduction", Decimal("1"), "垃圾收集点破损"),
    ("乙乡", [], "deduction", Decimal("2"), "公厕管护不到位"),
]


def graded(ex: Extraction) -> list[tuple[str, int | None, Decimal | None, str | None]]:
    return [(row.unit_raw, row.rank, row.score, row.grade) for row in ex.scores]


def test_a_score_and_its_grade_in_one_cell_and_amounts_in_brackets() -> None:
    """p08: `得分（等次）| 98.5（优秀）` is the score and its grade; `（-0.5）` and `(-2)` in the 扣分
    column are amounts (the header named no score, and the bracketed amounts' rows were dropped
    without a word)."""
    ex = parsed("score-with-grade-and-bracketed-amounts.md")
    assert graded(ex) == GRADED
    assert entries(ex) == BRACKETED
    assert unread(ex) == []


def test_the_same_table_flattened_with_full_width_digits() -> None:
    """p08 .txt: one cell per line, full-width digits, the unit and the score printed on the unit's
    first row only (a first reading took the first row alone and raised a false score_mismatch)."""
    ex = parsed("score-with-grade-and-bracketed-amounts-flattened.txt")
    assert graded(ex) == GRADED
    assert entries(ex) == BRACKETED
    assert unread(ex) == []


def test_a_flattened_table_is_not_read_in_part_before_bracketed_numbers() -> None:
    """Cells the columns cannot take (`（97）` as a score) after the first row: the reading that
    stopped there was kept, as no bare number followed; the table is now left unread, and said."""
    ex = parsed("flattened-scores-then-bracketed-numbers.txt")
    assert graded(ex) == []
    assert [(first, last, kind) for first, last, kind, _ in unread(ex)] == [(5, 19, "table")]


def test_a_countys_score_over_the_rows_of_its_townships() -> None:
    """p09: `县 | 乡镇 | 存在问题 | 扣分 | 县得分`, the county and its score merged down its townships'
    rows: the score names the county column, so the problems are the county's (they were read as
    the townships', each with a false missing_score, and no county had a score)."""
    ex = parsed("county-score-over-its-townships.html")
    assert scores(ex) == [("甲县", None, Decimal("97.5")), ("乙县", None, Decimal("99.5"))]
    assert entries(ex) == [
        ("甲县", [], "deduction", Decimal("2"), "露天焚烧火点1处"),
        ("甲县", [], "deduction", Decimal("0.5"), "巡查记录不全"),
        ("乙县", [], "deduction", Decimal("0.5"), "宣传标语未张贴"),
    ]


def test_two_unit_columns_without_a_level_score_keep_the_later() -> None:
    """`县区 | 乡镇 | 得分` ranks townships: without a score naming a level, nothing changes."""
    from parsers.tables.roles import header_roles

    assert header_roles(("县区", "乡镇", "得分")) == ["unit", "unit", "score"]
    assert header_roles(("县区", "乡镇", "县区得分")) == ["unit", "place", "score"]


def test_open_and_secret_checks_listed_then_summed() -> None:
    """p11: 明查 and 暗访 tables list the problems, then `明查扣分 | 暗访扣分 | 综合得分` sums them: the
    sums are no entries of their own (each deduction was counted twice, with a false
    score_mismatch on every unit)."""
    ex = parsed("open-and-secret-tables-then-their-sums.md")
    assert entries(ex) == [
        ("甲街道", [], "deduction", Decimal("1"), "消防通道被占用"),
        ("甲街道", [], "deduction", Decimal("0.5"), "夜间巡逻岗空岗"),
        ("乙街道", [], "deduction", Decimal("2"), "群租房隐患未整治"),
    ]
    assert scores(ex) == [("甲街道", 1, Decimal("98.5")), ("乙街道", 2, Decimal("98"))]


def test_open_and_secret_sums_alone_are_the_entries() -> None:
    """field-survey §1: with nothing itemised, `明查扣分 | 暗访扣分` are each unit's deductions."""
    ex = parsed("open-and-secret-sums-alone.md")
    assert entries(ex) == [
        ("甲街道", [], "deduction", Decimal("1"), "明查扣分"),
        ("甲街道", [], "deduction", Decimal("0.5"), "暗访扣分"),
        ("乙街道", [], "deduction", Decimal("2"), "暗访扣分"),
    ]


@pytest.mark.parametrize(
    ("text", "items", "reason"),
    [
        ("1.依据第3项：安全生产责任清单未及时更新，扣1分。", [3], "安全生产责任清单未及时更新"),
        ("依据细则第二部分第4条：隐患排查台账记录不全，扣0.5分", [], "隐患排查台账记录不全"),
        ("2.依据3.2.1：应急预案未组织演练，扣1.5分。", [], "应急预案未组织演练"),
        ("依据指标B-2：危化品经营户底数不清，扣1分", [], "危化品经营户底数不清"),
        ("3.依据（三）2：“打非治违”行动未留存影像资料，扣0.5分。", [], "“打非治违”行动未留存影像资料"),
        ("按照《考核细则》第12条：台账缺失，扣1分", [12], "台账缺失"),
        # A lead word before no clause of the rubric: the text is the reason, as before.
        ("依据群众举报：夜间施工扰民，扣1分", [], "依据群众举报：夜间施工扰民"),
    ],
)
def test_a_rubric_clause_cited_before_the_problem(text: str, items: list[int], reason: str) -> None:
    """p07: `依据第3项：…` cites item 3; a clause within a part, dotted, lettered or nested names no
    single item; the citation is no part of the reason (it was, with no item: duplicate_item on
    a unit citing 第3项 twice was not found)."""
    entry = parse_entry(text)
    assert entry is not None
    assert (entry.items, entry.reason) == (items, reason)


def test_a_score_beside_its_converted_share() -> None:
    """p13: `考核得分 | 折算分（×30%）` — the converted share is the score times a weight, no weighted
    part of it (read as one, every unit got a false score_mismatch: 0.3 × 99 ≠ 99)."""
    from pipeline.reconcile import reconcile

    ex = parsed("score-beside-its-converted-share.md")
    assert scores(ex) == [("县教育局", 1, Decimal("99")), ("县卫健委", 2, Decimal("98.5"))]
    assert [row.parts for row in ex.scores] == [[], []]
    _, findings = reconcile(ex, "d")
    assert [f.check for f in findings if f.check == "score_mismatch"] == []


def test_two_classes_of_counties_ranked_apart() -> None:
    """p03: `（一）一类县（4个）` / `（二）二类县（4个）` caption rankings of their own: ranks are checked
    within each class (across both, every unit of the second class was a false rank_order), and
    the swapped pair of the second class is still found."""
    from pipeline.reconcile import reconcile

    ex = parsed("two-classes-of-counties-ranked-apart.md")
    assert [(row.unit_raw, row.group) for row in ex.scores] == [
        ("甲县", "一类县"),
        ("乙县", "一类县"),
        ("丙县", "二类县"),
        ("丁县", "二类县"),
        ("戊县", "二类县"),
    ]
    _, findings = reconcile(ex, "d")
    assert sorted(f.unit for f in findings if f.check == "rank_order") == ["丁县", "戊县"]


def test_a_flattened_ranking_continued_under_xubiao() -> None:
    """p10 .txt: a ranking printed one cell per line, split under `续表` with its header typed again:
    the continuation's places (4, 5 of five) go on from the rows above (taken for scores beyond
    its own two rows, the continuation was left unread)."""
    ex = parsed("ranking-continued-under-xubiao-flattened.txt")
    assert scores(ex) == [
        ("甲村", 1, Decimal("97")),
        ("乙村", 2, Decimal("96")),
        ("丙村", 3, Decimal("95")),
        ("丁村", 4, Decimal("94")),
        ("戊村", 5, Decimal("93")),
    ]
    assert unread(ex) == []


def test_a_numbered_unit_line_the_table_lacks_comes_next() -> None:
    """p15: `3.工业园管委会：…` after `1.甲镇：` `2.乙乡：`, the units of the score table, is that
    unit's own line (its score missing: missing_score), as a numbered heading in sequence is; it
    was an unread block because a 管委会 is of another level than a 镇."""
    from pipeline.reconcile import reconcile

    ex = parsed("numbered-unit-lines-then-one-the-table-lacks.md")
    assert entries(ex)[-1] == ("工业园管委会", [], "deduction", Decimal("1.5"), "厂区外围垃圾未清运")
    assert unread(ex) == []
    _, findings = reconcile(ex, "d")
    assert [(f.unit, f.check) for f in findings] == [("工业园管委会", "missing_score")]


def test_a_unit_line_out_of_the_lists_sequence_stays_a_doubt() -> None:
    """`4.工业园管委会：` after `2.乙乡：`: not the next of the list, so not read as a unit's line."""
    ex = parsed("numbered-unit-lines-out-of-sequence.md")
    assert len(entries(ex)) == 2
    assert [(first, kind) for first, _, kind, _ in unread(ex)] == [(12, "heading")]


def test_a_deduction_charged_to_another_unit_of_the_table() -> None:
    """p12: in 乙乡's line of a cross check, `…，扣甲镇0.5分` names the unit it is taken from: 甲镇's
    entry (it was dropped without a word, and 甲镇 got a false score_mismatch)."""
    ex = parsed("deduction-charged-to-another-unit.txt")
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "检查站值守人员脱岗"),
        ("乙乡", [], "deduction", Decimal("2"), "林区违规用火1起"),
        (
            "甲镇",
            [],
            "deduction",
            Decimal("0.5"),
            "乙乡检查组在交界处发现甲镇责任区内易燃杂物未清理，经县森防办核实",
        ),
    ]
    assert unread(ex) == []


def test_a_clause_taking_points_that_no_rule_reads_is_said() -> None:
    """`扣相邻责任区0.5分` names no unit of the table: no row, and the line is an unread block (the
    clause was dropped without a word, its line having given another entry)."""
    ex = parsed("deduction-charged-to-no-known-unit.txt")
    assert len(entries(ex)) == 2
    assert [(first, kind) for first, _, kind, _ in unread(ex)] == [(6, "entries")]


@pytest.mark.parametrize(
    ("text", "points", "reason"),
    [
        ("巡河记录不完整，缺少8次，每次扣0.5分，该项最多扣3分，扣3分", "3", "巡河记录不完整"),
        ("“一河一档”资料缺失，该项分值2分，扣完为止，扣2分", "2", "“一河一档”资料缺失"),
        ("河长公示牌信息未更新，发现问题4个，每个扣0.25分，扣1分", "1", "河长公示牌信息未更新"),
    ],
)
def test_a_caps_and_counts_words_are_the_amounts(text: str, points: str, reason: str) -> None:
    """p06: `该项最多扣3分`, `该项分值2分`, `缺少8次` and `发现问题4个` say how the amount was reached,
    as `每处扣0.5分` and `共少4次` do (r30): no part of the reason (they were, from the first of
    them on)."""
    entry = parse_entry(text)
    assert entry is not None
    assert (entry.points, entry.reason) == (Decimal(points), reason)
