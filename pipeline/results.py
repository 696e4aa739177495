"""What parsing one file produced, and the rows of files that were not parsed.

Kept apart from pipeline/parse.py, which loads every parser: the ingest's parent process builds
these rows (a refused path, a worker that died) and reads workers' results, but parses nothing,
so it never imports the parsers (about a second of CPU a run, twice that on a busy machine).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from pipeline.code_version import PARSER_VERSION
from pipeline.identity import doc_id_of, shown_path
from schemas import DocumentRecord, arrow_schema, records_to_batch

if TYPE_CHECKING:
    from parsers.document import Extraction
    from parsers.formats import Detection


@dataclass(slots=True)
class FileResult:
    """What parsing one file produced: records per table."""

    path: str
    records: dict[str, list[Any]]
    extraction: Extraction | None = None
    arrow: dict[str, pa.RecordBatch] | None = None
    """Every table's rows but the documents row as Arrow, built per file by check_storable (so a
    value Arrow cannot hold costs this file, not its batch) and kept: the writing process only
    joins these batches, never turns rows into columns a second time."""
    packed: dict[str, bytes] | None = None
    """`arrow` as Arrow IPC messages (pack), until unpack reads them back."""
    tally: tuple[dict[str, int], int] = field(default_factory=lambda: ({}, 0))
    """Once shed: each table's row count, and the number of units scored or reconciled."""

    @property
    def document(self) -> DocumentRecord:
        return self.records["documents"][0]

    def build_arrow(self) -> None:
        """Turn every table's records but the documents row into `arrow` (UnstorableValue names a
        value Arrow cannot hold)."""
        self.arrow = {t: records_to_batch(t, r) for t, r in self.records.items() if t != "documents" and r}

    def shed(self) -> None:
        """Drop every table's records but the documents row once they are in `arrow`, keeping
        their counts: what is written is the Arrow, and the records of a batch of 500 files were
        ~31 MiB of Python objects held until it was written."""
        if self.arrow is None or set(self.records) == {"documents"}:
            return
        body = {t: r for t, r in self.records.items() if t != "documents"}
        self.tally = ({t: len(r) for t, r in body.items()}, len(self._units(body)))
        self.records = {"documents": self.records["documents"]}

    def pack(self) -> None:
        """Shed the records and turn `arrow` into IPC messages for the trip back from a worker
        process. Without their schema (the reader knows it): a schema message per table would
        double what a text file sends. Drops the extraction too.

        The parent used to unpickle each file's rows and build the batch's columns from them:
        ~5 + ~4.5 s of its one interpreter per 4,000 files, time its loop could not hand workers
        their next files (issue 13: 2 workers under 1.8× one). Reading IPC messages costs it
        microseconds and no copy."""
        if self.packed is not None:
            return
        self.extraction = None
        self.shed()
        if self.arrow is not None:
            self.packed = {t: b.serialize().to_pybytes() for t, b in self.arrow.items()}
            self.arrow = None

    def unpack(self) -> None:
        """Read the packed IPC messages back into `arrow`."""
        if self.packed is not None:
            self.arrow = {
                t: pa.ipc.read_record_batch(pa.py_buffer(b), arrow_schema(t)) for t, b in self.packed.items()
            }
            self.packed = None

    def count(self, table: str) -> int:
        """How many rows the file has in `table`, shed or not."""
        if table in self.records:
            return len(self.records[table])
        return self.tally[0].get(table, 0)

    def unit_count(self) -> int:
        """How many units the file scored or reconciled, shed or not."""
        if set(self.records) == {"documents"}:
            return self.tally[1]
        return len(self._units(self.records))

    @staticmethod
    def _units(records: dict[str, list[Any]]) -> set[str]:
        found: set[str] = set()
        for table in ("reconciliation", "scores"):
            found.update(r.unit for r in records.get(table, []))
        return found


def not_a_file_result(path: str, mode: int) -> FileResult:
    """The skipped row of a FIFO, socket or device found among the files."""
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISBLK(mode) or stat.S_ISCHR(mode)
        else "not a regular file"
    )
    return refused_result(path, f"{shown_path(Path(path).name)}: {kind}, not a document; it was not read.")


def refused_result(path: str, reason: str) -> FileResult:
    """The skipped row of a path discovery or parse_file will not open (not a file, or outside the folders)."""
    doc = DocumentRecord(
        doc_id=doc_id_of(os.fsencode(path)),
        source_path=shown_path(path),
        source_format="unknown",
        byte_size=0,
        status="skipped",
        error_stage="discover",
        error=reason,
        parser_version=PARSER_VERSION,
    )
    return FileResult(path=path, records={"documents": [doc]})


def skipped_result(path: str, doc_id: str, size: int, detection: Detection) -> FileResult:
    """The documents row of a file of a format tongbao does not read: status skipped, and why."""
    doc = DocumentRecord(
        doc_id=doc_id,
        source_path=shown_path(path),
        source_format=detection.format.name
        if detection.format
        else detection.suffix.lstrip(".") or "unknown",
        byte_size=size,
        status="skipped",
        error_stage="discover",
        error=detection.reason(shown_path(Path(path).name)),
        parser_version=PARSER_VERSION,
    )
    return FileResult(path=path, records={"documents": [doc]})


def failed_result(path: str, doc_id: str, size: int, stage: str, message: str) -> FileResult:
    suffix = Path(path).suffix.lower().lstrip(".")
    doc = DocumentRecord(
        doc_id=doc_id or doc_id_of(os.fsencode(path)),
        source_path=shown_path(path),
        source_format=suffix or "unknown",
        byte_size=size,
        status="failed",
        error_stage=stage,
        error=message,
        parser_version=PARSER_VERSION,
    )
    return FileResult(path=path, records={"documents": [doc]})
