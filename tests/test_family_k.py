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
