"""Worker processes: one OCR budget for the run (no OCR pool inside a worker), recycling."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from pathlib import Path

import pytest

import pipeline.parse as parse_module
import pipeline.workers as workers_module
from pipeline.ingest import IngestOptions, ingest, iter_results
from pipeline.workers import worker_context
from tests.test_resume import make_archive, tables_of


def _report_budget(path: str, options: IngestOptions, on_ocr=None):
    from pipeline import ocr

    message = f"{ocr._BUDGET_PROCESSES} {ocr._BUDGET_THREADS} {os.getpid()}"
    return parse_module.failed_result(path, "", 0, "extract", message)


def budgets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options) -> list[tuple[int, int, int]]:
    monkeypatch.setattr(parse_module, "parse_file", _report_budget)
    # The stand-in parser reaches workers forked from this process only, not a forkserver's.
    monkeypatch.setattr(workers_module, "worker_context", lambda *args: mp.get_context("fork"))
    files = sorted(str(p) for p in make_archive(tmp_path / "in").iterdir())
    found = [r.document.error for r in iter_results(files, IngestOptions(**options))]
    return [tuple(int(x) for x in e.split()) for e in found]


def test_each_worker_ocrs_in_its_own_process_within_the_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cores = os.cpu_count() or 1
    seen = budgets(tmp_path, monkeypatch, workers=2)
    assert {(p, t) for p, t, _ in seen} == {(1, max(1, cores // 2))}
    assert len({pid for *_, pid in seen}) == 2 and os.getpid() not in {pid for *_, pid in seen}
    # --workers 0: one worker per core, each with one OCR thread and no OCR pool of its own.
    assert {(p, t) for p, t, _ in budgets(tmp_path / "0", monkeypatch, workers=0)} == {(1, 1)}


def test_workers_are_replaced_after_recycle_after_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = budgets(tmp_path, monkeypatch, workers=2, recycle_after=2)
    assert len(seen) == 11
    pids = [pid for *_, pid in seen]
    assert max(pids.count(p) for p in set(pids)) <= 2 and len(set(pids)) >= 6


def test_a_run_long_enough_to_recycle_forks_its_workers_from_a_forkserver() -> None:
    assert worker_context(1001, 2, 500).get_start_method() == "forkserver"
    assert worker_context(1000, 2, 500).get_start_method() == "fork"


def test_workers_forked_from_the_forkserver_give_the_tables_of_one_worker(tmp_path: Path) -> None:
    folder = make_archive(tmp_path / "in")
    ingest([folder], IngestOptions(out=tmp_path / "one", workers=1))
    # 23 files, 2 workers recycled every 2: the forkserver's path, eleven workers in all.
    ingest([folder], IngestOptions(out=tmp_path / "two", workers=2, recycle_after=2))
    assert tables_of(tmp_path / "two") == tables_of(tmp_path / "one")


def _killed_on_bad(path: str, options: IngestOptions, on_ocr=None):
    if Path(path).name.startswith("bad"):
        os.kill(os.getpid(), signal.SIGKILL)
    return parse_module.failed_result(path, "", 0, "extract", f"parsed by {os.getpid()}")


def test_a_file_given_to_a_worker_that_dies_before_beginning_it_goes_to_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each worker is given two files at a time: the first worker gets bad.txt and a.txt.
    monkeypatch.setattr(parse_module, "parse_file", _killed_on_bad)
    monkeypatch.setattr(workers_module, "worker_context", lambda *args: mp.get_context("fork"))
    files = [tmp_path / name for name in ("bad.txt", "a.txt", "b.txt", "c.txt")]
    for f in files:
        f.write_text("x", encoding="utf-8")
    found = {
        Path(r.path).name: r.document for r in iter_results([str(f) for f in files], IngestOptions(workers=2))
    }
    assert sorted(found) == ["a.txt", "b.txt", "bad.txt", "c.txt"]
    assert found["bad.txt"].error_stage == "memory" and "killed (SIGKILL)" in found["bad.txt"].error
    assert all(found[n].error.startswith("parsed by") for n in ("a.txt", "b.txt", "c.txt"))
