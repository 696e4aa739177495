"""Table rows damaged on the way to text, given back their cells (variants §2 "Damage").

One cell per line (`名次` / `县区` / `得分` each on a line, then the values cycling), cells
glued into one line (`名次镇（街道）得分` then `1唐闸镇94.17`, weighted parts
`金安区93.7395.8094.971`), and rows whose spacing split them in the wrong places (a PDF
with column gaps of uneven width). Rows are restored only under a recognised header and
only while every row reads one way; the first line that does not ends the table.
"""

from __future__ import annotations

import re
from decimal import Decimal

import regex

from parsers.model import Line
from parsers.normalize import normalize_chars, squash
from parsers.numbers import NUMBER_CELL
from parsers.tables.flattened import row_line, try_flattened_table
from parsers.tables.physical import physical_lines, rejoined
from parsers.tables.placement import cell_fits
from parsers.tables.roles import (
    GRADE_WORD,
    MAX_HEADER_CELL,
    NUMERIC_ROLES,
    PART_HEADER,
    PART_WEIGHT,
    glued_cell_role,
    header_roles,
)
from parsers.tables.transposed import try_transposed_table

_SCORE_TOKEN = regex.compile(r"(?P<i>0|[1-9]\d{0,3})(?:\.(?P<f>\d{1,3}))?")
_DIGIT = regex.compile(r"\d")

# ---------------------------------------------------------------- damaged tables (variants §2)
# The largest rank or value a glued number may take: scores run to 1000-point scales with
# bonuses; a rank above the number of rows that follow is a wrong split.
DEFAULT_MAX_SCORE = Decimal(1200)
_GLUED_ROLES = {"rank", "seq", "unit", "score", "part", "grade", "remark"}
# Every score-table header names a score, rank or grade column; a line without one of these
# words is not a glued header, and the segmentation below need not run on it.
# Literal words and character classes: the re module reads them as regex does, at a third of the
# cost per call (asked of every line).
_HEADER_HINT = re.compile(r"得分|分数|成绩|总分|排名|名次|位次|序号|等次|等级|档次|扣分|合计|评分")
_PROSE_PUNCT = re.compile(r"[，。；：:、！？!?,;]")
_BRACKETED = re.compile(r"[（(][^（）()]{1,12}[)）]")
_GLUED_RANK_MARK = regex.compile(r"^第\s*(\d{1,3})\s*名")
_GLUED_UNIT_MARK = regex.compile(r"(\d)\s*分(?=\s*\d|\s*$)")
_RUN = regex.compile(r"[\d.]+(?:\s+[\d.]+)*|[^\d.]+")
# Part weights printed apart from the part names, at the end of a header line or on a line of
# their own: `（占40%）（占60%）` (fb-02).
_TRAILING_WEIGHTS = regex.compile(rf"(?:{PART_WEIGHT.pattern})+$")
_TEXT_RANK = r"(?:并列|倒数)?第?[一二三四五六七八九十]{1,3}名?(?:[（(]?并列[)）]?)?"


def split_glued_header(text: str) -> tuple[str, ...] | None:
    """Header cells of a header whose cells were glued (`名次镇（街道）得分`), or None.

    Segments the line into header words only; among several segmentations the one with
    the most cells wins (`得分排名` is one header word, but `总分|排名` beside a unit is two).
    """
    key = squash(text)
    # A header row is words only: a line with sentence punctuation is prose or an entry; the
    # 、 of a word's brackets (`县（市、区）`) is part of the word.
    if (
        not 4 <= len(key) <= 80
        or not _HEADER_HINT.search(key)
        or _PROSE_PUNCT.search(_BRACKETED.sub("", key))
    ):
        return None
    best: dict[int, list[str]] = {len(key): []}
    # The starts of the segmented suffixes, nearest last: a piece ends only at one of them.
    reachable = [len(key)]
    for start in range(len(key) - 1, -1, -1):
        if reachable[-1] - start > MAX_HEADER_CELL:
            # No piece from here reaches a segmented suffix (a piece longer than any header word
            # has no role), nor from any start before it: a caption or a title line, given up
            # after one header word's length instead of trying every piece of the line.
            return None
        options = []
        for end in reversed(reachable):  # nearest first, as the pieces grow
            if end - start > MAX_HEADER_CELL:
                break
            if glued_cell_role(key[start:end]):
                options.append([key[start:end], *best[end]])
        if options:
            best[start] = max(options, key=len)
            reachable.append(start)
    cells = best.get(0)
    if cells is None or len(cells) < 2:
        return None
    roles = header_roles(tuple(cells))
    if roles is None or None in roles:
        return None  # a word the row as a whole does not take as a column (a bare part without a total)
    return tuple(cells)


