"""Options of an ingest run, with their rules and defaults; checked here, not in the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parsers.limits import DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_TABLE_CELLS, Limits
from parsers.model import TongbaoError
from pipeline.output import is_url

# Seconds one file may take before its worker is stopped: a 20-page text PDF parses in well
# under a second. OCR gets DEFAULT_OCR_SECONDS_PER_PAGE more per page it reads, on top.
DEFAULT_TIMEOUT = 300.0
# Extra seconds per page OCR'd: measured 4–8 s a page at 150 dpi on 2 busy cores (the real
# 25-page scan took 232 s under load), so 60 s leaves room for a machine several times slower.
DEFAULT_OCR_SECONDS_PER_PAGE = 60.0
# Documents per Parquet batch file at most; a batch is also written every DEFAULT_FLUSH_SECONDS,
# which is what bounds the work a crash loses. 500 rather than 200: a 10,000-file run wrote 50
# batches, each write's fixed cost (~16 Parquet files) paid 50 times and then the run's serial
# merge of them (over AUTO_COMPACT_FILES small ones); now ~20–30, none of them "small" at 500.
# The parent holds at most three batches (one filling, one waiting, one being written); at 1,000
# its peak RSS grew by a quarter (~60 MiB) for no further gain.
DEFAULT_BATCH_SIZE = 500
DEFAULT_MAX_PAGES = 300
# The largest file in the shared corpus is a few MB (a scanned PDF); 100 MB leaves room for long
# scans while a file that is not a circular at all (a disk image renamed .pdf) stops at once.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# Address space per worker process: a text circular parses in well under 200 MB, a scanned page
# OCR'd at 150 dpi in about 0.5 GB; 4 GB stops a runaway file before the machine swaps.
DEFAULT_MAX_MEMORY_MB = 4096
# Files a worker process parses before it is replaced by a fresh one (memory flat over a long
# run). A fork costs a few milliseconds, but a fresh worker's first files rebuild its parsers'
# caches (~0.7 CPU-s a recycle) and the OCR engine's reload costs about a second. At 500: 10,000
# text files, 2 workers, 104.3 s and 193.6 CPU-s, against 92.6 s and 179.6 CPU-s without
# recycling, the largest worker 150 MiB either way (forked from the forkserver, a worker no
# longer grows with the run: it was the parent's pages it copied that grew). At 2,000 a
# 10,000-file run recycles each worker twice.
DEFAULT_RECYCLE_AFTER = 2000
# Seconds between writes of what has been parsed, whatever the batch size: a kill -9 loses at
# most this long of finished work (plus the files in flight); a Ctrl-C or SIGTERM loses none.
DEFAULT_FLUSH_SECONDS = 5.0
OCR_MODES = ("auto", "always", "never")


class UsageError(TongbaoError):
    """The command was given something it cannot work with (a missing path, a bad option)."""

    stage = "usage"


@dataclass(slots=True)
class IngestOptions:
    """Options of one ingest run; rules checked here, not in the CLI."""

    out: Path | str = Path("output")  # a folder, or an fsspec URL (pipeline/output.py)
    password: str | None = None
    ocr: str = "auto"
    timeout: float = DEFAULT_TIMEOUT
    max_pages: int = DEFAULT_MAX_PAGES
    workers: int = 0  # 0: one per core; 1: parse in this process (no time limit)
    batch_size: int = DEFAULT_BATCH_SIZE
    strict: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS
    max_table_cells: int = DEFAULT_MAX_TABLE_CELLS
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB  # 0: no ceiling
    ocr_workers: int = 0  # processes that OCR at once, in all (0: one per core; never more than the cores)
    # fp32 or int8 (pipeline/ocr_int8.py); "" keeps $TONGBAO_OCR_PRECISION or int8. The CLI puts
    # it in the environment, so every OCR process of the run (forked or spawned) reads the same model.
    ocr_precision: str = ""

    @property
    def limits(self) -> Limits:
        """The per-file limits the readers and the extractor check (parsers/limits.py)."""
        return Limits(self.max_table_cells, self.max_line_chars, self.max_entries)

    recycle_after: int = DEFAULT_RECYCLE_AFTER
    flush_seconds: float = DEFAULT_FLUSH_SECONDS
    incremental: bool = True  # skip files whose path, size and mtime (or bytes) are already stored
    engine: str = "local"  # local: worker processes here; dask: a dask.distributed cluster
    scheduler: str | None = None  # the dask scheduler's address; None: a LocalCluster
    compact_target: int = 2000  # documents per file when small batch files are merged
    remove_missing: bool = False  # forget stored paths under the inputs that no longer exist

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise UsageError(f"--ocr must be one of {', '.join(OCR_MODES)}, not '{self.ocr}'.")
        if self.timeout <= 0:
            raise UsageError("--timeout must be a positive number of seconds.")
        if self.max_pages < 1:
            raise UsageError("--max-pages must be at least 1.")
        if self.batch_size < 1:
            raise UsageError("--batch-size must be at least 1.")
        for flag, value in (
            ("--max-bytes", self.max_bytes),
            ("--max-line-chars", self.max_line_chars),
            ("--max-table-cells", self.max_table_cells),
            ("--max-entries", self.max_entries),
        ):
            if value < 1:
                raise UsageError(f"{flag} must be at least 1.")
        if self.max_memory_mb < 0:
            raise UsageError("--max-memory-mb must be 0 (no ceiling) or a number of MB.")
        if self.engine not in ("local", "dask"):
            raise UsageError(f"--engine must be local or dask, not '{self.engine}'.")
        if self.scheduler and self.engine != "dask":
            raise UsageError("--scheduler is for --engine dask.")
        if self.recycle_after < 1:
            raise UsageError("--recycle-after must be at least 1.")
        if self.workers < 0:
            raise UsageError("--workers must be 0 (one per core) or more.")
        if self.ocr_workers < 0:
            raise UsageError("--ocr-workers must be 0 (one per core) or more.")
        if self.ocr_precision:
            from pipeline.ocr_int8 import PRECISIONS

            if self.ocr_precision not in PRECISIONS:
                raise UsageError(f"--ocr-precision must be fp32 or int8, not '{self.ocr_precision}'.")
        # An fsspec URL (s3://bucket/out, memory://out) stays a string: pipeline/output.py.
        self.out = str(self.out) if is_url(self.out) else Path(self.out)
        if isinstance(self.out, Path) and self.out.exists() and not self.out.is_dir():
            raise UsageError(f"--out {self.out} is a file; give a folder for the tables.")
