"""Harder scans (issue 14): the 附件1 score table of a real scan, degraded as archives degrade it,
keeps its records; a blank page costs no recognition; the engine settings that make OCR cheap.

The fixtures are made by tests/fixtures/ocr/make_hard_fixtures.py from one crop of a corpus
scan. The engine runs are marked slow (each OCRs one small image).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "ocr"
TABLE = [
    ("排名", "县区", "得分"),
    ("1", "新县", "85.7"),
    ("2", "淮滨县", "83.5"),
    ("3", "潢川县", "82.6"),
]


def table_rows(lines: list) -> list[tuple[str, ...] | None]:
    """The rows OCR read as table cells. Each crop is cut through the row under the table, leaving
    the tops of its figures: onnxruntime's AVX-512 kernels read them as a line `01` (no cells, so
    no score row), where its AVX2 kernels read nothing."""
    return [ln.cells for ln in lines if ln.cells]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "hard_low_contrast.png",
        "hard_fax_96dpi.png",
        "hard_skewed_3deg.png",
        "hard_seal_over_score.png",
        "hard_photocopied_twice.jpg",
    ],
)
def test_degraded_score_table_keeps_its_records(name: str) -> None:
    from pipeline.ocr import read_image

    res = read_image((FIXTURES / name).read_bytes(), name)
    assert table_rows(res.lines) == TABLE


@pytest.mark.slow
def test_skew_of_three_degrees_is_levelled() -> None:
    from pipeline.ocr import read_image

    res = read_image((FIXTURES / "hard_skewed_3deg.png").read_bytes(), "hard_skewed_3deg.png")
    # The crop itself leans 0.75° (the scanner's); the fixture adds 3°.
    assert any("deskewed by -3.7" in w for w in res.warnings), res.warnings


def test_blank_page_is_not_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr as ocr

    def no_engine(*_a: object, **_k: object) -> None:
        raise AssertionError("a blank page reached the engine")

    monkeypatch.setattr(ocr, "load_engine", no_engine)
    rng = np.random.default_rng(0)
    paper = np.clip(rng.normal(236, 4, (1754, 1241)), 0, 255).astype(np.uint8)  # scanner noise only
    page = ocr.ocr_page_image(paper, page=1)
    assert page.boxes == [] and page.grids == []


def test_faded_page_is_not_blank() -> None:
    from parsers.readers.ocr import ink_share

    faded = np.full((200, 400), 215, np.uint8)
    faded[90:110, 50:350:6] = 150  # strokes 65 grey levels under the paper
    assert ink_share(faded) > 0.005


def test_detector_is_capped_on_pages_and_enlarges_small_crops() -> None:
    from pipeline.ocr import DEFAULT_DET_LIMIT_SIDE, SEALED_DET_LIMIT_SIDE, detector_limit

    assert detector_limit(1754, 1241) == ("max", DEFAULT_DET_LIMIT_SIDE)
    assert detector_limit(1754, 1241, sealed=True) == ("max", SEALED_DET_LIMIT_SIDE) == ("max", 1280)
    assert detector_limit(305, 1030) == ("min", 736)
    # A strip longer than the cap is still enlarged: shrunk, the rotated-table fixture (1050 × 345)
    # gained a line of 一 read off its bottom rule.
    assert detector_limit(345, 1050) == ("min", 736)


def test_ink_bounds_are_the_inked_part_of_the_page_with_paper_around() -> None:
    from parsers.readers.ocr import ink_bounds

    page = np.full((1754, 1241), 236, np.uint8)
    page[300:330, 200:900] = 30
    page[1500:1530, 400:1000] = 30
    top, bottom, left, right = ink_bounds(page, pad=48)
    assert abs(top - 252) <= 3 and abs(bottom - 1578) <= 3 and abs(left - 152) <= 3 and abs(right - 1048) <= 3
    assert ink_bounds(np.full((1754, 1241), 236, np.uint8)) is None  # blank: nothing to bound
    page[0:30, 0:600] = 30  # ink at the edge: the bounds stop at the page
    assert ink_bounds(page, pad=48)[0] == 0


def test_grey_percentiles_are_numpys_to_the_last_bit() -> None:
    from parsers.readers.ocr.image import grey_percentiles

    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 10, 999, 4096):
        for grey in (rng.integers(0, 256, n, dtype=np.uint8), np.full(n, 236, np.uint8)):
            for qs in ([90], [90, 0.1], [0, 50, 100], [33.3]):
                assert grey_percentiles(grey, qs) == [float(v) for v in np.percentile(grey, qs)]


class _FakeEngine:
    """An engine that finds one box at (10, 20)–(110, 50) of whatever image it is given."""

    def __init__(self) -> None:
        from types import SimpleNamespace

        self.text_det = SimpleNamespace(limit_type="max", limit_side_len=0)
        self.text_rec = SimpleNamespace()
        self.seen: list[tuple[tuple[int, ...], str, int]] = []

    def __call__(self, image: np.ndarray) -> object:
        from types import SimpleNamespace

        det = self.text_det._model
        self.seen.append((image.shape[:2], det.limit_type, det.limit_side_len))
        box = [[[10, 20], [110, 20], [110, 50], [10, 50]]]
        return SimpleNamespace(boxes=np.array(box, dtype=np.float32), txts=("扣1分",), scores=(0.99,))


def test_a_page_without_a_seal_is_detected_without_its_margins_in_page_coordinates() -> None:
    import pipeline.ocr as ocr
    from parsers.readers.ocr import ink_bounds

    page = np.full((1754, 1241), 236, np.uint8)
    page[300:330, 200:900] = 30
    page[1500:1530, 400:1000] = 30
    top, bottom, left, right = ink_bounds(page)
    engine = _FakeEngine()
    (box,) = ocr._read_boxes(engine, page, ocr._StageClock())
    # The detector saw the inked part at the scale the cap gives the whole page ...
    assert engine.seen == [((bottom - top, right - left), "max", round((bottom - top) * 800 / 1754))]
    # ... and its box is put back where it is on the page.
    assert box.quad[0] == (10.0 + left, 20.0 + top)
    (sealed_box,) = ocr._read_boxes(engine, page, ocr._StageClock(), sealed=True)
    assert engine.seen[-1] == ((1754, 1241), "max", 1280) and sealed_box.quad[0] == (10.0, 20.0)


def test_ocr_processes_stay_within_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr as ocr

    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # ocr_cap (pipeline/ocr_gate.py) asks it
    assert ocr.ocr_processes_for(1) == 2
    assert ocr.ocr_processes_for(2) == 1  # two file workers fill the cores: OCR in each of them
    assert ocr.ocr_processes_for(4) == 1
    assert ocr.ocr_processes_for(1, ocr_workers=1) == 1
    monkeypatch.setattr(ocr, "_BUDGET_PROCESSES", None)
    assert ocr.ocr_process_count(pages=25) == 2
    assert ocr.ocr_process_count(pages=1) == 1
    monkeypatch.setattr(ocr, "_BUDGET_PROCESSES", 1)  # what a file worker is given
    assert ocr.ocr_process_count(pages=25) == 1


def test_engine_settings_reach_rapidocr() -> None:
    from pipeline.ocr import engine_params

    params = engine_params(1, "onnxruntime")
    assert params["Rec.rec_batch_num"] == 1
    assert params["EngineConfig.onnxruntime.intra_op_num_threads"] == 1
    assert (params["Det.limit_type"], params["Det.limit_side_len"]) == ("max", 800)
    assert params["Rec.rec_img_shape"] == [3, 48, 48]  # a score cell is not padded to 320 px


def test_unknown_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import OcrUnavailable, ocr_backend

    monkeypatch.setenv("TONGBAO_OCR_BACKEND", "tesseract")
    with pytest.raises(OcrUnavailable, match="onnxruntime"):
        ocr_backend()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["onnxruntime", "openvino"])
def test_each_backend_reads_the_same_records(backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    import pipeline.ocr as ocr

    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed (the fast-ocr extra)")
    monkeypatch.setenv("TONGBAO_OCR_BACKEND", backend)
    monkeypatch.setattr(ocr, "_ENGINE", None)
    res = ocr.read_image((FIXTURES / "hard_photocopied_twice.jpg").read_bytes(), "x.jpg")
    assert table_rows(res.lines) == TABLE
    assert ocr._ENGINE_KEY is not None and ocr._ENGINE_KEY[1] == backend


def test_unsure_numbers_are_read_again_at_full_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr as ocr
    from parsers.readers.ocr import OcrBox

    def box(text: str, score: float) -> OcrBox:
        return OcrBox(quad=((100, 100), (300, 100), (300, 130), (100, 130)), text=text, score=score)

    calls: list[bool] = []

    def read(
        _engine: object, _grey: object, _clock: object, *, full: bool = False, sealed: bool = False
    ) -> list[OcrBox]:
        calls.append(full)
        return [box("扣0.5分", 0.97 if full else 0.62), box("— 3 —", 0.70)]

    monkeypatch.setattr(ocr, "_read_boxes", read)
    monkeypatch.setattr(ocr, "load_engine", lambda *_a, **_k: None)
    page = np.full((1754, 1241), 236, np.uint8)
    page[100:130, 100:300] = 30
    result = ocr.ocr_page_image(page, page=4)
    assert calls == [False, True]
    assert result.passes == 2 and [b.text for b in result.boxes] == ["扣0.5分", "— 3 —"]
    assert any("page 4: read by the second pass" in n for n in ocr._page_notes([result]))


def test_sure_page_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr as ocr
    from parsers.readers.ocr import OcrBox

    calls: list[bool] = []

    def read(
        _engine: object, _grey: object, _clock: object, *, full: bool = False, sealed: bool = False
    ) -> list[OcrBox]:
        calls.append(full)
        # The running page number is read unsurely on every page; it never costs a second pass.
        return [OcrBox(quad=((0, 0), (90, 0), (90, 30), (0, 30)), text="— 3 —", score=0.66)]

    monkeypatch.setattr(ocr, "_read_boxes", read)
    monkeypatch.setattr(ocr, "load_engine", lambda *_a, **_k: None)
    page = np.full((1754, 1241), 236, np.uint8)
    page[100:130, 100:300] = 30
    assert ocr.ocr_page_image(page, page=1).passes == 1 and calls == [False]
