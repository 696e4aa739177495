"""Tables flattened one cell per line, given back their rows (field-survey.md §1; variants §2 "Damage").

A Word table pasted into a site's editor comes out one cell per line: the header cells one per
line (`名次` / `村别` / `暗访情况` / `成绩` / `奖励金(元)`), then the cells of each row in order. Cells
may be apart by blank lines, end in ` |`, and a blank cell may be an empty line, a lone space, a
lone `|`, or nothing at all (a web page drops an empty paragraph). The header names the column
count; each column's cells are of one type (rank, unit, number, free text), and a blank cell
can only stand in a column that may be blank (备注, 存在问题, a money or count column, 扣分).

Three readings are tried, each row by row under those types: the cells as printed (blanks only
where printed), blanks where the line numbers skip a line (a lone space or empty line dropped
by normalisation), and blanks wherever an optional column's type does not fit the next cell
(a web page that dropped them), kept only when it is the one way to read the cells. The
reading that takes the most cells wins; none reading a row leaves the lines as they are, and
`unread_flattened_blocks` names them for the table passes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import regex

from parsers.model import Line
from parsers.normalize import cells_to_text, squash
from parsers.tables.placement import cell_fits
from parsers.tables.roles import (
    GRADE_WORD,
    MAX_HEADER_CELL,
    cell_role,
    glued_cell_role,
    header_roles,
    table_kind,
)

# Columns a flattened row may leave blank; the others (rank, 序号, unit, score, part) it may not.
_OPTIONAL: frozenset[str | None] = frozenset(
    {None, "remark", "reason", "grade", "points", "bonus", "money", "count", "rate", "change", "grade_mark"}
)
# The widest flattened header read (field-survey §1: 3 to 8 columns; a little room beyond).
_MAX_COLUMNS = 10
# Cells looked at after a header: enough for a long ranking, a bound on hostile input.
_MAX_CELLS = 3000
# A cell printed with a trailing bar (`东岭村 |`), or a blank cell printed as a lone bar.
_TRAILING_BAR = regex.compile(r"\s*\|\s*$")
# A unit column named in words no list knows (`功能区`): a short word, no sentence.
_UNIT_WORD = regex.compile(r"[\p{Han}（）()、]{1,8}")
# A heading of the circular's body (`二、测评发现的问题`, `（三）`): the run of a table's cells ends there.
_HEADING = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[章节部分])"
)
# A line between a table and its continuation with the header typed again (p10 `续表`).
_CONTINUED = frozenset(("续表", "续上表", "（续表）", "(续表)", "续表：", "续表:"))
_BARE_NUMBER = regex.compile(
    r"^[+-]?\d+(?:\.\d+)?[%％]?$"
    # An amount in brackets and a score with its grade (p08 `（-0.5）`, `98.5（优秀）`): numbers as
    # much as bare ones, so a reading that stops before them did not reach the table's end.
    r"|^[（(][+-]?\d+(?:\.\d+)?分?[)）]$|^\d+(?:\.\d+)?分?[（(]\p{Han}{1,4}[)）]$"
)
# A mobile phone number (n15's 联络员 table after the ranking): digits, never a figure of a table.
_PHONE = regex.compile(r"^1[3-9]\d{9}$")
# A lead-in ending in a colon, over what follows (`全市事故情况：`, `资金安排：`).
_LEAD_IN = regex.compile(r"\p{Han}{2}[：:]$")
# A line closing a sentence: the text after a table, never one of its cells.
_SENTENCE_END = regex.compile(r"[。！？；]$")
# A line that may be a flattened cell: short, or a number. Free text runs longer but ends the run
# only where it is not read anyway.
_MAX_CELL_CHARS = 40


def flat_text(line: Line) -> str:
    """A flattened cell's text: the line without a trailing ` |`."""
    text = line.text
    # Only a line holding a bar can end in one; the pattern is slow to fail on every other line.
    return (_TRAILING_BAR.sub("", text) if "|" in text else text).strip()


def row_line(first: Line, last: Line, cells: tuple[str, ...], raw: str) -> Line:
    """A table row restored from lines `first`..`last`, keeping their raw text as provenance."""
    return replace(first, text=cells_to_text(cells), cells=cells, line_end=last.last_line, raw=raw)


