"""Scanned pages: OCR boxes -> the line model, plus the image maths before recognition.

Pure: everything here takes arrays or boxes and returns arrays, boxes or `Line`s.
Engine loading, PDF rendering and process pools live in `pipeline/ocr.py`.

The engine (RapidOCR) returns one box per detected text run: a 4-point polygon in
image pixels, the recognised text and a score. A circular's page is rebuilt from
those boxes by geometry alone:

- boxes whose vertical extents overlap form one physical line, read left to right;
- a ruled table (附件1 score tables are usually ruled) is found from its ruling
  lines and each row becomes a `Line` with `cells`, like a text-layer table;
- an unruled table is a run of lines whose gaps fall at the same x positions.

Repairs (`repair_ocr_line`) change a character only where the surrounding pattern
proves what it must be (a bracket inside a 发文字号, 〇 inside a Chinese-numeral
year, a decimal point between the digits of an amount). A digit is never changed.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import regex

from parsers.model import BBox, Line

Point = tuple[float, float]

DEFAULT_MIN_SKEW_DEGREES = 0.15
"""Below this the page is left as is: 0.15° drifts ~3 px across a 1240 px wide A4
page at 150 dpi, a tenth of a text line, and rotating resamples the glyphs."""

DEFAULT_MAX_SKEW_DEGREES = 5.0
"""Scanner skew seen in the family is 0.5–2°; beyond 5° the page is more likely
landscape or deliberately rotated content, which deskewing would damage."""

DEFAULT_SEAL_SATURATION = 60
"""HSV saturation (0–255) above which a pixel counts as ink of a colour (the red
seal 公章, red title 红头). Black and grey text stay under ~30 even with JPEG noise."""

DEFAULT_SEAL_BRIGHT = 150
"""A coloured pixel whose brightest channel reaches this is seal ink alone (seal red
~(205, 38, 45)); darker coloured pixels are black text printed under the seal."""

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

DEFAULT_MIN_TABLE_ROWS = 3
"""An unruled table needs at least this many aligned lines (header + 2 rows):
two lines of `发电单位  X` / `等级  加急  Y` must not become a table."""

_TERMINAL_PUNCTUATION = "。；;：:！？!?"


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One text run the engine found: polygon (image pixels), text, score 0..1."""

    quad: tuple[Point, Point, Point, Point]
    text: str
    score: float

    @property
    def x0(self) -> float:
        return min(p[0] for p in self.quad)

    @property
    def x1(self) -> float:
        return max(p[0] for p in self.quad)

    @property
    def top(self) -> float:
        return min(p[1] for p in self.quad)

    @property
    def bottom(self) -> float:
        return max(p[1] for p in self.quad)

    @property
    def height(self) -> float:
        # Left and right edge heights: on a slightly skewed box the bounding height
        # overstates the text height by width * tan(skew).
        (_, y0), (_, y1), (_, y2), (_, y3) = self.quad
        return max(1.0, (abs(y3 - y0) + abs(y2 - y1)) / 2)

    @property
    def cy(self) -> float:
        return sum(p[1] for p in self.quad) / 4

    @property
    def cx(self) -> float:
        return sum(p[0] for p in self.quad) / 4


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A ruled table on a page: its column and row edges in image pixels."""

    col_edges: tuple[float, ...]
    row_edges: tuple[float, ...]

    @property
    def bbox(self) -> BBox:
        return (self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1])

    def contains(self, x: float, y: float) -> bool:
        return self.col_edges[0] <= x <= self.col_edges[-1] and self.row_edges[0] <= y <= self.row_edges[-1]


def boxes_from_engine(
    polygons: Iterable[Sequence[Sequence[float]]], texts: Iterable[str], scores: Iterable[float]
) -> list[OcrBox]:
    """Zip the engine's parallel outputs into `OcrBox` records, dropping empty texts."""
    boxes = []
    for poly, text, score in zip(polygons, texts, scores, strict=True):
        if not text.strip():
            continue
        pts = tuple((float(p[0]), float(p[1])) for p in poly)
        if len(pts) != 4:
            raise ValueError(f"OCR box polygon has {len(pts)} points, expected 4: {pts!r}")
        boxes.append(OcrBox(quad=pts, text=text.strip(), score=float(score)))  # type: ignore[arg-type]
    return boxes


