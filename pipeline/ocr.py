"""OCR of scanned pages: engine loading, page rendering, worker processes.

The pure half (image maths, boxes -> lines, repairs) is `parsers.readers.ocr`;
this module owns everything with side effects: loading the ONNX models from the
rapidocr wheel, rendering PDF pages with pypdfium2, decoding image files and
spreading pages over worker processes (one engine per process, loaded once).

Entry points:
    ocr_pdf_pages(data, pages)      OCR chosen pages of a PDF (e.g. garbage text layer)
    ocr_scanned_pdf(data, name)     a PDF with no text layer at all -> ReadResult
    read_image(data, name)          an image (parsers.formats.IMAGE_SUFFIXES; multi-page TIFF) -> ReadResult
"""

from __future__ import annotations

import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parsers.formats import IMAGE_SUFFIXES
from parsers.model import (
    DamagedInput,
    EmptyInput,
    EncryptedInput,
    Line,
    ReadResult,
    TongbaoError,
    UnsupportedInput,
)
from parsers.readers.ocr import (
    OcrBox,
    TableGrid,
    boxes_from_engine,
    boxes_to_lines,
    deskew,
    drop_seal_text,
    erase_table_rules,
    find_seals,
    find_table_grids,
    low_confidence_warnings,
    mean_confidence,
    suppress_seal,
)

DEFAULT_DPI = 150
"""Render resolution. Scans of the family embed 150 dpi page images (1241x1754 px
A4). Measured on pages 6, 7, 17 of the real scan (bench_ocr.py --dpi-sweep, one
process): 150 dpi 4.3 s/page, 200 dpi 6.5 s, 300 dpi 11.7 s, all 11/11 amounts
right and character precision 1.000 / 0.999 / 1.000: higher resolutions only
upsample the embedded pixels."""

DEFAULT_LOW_CONFIDENCE = 0.80
"""Lines holding a number read below this confidence are listed in the warnings.
On the four corpus scans the lowest line outside page numbers scored 0.79 (the
two-character fragment `月)`), every other line >= 0.89, and no digit was misread,
so this is a boundary chosen below the correct lines, not one fitted to errors."""

MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
"""The models bundled in the rapidocr wheel (rapidocr/models/). Only these are used:
the engine must never download (default_models.yaml points at modelscope URLs)."""


class OcrUnavailable(TongbaoError):
    """The OCR engine or its bundled model files cannot be loaded."""

    stage = "ocr"


@dataclass(frozen=True, slots=True)
class PageOcr:
    """What one page's OCR produced, before line numbering (picklable across processes)."""

    page: int
    boxes: list[OcrBox]
    grids: list[TableGrid]
    skew: float
    scale: float
    seal_text: list[str]
    """Text read on a seal and left out of the lines (kept for the warnings)."""


_ENGINE: Any = None
_THREADS: int = -1


def _model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def _forbid_download(*_args: Any, **_kwargs: Any) -> None:
    raise OcrUnavailable(
        "rapidocr tried to download a model; tongbao uses only the models bundled in the "
        f"rapidocr wheel ({_model_dir()}). Reinstall rapidocr so that folder holds "
        f"{', '.join(MODEL_FILES.values())}."
    )


def load_engine(threads: int = -1) -> Any:
    """Load RapidOCR once per process with the wheel's bundled models; never download.

    `threads` is onnxruntime's intra-op thread count (-1 = all cores); worker
    processes use 1 each so two workers on two cores do not oversubscribe.
    """
    global _ENGINE, _THREADS
    if _ENGINE is not None and _THREADS == threads:
        return _ENGINE
    try:
        import rapidocr
        from rapidocr.utils import download_file
    except ImportError as e:
        raise OcrUnavailable(f"OCR needs the rapidocr package: pip install rapidocr onnxruntime ({e})") from e
    models = _model_dir()
    missing = [f for f in MODEL_FILES.values() if not (models / f).is_file()]
    if missing:
        raise OcrUnavailable(
            f"OCR model files missing from {models}: {', '.join(missing)}. "
            "Reinstall rapidocr (the wheel bundles them); tongbao does not download models."
        )
    # Belt and braces: if a configuration change ever routes rapidocr to its
    # download path (e.g. a rec model without an embedded character list), fail
    # loudly instead of fetching from the network.
    download_file.DownloadFile.run = staticmethod(_forbid_download)  # type: ignore[method-assign]
    params: dict[str, Any] = {
        "Global.log_level": "error",
        # Pages are deskewed before recognition and never upside down, so the
        # 180° text-line classifier only costs time.
        "Global.use_cls": False,
        "Global.model_root_dir": str(models),
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
    }
    for task, fname in MODEL_FILES.items():
        params[f"{task}.model_path"] = str(models / fname)
    try:
        engine = rapidocr.RapidOCR(params=params)
        # Force the lazy model loads now so a broken model fails here, not mid-document.
        engine._load_det_model()
        engine._load_rec_model()
    except OcrUnavailable:
        raise
    except Exception as e:
        raise OcrUnavailable(f"cannot load the OCR models in {models}: {e}") from e
    _ENGINE, _THREADS = engine, threads
    return engine


