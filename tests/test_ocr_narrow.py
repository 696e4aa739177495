"""Wide text lines are narrowed before recognition, narrow crops are not, and a narrowed line with
a digit read unsurely is read again at full width (issue 14: recognition is most of OCR's CPU)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from parsers.readers.ocr.crops import (
    DEFAULT_NARROW_MIN_WIDTH,
    crops_to_narrow,
    narrowed,
    readings_to_redo,
    rec_width,
)
from pipeline.ocr_setup import NarrowingRecognizer, OcrUnavailable, narrow_factor
from tests.conftest import DEV, needs_shared


def crop(height: int, width: int) -> np.ndarray:
    return np.full((height, width, 3), 255, dtype=np.uint8)


def test_width_is_measured_at_the_recognisers_height() -> None:
    assert rec_width(crop(40, 1000)) == 1200
    assert rec_width(crop(24, 24)) == 48


def test_narrowing_keeps_the_height_and_squeezes_the_width() -> None:
    assert narrowed(crop(40, 1000), 0.6).shape == (40, 600, 3)


def test_only_lines_of_several_characters_are_narrowed() -> None:
    # A score cell (2 digits) and a running page number stay at full width; a body line does not.
    cell, page_number, body = crop(36, 60), crop(36, 150), crop(36, 900)
    assert rec_width(page_number) < DEFAULT_NARROW_MIN_WIDTH
    assert crops_to_narrow([cell, page_number, body]) == [False, False, True]


def test_unsure_digits_of_narrowed_lines_are_redone() -> None:
    texts = ["扣除0.5分", "扣除0.5分", "思想认识不到位", "85.7"]
    scores = [0.99, 0.90, 0.50, 0.50]
    narrowed_ = [True, True, True, False]
    # Only the narrowed line with a digit under the threshold: not a digit-free line, not a
    # crop read at full width already.
    assert readings_to_redo(texts, scores, narrowed_) == [1]


@dataclass
class Out:
    txts: tuple[str, ...]
    scores: list[float]
    imgs: list[np.ndarray] = field(default_factory=list)


@dataclass
class In:
    img: list[np.ndarray]
    return_word_box: bool = False


class FakeRecognizer:
    """Reads a crop as its width; a squeezed body line's digit comes out unsure."""

    def __init__(self) -> None:
        self.widths: list[list[int]] = []

    def __call__(self, args: In) -> Out:
        widths = [c.shape[1] for c in args.img]
        self.widths.append(widths)
        return Out(tuple(f"扣{w}分" for w in widths), [0.5 if w == 540 else 0.99 for w in widths], args.img)


def test_the_recogniser_reads_narrowed_lines_and_redoes_unsure_ones() -> None:
    fake = FakeRecognizer()
    crops = [crop(36, 60), crop(36, 900), crop(36, 1000)]
    out = NarrowingRecognizer(fake, 0.6)(In(crops))
    # First call: the cell as it is, the two lines at 0.6; the line read unsurely (900 → 540) again
    # at full width, and that reading kept.
    assert fake.widths == [[60, 540, 600], [900]]
    assert out.txts == ("扣60分", "扣900分", "扣600分")
    assert out.scores == [0.99, 0.99, 0.99]
    assert out.imgs == crops


def test_factor_one_reads_every_crop_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONGBAO_OCR_NARROW", "1")
    fake = FakeRecognizer()
    NarrowingRecognizer(fake, narrow_factor())(In([crop(36, 900)]))
    assert fake.widths == [[900]]


def test_a_factor_out_of_range_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONGBAO_OCR_NARROW", "0.1")
    with pytest.raises(OcrUnavailable, match="TONGBAO_OCR_NARROW"):
        narrow_factor()


@pytest.mark.slow
@needs_shared
def test_a_body_page_keeps_every_digit_when_its_lines_are_narrowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of deduction lines (`(19)…扣0.2分；`) read with and without narrowing: the same boxes,
    and each box holds the same digits in the same order."""
    import regex

    import pipeline.ocr as ocr

    image = ocr.render_pdf_page((DEV / "dev-003-scan.pdf").read_bytes(), 6)
    readings = []
    for factor in ("1", "0.5"):
        monkeypatch.setenv("TONGBAO_OCR_NARROW", factor)
        monkeypatch.setattr(ocr, "_ENGINE", None)
        readings.append(ocr.ocr_page_image(image, page=6).boxes)
    assert ocr.ocr_engine().text_rec.narrowed > 10  # the page's body lines were narrowed
    full, narrow = readings
    assert [b.quad for b in full] == [b.quad for b in narrow]
    digits = [[regex.sub(r"\D", "", b.text) for b in boxes] for boxes in readings]
    assert digits[0] == digits[1]
    assert sum(1 for d in digits[0] if d) > 10
