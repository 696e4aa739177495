"""Worker processes: one OCR budget for the run (no OCR pool inside a worker), recycling."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pipeline.parse as parse_module
from pipeline.ingest import IngestOptions, iter_results
from tests.test_resume import make_archive


def _report_budget(path: str, options: IngestOptions, on_ocr=None):
    from pipeline import ocr

    message = f"{ocr._BUDGET_PROCESSES} {ocr._BUDGET_THREADS} {os.getpid()}"
    return parse_module.failed_result(path, "", 0, "extract", message)


def budgets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options) -> list[tuple[int, int, int]]:
    monkeypatch.setattr(parse_module, "parse_file", _report_budget)  # workers are forked: it reaches them
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
