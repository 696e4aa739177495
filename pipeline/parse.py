"""One file to its records: read (with OCR where needed), extract, reconcile.

A bad file gives a failed documents row with its stage and a message, never an exception.
"""

from __future__ import annotations

import decimal
import os
import stat
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from parsers.document import Extraction, circular_marks, extract_document, read_document
from parsers.formats import Detection, detect_format
from parsers.limits import limit_exceeded, limits_in_force
from parsers.model import Line, NotACircular, ReadResult, TongbaoError
from pipeline.bounds import refuse_out_of_range
from pipeline.containers import read_source, split_member_path
from pipeline.identity import doc_id_of, shown_path
from pipeline.options import IngestOptions, UsageError
from pipeline.reconcile import reconcile
from pipeline.records import (
    deduction_records,
    document_record,
    item_records,
    problem_records,
    score_records,
)
from pipeline.results import (  # noqa: F401  (re-exported: tests and tools import them from here)
    FileResult,
    failed_result,
    not_a_file_result,
    refused_result,
    skipped_result,
)


def read_with_ocr(
    data: bytes,
    name: str,
    options: IngestOptions,
    on_ocr: Callable[[int], None] | None = None,
    detection: Detection | None = None,
) -> ReadResult:
    """Read a file; OCR the pages (or images) that have no usable text layer.

    `on_ocr(pages)` is told how many pages are about to be OCR'd (the worker's time limit grows).
    """
    found = detection or detect_format(data, name)
    if found.format is not None and found.format.ocr == "always":
        if options.ocr == "never":
            raise UsageError(
                found.annotated(name, f"{name}: {found.format.label} needs OCR, but --ocr never was given.")
            )
        from pipeline.ocr import read_image

        if on_ocr is not None:
            on_ocr(1)
        return found.read_with(name, lambda: read_image(data, name))
    read = read_document(data, name, password=options.password, max_pages=options.max_pages, detection=found)
    if found.format is None or found.format.ocr != "pages" or options.ocr == "never":
        return read
    pages = list(range(1, (read.pages or 0) + 1)) if options.ocr == "always" else list(read.pages_needing_ocr)
    if not pages:
        return read
    from pipeline.ocr import ocr_pdf_pages, ocr_processes

    if on_ocr is not None:
        on_ocr(len(pages))
    ocr_lines = ocr_pdf_pages(data, pages, workers=ocr_processes(options.workers, options.ocr_workers))
    return merge_ocr_lines(read, ocr_lines, pages)


def merge_ocr_lines(read: ReadResult, ocr_lines: list[Line], pages: list[int]) -> ReadResult:
    """Put OCR'd pages' lines in place of those pages' text-layer lines, in page order."""
    replaced = set(pages)
    kept = [line for line in read.lines if line.page not in replaced]
    # sorted() is stable: within a page, lines keep the order their reader gave them.
    lines = sorted(kept + ocr_lines, key=lambda ln: ln.page or 0)
    lines = [replace(line, line_no=i) for i, line in enumerate(lines, start=1)] if ocr_lines else lines
    from parsers.readers.ocr import low_confidence_warnings, mean_confidence
    from pipeline.ocr import DEFAULT_LOW_CONFIDENCE

    return replace(
        read,
        lines=lines,
        ocr_pages=sorted(replaced),
        pages_needing_ocr=[p for p in read.pages_needing_ocr if p not in replaced],
        ocr_confidence=mean_confidence(ocr_lines),
        warnings=read.warnings + low_confidence_warnings(ocr_lines, DEFAULT_LOW_CONFIDENCE),
    )


