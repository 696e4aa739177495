"""What parsing one file produced, and the rows of files that were not parsed.

Kept apart from pipeline/parse.py, which loads every parser: the ingest's parent process builds
these rows (a refused path, a worker that died) and reads workers' results, but parses nothing,
so it never imports the parsers (about a second of CPU a run, twice that on a busy machine).
"""

from __future__ import annotations

import os
import pickle
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parsers import PARSER_VERSION
from pipeline.identity import doc_id_of, shown_path
from schemas import DocumentRecord, arrow_schema, rows_of

if TYPE_CHECKING:
    from parsers.document import Extraction
    from parsers.formats import Detection


@dataclass(slots=True)
class FileResult:
    """What parsing one file produced: records per table."""

    path: str
    records: dict[str, list[Any]]
    extraction: Extraction | None = None
    packed: bytes | None = None
    """Every table's rows but the documents row, pickled (pack), until unpack puts them back."""
    tally: tuple[dict[str, int], int] = field(default_factory=lambda: ({}, 0))
    """While packed: each table's row count, and the number of units scored or reconciled."""

    @property
    def document(self) -> DocumentRecord:
        return self.records["documents"][0]

    def pack(self) -> None:
        """Every table's records but the documents row as tuples of column values (rows_of),
        pickled into one bytes object, for the trip back from a worker process. The writing
        process holds a file's results until its batch is written: unpickled, a batch of 500
        files was ~31 MiB of Python objects (6.2 MiB per 100 files against 1.7 MiB pickled), and
        two batches (the one being written, the one filling) set that process's peak. Drops the
        extraction too."""
        if self.packed is not None:
            return
        self.extraction = None
        body = {t: rows_of(t, r) for t, r in self.records.items() if t != "documents"}
        self.tally = ({t: len(r) for t, r in body.items()}, len(self._units(body)))
        self.packed = pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)
        self.records = {"documents": self.records["documents"]}

    def unpack(self) -> None:
        """Put the packed rows back into `records`."""
        if self.packed is not None:
            self.records.update(pickle.loads(self.packed))
            self.packed = None

    def count(self, table: str) -> int:
        """How many rows the file has in `table`, packed or not."""
        if self.packed is not None:
            return self.tally[0].get(table, 0)
        return len(self.records.get(table, []))

    def unit_count(self) -> int:
        """How many units the file scored or reconciled, packed or not."""
        return self.tally[1] if self.packed is not None else len(self._units(self.records))

    @staticmethod
    def _units(records: dict[str, list[Any]]) -> set[str]:
        found: set[str] = set()
        for table in ("reconciliation", "scores"):
            at = arrow_schema(table).names.index("unit")
            found.update(r[at] if type(r) is tuple else r.unit for r in records.get(table, []))
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
