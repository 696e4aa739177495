"""Where the cells of a table row go: one rule set for "does this cell fit this column", for every reader.

A row may hold fewer cells than its header names columns: an aligned text row leaves a blank
cell out (fresh-04 `第一名       市民政局            98.5` with no 备注), a PDF's unruled row is
written with one column separator per gap however wide (fresh-E e05 `1  西湖镇  [blank]  100`).
The cells are put back under their columns by where they stand (display columns of a text line,
glyph extents on a PDF page: `placements_by_position`), among the placements whose every cell
fits its column (`cell_fits`) and whose blank columns may be blank.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from itertools import combinations

import regex

from parsers.model import Line
from parsers.normalize import cells_to_text, normalize_chars, squash
from parsers.numbers import UNSIGNED_DECIMAL, parse_rank
from parsers.tables.roles import GRADE_MARK, GRADE_WORD, SCORE_WITH_GRADE, header_roles, table_kind

_NUMBER_KEY = regex.compile(r"[+-]?\d+(?:\.\d+)?分?")
_NAME_KEY = regex.compile(r"[\p{Han}（）()·]{2,30}")
_SHORT_HAN = regex.compile(r"\p{Han}{1,6}")
# A grade cell: a short word (`优秀`, `良好`) or a letter grade (`A级`, `B`, `AAA级`; r26 food-safety ratings).
_GRADE_CELL = regex.compile(r"\p{Han}{1,6}|[A-Ea-e][+＋-]?级?|[A]{2,3}级?")
_PLAIN_NUMBER = regex.compile(UNSIGNED_DECIMAL)
_VETO_CELLS = frozenset(("一票否决", "否决"))
_BRACKETED_NUMBER = regex.compile(r"[（(][+-]?\d+(?:\.\d+)?分?[)）]")
# A change column's cell (z12 `↑2`, `↓1`, `—`; z06 `+1.5`, `-0.8`, `0`; `持平`): a signed or arrowed
# difference, a dash or a word for none.
_CHANGE_CELL = regex.compile(
    rf"(?:[↑↓+\-−上升下降]{{0,2}}{UNSIGNED_DECIMAL}(?:位|名|分|%|％)?|[—\-–]+|持平|不变|无变化)"
)
# Words that head a unit column and are also a unit's own name in a county's list (r15: the
# row `5 | 开发区 | 8 | -3 | 27` beside 街道 rows): a unit, not a header cell, in a data row.
_UNIT_NAMED_BY_KIND = frozenset({"开发区", "园区", "城区"})


def aligned_columns(row: str, header: str) -> list[tuple[int, ...]]:
    """Ways to place the cells of an aligned row with fewer cells than its header, best first.

    An aligned row leaves a cell blank by leaving its column empty (fb-10 `2               第11项：
    农贸市场内外环境脏乱  10` under `序号  单位      扣分事项          扣分`; fresh-04's rows without a
    备注). Each placement gives the header column of each cell, in order; they are ranked by
    how far the cells stand from their header words in display columns (a CJK character is
    two wide). Empty when positions say nothing: a tab, a row as wide as the header, or every
    gap the reader's fixed column separator (a PDF's text gets the same four spaces whatever
    the gap, see parsers/readers/pdf/glyphs.py COLUMN_SEPARATOR). Positions alone can mislead (a number
    drifting under the next header word), so the caller checks each placement's cells.
    """
    row_spans, head_spans = _column_spans(row), _column_spans(header)
    if row_spans is None or head_spans is None or not 0 < len(row_spans[0]) < len(head_spans[0]):
        return []
    if row_spans[1] | head_spans[1] <= {_PDF_COLUMN_GAP} or len(head_spans[0]) > _MAX_ALIGNED_COLUMNS:
        return []
    return placements_by_position(row_spans[0], head_spans[0])


def placements_by_position(
    spans: Sequence[tuple[float, float]], header_spans: Sequence[tuple[float, float]]
) -> list[tuple[int, ...]]:
    """Every way to put cells at `spans` under header words at `header_spans`, in order, nearest first.

    Ranked by how far the cells stand outside their header words, then by how far their
    centres are from the words' centres (the extents in any one unit: display columns of a
    text line, points of a PDF page).
    """
    ranked: list[tuple[float, float, tuple[int, ...]]] = []
    for columns in combinations(range(len(header_spans)), len(spans)):
        gap = centre = 0.0
        for (start, end), k in zip(spans, columns, strict=True):
            head_start, head_end = header_spans[k]
            gap += max(0, head_start - end, start - head_end)
            centre += abs(start + end - head_start - head_end)
        ranked.append((gap, centre, columns))
    ranked.sort()
    return [columns for _, _, columns in ranked]


# Tables wider than this are not placed by position (the placements to rank grow as 2^n).
_MAX_ALIGNED_COLUMNS = 16


# The gap the PDF reader writes between columns (parsers/readers/pdf/glyphs.py COLUMN_SEPARATOR), whatever their distance.
_PDF_COLUMN_GAP = 4


def _column_spans(text: str) -> tuple[list[tuple[int, int]], set[int]] | None:
    """Display columns [start, end) of each cell of an aligned line, and the widths of the gaps between them."""
    if "\t" in text:
        return None  # a tab's width depends on the viewer
    spans: list[tuple[int, int]] = []
    gaps: set[int] = set()
    col = end = spaces = 0
    start: int | None = None
    for char in text:
        width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        mapped = normalize_chars(char)
        if mapped in (" ", ""):
            spaces += 1 if mapped else 0  # as aligned_cells counts them, after normalize_chars
        else:
            if start is None:
                start = col
            elif spaces >= 2:
                spans.append((start, end))
                gaps.add(spaces)
                start = col
            spaces = 0
            end = col + width
        col += width if mapped else 0
    if start is not None:
        spans.append((start, end))
    return spans, gaps


def cell_fits(value: str, role: str | None, max_rank: int) -> bool:
    """Whether a cell's text can stand in a column of this role (a rank within `max_rank` rows)."""
    key = squash(value)
    if role in ("rank", "seq"):
        rank = parse_rank(key, max_rank)
        if rank is None:
            return role == "rank" and key.startswith("倒数")
        # A bare number is a rank only within the rows that follow (else it may be a score); an
        # ordinal word (`第十一名`) is one whatever the count: a 黑榜 prints only the last two places
        # of twelve (field-survey §2, bottom ranks).
        return rank <= max_rank or not _PLAIN_NUMBER.fullmatch(key)
    if role in ("score", "part", "points", "bonus", "base"):
        # z05 `石桥乡 | 一票否决 | 不合格`: a vetoed unit's score cell holds the veto, no number.
        return (
            bool(_NUMBER_KEY.fullmatch(key))
            or (role == "score" and (key in _VETO_CELLS or SCORE_WITH_GRADE.match(key) is not None))
            # p08 `（-0.5）`: an amount in brackets, as accounts print what is taken off.
            or (role == "points" and _BRACKETED_NUMBER.fullmatch(key) is not None)
        )
    if role == "unit":
        # Not a header word, and not a rank (`并列第三` stands in the rank column).
        return (
            bool(_NAME_KEY.fullmatch(key))
            and (key in _UNIT_NAMED_BY_KIND or header_roles((key, "得分")) is None)
            and parse_rank(key) is None
        )
    if role == "grade":
        return bool(_GRADE_CELL.fullmatch(key))
    if role == "rate":
        # y13 `及时受理率 | 100%`: a rate printed with its percent sign as well as bare (x18).
        return bool(_PLAIN_NUMBER.fullmatch(key.removesuffix("%").removesuffix("％")))
    if role in ("money", "count", "other_period", "measure"):
        return bool(_PLAIN_NUMBER.fullmatch(key))
    if role == "change":
        return bool(_CHANGE_CELL.fullmatch(key))
    if role == "grade_mark":
        # n13: a tick under the unit's grade, the other grades' cells blank.
        return bool(GRADE_MARK.match(key))
    if role in ("remark", "reason"):
        # Free text (备注, 存在问题, 暗访情况): a bare number there is a cell of another column.
        return bool(key) and not _PLAIN_NUMBER.fullmatch(key)
    return bool(key)