def flat_header_at(lines: list[Line], i: int) -> list[Line] | None:
    """The header printed one cell per line from line `i`, or None.

    Every cell is a header word, but for words no list knows, each followed by a header word so
    that a table's first data cell (`青禾镇`) is never taken for a header cell: the unit column's
    name when it stands first or after the rank (header_roles names it), and columns after the
    unit (`得分率` between 街道 and 得分), read as columns of no known role.
    """
    first = flat_text(lines[i]) if i < len(lines) and lines[i].cells is None else ""
    if len(first) > MAX_HEADER_CELL and len(squash(first)) > MAX_HEADER_CELL:
        return None  # asked of every line: a line longer than any header word (or unit word) opens none
    cells: list[Line] = []
    naming_unit: int | None = None
    j = i
    while j < len(lines) and lines[j].cells is None and len(cells) < _MAX_COLUMNS:
        text = flat_text(lines[j])
        if not text:
            break
        if glued_cell_role(text) is None and _grade_column_word(lines, j, cells):
            pass  # n13 `单位 | 优秀 | 良好 | 合格 | 不合格`: grades as columns after the unit's
        elif glued_cell_role(text) is None:
            if not _UNIT_WORD.fullmatch(text) or not _header_word_follows(lines, j, bool(cells)):
                break
            before = {glued_cell_role(flat_text(c)) for c in cells}
            if "unit" not in before:
                if naming_unit is not None or before - {"rank", "seq"}:
                    break
                naming_unit = len(cells)
        cells.append(lines[j])
        j += 1
    roles = header_roles(tuple(flat_text(c) for c in cells)) if len(cells) >= 2 else None
    if roles is None or (naming_unit is not None and roles[naming_unit] != "unit"):
        return None
    return cells


# Columns of no known role in a row of a flattened header before a known word (k12 `乡镇 | 统计基础 |
# 统计业务 | 统计服务 | 合计 | 名次`: a 1000-point table's three parts, named by the assessment).
_MAX_UNKNOWN_RUN = 3


def _header_word_follows(lines: list[Line], j: int, after_first: bool) -> bool:
    """Whether the word at line `j` is followed by a header word: at once, or, past the header's first
    cell, after at most _MAX_UNKNOWN_RUN words no list knows (a data row's cells are numbers by then:
    `长岗镇` is followed by `188`, never by a header word)."""
    reach = _MAX_UNKNOWN_RUN if after_first else 1
    for k in range(j + 1, min(j + 1 + reach, len(lines))):
        following = lines[k]
        if following.cells is not None:
            return False
        text = flat_text(following)
        if glued_cell_role(text):
            return True
        if not _UNIT_WORD.fullmatch(text):
            return False
    return False


def _grade_column_word(lines: list[Line], j: int, cells: list[Line]) -> bool:
    """Whether line `j` is a grade heading a column of ticks: after the unit's header cell, in a run of
    two grade words or more (header_roles names them `grade_mark`)."""
    if not GRADE_WORD.fullmatch(squash(flat_text(lines[j]))):
        return False
    if "unit" not in {glued_cell_role(flat_text(c)) for c in cells}:
        return False
    near = [lines[k] for k in (j - 1, j + 1) if 0 <= k < len(lines) and lines[k].cells is None]
    return any(GRADE_WORD.fullmatch(squash(flat_text(line))) for line in near)


@dataclass(slots=True)
class _Reading:
    """Rows read from a run of cells: the rows (None for a header repeated), and the lines taken."""

    rows: list[tuple[tuple[str, ...] | None, list[Line]]]
    taken: int


def try_flattened_table(lines: list[Line], i: int, out: list[Line]) -> int:
    """Restore a table flattened one cell per line whose header starts at line `i`; the lines it took."""
    header_lines = flat_header_at(lines, i)
    if header_lines is None:
        return 0
    header = tuple(flat_text(c) for c in header_lines)
    roles = header_roles(header)
    if roles is None:
        return 0
    start = i + len(header_lines)
    stream: list[Line] = []
    for line in lines[start : start + _MAX_CELLS]:
        if line.cells is not None:
            break
        stream.append(line)
    best = _best_reading(header_lines, header, roles, stream, _rows_before(out, header))
    if best is None:
        return 0
    raw = "\n".join(c.raw_text for c in header_lines)
    out.append(row_line(header_lines[0], header_lines[-1], header, raw))
    for cells, taken in best.rows:
        if cells is not None:
            out.append(row_line(taken[0], taken[-1], cells, "\n".join(c.raw_text for c in taken)))
    return len(header_lines) + best.taken


def _rows_before(out: list[Line], header: tuple[str, ...]) -> int:
    """Rows restored under the same header just above: a table continued under `续表` (or after a
    page break) with its header typed again goes on counting its ranks from them (p10: places 8–12
    of 12 under the second header were taken for scores, and the table was left unread)."""
    rows = 0
    key = tuple(squash(cell) for cell in header)
    for line in reversed(out):
        if line.cells is None:
            if squash(line.text) in _CONTINUED or not squash(line.text):
                continue
            return 0
        if tuple(squash(cell) for cell in line.cells) == key:
            return rows
        rows += 1
    return 0


