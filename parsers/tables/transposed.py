"""Tables printed with units as columns, turned back into one row per unit (field-survey.md §1).

    项目 | 柳溪镇 | 石门镇 | 桃源镇
    得分 | 96     | 91.5   | 88
    名次 | 1      | 2      | 3

The first row names the units under a label (项目, 指标); each row below starts with a header
word (得分, 名次, 等次) and holds one value per unit, of that column's type. Read as a table row
(`cells`), flattened one cell per line (the label, the units, then each header word and its
values), or as text rows whose cells are apart by single spaces (`项目 东湖社区 西岭社区` /
`总分 93.6 93.73`), which the wrapped-line joiner may have run into one line. Anything that
does not fit is left as it is.
"""

from __future__ import annotations

from dataclasses import replace

from parsers.model import Line
from parsers.normalize import normalize_chars, squash
from parsers.tables.flattened import flat_text, row_line
from parsers.tables.physical import physical_lines, rejoined
from parsers.tables.placement import cell_fits
from parsers.tables.roles import MAX_HEADER_CELL, cell_role, glued_cell_role, header_roles

# The label over the units' row (`项目`, `考核指标`), or a blank corner cell.
_LABELS = frozenset({"", "项目", "指标", "考核项目", "考核指标", "考评项目", "类别", "单位", "名称"})


def _is_label(cell: str) -> bool:
    """The corner cell over the units' row: a label word, blank, or the unit column's own name
    (`乡镇 | 凤凰镇 | 玉泉镇`, w27: the units' row headed by what they are)."""
    key = squash(cell)
    if len(key) > MAX_HEADER_CELL:
        return False  # asked of every line: a line longer than any header word is neither
    return key in _LABELS or cell_role(key) == "unit"


# Roles a transposed row may carry: values of one kind per unit.
_VALUE_ROLES = frozenset(
    {"score", "rank", "grade", "part", "points", "bonus", "base", "money", "count", "rate"}
)
# Units across a page: a transposed table is narrow in rows, wide in units.
_MAX_UNITS = 40


def try_transposed_table(lines: list[Line], i: int, out: list[Line]) -> int:
    """Restore a transposed table starting at line `i`; the number of lines it took (0 if none)."""
    if lines[i].cells is None and (spaced := _try_spaced(lines, i, out)):
        return spaced
    found = _transposed_cells(lines, i) if lines[i].cells is not None else _transposed_flat(lines, i)
    if found is None:
        return 0
    units, rows, taken = found
    header = ("单位", *(word for word, _, _ in rows))
    roles = header_roles(header)
    if roles is None:
        return 0
    block = lines[i : i + taken]
    raw = "\n".join(line.raw_text for line in block)
    out.append(row_line(block[0], block[0], header, block[0].raw_text))
    for k, (unit, unit_line) in enumerate(units):
        cells = (unit, *(values[k] for _, values, _ in rows))
        out.append(row_line(unit_line, block[-1], cells, raw))
    return taken


def _fits(word: str, values: list[str], units: int) -> bool:
    role = glued_cell_role(word)
    return role in _VALUE_ROLES and len(values) == units and all(cell_fits(v, role, units) for v in values)


def _transposed_cells(
    lines: list[Line], i: int
) -> tuple[list[tuple[str, Line]], list[tuple[str, list[str], Line]], int] | None:
    """Units and value rows of a transposed table read as table rows."""
    first = lines[i].cells or ()
    if len(first) < 3 or not _is_label(first[0]) or header_roles(first) is not None:
        return None
    names = list(first[1:])
    if len(names) > _MAX_UNITS or not all(cell_fits(name, "unit", 1) for name in names):
        return None
    rows: list[tuple[str, list[str], Line]] = []
    j = i + 1
    while j < len(lines) and (cells := lines[j].cells) is not None and len(cells) == len(first):
        if not _fits(squash(cells[0]), list(cells[1:]), len(names)):
            break
        rows.append((squash(cells[0]), list(cells[1:]), lines[j]))
        j += 1
    if not rows:
        return None
    units = [(name, rows[0][2]) for name in names]
    return units, rows, j - i


