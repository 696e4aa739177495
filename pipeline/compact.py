"""Fewer, larger Parquet files: merge an output folder's small batch files, atomically.

Every ingest writes at least one file per table, and a run stopped and resumed many times, or
many small runs, leave hundreds of them; DuckDB and pandas read ~200 small files 2.3–2.6× slower
than the same rows in a few (issue 13). Merging uses the store's write protocol (the merged batch
is committed by its documents file before the small ones are deleted), so a crash during a
compaction loses nothing and duplicates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.lock import OutputLock
from pipeline.options import UsageError
from pipeline.store import Store

# Documents per merged file: large enough that a million-file archive is a few hundred files per
# table, small enough that re-ingesting one changed file rewrites a bounded amount.
DEFAULT_TARGET_DOCUMENTS = 2000
# An ingest compacts by itself when more batch files than this are small (under a quarter of the
# target): a few runs' worth of files stay as they are.
AUTO_COMPACT_FILES = 32


@dataclass(slots=True)
class CompactSummary:
    files_before: int
    files_after: int
    documents: int


def small_batches(store: Store, target: int) -> list[str]:
    """The batch files holding fewer than a quarter of `target` documents, oldest first."""
    return [n for n in store.batch_files() if len(store.documents_in(n)) < max(target // 4, 1)]


def compact_store(store: Store, target: int = DEFAULT_TARGET_DOCUMENTS, *, only_small: bool = False) -> int:
    """Merge batch files (all, or only the small ones) into files of about `target` documents.
    Returns the number of merged files written."""
    names = small_batches(store, target) if only_small else store.batch_files()
    groups: list[list[str]] = [[]]
    size = 0
    for name in names:
        n = len(store.documents_in(name))
        if groups[-1] and size + n > target:
            groups.append([])
            size = 0
        groups[-1].append(name)
        size += n
    return sum(1 for group in groups if store.merge(group) is not None)


def compact(out: Path, target: int = DEFAULT_TARGET_DOCUMENTS) -> CompactSummary:
    """Compact the output folder `out` (it runs the store's recovery pass first).

    Raises:
        UsageError: not an output folder, or another run is writing to it.
    """
    if not (Path(out) / "documents").is_dir():
        raise UsageError(f"{out}: no documents table here; run 'tongbao ingest ... --out {out}' first.")
    if target < 1:
        raise UsageError("--target must be at least 1 document per file.")
    with OutputLock(out):
        store = Store(out)
        before = len(store.batch_files())
        compact_store(store, target)
        return CompactSummary(before, len(store.batch_files()), len(store))
