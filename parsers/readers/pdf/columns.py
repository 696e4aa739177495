"""Two columns of prose on a page, read column by column instead of across.

A page that sets units' deductions in two columns (gold m06: `东门街道：` on the left, `西关街道：` on
the right, each with its entries below) comes out of the line grouper as rows across both
columns, `事件上报不及时，扣1分。    群众诉求办结率偏低，扣1.5分。`; the entries parser then charges the
right column's entries to the left column's unit. An unruled table's rows split the same way, so
a run of lines is taken as two columns only when both sides are prose: most left and right parts
hold a sentence's punctuation and neither side is a column of numbers.
"""

from __future__ import annotations

import re

from parsers.readers.pdf.glyphs import COLUMN_SEPARATOR, PageLine

# Lines in a row split at one x before they are taken as two columns: two lines may be a table's.
DEFAULT_MIN_COLUMN_LINES = 3

# Share of a run's two-part lines whose both parts carry prose punctuation: a table's cells rarely do.
DEFAULT_MIN_PROSE_SHARE = 0.6

# How far, in ems, the right parts' starts may stray from one another and still be one column.
DEFAULT_COLUMN_START_EM = 1.0

_PROSE = re.compile(r"[，。：；、！？]")
_NUMBER = re.compile(r"^[\d.\s%分-]+$")


def split_text_columns(lines: list[PageLine], page_width: float) -> list[PageLine]:
    """The page's lines with each run of two prose columns read left column first, then right."""
    out: list[PageLine] = []
    i = 0
    while i < len(lines):
        run_end = _column_run_end(lines, i, page_width)
        if run_end - i >= DEFAULT_MIN_COLUMN_LINES and _is_prose_run(lines[i:run_end]):
            out.extend(_columns_in_order(lines[i:run_end]))
            i = run_end
        else:
            out.append(lines[i])
            i += 1
    return out


def _parts(line: PageLine) -> list[str]:
    return line.text.split(COLUMN_SEPARATOR)


def _split_x(line: PageLine) -> float | None:
    """Where the second of a line's two parts starts, for a prose line in two parts."""
    if line.cells is not None or line.cell_spans is None or len(line.cell_spans) != 2:
        return None
    if len(_parts(line)) != 2:
        return None
    return line.cell_spans[1][0]


def _column_run_end(lines: list[PageLine], start: int, page_width: float) -> int:
    """End of the run of two-part lines from `start` whose second parts start at one x (with the
    one-part lines between them that sit in either column)."""
    split = _split_x(lines[start])
    # The second column starts in the page's middle third: a label-value row starts it further out.
    if split is None or not page_width / 3 < split < 2 * page_width / 3:
        return start
    left = lines[start].x0
    tolerance = DEFAULT_COLUMN_START_EM * lines[start].em
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.cells is not None:
            break
        x = _split_x(line)
        if x is not None:
            if abs(x - split) > tolerance:
                break
        elif COLUMN_SEPARATOR in line.text or not (
            (abs(line.x0 - left) <= tolerance and line.x1 < split) or abs(line.x0 - split) <= tolerance
        ):
            break
        end += 1
    return end


def _is_prose_run(run: list[PageLine]) -> bool:
    two = [_parts(line) for line in run if len(_parts(line)) == 2]
    if len(two) < DEFAULT_MIN_COLUMN_LINES:
        return False
    if any(all(_NUMBER.match(parts[k].strip()) for parts in two) for k in (0, 1)):
        return False
    prose = sum(1 for a, b in two if _PROSE.search(a) and _PROSE.search(b))
    return prose >= DEFAULT_MIN_PROSE_SHARE * len(two)


def _columns_in_order(run: list[PageLine]) -> list[PageLine]:
    """The run's left-column pieces top to bottom, then its right-column pieces."""
    split = next(x for x in map(_split_x, run) if x is not None)
    left: list[PageLine] = []
    right: list[PageLine] = []
    for line in run:
        if line.cell_spans is not None and len(line.cell_spans) == 2:
            (x0, x1), (r0, r1) = line.cell_spans
            a, b = _parts(line)
            left.append(PageLine(a, x0, line.top, x1, line.bottom, line.em))
            right.append(PageLine(b, r0, line.top, r1, line.bottom, line.em))
        elif line.x0 >= split - DEFAULT_COLUMN_START_EM * line.em:
            right.append(line)
        else:
            left.append(line)
    return left + right
