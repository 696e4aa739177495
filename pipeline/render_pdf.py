"""Render a circular given as text into a Word-like A4 text-layer PDF.

Used by the sample generator and the PDF reader's fixture script, so test PDFs
can be made on a fresh machine from PyPI alone: the font is reportlab's built-in
CID font STSong-Light (Adobe-GB1, no font file needed; pdfium maps it back to
Unicode through the UniGB-UCS2-H CMap, checked by tests/test_pdf_reader.py).

Input is Markdown-ish: paragraphs one per line, blank lines ignored, `| a | b |`
rows (a `|---|` separator row is skipped) drawn as a ruled table; a cell written
`^` continues the cell above it (a vertically merged cell, drawn like Word: no
rule between, text centred over the span). The first non-empty line is the
title. Layout follows GB/T 9704 roughly: 16 pt body on a 28 pt grid, 22 pt
centred title, first-line indent of two characters, `— N —` page numbers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

# GB/T 9704-2012 §5.2.1: type area 156 mm x 225 mm; top margin 37 mm, left 28 mm.
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 79.4, 73.7, 104.9, 99.2
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, FOOTER_SIZE = 16.0, 22.0, 12.0, 14.0
LEADING = 28.0  # 22 lines per page, as GB/T 9704 §5.2.2 asks
TABLE_PAD = 4.0
FONT = "STSong-Light"
# Offset of the second impression of a fake-bold title (WPS "加粗" on a font with no bold face).
FAKE_BOLD_SHIFT = 0.4
MERGED_CELL = "^"

# Characters that may not start a line (GB/T 15834 line-breaking rules as Word applies them).
_NO_LINE_START = set("，。、；：？！）》」』”’〕】%,.;:?!)")
_SEPARATOR_ROW = re.compile(r"^\|?\s*:?-{2,}")


@dataclass
class _Canvas:
    """reportlab canvas plus the cursor of the current page."""

    canvas: Any  # reportlab.pdfgen.canvas.Canvas, imported lazily
    y: float
    page: int = 1


def circular_to_pdf(text: str, *, fake_bold_title: bool = False, repeat_table_header: bool = True) -> bytes:
    """Render circular text into an A4 text-layer PDF and return its bytes.

    Args:
        fake_bold_title: draw the title twice, FAKE_BOLD_SHIFT apart (a WPS export quirk).
        repeat_table_header: repeat a table's first row on each page it continues to (Word's
            "repeat header row"); False leaves continuation pages without it.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as rl_canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    state = _Canvas(canvas=c, y=PAGE_HEIGHT - MARGIN_TOP)
    lines = [strip_markdown(line) for line in text.splitlines()]
    blocks = iter_blocks([line for line in lines if line])
    for index, (kind, payload) in enumerate(blocks):
        if kind == "table":
            _draw_table(state, payload, repeat_table_header)
        elif index == 0:
            _draw_title(state, payload[0], fake_bold_title)
        else:
            _draw_paragraph(state, payload[0])
    _finish_page(state)
    c.save()
    return buffer.getvalue()


def strip_markdown(line: str) -> str:
    """Drop the Markdown a Word document would not show: emphasis, heading marks, list bullets."""
    line = line.strip().replace("**", "").replace("__", "")
    line = re.sub(r"^#{1,6}\s+", "", line)
    return re.sub(r"^[-*+]\s+", "", line)


def iter_blocks(lines: list[str]) -> list[tuple[str, list]]:
    """Split non-empty lines into ("para", [text]) and ("table", [cells per row]) blocks."""
    blocks: list[tuple[str, list]] = []
    for line in lines:
        if line.startswith("|"):
            if _SEPARATOR_ROW.match(line.replace("|", "", 1).strip() or "-") and set(line) <= set("|-: "):
                continue
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
        else:
            blocks.append(("para", [line]))
    return blocks