def _number_fits(token: str, role: str, max_rank: int) -> bool:
    if role in ("rank", "seq"):
        return token.isdigit() and not token.startswith("0") and 1 <= int(token) <= max_rank
    match = _SCORE_TOKEN.fullmatch(token)
    return bool(match) and Decimal(token) <= DEFAULT_MAX_SCORE


def _split_numbers(run: str, roles: list[str], max_rank: int) -> list[list[str]]:
    """Every way to cut a run of digits into one number per role (spaces are hard cuts)."""
    results: list[list[str]] = []

    def walk(pos: int, index: int, taken: list[str]) -> None:
        while pos < len(run) and run[pos].isspace():
            pos += 1
        if index == len(roles):
            if pos == len(run):
                results.append(list(taken))
            return
        for end in range(pos + 1, len(run) + 1):
            token = run[pos:end]
            if token[-1].isspace():
                break
            if end < len(run) and run[end] == ".":
                continue  # never cut just before a decimal point
            if _number_fits(token, roles[index], max_rank):
                walk(end, index + 1, [*taken, token])

    walk(0, 0, [])
    # `93.7395.8094.911`: cut only where the glued decimals keep the same number of places.
    consistent = []
    for numbers in results:
        places = {
            len(n.partition(".")[2]) for n, r in zip(numbers, roles, strict=True) if r in ("score", "part")
        }
        glued = squash(run) == run
        if not glued or len(places) <= 1:
            consistent.append(numbers)
    return consistent


def _split_text(run: str, roles: list[str]) -> list[list[str]]:
    patterns = {
        "rank": _TEXT_RANK,
        "unit": r"[\p{Han}（）()·]{2,30}?",
        "grade": GRADE_WORD.pattern,
        "remark": r".*?",
    }
    if any(r not in patterns for r in roles):
        return []
    match = regex.fullmatch("".join(f"({patterns[r]})" for r in roles), squash(run))
    return [list(match.groups())] if match else []


def split_glued_row(
    text: str, roles: list[str | None], max_rank: int = 999, header: tuple[str, ...] | None = None
) -> tuple[str, ...] | None:
    """Cells of a row whose cells were glued (`1唐闸镇94.17`, `金安区93.7395.8094.971`), or None.

    Runs of digits and runs of text alternate; each run takes a block of consecutive roles.
    Only a single plausible reading is accepted: an ambiguous row is left alone (None).
    `header` (the cells) lets weighted parts rule out readings whose total is impossible.
    """
    if any(r not in _GLUED_ROLES for r in roles):
        return None
    # `第1名信阳市浉河区95.5分`: the rank's 第…名 and the score's 分 are print, not cells.
    text = _GLUED_UNIT_MARK.sub(r"\1", _GLUED_RANK_MARK.sub(r"\1", text.strip()))
    runs = [r.strip() for r in _RUN.findall(text) if r.strip()]
    solutions: list[list[str]] = []

    def assign(run_i: int, role_i: int, cells: list[str]) -> None:
        if len(solutions) > 1:
            return
        if run_i == len(runs) or role_i == len(roles):
            if run_i == len(runs) and role_i == len(roles):
                solutions.append(cells)
            return
        run = runs[run_i]
        numeric = run[0].isdigit()
        for j in range(role_i + 1, len(roles) + 1):
            block = [r for r in roles[role_i:j] if r is not None]
            if len(block) != j - role_i:
                break
            if numeric and not all(r in NUMERIC_ROLES for r in block):
                break
            if not numeric and any(r in ("seq", "score", "part") for r in block):
                break
            splits = _split_numbers(run, block, max_rank) if numeric else _split_text(run, block)
            for split in splits:
                assign(run_i + 1, j, cells + split)

    assign(0, 0, [])
    if header is not None:
        solutions = [cells for cells in solutions if _weighted_total_possible(cells, header, roles)]
    if len(solutions) != 1:
        return None
    cells = solutions[0]
    return tuple(cells)


