"""A seeded slice of bench/fuzz.py in every `make test`: 300 mutated inputs, the run's promises held."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from fuzz import MUTATIONS, problems_of, run_fuzz, write_inputs


def test_the_generator_is_seeded_and_uses_every_mutation(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    made = write_inputs(tmp_path / "a", 120, seed=3)
    assert made == write_inputs(tmp_path / "b", 120, seed=3)
    assert set(made.values()) == set(MUTATIONS)
    for name in made:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.slow  # 300 mutated inputs through ingest: make test runs it, make test-fast does not
def test_a_seeded_slice_of_hostile_inputs_keeps_every_promise(tmp_path: Path) -> None:
    report = run_fuzz(300, seed=7, workers=2, folder=tmp_path, chunk=150, timeout=20)
    assert problems_of(report) == []
    # One row per input, except inputs whose bytes equal another's: one row per content (doc_id).
    assert report.documents_rows + report.rowless_duplicates == 300
    assert report.tracebacks == 0 and report.aborted_batches == 0
    assert report.peak_rss_mb <= 2048