def place_short_row(
    cells: tuple[str, ...],
    roles: list[str | None],
    ranked: list[tuple[int, ...]] | None = None,
    *,
    unit_carried: bool = False,
) -> tuple[str, ...] | None:
    """Cells of a row that has fewer cells than its header, blank where its columns are empty.

    A row may leave optional columns blank: 备注 / 等次 / 存在问题 beside a score (fresh-04:
    `第一名       市民政局            98.5` under `名次 单位 考评成绩 备注`), a score table's 扣分 for
    a unit with none (fresh-E e05 `1  西湖镇  [blank]  100` under `名次 乡镇 扣分 得分`), and the unit
    of a deduction table below its first row (`unit_carried`; fb-10). Every placement of the cells
    that leaves only such columns blank and puts each cell in a column it fits is a candidate;
    `ranked` (the placements by position: `aligned_columns`, or `placements_by_position` over
    a PDF row's glyph extents) picks among several,
    else the unit left blank, then the latest columns. None when no placement fits.
    """
    if not cells or len(cells) >= len(roles) or len(roles) > _MAX_SHORT_ROW_COLUMNS:
        return None
    optional = _OPTIONAL_ROLES | ({"unit"} if unit_carried else {"reason", "points", "bonus"})
    fitting = []
    for columns in combinations(range(len(roles)), len(cells)):
        if any(roles[k] not in optional for k in range(len(roles)) if k not in columns):
            continue
        if all(_placed_cell_fits(value, roles[k]) for value, k in zip(cells, columns, strict=True)):
            fitting.append(columns)
    if not fitting:
        return None
    unit_column = roles.index("unit") if "unit" in roles else -1
    by_position = [columns for columns in ranked or () if columns in fitting]
    best = (
        by_position[0] if by_position else min(fitting, key=lambda c: (unit_carried and unit_column in c, c))
    )
    out = [""] * len(roles)
    for value, k in zip(cells, best, strict=True):
        out[k] = value
    return tuple(out)