def _best_reading(
    header_lines: list[Line],
    header: tuple[str, ...],
    roles: list[str | None],
    stream: list[Line],
    rows_before: int = 0,
) -> _Reading | None:
    """The reading of the cells that takes the most of them; the printed one first on a tie."""
    texts = [flat_text(line) for line in stream]
    # A deduction table prints its unit on the unit's first row only (variants §3), and a score
    # beside the problems on that row only too (p08 `乡镇 | 扣分事项 | 扣分 | 得分（等次）`).
    optional = _OPTIONAL | {"unit", "score"} if table_kind(roles) == "deduction" else _OPTIONAL
    required = sum(role not in optional for role in roles)
    max_rank = max(len(stream) // max(required, 1), 1) + rows_before
    slots: list[tuple[str, Line | None]] = [(t, line) for t, line in zip(texts, stream, strict=True)]
    candidates = [_read(slots, header, roles, max_rank, optional, skip=False)]
    gapped = _with_gap_blanks(header_lines, stream)
    if gapped is not None:
        candidates.append(_read(gapped, header, roles, max_rank, optional, skip=False))
    candidates.append(_read(slots, header, roles, max_rank, optional, skip=True))
    # A reading that stops where more cells follow (a number in the run right after it) went
    # out of step with the columns somewhere: it is not read with confidence.
    readings = [
        c
        for c in candidates
        if c is not None and any(cells for cells, _ in c.rows) and _cell_run_end(stream, c.taken) == c.taken
    ]
    return max(readings, key=lambda r: r.taken) if readings else None


def _with_gap_blanks(header_lines: list[Line], stream: list[Line]) -> list[tuple[str, Line | None]] | None:
    """The cells with a blank wherever the line numbers skip a cell's place, or None.

    The header's cells are printed a fixed number of lines apart (1, or 2 with blank lines
    between); a cell the same distance further on means a blank cell was dropped there. None
    when the header is not evenly spaced, or no gap says anything.
    """
    steps = {b.line_no - a.last_line for a, b in pairwise(header_lines)}
    if len(steps) != 1:
        return None
    step = steps.pop()
    if step < 1:
        return None
    slots: list[tuple[str, Line | None]] = []
    previous = header_lines[-1]
    blanks = 0
    for line in stream:
        gap = line.line_no - previous.last_line
        if gap % step:
            break
        for _ in range(gap // step - 1):
            slots.append(("", None))
            blanks += 1
        slots.append((flat_text(line), line))
        previous = line
    return slots if blanks else None


def _read(
    slots: list[tuple[str, Line | None]],
    header: tuple[str, ...],
    roles: list[str | None],
    max_rank: int,
    optional: frozenset[str | None],
    *,
    skip: bool,
) -> _Reading | None:
    """Read rows from the cells; with `skip`, an optional column may be blank without a printed blank.

    A reading is kept up to the last cell it reaches in one way only: where two readings of the
    cells reach the same place, the table is not read with confidence past the point they part.
    """
    n = len(slots)
    texts = [text for text, _ in slots]
    ways = [0] * (n + 1)
    ways[0] = 1
    back: dict[int, tuple[int, tuple[str, ...] | None]] = {}
    width = len(roles)
    for pos in range(n + 1):
        if not ways[pos]:
            continue
        ends: list[tuple[int, tuple[str, ...] | None]] = []
        if tuple(squash(t) for t in texts[pos : pos + width]) == tuple(squash(h) for h in header):
            ends.append((pos + width, None))  # the header repeated after a page break
        else:
            ends.extend(_row_parses(texts, pos, roles, max_rank, optional, skip))
        for end, cells in ends:
            if end > pos:
                ways[end] = min(2, ways[end] + ways[pos])
                back.setdefault(end, (pos, cells))
    end = max((pos for pos in range(1, n + 1) if ways[pos] == 1), default=0)
    if not end:
        return None
    rows: list[tuple[tuple[str, ...] | None, list[Line]]] = []
    pos = end
    while pos:
        before, cells = back[pos]
        taken = [line for _, line in slots[before:pos] if line is not None]
        rows.append((cells, taken))
        pos = before
    rows.reverse()
    # The lines taken: every printed cell up to `end` (the blanks inserted took no line).
    return _Reading(rows, sum(1 for _, line in slots[:end] if line is not None))


def _row_parses(
    texts: list[str],
    pos: int,
    roles: list[str | None],
    max_rank: int,
    optional: frozenset[str | None],
    skip: bool,
) -> list[tuple[int, tuple[str, ...]]]:
    """Every way the cells from `pos` make one row: the index after it and its cells."""
    found: list[tuple[int, tuple[str, ...]]] = []

    def walk(p: int, k: int, cells: list[str]) -> None:
        if len(found) > 2:
            return  # more than two ways: the caller only needs to know there are several
        if k == len(roles):
            found.append((p, tuple(cells)))
            return
        role = roles[k]
        text = texts[p] if p < len(texts) else None
        if text == "":
            if role in optional:
                walk(p + 1, k + 1, [*cells, ""])
            return
        if text is not None and cell_fits(text, role, max_rank):
            walk(p + 1, k + 1, [*cells, text])
        if skip and role in optional:
            walk(p, k + 1, [*cells, ""])

    walk(pos, 0, [])
    return found


def unread_flattened_blocks(lines: list[Line]) -> list[tuple[Line, Line, str]]:
    """Runs of flattened cells no reading restored: a header left one cell per line with numbers
    under it, or numbers left over under the rows of a restored flattened table.

    Each is (first line, last line, why), for an `UnreadBlock`: no rows come from them, and no
    other pass may take their numbers for deductions (field-survey §1: ranks, counts and prize
    money read as points).
    """
    found: list[tuple[Line, Line, str]] = []
    i = 0
    while i < len(lines):
        header = flat_header_at(lines, i) if lines[i].cells is None else None
        if header is not None:
            opens = cell_role(flat_text(header[0])) in ("seq", "rank")
            end = _cell_run_end(lines, i + len(header), len(header) if opens else None)
            if end > i + len(header):
                width = len(header)
                found.append(
                    (
                        lines[i],
                        lines[end - 1],
                        f"a table printed one cell per line under a "
                        f"{width}-column header whose cells could not be read as rows of its columns",
                    )
                )
                i = end
                continue
        if _restored_flat_row(lines[i]) and (i + 1 == len(lines) or lines[i + 1].cells is None):
            end = _cell_run_end(lines, i + 1)
            if end > i + 1:
                found.append(
                    (
                        lines[i + 1],
                        lines[end - 1],
                        "cells printed one per line after the rows of "
                        "a table that could not be read as further rows",
                    )
                )
                i = end
                continue
        i += 1
    return found


def _restored_flat_row(line: Line) -> bool:
    """A row given back from cells printed one per line (its raw text holds each cell's line)."""
    return line.cells is not None and "\n" in line.raw_text and not line.raw_text.lstrip().startswith("|")


def _is_figure(text: str) -> bool:
    """A cell holding a figure of a table: a bare number, not a phone number."""
    key = squash(text)
    return bool(_BARE_NUMBER.match(key)) and not _PHONE.match(key)


def _cell_run_end(lines: list[Line], start: int, width: int | None = None) -> int:
    """The end of the run of cell-like lines from `start`, if a bare number is among them; else `start`.

    Under a header of `width` cells whose first column numbers the rows (序号, 排名: pass the width
    only then), the run ends with the row its last number opens: n06's 问题清单
    `序号 | 责任单位 | 存在问题 | 整改时限 | 督办文号` ends `4`, `临水县`, …, and those cells left outside
    made `临水县` a heading whose section took the closing rule (`每逾期1项扣1分`) as its deduction."""
    end = start
    number = False
    while end < len(lines) and lines[end].cells is None:
        text = flat_text(lines[end])
        if _HEADING.match(text) or (end > start and flat_header_at(lines, end) is not None):
            break  # the next part of the circular, or the next table
        if _LEAD_IN.search(text):
            break  # a caption over the next table (`全市事故情况：`): no cell of this one
        is_number = _is_figure(text)
        if not is_number and len(squash(text)) > _MAX_CELL_CHARS:
            break
        number = number or is_number
        end += 1
    if not number:
        return start
    # The run ends at its last number or the cell right after it (a unit's name closing a row),
    # not at the closing sentence and the signature that follow the table.
    last_number = max(k for k in range(start, end) if _is_figure(flat_text(lines[k])))
    row_end = last_number + 1
    if width:
        # At most the row's other cells, never a sentence (a wrapped cell may have joined two cells,
        # so the count of cells cannot place the row's end exactly).
        while row_end < min(end, last_number + width) and not _SENTENCE_END.search(flat_text(lines[row_end])):
            row_end += 1
    return row_end
