"""Parquet output: one folder per table, one file per batch, a write protocol that survives any crash.

Layout: `OUT/<table>/part-<seq>-<digest>.parquet`, `seq` a number that grows with every batch
written (older folders have `part-<digest>.parquet`, read as seq 0). Every batch writes one file
to each table (an empty one when it has no rows, so each folder always reads with its schema).

Identity: a document is its bytes (`doc_id`); it is one `documents` row however many paths hold
it, and the `sources` table has one row per path (resolved) with its size and mtime.
`documents.source_path` is the smallest of its paths. A path belongs to one document: when a
path's bytes change, the new document takes the path, and a document left with no path is
removed (its rows in every table). Ingesting a document again replaces all its rows.

Write protocol (what makes the tables consistent after a crash at any point):
1. Every file is written to a hidden `.<name>.tmp` and moved into place with `os.replace`, so
   no file is ever half-written, and readers (pandas, polars, DuckDB, Spark) skip the `.tmp`.
   On an object store (an fsspec URL: s3://, gs://, abfs://) an object is visible only once its
   upload completes, so it is written straight to its name; other fsspec filesystems get the
   `.tmp` and a move (pipeline/output.py).
2. A new batch writes every other table first and `documents` last: the `documents` file is the
   batch's commit record. A batch file in any table without its `documents` file never
   committed.
3. Only then are older batches changed: a batch holding a document or a path that the new batch
   took is rewritten without them (every other table first, `documents` last), and a batch left
   with no document is deleted (`documents` first, so it is uncommitted before the rest goes).
   An ingest defers step 3 to its end (Store.defer_rewrites): each older batch is then rewritten
   once, however many new batches took from it, rather than once per new batch (a 1 %-changed
   re-run of 100,000 files writes several batches, and each took a document from nearly every
   older batch: the whole store rewritten per batch). Until the end a changed file's older rows
   are still in their batch, the state a crash before step 3 leaves. The rewrites the run's plan
   foresees are begun while its workers start, written beside their batches as hidden `.tmp`
   files; one is moved into place at the end only if the index then asks for exactly what it
   holds, and deleted otherwise.
4. When a store is opened (and before every ingest) a recovery pass restores these rules: it
   deletes `.tmp` files and batch files that never committed, and where a document or a path
   is in more than one committed batch the newest batch (highest seq) keeps it and the older
   ones are rewritten as in step 3. The pass reads only the `documents` and `sources` columns
   it needs, so on a consistent folder it costs one narrow read and writes nothing.
A crash therefore leaves, right after it, either the state before the batch or the state after
it (step 3 finished by the recovery pass) — never an orphan row or a duplicate.

A write that fails (disk full, permissions) removes what the batch had written and raises
StoreError with the reason; nothing of that batch is committed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from parsers.model import TongbaoError
from pipeline.output import RemotePath, moved, output_root, readable, written
from schemas import TABLES, SourceRecord, arrow_schema, records_to_table

Location = Path | RemotePath
"""A file or folder of the output: local, or under an fsspec URL (pipeline/output.py)."""

_BATCH = re.compile(r"^part-(?:(\d+)-)?([0-9a-f]{16})\.parquet$")
# Tables written before the documents commit record, in this order.
_BODY_TABLES = [name for name in TABLES if name != "documents"]


class StoreError(TongbaoError):
    """The output folder could not be written (disk full, no permission): nothing was half-written."""

    stage = "write"


@dataclass(slots=True)
class PathEntry:
    """Where a path's bytes are in the store."""

    doc_id: str
    batch: str
    byte_size: int
    mtime_ns: int | None


@dataclass(slots=True)
class _Staged:
    """An older batch's rewrite written ahead, beside it, for the documents and paths a run's plan
    foresaw it keeping."""

    keep_docs: set[str]
    sources: list[SourceRecord]
    future: Future[dict[str, Location]]
    """table -> its staged file, once written (the tables that change, documents last)."""

    def files(self) -> dict[str, Location]:
        """The staged files (waits for them); none when staging was cancelled or failed."""
        try:
            return self.future.result()
        except Exception:  # cancelled, a batch deleted meanwhile, a full disk: the rewrite is
            return {}  # done the usual way instead, which reports what goes wrong there

    def discard(self) -> None:
        for file in self.files().values():
            file.unlink(missing_ok=True)


