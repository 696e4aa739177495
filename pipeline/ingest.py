"""Ingest files and folders into Parquet tables: discover, parse in workers, write in batches.

Every distinct content yields exactly one documents row (ok, partial, failed or skipped) and
every path one sources row; results are written in small batches (by count and by time), each
batch committed by its documents file (pipeline/store.py), so a stop or a failure later in a
run never costs what was already written, and the next run skips it. This module is the library entry point; the CLI is a thin skin over it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pipeline.arrow_pool  # noqa: F401  (first: it chooses Arrow's allocator before pyarrow loads)
from pipeline.batch_writer import BatchWriter
from pipeline.code_version import PARSER_VERSION
from pipeline.compact import AUTO_COMPACT_FILES, compact_store, small_batches
from pipeline.containers import MEMBER_SEPARATOR, read_source, split_member_path
from pipeline.discovery import Discovery, discover, discover_files
from pipeline.identity import shown_path
from pipeline.lock import OutputLock
from pipeline.options import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_PAGES,
    DEFAULT_OCR_SECONDS_PER_PAGE,
    DEFAULT_RECYCLE_AFTER,
    DEFAULT_TIMEOUT,
    OCR_MODES,
    IngestOptions,
    UsageError,
)
from pipeline.output import output_root
from pipeline.store import Store
from pipeline.workers import WorkerServer
from schemas import DocumentRecord, SourceRecord, batches_to_table

if TYPE_CHECKING:
    import pyarrow as pa

    from pipeline.parse import parse_file
    from pipeline.results import FileResult
    from pipeline.workers import iter_results

# The parsers are imported when a file is to be parsed, not before: a re-run that finds
# everything unchanged then costs the store's lookup, not the parsers' import (~2 s).
_LAZY = {
    "FileResult": "pipeline.results",
    "parse_file": "pipeline.parse",
    "doc_id_of": "pipeline.identity",
    "iter_results": "pipeline.workers",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'pipeline.ingest' has no attribute {name!r}")


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
    unchanged: int = 0
    """Files already stored with the same bytes and parser version: skipped."""
    missing: list[str] = field(default_factory=list)
    """Stored paths under the inputs that no longer exist."""
    removed: int = 0
    """Documents removed because every path they were seen at is gone (--remove-missing)."""
    written: int = 0
    """Files whose rows were written by this run."""
    compacted: int = 0
    """Merged files written by the automatic compaction at the end of the run."""
    interrupted: bool = False
    """Stopped by SIGINT or SIGTERM: what finished was written, the rest is for the next run."""


@dataclass(slots=True)
class Plan:
    """What an ingest will do with the files it found (after the store's lookup)."""

    parse: list[str]
    """Resolved paths to parse: new files, changed ones, and ones parsed by another parser version."""
    unchanged: int = 0
    """Files already in the output with the same bytes and parser version: not read again."""
    missing: list[str] = field(default_factory=list)
    """Paths stored from under the inputs that no longer exist."""
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    refused: list[tuple[Path, str]] = field(
        default_factory=list
    )  # symlinks out of the folders: a skipped row each
    """Resolved path → (size, mtime_ns) when it was looked at."""


def check_writable(out: Path | str) -> None:
    """Refuse an output folder (or URL) that cannot be written, before any parsing.

    Raises:
        UsageError: with the folder and the reason.
    """
    root = output_root(out)
    probe = root / f".tongbao-probe-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        with probe.open("wb"):
            pass
        probe.unlink()
    except OSError as exc:
        raise UsageError(
            f"--out {out}: cannot write there ({exc.strerror or exc}); give a folder you can write to."
        ) from None


def _is_current(store: Store, doc_id: str) -> bool:
    """Whether a stored document needs no new parse: same parser, and not a timeout (which a less
    busy machine or a higher --timeout may not repeat)."""
    status = store.status_of(doc_id)
    if status is None:
        return False
    state, stage, version = status
    return version == PARSER_VERSION and not (state == "failed" and stage == "timeout")


def plan_files(files: list[Path], roots: list[Path], store: Store, options: IngestOptions) -> Plan:
    """Which files to parse: a path whose size and mtime are as stored is skipped without reading
    it; one whose size or mtime changed is hashed and skipped when its bytes are the same."""
    plan = Plan(parse=[])
    seen: set[str] = set()
    real_folders: dict[str, str] = {}  # a folder as given -> resolved, once
    for file in files:
        path, st = _resolved_stat(str(file), real_folders)
        if path in seen:  # the same file given twice (a relative and an absolute path)
            continue
        seen.add(path)
        member = split_member_path(path)
        if member:
            try:
                st = os.stat(member[0])
            except OSError:
                st = None
        if st is None:
            plan.parse.append(path)  # parse_file gives it its failed row
            continue
        # An archive member is unchanged while its archive is: the archive's mtime stands for it,
        # and its size (-1: not the member's) is not compared.
        size = -1 if member else st.st_size
        plan.stats[path] = (size, st.st_mtime_ns)
        entry = store.source(shown_path(path)) if options.incremental else None
        if entry is not None and _is_current(store, entry.doc_id):
            if entry.mtime_ns == st.st_mtime_ns and size in (-1, entry.byte_size):
                plan.unchanged += 1
                continue
            if size in (-1, entry.byte_size) and _doc_id_of_file(path) == entry.doc_id:
                plan.unchanged += 1
                continue
        plan.parse.append(path)
    folders = [str(r.resolve()) + os.sep for r in roots if r.is_dir()]
    given = {str(r.resolve()) for r in roots if not r.is_dir()}
    shown_seen = {shown_path(s) for s in seen}  # the store holds non-UTF-8 names as \\xNN
    plan.missing = sorted(
        p for p in store.paths() if p not in shown_seen and (p in given or p.startswith(tuple(folders)))
    )
    return plan


def foreseen_changes(plan: Plan, store: Store) -> tuple[list[str], list[str]]:
    """What the plan's files are foreseen to take from the store: the stored paths they claim, and
    the stored documents they read again with the same bytes (a newer parser, a timeout tried
    again) — from which the older batches' rewrites the run will need follow."""
    claimed: list[str] = []
    rereads: list[str] = []
    for path in plan.parse:
        shown = shown_path(path)
        entry = store.source(shown)
        if entry is None:
            continue
        claimed.append(shown)
        size, mtime = plan.stats.get(path, (None, None))
        if entry.mtime_ns == mtime and size in (-1, entry.byte_size):
            rereads.append(entry.doc_id)
    return claimed, rereads


def _resolved_stat(path: str, folders: dict[str, str]) -> tuple[str, os.stat_result | None]:
    """The resolved path and its stat (None: not there), with one realpath per folder rather than
    per file (resolving each file was half of an unchanged re-run's planning): a file that is not
    a symlink is its resolved folder joined with its name."""
    if MEMBER_SEPARATOR in path:  # archive.zip!/member: the archive is stat'ed by the caller
        return str(Path(path).resolve()), None
    head, name = os.path.split(path)
    real = folders.get(head)
    if real is None:
        real = folders[head] = os.path.realpath(head)
    joined = os.path.join(real, name)
    try:
        st = os.lstat(joined)
        if not stat.S_ISLNK(st.st_mode):
            return joined, st
        resolved = os.path.realpath(joined)
        return resolved, os.stat(resolved)
    except OSError:
        return os.path.realpath(joined), None


def _doc_id_of_file(path: str) -> str | None:
    from parsers.model import TongbaoError
    from pipeline.identity import doc_id_of

    try:
        return doc_id_of(read_source(path))
    except (OSError, TongbaoError):
        return None


class _Stop:
    """SIGINT and SIGTERM ask the run to stop: a flag the parsing loop reads (every half second
    with worker processes). Only a run parsing in this process (--workers 1, nothing else
    to leave hung) is interrupted at once, and never in the middle of a write."""

    def __init__(self, interruptible: bool) -> None:
        self.interruptible = interruptible
        self.writing = False
        self.pending = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _Stop:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: object) -> None:
        self.pending = True
        if self.interruptible and not self.writing:
            raise KeyboardInterrupt

    def stopping(self) -> bool:
        return self.pending

    def submit(self, writer: BatchWriter[list[FileResult]], batch: list[FileResult]) -> None:
        """Hand a batch to the writer; a Ctrl-C in the middle cannot leave it half handed over."""
        self.writing = True
        try:
            writer.submit(batch)
        finally:
            self.writing = False


