"""One circular from bytes to extracted records: read, normalise, extract.

Pure: the caller (pipeline/) supplies bytes and gets records back; OCR of
pages without a text layer is done by pipeline/ocr.py and handed in as lines.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

import regex

from parsers.formats import Detection, detect_format
from parsers.metadata import Metadata, extract_metadata
from parsers.model import Line, Problem, ReadResult, UnreadBlock, UnsupportedInput
from parsers.normalize import normalize_lines
from parsers.rankings import merge_prose_rows
from parsers.sections import Section, UnitEntry, entries_from_table, extract_sections, scores_from_headings
from parsers.tables import ScoreRow, extract_tables, place_unruled_rows, restore_table_rows
from parsers.traditional import printed_respeller, respell_as_printed
from parsers.units import match_unit, unit_key

_P = ParamSpec("_P")
_R = TypeVar("_R")


def without_cyclic_gc(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` with Python's cyclic garbage collector paused (reference counting goes on).

    Reading a circular allocates tens of thousands of small tuples and lines (a glyph box
    each) and makes no reference cycles; the collector, triggered every 700 allocations,
    scanned them over and over: 7-17% of a PDF's parse time (bench/bench_pdf.py). Any cycle
    made meanwhile is collected once the collector runs again.
    """

    @functools.wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@without_cyclic_gc
def read_document(
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    max_pages: int | None = None,
    detection: Detection | None = None,
) -> ReadResult:
    """Read bytes with the reader of the format they are (parsers.formats; no OCR here).

    Raises:
        UnsupportedInput: a format tongbao does not read, or an image (pipeline.ocr reads those).
        TongbaoError: what the reader raised, with a note when the name and the bytes disagree.
    """
    found = detection or detect_format(data, name)
    if found.format is None or not found.readable:
        raise UnsupportedInput(found.reason(name))
    if found.format.reader is None:
        raise UnsupportedInput(f"{name}: {found.format.label} needs OCR; pipeline.ocr reads it.")
    reader = found.format.reader
    return found.read_with(name, lambda: reader(data, name, password, max_pages))


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one circular, before reconciliation."""

    read: ReadResult
    lines: list[Line]
    metadata: Metadata
    scores: list[ScoreRow]
    score_units: list[str]  # unit of each score row (as the table prints it, whitespace removed)
    sections: list[Section]
    entries: list[UnitEntry]
    unmatched: list[Line] = field(default_factory=list)
    vetoed: list[str] = field(default_factory=list)
    """Units a deduction table vetoes (一票否决 in the amount cell)."""
    unread: list[UnreadBlock] = field(default_factory=list)
    """Blocks that look like results but were not read with confidence: no rows, one finding each."""
    problems: list[Problem] = field(default_factory=list)
    """Problems listed per unit without points (the `problems` table)."""


@without_cyclic_gc
def extract_document(read: ReadResult) -> Extraction:
    """Extract metadata, scores and entries from what a reader returned."""
    # Restore cells lost on the way to text (one cell per line, glued cells) before anything
    # reads the lines, so metadata's class and the tables see the same rows.
    lines = restore_table_rows(normalize_lines(place_unruled_rows(read.lines)))
    metadata = extract_metadata(lines, read.web_meta)
    tables = extract_tables(lines, base_stated="base_score" in metadata.lines)
    if metadata.doc_class != "rubric":
        # variants §1.3/§1.4: grades and ranks stated in prose, for units no table lists.
        tables.scores = merge_prose_rows(
            tables.scores, lines, tables.table_lines, metadata.issuer, tables.unread
        )
    score_units = [unit_key(row.unit_raw) for row in tables.scores]
    known = list(dict.fromkeys(score_units))
    result = extract_sections(
        lines, known, tables.table_lines | _above_title(lines, metadata.lines.get("title"))
    )
    if not tables.scores:  # no score table: the units' headings may print their scores (h01, r20)
        tables.scores = scores_from_headings(result.sections, result.problems)
        score_units = [unit_key(row.unit_raw) for row in tables.scores]
    entries: list[UnitEntry] = []
    for section in result.sections:
        entries.extend(section.entries)
    entries.extend(result.by_issue)
    table_entries, table_unmatched, vetoed = entries_from_table(
        tables.deductions, known, itemised=bool(entries)
    )
    entries.extend(table_entries)
    unmatched = result.unmatched + table_unmatched
    unread = tables.unread + result.unread
    problems = result.problems
    if metadata.doc_class == "rubric":
        # variants §1.5: a rubric's rules (`每处扣0.5分，扣完为止`) are never units' deductions.
        entries, unmatched, vetoed, unread, problems = [], [], [], [], []
        result.sections = []
    if metadata.doc_class == "other" and (tables.scores or entries):
        # Scores or entries found where the text cues did not say so (a grade list laid out as
        # headings, a deductions-only circular): the document reports results.
        metadata.doc_class = "result"
    _apply_short_names(lines, known, result.sections, entries)
    counters: dict[str, int] = {}
    for item in entries:
        counters[item.unit] = counters.get(item.unit, 0) + 1
        item.entry_no = counters[item.unit]
    drop_list_positions(entries)
    # A mirror's lines were folded to simplified for matching; records keep the printed spelling.
    if (respell := printed_respeller(lines, (read.web_meta or {}).values())) is not None:
        respell_as_printed(
            respell, metadata, tables.scores, result.sections, entries, problems, [score_units, vetoed]
        )
    return Extraction(
        read=read,
        lines=lines,
        metadata=metadata,
        scores=tables.scores,
        score_units=score_units,
        sections=result.sections,
        entries=entries,
        unmatched=unmatched,
        vetoed=vetoed,
        unread=unread,
        problems=problems,
    )


def _above_title(lines: list[Line], title_line: int | None) -> set[int]:
    """The letterhead lines above the title (issuer, 文号): no unit's section starts there.

    x05: the issuer's name alone on the letterhead (`松溪县教育局`) opened a section that took
    every entry below it, down to the units' own numbered lines (`1.松溪县第一中学：…扣2分；…`).
    """
    if not title_line:  # none found, or the page's <title> (line 0)
        return set()
    return {line.line_no for line in lines if line.line_no < title_line}


# `沅陵经济技术开发区管委会（以下简称“经开区”）` (fresh-H): the short name the rest of the text uses.
_SHORT_NAME = regex.compile(
    r"(?P<full>[\p{Han}（）()]{2,30}?)[（(]以下简称[“\"「]?(?P<short>\p{Han}{2,12})[”\"」]?[）)]"
)


def _apply_short_names(
    lines: list[Line], known: list[str], sections: list[Section], entries: list[UnitEntry]
) -> None:
    """Give sections and entries under a declared short name the table's name for that unit."""
    if not known:
        return
    names: dict[str, str] = {}
    for line in lines:
        if "以下简称" not in line.text:
            continue
        for m in _SHORT_NAME.finditer(line.text):
            found = match_unit(m.group("full"), known)
            if found is not None:
                names[m.group("short")] = found.unit
    if not names:
        return
    for section in sections:
        if section.unit in names and section.unit not in known:
            section.unit = names[section.unit]
    for item in entries:
        if item.unit in names and item.unit not in known:
            item.unit = names[item.unit]