# ---------------------------------------------------------------------------
# Image maths before recognition


def suppress_seal(rgb: np.ndarray) -> np.ndarray:
    """Return a grey page where coloured ink (a red seal, a red 红头) becomes paper.

    A red 公章 stamped over the date and issuer is the classic OCR failure: the
    recogniser sees red strokes through the black ones, and the seal's own arc
    text is read as a line (明建设 on dev-021). Seal red measured on the corpus
    scans is ~(205, 38, 45): its brightest channel is ~205 on ~238 paper, still
    enough contrast for the detector, so bright coloured pixels are set to the
    paper level. Dark coloured pixels (black text under red ink, max channel
    < 150) keep their brightest channel: the black stroke stays dark.
    """
    import cv2

    if rgb.ndim == 2:
        return rgb
    if rgb.shape[2] == 4:
        rgb = rgb[:, :, :3]
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    coloured = hsv[:, :, 1] > DEFAULT_SEAL_SATURATION
    if not coloured.any():
        return grey
    brightest = rgb.max(axis=2)
    paper = np.uint8(np.percentile(grey, 90))
    out = grey.copy()
    lift = coloured & (brightest >= DEFAULT_SEAL_BRIGHT)
    out[lift] = np.maximum(paper, grey[lift])
    dark = coloured & ~lift
    out[dark] = brightest[dark]
    return out


def estimate_skew(grey: np.ndarray) -> float:
    """Return the rotation (degrees, OpenCV sense: positive = counter-clockwise) that levels
    the page's text lines, found from the horizontal projection profile of its ink.

    Text lines give a sharply peaked row profile only when they are level, so the
    angle maximising the profile's variance is the skew. Searched on a page shrunk
    to ~800 px wide, coarse (0.5°) then fine (0.05°).
    """
    import cv2

    h, w = grey.shape[:2]
    scale = min(1.0, 800.0 / w)
    small = cv2.resize(grey, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() < 0.5:  # blank page: nothing to level
        return 0.0
    sh, sw = ink.shape
    centre = (sw / 2, sh / 2)

    def profile_score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(rotated.sum(axis=1, dtype=np.float64)))

    coarse = [float(a) for a in np.arange(-DEFAULT_MAX_SKEW_DEGREES, DEFAULT_MAX_SKEW_DEGREES + 1e-9, 0.5)]
    best = max(coarse, key=profile_score)
    fine = [float(a) for a in np.arange(best - 0.5, best + 0.5 + 1e-9, 0.05)]
    angle: float = max(fine, key=profile_score)
    return round(angle, 2)


def rotate_page(grey: np.ndarray, angle: float) -> np.ndarray:
    """Rotate a grey page by `angle` degrees about its centre, filling with paper colour."""
    import cv2

    h, w = grey.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    paper = int(np.percentile(grey, 90))  # scans are off-white, not 255
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=paper)