def parse_file(path: str, options: IngestOptions, on_ocr: Callable[[int], None] | None = None) -> FileResult:
    """Parse one file into its records; a bad file gives a failed documents row, never an exception.

    Every stage — reading, extracting, reconciling, turning records into Arrow columns — runs
    under the per-file limits of `options`; whatever goes wrong is this file's row, not the batch's.
    """
    name = shown_path(Path(path).name)
    data, refused = _file_bytes(path, name, options.max_bytes)
    if refused is not None:
        return refused
    assert data is not None
    doc_id = doc_id_of(data)
    stage = "discover"
    try:
        detection = detect_format(data, name)
        if not detection.readable:
            return skipped_result(path, doc_id, len(data), detection)
        stage = "extract"
        with limits_in_force(replace(options.limits, name=name)):
            read = read_with_ocr(data, name, options, on_ocr, detection)
            check_line_lengths(read, name, options.max_line_chars)
            extraction = extract_document(read)
            if read.ocr_pages:  # a unit that does not add up gets its pages read again first
                from pipeline.ocr_recheck import recheck_unreconciled

                extraction = recheck_unreconciled(data, read, extraction, on_ocr)
            check_circular(extraction, name)
            check_entries(extraction, name, options.max_entries)
        stage = "records"
        result = build_result(extraction, doc_id, path, len(data))
        check_storable(result)
    except TongbaoError as exc:
        return failed_result(path, doc_id, len(data), exc.stage, str(exc))
    except (decimal.InvalidOperation, decimal.Overflow) as exc:
        # A number of more digits than exact arithmetic carries (28): a count of 2^63 fits and is
        # refused as a value (pipeline/bounds.py); 10^40 in a score cannot be reconciled at all.
        return failed_result(
            path,
            doc_id,
            len(data),
            stage,
            f"{name}: a number in the file has more digits than tongbao's exact arithmetic carries "
            f"({type(exc).__name__} while {'extracting' if stage == 'extract' else 'reconciling'}); "
            "check the file's figures.",
        )
    except MemoryError:
        return failed_result(
            path,
            doc_id,
            len(data),
            "memory",
            f"{name}: ran out of memory while parsing (the worker's ceiling is --max-memory-mb "
            f"{options.max_memory_mb}); raise it if the file is genuine.",
        )
    except Exception as exc:
        detail = shown_path(traceback.format_exception_only(type(exc), exc)[-1].strip())
        verb = {
            "discover": "telling its format",
            "extract": "extracting",
            "records": "turning its records into table rows",
        }[stage]
        return failed_result(
            path,
            doc_id,
            len(data),
            stage,
            f"{name}: tongbao failed while {verb} ({detail}); please report this file.",
        )
    return result


def _file_bytes(path: str, name: str, max_bytes: int) -> tuple[bytes | None, FileResult | None]:
    """The file's bytes, or the row of a file that is not a regular file, is gone, or is too big."""
    if split_member_path(path) is not None:  # one member of an archive (archive.zip!/member)
        try:
            data = read_source(path)
        except OSError as exc:
            return None, failed_result(path, "", 0, "read", f"{name}: cannot read the member ({exc}).")
        except TongbaoError as exc:  # a member refused: a bomb, encrypted, nested too deep
            return None, failed_result(path, "", 0, exc.stage, str(exc))
        if len(data) > max_bytes:
            return None, _over_max_bytes(path, name, len(data), max_bytes, "the member's", "it")
        return data, None
    try:
        info = os.stat(path)
    except OSError as exc:
        return None, _unreadable(path, name, exc)
    if not stat.S_ISREG(info.st_mode):
        # Reading a FIFO blocks for ever and a device never ends: neither is a document.
        return None, not_a_file_result(path, info.st_mode)
    if info.st_size > max_bytes:
        return None, _over_max_bytes(path, name, info.st_size, max_bytes, "the file's", "the file")
    try:
        with open(path, "rb") as handle:
            # read() sizes its buffer from the file (read(n) would allocate all n bytes up front).
            data = handle.read()
    except OSError as exc:
        return None, _unreadable(path, name, exc)
    if len(data) > max_bytes:
        return None, failed_result(
            path,
            "",
            len(data),
            "limit",
            f"{name}: the file grew past the limit of {max_bytes:,} bytes while it was read; raise "
            "--max-bytes if the file is genuine.",
        )
    return data, None