# A list's own numbering: `1、` `1.`, and the circled `①②③` and bracketed `（1）（2）` people type when
# they list each unit's problems (gold set u: u03 mixes `①` and `1.` unit by unit, u06 `①②`, u07
# `（1）（2）` run on in one paragraph per township).
_LIST_NUMBER = regex.compile(r"^\s*(?:\d{1,3}\s*[、.．]|[（(]\s*\d{1,3}\s*[）)]|[\u2460-\u2473])")


def drop_list_positions(entries: list[UnitEntry]) -> None:
    """Clear item numbers that only count each unit's problems: `1、` `2、` `3、` (or `①②③`, `（1）（2）`)
    again under every unit.

    A 问题清单 numbers each unit's problems from 1 (fresh-F f04); rubric items are cited by the
    rubric's own numbers, which do not run 1, 2, 3 for every unit. Needs two units or more,
    each numbered exactly 1…n in order with list-style labels.
    """
    by_unit: dict[str, list[UnitEntry]] = {}
    # Entries with no number at all (a unit's 加分 line in a section of its own, v04
    # `1.东坝镇：…，加1分。` numbered across units) are not part of the unit's list; a label glued to
    # a number opening the problem (n04 `1.110接警后…`) was not read as one, and is.
    for item in entries:
        if item.entry.items or _GLUED_LIST_NUMBER.match(item.entry.text):
            by_unit.setdefault(item.unit, []).append(item)
    if len(by_unit) < 2:
        return
    for items in by_unit.values():
        if [_list_position(item) for item in items] != [[k] for k in range(1, len(items) + 1)]:
            return
        if not all(_LIST_NUMBER.match(item.entry.text) for item in items):
            return
    for items in by_unit.values():
        for item in items:
            if not item.entry.items:
                item.entry.reason = _GLUED_LIST_NUMBER.sub("", item.entry.reason, count=1)
            item.entry.items = []


# `1.110接警后…`: a list's label followed by a number that opens the problem (no decimal: a decimal
# never opens a problem's text).
_GLUED_LIST_NUMBER = regex.compile(r"^\s*(?P<k>\d{1,2})[.．](?=\d)")


def _list_position(item: UnitEntry) -> list[int]:
    if item.entry.items:
        return item.entry.items
    glued = _GLUED_LIST_NUMBER.match(item.entry.text)
    return [int(glued["k"])] if glued else []


# field-survey.md §7: what makes a text a circular even when none of its results could be read.
_TITLE_WORD = regex.compile(r"通报|通知|通告")
_TITLE_MAX_CHARS = 60  # a title line, not a paragraph that mentions a 通知
_NUMBER_MARK = regex.compile(r"[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d{1,4}\s*号")
_ASSESSMENT_WORD = regex.compile(r"考核|督查|考评|暗访|评比|测评|巡查|督导|检查")
_RESULT_WORD = regex.compile(r"得分|名次|排名|扣分|等次|成绩|优秀|\d\s*分")


def circular_marks(ex: Extraction) -> list[str]:
    """The marks of a circular the text carries: results, a title with 通报/通知, a 文号, an
    issuer, assessment words with result words. None means the text is not a circular."""
    meta = ex.metadata
    texts = [line.text for line in ex.lines]
    marks = []
    if ex.scores or ex.entries:
        marks.append("results")
    if meta.title or any(len(t) <= _TITLE_MAX_CHARS and _TITLE_WORD.search(t) for t in texts):
        marks.append("a title with 通报/通知")
    if meta.doc_number or any(_NUMBER_MARK.search(t) for t in texts):
        marks.append("a document number")
    if meta.issuer:
        marks.append("an issuer")
    if any(_ASSESSMENT_WORD.search(t) for t in texts) and any(_RESULT_WORD.search(t) for t in texts):
        marks.append("assessment words with results")
    return marks


def parse_document(data: bytes, name: str, *, password: str | None = None) -> Extraction:
    """Read and extract one circular (text layers only; see pipeline.ocr for scans)."""
    return extract_document(read_document(data, name, password=password))


__all__ = ["Extraction", "circular_marks", "extract_document", "parse_document", "read_document"]
