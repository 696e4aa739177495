"""Visible progress: a bar on a terminal, plain periodic lines in a log."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from pipeline.ingest import IngestOptions, ingest
from pipeline.progress import IngestProgress
from tests.test_resume import make_archive


def run(tmp_path: Path, terminal: bool) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=terminal, width=120)
    with IngestProgress(console, every=0.0) as bar:
        ingest(
            [make_archive(tmp_path / "in")],
            IngestOptions(out=tmp_path / "out", workers=1),
            bar.advance,
            on_plan=bar.start,
        )
    return buffer.getvalue()


def test_a_log_gets_plain_lines_with_count_rate_eta_and_pages(tmp_path: Path) -> None:
    text = run(tmp_path, terminal=False)
    assert "progress: 11/11 files" in text and "files/s, ETA 0 s, 0 pages OCR'd" in text
    assert "\x1b[" not in text


def test_a_terminal_gets_a_bar_and_a_rerun_says_what_it_skipped(tmp_path: Path) -> None:
    text = run(tmp_path, terminal=True)
    assert "parsing" in text and "11/11" in text and "files/s" in text and "pages OCR'd" in text
    again = run(tmp_path, terminal=False)
    assert "11 file(s) already in the output and unchanged: skipped." in again