def _weighted_total_possible(cells: list[str], header: tuple[str, ...], roles: list[str | None]) -> bool:
    """With weights summing to 100%, a total lies between its smallest and largest part.

    `舒城县91.2588.489.544` reads 91.25|88.48|9.54|4 with consistent decimals, but a total of
    9.54 from parts near 90 is impossible: that reading is a wrong cut.
    """
    parts: list[tuple[Decimal, Decimal]] = []
    total = None
    for cell, head, role in zip(cells, header, roles, strict=True):
        if role == "part":
            match = PART_HEADER.match(squash(head))
            if match is None:
                return True
            parts.append((Decimal(match.group("w")), Decimal(cell)))
        elif role == "score":
            total = Decimal(cell)
    if total is None or not parts or sum(w for w, _ in parts) != 100:
        return True
    values = [v for _, v in parts]
    return min(values) - Decimal("0.01") <= total <= max(values) + Decimal("0.01")


def restore_table_rows(lines: list[Line]) -> list[Line]:
    """Give table rows back their cells where the way to text lost them (variants §2 "Damage").

    Two kinds of damage: one cell per line (header cells `名次` / `县区` / `得分` each on a
    line, then the values cycling) and cells glued into one line (`名次镇（街道）得分`, then
    `1唐闸镇94.17`, or `金安区93.7395.8094.971` under weighted parts). Rows are restored only
    under a recognised header and only while every row reads one way; the first line that
    does not ends the table.
    """
    out: list[Line] = []
    lines = [piece for line in lines for piece in _unjoin_glued_table(line)]
    i = 0
    while i < len(lines):
        # Line i's header words apart by single spaces, asked once for both readings that need
        # them (the passes before the spaced one change no line at or before i unless they read a table).
        spaced = _spaced_header(lines[i])
        consumed = (
            _try_glued_or_spaced(lines, i, out, spaced)
            or try_flattened_table(lines, i, out)
            or try_transposed_table(lines, i, out)
            or _try_spaced_table(lines, i, out, spaced)
        )
        if consumed:
            i += consumed
        else:
            out.append(lines[i])
            i += 1
    return out


def _unjoin_glued_table(line: Line) -> list[Line]:
    """Split a line that normalisation joined across a damaged table back into its physical lines.

    Glued rows and cells printed one per line have no sentence-final punctuation, so the
    wrapped-line joiner can run a table into one line: a glued header and its rows
    (`县区系统考核(占40%)…排名金安区93.73…`), or a caption and every cell after it (fb-01
    `各县区安全生产工作考核得分表（12 月份）` / `排名` / `县区` / `得分` / `1` / `新 县` / …). The
    physical lines survive in `raw`; their line numbers are counted from the first (blank
    lines between them, if any, are not known any more). What comes before and after the
    table stays joined, as the joiner left it.
    """
    if line.cells is not None or "\n" not in line.raw_text or not _HEADER_HINT.search(line.raw_text):
        return [line]
    if not any(_may_open_glued(squash(normalize_chars(raw))) for raw in line.raw_text.split("\n")):
        return [line]  # no physical line can open a table: a paragraph that mentions 扣分 or 得分
    pieces = physical_lines(line)
    for start, piece in enumerate(pieces):
        if not (glued_cell_role(piece.text) or _glued_header_at(pieces, start)):
            continue
        split = pieces[start:]
        taken = _try_glued_table(split, 0, []) or try_flattened_table(split, 0, [])
        if taken < 2:
            continue
        before = [rejoined(pieces[:start])] if start else []
        after = _unjoin_glued_table(rejoined(split[taken:])) if taken < len(split) else []
        return before + split[:taken] + after
    return [line]


