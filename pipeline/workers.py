"""Parse files in worker processes, each file with a time limit.

One file that makes a parser hang or crash costs that file only: its worker is stopped
and replaced, and the file gets a failed row saying why. Workers are forked, so a
worker costs no re-import.

Process lifecycle: every worker (and any OCR pool process) asks the kernel to kill it when its
parent dies (PR_SET_PDEATHSIG), so a kill -9 of the ingest leaves nothing running; workers
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
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipeline import parse  # looked up at call time, so a test can stand in for the parser
from pipeline.lifecycle import end_with_parent
from pipeline.options import DEFAULT_OCR_SECONDS_PER_PAGE, IngestOptions
from pipeline.parse import FileResult, doc_id_of, failed_result, shown_path


def cap_memory(megabytes: int) -> None:
    """Let this process's address space grow by at most `megabytes` from here.

    An allocation past it raises MemoryError inside the parser (parse_file turns that into the
    file's row) instead of the machine swapping or the kernel's out-of-memory killer choosing a
    process. The ceiling counts from the worker's size when it starts: a forked worker already
    maps the parent's libraries (pyarrow, the OCR engine), which differ from machine to machine.
    """
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # not on POSIX: the time limit still holds
        return
    ceiling = _address_space() + megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def _address_space() -> int:
    """This process's virtual size in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
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


def _worker(tasks: Any, results: Any, options: IngestOptions, ocr_threads: int) -> None:
    end_with_parent()
    # Everything inherited from the parent (its batches of rows waiting to be written, its index)
    # is put out of this process's garbage collector's sight: a collection writes to every object
    # it examines, which copied the parent's pages into each worker forked late in a long run
    # (per-process PSS at 10,000 files: 76–81 MiB for the first workers, 130–176 MiB for later
    # ones). Frozen here, in the child, the parent's own collections are untouched.
    gc.freeze()
    cap_memory(options.max_memory_mb)
    from pipeline.ocr import set_ocr_budget

    set_ocr_budget(1, ocr_threads)
    while True:
        task = tasks.get()
        if task is None:
            return
        index, path = task

        def extend(pages: int, index: int = index) -> None:
            results.put((index, pages * DEFAULT_OCR_SECONDS_PER_PAGE))

        result = parse.parse_file(path, options, extend)
        result.pack()  # small and quick to unpickle: the parent's CPU caps what workers gain
        results.put((index, result))


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
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    _preload_readers(ctx)
    results = ctx.Queue()
    pending = list(enumerate(paths))[::-1]
    running: dict[int, tuple[Any, Any, int | None, float]] = {}  # slot -> (process, task queue, index, start)
    extra: dict[int, float] = {}  # index -> seconds added to its limit for OCR'd pages
    served: dict[int, int] = {}  # slot -> files its current process was given
    recycling: set[int] = set()  # slots whose worker was told to exit, to start again once it has
    ocr_threads = max(1, (os.cpu_count() or 1) // max(workers, 1))

    def start(slot: int) -> None:
        tasks = ctx.Queue()
        proc = ctx.Process(target=_worker, args=(tasks, results, options, ocr_threads))
        proc.start()
        running[slot] = (proc, tasks, None, 0.0)
        served[slot] = 0

    def feed(slot: int) -> None:
        proc, tasks, _, _ = running[slot]
        if pending and served[slot] >= options.recycle_after:
            # Recycled: a fresh fork gives back whatever a long run's parsers left allocated. The
            # old worker is told to exit and its slot starts again once it has (restart_exited):
            # joining it here held up the loop that feeds the other worker, 20 times in a
            # 10,000-file run, and starting the new one at once held three workers' memory.
            tasks.put(None)
            running[slot] = (proc, tasks, None, 0.0)
            recycling.add(slot)
            return
        if pending:
            served[slot] += 1
            index, path = pending.pop()
            tasks.put((index, path))
            running[slot] = (proc, tasks, index, time.monotonic())
        else:
            tasks.put(None)
            running[slot] = (proc, tasks, None, 0.0)

    def restart_exited() -> None:
        for slot in [slot for slot in recycling if not running[slot][0].is_alive()]:  # reaps it
            recycling.discard(slot)
            start(slot)
            feed(slot)

    for slot in range(max(workers, 1)):
        start(slot)
        feed(slot)
    try:
        done = 0
        while done < len(paths) and not stopping():
            try:
                index, result = results.get(timeout=0.5)
            except queue.Empty:
                restart_exited()
                now = time.monotonic()
                for slot, (proc, _tasks, index, started) in list(running.items()):
                    if index is None:
                        continue
                    limit = options.timeout + extra.get(index, 0.0)
                    if now - started > limit or not proc.is_alive():
                        timed_out = proc.is_alive()
                        proc.kill()
                        proc.join()
                        path = paths[index]
                        stage, why = death_of(proc.exitcode, timed_out, limit, options.max_memory_mb)
                        yield failed_result(
                            path,
                            _safe_id(path, options.max_bytes),
                            _safe_size(path),
                            stage,
                            f"{shown_path(Path(path).name)}: {why}.",
                        )
                        done += 1
                        start(slot)
                        feed(slot)
                continue
            if not isinstance(result, FileResult):  # a worker says it is about to OCR some pages
                extra[index] = extra.get(index, 0.0) + float(result)
                continue
            done += 1
            restart_exited()
            for slot, (_proc, _tasks, running_index, _started) in running.items():
                if running_index == index:
                    feed(slot)
                    break
            yield result
    finally:
        _stop_workers(running, finished=done >= len(paths))


def _stop_workers(running: dict[int, tuple[Any, Any, int | None, float]], finished: bool) -> None:
    """End every worker: idle ones of a finished run are asked to exit, any other is killed.

    Also when the consumer stops early (--strict): workers are not daemons, and one left waiting
    for a task would keep the interpreter from exiting."""
    for proc, tasks, index, _ in running.values():
        if proc.is_alive():
            if index is None and finished:
                tasks.put(None)
                proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()


def _in_process(
    paths: list[str], options: IngestOptions, stopping: Callable[[], bool]
) -> Iterator[FileResult]:
    for path in paths:
        if stopping():
            return
        yield parse.parse_file(path, options)


def _preload_readers(ctx: Any) -> None:
    """Import the text-layer readers and load the gazetteer once in the parent, so every forked
    (and recycled) worker starts warm instead of paying them on its first file (OCR stays lazy:
    it is heavy and only scans need it)."""
    import importlib

    if ctx.get_start_method() != "fork":
        return
    for name in (
        "parsers.readers.text",
        "parsers.readers.html",
        "parsers.readers.docx",
        "parsers.readers.pdf",
    ):
        importlib.import_module(name)
    for name in ("docx", "selectolax.lexbor", "pypdfium2"):
        try:
            importlib.import_module(name)
        except ImportError:  # an optional reader not installed: its files say so when met
            pass
    # The county gazetteer (cpca, with pandas: ~0.4 s and 60 MiB) and the traditional-character
    # converter load on first use: once here rather than in every worker and every recycled one
    # (a worker's first files cost ~1 s of CPU more than the rest without this).
    from parsers.traditional import to_simplified
    from pipeline.gazetteer import adcode_of

    to_simplified("國")
    adcode_of("浉河区", "信阳市人民政府")


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
