"""Scanned pages: OCR boxes -> the line model, plus the image maths before recognition.

Pure: every module here takes arrays or boxes and returns arrays, boxes or `Line`s.
Engine loading, PDF rendering and process pools live in `pipeline/ocr.py`.

The engine (RapidOCR) returns one box per detected text run: a 4-point polygon in
image pixels, the recognised text and a score. A circular's page is rebuilt from
those boxes by geometry alone:

- boxes whose vertical extents overlap form one physical line, read left to right;
- a ruled table (附件1 score tables are usually ruled) is found from its ruling
  lines and each row becomes a `Line` with `cells`, like a text-layer table;
- a line with column gaps keeps its text and the x extent of each cell (`cell_spans`),
  which the table layer reads as it reads a PDF's unruled rows.

Repairs (`repair_ocr_line`) change a character only where the surrounding pattern
proves what it must be (a bracket inside a 发文字号, 〇 inside a Chinese-numeral
year, a decimal point between the digits of an amount). A digit is never changed.

The package is split by concern: `boxes` (the engine's output as records), `image` (pixels
before recognition: colour, skew, seals, table rules), `layout` (boxes -> lines and table
rows) and `repair` (character repairs and confidence summaries).
"""

from __future__ import annotations

from parsers.readers.ocr.boxes import OcrBox, Point, TableGrid, boxes_from_engine
from parsers.readers.ocr.image import (
    Seal,
    deskew,
    drop_seal_text,
    erase_table_rules,
    estimate_skew,
    find_seals,
    find_table_grids,
    ink_bounds,
    ink_share,
    rotate_page,
    suppress_seal,
)
from parsers.readers.ocr.layout import boxes_to_lines, group_rows, join_boxes
from parsers.readers.ocr.repair import (
    low_confidence_warnings,
    mean_confidence,
    repair_ocr_cell,
    repair_ocr_line,
)

__all__ = [
    "OcrBox",
    "Point",
    "Seal",
    "TableGrid",
    "boxes_from_engine",
    "boxes_to_lines",
    "deskew",
    "drop_seal_text",
    "erase_table_rules",
    "estimate_skew",
    "find_seals",
    "find_table_grids",
    "group_rows",
    "ink_bounds",
    "ink_share",
    "join_boxes",
    "low_confidence_warnings",
    "mean_confidence",
    "repair_ocr_cell",
    "repair_ocr_line",
    "rotate_page",
    "suppress_seal",
]