def ocr_page_image(image: np.ndarray, *, page: int, scale: float = 1.0, threads: int = -1) -> PageOcr:
    """Preprocess one page image (seal, skew) and run the engine on it."""
    grey = suppress_seal(image) if image.ndim == 3 else image
    grey, angle = deskew(grey)
    grids = find_table_grids(grey)
    grey = erase_table_rules(grey, grids)
    engine = load_engine(threads)
    result = engine(np.ascontiguousarray(np.stack([grey] * 3, axis=2)))
    if result.boxes is None or result.txts is None:
        return PageOcr(page=page, boxes=[], grids=grids, skew=angle, scale=scale, seal_text=[])
    boxes = boxes_from_engine(result.boxes, result.txts, result.scores)
    boxes, seal_text = drop_seal_text(boxes, find_seals(grey))
    return PageOcr(
        page=page, boxes=boxes, grids=grids, skew=angle, scale=scale, seal_text=[b.text for b in seal_text]
    )


def render_pdf_page(data: bytes, page: int, dpi: int = DEFAULT_DPI) -> np.ndarray:
    """Render one 1-based page of a PDF to an RGB array at `dpi`."""
    doc = _open_pdf(data, "<pdf>")
    try:
        bitmap = doc[page - 1].render(scale=dpi / 72)
        return bitmap.to_numpy()[:, :, :3][:, :, ::-1].copy()  # pdfium renders BGR
    finally:
        doc.close()


def _ocr_pdf_page(data: bytes, page: int, dpi: int, threads: int) -> PageOcr:
    image = render_pdf_page(data, page, dpi)
    return ocr_page_image(image, page=page, scale=72 / dpi, threads=threads)


# The OCR budget of this process: an ingest's file workers each set (1 process, cores // workers
# threads), so workers × OCR threads stay within the cores instead of every worker starting a
# pool of its own (issue 13: 9 processes and 3.2 GiB for 1.15× the speed of one worker).
_BUDGET_PROCESSES: int | None = None
_BUDGET_THREADS = -1


def set_ocr_budget(processes: int | None, threads: int) -> None:
    """OCR in at most `processes` processes (None: one per core) of `threads` threads (-1: all)."""
    global _BUDGET_PROCESSES, _BUDGET_THREADS
    _BUDGET_PROCESSES, _BUDGET_THREADS = processes, threads


def _init_worker() -> None:
    # One engine per worker process, loaded before the first page arrives.
    from pipeline.workers import end_with_parent

    end_with_parent()
    load_engine(threads=1)


def _run_pages(data: bytes, pages: list[int], dpi: int, workers: int | None) -> list[PageOcr]:
    workers = workers if workers is not None else _BUDGET_PROCESSES
    n = workers if workers is not None else min(len(pages), os.cpu_count() or 1)
    if n <= 1 or len(pages) <= 1:
        return [_ocr_pdf_page(data, p, dpi, _BUDGET_THREADS) for p in pages]
    # spawn, not fork: onnxruntime's thread pool in a forked child can deadlock.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker) as pool:
        futures = [pool.submit(_ocr_pdf_page, data, p, dpi, 1) for p in pages]
        return [f.result() for f in futures]


def page_ocr_to_lines(results: list[PageOcr], first_line_no: int = 1) -> list[Line]:
    """Number lines across pages in page order."""
    lines: list[Line] = []
    for res in sorted(results, key=lambda r: r.page):
        lines.extend(
            boxes_to_lines(
                res.boxes,
                page=res.page,
                first_line_no=first_line_no + len(lines),
                grids=res.grids,
                scale=res.scale,
            )
        )
    return lines


