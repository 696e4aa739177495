"""Stopping an ingest from outside: kill -9 of the parent, SIGINT, SIGTERM. No child process
survives its parent, what finished is kept, and a re-run gives the tables of a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline.ingest import IngestOptions, ingest
from tests.test_resume import assert_consistent, make_archive, tables_of

# Slow (ingests killed and re-run in subprocesses): part of make test, left out of make test-fast.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CLI = """
import sys
from pipeline.cli import app
sys.argv = ["tongbao", "ingest", *sys.argv[1:]]
app()
"""


def start_slow_ingest(folder: Path, out: Path, *more: str) -> subprocess.Popen[str]:
    """The CLI with its parser slowed to 0.3 s a file (tests/slow_parser), in the background."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests' / 'slow_parser'}",
        "TONGBAO_TEST_RUN": str(out),  # inherited by every process of the run: how they are found
    }
    args = [str(folder), "--out", str(out), "--workers", "2", "--batch-size", "2", *more]
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def children_once_written(proc: subprocess.Popen[str], out: Path) -> list[psutil.Process]:
    """The parent's children, once it has some and has written a batch."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kids = psutil.Process(proc.pid).children(recursive=True)
        if len(kids) >= 2 and list((out / "documents").glob("part-*.parquet")):
            return kids
        assert proc.poll() is None, proc.communicate()[0]
        time.sleep(0.05)
    raise AssertionError("the ingest wrote nothing in 60 s")


def assert_all_ended(kids: list[psutil.Process], out: Path) -> None:
    """Neither the children seen nor any process started later by the run (a recycled worker,
    a forkserver's child: found by the mark in their environment) is still running."""
    deadline = time.monotonic() + 10
    alive = kids
    while time.monotonic() < deadline:
        alive = [k for k in [*kids, *_of_run(out)] if _running(k)]
        if not alive:
            return
        time.sleep(0.1)
    raise AssertionError(f"still running after their parent ended: {alive}")


def _of_run(out: Path) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter():
        try:
            if p.environ().get("TONGBAO_TEST_RUN") == str(out):
                found.append(p)
        except psutil.Error:
            pass
    return found


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    base = tmp_path_factory.mktemp("clean")
    ingest([make_archive(base / "in", copies=4)], IngestOptions(out=base / "out", workers=1))
    return tables_of(base / "out")


@pytest.mark.parametrize(
    ("sig", "recycle"),
    [
        (signal.SIGKILL, "500"),
        (signal.SIGINT, "500"),
        (signal.SIGTERM, "500"),
        # Recycled every 3 files: the forkserver forks new workers all through the run.
        (signal.SIGKILL, "3"),
        (signal.SIGINT, "3"),
    ],
    ids=["kill9", "int", "term", "kill9-recycling", "int-recycling"],
)
def test_a_stopped_ingest_leaves_no_process_and_a_rerun_equals_a_clean_run(
    tmp_path: Path, clean: dict[str, list[str]], sig: signal.Signals, recycle: str
) -> None:
    folder, out = make_archive(tmp_path / "in", copies=4), tmp_path / "out"
    proc = start_slow_ingest(folder, out, "--recycle-after", recycle)
    kids = children_once_written(proc, out)
    os.kill(proc.pid, sig)
    output, _ = proc.communicate(timeout=60)
    assert_all_ended(kids, out)
    if sig != signal.SIGKILL:
        assert proc.returncode == 130, output
        flat = " ".join(output.split())
        assert "stopped:" in flat and "Run the same command again to go on" in flat, output
        assert "Traceback" not in output
        assert_consistent(out)  # a clean stop needs no recovery
    summary = ingest([folder], IngestOptions(out=out, workers=2))
    assert summary.unchanged > 0
    assert_consistent(out)
    assert tables_of(out) == clean
