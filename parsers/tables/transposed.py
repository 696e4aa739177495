"""Tables printed with units as columns, turned back into one row per unit (field-survey.md §1).

    项目 | 柳溪镇 | 石门镇 | 桃源镇
    得分 | 96     | 91.5   | 88
    名次 | 1      | 2      | 3

The first row names the units under a label (项目, 指标); each row below starts with a header
word (得分, 名次, 等次) and holds one value per unit, of that column's type. Read as a table row
(`cells`) or flattened one cell per line (the label, the units, then each header word and its
values). Anything that does not fit is left as it is.
"""

from __future__ import annotations

import regex

from parsers.model import Line
from parsers.normalize import squash
from parsers.tables.flattened import flat_text, row_line
from parsers.tables.placement import cell_fits
from parsers.tables.roles import glued_cell_role, header_roles

# The label over the units' row (`项目`, `考核指标`), or a blank corner cell.
_LABEL = regex.compile(r"^(?:项目|指标|考核项目|考核指标|考评项目|类别|单位|名称)?$")
# Roles a transposed row may carry: values of one kind per unit.
_VALUE_ROLES = frozenset({"score", "rank", "grade", "part", "points", "money", "count"})
# Units across a page: a transposed table is narrow in rows, wide in units.
_MAX_UNITS = 40


def try_transposed_table(lines: list[Line], i: int, out: list[Line]) -> int:
    """Restore a transposed table starting at line `i`; the number of lines it took (0 if none)."""
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
    if len(first) < 3 or not _LABEL.match(squash(first[0])) or header_roles(first) is not None:
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
    if not first or not _LABEL.match(squash(first)):
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