def _may_open_glued(key: str) -> bool:
    """Whether a physical line (squashed) may pass the test that opens a table in _unjoin_glued_table:
    a header word of its own, or what _glued_header_at needs (part weights, or split_glued_header's
    header hint in a header's length without prose punctuation)."""
    if glued_cell_role(key) or "%" in key:
        return True
    return (
        4 <= len(key) <= 80
        and bool(_HEADER_HINT.search(key))
        and not _PROSE_PUNCT.search(_BRACKETED.sub("", key))
    )


def _rows_ahead(lines: list[Line], start: int) -> int:
    """How many rows a table starting at `start` can have at most (the bound for glued ranks)."""
    count = 0
    for line in lines[start:]:
        if line.cells is None and not _DIGIT.search(line.text) and split_glued_header(line.text):
            continue  # the header repeated after a page break: the rows go on below it
        if (line.cells is not None and not _misread_cells(line)) or not _DIGIT.search(_glued_text(line)):
            break
        count += line.raw_text.count("\n") + 1  # a line the joiner ran over several rows
    return max(count, 1)


def _glued_text(line: Line) -> str:
    """A line's text with any cells joined back: a row split at the wrong places is re-split whole."""
    return "".join(line.cells) if line.cells is not None else line.text


def _misread_cells(line: Line, width: int | None = None) -> bool:
    """Cells found from spacing that do not make a row of the table (`第2名 平桥区 | 94.2分` under
    a 3-column header, when a PDF set some column gaps narrower than others)."""
    return (
        line.cells is not None
        and (width is None or len(line.cells) != width)
        and header_roles(line.cells) is None
    )


def _try_glued_table(lines: list[Line], i: int, out: list[Line]) -> int:
    """Restore a glued table whose header starts at line `i`; the number of lines it took.

    May change `lines` at and after `i + 1`: a line the joiner ran over several glued rows
    is split back into them (`_split_joined_rows`).
    """
    head = lines[i]
    if head.cells is not None and not _misread_cells(head):
        return 0
    found = _glued_header_at(lines, i)
    if found is None:
        return 0
    header, bare, body = found
    j = body
    roles = [glued_cell_role(c) for c in header]
    rows: list[Line] = []
    max_rank = _rows_ahead(lines, j)
    while j < len(lines):
        taken = _table_line(lines, j, header, bare, roles, max_rank)
        if taken is None and _split_joined_rows(lines, j, header, bare, roles, max_rank):
            taken = _table_line(lines, j, header, bare, roles, max_rank)
        if taken is None:
            break
        row, j = taken
        rows.append(row)
    if not any(r.cells != header for r in rows):
        return 0
    out.append(row_line(head, lines[body - 1], header, "\n".join(ln.raw_text for ln in lines[i:body])))
    out.extend(rows)
    return j - i


def _glued_header_at(lines: list[Line], i: int) -> tuple[tuple[str, ...], tuple[str, ...], int] | None:
    """The glued header at line `i`: its cells, its cells before part weights were added, the index after it.

    The parts' weights may be printed under the header words (fb-02 `单位系统考核现场考核总分排名`
    / `（占40%）（占60%）`), on the next line or joined onto the end of the header line; each
    goes to the next part named without one.
    """
    text = squash(_glued_text(lines[i]))
    bare = split_glued_header(text)
    if bare is None:
        # Weights print a %: the pattern need not scan the other lines.
        trailing = _TRAILING_WEIGHTS.search(text) if "%" in text else None
        bare = split_glued_header(text[: trailing.start()]) if trailing and trailing.start() else None
        header = (
            _attach_part_weights(bare, PART_WEIGHT.findall(trailing.group())) if trailing and bare else None
        )
        return (header, bare, i + 1) if header and bare else None
    if (
        i + 1 < len(lines)
        and lines[i + 1].cells is None
        and _TRAILING_WEIGHTS.fullmatch(squash(lines[i + 1].text))
    ):
        header = _attach_part_weights(bare, PART_WEIGHT.findall(squash(lines[i + 1].text)))
        if header is not None:
            return header, bare, i + 2
    return bare, bare, i + 1


