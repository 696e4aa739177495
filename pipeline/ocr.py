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

import atexit
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import regex

from parsers.model import (
    EmptyInput,
    Line,
    ReadResult,
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
    ink_bounds,
    ink_share,
    low_confidence_warnings,
    mean_confidence,
    suppress_seal,
)
from pipeline.lifecycle import end_with_parent
from pipeline.ocr_gate import ocr_cap, ocr_slot
from pipeline.ocr_inputs import decode_image_frames, open_pdf, pdf_page_count
from pipeline.ocr_int8 import ocr_precision
from pipeline.ocr_setup import (
    DEFAULT_DET_LIMIT_SIDE,
    MODEL_FILES,
    SEALED_DET_LIMIT_SIDE,
    NarrowingRecognizer,
    OcrUnavailable,
    cap_opencv_threads,
    engine_params,
    forbid_download,
    model_dir,
    narrow_factor,
    ocr_backend,
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
    times: dict[str, tuple[float, float]] = field(default_factory=dict)
    """CPU and wall seconds of each stage (render, prep, load, det, rec, seal)."""
    passes: int = 1
    """2 when the page was read again with the detector at full resolution and that reading
    was kept (it left fewer numbers read below DEFAULT_LOW_CONFIDENCE)."""


DEFAULT_DET_MIN_SIDE = 736
"""Short side (px) a small image is enlarged to before detection (rapidocr's default)."""

DEFAULT_BLANK_INK = 0.0005
"""Share of ink pixels below which a page is blank (an empty back side, a separator sheet):
no detection or recognition. A page of one short line (— 3 —) holds ~0.002."""

_ENGINE: Any = None
_ENGINE_KEY: tuple[int, str, float, str] | None = None
_BUDGET_PROCESSES: int | None = None
_BUDGET_THREADS = 1
_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0
PAGE_LISTENER: Callable[[int], None] | None = None
"""Told each page's number as this process starts OCR-ing it (`tongbao check` says which page)."""


def load_engine(threads: int | None = None) -> Any:
    """The process's RapidOCR engine, loaded once with the wheel's bundled models; never downloads.

    `threads` is the intra-op thread count (default: this process's budget, 1). One thread per
    engine and pages spread over processes costs the least CPU per page (issue 14: 3.3 →
    2.3–2.7 CPU-s/page); the engine is cached per process for the whole run.
    """
    global _ENGINE, _ENGINE_KEY
    threads = _BUDGET_THREADS if threads is None else threads
    key = (threads, ocr_backend(), narrow_factor(), ocr_precision())
    if _ENGINE is not None and _ENGINE_KEY == key:
        return _ENGINE
    try:
        import rapidocr
        from rapidocr.utils import download_file
    except ImportError as e:
        raise OcrUnavailable(f"OCR needs the rapidocr package: pip install rapidocr onnxruntime ({e})") from e
    models = model_dir()
    missing = [f for f in MODEL_FILES.values() if not (models / f).is_file()]
    if missing:
        raise OcrUnavailable(
            f"OCR model files missing from {models}: {', '.join(missing)}. "
            "Reinstall rapidocr (the wheel bundles them); tongbao does not download models."
        )
    # Belt and braces: if a configuration change ever routes rapidocr to its
    # download path (e.g. a rec model without an embedded character list), fail
    # loudly instead of fetching from the network.
    download_file.DownloadFile.run = staticmethod(forbid_download)  # type: ignore[method-assign]
    try:
        engine = rapidocr.RapidOCR(params=engine_params(threads, key[1], key[3]))
        # Force the lazy model loads now so a broken model fails here, not mid-document.
        engine._load_det_model()
        engine.text_rec = NarrowingRecognizer(engine._load_rec_model(), key[2])  # type: ignore[assignment]
    except OcrUnavailable:
        raise
    except Exception as e:
        raise OcrUnavailable(f"cannot load the OCR models in {models} with {key[1]}: {e}") from e
    cap_opencv_threads(threads)
    _ENGINE, _ENGINE_KEY = engine, key
    return engine


def ocr_engine() -> Any:
    """This process's engine (loaded on first use, then reused for every page of the run)."""
    return load_engine()


def set_ocr_budget(processes: int | None, threads: int) -> None:
    """OCR in at most `processes` processes (None: `ocr_processes_for`) of `threads` threads.

    An ingest's file workers each set (1, 1): workers × OCR processes stay within the cores
    instead of every worker starting a pool per multi-page file (issue 14: 10 processes and
    3.26 GB for 1.15× the speed of one worker).
    """
    global _BUDGET_PROCESSES, _BUDGET_THREADS
    _BUDGET_PROCESSES, _BUDGET_THREADS = processes, (1 if threads < 1 else threads)


def ocr_processes_for(workers: int, ocr_workers: int | None = None) -> int:
    """OCR processes each of `workers` file workers may use so the run's total stays within the
    cores (or `ocr_workers`, the run's cap): 1 (in the worker itself) once the workers fill them."""
    return max(1, ocr_cap(ocr_workers or 0) // max(1, workers))


def ocr_processes(workers: int, ocr_workers: int = 0) -> int | None:
    """Processes that OCR one file's pages in a run of `workers` file workers: with `--workers 1`
    (no subprocess) the pages are read here one by one, or by a pool of `--ocr-workers` processes
    (at most the cores) when given; inside file workers None: the worker's budget decides."""
    if workers != 1:
        return None
    return ocr_cap(ocr_workers) if ocr_workers > 0 else 1


class _StageClock:
    """CPU and wall seconds per stage of one page (the bench's per-stage figures)."""

    def __init__(self) -> None:
        self.times: dict[str, tuple[float, float]] = {}
        self._cpu = time.process_time()
        self._wall = time.perf_counter()

    def lap(self, stage: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        before = self.times.get(stage, (0.0, 0.0))
        self.times[stage] = (before[0] + cpu - self._cpu, before[1] + wall - self._wall)
        self._cpu, self._wall = cpu, wall


def detector_limit(height: int, width: int, *, sealed: bool = False) -> tuple[str, int]:
    """rapidocr's detector resize rule for an image: a page is shrunk to DEFAULT_DET_LIMIT_SIDE
    on its long side (SEALED_DET_LIMIT_SIDE when it bears a seal); an image whose short side is
    under 736 px (a signature block, a table cut from a page) is enlarged to 736 px on it as
    rapidocr does by default: at its own size, or shrunk to the cap, the detector read the
    bottom rule of the rotated-table fixture (1050 × 345 px) as a line of 一."""
    cap = SEALED_DET_LIMIT_SIDE if sealed else DEFAULT_DET_LIMIT_SIDE
    if max(height, width) > cap and min(height, width) >= DEFAULT_DET_MIN_SIDE:
        return "max", cap
    return "min", DEFAULT_DET_MIN_SIDE


class _Timed:
    """A model of the engine whose calls are charged to the current page's stage clock."""

    clock: _StageClock | None = None

    def __init__(self, model: Any, stage: str) -> None:
        self._model, self._stage = model, stage

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _Timed.clock is not None:
            _Timed.clock.lap("engine")  # the engine's own pre-processing, before this model
        out = self._model(*args, **kwargs)
        if _Timed.clock is not None:
            _Timed.clock.lap(self._stage)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def _read_boxes(
    engine: Any, grey: np.ndarray, clock: _StageClock, *, full: bool = False, sealed: bool = False
) -> list[OcrBox]:
    """The engine on a grey page; detection and recognition timed apart. `full`: the detector
    sees the page at its own resolution (the second pass), not capped; `sealed`: the page bears
    a seal (detector_limit).

    A page without a seal is read without its blank margins (ink_bounds), at the scale the cap
    gives the whole page: a third of an A4 scan's pixels (at a 960 px cap, det 0.30 → 0.21
    CPU-s/page on the corpus scans, their lines read alike but for running page numbers' dashes). A sealed
    page keeps its margins: cut, the real scan's date under its seal was lost even when the cut
    was an exact sub-array of the resized page (the detector pools globally: GlobalAveragePool
    in its channel attention, so the margins change what it finds)."""
    if not isinstance(engine.text_det, _Timed):
        engine.text_det = _Timed(engine.text_det, "det")
        engine.text_rec = _Timed(engine.text_rec, "rec")
    detector = engine.text_det._model
    limit = ("min", DEFAULT_DET_MIN_SIDE) if full else detector_limit(*grey.shape[:2], sealed=sealed)
    top = left = 0
    if not full and not sealed and limit[0] == "max" and (bounds := ink_bounds(grey)) is not None:
        top, bottom, left, right = bounds
        scale = limit[1] / max(grey.shape[:2])
        grey = grey[top:bottom, left:right]
        limit = ("max", max(32, round(max(grey.shape[:2]) * scale)))
    detector.limit_type, detector.limit_side_len = limit
    _Timed.clock = clock
    try:
        result = engine(np.ascontiguousarray(np.stack([grey] * 3, axis=2)))
    finally:
        _Timed.clock = None
    clock.lap("engine")
    if result.boxes is None or result.txts is None:
        return []
    polygons = np.asarray(result.boxes, dtype=np.float64) + np.array([left, top], dtype=np.float64)
    return boxes_from_engine(polygons, result.txts, result.scores)


def ocr_page_image(
    image: np.ndarray, *, page: int, scale: float = 1.0, threads: int | None = None, full: bool = False
) -> PageOcr:
    """Preprocess one page image (seal, skew, rules), read it, and drop seal text. `full`: read
    once with the detector at the page's own resolution (the second pass, asked for by a unit
    whose arithmetic did not reconcile: pipeline/ocr_recheck.py)."""
    if PAGE_LISTENER is not None:
        PAGE_LISTENER(page)
    clock = _StageClock()
    grey = suppress_seal(image) if image.ndim == 3 else image
    if ink_share(grey) < DEFAULT_BLANK_INK:
        clock.lap("prep")
        return PageOcr(page=page, boxes=[], grids=[], skew=0.0, scale=scale, seal_text=[], times=clock.times)
    grey, angle = deskew(grey)
    grids = find_table_grids(grey)
    grey = erase_table_rules(grey, grids)
    clock.lap("prep")
    seals = find_seals(grey)
    clock.lap("seal")
    engine = load_engine(threads)
    clock.lap("load")
    boxes = _read_boxes(engine, grey, clock, full=full, sealed=bool(seals))
    passes = 2 if full else 1
    low = 0 if full else low_confidence_numbers(boxes)
    if low and detector_limit(*grey.shape[:2], sealed=bool(seals))[0] == "max":
        # The cheap pass shrank the page for the detector; a page with a number read
        # unsurely is read again with the detector at full resolution, and that reading is
        # kept when it leaves fewer unsure numbers (a hard page pays for two readings).
        again = _read_boxes(engine, grey, clock, full=True)
        clock.lap("second")
        if low_confidence_numbers(again) < low:
            boxes, passes = again, 2
    boxes, seal_text = drop_seal_text(boxes, seals)
    clock.lap("seal")
    return PageOcr(
        page=page,
        boxes=boxes,
        grids=grids,
        skew=angle,
        scale=scale,
        seal_text=[b.text for b in seal_text],
        times=clock.times,
        passes=passes,
    )


_PAGE_NUMBER_BOX = regex.compile(r"^[-—一－\s]+\d{1,3}[-—一－\s]+$")


def low_confidence_numbers(boxes: list[OcrBox], threshold: float = DEFAULT_LOW_CONFIDENCE) -> int:
    """How many boxes hold a digit read below `threshold` (the running page number — 5 — aside:
    its dashes are read at 0.65–0.80 and it carries no figure)."""
    return sum(
        1
        for b in boxes
        if b.score < threshold and any(c.isdigit() for c in b.text) and not _PAGE_NUMBER_BOX.match(b.text)
    )


def render_pdf_page(data: bytes, page: int, dpi: int = DEFAULT_DPI) -> np.ndarray:
    """Render one 1-based page of a PDF to an RGB array at `dpi`."""
    doc = open_pdf(data, "<pdf>")
    try:
        bitmap = doc[page - 1].render(scale=dpi / 72)
        return bitmap.to_numpy()[:, :, :3][:, :, ::-1].copy()  # pdfium renders BGR
    finally:
        doc.close()


def _ocr_pdf_page(data: bytes, page: int, dpi: int, threads: int | None = None) -> PageOcr:
    with ocr_slot():
        wall, cpu = time.perf_counter(), time.process_time()
        image = render_pdf_page(data, page, dpi)
        rendered = (time.process_time() - cpu, time.perf_counter() - wall)
        result = ocr_page_image(image, page=page, scale=72 / dpi, threads=threads)
    result.times["render"] = rendered
    return result


def reread_at_full_resolution(
    data: bytes, source_format: str, pages: list[int], dpi: int = DEFAULT_DPI
) -> list[PageOcr]:
    """Pages of a scanned PDF (or image frames) read again in this process with the detector at
    the page's own resolution. A page the detector did not shrink (detector_limit) is left out: its
    first reading already saw every pixel."""
    frames = decode_image_frames(data, "<image>") if source_format == "image" else None
    out = []
    for page in pages:
        with ocr_slot():
            if frames is not None:
                image, scale = frames[page - 1], 1.0
            else:
                image, scale = render_pdf_page(data, page, dpi), 72 / dpi
            if detector_limit(*image.shape[:2])[0] == "max":
                out.append(ocr_page_image(image, page=page, scale=scale, threads=_BUDGET_THREADS, full=True))
    return out


def _init_worker() -> None:
    end_with_parent()
    set_ocr_budget(1, 1)
    load_engine()  # one engine per pool process, loaded before the first page arrives


def _pool(processes: int) -> ProcessPoolExecutor:
    """The process's OCR pool, started once and reused by every file of the run."""
    global _POOL, _POOL_SIZE
    if _POOL is not None and _POOL_SIZE == processes:
        return _POOL
    shutdown_ocr_pool()
    # spawn, not fork: onnxruntime's thread pool in a forked child can deadlock.
    ctx = multiprocessing.get_context("spawn")
    _POOL = ProcessPoolExecutor(max_workers=processes, mp_context=ctx, initializer=_init_worker)
    _POOL_SIZE = processes
    return _POOL


def shutdown_ocr_pool() -> None:
    """Stop the OCR pool (at exit, or when a run is done with it)."""
    global _POOL, _POOL_SIZE
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
    _POOL, _POOL_SIZE = None, 0


atexit.register(shutdown_ocr_pool)


def ocr_process_count(pages: int, workers: int | None = None) -> int:
    """How many processes OCR `pages` pages: `workers` if given; else the budget a file worker
    was given (`set_ocr_budget`); else 1 inside any worker process (its siblings fill the
    cores); else one per core, at most one per page."""
    if workers is None:
        workers = _BUDGET_PROCESSES
    if workers is None:
        workers = 1 if multiprocessing.parent_process() is not None else ocr_processes_for(1)
    return max(1, min(workers, pages))


def ocr_documents(
    documents: list[tuple[bytes, list[int]]], *, dpi: int = DEFAULT_DPI, workers: int | None = None
) -> list[list[PageOcr]]:
    """OCR the given 1-based pages of several PDFs, every page of every document scheduled over
    the same processes (`ocr_process_count`); results per document in page order."""
    total = sum(len(pages) for _data, pages in documents)
    n = ocr_process_count(total, workers)
    if n <= 1:
        return [[_ocr_pdf_page(data, p, dpi) for p in pages] for data, pages in documents]
    pool = _pool(n)
    futures = [[pool.submit(_ocr_pdf_page, data, p, dpi) for p in pages] for data, pages in documents]
    return [[f.result() for f in doc] for doc in futures]


def _run_pages(data: bytes, pages: list[int], dpi: int, workers: int | None) -> list[PageOcr]:
    return ocr_documents([(data, pages)], dpi=dpi, workers=workers)[0]


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
    notes += [
        f"page {r.page}: read by the second pass (detector at full resolution): the first left "
        "numbers read with low confidence"
        for r in results
        if r.passes > 1
    ]
    return notes


def read_image(data: bytes, name: str) -> ReadResult:
    """Read a scanned page image (PNG, JPEG, TIFF incl. multi-page, BMP, WebP, GIF) by OCR.

    Runs in this process. Each frame is one page; bbox is in image pixels.
    """
    frames = decode_image_frames(data, name)
    results = []
    for i, frame in enumerate(frames):
        with ocr_slot():
            results.append(ocr_page_image(frame, page=i + 1, threads=_BUDGET_THREADS))
    lines = page_ocr_to_lines(results)
    return ReadResult(
        lines=lines,
        source_format="image",
        pages=len(frames),
        ocr_pages=list(range(1, len(frames) + 1)),
        ocr_confidence=mean_confidence(lines),
        warnings=_page_notes(results) + low_confidence_warnings(lines, DEFAULT_LOW_CONFIDENCE),
    )
