"""The physical lines a joined line was made of, and joining them back.

Table rows end without sentence-final punctuation, so the wrapped-line joiner of
parsers/normalize.py can run several rows into one logical line; the table passes split it
back where they read rows, and leave what follows joined as the joiner had it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import reduce

from parsers.model import Line
from parsers.normalize import collapse_spaces, join_lines, normalize_chars


def physical_lines(line: Line) -> list[Line]:
    """The physical lines a joined line was made of, normalised; numbered on from the first."""
    if line.cells is not None or "\n" not in line.raw_text:
        return [line]
    raws = line.raw_text.split("\n")
    texts = [collapse_spaces(normalize_chars(raw)) for raw in raws]
    return [
        replace(line, text=text, line_no=line.line_no + k, line_end=None, raw=raw if raw != text else None)
        for k, (raw, text) in enumerate(zip(raws, texts, strict=True))
        if text
    ]


def rejoined(pieces: list[Line]) -> Line:
    """Physical lines joined back into one logical line, as the joiner had them."""
    return reduce(join_lines, pieces)
