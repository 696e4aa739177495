"""One table of formats: the bytes name a file before its suffix; nothing found is left out unsaid."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from typer.testing import CliRunner

from parsers.document import parse_document, read_document
from parsers.formats import FORMATS, IMAGE_SUFFIXES, READ_SUFFIXES, detect_format
from parsers.model import EncryptedInput, UnsupportedInput
from pipeline.cli import app
from pipeline.ingest import IngestOptions, UsageError, discover, ingest, parse_file
from tests.conftest import FIXTURES

DOCX = FIXTURES / "docx" / "interleaved-paragraphs-table.docx"
PDF = FIXTURES / "pdf" / "merged_cells.pdf"
CIRCULAR = FIXTURES / "text" / "utf8_bom.txt"


def zip_with(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<x/>")
    return buffer.getvalue()


def ole_with(stream: str) -> bytes:
    # The first sector of an OLE2 compound file and one directory entry naming a stream.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le") + bytes(64)


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format=kind)
    return buffer.getvalue()


def test_every_suffix_names_one_format_and_ocr_reads_the_tables_images() -> None:
    suffixes = [s for f in FORMATS for s in f.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert {".txt", ".md", ".pdf", ".docx", ".html", ".png", ".bmp", ".webp"} <= set(READ_SUFFIXES)
    from pipeline import ocr

    assert ocr.IMAGE_SUFFIXES is IMAGE_SUFFIXES and ".bmp" in IMAGE_SUFFIXES
    assert all(f.advice for f in FORMATS if not f.readable)


@pytest.mark.parametrize(
    ("data", "name", "fmt", "note"),
    [
        (DOCX.read_bytes(), "circular.doc", "docx", "named .doc, but the bytes are a Word document (.docx)"),
        (PDF.read_bytes(), "circular.html", "pdf", "named .html, but the bytes are a PDF"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "page.pdf", "html", "named .pdf"),
        (image_bytes("PNG"), "scan.txt", "image", "named .txt, but the bytes are an image"),
        (image_bytes("BMP"), "scan.bmp", "image", None),
        (image_bytes("WEBP"), "scan.webp", "image", None),
        (image_bytes("GIF"), "scan.gif", "image", None),
        (b"BMW 3 series\n", "notes.txt", "txt", None),  # "BM" alone is not a bitmap
        (b"bm gif87a rar!\n", "notes.txt", "txt", None),  # binary signatures are not matched in any case
        (b"\xef\xbb\xbf  <HTML><body>x</body></HTML>", "page.txt", "html", "named .txt"),
        (zip_with("xl/workbook.xml"), "scores.docx", "spreadsheet", "named .docx"),
        (zip_with("OFD.xml", "Doc_0/Document.xml"), "circular.ofd", "ofd", None),
        (zip_with("a.txt"), "batch.zip", "archive", None),
        (
            zip_with("a.txt"),
            "circular.docx",
            "docx",
            None,
        ),  # a ZIP without word/document.xml: the DOCX reader says so
        (ole_with("WordDocument"), "circular.wps", "doc", None),
        (ole_with("Workbook"), "scores.xls", "spreadsheet", None),
        (ole_with("EncryptedPackage"), "locked.docx", "docx", None),  # an encrypted .docx
        (b"Rar!\x1a\x07\x00rest", "batch.rar", "archive", None),
    ],
)
def test_the_bytes_name_the_format_before_the_suffix(
    data: bytes, name: str, fmt: str, note: str | None
) -> None:
    found = detect_format(data, name)
    assert found.format is not None and found.format.name == fmt
    assert (found.note is None) == (note is None)
    if note is not None:
        assert note in (found.note or "")


def test_a_docx_named_doc_is_read_and_says_so() -> None:
    ex = parse_document(DOCX.read_bytes(), "circular.doc")
    assert ex.read.source_format == "docx"
    assert ex.read.warnings[-1] == (
        "circular.doc: named .doc, but the bytes are a Word document (.docx); read as a Word document (.docx)."
    )


def test_a_reader_error_says_the_name_and_the_bytes_disagree() -> None:
    truncated = (FIXTURES / "pdf" / "truncated.pdf").read_bytes()
    with pytest.raises(
        Exception,
        match=r"damaged or truncated.*\(Note: cut\.html is named \.html, but the bytes are a PDF\.\)",
    ):
        read_document(truncated, "cut.html")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"x",
            "circular.xyz",
            r"^circular\.xyz: unsupported format \.xyz: tongbao reads text, PDF, Word, WPS, web pages, spreadsheets, OFD, images and archives \(\.txt .* \.7z\); convert it",
        ),
        (b"x", "README", r"^README: unsupported format \(no extension\): tongbao reads"),
        # .doc, .xlsx, .ofd, .zip and .rtf are read since issue 11 (tests/test_formats_*.py).
        (
            zip_with("ppt/presentation.xml"),
            "slides.pptx",
            r"^slides\.pptx: unsupported format \.pptx: a presentation; save it as PDF and ingest that\.$",
        ),
        (
            zip_with("ppt/presentation.xml"),
            "slides.docx",
            r"^slides\.docx: unsupported format: the bytes are a presentation, though it is named \.docx; save it as PDF",
        ),
        (
            b"\x1f\x8b\x08\x00" + bytes(16),
            "batch.tar.gz",
            r"^batch\.tar\.gz: unsupported format \.gz: a compressed file or tar archive; tongbao opens \.zip, \.7z and \.rar archives; unpack it",
        ),
        (
            zip_with("content.xml"),
            "c.odp",
            r"^c\.odp: an OpenDocument file that is neither text nor a spreadsheet \(slides\?\); save it as PDF",
        ),
        (
            zip_with("a.txt"),
            "batch.zip",
            r"^batch\.zip: an archive is read member by member: ingest its path",
        ),
        (
            b"MIME-Version: 1.0\r\n",
            "page.mht",
            r"^page\.mht: unsupported format \.mht: a web archive \(\.mht\); open it in a browser",
        ),
    ],
)
def test_an_unread_format_is_refused_with_what_to_do(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UnsupportedInput, match=message):
        read_document(data, name)


def test_an_image_needs_ocr_and_says_so_with_ocr_never(tmp_path: Path) -> None:
    # `tongbao check scan.bmp` once said "expected .png, .jpg, …" after .bmp was discovered.
    scan = tmp_path / "scan.bmp"
    scan.write_bytes(image_bytes("BMP"))
    doc = parse_file(str(scan), IngestOptions(workers=1, ocr="never")).document
    assert (doc.status, doc.error) == ("failed", "scan.bmp: an image needs OCR, but --ocr never was given.")
    with pytest.raises(UnsupportedInput, match=r"^scan\.bmp: an image needs OCR; pipeline\.ocr reads it\.$"):
        read_document(scan.read_bytes(), "scan.bmp")


@pytest.mark.parametrize("kind", ["BMP", "WEBP", "PNG", "GIF"])
def test_ocr_decodes_every_image_the_table_lists(kind: str) -> None:
    from pipeline.ocr import decode_image_frames

    (frame,) = decode_image_frames(image_bytes(kind), f"scan.{kind.lower()}")
    assert frame.shape[:2] == (20, 40)


def test_an_encrypted_docx_reaches_the_docx_reader() -> None:
    with pytest.raises(EncryptedInput, match=r"^locked\.docx: the DOCX is password-protected"):
        read_document(ole_with("EncryptedPackage"), "locked.docx")


def test_a_folder_gives_one_documents_row_per_file_and_hides_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "circular.txt").write_bytes(CIRCULAR.read_bytes())
    (folder / "really-docx.doc").write_bytes(DOCX.read_bytes())
    (folder / "slides.pptx").write_bytes(zip_with("ppt/presentation.xml"))
    (folder / "sub" / "scores.xlsx").write_bytes(zip_with("xl/workbook.xml"))  # a broken workbook
    batch = io.BytesIO()
    with zipfile.ZipFile(batch, "w") as archive:  # its member is a document of its own
        archive.writestr("归档/copy.txt", CIRCULAR.read_bytes() + b"\n")
    (folder / "sub" / "batch.zip").write_bytes(batch.getvalue())
    (folder / "notes.xyz").write_text("x")
    (folder / "cut.docx").write_bytes(DOCX.read_bytes()[:200])
    (folder / ".hidden.txt").write_text("left out: hidden files are not searched")
    out = tmp_path / "out"
    summary = ingest([folder], IngestOptions(out=out, workers=1))
    assert (summary.files, summary.ok, summary.failed, summary.skipped, summary.hidden) == (7, 3, 2, 2, 1)
    docs = pd.read_parquet(out / "documents")
    by_name = {Path(p).name: row for p, row in zip(docs["source_path"], docs.to_dict("records"), strict=True)}
    assert {n: r["status"] for n, r in by_name.items()} == {
        "circular.txt": "ok",
        "really-docx.doc": "ok",
        "slides.pptx": "skipped",
        "scores.xlsx": "failed",
        "copy.txt": "ok",
        "notes.xyz": "skipped",
        "cut.docx": "failed",
    }
    assert by_name["copy.txt"]["source_path"].endswith("sub/batch.zip!/归档/copy.txt")
    assert by_name["slides.pptx"]["source_format"] == "presentation"
    assert by_name["notes.xyz"]["error"].startswith("notes.xyz: unsupported format .xyz")
    assert "damaged" in by_name["cut.docx"]["error"]
    assert {Path(p).name for p, _ in summary.failures} == {
        "slides.pptx",
        "scores.xlsx",
        "notes.xyz",
        "cut.docx",
    }


def test_the_summary_counts_and_names_skipped_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "circular.txt").write_bytes(CIRCULAR.read_bytes())
    (folder / "slides.pptx").write_bytes(zip_with("ppt/presentation.xml"))
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = CliRunner().invoke(
        app, ["ingest", str(folder), "--out", str(tmp_path / "out"), "--workers", "1"], terminal_width=300
    )
    assert result.exit_code == 3  # a file was not read (EXIT_FILES_FAILED)
    flat = " ".join(result.output.split())
    assert "2 files (1 ok, 0 partial, 0 failed, 1 skipped)" in flat
    assert "slides.pptx: unsupported format .pptx: a presentation" in flat
    assert "1 hidden file(s) (names starting with '.') were not searched." in flat


def test_a_folder_of_files_tongbao_does_not_read_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.xyz").write_text("x")
    (tmp_path / "b.pptx").write_bytes(zip_with("ppt/presentation.xml"))
    with pytest.raises(
        UsageError,
        match=r"holds no file tongbao reads \(2 file\(s\), none of a format it reads: a\.xyz, b\.pptx\); it reads \.txt",
    ):
        discover([tmp_path])
    (tmp_path / "c.bin").write_bytes(DOCX.read_bytes())  # read by its bytes
    assert [p.name for p in discover([tmp_path])] == ["a.xyz", "b.pptx", "c.bin"]