def batch_name(seq: int, doc_ids: Sequence[str]) -> str:
    """A batch file name: its sequence number (newer batches win) and a digest of its documents."""
    digest = hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]
    return f"part-{seq:08d}-{digest}.parquet"


def batch_seq(name: str) -> int:
    """The sequence number of a batch file name (0 for the names written before there was one)."""
    match = _BATCH.match(name)
    return int(match.group(1) or 0) if match else -1


# Rows decoded at a time when batch files are merged or rewritten. A merged file of 2,000
# documents decodes its deductions to ~56 MB when read whole: that, not the number of files, set
# the writing process's peak memory on a 10,000-file run (issue 13: memory flat over a long run).
_ROWS_PER_READ = 8192
_REWRITE_THREADS = min(4, os.cpu_count() or 1)
"""Older batches rewritten at once (Store._restore_all)."""


def _atomic_write(table: pa.Table | Sequence[Location], path: Location, keep: set[str] | None = None) -> None:
    """Write a table, or the rows of Parquet files (only those of the documents `keep`, when
    given) read _ROWS_PER_READ rows at a time, so that it appears at `path` whole (protocol
    step 1; pipeline/output.py says how on each kind of output)."""
    tmp = path
    try:
        with written(path) as (sink, tmp):
            if isinstance(table, pa.Table):
                pq.write_table(table, sink, compression="zstd")
            else:
                schema = arrow_schema(path.parent.name)
                wanted = pa.array(sorted(keep), pa.string()) if keep is not None else None
                with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
                    for part in table:
                        for batch in pq.ParquetFile(readable(part)).iter_batches(
                            batch_size=_ROWS_PER_READ, use_threads=False
                        ):
                            rows = pa.Table.from_batches([batch])
                            if wanted is not None:
                                rows = rows.filter(pc.is_in(rows.column("doc_id"), value_set=wanted))
                            if rows.num_rows:
                                writer.write_table(rows.select(schema.names).cast(schema))
        moved(tmp, path)
    except OSError:
        if tmp != path:  # an object store's upload that failed leaves no object
            tmp.unlink(missing_ok=True)
        raise


