"""Ruled grids of a PDF page: rules from path objects, grids from rules, rows from grids.

Ruled score grids are rebuilt from the page's path objects (the rules Word draws as one
stroked segment per border) rather than with pdfplumber's table finder: on the dev corpus
pdfplumber took 40-260 ms for the ruled pages of one file, more than pdfium needs for the
whole document, and a rule grid is all a circular's score grid needs. Rows become lines with `cells`.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from parsers.readers.pdf.glyphs import (
    DEFAULT_COLUMN_GAP_EM,
    Char,
    PageLine,
    line_texts,
    page_path_bounds,
    x_runs,
)

# Path segment codes of the pdfium C API (fpdf_edit.h).
_SEG_LINETO, _SEG_MOVETO = 0, 2

# A path whose bounds are thinner than this (pt) is a rule, whatever its segments.
_RULE_THICKNESS = 3.0
# Rules closer than this (pt) are the same grid line (Word draws cell borders twice).
_SNAP = 2.5


@dataclass(slots=True)
class Grid:
    """A ruled table: sorted x of its column borders, sorted y (top-down) of its row borders."""

    xs: list[float]
    ys: list[float]
    h_rules: list[tuple[float, float, float]]
    v_rules: list[tuple[float, float, float]]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def page_rules(
    page, page_height: float
) -> tuple[
    list[tuple[float, float, float]],  # page: FPDF_PAGE
    list[tuple[float, float, float]],
    int,
    int,
]:
    """Return the page's horizontal rules (y, x0, x1), vertical rules (x, top, bottom), image and path counts.

    Word/WPS draw each table border as its own stroked segment (xinyang-2022-07.pdf
    p.7: 16 two-point paths); other producers draw thin filled rectangles or one
    path with a rectangle per cell. Thin bounds cover the first two; segments of
    other paths are read through the object's matrix.
    """
    import pypdfium2.raw as pdfium_c

    h_rules: list[tuple[float, float, float]] = []
    v_rules: list[tuple[float, float, float]] = []
    path_bounds, images, paths = page_path_bounds(page)
    for k, x0, y_bottom, x1, y_top in path_bounds:
        y0, y1 = page_height - y_top, page_height - y_bottom
        if y1 - y0 <= _RULE_THICKNESS and x1 - x0 > _RULE_THICKNESS:
            h_rules.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= _RULE_THICKNESS and y1 - y0 > _RULE_THICKNESS:
            v_rules.append(((x0 + x1) / 2, y0, y1))
        elif x1 - x0 > _RULE_THICKNESS and y1 - y0 > _RULE_THICKNESS:
            _path_segments(pdfium_c, pdfium_c.FPDFPage_GetObject(page, k), page_height, h_rules, v_rules)
    return h_rules, v_rules, images, paths


def _path_segments(pdfium_c, obj, page_height: float, h_rules: list, v_rules: list) -> None:
    """Add the axis-aligned segments of a stroked multi-segment path (cell rectangles)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value:
        return  # a filled shape (seal, shading) is not a rule
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count > 400:
        return  # a drawing (seal, logo), not a grid
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for s in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, s)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px = matrix.a * x.value + matrix.c * y.value + matrix.e
        py = page_height - (matrix.b * x.value + matrix.d * y.value + matrix.f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        point = (px, py)
        if kind == _SEG_MOVETO or prev is None:
            start = prev = point
            continue
        if kind == _SEG_LINETO:
            _add_segment(prev, point, h_rules, v_rules)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_segment(point, start, h_rules, v_rules)
        prev = point


def _add_segment(a: tuple[float, float], b: tuple[float, float], h_rules: list, v_rules: list) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 0.5 and abs(ax - bx) > _RULE_THICKNESS:
        h_rules.append((ay, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) < 0.5 and abs(ay - by) > _RULE_THICKNESS:
        v_rules.append((ax, min(ay, by), max(ay, by)))


def _snap(values: list[float]) -> list[float]:
    """Merge values closer than _SNAP into their mean, sorted."""
    merged: list[list[float]] = []
    for value in sorted(values):
        if merged and value - merged[-1][-1] <= _SNAP:
            merged[-1].append(value)
        else:
            merged.append([value])
    return [sum(group) / len(group) for group in merged]


def rules_to_grids(
    h_rules: list[tuple[float, float, float]], v_rules: list[tuple[float, float, float]]
) -> list[Grid]:
    """Group rules that touch into ruled grids (at least 2 rows of cells and 2 columns)."""
    if len(h_rules) < 2 or len(v_rules) < 2:
        return []
    # Union-find over rules: a horizontal and a vertical rule that cross or touch belong together.
    rules = [("h", *r) for r in h_rules] + [("v", *r) for r in v_rules]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    n_h = len(h_rules)
    for i, (y, hx0, hx1) in enumerate(h_rules):
        for j, (x, vy0, vy1) in enumerate(v_rules):
            if hx0 - _SNAP <= x <= hx1 + _SNAP and vy0 - _SNAP <= y <= vy1 + _SNAP:
                parent[find(i)] = find(n_h + j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(i)
    grids = []
    for members in groups.values():
        hs = [h_rules[i] for i in members if i < n_h]
        vs = [v_rules[i - n_h] for i in members if i >= n_h]
        ys = _snap([r[0] for r in hs])
        xs = _snap([r[0] for r in vs])
        if hs and vs:
            # A table drawn without its outer frame (Word's "inside borders" only, fresh-G g02): the
            # inner rules run on past the outermost rules across them, to the table's real edges.
            left, right = min(r[1] for r in hs), max(r[2] for r in hs)
            top, bottom = min(r[1] for r in vs), max(r[2] for r in vs)
            xs = (
                ([left] if left < xs[0] - 2 * _SNAP else [])
                + xs
                + ([right] if right > xs[-1] + 2 * _SNAP else [])
            )
            ys = (
                ([top] if top < ys[0] - 2 * _SNAP else [])
                + ys
                + ([bottom] if bottom > ys[-1] + 2 * _SNAP else [])
            )
        if len(ys) >= 2 and len(xs) >= 3:
            grids.append(Grid(xs=xs, ys=ys, h_rules=hs, v_rules=vs))
    grids.sort(key=lambda g: g.ys[0])
    return grids


def row_ruled_grids(
    h_rules: list[tuple[float, float, float]], grids: list[Grid], chars: list[Char]
) -> list[Grid]:
    """Tables ruled under every row but with no vertical rules (fresh-G g02): columns from the header.

    Four or more rules of one width, one under another, each band between two of them a
    row; the header band's words, apart by more than an em, give the columns, and the
    border between two columns is the widest gap no row's glyph crosses. Without rules
    between rows (a 三线表) rows cannot be told apart from wrapped cell text, so those
    grids stay text.
    """
    free = [
        r
        for r in h_rules
        if not any(
            g.xs[0] - _SNAP <= r[1]
            and r[2] <= g.xs[-1] + _SNAP
            and g.ys[0] - _SNAP <= r[0] <= g.ys[-1] + _SNAP
            for g in grids
        )
    ]
    found: list[Grid] = []
    for run in _rule_runs(free):
        ys = _snap([r[0] for r in run])
        if len(ys) < 5:
            continue  # a header and at least three rows, each under its rule
        x0, x1 = min(r[1] for r in run), max(r[2] for r in run)
        spans = x_runs(
            (c[0], c[2], DEFAULT_COLUMN_GAP_EM * (c[3] - c[1]))
            for c in chars
            if ys[0] < (c[1] + c[3]) / 2 < ys[1] and x0 <= (c[0] + c[2]) / 2 <= x1
        )
        if len(spans) < 2:
            continue
        # Between two header words, the column border is where no glyph of any row stands: a
        # header word sits centred over a wide column whose text runs on past it.
        inside = sorted(
            (c[0], c[2]) for c in chars if ys[0] < (c[1] + c[3]) / 2 < ys[-1] and x0 <= c[0] and c[2] <= x1
        )
        borders = [_widest_gap(inside, a[1], b[0]) for a, b in pairwise(spans)]
        if any(border is None for border in borders):
            continue  # some row's text crosses from one column into the next: no clear columns
        xs = [x0] + [border for border in borders if border is not None] + [x1]
        v_rules = [(x, ys[0], ys[-1]) for x in xs]
        found.append(Grid(xs=xs, ys=ys, h_rules=run, v_rules=v_rules))
    return found


def _widest_gap(spans: list[tuple[float, float]], left: float, right: float) -> float | None:
    """The middle of the widest x interval in [left, right] that no span covers, or None."""
    best: tuple[float, float] | None = None
    at = left
    for x0, x1 in spans:
        if x1 <= at or x0 >= right:
            continue
        if x0 > at and (best is None or x0 - at > best[1] - best[0]):
            best = (at, x0)
        at = max(at, x1)
    if at < right and (best is None or right - at > best[1] - best[0]):
        best = (at, right)
    return None if best is None or best[1] - best[0] < 1.0 else (best[0] + best[1]) / 2


def _rule_runs(rules: list[tuple[float, float, float]]) -> list[list[tuple[float, float, float]]]:
    """Horizontal rules of the same extent, grouped (a table's row rules share their ends)."""
    runs: list[list[tuple[float, float, float]]] = []
    for rule in sorted(rules, key=lambda r: (round(r[1]), round(r[2]), r[0])):
        if (
            runs
            and abs(runs[-1][-1][1] - rule[1]) <= 2 * _SNAP
            and abs(runs[-1][-1][2] - rule[2]) <= 2 * _SNAP
        ):
            runs[-1].append(rule)
        else:
            runs.append([rule])
    return runs


def split_chars(chars: list[Char], grid: Grid) -> tuple[list[Char], list[Char]]:
    """Split characters into those whose centre lies inside the grid and the rest."""
    x0, top, x1, bottom = grid.bbox
    inside: list[Char] = []
    outside: list[Char] = []
    for char in chars:
        cx, cy = (char[0] + char[2]) / 2, (char[1] + char[3]) / 2
        (inside if x0 <= cx <= x1 and top <= cy <= bottom else outside).append(char)
    return inside, outside


def grid_borders(grid: Grid) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Return which cell borders are drawn: {(row border i, column j)} and {(row i, column border j)}.

    A border is drawn when a rule runs along it through its middle; a missing one
    means the cells on both sides are one merged cell.
    """
    xs, ys = grid.xs, grid.ys
    x_mids = [(xs[j] + xs[j + 1]) / 2 for j in range(len(xs) - 1)]
    y_mids = [(ys[i] + ys[i + 1]) / 2 for i in range(len(ys) - 1)]
    horizontal: set[tuple[int, int]] = set()
    for y, x0, x1 in grid.h_rules:
        i = _nearest(ys, y)
        if i is not None:
            horizontal.update((i, j) for j, mid in enumerate(x_mids) if x0 - _SNAP <= mid <= x1 + _SNAP)
    vertical: set[tuple[int, int]] = set()
    for x, y0, y1 in grid.v_rules:
        j = _nearest(xs, x)
        if j is not None:
            vertical.update((i, j) for i, mid in enumerate(y_mids) if y0 - _SNAP <= mid <= y1 + _SNAP)
    return horizontal, vertical


def _nearest(values: list[float], value: float) -> int | None:
    """Index of the grid line within _SNAP of value, if any."""
    k = bisect_right(values, value)
    for index in (k - 1, k):
        if 0 <= index < len(values) and abs(values[index] - value) <= _SNAP:
            return index
    return None


def grid_to_rows(grid: Grid, chars: list[Char], table_index: int) -> list[PageLine]:
    """Turn a rule grid and the characters inside it into one table row per grid row.

    A cell merged across columns (no rule between them) keeps its text in its first
    column and leaves the others blank; a cell merged down several rows keeps its
    text in its top row and is blank below — the table parser carries it down —
    so every row has one cell per grid column.
    """
    xs, ys = grid.xs, grid.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # anchor[r][c]: the top-left grid cell of the merged cell that (r, c) belongs to.
    anchor = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    horizontal, vertical = grid_borders(grid)
    for r in range(n_rows):
        for c in range(n_cols):
            if c > 0 and (r, c) not in vertical:
                anchor[r][c] = anchor[r][c - 1]
            elif r > 0 and (r, c) not in horizontal:
                anchor[r][c] = anchor[r - 1][c]
    buckets: dict[tuple[int, int], list[Char]] = {}
    for char in chars:
        c = bisect_right(xs, (char[0] + char[2]) / 2) - 1
        r = bisect_right(ys, (char[1] + char[3]) / 2) - 1
        if 0 <= r < n_rows and 0 <= c < n_cols:
            buckets.setdefault(anchor[r][c], []).append(char)
    rows = []
    for r in range(n_rows):
        cells = tuple(
            cell_text(buckets.get((r, c), [])) if anchor[r][c] == (r, c) else "" for c in range(n_cols)
        )
        if not any(cells):
            continue  # an empty spacer row of the grid
        em = max((ch[3] - ch[1] for c in range(n_cols) for ch in buckets.get((r, c), [])), default=12.0)
        rows.append(
            PageLine(
                text="| " + " | ".join(cells) + " |",
                x0=xs[0],
                top=ys[r],
                x1=xs[-1],
                bottom=ys[r + 1],
                em=em,
                cells=cells,
                table=table_index,
            )
        )
    return rows


def cell_text(chars: list[Char]) -> str:
    """Join a cell's lines into one whitespace-normalised string (wrapped cell text joined)."""
    parts: list[str] = []
    for line_text in line_texts(chars):
        text = " ".join(line_text.split())
        if (
            parts
            and parts[-1][-1:].isascii()
            and parts[-1][-1:].isalnum()
            and text[:1].isascii()
            and text[:1].isalpha()
        ):
            parts.append(" ")  # a Latin word broken across cell lines keeps its space
        parts.append(text)
    return "".join(parts)
