"""Ingest files and folders into Parquet tables: discover, parse in workers, reconcile, write.

Each file is parsed in a worker process with a time limit, so one file that
makes a parser hang or explode costs that file only. Every input yields
exactly one documents row (ok, partial or failed); results are written in
batches, each batch atomically, so a failure later in a run never costs what
was already written.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import queue
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from parsers import PARSER_VERSION
from parsers.document import SUPPORTED_SUFFIXES, Extraction, extract_document, format_of, read_document
from parsers.model import Line, NotACircular, ReadResult, TongbaoError
from pipeline.reconcile import reconcile
from pipeline.records import deduction_records, document_record, item_records, score_records
from pipeline.store import Store
from schemas import DocumentRecord

# Seconds one file may take before its worker is stopped: a 20-page text PDF parses in well
# under a second. OCR gets DEFAULT_OCR_SECONDS_PER_PAGE more per page it reads, on top.
DEFAULT_TIMEOUT = 300.0
# Extra seconds per page OCR'd: measured 4–8 s a page at 150 dpi on 2 busy cores (the real
# 25-page scan took 232 s under load), so 60 s leaves room for a machine several times slower.
DEFAULT_OCR_SECONDS_PER_PAGE = 60.0
# Documents per Parquet batch file: big enough for efficient files, small enough that a crash
# loses little work and memory stays flat on archives of any size.
DEFAULT_BATCH_SIZE = 200
DEFAULT_MAX_PAGES = 300
OCR_MODES = ("auto", "always", "never")


class UsageError(TongbaoError):
    """The command was given something it cannot work with (a missing path, a bad option)."""

    stage = "usage"


@dataclass(slots=True)
class IngestOptions:
    """Options of one ingest run; rules checked here, not in the CLI."""

    out: Path = Path("output")
    password: str | None = None
    ocr: str = "auto"
    timeout: float = DEFAULT_TIMEOUT
    max_pages: int = DEFAULT_MAX_PAGES
    workers: int = 0  # 0: one per core; 1: parse in this process (no time limit)
    batch_size: int = DEFAULT_BATCH_SIZE
    strict: bool = False

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise UsageError(f"--ocr must be one of {', '.join(OCR_MODES)}, not '{self.ocr}'.")
        if self.timeout <= 0:
            raise UsageError("--timeout must be a positive number of seconds.")
        if self.max_pages < 1:
            raise UsageError("--max-pages must be at least 1.")
        if self.batch_size < 1:
            raise UsageError("--batch-size must be at least 1.")
        if self.workers < 0:
            raise UsageError("--workers must be 0 (one per core) or more.")
        self.out = Path(self.out)
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"--out {self.out} is a file; give a folder for the tables.")


@dataclass(slots=True)
class FileResult:
    """What parsing one file produced: records per table."""

    path: str
    records: dict[str, list[Any]]
    extraction: Extraction | None = None

    @property
    def document(self) -> DocumentRecord:
        return self.records["documents"][0]


@dataclass(slots=True)
class IngestSummary:
    files: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0
    units: int = 0
    deductions: int = 0
    mismatches: int = 0
    findings: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Input files under the given files and folders (recursive), in a stable order.

    Raises:
        UsageError: a path does not exist, or a folder holds no supported file.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder.")
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not inside:
                raise UsageError(f"{path}: the folder holds no file tongbao reads "
                                 f"({', '.join(SUPPORTED_SUFFIXES)}).")
            found.extend(inside)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def doc_id_of(data: bytes) -> str:
    """A stable id from the file's content: the same bytes are the same document wherever they live."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_with_ocr(data: bytes, name: str, options: IngestOptions,
                  on_ocr: Callable[[int], None] | None = None) -> ReadResult:
    """Read a file; OCR the pages (or images) that have no usable text layer.

    `on_ocr(pages)` is told how many pages are about to be OCR'd (the worker's time limit grows).
    """
    if format_of(name) == "image":
        if options.ocr == "never":
            raise UsageError(f"{name}: an image needs OCR, but --ocr never was given.")
        from pipeline.ocr import read_image

        if on_ocr is not None:
            on_ocr(1)
        return read_image(data, name)
    read = read_document(data, name, password=options.password, max_pages=options.max_pages)
    if read.source_format != "pdf" or options.ocr == "never":
        return read
    pages = list(range(1, (read.pages or 0) + 1)) if options.ocr == "always" else list(read.pages_needing_ocr)
    if not pages:
        return read
    from pipeline.ocr import ocr_pdf_pages

    if on_ocr is not None:
        on_ocr(len(pages))
    ocr_lines = ocr_pdf_pages(data, pages, workers=1 if options.workers == 1 else None)
    return merge_ocr_lines(read, ocr_lines, pages)


