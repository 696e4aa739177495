"""Visible progress: a bar on a terminal, plain periodic lines in a log."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
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


def test_check_says_which_page_it_is_ocring_before_each_page() -> None:
    # Blank pages skip detection (no engine is loaded), so the real per-page hook runs fast.
    import numpy as np

    from pipeline.ocr import ocr_page_image
    from pipeline.progress import OcrPages

    buffer = io.StringIO()
    with OcrPages(Console(file=buffer, force_terminal=False, width=120)) as pages:
        pages.coming(3)
        for page in (1, 2, 3):
            ocr_page_image(np.full((200, 150), 255, np.uint8), page=page)
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "OCR: page 1 (1 of 3)"
    assert lines[2].startswith("OCR: page 3 (3 of 3); the last took ")
    import pipeline.ocr

    assert pipeline.ocr.PAGE_LISTENER is None  # a later parse in the process prints nothing


@pytest.mark.slow
def test_the_check_command_on_a_scan_names_the_page_it_ocrs() -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    scan = Path(__file__).parent / "fixtures" / "ocr" / "hard_skewed_3deg.png"
    result = CliRunner().invoke(app, ["check", str(scan)])
    assert "OCR: page 1 (1 of 1)" in result.output
