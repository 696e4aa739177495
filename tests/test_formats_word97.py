"""Word 97-2003 .doc and WPS .wps through LibreOffice; a clear failure without it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parsers.document import extract_document
from parsers.model import DamagedInput, UnsupportedInput
from parsers.readers.word97 import ConverterMissing, read_word97
from pipeline.parse import build_result, doc_id_of
from pipeline.store import Store
from tests.fixtures.formats.make_formats import word97_from_docx
from tests.formats_scoring import assert_perfect, gold_beside, real_source, score_figures

# Slow (LibreOffice conversions): part of make test, left out of make test-fast.
pytestmark = pytest.mark.slow

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)


@pytest.fixture(scope="module")
def real_doc(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The real circular's .docx saved as Word 97 by LibreOffice, once for the module."""
    folder = tmp_path_factory.mktemp("word97")
    source = folder / "xinyang-2022-07.docx"
    shutil.copy(real_source(".docx"), source)
    return word97_from_docx(source, folder).read_bytes()


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_real_circular_as_word97_scores_one_on_every_figure(
    tmp_path: Path, suffix: str, real_doc: bytes
) -> None:
    path = tmp_path / f"xinyang-2022-07{suffix}"
    path.write_bytes(real_doc)
    data = path.read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    read = read_word97(data, path.name)
    assert read.source_format == suffix.lstrip(".")
    result = build_result(extract_document(read), doc_id_of(data), str(path), len(data))
    Store(tmp_path / "out").write_batch(result.records)
    assert_perfect(score_figures(tmp_path / "out", gold_beside(tmp_path, path.name)))


@needs_soffice
@pytest.mark.parametrize("suffix", [".rtf", ".odt"])
def test_rtf_and_odt_take_the_same_road(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "src" / "xinyang-2022-07.docx"
    source.parent.mkdir()
    shutil.copy(real_source(".docx"), source)
    path = word97_from_docx(source, tmp_path, suffix)
    data = path.read_bytes()
    read = read_word97(data, path.name)
    assert read.source_format == suffix.lstrip(".")
    result = build_result(extract_document(read), doc_id_of(data), str(path), len(data))
    Store(tmp_path / "out").write_batch(result.records)
    assert_perfect(score_figures(tmp_path / "out", gold_beside(tmp_path, path.name)))


@needs_soffice
def test_truncated_doc_fails_with_the_converters_word() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)
    with pytest.raises(DamagedInput, match=r"cut\.doc: LibreOffice could not convert the document"):
        read_word97(ole, "cut.doc")


def test_without_soffice_the_row_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    with pytest.raises(ConverterMissing, match="apt-get install libreoffice-writer-nogui"):
        read_word97(ole, "通报.doc")


def test_a_hung_conversion_is_killed_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nexec {shutil.which('sleep')} 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    with pytest.raises(DamagedInput, match=r"did not convert the document within 1 s"):
        read_word97(ole, "慢.doc", timeout=1)


def test_magic_bytes_win_over_the_doc_suffix(tmp_path: Path) -> None:
    html = "<html><body><p>关于2022年考核情况的通报</p></body></html>".encode()
    read = read_word97(html, "导出.doc")
    assert read.source_format == "html" and "HTML page under the name .doc" in read.warnings[0]
    docx = real_source(".docx").read_bytes()
    read = read_word97(docx, "新.doc")
    assert read.source_format == "docx" and read.lines
    with pytest.raises(
        UnsupportedInput, match=r"is not a Word 97-2003 or WPS document \(it looks like a PDF"
    ):
        read_word97(b"%PDF-1.5\n", "x.doc")


@needs_soffice
def test_a_doc_named_docx_is_converted_not_read_back_as_itself(real_doc: bytes) -> None:
    # The converted file once landed on the input's own path (input.docx), so the .doc's bytes
    # came back as the "converted" .docx.
    read = read_word97(real_doc, "通报.docx")
    assert read.source_format == "doc" and any("十五条硬措施" in ln.text for ln in read.lines)
