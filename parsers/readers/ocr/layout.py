"""Boxes -> lines: boxes that share a height form a physical line; a ruled grid's rows become lines with cells.

A line whose boxes stand apart by column gaps (an unruled table's row, or `发电单位  X` fields)
stays a line of text, its cells two spaces apart, and carries the x extent of each cell
(`Line.cell_spans`), as the PDF reader's lines do: which of those lines form a table, and
under which column each cell stands, is the table layer's call (parsers/tables/placement.py).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parsers.model import Line
from parsers.readers.ocr.boxes import OcrBox, TableGrid
from parsers.readers.ocr.repair import repair_ocr_cell, repair_ocr_line

DEFAULT_LINE_OVERLAP = 0.5
"""Two boxes are on one line when their vertical overlap is at least this share of
the smaller box's height. Deskewed pages keep neighbouring lines ~0.4 height apart."""

DEFAULT_COLUMN_GAP = 2.0
"""A gap wider than this many text heights between two boxes of one line is a
column gap (table cell or 发电单位 | 等级 fields): joined with two spaces so the
normaliser splits it into cells."""

DEFAULT_WORD_GAP = 0.6
"""A gap wider than this many text heights (but narrower than a column gap) is an
ordinary space, as in `等级 加急`; narrower gaps join boxes with nothing."""

DEFAULT_RIGHT_MARGIN_SLACK = 1.5
"""A line ends within this many text heights of the right text margin when it is
filled: 公文 body text is justified, so a wrapped line reaches the margin."""

_TERMINAL_PUNCTUATION = "。；;：:！？!?"


@dataclass(slots=True)
class _Row:
    boxes: list[OcrBox]
    cells: tuple[str, ...] | None = None

    @property
    def top(self) -> float:
        return min(b.top for b in self.boxes)

    @property
    def bottom(self) -> float:
        return max(b.bottom for b in self.boxes)

    @property
    def x0(self) -> float:
        return min(b.x0 for b in self.boxes)

    @property
    def x1(self) -> float:
        return max(b.x1 for b in self.boxes)

    @property
    def height(self) -> float:
        return statistics.median(b.height for b in self.boxes)


def group_rows(boxes: Sequence[OcrBox]) -> list[list[OcrBox]]:
    """Group boxes into physical lines by vertical overlap; each line sorted left to right."""
    rows: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        best: list[OcrBox] | None = None
        best_overlap = 0.0
        for row in rows[-3:]:  # boxes arrive by centre y: only the last lines can still match
            top = statistics.median(b.cy - b.height / 2 for b in row)
            bottom = statistics.median(b.cy + b.height / 2 for b in row)
            row_h = bottom - top
            overlap = min(bottom, box.cy + box.height / 2) - max(top, box.cy - box.height / 2)
            share = overlap / max(1.0, min(row_h, box.height))
            if share >= DEFAULT_LINE_OVERLAP and share > best_overlap:
                best, best_overlap = row, share
        if best is None:
            rows.append([box])
        else:
            best.append(box)
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def join_boxes(boxes: Sequence[OcrBox], height: float | None = None) -> str:
    """Join one line's boxes: nothing between CJK runs, a space for a word gap, two for a column.

    Gaps are measured in text heights: `height`, or the boxes' median height.
    """
    parts: list[str] = []
    if height is None:
        height = statistics.median(b.height for b in boxes)
    prev: OcrBox | None = None
    for box in boxes:
        if prev is not None:
            gap = box.x0 - prev.x1
            if gap > DEFAULT_COLUMN_GAP * height:
                parts.append("  ")
            elif gap > DEFAULT_WORD_GAP * height or (prev.text[-1].isascii() and box.text[0].isascii()):
                parts.append(" ")
        parts.append(box.text)
        prev = box
    return "".join(parts)


def _segments(boxes: Sequence[OcrBox], height: float) -> list[list[OcrBox]]:
    """Split one line's boxes at column gaps (wider than DEFAULT_COLUMN_GAP text heights)."""
    segs: list[list[OcrBox]] = [[boxes[0]]]
    for prev, box in itertools.pairwise(boxes):
        if box.x0 - prev.x1 > DEFAULT_COLUMN_GAP * height:
            segs.append([box])
        else:
            segs[-1].append(box)
    return segs


def _grid_rows(grid: TableGrid, boxes: Sequence[OcrBox]) -> list[_Row]:
    """One row per band between row rules; each box goes to the column holding its centre."""
    rows = []
    ncols = len(grid.col_edges) - 1
    for top, bottom in zip(grid.row_edges, grid.row_edges[1:], strict=False):
        band = [b for b in boxes if top <= b.cy < bottom]
        if not band:
            continue
        cells: list[list[OcrBox]] = [[] for _ in range(ncols)]
        for b in sorted(band, key=lambda b: (b.x0, b.cy)):
            col = int(np.searchsorted(grid.col_edges, b.cx)) - 1
            cells[min(max(col, 0), ncols - 1)].append(b)
        texts = tuple(_cell_text(c) for c in cells)
        rows.append(_Row(boxes=list(band), cells=texts))
    return rows


