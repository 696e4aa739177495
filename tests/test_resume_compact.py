"""Compaction: fewer files, the same rows, atomic under a crash at any step."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.compact import compact
from pipeline.ingest import IngestOptions, ingest
from pipeline.store import Store
from schemas import TABLES
from tests.test_resume import Crash, assert_consistent, crash_after, make_archive, tables_of


def small_files_archive(tmp_path: Path) -> tuple[Path, Path]:
    folder, out = make_archive(tmp_path / "in", copies=3), tmp_path / "out"
    ingest([folder], IngestOptions(out=out, workers=1, batch_size=1))
    return folder, out


def test_compact_merges_every_table_into_one_file_with_the_same_rows(tmp_path: Path) -> None:
    folder, out = small_files_archive(tmp_path)
    before = tables_of(out)
    assert len(list((out / "documents").glob("*.parquet"))) == 15
    result = CliRunner().invoke(app, ["compact", str(out)])
    assert result.exit_code == 0, result.output
    assert "15 → 1 file(s) per table" in result.output
    for table in TABLES:
        assert len(list((out / table).glob("*.parquet"))) == 1, table
    assert tables_of(out) == before
    assert_consistent(out)
    assert ingest([folder], IngestOptions(out=out, workers=1)).unchanged == 16  # the index reads it back


@pytest.mark.slow  # every step of a compaction crashed in turn: make test runs it, make test-fast does not
def test_a_crash_at_any_step_of_a_compaction_loses_and_duplicates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out = small_files_archive(tmp_path / "probe")
    expected = tables_of(out)
    with monkeypatch.context() as patch:
        steps = crash_after(patch, 10**9, mid_write=False)
        compact(out, 6)
    assert tables_of(out) == expected
    for n in range(0, steps[0], 7):
        _, out = small_files_archive(tmp_path / f"r{n}")
        with monkeypatch.context() as patch:
            crash_after(patch, n, mid_write=True)
            with pytest.raises(Crash):
                compact(out, 6)
        Store(out)
        assert_consistent(out)
        assert tables_of(out) == expected, n


def test_many_small_runs_are_compacted_by_ingest(tmp_path: Path) -> None:
    import pipeline.ingest as ingest_module

    folder, out = small_files_archive(tmp_path)
    files = sorted(folder.iterdir())
    for k, path in enumerate(files[:6]):
        path.write_bytes(path.read_bytes() + b"\n" * (k + 5))
    monkey = pytest.MonkeyPatch()
    monkey.setattr(ingest_module, "AUTO_COMPACT_FILES", 8)
    try:
        summary = ingest([folder], IngestOptions(out=out, workers=1, batch_size=1))
    finally:
        monkey.undo()
    assert summary.compacted == 1
    assert len(list((out / "documents").glob("*.parquet"))) == 1
    assert_consistent(out)
