"""Parquet output: one folder per table, one file per batch, replaced atomically.

Layout: `OUT/<table>/part-<batch>.parquet`. Every batch writes one file to
each table (an empty one when it has no rows, so each folder always reads
with its schema). Ingesting a file again replaces its rows: after the new
batch is in place, older batch files that hold the same doc_id or
source_path are rewritten without those documents. Each write goes to a
hidden temporary file first and is moved into place with `os.replace`, so a
crash never leaves a half-written file, and readers (pandas, polars, DuckDB,
Spark) skip the hidden `.tmp` names.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas import TABLES, arrow_schema, records_to_table


def _atomic_write(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def batch_name(doc_ids: Sequence[str]) -> str:
    """A batch file name from its documents: the same batch written twice lands in the same file."""
    digest = hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]
    return f"part-{digest}.parquet"


def existing_documents(out: Path) -> list[tuple[Path, list[str], list[str]]]:
    """(file name, doc_ids, source_paths) of every documents file already written."""
    folder = out / "documents"
    found = []
    for path in sorted(folder.glob("part-*.parquet")) if folder.exists() else []:
        cols = pq.read_table(path, columns=["doc_id", "source_path"])
        found.append((path, cols.column("doc_id").to_pylist(), cols.column("source_path").to_pylist()))
    return found


class Store:
    """An output folder being written: knows which batch file holds which document.

    The index is read once when the store opens and kept up to date as batches are written,
    so a run over a large archive does not re-read every earlier file for every batch.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self._files: dict[str, tuple[set[str], set[str]]] = {
            path.name: (set(ids), set(sources)) for path, ids, sources in existing_documents(out)
        }

    def write_batch(self, records: Mapping[str, Iterable[Any]]) -> str:
        """Write one batch (table name → records); replace older rows of the same documents."""
        out = self.out
        out.mkdir(parents=True, exist_ok=True)
        tables = {name: records_to_table(name, list(records.get(name, []))) for name in TABLES}
        doc_ids = set(tables["documents"].column("doc_id").to_pylist())
        paths = set(tables["documents"].column("source_path").to_pylist())
        name = batch_name(sorted(doc_ids))
        # Older files holding one of these documents (same bytes, or same path with new bytes).
        rewrite = [
            file_name
            for file_name, (ids, sources) in self._files.items()
            if file_name != name and (ids & doc_ids or sources & paths)
        ]
        for table_name, table in tables.items():
            folder = out / table_name
            folder.mkdir(exist_ok=True)
            _atomic_write(table, folder / name)
        self._files[name] = (doc_ids, paths)
        for old in rewrite:
            documents = pq.read_table(out / "documents" / old, columns=["doc_id", "source_path"])
            gone = {
                i
                for i, p in zip(
                    documents.column("doc_id").to_pylist(),
                    documents.column("source_path").to_pylist(),
                    strict=True,
                )
                if i in doc_ids or p in paths
            }
            self._rewrite_without(old, gone)
        return name

    def _rewrite_without(self, file_name: str, gone: set[str]) -> None:
        ids = self._files[file_name][0]
        if not ids - gone:
            for table_name in TABLES:
                (self.out / table_name / file_name).unlink(missing_ok=True)
            del self._files[file_name]
            return
        for table_name in TABLES:
            path = self.out / table_name / file_name
            if path.exists():
                _atomic_write(_without(pq.read_table(path), gone), path)
        kept = pq.read_table(self.out / "documents" / file_name, columns=["doc_id", "source_path"])
        self._files[file_name] = (
            set(kept.column("doc_id").to_pylist()),
            set(kept.column("source_path").to_pylist()),
        )


def write_batch(out: Path, records: Mapping[str, Iterable[Any]]) -> str:
    """Write one batch of records (table name → records) and replace older rows of the same documents."""
    return Store(out).write_batch(records)


def _without(table: pa.Table, doc_ids: set[str]) -> pa.Table:
    mask = pc.invert(pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(doc_ids), pa.string())))
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


__all__ = ["Store", "batch_name", "existing_documents", "read_table", "schema_version_of", "write_batch"]
