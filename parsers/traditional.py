"""Traditional characters folded to simplified, for matching (field survey §6: mirror sites).

Some county and city sites serve a traditional-character mirror of every page (`優秀`, `縣`,
`區`, `通報`, `考核結果`). tongbao's patterns are written in simplified characters, so a
mirror's lines are folded to simplified before anything matches them; each folded line keeps
the text as printed in `Line.raw`, and `printed_respeller` spells what was read from the folded text
back the way the document printed it.

Folding is decided for a whole document, not per line: OpenCC's t2s table also rewrites a few
characters that simplified text uses in its own right (`乾县`, a county of Shaanxi, becomes
`干县`), so a simplified circular that prints one such name is left alone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

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
    return han, _changed_count(text, to_simplified(text))


def _changed_count(text: str, folded: str) -> int:
    if len(folded) != len(text):
        # t2s maps characters one to one in practice; a phrase of another length still counts.
        return max(1, sum(map(str.__ne__, text, folded)))
    return sum(map(str.__ne__, text, folded))


def is_traditional(text: str) -> bool:
    """Whether `text` is written in traditional characters (see DEFAULT_MIN_FOLDED_SHARE)."""
    folded = to_simplified(text)
    if folded == text:
        # A simplified document (nearly all of them) folds to itself: nothing to count, and the
        # whole-document Han count is the costly part of the test.
        return False
    han = len(_HAN.findall(text))
    if not han:
        return False
    changed = _changed_count(text, folded)
    return changed >= DEFAULT_MIN_FOLDED_CHARS and changed >= DEFAULT_MIN_FOLDED_SHARE * han


def fold_line(line: Line) -> Line:
    """The line with its text (and cells) in simplified characters; `raw` keeps the printed text."""
    text = to_simplified(line.text)
    cells = tuple(to_simplified(c) for c in line.cells) if line.cells is not None else None
    if text == line.text and cells == line.cells:
        return line
    return line.with_cells(text, cells)


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


def printed_respeller(
    lines: Iterable[Line], printed_texts: Iterable[str] = ()
) -> Callable[[str], str] | None:
    """A function that spells folded text back the way this document printed it; None if unfolded.

    Records show what the circular printed (a mirror's unit `青川縣`, grade `優秀`, title `…通報`:
    gold set w labels them so), while matching ran on the folded text. Built from the document's
    folded lines and the page's metadata values as printed: each simplified character goes back
    to the traditional one the document printed for it most often.
    """
    texts = [*(line.raw_text for line in lines if line.raw is not None), *printed_texts]
    # The same decision fold_lines took: a simplified circular's `乾县` must not turn 干 into 乾.
    if not is_traditional("".join(texts)):
        return None
    counts: dict[str, dict[str, int]] = {}
    for printed in texts:
        folded = to_simplified(printed)
        if len(folded) != len(printed):
            continue
        for simple, shown in zip(folded, printed, strict=True):
            spelled = counts.setdefault(simple, {})
            spelled[shown] = spelled.get(shown, 0) + 1
    table = {
        simple: max(spelled, key=lambda shown: (spelled[shown], shown != simple))
        for simple, spelled in counts.items()
    }
    table = {simple: shown for simple, shown in table.items() if simple != shown}
    if not table:
        return None
    translation = str.maketrans(table)
    return lambda text: text.translate(translation)


def respell_fields(respell: Callable[[str], str], records: Iterable[Any], names: tuple[str, ...]) -> None:
    """Respell the named text fields (str, or list of str) of each record in place."""
    for record in records:
        for name in names:
            value = getattr(record, name)
            if isinstance(value, str):
                setattr(record, name, respell(value))
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                setattr(record, name, [respell(v) for v in value])


def respell_as_printed(
    respell: Callable[[str], str],
    metadata: Any,
    scores: list[Any],
    sections: list[Any],
    entries: list[Any],
    problems: list[Any],
    names: list[list[str]],
) -> None:
    """Spell an extraction's text back as printed, in place (`names`: lists of bare unit names).

    Every name goes through the same function, so names that matched when folded still match.
    """
    respell_fields(
        respell,
        [metadata],
        ("issuer", "title", "doc_type", "addressees", "period_label", "attachments"),
    )
    if metadata.doc_number is not None:
        respell_fields(respell, [metadata.doc_number], ("text", "issuer_code", "kind"))
    respell_fields(respell, scores, ("unit_raw", "rank_raw", "grade", "group"))
    for row in scores:
        row.parts = [(respell(name), weight, score) for name, weight, score in row.parts]
    respell_fields(respell, sections, ("unit", "unit_raw"))
    respell_fields(respell, entries, ("unit", "unit_raw"))
    respell_fields(respell, [item.entry for item in entries], ("reason",))
    respell_fields(respell, problems, ("unit", "unit_raw", "problem"))
    for units in names:
        units[:] = [respell(unit) for unit in units]