def _unreadable(path: str, name: str, exc: OSError) -> FileResult:
    """The row of a file that could not be stat'ed or opened: gone since discovery, or unreadable."""
    if isinstance(exc, FileNotFoundError):
        message = f"{name}: the file vanished after it was found (moved or deleted during the run)."
    else:
        message = f"{name}: cannot read the file ({exc.strerror})."
    return failed_result(path, "", 0, "read", message)


def _over_max_bytes(path: str, name: str, size: int, max_bytes: int, whose: str, what: str) -> FileResult:
    return failed_result(
        path,
        "",
        size,
        "limit",
        f"{name}: {whose} size ({size:,} bytes) is over the limit of {max_bytes:,}; {what} was not read. "
        "Raise --max-bytes if the file is genuine.",
    )


def check_line_lengths(read: ReadResult, name: str, limit: int) -> None:
    """Refuse a file with a line over `limit` characters: every pass over lines is at least linear in it."""
    longest = max((len(line.text) for line in read.lines), default=0)
    if longest > limit:
        raise limit_exceeded(name, "its longest line in characters", longest, limit, "--max-line-chars")


def check_entries(ex: Extraction, name: str, limit: int) -> None:
    """Refuse a document with more deduction entries than `limit` (each becomes a row and a finding)."""
    if len(ex.entries) > limit:
        raise limit_exceeded(name, "its number of deduction entries", len(ex.entries), limit, "--max-entries")


def check_storable(result: FileResult) -> None:
    """Refuse out-of-range numbers with a finding, then turn every table into Arrow here, per file
    (kept in `result.arrow`: what the batch's writer joins).

    A value Arrow cannot hold found only when the batch is written would cost the whole batch;
    here it costs this file at most (UnstorableValue → its failed row).
    """
    doc = result.document
    refused = refuse_out_of_range(result.records, doc.doc_id)
    if refused:
        result.records["findings"].extend(refused)
        doc.finding_count += len(refused)
    result.build_arrow()


def check_circular(ex: Extraction, name: str) -> None:
    """Refuse text that carries none of a circular's marks (parsers.document.circular_marks).

    A text with any mark — a title with 通报/通知, a 文号, an issuer, assessment words with
    results — is kept even when none of its results were read: its metadata is worth having,
    and a `no_results` finding says what was not understood (field-survey.md §7).

    Raises:
        NotACircular: with what was looked for, so the user can tell a wrong file from a bug.
    """
    if circular_marks(ex):
        return
    if ex.read.pages_needing_ocr:
        # The marks may sit on the pages left unread; the row is `partial` and says which.
        return
    raise NotACircular(
        f"{name}: does not look like an assessment circular (no title such as 关于…的通报, no "
        "document number, issuer, assessment results, score table or deductions found); check that "
        "this is the file you meant."
    )


def build_result(ex: Extraction, doc_id: str, path: str, size: int) -> FileResult:
    """Records of all tables for one extraction, reconciled."""
    document = document_record(ex, doc_id, shown_path(path), size)
    reconciliation, findings = reconcile(ex, doc_id)
    document.finding_count = len(findings)
    document.mismatch_count = sum(1 for r in reconciliation if r.status == "mismatch")
    if document.pages_needing_ocr:
        document.warnings.append(
            f"pages {', '.join(map(str, document.pages_needing_ocr))} have no usable text "
            "layer and were not OCR'd; run with --ocr auto to read them."
        )
    return FileResult(
        path=path,
        extraction=ex,
        records={
            "documents": [document],
            "scores": score_records(ex, doc_id),
            "deductions": deduction_records(ex, doc_id),
            "problems": problem_records(ex, doc_id),
            "reconciliation": reconciliation,
            "findings": findings,
            "items": item_records(ex, doc_id),
        },
    )
