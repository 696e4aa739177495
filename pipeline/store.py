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


def write_batch(out: Path, records: Mapping[str, Iterable[Any]]) -> str:
    """Write one batch of records (table name → records) and replace older rows of the same documents."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {name: records_to_table(name, list(records.get(name, []))) for name in TABLES}
    doc_ids = tables["documents"].column("doc_id").to_pylist()
    paths = set(tables["documents"].column("source_path").to_pylist())
    name = batch_name(doc_ids)
    stale: set[str] = set()
    rewrite: list[str] = []
    for path, ids, sources in existing_documents(out):
        if path.name == name:
            continue
        hit = {i for i, s in zip(ids, sources, strict=True) if i in doc_ids or s in paths}
        if hit:
            stale |= hit
            rewrite.append(path.name)
    for table_name, table in tables.items():
        folder = out / table_name
        folder.mkdir(exist_ok=True)
        _atomic_write(table, folder / name)
    for old in rewrite:
        for table_name in TABLES:
            path = out / table_name / old
            if not path.exists():
                continue
            kept = _without(pq.read_table(path), stale)
            if kept.num_rows == 0 and table_name == "documents":
                for t in TABLES:
                    (out / t / old).unlink(missing_ok=True)
                break
            _atomic_write(kept, path)
    return name


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


def to_pandas(out: Path, table: str) -> Any:
    """One table as a pandas DataFrame."""
    return read_table(out, table).to_pandas()


__all__ = ["batch_name", "existing_documents", "read_table", "schema_version_of", "to_pandas", "write_batch"]