def merge_ocr_lines(read: ReadResult, ocr_lines: list[Line], pages: list[int]) -> ReadResult:
    """Put OCR'd pages' lines in place of those pages' text-layer lines, in page order."""
    replaced = set(pages)
    kept = [line for line in read.lines if line.page not in replaced]
    order = {id(line): i for i, line in enumerate(kept + ocr_lines)}
    lines = sorted(kept + ocr_lines, key=lambda ln: (ln.page or 0, order[id(ln)]))
    lines = [replace(line, line_no=i) for i, line in enumerate(lines, start=1)] if ocr_lines else lines
    from parsers.readers.ocr import low_confidence_warnings, mean_confidence
    from pipeline.ocr import DEFAULT_LOW_CONFIDENCE

    return replace(read, lines=lines, ocr_pages=sorted(replaced),
                   pages_needing_ocr=[p for p in read.pages_needing_ocr if p not in replaced],
                   ocr_confidence=mean_confidence(ocr_lines),
                   warnings=read.warnings + low_confidence_warnings(ocr_lines, DEFAULT_LOW_CONFIDENCE))


def parse_file(path: str, options: IngestOptions, on_ocr: Callable[[int], None] | None = None) -> FileResult:
    """Parse one file into its records; a bad file gives a failed documents row, never an exception."""
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return failed_result(path, "", 0, "read", f"{path}: cannot read the file ({exc.strerror}).")
    doc_id = doc_id_of(data)
    try:
        read = read_with_ocr(data, name, options, on_ocr)
        extraction = extract_document(read)
        check_circular(extraction, name)
    except TongbaoError as exc:
        return failed_result(path, doc_id, len(data), exc.stage, str(exc))
    except Exception as exc:
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return failed_result(path, doc_id, len(data), "extract",
                             f"{name}: tongbao failed while extracting ({detail}); please report this file.")
    return build_result(extraction, doc_id, path, len(data))


def check_circular(ex: Extraction, name: str) -> None:
    """Refuse text that has none of a circular's marks: no title, number, issuer, scores or entries.

    Raises:
        NotACircular: with what was looked for, so the user can tell a wrong file from a bug.
    """
    meta = ex.metadata
    if ex.scores or ex.entries or meta.title or meta.doc_number or meta.issuer:
        return
    if ex.read.pages_needing_ocr:
        # The marks may sit on the pages left unread; the row is `partial` and says which.
        return
    raise NotACircular(f"{name}: does not look like an assessment circular (no title such as 关于…的通报, no "
                       "document number, issuer, score table or deductions found); check that this is the file "
                       "you meant.")


def build_result(ex: Extraction, doc_id: str, path: str, size: int) -> FileResult:
    """Records of all tables for one extraction, reconciled."""
    document = document_record(ex, doc_id, path, size)
    reconciliation, findings = reconcile(ex, doc_id)
    document.finding_count = len(findings)
    document.mismatch_count = sum(1 for r in reconciliation if r.status == "mismatch")
    if document.pages_needing_ocr:
        document.warnings.append(f"pages {', '.join(map(str, document.pages_needing_ocr))} have no usable text "
                                 "layer and were not OCR'd; run with --ocr auto to read them.")
    if ex.metadata.doc_class == "other" and not ex.scores and not ex.entries:
        document.warnings.append("no score table, ranking or deductions found: is this an assessment circular?")
    return FileResult(path=path, extraction=ex, records={
        "documents": [document], "scores": score_records(ex, doc_id), "deductions": deduction_records(ex, doc_id),
        "reconciliation": reconciliation, "findings": findings, "items": item_records(ex, doc_id)})


def failed_result(path: str, doc_id: str, size: int, stage: str, message: str) -> FileResult:
    suffix = Path(path).suffix.lower().lstrip(".")
    doc = DocumentRecord(doc_id=doc_id or doc_id_of(path.encode()), source_path=path, source_format=suffix or "unknown",
                         byte_size=size, status="failed", error_stage=stage, error=message,
                         parser_version=PARSER_VERSION)
    return FileResult(path=path, records={"documents": [doc]})


# --- workers with a time limit ------------------------------------------------------------------


def _worker(tasks: Any, results: Any, options: IngestOptions) -> None:
    while True:
        task = tasks.get()
        if task is None:
            return
        index, path = task

        def extend(pages: int, index: int = index) -> None:
            results.put((index, pages * DEFAULT_OCR_SECONDS_PER_PAGE))

        result = parse_file(path, options, extend)
        result.extraction = None  # not needed by the parent; keeps the pickle small
        results.put((index, result))


