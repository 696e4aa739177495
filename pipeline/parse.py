"""One file to its records: read (with OCR where needed), extract, reconcile.

A bad file gives a failed documents row with its stage and a message, never an exception.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from parsers import PARSER_VERSION
from parsers.document import Extraction, circular_marks, extract_document, read_document
from parsers.formats import Detection, detect_format
from parsers.model import Line, NotACircular, ReadResult, TongbaoError
from pipeline.containers import read_source
from pipeline.options import IngestOptions, UsageError
from pipeline.reconcile import reconcile
from pipeline.records import (
    deduction_records,
    document_record,
    item_records,
    problem_records,
    score_records,
)
from schemas import DocumentRecord


@dataclass(slots=True)
class FileResult:
    """What parsing one file produced: records per table."""

    path: str
    records: dict[str, list[Any]]
    extraction: Extraction | None = None

    @property
    def document(self) -> DocumentRecord:
        return self.records["documents"][0]


def doc_id_of(data: bytes) -> str:
    """A stable id from the file's content: the same bytes are the same document wherever they live."""
    return hashlib.sha256(data).hexdigest()[:16]


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
        try:
            read = read_image(data, name)
        except TongbaoError as exc:
            if found.note is None:
                raise
            raise type(exc)(found.annotated(name, str(exc))) from exc
        warning = found.warning(name)
        if warning is not None:
            read.warnings.append(warning)
        return read
    read = read_document(data, name, password=options.password, max_pages=options.max_pages, detection=found)
    if found.format is None or found.format.ocr != "pages" or options.ocr == "never":
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
    """Parse one file into its records; a bad file gives a failed documents row, never an exception."""
    name = Path(path).name
    try:
        data = read_source(path)  # a file, or one member of an archive (archive.zip!/member)
    except OSError as exc:
        return failed_result(path, "", 0, "read", f"{path}: cannot read the file ({exc.strerror}).")
    except TongbaoError as exc:  # an archive member refused (a bomb, encrypted, nested too deep)
        return failed_result(path, "", 0, exc.stage, str(exc))
    doc_id = doc_id_of(data)
    detection = detect_format(data, name)
    if not detection.readable:
        return skipped_result(path, doc_id, len(data), detection)
    try:
        read = read_with_ocr(data, name, options, on_ocr, detection)
        extraction = extract_document(read)
        check_circular(extraction, name)
    except TongbaoError as exc:
        return failed_result(path, doc_id, len(data), exc.stage, str(exc))
    except Exception as exc:
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return failed_result(
            path,
            doc_id,
            len(data),
            "extract",
            f"{name}: tongbao failed while extracting ({detail}); please report this file.",
        )
    return build_result(extraction, doc_id, path, len(data))


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
    document = document_record(ex, doc_id, path, size)
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


def skipped_result(path: str, doc_id: str, size: int, detection: Detection) -> FileResult:
    """The documents row of a file of a format tongbao does not read: status skipped, and why."""
    doc = DocumentRecord(
        doc_id=doc_id,
        source_path=path,
        source_format=detection.format.name
        if detection.format
        else detection.suffix.lstrip(".") or "unknown",
        byte_size=size,
        status="skipped",
        error_stage="discover",
        error=detection.reason(Path(path).name),
        parser_version=PARSER_VERSION,
    )
    return FileResult(path=path, records={"documents": [doc]})


def failed_result(path: str, doc_id: str, size: int, stage: str, message: str) -> FileResult:
    suffix = Path(path).suffix.lower().lstrip(".")
    doc = DocumentRecord(
        doc_id=doc_id or doc_id_of(path.encode()),
        source_path=path,
        source_format=suffix or "unknown",
        byte_size=size,
        status="failed",
        error_stage=stage,
        error=message,
        parser_version=PARSER_VERSION,
    )
    return FileResult(path=path, records={"documents": [doc]})
