"""Parse on a dask.distributed cluster: the same parse_file, on the cluster's workers.

`tongbao ingest --engine dask [--scheduler tcp://HOST:PORT]`: without a scheduler a LocalCluster
of `--workers` processes (one thread each) is started and closed with the run. Each task is
`parse_file(path, options)` — the same code the local engine runs, so the records are the same —
and the results come back to this process, which writes them through the same store (write
protocol, incremental skipping, lock) — to a local folder or any fsspec URL (`--out
s3://bucket/prefix`: pipeline/output.py), so the workers need no access to the output. The workers read the files by their resolved paths, so
on a cluster the inputs must be on storage every worker mounts at the same path (an NFS or
Lustre share on HPC, a shared volume on Kubernetes).

At most `4 × workers` files are in flight, so a million-file archive does not become a million
futures in the scheduler. What the local engine's per-file time limit does (stop a worker that
hangs) is left to dask here: a task that hangs holds its worker until the run is stopped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from pipeline.options import IngestOptions, UsageError
from pipeline.results import FileResult


def parse_on_worker(path: str, options: IngestOptions) -> FileResult:
    """One file on a dask worker: OCR in the worker's own process with one thread (the
    cluster's worker count is the run's parallelism)."""
    from pipeline import parse
    from pipeline.ocr import set_ocr_budget

    set_ocr_budget(1, 1)
    result = parse.parse_file(path, options)
    result.pack()  # small and quick to unpickle for the one process that writes
    return result


def _client(options: IngestOptions) -> tuple[Any, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(
            "--engine dask needs dask.distributed: pip install 'tongbao[dask]' (or 'dask[distributed]')."
        ) from None
    if options.scheduler:
        try:
            return Client(options.scheduler, timeout="30s"), None
        except OSError as exc:
            raise UsageError(f"--scheduler {options.scheduler}: cannot connect ({exc}).") from None
    workers = options.workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def iter_results_dask(
    paths: list[str], options: IngestOptions, stopping: Callable[[], bool] = lambda: False
) -> Iterator[FileResult]:
    """Parse `paths` on a dask cluster; yield results as they finish (in any order), until
    `stopping()` says to stop (asked after each result)."""
    if not paths:
        return
    from dask.distributed import as_completed

    client, cluster = _client(options)
    try:
        window = 4 * max(len(client.scheduler_info().get("workers", {})), 1)
        todo = iter(paths)
        first = [client.submit(parse_on_worker, p, options, pure=False) for p in islice(todo, window)]
        running = as_completed(first)
        for future in running:
            result = future.result()
            future.release()
            following = None if stopping() else next(todo, None)
            if following is not None:
                running.add(client.submit(parse_on_worker, following, options, pure=False))
            yield result
            if stopping():
                return
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
