"""The run's cap on processes that OCR at once (`--ocr-workers`, never more than the cores).

An ingest's file workers each OCR their own files in-process (pipeline/workers.py gives each a
budget of one process); with more workers than the cap, a page waits here for a free slot. A slot
is an exclusive `flock` on one of N files in a folder the run creates: the kernel drops the lock
when its holder dies, so a worker killed mid-page (its time limit, kill -9) never keeps a slot.
The folder is named in the environment, which every child inherits (forked file workers and
spawned OCR pool processes alike). Without `fcntl` (Windows) there is no gate: the cap then
holds only through the number of workers.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

GATE_ENV = "TONGBAO_OCR_SLOTS"
"""Environment variable naming the slot folder of the run (unset: no cap beyond the workers)."""

DEFAULT_SLOT_POLL = 0.05
"""Seconds between looks for a free slot: a page costs ~2 s, so the wait adds under 3 %."""


def ocr_cap(ocr_workers: int = 0) -> int:
    """Processes that may OCR at once: `ocr_workers` (0: one per core), never more than the cores."""
    cores = os.cpu_count() or 1
    return min(cores, ocr_workers) if ocr_workers > 0 else cores


def open_ocr_gate(processes: int) -> Path | None:
    """Make `processes` slots for this run's children (removed at exit); None without fcntl."""
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return None
    folder = Path(tempfile.mkdtemp(prefix="tongbao-ocr-slots-"))
    for i in range(max(1, processes)):
        (folder / str(i)).touch()
    os.environ[GATE_ENV] = str(folder)
    atexit.register(close_ocr_gate, folder)
    return folder


def close_ocr_gate(folder: Path) -> None:
    if os.environ.get(GATE_ENV) == str(folder):
        del os.environ[GATE_ENV]
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def ocr_slot() -> Iterator[None]:
    """Hold one of the run's OCR slots while the block runs (at once when no gate is open)."""
    folder = os.environ.get(GATE_ENV)
    if not folder:
        yield
        return
    import fcntl

    slots = sorted(Path(folder).iterdir()) if Path(folder).is_dir() else []
    if not slots:  # the run's folder is gone (the parent ended): nothing left to share
        yield
        return
    while True:
        for slot in slots:
            fd = os.open(slot, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            try:
                yield
            finally:
                os.close(fd)  # closing the only descriptor releases the lock
            return
        time.sleep(DEFAULT_SLOT_POLL)


def gate_run(workers: int, ocr_workers: int = 0) -> Path | None:
    """Open the gate for an ingest of `workers` file workers (0: one per core) when they could OCR
    more pages at once than `ocr_cap(ocr_workers)`; None when the workers alone stay within it."""
    cap = ocr_cap(ocr_workers)
    if workers == 1 or (workers or os.cpu_count() or 1) <= cap:
        return None
    return open_ocr_gate(cap)
