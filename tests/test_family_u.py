"""Shapes of the u gold set (tests/fixtures/make_gold_u.py: messy exports, long circulars), each in
a small invented page named by the case it covers (tests/fixtures/family7/): what it must yield,
and nothing more.

No number without structure: every row each page yields is written out here.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from parsers.document import Extraction, parse_document

FIXTURES = Path(__file__).parent / "fixtures" / "family7"


def parsed(name: str) -> Extraction:
    return parse_document((FIXTURES / name).read_bytes(), name)


def scores(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def entries(ex: Extraction) -> list[tuple[str, list[int], str, Decimal, str]]:
    return [(e.unit, e.entry.items, e.entry.kind, e.entry.points, e.entry.reason) for e in ex.entries]


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
