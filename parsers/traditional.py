"""Traditional characters folded to simplified, for matching (field survey §6: mirror sites).

Some county and city sites serve a traditional-character mirror of every page (`優秀`, `縣`,
`區`, `通報`, `考核結果`). tongbao's patterns are written in simplified characters, so a
mirror's lines are folded to simplified before anything matches them; each folded line keeps
the text as printed in `Line.raw`, and `printed_form` finds the printed spelling of a name read
from the folded text.

Folding is decided for a whole document, not per line: OpenCC's t2s table also rewrites a few
characters that simplified text uses in its own right (`乾县`, a county of Shaanxi, becomes
`干县`), so a simplified circular that prints one such name is left alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, Protocol

import regex

from parsers.model import Line

DEFAULT_MIN_FOLDED_SHARE = 0.05
"""A text is traditional when at least this share of its Han characters change under t2s.
Traditional text changes 20–40 % of its characters (`關於…農村人居環境整治考核結果的通報`: 9 of
19); a simplified circular changes none, or one or two in a proper name."""

DEFAULT_MIN_FOLDED_CHARS = 3
"""...and at least this many characters change: a three-character value with one traditional
character (a name) is not evidence enough that the document is a mirror."""

_HAN = regex.compile(r"\p{Han}")


@functools.cache
def _converter() -> Any:
    # Imported here so `import parsers` stays light; the converter loads its tables once.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Fold traditional characters to simplified (OpenCC t2s, phrase-aware: 乾淨 → 干净, 乾隆 kept)."""
    return str(_converter().convert(text)) if text else text


def folded_count(text: str) -> tuple[int, int]:
    """(Han characters of `text`, how many of them t2s changes)."""
    han = len(_HAN.findall(text))
    if not han:
        return 0, 0
    folded = to_simplified(text)
    if len(folded) != len(text):
        # t2s maps characters one to one in practice; a phrase of another length still counts.
        return han, max(1, sum(1 for a, b in zip(text, folded, strict=False) if a != b))
    return han, sum(1 for a, b in zip(text, folded, strict=True) if a != b)


def is_traditional(text: str) -> bool:
    """Whether `text` is written in traditional characters (see DEFAULT_MIN_FOLDED_SHARE)."""
    han, changed = folded_count(text)
    return changed >= DEFAULT_MIN_FOLDED_CHARS and changed >= DEFAULT_MIN_FOLDED_SHARE * han


def fold_line(line: Line) -> Line:
    """The line with its text (and cells) in simplified characters; `raw` keeps the printed text."""
    text = to_simplified(line.text)
    cells = tuple(to_simplified(c) for c in line.cells) if line.cells is not None else None
    if text == line.text and cells == line.cells:
        return line
    return Line(
        text,
        line.line_no,
        line.line_end,
        line.page,
        line.bbox,
        cells,
        line.confidence,
        line.wrapped,
        line.raw_text,
    )


def fold_lines(lines: list[Line]) -> list[Line]:
    """Fold every line to simplified when the document is traditional; else return the lines as they are."""
    if not is_traditional("".join(line.text for line in lines)):
        return lines
    return [fold_line(line) for line in lines]


def fold_values(values: dict[str, str], context: Iterable[str] = ()) -> dict[str, str]:
    """Fold a page's metadata values when the page (values and `context` text) is traditional."""
    if not values or not is_traditional("".join([*values.values(), *context])):
        return values
    return {key: to_simplified(value) for key, value in values.items()}


def printed_form(name: str, line: Line) -> str:
    """The spelling `line` printed for `name`, a whitespace-free name read from its folded text.

    `城北区` read from a mirror's `城北區得分95分` is printed `城北區`. Returns `name` itself when
    the line was not folded or the name cannot be placed in the printed text.
    """
    if line.raw is None or not name:
        return name
    printed = "".join(line.raw.split())
    folded = to_simplified(printed)
    if len(folded) != len(printed):
        return name
    at = folded.find(name)
    return printed[at : at + len(name)] if at >= 0 else name


def physical_text(line: Line) -> str:
    """The line as read (`raw`: its spaces and joined physical lines), folded as its text was.

    Joint issuers are told apart by the spaces between them, and glued header lines by the line
    breaks, which only `raw` keeps; on a mirror's line `raw` is also traditional, so it is folded
    when that is what turned it into the line's text.
    """
    raw = line.raw_text
    if line.raw is None or "".join(raw.split()) == "".join(line.text.split()):
        return raw
    folded = to_simplified(raw)
    return folded if "".join(folded.split()) == "".join(line.text.split()) else raw


class NamedRecord(Protocol):
    """A record that carries a unit name as read (a score row, a section, an entry)."""

    unit_raw: str


def restore_printed_names(*groups: Iterable[tuple[NamedRecord, Line | None]]) -> None:
    """Set each record's `unit_raw` back to the spelling its document printed (a mirror's `城北區`).

    Each group pairs records with the lines their names were read from; a name read on one line
    (a section heading) is restored on every record that carries it (the heading's entries).
    """
    pairs = [pair for group in groups for pair in group]
    spelled: dict[str, str] = {}
    for record, line in pairs:
        if line is not None and line.raw is not None and record.unit_raw not in spelled:
            printed = printed_form(record.unit_raw, line)
            if printed != record.unit_raw:
                spelled[record.unit_raw] = printed
    if spelled:
        for record, _ in pairs:
            record.unit_raw = spelled.get(record.unit_raw, record.unit_raw)
