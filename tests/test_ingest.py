"""Ingest as a batch: hostile PDFs, the per-file time limit, a crashing parser, password, OCR modes."""

from __future__ import annotations

import os
import subprocess
import sys
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
        (_crashing_extract, "crash", "the worker stopped with exit code 3 while parsing it"),
    ],
)
@pytest.mark.usefixtures("forked_workers")
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


@pytest.mark.usefixtures("forked_workers")
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


def test_a_circular_with_no_readable_results_is_kept_with_its_metadata(tmp_path: Path) -> None:
    # field-survey.md §7: a circular whose results are in a shape tongbao cannot read yet.
    text = (
        "某县人民政府办公室\n\n某政办〔2024〕7号\n\n关于2024年第一季度环境整治暗访情况的通报\n\n"
        "各乡镇人民政府：\n\n现将暗访结果通报如下，请各地认真整改。\n\n某县人民政府办公室\n\n2024年4月8日\n"
    )
    path = tmp_path / "unread.txt"
    path.write_text(text, encoding="utf-8")
    result = parse_file(str(path), IngestOptions(workers=1))
    doc = result.document
    assert (doc.status, doc.doc_number, doc.title) == (
        "ok",
        "某政办〔2024〕7号",
        "关于2024年第一季度环境整治暗访情况的通报",
    )
    (finding,) = result.records["findings"]
    assert (finding.check, finding.severity) == ("no_results", "warning")
    assert finding.message == (
        "read as a circular (a title with 通报/通知, a document number, an issuer), but no score, ranking "
        "or deduction was read: no block of it looked like results. Its metadata is kept."
    )


def test_assessment_words_with_results_are_enough_to_keep_a_text() -> None:
    from parsers.document import circular_marks, parse_document

    ex = parse_document("本次督查共检查8个乡镇。\n东岭村得分较高。\n".encode(), "note.txt")
    assert circular_marks(ex) == ["assessment words with results"]
    assert (
        circular_marks(parse_document((FIXTURES / "text" / "not_a_circular.txt").read_bytes(), "n.txt")) == []
    )


def test_an_ingesting_process_gives_arrow_the_c_heap_unless_told_otherwise() -> None:
    # The end-of-run compaction's reads left pages in Arrow's own allocator (issue 13): the pool
    # has to be chosen before pyarrow loads, so a fresh interpreter shows it.
    code = "import pipeline.ingest, pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    chosen = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert chosen.stdout.strip() == "system"
    env["ARROW_DEFAULT_MEMORY_POOL"] = "mimalloc"
    kept = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert kept.stdout.strip() == "mimalloc"