def wrap_text(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Break text into lines no wider than width, character by character as CJK allows.

    A closing punctuation mark never starts a line: it stays on the line before,
    which may then run a little into the margin (as Word's 标点溢出边界 does).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    limit = width - first_indent
    for char in text:
        if current and stringWidth(current + char, FONT, size) > limit and char not in _NO_LINE_START:
            lines.append(current)
            current = ""
            limit = width
        current += char
    if current:
        lines.append(current)
    return lines


def _draw_string(canvas, x: float, y: float, text: str, **kwargs) -> None:
    """Draw text, padding a lone CJK character with a space.

    pdfium (5.15 / PDFium 159) extracts nothing from a one-character string in a
    predefined-CMap CID font such as STSong-Light (UniGB-UCS2-H): a paragraph's
    last line holding one character (`排`) vanished from the text layer. Two
    characters are read correctly, and the trailing space is dropped by readers.
    """
    if len(text) == 1 and not text.isascii():
        text += " "
    canvas.drawString(x, y, text, **kwargs)


def _new_page(state: _Canvas) -> None:
    _finish_page(state)
    state.canvas.showPage()
    state.page += 1
    state.y = PAGE_HEIGHT - MARGIN_TOP


def _finish_page(state: _Canvas) -> None:
    c = state.canvas
    c.setFont(FONT, FOOTER_SIZE)
    c.drawCentredString(PAGE_WIDTH / 2, MARGIN_BOTTOM - 2 * LEADING, f"— {state.page} —")


def _ensure_room(state: _Canvas, height: float) -> None:
    if state.y - height < MARGIN_BOTTOM:
        _new_page(state)


def _draw_title(state: _Canvas, text: str, fake_bold: bool) -> None:
    width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT - 2 * TITLE_SIZE
    from reportlab.pdfbase.pdfmetrics import stringWidth

    c = state.canvas
    for line in wrap_text(text, width, TITLE_SIZE):
        _ensure_room(state, LEADING * 1.3)
        state.y -= LEADING * 1.3
        x = (PAGE_WIDTH - stringWidth(line, FONT, TITLE_SIZE)) / 2
        c.setFont(FONT, TITLE_SIZE)
        _draw_string(c, x, state.y, line)
        if fake_bold:
            _draw_string(c, x + FAKE_BOLD_SHIFT, state.y + FAKE_BOLD_SHIFT / 2, line)
    state.y -= LEADING * 0.5


def _draw_paragraph(state: _Canvas, text: str) -> None:
    """Draw a justified paragraph with a two-character first-line indent (last line ragged)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    c = state.canvas
    width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    indent = 2 * BODY_SIZE
    lines = wrap_text(text, width, BODY_SIZE, first_indent=indent)
    for number, line in enumerate(lines):
        _ensure_room(state, LEADING)
        state.y -= LEADING
        x = MARGIN_LEFT + (indent if number == 0 else 0.0)
        c.setFont(FONT, BODY_SIZE)
        if number < len(lines) - 1 and len(line) > 1:
            # Justify full lines to the right margin, as Word does with 两端对齐.
            room = MARGIN_LEFT + width - x - stringWidth(line, FONT, BODY_SIZE)
            _draw_string(c, x, state.y, line, charSpace=max(room, 0.0) / (len(line) - 1))
        else:
            _draw_string(c, x, state.y, line)


def _draw_table(state: _Canvas, rows: list[list[str]], repeat_header: bool) -> None:
    """Draw rows as a ruled table with wrapped cell text, breaking across pages between rows."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n_cols = max(len(row) for row in rows)
    rows = [row + [""] * (n_cols - len(row)) for row in rows]
    width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    natural = [
        max(stringWidth(row[j] if row[j] != MERGED_CELL else "", FONT, TABLE_SIZE) for row in rows)
        + 2 * TABLE_PAD
        + 1
        for j in range(n_cols)
    ]
    scale = min(1.0, width / sum(natural)) if sum(natural) else 1.0
    widths = [w * scale for w in natural]
    if scale == 1.0:  # spread spare room over the columns, as Word's autofit-to-window does
        spare = (width - sum(widths)) / n_cols
        widths = [w + spare for w in widths]
    lefts = [MARGIN_LEFT + sum(widths[:j]) for j in range(n_cols + 1)]
    wrapped = [
        [
            wrap_text(cell, widths[j] - 2 * TABLE_PAD, TABLE_SIZE) if cell != MERGED_CELL else []
            for j, cell in enumerate(row)
        ]
        for row in rows
    ]
    heights = [max(1, *(len(cell) for cell in row)) * TABLE_SIZE * 1.5 + 2 * TABLE_PAD for row in wrapped]
    state.y -= TABLE_PAD
    page_rows: list[int] = []  # rows drawn on the current page, header first when repeated

    def flush() -> None:
        if page_rows:
            _draw_rows(state, rows, wrapped, heights, lefts, page_rows)
            page_rows.clear()

    top = state.y
    for r in range(len(rows)):
        if top - heights[r] < MARGIN_BOTTOM:
            flush()
            _new_page(state)
            top = state.y
            if repeat_header and r > 0:
                page_rows.append(0)
                top -= heights[0]
        page_rows.append(r)
        top -= heights[r]
    flush()


def _draw_rows(
    state: _Canvas,
    rows: list[list[str]],
    wrapped: list[list[list[str]]],
    heights: list[float],
    lefts: list[float],
    indices: list[int],
) -> None:
    """Draw some rows of a table at the cursor: text, then the rules around each cell."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    c = state.canvas
    n_cols = len(lefts) - 1
    tops: list[float] = []
    y = state.y
    for r in indices:
        tops.append(y)
        y -= heights[r]
    bottom = y
    c.setLineWidth(0.75)
    for position, r in enumerate(indices):
        row_top = tops[position]
        for j in range(n_cols):
            if rows[r][j] == MERGED_CELL:
                continue
            # A merged cell spans the rows below it marked `^` (on this page).
            span_end = position + 1
            while span_end < len(indices) and rows[indices[span_end]][j] == MERGED_CELL:
                span_end += 1
            span_bottom = tops[span_end] if span_end < len(indices) else bottom
            cell_lines = wrapped[r][j]
            text_height = len(cell_lines) * TABLE_SIZE * 1.5
            y = (row_top + span_bottom) / 2 + text_height / 2
            c.setFont(FONT, TABLE_SIZE)
            for line in cell_lines:
                y -= TABLE_SIZE * 1.5
                x = (lefts[j] + lefts[j + 1] - stringWidth(line, FONT, TABLE_SIZE)) / 2
                _draw_string(c, x, y + TABLE_SIZE * 0.35, line)
            # Rules: top border of the span, and the left border of each cell.
            c.line(lefts[j], row_top, lefts[j + 1], row_top)
            c.line(lefts[j], row_top, lefts[j], span_bottom)
        c.line(lefts[-1], row_top, lefts[-1], row_top - heights[r])
    c.line(lefts[0], bottom, lefts[-1], bottom)
    state.y = bottom - TABLE_PAD - LEADING * 0.3
