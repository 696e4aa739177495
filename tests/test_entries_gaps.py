"""Entry wordings the r/w gold sets found: a rate per shortfall belongs to the amount (r30 shape)."""

from __future__ import annotations

from decimal import Decimal

from parsers.entries import parse_entry


def test_a_rate_per_shortfall_and_its_count_are_amount_clauses_not_reason() -> None:
    entry = parse_entry("值班人员脱岗，每缺1人扣0.5分，共缺3人，扣1.5分；")
    assert entry is not None
    assert (entry.reason, entry.points) == ("值班人员脱岗", Decimal("1.5"))
    # A shortfall that is the finding itself stays in the reason.
    entry = parse_entry("巡查记录缺少2次，扣1分。")
    assert entry is not None
    assert (entry.reason, entry.points) == ("巡查记录缺少2次", Decimal("1"))