def ingest(
    paths: Iterable[str | Path],
    options: IngestOptions,
    progress: Callable[[FileResult], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into `options.out`; return what was found and flagged.

    Files already stored with the same bytes and parser version are skipped (options.incremental).
    A SIGINT or SIGTERM stops the run after writing what finished: the summary says `interrupted`.

    Raises:
        UsageError: bad input paths, an output folder that cannot be written or is in use.
        StoreError: the output could not be written mid-run (disk full); what was written is kept.
    """
    roots = [Path(p) for p in paths]
    in_process = options.engine == "local" and options.workers == 1
    with WorkerServer(options.engine == "local" and not in_process) as server:
        found = discover_files(roots)
        check_writable(options.out)
        summary = IngestSummary(files=len(found.files) + len(found.refused), hidden=found.hidden)
        began = time.monotonic()
        with OutputLock(options.out), _Stop(in_process) as stop:
            stop.writing = True  # the recovery pass and --remove-missing write: a Ctrl-C waits for them
            store = Store(options.out)
            plan = plan_files(found.files, roots, store, options)
            plan.refused = found.refused
            found.files = []  # the plan holds what is needed: ~0.4 KB a file of Path objects less
            summary.unchanged, summary.missing = plan.unchanged, list(plan.missing)
            if options.remove_missing and plan.missing:
                summary.removed = store.forget(plan.missing)
            stop.writing = False
            server.used = bool(plan.parse)
            if on_plan is not None:
                on_plan(plan)
            # Worker processes take a second to start (the forkserver loads the readers): the
            # parent, idle meanwhile, begins the older batches' rewrites. Parsing in-process, it
            # has no such second.
            if in_process:
                store.defer_rewrites()
            else:
                store.defer_rewrites(*foreseen_changes(plan, store))
            try:
                _parse_and_write(plan, store, options, summary, stop, progress)
            except BaseException:
                # The error being raised is the one to report; what this cannot rewrite, the next
                # run's recovery pass does (the store's protocol, step 4).
                with contextlib.suppress(Exception):
                    store.finish_rewrites()
                raise
            stop.writing = True  # a Ctrl-C now waits for the older batches' rewrites
            store.finish_rewrites()
            if (
                not summary.interrupted
                and len(small_batches(store, options.compact_target)) > AUTO_COMPACT_FILES
            ):
                stop.writing = True
                summary.compacted = compact_store(store, options.compact_target, only_small=True)
    summary.seconds = time.monotonic() - began
    return summary


def _parse_and_write(
    plan: Plan,
    store: Store,
    options: IngestOptions,
    summary: IngestSummary,
    stop: _Stop,
    progress: Callable[[FileResult], None] | None,
) -> None:
    """Parse the plan's files and write them in batches of `batch_size` files or `flush_seconds`.

    The batches are written on a thread of their own (pipeline/batch_writer.py), in order, so
    handing workers their next files never waits for a write."""
    batch: list[FileResult] = []
    last_write = time.monotonic()

    def write(done: list[FileResult]) -> None:
        _flush(store, done, plan.stats)
        summary.written += len(done)

    writer: BatchWriter[list[FileResult]] = BatchWriter(write)
    try:
        try:
            refused = (_refused(str(path), why) for path, why in plan.refused)
            # Nothing to parse (an unchanged re-run): no engine, so the parsers are never imported.
            parsed = (
                [] if stop.pending or not plan.parse else _engine(options)(plan.parse, options, stop.stopping)
            )
            for number, result in enumerate(chain(refused, parsed)):
                if number == 0:
                    store.stop_staging()  # the workers are up: the cores are theirs
                _count(summary, result)
                if progress is not None:
                    progress(result)
                result.extraction = None  # the records are what is kept; let the lines go
                result.shed()  # and of those, only the Arrow that is written
                batch.append(result)
                if len(batch) >= options.batch_size or time.monotonic() - last_write >= options.flush_seconds:
                    stop.submit(writer, batch)
                    batch, last_write = [], time.monotonic()
                if options.strict and result.document.status == "failed":
                    break
        except KeyboardInterrupt:
            stop.pending = True
        summary.interrupted = stop.pending
        stop.writing = True  # a second Ctrl-C waits for the last writes
        if batch:
            writer.submit(batch)
        writer.close()
        stop.writing = False
    except BaseException:
        writer.close(quiet=True)  # what was handed over is written before the error goes up
        raise


def _refused(path: str, why: str) -> FileResult:
    from pipeline.results import refused_result

    return refused_result(path, why)


def _engine(
    options: IngestOptions,
) -> Callable[[list[str], IngestOptions, Callable[[], bool]], Iterable[FileResult]]:
    if options.engine == "dask":
        from pipeline.dask_engine import iter_results_dask

        return iter_results_dask
    from pipeline.workers import iter_results

    return iter_results


def _count(summary: IngestSummary, result: FileResult) -> None:
    doc = result.document
    setattr(summary, doc.status, getattr(summary, doc.status) + 1)
    if doc.status in ("failed", "skipped"):
        summary.failures.append((result.path, doc.error or ""))
    summary.units += result.unit_count()
    summary.deductions += result.count("deductions")
    summary.mismatches += doc.mismatch_count
    summary.findings += doc.finding_count


def _flush(store: Store, batch: list[FileResult], stats: dict[str, tuple[int, int]]) -> None:
    """One batch: each document's records once (the same bytes at two paths are one document), and
    a sources row for every path."""
    documents: list[DocumentRecord] = []
    batches: dict[str, list[pa.RecordBatch]] = defaultdict(list)
    sources: list[SourceRecord] = []
    seen: set[str] = set()
    for result in batch:
        result.unpack()  # here, on the writing thread: the batch waited packed
        doc = result.document
        # Popped: a path written needs no stat any more (~0.2 KB a file over a long run).
        size, mtime = stats.pop(result.path, (doc.byte_size, None))
        sources.append(
            SourceRecord(
                doc.doc_id,
                shown_path(result.path),
                doc.byte_size,
                mtime if size in (-1, doc.byte_size) else None,
            )
        )
        if doc.doc_id in seen:
            continue
        seen.add(doc.doc_id)
        documents.append(doc)
        if result.arrow is None:  # records no parse turned into Arrow (a test's, a failed file's)
            result.build_arrow()
        for table, arrow in (result.arrow or {}).items():
            batches[table].append(arrow)
    tables: dict[str, list[DocumentRecord] | pa.Table] = {
        t: batches_to_table(t, b) for t, b in batches.items()
    }
    tables["documents"] = documents
    store.write_batch(tables, sources)


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_OCR_SECONDS_PER_PAGE",
    "DEFAULT_RECYCLE_AFTER",
    "DEFAULT_TIMEOUT",
    "OCR_MODES",
    "Discovery",
    "FileResult",
    "IngestOptions",
    "IngestSummary",
    "Plan",
    "UsageError",
    "check_writable",
    "discover",
    "discover_files",
    "foreseen_changes",
    "ingest",
    "iter_results",
    "parse_file",
    "plan_files",
]
