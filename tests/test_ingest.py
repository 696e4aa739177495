"""Ingest as a batch: hostile PDFs, the per-file time limit, a crashing parser, password, OCR modes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

import pipeline.parse as parse_module
import pipeline.workers as workers_module
from pipeline.ingest import IngestOptions, ingest, iter_results, parse_file
from tests.conftest import FIXTURES

PDF = FIXTURES / "pdf"


def documents(out: Path) -> dict[str, dict]:
    docs = pd.read_parquet(out / "documents")
    return {Path(row["source_path"]).name: row for row in docs.to_dict("records")}


def test_hostile_pdfs_fail_alone_with_clear_messages(tmp_path: Path) -> None:
    files = [
        PDF / name for name in ("encrypted.pdf", "truncated.pdf", "not_a_pdf.pdf", "fake_bold_title.pdf")
    ]
    summary = ingest(files, IngestOptions(out=tmp_path, workers=2, ocr="never"))
    assert (summary.files, summary.failed) == (4, 2)
    docs = documents(tmp_path)
    assert "pass its password with --password" in docs["encrypted.pdf"]["error"]
    assert "damaged or truncated" in docs["truncated.pdf"]["error"]
    # A web page saved under a .pdf name is read as the web page it is, and says so.
    page = docs["not_a_pdf.pdf"]
    assert (page["status"], page["source_format"]) == ("ok", "html")
    assert "not_a_pdf.pdf: named .pdf, but the bytes are a web page; read as a web page." in page["warnings"]
    assert docs["fake_bold_title.pdf"]["status"] == "ok"


def test_password_opens_the_encrypted_pdf() -> None:
    result = parse_file(str(PDF / "encrypted.pdf"), IngestOptions(password="tongbao", workers=1, ocr="never"))
    assert result.document.status == "ok", result.document.error
    wrong = parse_file(str(PDF / "encrypted.pdf"), IngestOptions(password="nope", workers=1, ocr="never"))
    assert "password" in (wrong.document.error or "") and wrong.document.status == "failed"


def test_garbage_page_left_unread_is_partial_with_ocr_never() -> None:
    result = parse_file(str(PDF / "garbage_text_layer.pdf"), IngestOptions(workers=1, ocr="never"))
    assert result.document.status == "partial"
    assert result.document.pages_needing_ocr


def _slow_extract(read):  # stands in for a parser that hangs
    time.sleep(30)


def _crashing_extract(read):  # stands in for a parser that kills its process
    os._exit(3)


@pytest.mark.parametrize(
    ("replacement", "stage", "words"),
    [
        (_slow_extract, "timeout", "took longer than 1 s and was stopped"),
        (_crashing_extract, "extract", "the parser crashed (exit code 3)"),
    ],
)
def test_a_file_that_hangs_or_crashes_costs_only_itself(
    monkeypatch: pytest.MonkeyPatch, replacement, stage: str, words: str
) -> None:
    good = str(FIXTURES / "text" / "utf8_bom.txt")
    bad = str(FIXTURES / "text" / "gb18030.txt")
    original = parse_module.extract_document

    def pick(read):
        # Workers are forked, so this patch reaches them; only the GB18030 file misbehaves.
        return replacement(read) if read.encoding == "gb18030" else original(read)

    monkeypatch.setattr(parse_module, "extract_document", pick)
    began = time.monotonic()
    results = {
        Path(r.path).name: r.document for r in iter_results([bad, good], IngestOptions(timeout=1, workers=2))
    }
    assert time.monotonic() - began < 20
    assert results["utf8_bom.txt"].status == "ok"
    assert (results["gb18030.txt"].status, results["gb18030.txt"].error_stage) == ("failed", stage)
    assert words in results["gb18030.txt"].error


def test_ocr_pages_extend_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    original = parse_module.read_with_ocr

    def slow_ocr(data, name, options, on_ocr=None, detection=None):  # OCR of 2 pages taking 2 s
        on_ocr(2)
        time.sleep(2)
        return original(data, name, options, detection=detection)

    monkeypatch.setattr(parse_module, "read_with_ocr", slow_ocr)
    monkeypatch.setattr(workers_module, "DEFAULT_OCR_SECONDS_PER_PAGE", 5.0)
    results = list(
        iter_results([str(FIXTURES / "text" / "utf8_bom.txt")], IngestOptions(timeout=1, workers=2))
    )
    assert results[0].document.status == "ok", results[0].document.error


def test_strict_stops_at_the_first_failure_and_leaves_no_worker_behind(tmp_path: Path) -> None:
    import multiprocessing

    files = [
        FIXTURES / "text" / "empty.txt",
        FIXTURES / "text" / "utf8_bom.txt",
        FIXTURES / "text" / "gb18030.txt",
    ]
    summary = ingest(files, IngestOptions(out=tmp_path, workers=2, strict=True))
    assert summary.failed == 1  # it stopped there (the others may or may not have finished first)
    assert documents(tmp_path)["empty.txt"]["status"] == "failed"
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert multiprocessing.active_children() == []
