"""onnxruntime (the default) and OpenVINO (`tongbao[fast-ocr]`) read the corpus scans alike (issue 14).

One page of each corpus scan, the one holding its score table (numbers in small cells: where a
backend's rounding would first show), read by each backend: the same lines and cells. The whole
scans give the same records too (checked by hand with score.py; 60 pages × 2 backends is too slow
for the suite).
"""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import DEV, REAL

TABLE_PAGES = [
    (REAL / "xinyang-2022-07-scan.pdf", 7),
    (DEV / "dev-003-scan.pdf", 4),
    (DEV / "dev-012-scan.pdf", 3),
    (DEV / "dev-021-scan.pdf", 3),
    (DEV / "dev-024-scan.pdf", 1),
]


def read_pages(backend: str, monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, tuple[str, ...]]]]:
    import pipeline.ocr as ocr

    monkeypatch.setenv("TONGBAO_OCR_BACKEND", backend)
    # The same model on both: OpenVINO reads with the float32 recogniser whatever the precision
    # (INT8 was measured on onnxruntime only), onnxruntime's default is INT8.
    monkeypatch.setenv("TONGBAO_OCR_PRECISION", "fp32")
    monkeypatch.setattr(ocr, "_ENGINE", None)
    out = []
    for scan, page in TABLE_PAGES:
        lines = ocr.ocr_pdf_pages(scan.read_bytes(), [page], workers=1)
        out.append([(ln.text, tuple(ln.cells or ())) for ln in lines])
    assert ocr._ENGINE_KEY is not None and ocr._ENGINE_KEY[1] == backend
    return out


@pytest.mark.slow
@pytest.mark.skipif(
    not (REAL / "xinyang-2022-07-scan.pdf").exists(), reason="../shared corpus not beside the checkout"
)
@pytest.mark.skipif(
    importlib.util.find_spec("openvino") is None, reason="openvino not installed (the fast-ocr extra)"
)
def test_both_backends_read_the_score_tables_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    onnx = read_pages("onnxruntime", monkeypatch)
    vino = read_pages("openvino", monkeypatch)
    for (scan, page), a, b in zip(TABLE_PAGES, onnx, vino, strict=True):
        assert a == b, f"{scan.name} page {page}"
        assert sum(1 for _t, cells in a if cells) >= 5, f"{scan.name} page {page}: no table read"
