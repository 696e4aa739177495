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
    assert [ln.cells for ln in res.lines] == TABLE


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
    from pipeline.ocr import DEFAULT_DET_LIMIT_SIDE, detector_limit

    assert detector_limit(1754, 1241) == ("max", DEFAULT_DET_LIMIT_SIDE)
    assert detector_limit(305, 1030) == ("min", 736)


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
    assert (params["Det.limit_type"], params["Det.limit_side_len"]) == ("max", 1280)
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
    assert [ln.cells for ln in res.lines] == TABLE
    assert ocr._ENGINE_KEY is not None and ocr._ENGINE_KEY[1] == backend


def test_unsure_numbers_are_read_again_at_full_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr as ocr
    from parsers.readers.ocr import OcrBox

    def box(text: str, score: float) -> OcrBox:
        return OcrBox(quad=((100, 100), (300, 100), (300, 130), (100, 130)), text=text, score=score)

    calls: list[bool] = []

    def read(_engine: object, _grey: object, _clock: object, *, full: bool = False) -> list[OcrBox]:
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

    def read(_engine: object, _grey: object, _clock: object, *, full: bool = False) -> list[OcrBox]:
        calls.append(full)
        # The running page number is read unsurely on every page; it never costs a second pass.
        return [OcrBox(quad=((0, 0), (90, 0), (90, 30), (0, 30)), text="— 3 —", score=0.66)]

    monkeypatch.setattr(ocr, "_read_boxes", read)
    monkeypatch.setattr(ocr, "load_engine", lambda *_a, **_k: None)
    page = np.full((1754, 1241), 236, np.uint8)
    page[100:130, 100:300] = 30
    assert ocr.ocr_page_image(page, page=1).passes == 1 and calls == [False]