def iter_results(paths: list[str], options: IngestOptions) -> Iterator[FileResult]:
    """Parse files in worker processes, each with a time limit; yield results as they finish."""
    workers = options.workers or os.cpu_count() or 1
    workers = min(workers, len(paths))
    if workers <= 1 and options.workers == 1:
        for path in paths:
            yield parse_file(path, options)
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    results = ctx.Queue()
    pending = list(enumerate(paths))[::-1]
    running: dict[int, tuple[Any, Any, int | None, float]] = {}  # slot -> (process, task queue, index, start)
    extra: dict[int, float] = {}  # index -> seconds added to its limit for OCR'd pages

    def start(slot: int) -> None:
        tasks = ctx.Queue()
        proc = ctx.Process(target=_worker, args=(tasks, results, options))
        proc.start()
        running[slot] = (proc, tasks, None, 0.0)

    def feed(slot: int) -> None:
        proc, tasks, _, _ = running[slot]
        if pending:
            index, path = pending.pop()
            tasks.put((index, path))
            running[slot] = (proc, tasks, index, time.monotonic())
        else:
            tasks.put(None)
            running[slot] = (proc, tasks, None, 0.0)

    for slot in range(max(workers, 1)):
        start(slot)
        feed(slot)
    try:
        done = 0
        while done < len(paths):
            try:
                index, result = results.get(timeout=0.5)
            except queue.Empty:
                now = time.monotonic()
                for slot, (proc, _tasks, index, started) in list(running.items()):
                    if index is None:
                        continue
                    limit = options.timeout + extra.get(index, 0.0)
                    if now - started > limit or not proc.is_alive():
                        proc.kill()
                        proc.join()
                        path = paths[index]
                        stage, why = ("timeout", f"took longer than {limit:g} s and was stopped; raise --timeout "
                                      "or check the file") if proc.exitcode in (-9, None) or now - started > limit \
                            else ("extract", f"the parser crashed (exit code {proc.exitcode})")
                        yield failed_result(path, _safe_id(path), _safe_size(path), stage, f"{Path(path).name}: {why}.")
                        done += 1
                        start(slot)
                        feed(slot)
                continue
            if not isinstance(result, FileResult):  # a worker says it is about to OCR some pages
                extra[index] = extra.get(index, 0.0) + float(result)
                continue
            done += 1
            for slot, (_proc, _tasks, running_index, _started) in running.items():
                if running_index == index:
                    feed(slot)
                    break
            yield result
    finally:
        # Also when the consumer stops early (--strict): workers are not daemons, and one
        # left waiting for a task would keep the interpreter from exiting.
        for proc, tasks, index, _ in running.values():
            if proc.is_alive():
                if index is None and done >= len(paths):
                    tasks.put(None)
                    proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
                    proc.join()


def _safe_id(path: str) -> str:
    try:
        return doc_id_of(Path(path).read_bytes())
    except OSError:
        return doc_id_of(path.encode())


def _safe_size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def ingest(paths: Iterable[str | Path], options: IngestOptions,
           progress: Callable[[FileResult], None] | None = None) -> IngestSummary:
    """Ingest files and folders into `options.out`; return what was found and flagged."""
    files = [str(p) for p in discover(paths)]
    summary = IngestSummary(files=len(files))
    began = time.monotonic()
    batch: list[FileResult] = []
    store = Store(options.out)
    for result in iter_results(files, options):
        _count(summary, result)
        if progress is not None:
            progress(result)
        result.extraction = None  # the records are what is kept; let the lines go
        batch.append(result)
        if len(batch) >= options.batch_size:
            _flush(store, batch)
            batch = []
        if options.strict and result.document.status == "failed":
            break
    if batch:
        _flush(store, batch)
    summary.seconds = time.monotonic() - began
    return summary


def _count(summary: IngestSummary, result: FileResult) -> None:
    doc = result.document
    setattr(summary, doc.status, getattr(summary, doc.status) + 1)
    if doc.status == "failed":
        summary.failures.append((result.path, doc.error or ""))
    summary.units += len({r.unit for r in result.records.get("reconciliation", [])} |
                         {r.unit for r in result.records.get("scores", [])})
    summary.deductions += len(result.records.get("deductions", []))
    summary.mismatches += doc.mismatch_count
    summary.findings += doc.finding_count


def _flush(store: Store, batch: list[FileResult]) -> None:
    merged: dict[str, list[Any]] = {}
    for result in batch:
        for table, records in result.records.items():
            merged.setdefault(table, []).extend(records)
    store.write_batch(merged)