def deskew(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """Level the page's text lines; return the page and the correction applied (degrees)."""
    angle = estimate_skew(grey)
    if abs(angle) < DEFAULT_MIN_SKEW_DEGREES or abs(angle) >= DEFAULT_MAX_SKEW_DEGREES:
        return grey, 0.0
    return rotate_page(grey, angle), angle


def find_table_grids(grey: np.ndarray) -> list[TableGrid]:
    """Find ruled tables: long horizontal and vertical strokes that cross each other.

    Morphological opening with a long thin kernel keeps only strokes longer than any
    glyph (a 横 stroke of one character is ~1 text height, the kernel is ~4), then
    each connected grid gives its column and row edges from the stroke positions.
    """
    import cv2

    h, w = grey.shape[:2]
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    hk = max(20, w // 12)
    vk = max(15, h // 60)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    grid = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid)
    grids = []
    for i in range(1, n):
        x, y, gw, gh, _area = stats[i]
        if gw < w // 4 or gh < vk * 2:
            continue  # a lone rule (under a title, a page border fragment), not a table
        region = labels[y : y + gh, x : x + gw] == i
        cols = _stroke_positions((vert[y : y + gh, x : x + gw] > 0) & region, axis=0, min_len=gh * 0.5)
        rows = _stroke_positions((horiz[y : y + gh, x : x + gw] > 0) & region, axis=1, min_len=gw * 0.5)
        if len(cols) < 3 or len(rows) < 3:
            continue  # a box around a paragraph, not a grid with cells
        grids.append(TableGrid(tuple(x + c for c in cols), tuple(y + r for r in rows)))
    return grids


def erase_table_rules(grey: np.ndarray, grids: Sequence[TableGrid], *, width: int = 3) -> np.ndarray:
    """Paint the ruling lines of `grids` in paper colour.

    The detector joins text across a thin rule: the real circular's 附件1 gave one box
    `1新县` spanning the 排名 and 县区 columns. Without the rules the cells separate.
    """
    if not grids:
        return grey
    out = grey.copy()
    paper = int(np.percentile(grey, 90))
    h, w = grey.shape[:2]
    for g in grids:
        x0, y0, x1, y1 = (round(v) for v in g.bbox)
        for x in g.col_edges:
            xi = round(x)
            out[max(0, y0 - width) : min(h, y1 + width + 1), max(0, xi - width) : min(w, xi + width + 1)] = (
                paper
            )
        for y in g.row_edges:
            yi = round(y)
            out[max(0, yi - width) : min(h, yi + width + 1), max(0, x0 - width) : min(w, x1 + width + 1)] = (
                paper
            )
    return out


@dataclass(frozen=True, slots=True)
class Seal:
    """A round seal (公章) found on a page: centre and radius in image pixels."""

    cx: float
    cy: float
    r: float

    def covers(self, box: OcrBox) -> bool:
        """The box is seal text: small and centred inside the ring.

        A lone glyph of the seal's arc (信 of 信阳市…, read upright at 9 o'clock) sits
        just inside the ring; the date stamped under the seal is as wide as the seal
        and is kept.
        """
        inside = (box.cx - self.cx) ** 2 + (box.cy - self.cy) ** 2 <= (self.r * 0.95) ** 2
        return inside and box.x1 - box.x0 < 0.6 * self.r


DEFAULT_SEAL_RING_COVER = 0.85
"""Share of a candidate circle's circumference that must be ink for it to be a seal.
Measured on the corpus scans: real seals 0.97–0.99; Hough's false circles on body
text 0.32–0.47."""

DEFAULT_SEAL_TEXT_TILT = 10.0
"""A box tilted more than this (degrees, after deskew) is seal arc text (市安全生…
around the ring); body text lines are level within ~1°."""


def find_seals(grey: np.ndarray) -> list[Seal]:
    """Find round seals that survived colour suppression (grey scans keep the seal grey).

    Hough circles with a seal's radius (4.2 cm seal on a 21 cm page: ~0.1 of the
    page width), kept only when the ring is nearly continuous ink: a text block
    makes Hough see circles too, but never a closed ring.
    """
    import cv2

    h, w = grey.shape[:2]
    sc = 0.5
    small = cv2.medianBlur(cv2.resize(grey, None, fx=sc, fy=sc, interpolation=cv2.INTER_AREA), 5)
    found = cv2.HoughCircles(
        small,
        cv2.HOUGH_GRADIENT,
        dp=1.5,
        minDist=w * sc * 0.3,
        param1=120,
        param2=60,
        # A seal is ~0.1 of an A4 page's width; an image cropped around the
        # seal (a signature block) has it up to half its height.
        minRadius=int(max(20, w * 0.04) * sc),
        maxRadius=int(max(w * 0.15, min(w, h) * 0.5) * sc),
    )
    if found is None:
        return []
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    theta = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    seals = []
    for cx, cy, r in found[0] / sc:
        cover = 0.0
        for rr in np.arange(r * 0.9, r * 1.1, 2):
            xs = np.clip((cx + rr * np.cos(theta)).astype(int), 0, w - 1)
            ys = np.clip((cy + rr * np.sin(theta)).astype(int), 0, h - 1)
            cover = max(cover, float((ink[ys, xs] > 0).mean()))
        if cover >= DEFAULT_SEAL_RING_COVER:
            seals.append(Seal(float(cx), float(cy), float(r)))
    return seals


def drop_seal_text(boxes: Sequence[OcrBox], seals: Sequence[Seal]) -> tuple[list[OcrBox], list[OcrBox]]:
    """Split boxes into (page text, seal text): tilted arc text and boxes inside a seal ring.

    The date under a seal reaches outside the ring and is kept.
    """
    kept, dropped = [], []
    for b in boxes:
        (x0, y0), (x1, y1) = b.quad[0], b.quad[1]
        tilt = abs(np.degrees(np.arctan2(y1 - y0, x1 - x0)))
        if tilt > DEFAULT_SEAL_TEXT_TILT or any(s.covers(b) for s in seals):
            dropped.append(b)
        else:
            kept.append(b)
    return kept, dropped


def _stroke_positions(mask: np.ndarray, *, axis: int, min_len: float) -> list[float]:
    """Centres of the runs of columns (axis=0) or rows (axis=1) holding a long stroke."""
    counts = mask.sum(axis=axis)
    hits = np.flatnonzero(counts >= min_len)
    if hits.size == 0:
        return []
    positions = []
    start = prev = int(hits[0])
    for i in hits[1:]:
        i = int(i)
        if i > prev + 2:
            positions.append((start + prev) / 2)
            start = i
        prev = i
    positions.append((start + prev) / 2)
    return positions


# ---------------------------------------------------------------------------
# Boxes -> lines


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


def join_boxes(boxes: Sequence[OcrBox]) -> str:
    """Join one line's boxes: nothing between CJK runs, a space for a word gap, two for a column."""
    parts: list[str] = []
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


def _segments(boxes: Sequence[OcrBox]) -> list[list[OcrBox]]:
    """Split one line's boxes at column gaps."""
    height = statistics.median(b.height for b in boxes)
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


_NUMERIC_CELL = regex.compile(r"^[\d.%．。，,]+$")


def _unruled_tables(rows: list[_Row]) -> None:
    """Mark runs of lines whose column gaps line up as table rows (sets `cells`)."""
    segs = [(_segments(r.boxes) if r.cells is None else None) for r in rows]
    i = 0
    while i < len(rows):
        if segs[i] is None or len(segs[i]) < 2:  # type: ignore[arg-type]
            i += 1
            continue
        j = i
        template: list[tuple[float, float]] = [(s[0].x0, s[-1].x1) for s in segs[i]]  # type: ignore[union-attr]
        run = [i]
        while j + 1 < len(rows) and segs[j + 1] is not None and len(segs[j + 1]) >= 2:  # type: ignore[arg-type]
            cand = [(s[0].x0, s[-1].x1) for s in segs[j + 1]]  # type: ignore[union-attr]
            if not _aligned(template, cand):
                break
            if len(cand) > len(template):
                template = cand
            j += 1
            run.append(j)
        numeric = sum(
            any(_NUMERIC_CELL.match("".join(b.text for b in s)) for s in segs[k])  # type: ignore[union-attr]
            for k in run
        )
        if len(run) >= DEFAULT_MIN_TABLE_ROWS and numeric * 2 >= len(run):
            for k in run:
                rows[k].cells = _assign_columns(template, segs[k])  # type: ignore[arg-type]
        i = j + 1


def _aligned(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    """The shorter line's segments map, in order, onto distinct columns of the longer one.

    Matched by nearest centre, not overlap: a header cell is centred (单位) while
    the cells below are left-aligned (南浔区), so their x-ranges need not overlap.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    centres = [(c0 + c1) / 2 for c0, c1 in long_]
    picks = [min(range(len(long_)), key=lambda k: abs(centres[k] - (x0 + x1) / 2)) for x0, x1 in short]
    return all(p < q for p, q in itertools.pairwise(picks))


def _assign_columns(template: list[tuple[float, float]], segs: list[list[OcrBox]]) -> tuple[str, ...]:
    cells = [""] * len(template)
    for s in segs:
        x0, x1 = s[0].x0, s[-1].x1
        k = min(
            range(len(template)), key=lambda k: abs((template[k][0] + template[k][1]) / 2 - (x0 + x1) / 2)
        )
        cells[k] = (cells[k] + join_boxes(s)).strip()
    return tuple(cells)


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
        `cells` for table rows and `wrapped` where the line fills the text width.
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
    _unruled_tables(rows)

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
        raw = join_boxes(row.boxes)
        text = repair_ocr_line(raw)
        lines.append(
            Line(
                text=text,
                line_no=first_line_no + n,
                page=page,
                bbox=bbox,
                confidence=confidence,
                wrapped=_wrapped(row, text, right_margin),
                raw=raw if raw != text else None,
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


# ---------------------------------------------------------------------------
# Repairs proven by context

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# 发文字号: agency abbreviation, year in brackets, serial, 号. The opening 〔 is
# read as [ 【 ( （ or the digit 1 (its hook looks like a 1 at 150 dpi); the
# closing 〕 as ] 】 ) ）. A `1` is accepted as an opening bracket only when a
# four-digit year and a real closing bracket follow, so 明电12022]1号 is fixed
# but 明电1202211号 (ambiguous) is left alone.
_DOC_NUMBER = regex.compile(r"(?<=\p{Han})\s*[\[【(（〔1]\s*((?:19|20)\d{2})\s*[\]】)）〕]\s*(\d{1,4})\s*号")
# A year in Chinese numerals: 二〇二三年. 〇 is read as O, o, 0 or Ｏ.
_CN_YEAR = regex.compile(r"[一二][〇○零OoＯｏ0０][〇○零OoＯｏ0０一二三四五六七八九]{2}年")
# An amount: 扣0。5分, 得分89，4分. A point read as 。 ， , or · between the digits,
# with 分 right after the decimals, is a decimal point (a list would need a
# second amount and its own 分).
_AMOUNT_POINT = regex.compile(r"((?:扣除?|减|加|得分|共扣|共计扣|计)\s*\d{1,3})\s*[。，,·]\s*(\d{1,2}\s*分)")
# Running page number 「— 3 —」 read as -3- or 一3一.
_PAGE_NUMBER = regex.compile(r"^\s*[-—–一－]{1,2}\s*(\d{1,3})\s*[-—–一－]{1,2}\s*$")


def repair_ocr_line(text: str) -> str:
    """Repair OCR confusions that the surrounding pattern proves; never change a digit.

    - full-width digits → ASCII digits (same value);
    - 〔 〕 read as [ ] 【 】 ( ) or 1 inside a 发文字号 such as 信安委办明电〔2022〕1号;
    - 〇 read as O/o/0 inside a Chinese-numeral year such as 二〇二三年;
    - a decimal point read as 。 or ， inside an amount such as 扣0.5分;
    - a running page number -3- → — 3 —.
    """
    text = text.translate(_FULLWIDTH_DIGITS)
    text = _DOC_NUMBER.sub(lambda m: f"〔{m[1]}〕{m[2]}号", text)
    text = _CN_YEAR.sub(lambda m: regex.sub(r"[OoＯｏ0０]", "〇", m[0]), text)
    text = _AMOUNT_POINT.sub(lambda m: f"{m[1]}.{m[2]}", text)
    text = _PAGE_NUMBER.sub(lambda m: f"— {m[1]} —", text)
    return text


_CELL_DECIMAL = regex.compile(r"^(\d{1,4})\s*[。，,·．]\s*(\d{1,3})$")


def repair_ocr_cell(text: str) -> str:
    """Repair a table cell: a number cell `85。7` can only be 85.7 (one mark between digits)."""
    text = text.translate(_FULLWIDTH_DIGITS).strip()
    return _CELL_DECIMAL.sub(r"\1.\2", text)


def mean_confidence(lines: Iterable[Line]) -> float | None:
    """Mean of the lines' OCR confidences (None when no line was OCR'd)."""
    values = [ln.confidence for ln in lines if ln.confidence is not None]
    return round(sum(values) / len(values), 4) if values else None


_DIGIT = regex.compile(r"\d")


def low_confidence_warnings(lines: Iterable[Line], threshold: float) -> list[str]:
    """Warnings for OCR'd lines holding a number read with confidence below `threshold`.

    A number OCR got wrong changes a score; these lines are the ones to check by eye.
    """
    out = []
    for ln in lines:
        if ln.confidence is None or ln.confidence >= threshold or not _DIGIT.search(ln.text):
            continue
        # The running page number `— 5 —` is read at 0.65–0.80 (the dashes), and
        # carries no figure the tables use.
        if _PAGE_NUMBER.match(ln.text):
            continue
        out.append(
            f"page {ln.page} line {ln.line_no}: OCR confidence {ln.confidence:.2f} "
            f"on a line with numbers: {ln.text[:60]!r}"
        )
    return out
