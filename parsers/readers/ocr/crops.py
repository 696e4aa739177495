"""Text-line crops before recognition: a wide line narrowed, and which narrowed readings to redo.

The recogniser (PP-OCRv6 rec) scales every crop to 48 px high and spends CPU in proportion to the
width that results (~0.1 ms per px on one AVX2 core, measured): on the corpus scans ~15,300 px a
page, 92 % of it in body lines 300 px wide or more. At 48 px high a Chinese character of a 150 dpi
scan is ~36 px wide, and the model emits one time step per 8 px: ~4.5 steps a character where CTC
needs about two. Squeezing such lines horizontally keeps the characters readable at a fraction of
the work. Narrow crops (score cells, running page numbers, a lone date) are left at full width:
they cost little, and a page number squeezed to half read `-7-` as `-1-` with confidence 0.99.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

REC_HEIGHT = 48
"""Height (px) the recogniser scales every crop to (the model's fixed input height)."""

DEFAULT_NARROW_FACTOR = 0.5
"""Width kept of a wide line before recognition: ~2.2 of the model's time steps a character.
Measured on the 1,313 crops of the 60 corpus scan pages (one thread): recognition CPU 0.62× at
0.6, 0.52× at 0.5, and every digit read as at full width at both. The text differed only in
half- or full-width brackets `(一）` → `（一）` (the full-width reading was already mixed), spaces
next to digits, one line's closing 。 lost (at 0.5), and the district 浉河区, read 洲河区 and
狮河区 at full width, came out right. The five scans' records keep every row, number and finding
at 0.5 and at 0.6. On body pages of four scans made low-contrast, 96 dpi fax, skewed 3° or
photocopied twice (tests/fixtures/ocr/make_hard_fixtures.py), 0.5 and 0.6 read every digit as
full width does; the 3–5 lines that differed were read better narrowed (看 for 着, （三） for (三)）)."""

DEFAULT_NARROW_MIN_WIDTH = 300
"""Width (px, at REC_HEIGHT) from which a crop is narrowed: about eight characters. Below it are
the score cells and running page numbers, 8 % of the corpus pages' recognition width."""

DEFAULT_NARROW_RECHECK = 0.95
"""A narrowed line holding a digit read below this confidence is read again at full width and
that reading kept. On the corpus scans 25 of 922 narrowed lines (2 % of the width) fall below it;
the lines of a faint, faxed or photocopied page are the ones it sends back."""


def rec_width(crop: np.ndarray) -> float:
    """Width (px) of `crop` once the recogniser has scaled it to REC_HEIGHT."""
    height, width = crop.shape[:2]
    return REC_HEIGHT * width / max(1, height)


def narrowed(crop: np.ndarray, factor: float) -> np.ndarray:
    """`crop` squeezed horizontally to `factor` of its width (area-averaged, height kept)."""
    import cv2

    height, width = crop.shape[:2]
    return cv2.resize(crop, (max(1, round(width * factor)), height), interpolation=cv2.INTER_AREA)


def crops_to_narrow(crops: Sequence[np.ndarray], min_width: float = DEFAULT_NARROW_MIN_WIDTH) -> list[bool]:
    """For each crop, whether it is wide enough to be narrowed before recognition."""
    return [rec_width(c) >= min_width for c in crops]


def readings_to_redo(
    texts: Sequence[str],
    scores: Sequence[float],
    was_narrowed: Sequence[bool],
    threshold: float = DEFAULT_NARROW_RECHECK,
) -> list[int]:
    """Indexes of narrowed crops whose reading holds a digit read below `threshold`: a number the
    narrowing may have cost is read again at full width."""
    return [
        i
        for i, (text, score, narrow) in enumerate(zip(texts, scores, was_narrowed, strict=True))
        if narrow and score < threshold and any(c.isdigit() for c in text)
    ]