def _attach_part_weights(cells: tuple[str, ...], weights: list[str]) -> tuple[str, ...] | None:
    """`系统考核` + `（占40%）` → `系统考核（占40%）`, in order; None unless every weight has a part without one."""
    bare = [
        k for k, cell in enumerate(cells) if glued_cell_role(cell) == "part" and not PART_HEADER.match(cell)
    ]
    if not weights or len(bare) != len(weights):
        return None
    out = list(cells)
    for k, weight in zip(bare, weights, strict=True):
        out[k] = cells[k] + weight
    return tuple(out)


def _table_line(
    lines: list[Line],
    j: int,
    header: tuple[str, ...],
    bare: tuple[str, ...],
    roles: list[str | None],
    max_rank: int,
) -> tuple[Line, int] | None:
    """Line `j` read as a row of a glued table, or as its header repeated: the row and the index after it."""
    line = lines[j]
    if line.cells is not None and len(line.cells) == len(header):
        # Rows the spacing already split right, under a header whose words it could not
        # (`排名 县区    得分` above `1    新 县    96.5`): keep them as they are.
        return line, j + 1
    if line.cells is not None and not _misread_cells(line, len(header)):
        return None
    repeat = _glued_header_at(lines, j)
    if repeat is not None and repeat[1] == bare:  # header repeated after a page break
        return row_line(
            line, lines[repeat[2] - 1], header, "\n".join(ln.raw_text for ln in lines[j : repeat[2]])
        ), repeat[2]
    cells = split_glued_row(_glued_text(line), roles, max_rank, header)
    if cells is None:
        return None
    return row_line(line, line, cells, line.raw_text), j + 1


def _split_joined_rows(
    lines: list[Line],
    j: int,
    header: tuple[str, ...],
    bare: tuple[str, ...],
    roles: list[str | None],
    max_rank: int,
) -> bool:
    """Split line `j` back into its physical lines where the joiner ran glued rows together.

    Glued rows end without punctuation and can be long (fb-02 `唐闸镇街道93.7595.8094.981`, 22
    characters), so the wrapped-line joiner may run the rows under a header into one line.
    The pieces that read as rows (or the header repeated) replace the line in `lines`; what
    follows them stays joined, as the joiner left it. False when no piece reads as a row.
    """
    pieces = physical_lines(lines[j])
    k = 0
    while k < len(pieces) and (taken := _table_line(pieces, k, header, bare, roles, max_rank)) is not None:
        k = taken[1]
    if k == 0 or len(pieces) < 2:
        return False
    lines[j : j + 1] = pieces[:k] + ([rejoined(pieces[k:])] if k < len(pieces) else [])
    return True


# The widest table read from rows whose cells are apart by single spaces.
_MAX_SPACED_COLUMNS = 10
# Any rank fits a spaced row's rank column that a table of this many rows could hold.
_MAX_SPACED_RANK = 999


def _try_glued_or_spaced(
    lines: list[Line], i: int, out: list[Line], spaced_header: tuple[str, ...] | None
) -> int:
    """The glued reading of a table at `i`, unless reading its rows apart by single spaces takes more.

    x04: under `序号 单位 日常考核（40%） 年终考核（60%） 综合得分 排名`, rows printed `6 龙潭镇 94.5 93.5 94.9 4`;
    the glued reader, which cuts runs of digits by the parts' weights, stopped at the row whose
    total is not the weighted sum and lost it. A PDF may print the same header with spaces and
    its rows glued (`2金沙街道 93.05`): there the glued reading takes more and stands.
    """
    if spaced_header is None:
        return _try_glued_table(lines, i, out)
    trial, trial_out = lines[:], list[Line]()
    spaced = _try_spaced_table(trial, i, trial_out, spaced_header)
    glued_out: list[Line] = []
    glued = _try_glued_table(lines, i, glued_out)
    if spaced > glued:
        lines[:] = trial
        out.extend(trial_out)
        return spaced
    out.extend(glued_out)
    return glued


