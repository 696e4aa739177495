"""Fixes made for gold set k (tests/fixtures/make_gold_k.py), each in a small invented page of
tests/fixtures/family14/ named by the case it covers: what it must yield, and nothing more.

No number without structure: every row each page yields is written out here.
"""

from __future__ import annotations

from decimal import Decimal

from tests.family_pages import entries, page_parser, scores

parsed = page_parser("family14")


def test_an_index_beside_the_score_is_not_the_score() -> None:
    """k07: `综合指数 | 考核得分` — an air-quality index (the smaller the better) was read as each
    county's score (3.21 for 92.5) and its ranks reported as out of order."""
    ex = parsed("index-beside-score.md")
    assert scores(ex) == [
        ("甲县", 1, Decimal("92.5")),
        ("乙县", 2, Decimal("90.25")),
        ("丙区", 3, Decimal("87")),
    ]


def test_an_index_alone_stays_the_score() -> None:
    """y06: `综合指数` with no other score column is the score, as before."""
    ex = parsed("index-alone.md")
    assert scores(ex) == [("甲县", 1, Decimal("88.6")), ("乙县", 2, Decimal("85.2"))]


def test_a_hotlines_departments_and_work_order_counts() -> None:
    """k05: `承办单位 | 转办工单（件） | 超期扣分 | 退回扣分 | 考核得分` — neither the unit column nor the
    count named a role, so the table was left unread; the counts are never points."""
    ex = parsed("hotline-orders.md")
    assert scores(ex) == [("市城管局", 2, Decimal("98.8")), ("市人社局", 1, Decimal("99.5"))]
    assert entries(ex) == [
        ("市城管局", [], "deduction", Decimal("1.2"), "超期扣分"),
        ("市人社局", [], "deduction", Decimal("0.5"), "退回扣分"),
    ]


def test_levels_in_quotation_marks_with_a_score_after_each_name() -> None:
    """k04: `“好”等次（2个）：甲镇（95.6分）、乙镇（94.2分）` — the scores were read and the level lost:
    a quoted 好 was no grade word, and a list whose names print scores was no list of names."""
    ex = parsed("quoted-levels-with-scores.md")
    assert [(r.unit_raw, r.score, r.grade) for r in ex.scores] == [
        ("甲镇", Decimal("95.6"), "好"),
        ("乙镇", Decimal("94.2"), "好"),
        ("丙乡", Decimal("89.5"), "较好"),
    ]


def test_scores_listed_under_a_heading_that_names_them() -> None:
    """k01: `二、考核得分` over `乙镇99.5分、甲镇97分。` — the heading leads in to the list as `得分如下：`
    does; without it no score was read and each township was reported as having no score."""
    ex = parsed("scores-under-a-heading.md")
    assert scores(ex) == [("乙镇", None, Decimal("99.5")), ("甲镇", None, Decimal("97"))]
    assert [(e.unit, e.entry.points) for e in ex.entries] == [
        ("甲镇", Decimal("1")),
        ("甲镇", Decimal("2")),
        ("乙镇", Decimal("0.5")),
    ]


def test_counts_under_a_heading_are_no_scores() -> None:
    """`一、巡河情况` over `甲镇12次、乙镇9次。`: neither the heading names scores nor the items print 分."""
    ex = parsed("counts-under-a-heading.md")
    assert scores(ex) == []


def test_a_numbered_unit_line_with_its_total_and_place() -> None:
    """k03: `1.甲街道：测评点位28个，实地考察92.5分，…，综合得分93.35分，排名第1。` — the list number was
    taken into the name (`1.甲街道` is no unit), so no result was read; the parts are no scores."""
    ex = parsed("numbered-unit-total-rank.md")
    assert scores(ex) == [("甲街道", 1, Decimal("93.35")), ("乙街道", 2, Decimal("88.9"))]
    assert entries(ex) == []


def test_a_flattened_header_with_parts_named_by_the_assessment() -> None:
    """k12: `乡镇 | 统计基础 | 统计业务 | 统计服务 | 合计 | 名次` one cell per line — three words no list
    knows in a row ended the header at the first, and the table was left unread."""
    ex = parsed("flattened-parts-without-roles.txt")
    assert scores(ex) == [("甲镇", 1, Decimal("936")), ("乙乡", 2, Decimal("885"))]
    assert ex.unread == []


def test_names_before_a_header_word_are_no_header() -> None:
    """Unknown words may run before a header word only past the header's first cell: `街道` then three
    names then `得分` opens no table of five columns (a unit cell is never taken for a header word)."""
    ex = parsed("flattened-names-before-a-header-word.txt")
    assert scores(ex) == []


def test_score_bands_with_counts_and_scores_after_the_names() -> None:
    """k11: `90分以上的有2个，分别是甲街道（94.5分）、乙街道（92分）；…` — the band restates the scores."""
    ex = parsed("counted-score-bands.md")
    assert [(r.unit_raw, r.score, r.grade) for r in ex.scores] == [
        ("甲街道", Decimal("94.5"), None),
        ("乙街道", Decimal("92"), None),
        ("丙街道", Decimal("76"), None),
    ]