def ocr_pdf_pages(
    data: bytes,
    pages: list[int],
    *,
    dpi: int = DEFAULT_DPI,
    workers: int | None = None,
    first_line_no: int = 1,
) -> list[Line]:
    """OCR the given 1-based pages of a PDF into Lines (bbox in PDF points, top-left origin).

    Pages run in parallel worker processes, each loading the engine once;
    `workers=1` runs in this process. Line numbers run from `first_line_no`
    across the pages in page order.
    """
    if not pages:
        return []
    count = pdf_page_count(data, "<pdf>")
    bad = [p for p in pages if not 1 <= p <= count]
    if bad:
        raise ValueError(f"pages {bad} out of range: the PDF has {count} pages (pages are 1-based)")
    return page_ocr_to_lines(_run_pages(data, pages, dpi, workers), first_line_no)


def _open_pdf(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    if not data:
        raise EmptyInput(f"{name}: the file is empty (0 bytes)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedInput(f"{name}: the PDF is password-protected; save an unprotected copy") from e
        raise DamagedInput(f"{name}: cannot open the PDF ({e}); the file may be truncated or corrupt") from e


def pdf_page_count(data: bytes, name: str) -> int:
    """Number of pages of a PDF, with tongbao's errors for unreadable files."""
    doc = _open_pdf(data, name)
    try:
        return len(doc)
    finally:
        doc.close()


def ocr_scanned_pdf(
    data: bytes, name: str, *, workers: int | None = None, dpi: int = DEFAULT_DPI
) -> ReadResult:
    """Read a PDF that has no text layer by OCR of every page."""
    count = pdf_page_count(data, name)
    if count == 0:
        raise EmptyInput(f"{name}: the PDF has no pages")
    pages = list(range(1, count + 1))
    results = _run_pages(data, pages, dpi, workers)
    lines = page_ocr_to_lines(results)
    return ReadResult(
        lines=lines,
        source_format="pdf",
        pages=count,
        ocr_pages=pages,
        ocr_confidence=mean_confidence(lines),
        warnings=_page_notes(results) + low_confidence_warnings(lines, DEFAULT_LOW_CONFIDENCE),
    )


def _page_notes(results: list[PageOcr]) -> list[str]:
    notes = [f"page {r.page}: deskewed by {r.skew:+.2f}°" for r in results if r.skew]
    notes += [f"page {r.page}: left out seal text {r.seal_text!r}" for r in results if r.seal_text]
    return notes


def decode_image_frames(data: bytes, name: str) -> list[np.ndarray]:
    """Decode an image file into RGB (or grey) arrays, one per frame (multi-page TIFF).

    Which files are images is parsers.formats' decision (bytes first, then the name); this only
    decodes, so a scan is read whatever its suffix.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    if not data:
        raise EmptyInput(f"{name}: the file is empty (0 bytes)")
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as e:
        kinds = ", ".join(s.lstrip(".") for s in IMAGE_SUFFIXES)
        raise UnsupportedInput(
            f"{name}: the bytes are not an image tongbao decodes ({kinds}); "
            "check the file is what its name says"
        ) from e
    frames = []
    try:
        for frame in ImageSequence.Iterator(img):
            mode = "L" if frame.mode in ("1", "L", "I;16", "I") else "RGB"
            frames.append(np.asarray(frame.convert(mode)))
    except (OSError, SyntaxError, ValueError) as e:
        raise DamagedInput(f"{name}: the image cannot be decoded ({e}); the file may be truncated") from e
    if not frames:
        raise EmptyInput(f"{name}: the image has no frames")
    return frames


def read_image(data: bytes, name: str) -> ReadResult:
    """Read a scanned page image (PNG, JPEG, TIFF incl. multi-page, BMP, WebP, GIF) by OCR.

    Runs in this process. Each frame is one page; bbox is in image pixels.
    """
    frames = decode_image_frames(data, name)
    results = [ocr_page_image(f, page=i + 1, threads=_BUDGET_THREADS) for i, f in enumerate(frames)]
    lines = page_ocr_to_lines(results)
    return ReadResult(
        lines=lines,
        source_format="image",
        pages=len(frames),
        ocr_pages=list(range(1, len(frames) + 1)),
        ocr_confidence=mean_confidence(lines),
        warnings=_page_notes(results) + low_confidence_warnings(lines, DEFAULT_LOW_CONFIDENCE),
    )
