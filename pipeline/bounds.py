"""Values a column cannot hold are refused with a finding, never a crash of the batch.

A circular that prints `发现9223372036854775808处` (a count of 2^63) or an amount past the
float range reads as numbers Python holds but a Parquet int64/float64 column does not; Arrow
raises on the whole batch. Such a value is left out of its row (None, or dropped from a list of
item numbers) and a `value_out_of_range` finding says which value of which row it was.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from schemas import FindingRecord

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def in_range(value: Any) -> bool:
    """Whether a scalar fits an int64 or a finite float64 column."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return INT64_MIN <= value <= INT64_MAX
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def refuse_out_of_range(records: dict[str, list[Any]], doc_id: str) -> list[FindingRecord]:
    """Blank every value of `records` no column can hold; one finding per value refused."""
    found: list[FindingRecord] = []
    for table, rows in records.items():
        for row in rows:
            for f in dataclasses.fields(row):
                value = getattr(row, f.name)
                if isinstance(value, list):
                    kept = [v for v in value if in_range(v)]
                    if len(kept) != len(value):
                        setattr(row, f.name, kept)
                        found.extend(
                            _finding(doc_id, table, f.name, row, v) for v in value if not in_range(v)
                        )
                elif not in_range(value):
                    setattr(row, f.name, None)
                    found.append(_finding(doc_id, table, f.name, row, value))
    return found


def _finding(doc_id: str, table: str, column: str, row: Any, value: Any) -> FindingRecord:
    shown = str(value) if len(str(value)) <= 40 else f"{str(value)[:20]}…({len(str(value))} digits)"
    return FindingRecord(
        doc_id=doc_id,
        unit=getattr(row, "unit", None),
        check="value_out_of_range",
        severity="warning",
        message=(
            f"{table}.{column}: the value {shown} is outside what the column holds "
            "(a 64-bit integer or a finite number); it was left out of the row — read it by hand"
        ),
        actual=shown,
        page=getattr(row, "page", None),
        line_start=getattr(row, "line_start", None),
        line_end=getattr(row, "line_end", None),
        raw_text=getattr(row, "raw_text", "") or "",
    )
