"""Runs of table rows that make one table, and the caption above a ranking block."""

from __future__ import annotations

from dataclasses import replace

import regex

from parsers.model import Line
from parsers.normalize import cells_to_text, squash
from parsers.tables.roles import header_roles

_DIGIT = regex.compile(r"\d")
# A ranking block's caption: `（一）县区组`, `二、市直部门组排名：` (variants §2 several blocks).
_GROUP_CAPTION = regex.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.、．])?\s*"
    r"(?P<g>[\p{Han}（）()、]{1,12}组|(?:[一二三四五六七八九十]|[A-Da-d])类[\p{Han}（）()、]{1,10}?)"
    # p03 `（一）一类县（4个）`: a class of units ranked on its own, with how many it holds.
    r"(?:[（(]\d{1,3}个[）)])?(?:考核|考评)?(?:排名|得分|成绩|结果|情况|名次)*(?:如下)?[:：]?$"
)


def table_blocks(lines: list[Line]) -> list[list[Line]]:
    """Consecutive runs of table rows, a new run at a header unlike the run's own."""
    blocks: list[list[Line]] = []
    previous: Line | None = None
    for line in lines:
        if line.cells is None:
            previous = None
            continue
        if previous is None or _starts_other_table(blocks[-1], line):
            blocks.append([line])
        else:
            blocks[-1].append(line)
        previous = line
    return [_unfolded(block) for block in blocks]


def has_number(line: Line) -> bool:
    """Whether a row has a digit in any cell: data rows do, header rows do not."""
    return any(_DIGIT.search(cell) for cell in line.cells or ())


def _starts_other_table(block: list[Line], line: Line) -> bool:
    """A header row unlike the block's own: two tables with nothing but a blank line between them."""
    if len(block) < 2 or line.cells == block[0].cells or has_number(line):
        return False  # data rows hold numbers; this runs on every row
    cells = tuple(squash(cell) for cell in line.cells or ())
    return cells != tuple(squash(cell) for cell in block[0].cells or ()) and header_roles(cells) is not None


def _unfolded(block: list[Line]) -> list[Line]:
    """A ranking printed in two halves side by side (`排名 | 市（州） | 得分 | 排名 | 市（州） | 得分`,
    fresh-F) as one table: the left half's rows, then the right half's.

    A workbook often keeps an empty column between the halves and names each half's group in a row
    above them (q15: `城区组 | | | | 乡镇组 | | |` over `单位 | 得分 | 排名 | | 单位 | 得分 | 排名`): the
    empty column is dropped (read with it, the halves did not match and the right half's units took
    the left half's scores), and the group names become a 组别 column of each half's rows."""
    rows = [line.cells or () for line in block]
    if len({len(row) for row in rows}) == 1:
        kept = [i for i in range(len(rows[0])) if any(row[i].strip() for row in rows)]
        rows = [tuple(row[i] for i in kept) for row in rows]
    groups = _half_groups(rows[0]) if len(rows) > 2 else None
    head_at = 1 if groups else 0
    header = [squash(cell) for cell in rows[head_at]]
    half = len(header) // 2
    if (
        half < 2
        or len(header) != 2 * half
        or header[:half] != header[half:]
        or header_roles(tuple(header[:half])) is None
    ):
        return block
    if groups is not None and half != len(rows[0]) // 2:
        return block

    def row(line: Line, cells: tuple[str, ...], group: str | None) -> Line:
        cells = (group, *cells) if group is not None else cells
        return replace(line, cells=cells, text=cells_to_text(cells))

    word = "组别" if groups else None
    left_group, right_group = groups or (None, None)
    body = list(zip(block[head_at + 1 :], rows[head_at + 1 :], strict=True))
    left = [row(block[head_at], rows[head_at][:half], word)]
    left += [row(line, cells[:half], left_group) for line, cells in body]
    right = [
        row(line, cells[half:], right_group)
        for line, cells in body
        if len(cells) == 2 * half and any(c.strip() for c in cells[half:])
    ]
    return left + right


def _half_groups(cells: tuple[str, ...]) -> tuple[str, str] | None:
    """The two group names of a row over two halves (`城区组 | | | 乡镇组 | |`), or None."""
    half = len(cells) // 2
    filled = [i for i, cell in enumerate(cells) if cell.strip()]
    if half < 2 or len(cells) != 2 * half or filled != [0, half]:
        return None
    names = [_GROUP_CAPTION.match(squash(cells[i])) for i in filled]
    if names[0] is None or names[1] is None:
        return None
    return names[0].group("g"), names[1].group("g")


def group_caption(lines: list[Line], first: Line) -> str | None:
    """A ranking block's caption just above its table: `（一）县区组`, `市直部门组排名`."""
    index = next(i for i, line in enumerate(lines) if line.line_no == first.line_no)
    for line in reversed(lines[max(0, index - 2) : index]):
        if line.cells is not None:
            return None
        match = _GROUP_CAPTION.match(squash(line.text))
        if match:
            return match.group("g")
    return None
