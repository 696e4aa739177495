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
    units: int = 0
    deductions: int = 0
    mismatches: int = 0
    findings: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(path, error) of every file failed or skipped."""
    seconds: float = 0.0


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every file under the given files and folders (recursive), in a stable order.

    Nothing is filtered by name: a file tongbao does not read still gets its documents row
    (status skipped, with the reason), so a run never leaves part of an archive out unsaid.
    Hidden files and folders (names starting with '.': .git, .DS_Store) are not searched.

    Raises:
        UsageError: a path does not exist, or a folder holds no file tongbao reads.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder.")
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not any(_is_read(p) for p in inside):
                listed = ", ".join(p.name for p in inside[:5]) + (", …" if len(inside) > 5 else "")
                held = f"{len(inside)} file(s), none of a format it reads: {listed}" if inside else "no files"
                raise UsageError(
                    f"{path}: the folder holds no file tongbao reads ({held}); "
                    f"it reads {' '.join(READ_SUFFIXES)}."
                )
            found.extend(inside)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


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
    "ingest",
    "iter_results",
    "parse_file",
]
