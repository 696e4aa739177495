"""Parse files in worker processes, each file with a time limit.

One file that makes a parser hang or crash costs that file only: its worker is stopped
and replaced, and the file gets a failed row saying why (a file it had been given but not begun
goes to another). Workers are forked from multiprocessing's forkserver with the readers loaded
(pipeline/warm.py, worker_context), so a worker costs no re-import and the parent imports no
parser (from the parent, as before, when the main script is not guarded).

Process lifecycle: every worker (and any OCR pool process) asks the kernel to kill it when its
parent dies (PR_SET_PDEATHSIG), and a worker forked by the forkserver also ends when the ingest
does (lifecycle.end_with), so a kill -9 of the ingest leaves nothing running; workers
ignore SIGINT (a Ctrl-C reaches the whole terminal process group) and are stopped by the parent,
which saves what finished first. Each worker OCRs in its own process with cores // workers
threads (one OCR budget for the run), and is replaced after `recycle_after` files so its memory
stays flat over a long run.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import queue
import signal
import stat
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from parsers.model import TongbaoError
from pipeline.identity import doc_id_of, shown_path
from pipeline.lifecycle import end_with, end_with_parent
from pipeline.options import DEFAULT_OCR_SECONDS_PER_PAGE, IngestOptions
from pipeline.results import FileResult, failed_result


def cap_memory(megabytes: int) -> None:
    """Let this process's private writable memory (its heap, anonymous maps) grow by at most
    `megabytes` from here.

    An allocation past it raises MemoryError inside the parser (parse_file turns that into the
    file's row) instead of the machine swapping or the kernel's out-of-memory killer choosing a
    process. The ceiling counts from the worker's size when it starts: a forked worker already
    holds the parent's libraries (pyarrow, the OCR engine), which differ from machine to machine.
    It is RLIMIT_DATA, not the address space (RLIMIT_AS): OpenVINO's CPU plugin reserves address
    space it never fills (a page read grew the process's virtual size by 2.6 GB, 433 MB of it
    inaccessible reservations, against 0.8 GB resident), and under a 4,096 MB address-space
    ceiling the real scan's first page failed with `Convolution node … can't alloc`.
    """
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # not on POSIX: the time limit still holds
        return
    ceiling = _data_size() + megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, hard))


def _on_openvino() -> bool:
    """Whether this process OCRs on OpenVINO (asked for with TONGBAO_OCR_BACKEND), which gets no
    memory ceiling: its CPU plugin keeps writable memory for every new input size it meets and
    never fills most of it (the real scan's 25 pages: 4.9 GB of data, 1.27 GB resident), so any
    ceiling on it fails a long run's later scans (`Convolution node … can't alloc`)."""
    try:
        from pipeline.ocr_setup import ocr_backend

        return ocr_backend() == "openvino"
    except TongbaoError:  # a backend that is not there: the scan's own row says so
        return False


def _data_size() -> int:
    """This process's data size in bytes, as RLIMIT_DATA counts it (VmData; 0 where /proc is not
    there)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def death_of(exitcode: int | None, timed_out: bool, limit: float, memory_mb: int) -> tuple[str, str]:
    """(stage, message) of a worker stopped by the time limit or found dead: say what it was."""
    if timed_out:
        return "timeout", f"took longer than {limit:g} s and was stopped; raise --timeout or check the file"
    if exitcode is not None and exitcode < 0:
        signum = -exitcode
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        if signum == signal.SIGKILL:
            return (
                "memory",
                f"the worker was killed ({name}) while parsing it, most often by the system's "
                f"out-of-memory killer; lower --max-memory-mb (now {memory_mb}) so a file that needs "
                "too much fails on its own, or give the machine more memory",
            )
        return "crash", f"the worker died of {name} while parsing it; please report this file"
    # A MemoryError inside the parser is the file's own row (parse_file); one outside it (while a
    # result is sent back) ends the worker with exit code 1 like any other error there.
    return (
        "crash",
        f"the worker stopped with exit code {exitcode} while parsing it (an error outside the parser, "
        f"or memory past --max-memory-mb {memory_mb}); please report this file",
    )


def _worker(tasks: Any, results: Any, options: IngestOptions, ocr_threads: int, ingest: int) -> None:
    end_with_parent()
    if os.getppid() != ingest:  # forked by the forkserver: its parent is not the ingest
        end_with(ingest)
    # Everything inherited from the parent (its batches of rows waiting to be written, its index)
    # is put out of this process's garbage collector's sight: a collection writes to every object
    # it examines, which copied the parent's pages into each worker forked late in a long run
    # (per-process PSS at 10,000 files: 76–81 MiB for the first workers, 130–176 MiB for later
    # ones). Frozen here, in the child, the parent's own collections are untouched.
    gc.freeze()
    cap_memory(options.max_memory_mb if not _on_openvino() else 0)
    from pipeline import parse
    from pipeline.ocr import set_ocr_budget

    set_ocr_budget(1, ocr_threads)
    while True:
        task = tasks.get()
        if task is None:
            return
        index, path = task

        def extend(pages: int, index: int = index) -> None:
            results.put((index, pages * DEFAULT_OCR_SECONDS_PER_PAGE))

        result = parse.parse_file(path, options, extend)  # looked up here: a test may stand in for it
        result.pack()  # small and quick to unpickle: the parent's CPU caps what workers gain
        results.put((index, result))


TASKS_AHEAD = 2
"""Files given to a worker at a time: the one it parses and the next, so it never waits on the
parent between files (a 2,000-file run's workers waited 3.3 s for their next file while the
parent wrote a batch; the results queue and the feeding share the parent's one interpreter)."""
TASKS_AHEAD_FAST = 8
"""Files given at a time to a worker whose last file took under FAST_FILE_SECONDS: turning a
batch into Arrow columns holds the parent's interpreter for tens of milliseconds at a time, longer
than two text files take (4,000 files, 2 workers, load 2–2.5: 46.6 / 43.4 s with 2 in hand, 41.9 /
41.0 s with 8). Slow files (scans) keep 2, so the run does not end waiting on one worker's queue."""
FAST_FILE_SECONDS = 0.25


@dataclass
class _Slot:
    """A worker process and the files it was given, oldest first (the one it is parsing)."""

    proc: Any
    tasks: Any
    given: deque[int] = field(default_factory=deque)
    started: float = 0.0  # when given[0] began: given to an idle worker, or its previous file came back
    served: int = 0
    fast: bool = False  # its last file took under FAST_FILE_SECONDS
    recycling: bool = False  # told to exit after its files, to start again once it has


def worker_context() -> Any:
    """The multiprocessing context file workers start from: multiprocessing's forkserver, a small
    process that loads the readers once (pipeline.warm) and forks every worker of the run.

    Forked from the parent instead, a worker started late in a 10,000-file run began as a copy of
    a 250 MiB parent and kept private copies of the pages it touched (per-process PSS 113–178 MiB
    against 76–81 MiB for the first workers; the tree's PSS 1.5× a 1,000-file run's), and the
    parent had to import every parser only to pass them on.

    The forkserver imports the main script once more (multiprocessing's rule for it and spawn),
    so a script that calls tongbao without `if __name__ == "__main__":` would start its ingest
    again there: for such a script workers are forked from the parent, as they were before.
    Where there is neither (Windows), workers are spawned.
    """
    methods = mp.get_all_start_methods()
    if "forkserver" in methods and _main_is_guarded():
        ctx = mp.get_context("forkserver")
        # "__main__" first, as multiprocessing's own default: imported once by the server, not
        # again by every worker it forks (tongbao's command imports typer and rich).
        ctx.set_forkserver_preload(["__main__", "pipeline.warm"])
        return ctx
    if "fork" in methods:
        import pipeline.warm  # noqa: F401  (loads the readers once, before the forks)

        return mp.get_context("fork")
    return mp.get_context()


def _main_is_guarded() -> bool:
    """Whether importing the main module again runs nothing: there is no main file (python -c,
    a notebook, the REPL), it was run as a module (-m), or its text guards its main code."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is None or getattr(getattr(main, "__spec__", None), "name", None):
        return True
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return regex.search(r"""if\s+__name__\s*==\s*['"]__main__['"]""", text) is not None


class WorkerServer:
    """The forkserver of a run's file workers, started as the run begins so that it loads the
    readers (~1 s of CPU on the other core) while the parent finds the files, opens the store's
    index and plans, rather than when the first worker is asked for. Measured on a 1 %-changed
    re-run of 10,000 files, 2 workers: 5.6 → 4.5 s (issue 13's target is ≤ 5 % of the first run,
    ~4.8 s). A run that turns out to have nothing to parse (an unchanged re-run) stops the server
    it started on leaving, killed: it may still be loading the readers, and it would outlive the
    run by that second."""

    def __init__(self, wanted: bool) -> None:
        self.used = False
        self._started = wanted and _start_forkserver()

    def __enter__(self) -> WorkerServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._started and not self.used:
            _stop_forkserver()


def _start_forkserver() -> bool:
    """Start multiprocessing's forkserver if workers come from one and it is not running: whether
    this call started it."""
    if worker_context().get_start_method() != "forkserver":
        return False
    from multiprocessing import forkserver

    running = getattr(forkserver._forkserver, "_forkserver_pid", None) is not None
    forkserver.ensure_running()
    return not running


def _stop_forkserver() -> None:
    from multiprocessing import forkserver

    server = forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server._stop()  # type: ignore[attr-defined]  # closes its pipe, reaps it, removes its socket


def iter_results(
    paths: list[str], options: IngestOptions, stopping: Callable[[], bool] = lambda: False
) -> Iterator[FileResult]:
    """Parse files in worker processes, each with a time limit; yield results as they finish.

    `stopping()` is asked every half second: when it says so the workers are stopped and no
    more results come. (A signal handler that raised inside the queues' code could leave their
    locks and feeder threads hung, so a stop is a flag this loop reads, never an exception.)
    """
    if not paths:  # an unchanged re-run: no worker to start, no reader to import
        return
    workers = options.workers or os.cpu_count() or 1
    workers = min(workers, len(paths))
    if workers <= 1 and options.workers == 1:
        yield from _in_process(paths, options, stopping)
        return
    pool = _Pool(paths, options, workers)
    checked = time.monotonic()
    try:
        while len(pool.finished) < len(paths) and not stopping():
            try:
                message = pool.results.get(timeout=0.5)
            except queue.Empty:
                pass
            else:
                if (result := pool.received(*message)) is not None:
                    yield result
            pool.restart_exited()
            # Limits are checked twice a second even while the other worker's results stream in.
            if time.monotonic() - checked >= 0.5:
                checked = time.monotonic()
                yield from pool.over_limits()
    finally:
        _stop_workers(pool.slots.values(), finished=len(pool.finished) >= len(paths))


class _Pool:
    """The run's workers, the files waiting for one, and what each worker was given."""

    def __init__(self, paths: list[str], options: IngestOptions, workers: int) -> None:
        self.paths = paths
        self.options = options
        self.ctx = worker_context()
        self.results = self.ctx.Queue()
        self.pending = list(enumerate(paths))[::-1]
        self.slots: dict[int, _Slot] = {}
        self.extra: dict[int, float] = {}  # index -> seconds added to its limit for OCR'd pages
        self.finished: set[int] = set()
        self.ocr_threads = max(1, (os.cpu_count() or 1) // max(workers, 1))
        for slot in range(max(workers, 1)):
            self.start(slot)

    def start(self, slot: int) -> None:
        tasks = self.ctx.Queue()
        proc = self.ctx.Process(
            target=_worker, args=(tasks, self.results, self.options, self.ocr_threads, os.getpid())
        )
        proc.start()
        self.slots[slot] = _Slot(proc, tasks)
        self.feed(self.slots[slot])

    def feed(self, s: _Slot) -> None:
        ahead = TASKS_AHEAD_FAST if s.fast else TASKS_AHEAD
        while len(s.given) < ahead and not s.recycling:
            if self.pending and s.served >= self.options.recycle_after:
                # Recycled: a fresh fork gives back whatever a long run's parsers left allocated.
                # The old worker finishes what it was given and exits; its slot starts again once
                # it has (restart_exited): joining it here held up the loop that feeds the other
                # worker, and starting the new one at once held three workers' memory.
                s.tasks.put(None)
                s.recycling = True
            elif self.pending:
                index, path = self.pending.pop()
                s.tasks.put((index, path))
                s.served += 1
                if not s.given:
                    s.started = time.monotonic()
                s.given.append(index)
            else:
                return

    def restart_exited(self) -> None:
        for slot, s in list(self.slots.items()):
            if s.recycling and not s.given and not s.proc.is_alive():  # is_alive reaps it
                self.start(slot)

    def came_back(self, index: int) -> None:
        for s in self.slots.values():
            if index in s.given:  # the oldest, but for a file read back from a dead worker's pipe
                s.given.remove(index)
                now = time.monotonic()
                s.fast, s.started = now - s.started < FAST_FILE_SECONDS, now
                self.feed(s)
                return

    def over_limits(self) -> Iterator[FileResult]:
        """Stop each worker past its file's time limit or dead; a failed row for that file."""
        now = time.monotonic()
        for slot, s in list(self.slots.items()):
            if not s.given:
                continue
            index = s.given[0]
            limit = self.options.timeout + self.extra.get(index, 0.0)
            if now - s.started <= limit and s.proc.is_alive():
                continue
            timed_out = s.proc.is_alive()
            s.proc.kill()
            s.proc.join()
            s.recycling = True  # fed no more; its slot starts again below
            yield from self.drained()
            if s.given:
                index = s.given.popleft()
                self.finished.add(index)
                path = self.paths[index]
                stage, why = death_of(s.proc.exitcode, timed_out, limit, self.options.max_memory_mb)
                yield failed_result(
                    path,
                    _safe_id(path, self.options.max_bytes),
                    _safe_size(path),
                    stage,
                    f"{shown_path(Path(path).name)}: {why}.",
                )
            # Files it was given but had not begun go back to the front of the line.
            self.pending.extend((i, self.paths[i]) for i in reversed(s.given))
            s.given.clear()
            self.start(slot)

    def received(self, index: int, message: FileResult | float) -> FileResult | None:
        """A worker's message taken in: a file's result (None when its worker was already given up
        on, and the file blamed), or the seconds its OCR'd pages add to the file's limit."""
        if not isinstance(message, FileResult):  # a worker says it is about to OCR some pages
            self.extra[index] = self.extra.get(index, 0.0) + float(message)
            return None
        if index in self.finished:
            return None
        self.finished.add(index)
        self.came_back(index)
        return message

    def drained(self) -> Iterator[FileResult]:
        """What workers sent and this loop has not read yet. A dead worker's messages are all
        in the pipe already: read first, a file it finished is not blamed for the crash of the
        one after it."""
        while True:
            try:
                message = self.results.get_nowait()
            except queue.Empty:
                return
            if (result := self.received(*message)) is not None:
                yield result


def _stop_workers(slots: Iterable[_Slot], finished: bool) -> None:
    """End every worker: idle ones of a finished run are asked to exit, any other is killed.

    Also when the consumer stops early (--strict): workers are not daemons, and one left waiting
    for a task would keep the interpreter from exiting."""
    for s in slots:
        if s.proc.is_alive():
            if not s.given and finished:
                s.tasks.put(None)
                s.proc.join(timeout=5)
            if s.proc.is_alive():
                s.proc.kill()
                s.proc.join()


def _in_process(
    paths: list[str], options: IngestOptions, stopping: Callable[[], bool]
) -> Iterator[FileResult]:
    from pipeline import parse

    for path in paths:
        if stopping():
            return
        yield parse.parse_file(path, options)


def _safe_id(path: str, max_bytes: int) -> str:
    """The doc_id of a file whose worker died: from its bytes when it is a regular file within
    --max-bytes (the parent must not load a huge file or block on a FIFO), else from its path."""
    try:
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode) and info.st_size <= max_bytes:
            return doc_id_of(Path(path).read_bytes())
    except OSError:
        pass
    return doc_id_of(os.fsencode(path))


def _safe_size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