def _spaced_header(head: Line) -> tuple[str, ...] | None:
    """The header cells of a line of header words apart by single spaces, or None."""
    if head.cells is not None or "\n" in head.raw_text:
        return None
    # Split up to one token more than a header may hold: a line of more is refused as it is.
    tokens = head.raw_text.split(None, _MAX_SPACED_COLUMNS)
    if not 3 <= len(tokens) <= _MAX_SPACED_COLUMNS:
        return None  # counted before normalising: most lines are one token of prose
    if not all(glued_cell_role(normalize_chars(token)) for token in tokens):
        return None  # asked token by token: the first that names no column ends it
    return tuple(normalize_chars(token) for token in tokens)


def _try_spaced_table(lines: list[Line], i: int, out: list[Line], header: tuple[str, ...] | None) -> int:
    """Restore a table whose cells are apart by single spaces (field-survey §1: `甲街道 95.65 93.73 95.80`).

    The header is header words apart by single spaces (`街道 1月 2月 3月 季度平均`); each row below has
    as many cells, each of its column's type. Rows end without punctuation, so the joiner may run
    them into one line: its physical lines are read one by one, and what follows the rows stays
    joined as it was. `header` is `_spaced_header(lines[i])`.
    """
    head = lines[i]
    if header is None:
        return 0
    roles = header_roles(header)
    if roles is None:
        return 0
    rows: list[Line] = []
    j = i + 1
    while j < len(lines) and lines[j].cells is None:
        if "\n" in lines[j].raw_text:
            pieces = physical_lines(lines[j])
            k = 0
            while k < len(pieces) and _spaced_row(pieces[k], roles) is not None:
                k += 1
            if k == 0:
                break
            lines[j : j + 1] = pieces[:k] + ([rejoined(pieces[k:])] if k < len(pieces) else [])
        cells = _spaced_row(lines[j], roles)
        if cells is None and _aggregate_row(lines[j], roles):
            j += 1  # a summary row of the whole area: no unit's row, and the table goes on below it
            continue
        if cells is None:
            break
        rows.append(row_line(lines[j], lines[j], cells, lines[j].raw_text))
        j += 1
    if not rows:
        return 0
    out.append(row_line(head, head, header, head.raw_text))
    out.extend(rows)
    return j - i


# y06 `全市平均 61.76 18.88 80.64` above the counties' rows, its rank cell blank: the area's own figures.
_AGGREGATE = regex.compile(
    r"^(?:全市|全县|全区|全省|全州)?(?:平均|平均值|平均分|总体|合计|小计|总计)$|^(?:全市|全县|全区|全省)$"
)


def _aggregate_row(line: Line, roles: list[str | None]) -> bool:
    """A row of the whole area's figures (`全市平均 …`), its rank cell left blank, in a table with a rank."""
    tokens = line.raw_text.split()
    return (
        "rank" in roles
        and len(tokens) == len(roles) - 1
        and roles[0] == "unit"
        and bool(_AGGREGATE.match(normalize_chars(tokens[0])))
        and all(NUMBER_CELL.match(t) for t in tokens[1:])
    )


def _spaced_row(line: Line, roles: list[str | None]) -> tuple[str, ...] | None:
    """A line's cells apart by single spaces, one of each column's type, or None."""
    cells = tuple(normalize_chars(token) for token in line.raw_text.split())
    if len(cells) != len(roles) or not all(
        cell_fits(cell, role, _MAX_SPACED_RANK) for cell, role in zip(cells, roles, strict=True)
    ):
        return None
    return cells