def _transposed_flat(
    lines: list[Line], i: int
) -> tuple[list[tuple[str, Line]], list[tuple[str, list[str], Line]], int] | None:
    """Units and value rows of a transposed table flattened one cell per line."""
    first = flat_text(lines[i])
    if not first or not _is_label(first):
        return None
    units: list[tuple[str, Line]] = []
    j = i + 1
    while j < len(lines) and lines[j].cells is None and len(units) < _MAX_UNITS:
        text = flat_text(lines[j])
        if glued_cell_role(text) is not None or not cell_fits(text, "unit", 1):
            break
        units.append((text, lines[j]))
        j += 1
    if len(units) < 2:
        return None
    rows: list[tuple[str, list[str], Line]] = []
    while j + len(units) < len(lines):
        group = lines[j : j + len(units) + 1]
        if any(line.cells is not None for line in group):
            break
        word, values = flat_text(group[0]), [flat_text(line) for line in group[1:]]
        if not _fits(word, values, len(units)):
            break
        rows.append((word, values, group[0]))
        j += len(units) + 1
    if not rows:
        return None
    return units, rows, j - i


# Rows of a transposed table printed as text: the units' row, then one row per header word.
_MAX_SPACED_ROWS = 12


def _try_spaced(lines: list[Line], i: int, out: list[Line]) -> int:
    """Restore a transposed table printed as text rows with single spaces between cells (r04:
    `项目 东湖社区 西岭社区 南浦社区` / `基础工作（40分） 37.5 36 38.2` / `总分 93.6 93.73 93.8`).

    Its rows end without punctuation, so the joiner may have run them, and a caption above them,
    into one line: the line is split back into its physical lines, read from the units' row on.
    What comes before the units' row and after the last value row stays joined as it was; the
    lines taken are replaced in `lines` by the physical lines they were made of. Returns the
    number of lines now standing for the table (0 if none).
    """
    if not any(_units_row_text(raw) for raw in lines[i].raw_text.split("\n")):
        return 0  # no physical line is a units' row: skip splitting and normalising every line
    pieces = physical_lines(lines[i])
    start = next((k for k, piece in enumerate(pieces) if _units_row(piece)), None)
    if start is None:
        return 0
    origin = [i] * len(pieces)
    for j in range(i + 1, min(len(lines), i + _MAX_SPACED_ROWS)):
        if lines[j].cells is not None:
            break
        more = physical_lines(lines[j])
        pieces.extend(more)
        origin.extend([j] * len(more))
    spaced = [
        replace(piece, cells=tuple(normalize_chars(t) for t in piece.raw_text.split())) for piece in pieces
    ]
    rows: list[Line] = []
    taken = try_transposed_table(spaced, start, rows)
    if not taken:
        return 0
    end = start + taken
    last = origin[end - 1]
    rest = [piece for k, piece in enumerate(pieces[end:], end) if origin[k] == last]
    before = [rejoined(pieces[:start])] if start else []
    out.extend(before + rows)
    lines[i : last + 1] = before + pieces[start:end] + ([rejoined(rest)] if rest else [])
    return len(before) + taken


def _units_row(piece: Line) -> bool:
    """A text row `项目 东湖社区 西岭社区 …`: a label, then two units or more, apart by single spaces."""
    return _units_row_text(piece.raw_text)


def _units_row_text(raw: str) -> bool:
    # Asked of every physical line: split off the first three tokens only (a justified PDF line
    # holds dozens of spaces), which says as much as splitting it all.
    tokens = raw.split(None, 2)
    # Tokens are never empty and hold no whitespace (squash would not change them): a token longer
    # than any header word is no label, told before _is_label squashes it.
    return len(tokens) >= 3 and len(tokens[0]) <= MAX_HEADER_CELL and _is_label(tokens[0])
