"""Image maths before recognition: coloured ink and seals out, skew corrected, table rules found and erased."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parsers.readers.ocr.boxes import OcrBox, TableGrid

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


def grey_percentiles(grey: np.ndarray, qs: Sequence[float]) -> list[float]:
    """np.percentile(grey, q) for each q of a uint8 image, to the last bit (numpy's linear
    method on the two order statistics it would take), read off a histogram instead of
    partitioning the pixels: ~8 ms a call on a 150 dpi page, a tenth of the page preparation's
    CPU (issue 14)."""
    n = grey.size
    cumulative = np.cumsum(np.bincount(grey.ravel(), minlength=256))
    out = []
    for q in qs:
        virtual = (n - 1) * (q / 100)
        below = min(float(np.floor(virtual)), n - 1)
        a = int(np.searchsorted(cumulative, below, side="right"))
        b = int(np.searchsorted(cumulative, min(below + 1, n - 1), side="right"))
        t = virtual - below
        diff = b - a
        out.append(float(a) + diff * t if t < 0.5 else float(b) - diff * (1 - t))
    return out


def paper_level(grey: np.ndarray) -> int:
    """The paper's grey level: the page's 90th percentile (scans are off-white, not 255)."""
    return int(grey_percentiles(grey, [90])[0])


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
    brightest = hsv[:, :, 2]  # OpenCV's V of 8-bit RGB is max(R, G, B), already computed
    paper = np.uint8(paper_level(grey))
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
        # Row sums as exact integers (cv2.reduce): what numpy's float64 sum gave, at a third
        # of its cost; 42 rotations a page.
        rows = cv2.reduce(rotated, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)
        return float(np.var(rows.ravel().astype(np.float64)))

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
    paper = paper_level(grey)
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
    paper = paper_level(grey)
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


DEFAULT_SEAL_WORK_WIDTH = 320
"""Width (px) the page is shrunk to before the circle search: an A4 page at 150 dpi goes to a
quarter, where a 4.2 cm seal is still a ~30 px radius ring. Issue 14: the search at half size
cost 0.7 CPU-s a page (21 % of all OCR time); at a quarter it is ~0.02."""


DEFAULT_BLANK_CONTRAST = 30
"""Grey levels between the paper and the darkest ink below which a page holds no ink at all
(scanner noise on an empty sheet spans ~10). A faded page (ink ~150 on paper ~215) has 65."""


def _shrunk(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The page at most 800 px wide (area-averaged) and the scale it was shrunk by."""
    import cv2

    h, w = grey.shape[:2]
    sc = min(1.0, 800.0 / max(1, w))
    return cv2.resize(grey, (max(1, int(w * sc)), max(1, int(h * sc))), interpolation=cv2.INTER_AREA), sc


def _ink_mask(small: np.ndarray) -> np.ndarray | None:
    """Pixels darker than halfway from the paper to the darkest ink; None when nothing is darker
    than the paper by DEFAULT_BLANK_CONTRAST."""
    paper, darkest = grey_percentiles(small, [90, 0.1])
    if paper - darkest < DEFAULT_BLANK_CONTRAST:
        return None
    return small < (paper + darkest) / 2


def ink_share(grey: np.ndarray) -> float:
    """Share of the page's pixels that are ink: darker than halfway from the paper to the darkest
    ink, so a faded or low-contrast page still counts its strokes; 0 when nothing is darker than
    the paper by DEFAULT_BLANK_CONTRAST."""
    ink = _ink_mask(_shrunk(grey)[0])
    return 0.0 if ink is None else float(ink.mean())


DEFAULT_INK_PAD = 48
"""Paper (px at 150 dpi, about two text lines' height) kept around the ink by ink_bounds."""