def _read(path: Location, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file. ParquetFile reads it alone: pq.read_table goes through pyarrow.dataset,
    whose import (~1 s) and per-call set-up (~15 ms) were most of an unchanged re-run's start."""
    return pq.ParquetFile(readable(path)).read(columns=columns, use_threads=False)


def _remove(path: Location) -> None:
    path.unlink(missing_ok=True)


def _write_error(exc: OSError, path: Location, what: str) -> StoreError:
    reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return StoreError(
        f"cannot write {path}: {reason}. {what} Nothing half-written is left; free space (or fix the "
        "folder's permissions) and run the same command again — what was written is kept and skipped."
    )


class Store:
    """An output folder being written: an in-memory index of which batch holds which document and
    which document holds which path (dict lookups, built once when the store opens)."""

    def __init__(self, out: str | Path) -> None:
        self.out = output_root(out)
        self._docs: dict[str, str] = {}  # doc_id -> batch file name holding it
        # doc_id -> its paths: the one path itself, or a tuple when there are more (a one-element
        # set per document was ~0.2 KB of the writing process's memory per file; issue 13).
        self._doc_paths: dict[str, str | tuple[str, ...]] = {}
        self._paths: dict[str, PathEntry] = {}  # path -> where its bytes are
        self._batch_docs: dict[str, set[str]] = {}  # batch -> doc_ids in its documents file
        self._batch_paths: dict[str, set[str]] = {}  # batch -> paths in its sources rows
        self._status: dict[str, tuple[str, str | None, str]] = {}  # doc -> (status, stage, parser)
        self._statuses: dict[tuple[str, str | None, str], tuple[str, str | None, str]] = {}
        self._seq = 0
        self._deferred: set[str] | None = None  # older batches whose rewrite waits (defer_rewrites)
        self._staged: dict[str, _Staged] = {}
        self._stager: ThreadPoolExecutor | None = None
        self.repaired = 0
        """Batch files removed or rewritten by the recovery pass when the store opened."""
        if self.out.exists():
            self._recover()

    # --- lookups -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._docs)

    def source(self, path: str) -> PathEntry | None:
        """Where `path` (resolved) was last seen, with its size and mtime then."""
        return self._paths.get(path)

    def paths(self) -> set[str]:
        return set(self._paths)

    def status_of(self, doc_id: str) -> tuple[str, str | None, str] | None:
        """(status, error stage, parser version) of a stored document."""
        return self._status.get(doc_id)

    def documents_in(self, batch: str) -> set[str]:
        return self._batch_docs.get(batch, set())

    def batch_files(self) -> list[str]:
        return sorted(self._batch_docs, key=lambda n: (batch_seq(n), n))

    # --- opening: read the index, then the recovery pass ---------------------------------

    def _recover(self) -> None:
        names_by_table: dict[str, set[str]] = {}
        for table in TABLES:
            folder = self.out / table
            if not folder.is_dir():
                continue
            for tmp in folder.glob(".*.tmp"):
                _remove(tmp)
                self.repaired += 1
            names_by_table[table] = {p.name for p in folder.glob("part-*.parquet") if _BATCH.match(p.name)}
        committed = names_by_table.get("documents", set())
        for table, names in names_by_table.items():
            for name in names - committed:  # written before a crash, never committed
                _remove(self.out / table / name)
                self.repaired += 1
        ordered = sorted(committed, key=lambda n: (batch_seq(n), n))
        self._seq = max((batch_seq(n) for n in ordered), default=0)
        sources_present = names_by_table.get("sources", set())
        for name in ordered:  # oldest first: a newer batch takes what it shares with older ones
            docs = _read(
                self.out / "documents" / name,
                columns=["doc_id", "source_path", "byte_size", "status", "error_stage", "parser_version"],
            ).to_pylist()
            rows: list[dict[str, Any]]
            if name in sources_present:
                rows = _read(self.out / "sources" / name).to_pylist()
            else:  # written before the sources table: the document's path is its source
                rows = [
                    {"doc_id": d["doc_id"], "source_path": d["source_path"], "byte_size": d["byte_size"]}
                    for d in docs
                ]
            self._batch_docs[name] = {d["doc_id"] for d in docs}
            self._batch_paths[name] = {r["source_path"] for r in rows}
            for d in docs:
                self._set_status(d["doc_id"], d["status"], d["error_stage"], d["parser_version"])
                self._take_doc(d["doc_id"], name)
            for r in rows:
                self._take_path(r["source_path"], r["doc_id"], name, r["byte_size"], r.get("mtime_ns"))
        for name in ordered:
            keep_docs, keep_paths = self._kept(name)
            if keep_docs != self._batch_docs[name] or keep_paths != self._batch_paths[name]:
                self._restore(name)
                self.repaired += 1

    def _set_status(self, doc_id: str, status: str, stage: str | None, version: str) -> None:
        # A handful of distinct (status, stage, version) triples: one shared tuple each, not one
        # per document (the index is the writing process's only per-file memory).
        triple = (status, stage, version)
        self._status[doc_id] = self._statuses.setdefault(triple, triple)

    def _take_doc(self, doc_id: str, batch: str) -> None:
        # The paths a document has are the sources rows of the batch holding it (a batch that
        # reads a document again writes the paths it had before with it).
        self._docs[doc_id] = batch
        self._doc_paths[doc_id] = ()

    def _take_path(self, path: str, doc_id: str, batch: str, size: int, mtime_ns: int | None) -> None:
        old = self._paths.get(path)
        if old is not None and old.doc_id != doc_id and old.doc_id in self._doc_paths:
            self._discard_doc_path(old.doc_id, path)
        self._paths[path] = PathEntry(doc_id, batch, size, mtime_ns)
        if self._docs.get(doc_id) == batch:
            held = self.paths_of(doc_id)
            if path not in held:
                self._doc_paths[doc_id] = path if not held else (*held, path)

    def paths_of(self, doc_id: str) -> tuple[str, ...]:
        """The paths a stored document was last seen at."""
        held = self._doc_paths.get(doc_id, ())
        return (held,) if isinstance(held, str) else held

    def _discard_doc_path(self, doc_id: str, path: str) -> None:
        held = self.paths_of(doc_id)
        if path in held and doc_id in self._doc_paths:
            rest = tuple(p for p in held if p != path)
            self._doc_paths[doc_id] = rest[0] if len(rest) == 1 else rest

    def _kept(
        self, name: str, claimed: Container[str] = (), rereads: Container[str] = ()
    ) -> tuple[set[str], set[str]]:
        """The documents and paths batch `name` should hold: those no newer batch took — or, given
        `claimed` paths and re-read documents `rereads`, those it keeps once a batch takes them."""
        docs = {
            d
            for d in self._batch_docs.get(name, set())
            if self._docs.get(d) == name
            and d not in rereads
            and any(p not in claimed for p in self.paths_of(d))
        }
        paths = {
            p
            for p in self._batch_paths.get(name, set())
            if (entry := self._paths.get(p)) is not None
            and entry.batch == name
            and entry.doc_id in docs
            and p not in claimed
        }
        return docs, paths

    # --- writing ---------------------------------------------------------------------------

    def write_batch(
        self, records: Mapping[str, Iterable[Any] | pa.Table], sources: Sequence[SourceRecord] | None = None
    ) -> str:
        """Write one batch (table name → records, or an Arrow table of them) and the paths its
        documents were read at.

        Documents already stored are replaced (all their rows); a path taken by a document of
        this batch leaves its older document, which is removed when it has no path left.
        Without `sources`, each document's own source_path (with its byte_size) is its source.
        """
        self.out.mkdir(parents=True, exist_ok=True)
        documents = list(records.get("documents", []))
        if sources is None:
            sources = [SourceRecord(d.doc_id, d.source_path, d.byte_size, None) for d in documents]
        new_docs = {d.doc_id for d in documents}
        claimed = {s.source_path for s in sources}
        # A document read again keeps the paths it was seen at before, unless this batch gives
        # one of them to another document.
        merged = {(s.source_path, s.doc_id): s for s in sources}
        for doc_id in new_docs:
            for path in sorted(self.paths_of(doc_id)):
                if path not in claimed:
                    entry = self._paths[path]
                    merged[(path, doc_id)] = SourceRecord(doc_id, path, entry.byte_size, entry.mtime_ns)
        source_rows = sorted(merged.values(), key=lambda s: (s.doc_id, s.source_path))
        first_path: dict[str, str] = {}
        for s in source_rows:
            first_path.setdefault(s.doc_id, s.source_path)
        for d in documents:
            d.source_path = first_path.get(d.doc_id, d.source_path)
        self._seq += 1
        name = batch_name(self._seq, sorted(new_docs))
        tables = {
            table: _as_table(table, records.get(table, [])) for table in _BODY_TABLES if table != "sources"
        }
        tables["sources"] = records_to_table("sources", source_rows)
        tables["documents"] = records_to_table("documents", documents)
        self._write_new(name, tables)
        # Committed: the index follows, then the older batches that lost something are rewritten.
        touched = {self._docs[d] for d in new_docs if d in self._docs}
        touched |= {self._paths[p].batch for p in claimed if p in self._paths}
        self._batch_docs[name] = set(new_docs)
        self._batch_paths[name] = {s.source_path for s in source_rows}
        for d in documents:
            self._set_status(d.doc_id, d.status, d.error_stage, d.parser_version)
            self._take_doc(d.doc_id, name)
        for s in source_rows:
            self._take_path(s.source_path, s.doc_id, name, s.byte_size, s.mtime_ns)
        self._restore_all(sorted(touched - {name}, key=lambda n: (batch_seq(n), n)))
        # What the batch's Arrow buffers and Parquet files freed goes back to the system
        # (malloc_trim on glibc) rather than staying in the writing threads' heaps.
        pa.default_memory_pool().release_unused()
        return name

    def forget(self, paths: Iterable[str]) -> int:
        """Remove paths (files that disappeared); documents left with no path are removed. Returns
        the number of documents removed."""
        touched: set[str] = set()
        before = len(self._docs)
        for path in paths:
            entry = self._paths.pop(path, None)
            if entry is None:
                continue
            touched.add(entry.batch)
            self._discard_doc_path(entry.doc_id, path)
        self._restore_all(sorted(touched, key=lambda n: (batch_seq(n), n)))
        return before - len(self._docs)

    def merge(self, names: Sequence[str]) -> str | None:
        """Merge batches into one new batch (compaction): written and committed like any batch,
        then the merged ones are deleted (documents first), so a crash leaves either the old files
        or the new one after the recovery pass — never both, never neither."""
        names = [n for n in names if n in self._batch_docs]
        if len(names) < 2:
            return None
        tables: dict[str, pa.Table | list[Location]] = {
            table: [self.out / table / n for n in names if (self.out / table / n).exists()]
            for table in TABLES
        }
        docs = set().union(*(self._batch_docs[n] for n in names))
        paths = set().union(*(self._batch_paths[n] for n in names))
        sources = sorted(
            (SourceRecord(e.doc_id, p, e.byte_size, e.mtime_ns) for p in paths if (e := self._paths.get(p))),
            key=lambda s: (s.doc_id, s.source_path),
        )
        tables["sources"] = records_to_table("sources", sources)
        self._seq += 1
        name = batch_name(self._seq, sorted(docs))
        self._write_new(name, {t: tables[t] for t in [*_BODY_TABLES, "documents"]})
        self._batch_docs[name], self._batch_paths[name] = docs, paths
        for doc_id in docs:
            self._docs[doc_id] = name
        for path in paths:
            if path in self._paths:
                self._paths[path].batch = name
        self._restore_all(names)  # they hold nothing any more: deleted, documents first
        pa.default_memory_pool().release_unused()  # what the reads took goes back to the system
        return name

    def _write_new(self, name: str, tables: Mapping[str, pa.Table | list[Location]]) -> None:
        done: list[Location] = []
        order = [t for t in tables if t != "documents"] + ["documents"]
        for table in order:
            path = self.out / table / name
            try:
                path.parent.mkdir(exist_ok=True)
                _atomic_write(tables[table], path)
            except OSError as exc:
                for file in done:
                    file.unlink(missing_ok=True)
                raise _write_error(exc, path, "The batch was not saved.") from exc
            done.append(path)

    def _restore(self, name: str) -> None:
        """Rewrite batch `name` to hold only what the index gives it (protocol step 3)."""
        self._restore_all([name])

    def _restore_all(self, names: Sequence[str]) -> None:
        """Rewrite batches to hold only what the index gives them (protocol step 3), the files of
        different batches at once: a 1 %-changed re-run of 10,000 files rewrites nearly every
        batch, and Parquet's decoding and zstd release the GIL. While rewrites are deferred, the
        index follows at once and the files wait for finish_rewrites."""
        plans = [(name, *self._restore_index(name)) for name in names]
        rewrites = [(name, docs, sources) for name, docs, sources in plans if docs]
        if self._deferred is not None:
            self._deferred.update(name for name, _, _ in rewrites)
            return
        done: list[tuple[str, set[str], list[SourceRecord]]] = []
        errors: list[BaseException] = []
        if rewrites:
            with ThreadPoolExecutor(max_workers=_REWRITE_THREADS) as pool:
                for rewrite, future in [(r, pool.submit(self._rewrite, *r)) for r in rewrites]:
                    if (error := future.exception()) is None:
                        done.append(rewrite)
                    else:
                        errors.append(error)
        for name, keep_docs, sources in done:
            self._batch_docs[name] = keep_docs
            self._batch_paths[name] = {s.source_path for s in sources}
        if errors:
            raise errors[0]

    def defer_rewrites(self, claimed: Iterable[str] = (), rereads: Iterable[str] = ()) -> None:
        """Keep the rewrites of older batches (protocol step 3) for finish_rewrites: from here on
        a batch written changes only the index and deletes the batches it emptied.

        The rewrites a run that takes the `claimed` paths (resolved, as stored) and reads the
        documents `rereads` again will need are begun on a thread, until stop_staging."""
        if self._deferred is None:
            self._deferred = set()
        if not isinstance(self.out, Path):  # on an object store a staged file would be copied again
            return
        claimed, rereads = set(claimed), set(rereads)
        touched = {e.batch for p in claimed if (e := self._paths.get(p)) is not None}
        touched |= {self._docs[d] for d in rereads if d in self._docs}
        for name in sorted(touched - set(self._staged), key=lambda n: (batch_seq(n), n)):
            keep_docs, keep_paths = self._kept(name, claimed, rereads)
            if not keep_docs:  # it will be deleted, not rewritten
                continue
            if self._stager is None:
                self._stager = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tongbao-stage")
            sources = self._sources_of(keep_paths)
            target = lambda table, name=name: self.out / table / f".{name}.staged.tmp"  # noqa: E731
            future = self._stager.submit(self._write_kept, name, keep_docs, sources, target)
            self._staged[name] = _Staged(keep_docs, sources, future)

    def stop_staging(self) -> None:
        """Begin no more foreseen rewrites (the one being written finishes): the run's workers
        want the cores. The rest are written at the end, side by side, as without staging."""
        for staged in self._staged.values():
            staged.future.cancel()

    def finish_rewrites(self) -> None:
        """Rewrite, once each, the older batches that lost documents or paths while rewrites were
        deferred, and delete the staged rewrites none of them used; later batches rewrite what
        they take from older ones at once again."""
        deferred, self._deferred = self._deferred, None
        self.stop_staging()
        try:
            if deferred:
                self._restore_all(sorted(deferred, key=lambda n: (batch_seq(n), n)))
        finally:
            for staged in self._staged.values():
                staged.discard()
            self._staged.clear()
            if self._stager is not None:
                self._stager.shutdown()
                self._stager = None

    def _restore_index(self, name: str) -> tuple[set[str], list[SourceRecord]]:
        """The index's side of restoring batch `name`: documents and paths it no longer holds are
        forgotten; a batch left with nothing is deleted here (documents first: the remaining files
        are then leftovers the next open deletes). Returns what it keeps and its sources rows."""
        keep_docs, keep_paths = self._kept(name)
        dropped = self._batch_docs.get(name, set()) - keep_docs
        for doc_id in dropped:
            if self._docs.get(doc_id) == name:  # no newer batch holds it: it leaves the store
                del self._docs[doc_id]
                self._doc_paths.pop(doc_id, None)
                self._status.pop(doc_id, None)
        for path in self._batch_paths.get(name, set()) - keep_paths:
            entry = self._paths.get(path)
            if entry is not None and entry.batch == name:
                del self._paths[path]
        if not keep_docs:
            try:
                for table in ["documents", *_BODY_TABLES]:
                    _remove(self.out / table / name)
            except OSError as exc:
                raise _write_error(
                    exc, self.out / "documents" / name, "An older batch was being updated."
                ) from exc
            self._batch_docs.pop(name, None)
            self._batch_paths.pop(name, None)
            return set(), []
        return keep_docs, self._sources_of(keep_paths)

    def _sources_of(self, paths: Iterable[str]) -> list[SourceRecord]:
        """The sources rows of stored paths, in a batch's order."""
        sources = [
            SourceRecord(self._paths[p].doc_id, p, self._paths[p].byte_size, self._paths[p].mtime_ns)
            for p in paths
        ]
        sources.sort(key=lambda s: (s.doc_id, s.source_path))
        return sources

    def _rewrite(self, name: str, keep_docs: set[str], sources: list[SourceRecord]) -> None:
        """The files' side of restoring batch `name`: only its own files are read and written, so
        batches are rewritten side by side. A rewrite staged for exactly these documents and
        sources is moved into place instead (every other table first, documents last)."""
        try:
            staged = self._staged.pop(name, None)
            if staged is not None:
                files = staged.files() if (staged.keep_docs, staged.sources) == (keep_docs, sources) else {}
                for table, file in files.items():
                    moved(file, self.out / table / name)
                if files:
                    return
                staged.discard()
            self._write_kept(name, keep_docs, sources, lambda table: self.out / table / name)
        except OSError as exc:
            raise _write_error(
                exc, self.out / "documents" / name, "An older batch was being updated."
            ) from exc

    def _write_kept(
        self, name: str, keep_docs: set[str], sources: list[SourceRecord], target: Callable[[str], Location]
    ) -> dict[str, Location]:
        """Batch `name`'s files holding only `keep_docs` and `sources`, written to `target(table)`:
        the tables that change, documents last. Returns table -> file written."""
        files = {"sources": target("sources")}
        _atomic_write(records_to_table("sources", sources), files["sources"])
        kept_ids = pa.array(sorted(keep_docs), pa.string())
        for table in _BODY_TABLES:
            body = self.out / table / name
            if table != "sources" and body.exists():
                # Only a table holding rows of the dropped documents is rewritten; its doc_id
                # column alone says so.
                ids = _read(body, ["doc_id"]).column("doc_id")
                if (pc.sum(pc.is_in(ids, value_set=kept_ids)).as_py() or 0) != len(ids):
                    files[table] = target(table)
                    _atomic_write([body], files[table], keep_docs)
        documents = _only(_read(self.out / "documents" / name), keep_docs)
        first: dict[str, str] = {}
        for s in sources:  # sorted by (doc_id, path): the first is the smallest path
            first.setdefault(s.doc_id, s.source_path)
        wanted = pa.array([first[d] for d in documents.column("doc_id").to_pylist()], pa.string())
        if wanted.to_pylist() != documents.column("source_path").to_pylist():
            index = documents.schema.get_field_index("source_path")
            documents = documents.set_column(index, documents.schema.field(index), wanted)
        files["documents"] = target("documents")
        _atomic_write(documents, files["documents"])
        return files


def _as_table(table: str, rows: Iterable[Any] | pa.Table) -> pa.Table:
    return rows if isinstance(rows, pa.Table) else records_to_table(table, rows)


def write_batch(out: Path, records: Mapping[str, Iterable[Any] | pa.Table]) -> str:
    """Write one batch of records (table name → records) and replace older rows of the same documents."""
    return Store(out).write_batch(records)


def _only(table: pa.Table, doc_ids: set[str]) -> pa.Table:
    mask = pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(doc_ids), pa.string()))
    return table.filter(mask)


def read_table(out: Path, table: str) -> pa.Table:
    """Read one table of an output folder (empty, with its schema, when nothing is written)."""
    folder = out / table
    files = sorted(folder.glob("part-*.parquet")) if folder.exists() else []
    if not files:
        return arrow_schema(table).empty_table()
    return pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")


def schema_version_of(path: Path) -> str | None:
    """The schema version a Parquet file was written with."""
    meta = pq.read_schema(path).metadata or {}
    value = meta.get(b"tongbao.schema_version")
    return value.decode() if value else None


__all__ = [
    "PathEntry",
    "Store",
    "StoreError",
    "batch_name",
    "batch_seq",
    "read_table",
    "schema_version_of",
    "write_batch",
]