def _cell_text(boxes: Sequence[OcrBox]) -> str:
    if not boxes:
        return ""
    # A cell can wrap onto two lines (存在问题 columns): read its lines top to bottom.
    return "".join(join_boxes(r).replace("  ", " ") for r in group_rows(boxes))


def boxes_to_lines(
    boxes: Sequence[OcrBox],
    *,
    page: int | None,
    first_line_no: int = 1,
    grids: Sequence[TableGrid] = (),
    scale: float = 1.0,
) -> list[Line]:
    """Rebuild one page's lines from its OCR boxes, in reading order.

    Args:
        boxes: the engine's boxes for the page, in image pixels.
        page: 1-based page number written to each Line.
        first_line_no: `line_no` of the first line (line numbers run across a document).
        grids: ruled tables found on the same image (`find_table_grids`).
        scale: multiplies pixel coordinates into the bbox unit: 72/dpi gives PDF
            points (top-left origin, as pdfplumber) for a rendered PDF page; 1.0
            keeps image pixels for an image file.

    Returns:
        Lines with `confidence` = the lowest box score in the line, `bbox`, `page`,
        `cells` for the rows of a ruled grid, `cell_spans` for a line with column gaps and
        `wrapped` where the line fills the text width.
    """
    if not boxes:
        return []
    in_grid: dict[int, list[OcrBox]] = {k: [] for k in range(len(grids))}
    free: list[OcrBox] = []
    for b in boxes:
        k = next((k for k, g in enumerate(grids) if g.contains(b.cx, b.cy)), None)
        (free if k is None else in_grid[k]).append(b)
    rows = [_Row(boxes=r) for r in group_rows(free)]
    for k, g in enumerate(grids):
        rows.extend(_grid_rows(g, in_grid[k]))
    rows.sort(key=lambda r: (r.top + r.bottom) / 2)

    body = [r for r in rows if r.cells is None and len(r.boxes) >= 1]
    right_margin = _text_right_margin(body)
    lines = []
    for n, row in enumerate(rows):
        confidence = round(min(b.score for b in row.boxes), 4)
        bbox = (
            round(row.x0 * scale, 2),
            round(row.top * scale, 2),
            round(row.x1 * scale, 2),
            round(row.bottom * scale, 2),
        )
        if row.cells is not None:
            cells = tuple(repair_ocr_cell(c) for c in row.cells)
            text = "| " + " | ".join(cells) + " |"
            lines.append(
                Line(
                    text=text,
                    line_no=first_line_no + n,
                    page=page,
                    bbox=bbox,
                    cells=cells,
                    confidence=confidence,
                    wrapped=False,
                )
            )
            continue
        height = row.height
        segments = _segments(row.boxes, height)
        pieces = [join_boxes(seg, height) for seg in segments]
        raw = "  ".join(pieces)
        spans = None
        if len(segments) > 1:
            # A piece standing alone between column gaps is a cell: a number read as `85。7`
            # there can only be 85.7, as in a ruled grid's cell.
            pieces = [repair_ocr_cell(piece) for piece in pieces]
            spans = tuple((round(seg[0].x0 * scale, 2), round(seg[-1].x1 * scale, 2)) for seg in segments)
        text = repair_ocr_line("  ".join(pieces))
        lines.append(
            Line(
                text=text,
                line_no=first_line_no + n,
                page=page,
                bbox=bbox,
                confidence=confidence,
                wrapped=_wrapped(row, text, right_margin),
                raw=raw if raw != text else None,
                cell_spans=spans,
            )
        )
    return lines


def _text_right_margin(rows: Sequence[_Row]) -> float | None:
    """The right edge of the text block: where most full lines end."""
    if len(rows) < 3:
        return None
    ends = sorted(r.x1 for r in rows)
    # The 80th percentile: most body lines are full, the page number and short
    # last lines of paragraphs end further left.
    return ends[int(len(ends) * 0.8)]


def _wrapped(row: _Row, text: str, right_margin: float | None) -> bool | None:
    if right_margin is None:
        return None
    if row.x1 < right_margin - DEFAULT_RIGHT_MARGIN_SLACK * row.height:
        return False
    # Full to the margin: a wrap, unless it ends a sentence exactly at the margin,
    # which the geometry cannot tell from a wrap.
    return None if text.endswith(tuple(_TERMINAL_PUNCTUATION)) else True
