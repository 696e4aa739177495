"""Worker processes: one OCR budget for the run (no OCR pool inside a worker), recycling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline.parse as parse_module
from pipeline.ingest import IngestOptions, ingest, iter_results
from pipeline.workers import worker_context
from tests.test_resume import make_archive, tables_of

ROOT = Path(__file__).resolve().parent.parent


def _report_budget(path: str, options: IngestOptions, on_ocr=None):
    from pipeline import ocr

    message = f"{ocr._BUDGET_PROCESSES} {ocr._BUDGET_THREADS} {os.getpid()}"
    return parse_module.failed_result(path, "", 0, "extract", message)


def budgets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options) -> list[tuple[int, int, int]]:
    monkeypatch.setattr(parse_module, "parse_file", _report_budget)
    files = sorted(str(p) for p in make_archive(tmp_path / "in").iterdir())
    found = [r.document.error for r in iter_results(files, IngestOptions(**options))]
    return [tuple(int(x) for x in e.split()) for e in found]


@pytest.mark.usefixtures("forked_workers")
def test_each_worker_ocrs_in_its_own_process_within_the_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cores = os.cpu_count() or 1
    seen = budgets(tmp_path, monkeypatch, workers=2)
    assert {(p, t) for p, t, _ in seen} == {(1, max(1, cores // 2))}
    assert len({pid for *_, pid in seen}) == 2 and os.getpid() not in {pid for *_, pid in seen}
    # --workers 0: one worker per core, each with one OCR thread and no OCR pool of its own.
    assert {(p, t) for p, t, _ in budgets(tmp_path / "0", monkeypatch, workers=0)} == {(1, 1)}


@pytest.mark.usefixtures("forked_workers")
def test_workers_are_replaced_after_recycle_after_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = budgets(tmp_path, monkeypatch, workers=2, recycle_after=2)
    assert len(seen) == 11
    pids = [pid for *_, pid in seen]
    assert max(pids.count(p) for p in set(pids)) <= 2 and len(set(pids)) >= 6


PARENT_IMPORTS = """
import sys
from pathlib import Path
from pipeline.ingest import IngestOptions, ingest
s = ingest([Path(sys.argv[1])], IngestOptions(out=Path(sys.argv[2]), workers=2))
print(s.written > 0, sorted(m for m in sys.modules if m.startswith(("parsers.document", "parsers.readers.pdf"))))
"""


def test_workers_come_from_a_forkserver_and_the_parent_imports_no_parser(tmp_path: Path) -> None:
    assert worker_context().get_start_method() == "forkserver"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", PARENT_IMPORTS, str(make_archive(tmp_path / "in")), str(tmp_path / "out")]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "[]"], done.stdout + done.stderr


SERVER_AFTER = """
import sys
from multiprocessing import forkserver
from pathlib import Path
import psutil
import pipeline.ingest
from pipeline.ingest import IngestOptions, ingest
found = pipeline.ingest.discover_files
at_discovery = []
def discover_files(roots):
    at_discovery.append(forkserver._forkserver._forkserver_pid is not None)
    return found(roots)
pipeline.ingest.discover_files = discover_files
s = ingest([Path(sys.argv[1])], IngestOptions(out=Path(sys.argv[2]), workers=2))
running = forkserver._forkserver._forkserver_pid is not None
servers = [p for p in psutil.Process().children(recursive=True) if "forkserver" in " ".join(p.cmdline())]
print(s.written, s.unchanged, at_discovery, running, len(servers))
"""


def test_the_forkserver_starts_with_the_run_and_an_unchanged_rerun_stops_it(tmp_path: Path) -> None:
    # Started before the files are found (it loads the readers meanwhile); a run with nothing to
    # parse kills the server it started instead of leaving it loading after the run.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", SERVER_AFTER, str(make_archive(tmp_path / "in")), str(tmp_path / "out")]
    first = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    written, unchanged, at_discovery, running, _ = first.stdout.split()
    assert int(written) > 0 and unchanged == "0", first.stdout + first.stderr
    assert (at_discovery, running) == ("[True]", "True"), first.stdout + first.stderr
    again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert again.stdout.split() == ["0", written, "[True]", "False", "0"], again.stdout + again.stderr


SCRIPT = """
import sys
from pathlib import Path
from pipeline.ingest import IngestOptions, ingest
from pipeline.workers import worker_context
s = ingest([Path(sys.argv[1])], IngestOptions(out=Path(sys.argv[2]), workers=2, recycle_after=3))
print(worker_context().get_start_method(), s.written > 0)
"""


@pytest.mark.parametrize(
    ("guarded", "method"), [(False, "fork"), (True, "forkserver")], ids=["unguarded", "guarded"]
)
def test_a_users_script_runs_its_ingest_once_guarded_or_not(
    tmp_path: Path, guarded: bool, method: str
) -> None:
    # The forkserver imports the main script again: one without the __main__ guard would start
    # its ingest again in the server, so its workers are forked from it instead.
    body = (
        SCRIPT
        if not guarded
        else "def main():\n" + SCRIPT.replace("\n", "\n    ") + "\nif __name__ == '__main__':\n    main()\n"
    )
    script = tmp_path / "run.py"
    script.write_text(body, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(script), str(make_archive(tmp_path / "in")), str(tmp_path / "out")]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == [method, "True"], done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr


def test_forkserver_workers_recycled_give_the_tables_of_one_worker(tmp_path: Path) -> None:
    folder = make_archive(tmp_path / "in")
    ingest([folder], IngestOptions(out=tmp_path / "one", workers=1))
    # 23 files, 2 workers recycled every 2: eleven workers in all.
    ingest([folder], IngestOptions(out=tmp_path / "two", workers=2, recycle_after=2))
    assert tables_of(tmp_path / "two") == tables_of(tmp_path / "one")


def _killed_on_bad(path: str, options: IngestOptions, on_ocr=None):
    if Path(path).name.startswith("bad"):
        os.kill(os.getpid(), signal.SIGKILL)
    return parse_module.failed_result(path, "", 0, "extract", f"parsed by {os.getpid()}")


@pytest.mark.usefixtures("forked_workers")
def test_a_file_given_to_a_worker_that_dies_before_beginning_it_goes_to_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each worker is given two files at a time: the first worker gets bad.txt and a.txt.
    monkeypatch.setattr(parse_module, "parse_file", _killed_on_bad)
    files = [tmp_path / name for name in ("bad.txt", "a.txt", "b.txt", "c.txt")]
    for f in files:
        f.write_text("x", encoding="utf-8")
    found = {
        Path(r.path).name: r.document for r in iter_results([str(f) for f in files], IngestOptions(workers=2))
    }
    assert sorted(found) == ["a.txt", "b.txt", "bad.txt", "c.txt"]
    assert found["bad.txt"].error_stage == "memory" and "killed (SIGKILL)" in found["bad.txt"].error
    assert all(found[n].error.startswith("parsed by") for n in ("a.txt", "b.txt", "c.txt"))
