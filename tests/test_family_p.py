"""Shapes of the p gold set (tests/fixtures/make_gold_p.py), each in a small invented page named by
the case it covers (tests/fixtures/family11/): what it must yield, and nothing more.

No number without structure: every row each page yields is written out here, and each refusal
with what a person reads.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from parsers.document import Extraction, parse_document

FIXTURES = Path(__file__).parent / "fixtures" / "family11"


def parsed(name: str) -> Extraction:
    return parse_document((FIXTURES / name).read_bytes(), name)


def scores(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def entries(ex: Extraction) -> list[tuple[str, str, Decimal, str]]:
    return [(e.unit, e.entry.kind, e.entry.points, e.entry.reason) for e in ex.entries]


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
        ("甲社区", "deduction", Decimal("3"), "楼道堆放杂物"),
        ("乙社区", "deduction", Decimal("2"), "垃圾桶满溢"),
        ("乙社区", "deduction", Decimal("1.5"), "绿化带缺株"),
    ]


def test_a_cumulative_score_alone_names_no_score() -> None:
    """`累计得分` with no column of the period beside it says nothing of which figure the circular is
    about: no score, as before the year-to-date role existed."""
    assert scores(parsed("cumulative-score-alone.md")) == []