# Columns a row may leave blank (variants §2: 等次, 备注, 存在问题 are not in every row), and
# columns whose header word no list knows.
_OPTIONAL_ROLES: frozenset[str | None] = frozenset({None, "remark", "grade"})
# Wider tables are not searched for placements (their number grows as 2^n).
_MAX_SHORT_ROW_COLUMNS = 16


def _placed_cell_fits(value: str, role: str | None) -> bool:
    """Whether a cell can stand in a column: `cell_fits`, with a grade one of the grade words
    (a 备注 of `并列` is not a grade)."""
    if role == "grade":
        return bool(GRADE_WORD.fullmatch(squash(value)))
    return cell_fits(value, role, _MAX_PLACED_RANK)


# Any rank fits a placed row's rank column: the row's place, not the table's length, is in question.
_MAX_PLACED_RANK = 9999


# A reader's column gap inside a row's text: two spaces or more (the PDF reader writes four).
_COLUMN_GAP = regex.compile(r" {2,}")


def place_unruled_rows(lines: list[Line]) -> list[Line]:
    """Give rows of an unruled table that leave a cell blank their cells, under the header's columns.

    Text placed at fixed x positions (`名次  乡镇  扣分  得分` / `1  西湖镇  [blank]  100`, fresh-E e05)
    reaches us as a line with one column gap per gap, however wide: the blank cell's place is
    lost, and a row one cell short cannot be read. A reader that knows where each cell stands
    says so in `Line.cell_spans`; each cell goes under the header column nearest it, among
    the placements `place_short_row` allows. Runs before normalisation, on the reader's lines:
    a run of such lines on one page whose first line is a header is a table.
    """
    out = list(lines)
    k = 0
    while k < len(out):
        end = k
        while end < len(out) and _spanned(out[end]) and out[end].page == out[k].page:
            end += 1
        if end - k >= 2:
            out[k:end] = _placed_block(out[k:end])
        k = max(end, k + 1)
    return out


def _spanned(line: Line) -> bool:
    return line.cells is None and line.cell_spans is not None


def _placed_block(block: list[Line]) -> list[Line]:
    texts = [[text.strip() for text in _COLUMN_GAP.split(line.text)] for line in block]
    widths = [len(cells) for cells in texts]
    columns = widths[0]
    # The header comes first and names every column; a block whose first line is narrower
    # than a later one is not a table this can place (a header whose words sit close together).
    if columns < 3 or max(widths) != columns or all(width == columns for width in widths):
        return block
    roles = header_roles(tuple(texts[0]))
    header_spans = block[0].cell_spans or ()
    if roles is None or len(header_spans) != columns:
        return block
    unit_carried = table_kind(roles) == "deduction"
    placed_block = []
    for line, cells in zip(block, texts, strict=True):
        spans = line.cell_spans or ()
        placed = (
            place_short_row(
                tuple(cells), roles, placements_by_position(spans, header_spans), unit_carried=unit_carried
            )
            if len(cells) < columns and len(spans) == len(cells)
            else None
        )
        if placed is not None:
            # A table row now: the reader's wrap hint was for a line of text.
            line = replace(line, text=cells_to_text(placed), cells=placed, wrapped=False)
        placed_block.append(line)
    return placed_block
