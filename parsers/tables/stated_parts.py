"""Parts' maxima stated in a circular's text instead of its score table's header.

`乡镇统计工作考核实行千分制，由统计基础（200分）、统计业务（600分）、统计服务（200分）三部分组成。` above
`乡镇 | 统计基础 | 统计业务 | 统计服务 | 合计 | 名次` (k12): the header names the parts without
their maxima, so the table read as a score and a rank, and a total that is not the sum of its
parts went unflagged. Where a sentence says what the assessment is made of, part by part with
its maximum, and a table's header names exactly those parts, each of those header cells is read
as `统计基础（200分）` — the form a header printing its own maxima has (roles.PART_MAX_HEADER) —
and the additive-parts check (pipeline/checks/scores.py) then holds the total to the parts'
sum when the maxima add up to the base.
"""

from __future__ import annotations

from decimal import Decimal

import regex

from parsers.model import Line
from parsers.normalize import cells_to_text, squash
from parsers.tables.roles import PART_MAX_HEADER

_PART = r"\p{Han}{2,10}[（(](?:满分)?\d+(?:\.\d+)?分[)）]"
# `由A（200分）、B（600分）、C（200分）三部分组成` / `包括A（40分）和B（60分）两个方面`.
_MADE_OF = regex.compile(
    rf"(?:由|包括|分为)(?P<run>{_PART}(?:[、，,和及与]{_PART})+)"
    r"(?:等)?(?:[两二三四五六七八九十]个?)?(?:部分|方面|项)?(?:组成|构成)?"
)
_BETWEEN_PARTS = regex.compile(r"(?<=[)）])[、，,和及与]")


def stated_part_maxima(lines: list[Line]) -> dict[str, Decimal]:
    """Part name → maximum, from the first sentence of the text that lists two or more parts with
    their maxima as what the assessment is made of (empty when none does)."""
    for line in lines:
        text = line.text
        if line.cells is not None or "分" not in text or not ("组成" in text or "构成" in text):
            continue
        made = _MADE_OF.search(text)
        if made is None:
            continue
        # Each piece is a header cell printing its part's maximum, read as one is (roles).
        pieces = [PART_MAX_HEADER.match(piece) for piece in _BETWEEN_PARTS.split(made.group("run"))]
        parts = {m.group("name"): Decimal(m.group("max")) for m in pieces if m is not None}
        if len(parts) >= 2:
            return parts
    return {}


def with_stated_part_maxima(lines: list[Line]) -> list[Line]:
    """`lines` with each table row that names every stated part given the parts' maxima in those
    cells (its `raw` keeps what the table printed); every other line as it was."""
    maxima = stated_part_maxima(lines)
    if not maxima:
        return lines
    out = []
    for line in lines:
        cells = line.cells
        if cells is not None and {squash(c) for c in cells} >= set(maxima):
            named = tuple(
                f"{squash(c)}（{maxima[squash(c)]}分）" if squash(c) in maxima else c for c in cells
            )
            line = line.with_cells(cells_to_text(named), named)
        out.append(line)
    return out