def ink_bounds(grey: np.ndarray, pad: int = DEFAULT_INK_PAD) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the page's ink (ink_share's), widened by `pad` px on each
    side within the page: the part of an A4 scan the detector needs to see. None on a blank page."""
    small, sc = _shrunk(grey)
    ink = _ink_mask(small)
    if ink is None:
        return None
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    h, w = grey.shape[:2]
    top, bottom = max(0, int(rows[0] / sc) - pad), min(h, int((rows[-1] + 1) / sc) + pad)
    left, right = max(0, int(cols[0] / sc) - pad), min(w, int((cols[-1] + 1) / sc) + pad)
    return top, bottom, left, right


def _ring_cover(
    ink: np.ndarray, cx: float, cy: float, r: float, *, shift: int = 0
) -> tuple[float, float, float, float]:
    """(share of the ring that is ink, cx, cy, r) of the best ring of radius 0.85–1.15 r whose
    centre is within `shift` px of (cx, cy): the circle search works on a shrunk page, so its
    centres are a few pixels off the ring it found."""
    h, w = ink.shape[:2]
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    radii = np.arange(r * 0.85, r * 1.15, 2)[:, None]
    offsets = np.arange(-shift, shift + 1, 2)
    # Every centre offset at once (dx major, then dy, then radius: the order the best is taken
    # in), ~115 calls a page on the corpus scans.
    dx, dy = (a.ravel() for a in np.meshgrid(offsets, offsets, indexing="ij"))
    xs = np.clip(((cx + dx)[:, None, None] + radii * np.cos(theta)).astype(int), 0, w - 1)
    ys = np.clip(((cy + dy)[:, None, None] + radii * np.sin(theta)).astype(int), 0, h - 1)
    cover = (ink[ys, xs] > 0).mean(axis=2)
    at = int(cover.argmax())
    i, k = divmod(at, cover.shape[1])
    if cover[i, k] <= 0.0:
        return (0.0, cx, cy, r)
    return (float(cover[i, k]), float(cx + dx[i]), float(cy + dy[i]), float(radii[k, 0]))


def find_seals(grey: np.ndarray) -> list[Seal]:
    """Find round seals that survived colour suppression (grey scans keep the seal grey).

    Hough circles with a seal's radius (4.2 cm seal on a 21 cm page: ~0.1 of the
    page width), kept only when the ring is nearly continuous ink: a text block
    makes Hough see circles too, but never a closed ring. The search runs on the page
    shrunk to DEFAULT_SEAL_WORK_WIDTH; a candidate must first be a ring on a coarsely
    dilated ink mask, and only those few are measured at full size around their centre.
    """
    import cv2

    h, w = grey.shape[:2]
    sc = min(0.5, DEFAULT_SEAL_WORK_WIDTH / max(1, w))
    small = cv2.medianBlur(cv2.resize(grey, None, fx=sc, fy=sc, interpolation=cv2.INTER_AREA), 3)
    # A seal is ~0.1 of an A4 page's width (115–120 px radius at 150 dpi on the corpus
    # scans); an image cropped around the seal (a signature block) has it up to half its height.
    min_r = max(20, w * 0.04)
    max_r = min(min(w, h) * 0.5, max(w * 0.15, 130))
    found = cv2.HoughCircles(
        small,
        cv2.HOUGH_GRADIENT,
        dp=1.5,
        minDist=min_r * sc,
        param1=120,
        param2=max(20, round(120 * sc)),
        minRadius=int(min_r * sc),
        maxRadius=int(max_r * sc),
    )
    if found is None:
        return []
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    loose = cv2.dilate(ink, np.ones((9, 9), np.uint8))
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    seals: list[Seal] = []
    for cx, cy, r in found[0] / sc:
        if _ring_cover(loose, cx, cy, r)[0] < DEFAULT_SEAL_RING_COVER:
            continue
        cover, x, y, rr = _ring_cover(ink, cx, cy, r, shift=8)
        near = any((x - s.cx) ** 2 + (y - s.cy) ** 2 < (s.r * 0.5) ** 2 for s in seals)
        if cover >= DEFAULT_SEAL_RING_COVER and not near:
            seals.append(Seal(float(x), float(y), float(rr)))
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
