"""Ingest files and folders into Parquet tables: discover, parse in workers, write in batches.

Every input yields exactly one documents row (ok, partial or failed); results are written
in batches, each batch atomically, so a failure later in a run never costs what was
already written. This module is the library entry point; the CLI is a thin skin over it.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
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
from pipeline.parse import FileResult, parse_file, refused_result
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
    """The files an ingest reads, how many hidden ones it left out, and what it would not open."""

    files: list[Path]
    hidden: int = 0
    """Files under a hidden name (.git/, .DS_Store): not searched, only counted in the summary."""
    refused: list[tuple[Path, str]] = field(default_factory=list)
    """(path, why) of entries not followed: symlinks leading out of the folders given. Each gets a
    skipped documents row, so the archive's every name is accounted for."""


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every file under the given files and folders (recursive), in a stable order (see discover_files)."""
    return discover_files(paths).files


def discover_files(paths: Iterable[str | Path]) -> Discovery:
    """Every file under the given files and folders (recursive), in a stable order.

    Nothing is filtered by name or format: a file tongbao does not read still gets its documents
    row (status skipped, with the reason), so a run never leaves part of an archive out unsaid.
    Hidden files and folders (names starting with '.': .git, .DS_Store) are not searched; the
    summary says how many there were. A symlink under a folder is followed only when it leads
    inside one of the folders given (an archive holding `hostname -> /etc/hostname` must not
    make tongbao read outside it); one leading out gets a skipped row. FIFOs, sockets and
    devices are listed, and parse_file gives them a skipped row without opening them.

    Raises:
        UsageError: a path does not exist, or a folder holds no file tongbao reads.
    """
    given = [Path(raw) for raw in paths]
    roots = [p.resolve() for p in given if p.is_dir()]
    found: list[Path] = []
    refused: list[tuple[Path, str]] = []
    hidden = 0
    for path in given:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder.")
        if not path.is_dir():
            found.append(path)
            continue
        inside, left_out, outside = _files_under(path, roots)
        hidden += left_out
        refused.extend(outside)
        if not any(_is_read(p) for p in inside):
            listed = ", ".join(p.name for p in inside[:5]) + (", …" if len(inside) > 5 else "")
            held = f"{len(inside)} file(s), none of a format it reads: {listed}" if inside else "no files"
            raise UsageError(
                f"{path}: the folder holds no file tongbao reads ({held}); it reads {' '.join(READ_SUFFIXES)}."
            )
        found.extend(inside)
    return Discovery(expand_archives(list(dict.fromkeys(found))), hidden, list(dict.fromkeys(refused)))


def _files_under(folder: Path, roots: list[Path]) -> tuple[list[Path], int, list[tuple[Path, str]]]:
    """The files under `folder` (sorted), the number of hidden ones left out, and the symlinks
    leading out of `roots` (not followed)."""
    files: list[Path] = []
    outside: list[tuple[Path, str]] = []
    hidden = 0
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:  # gone or unreadable since it was listed: its files are simply not there
            continue
        for entry in entries:
            path = Path(entry.path)
            if any(part.startswith(".") for part in path.relative_to(folder).parts):
                hidden += _files_in(path) if _is_dir(entry) else 1
                continue
            if entry.is_symlink():
                target = path.resolve()
                if not any(target.is_relative_to(root) for root in roots):
                    outside.append((path, _outside_reason(path, folder, target)))
                    continue
                if target.is_dir():
                    continue  # inside the folders given: its files are found where they are
            if _is_dir(entry):
                pending.append(path)
            elif entry.is_symlink() and not target.exists():
                outside.append((path, f"{path.name}: a broken symlink (to {target}); nothing to read."))
            else:
                files.append(path)
    return sorted(files), hidden, sorted(outside)


def _files_in(folder: Path) -> int:
    """How many files a hidden folder holds (counted for the summary, never read)."""
    return sum(len(names) for _, _, names in os.walk(folder))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _outside_reason(path: Path, folder: Path, target: Path) -> str:
    return (
        f"{path.name}: a symlink leading out of the folders given (to {target}); not followed. Give "
        "the target itself if it should be read."
    )


def _is_read(path: Path) -> bool:
    """Whether tongbao reads the file (its name says so, or else its bytes)."""
    if path.suffix.lower() in READ_SUFFIXES:
        return True
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the read below
            return False
        return detect_format(path.read_bytes(), path.name).readable
    except OSError:
        return False


def ingest(
    paths: Iterable[str | Path], options: IngestOptions, progress: Callable[[FileResult], None] | None = None
) -> IngestSummary:
    """Ingest files and folders into `options.out`; return what was found and flagged."""
    found = discover_files(paths)
    files = [str(p) for p in found.files]
    summary = IngestSummary(files=len(files) + len(found.refused), hidden=found.hidden)
    began = time.monotonic()
    batch: list[FileResult] = []
    store = Store(options.out)
    refused = (refused_result(str(path), why) for path, why in found.refused)
    for result in chain(refused, iter_results(files, options)):
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
