"""Ingest files and folders into Parquet tables: discover, parse in workers, write in batches.

Every input yields exactly one documents row (ok, partial or failed); results are written
in batches, each batch atomically, so a failure later in a run never costs what was
already written. This module is the library entry point; the CLI is a thin skin over it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers.formats import READ_SUFFIXES, detect_format
from pipeline.containers import expand_archives
from pipeline.options import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_PAGES,
    DEFAULT_OCR_SECONDS_PER_PAGE,
    DEFAULT_TIMEOUT,
    OCR_MODES,
    IngestOptions,
    UsageError,
)
from pipeline.parse import FileResult, parse_file
from pipeline.store import Store
from pipeline.workers import iter_results


@dataclass(slots=True)
class IngestSummary:
    files: int = 0
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    hidden: int = 0
    """Hidden files under the folders given (names starting with '.'), not searched."""
    units: int = 0
    deductions: int = 0
    mismatches: int = 0
    findings: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(path, error) of every file failed or skipped."""
    seconds: float = 0.0


@dataclass(slots=True)
class Discovery:
    """The files an ingest reads, and how many hidden ones it left out."""

    files: list[Path]
    hidden: int = 0
    """Files under a hidden name (.git/, .DS_Store): not searched, only counted in the summary."""


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every file under the given files and folders (recursive), in a stable order (see discover_files)."""
    return discover_files(paths).files


def discover_files(paths: Iterable[str | Path]) -> Discovery:
    """Every file under the given files and folders (recursive), in a stable order.

    Nothing is filtered by name or format: a file tongbao does not read still gets its documents
    row (status skipped, with the reason), so a run never leaves part of an archive out unsaid.
    Hidden files and folders (names starting with '.': .git, .DS_Store) are not searched; the
    summary says how many there were.

    Raises:
        UsageError: a path does not exist, or a folder holds no file tongbao reads.
    """
    found: list[Path] = []
    hidden = 0
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder.")
        if not path.is_dir():
            found.append(path)
            continue
        inside, left_out = _files_under(path)
        hidden += left_out
        if not any(_is_read(p) for p in inside):
            listed = ", ".join(p.name for p in inside[:5]) + (", …" if len(inside) > 5 else "")
            held = f"{len(inside)} file(s), none of a format it reads: {listed}" if inside else "no files"
            raise UsageError(
                f"{path}: the folder holds no file tongbao reads ({held}); it reads {' '.join(READ_SUFFIXES)}."
            )
        found.extend(inside)
    return Discovery(expand_archives(list(dict.fromkeys(found))), hidden)


def _files_under(folder: Path) -> tuple[list[Path], int]:
    """The files under `folder` (sorted) and the number of hidden ones left out."""
    files, hidden = [], 0
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            hidden += 1
        else:
            files.append(path)
    return sorted(files), hidden


def _is_read(path: Path) -> bool:
    """Whether tongbao reads the file (its name says so, or else its bytes)."""
    if path.suffix.lower() in READ_SUFFIXES:
        return True
    try:
        return detect_format(path.read_bytes(), path.name).readable
    except OSError:
        return False


def ingest(
    paths: Iterable[str | Path], options: IngestOptions, progress: Callable[[FileResult], None] | None = None
) -> IngestSummary:
    """Ingest files and folders into `options.out`; return what was found and flagged."""
    found = discover_files(paths)
    files = [str(p) for p in found.files]
    summary = IngestSummary(files=len(files), hidden=found.hidden)
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
    if doc.status in ("failed", "skipped"):
        summary.failures.append((result.path, doc.error or ""))
    summary.units += len(
        {r.unit for r in result.records.get("reconciliation", [])}
        | {r.unit for r in result.records.get("scores", [])}
    )
    summary.deductions += len(result.records.get("deductions", []))
    summary.mismatches += doc.mismatch_count
    summary.findings += doc.finding_count


def _flush(store: Store, batch: list[FileResult]) -> None:
    merged: dict[str, list[Any]] = {}
    for result in batch:
        for table, records in result.records.items():
            merged.setdefault(table, []).extend(records)
    store.write_batch(merged)


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_OCR_SECONDS_PER_PAGE",
    "DEFAULT_TIMEOUT",
    "OCR_MODES",
    "FileResult",
    "IngestOptions",
    "IngestSummary",
    "UsageError",
    "discover",
    "discover_files",
    "ingest",
    "iter_results",
    "parse_file",
]
