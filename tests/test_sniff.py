"""What bytes look like, named from the one format table: readers' checks and their messages.

The sniffer once kept its own list of signatures and names beside parsers/formats.py. Readers
compared its names as strings (`== "an HTML page"`), so naming bytes from the table instead
("a web page") made the HTML reader refuse every web page: readers now ask for the format.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from parsers.formats import BY_NAME, FORMATS
from parsers.model import UnsupportedInput
from parsers.readers.html import read_html
from parsers.readers.pdf import read_pdf
from parsers.readers.sniff import sniff_bytes, sniff_format
from parsers.readers.text import read_text
from parsers.readers.word97 import read_word97
from tests.conftest import FIXTURES

PAGE = "<html><head><meta charset='utf-8'></head><body><p>关于城区环境卫生考核情况的通报</p></body></html>"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def docx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_every_web_page_fixture_is_sniffed_as_a_web_page() -> None:
    pages = sorted((FIXTURES / "html").glob("*.html"))
    assert len(pages) >= 8
    sniffed = {page.name: sniff_format(page.read_bytes()) for page in pages}
    # Only the fixtures made to be something else are not web pages.
    assert {name for name, fmt in sniffed.items() if fmt is not BY_NAME["html"]} == {
        "empty.html",
        "not-html-pdf.html",
    }


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n1 0 obj\n", "pdf"),
        (b"{\\rtf1\\ansi ...}", "rtf"),
        (png(), "image"),
        (docx_like(), "docx"),
        (b"Rar!\x1a\x07\x00rest", "archive"),
        (b"\x1f\x8b\x08\x00rest", "compressed"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        # A page fragment (a web system's "export to Word"): no doctype, a tag further in.
        ("\r\n<div class='content'>关于考核情况的通报</div>".encode(), "html"),
        # A browser's MHT: its headers name multipart/related before the page's <html.
        (b"From: <Saved by Blink>\r\nContent-Type: multipart/related;\r\n\r\n<html><body>x", "mht"),
        (b'<?xml version="1.0"?>\n<w:wordDocument xmlns:w="http://schemas.microsoft.com/">', "wordml"),
        # Word's own "save as web page" holds <w:WordDocument> in its head: a web page all the same.
        (b"<html xmlns:w='urn:schemas-microsoft-com:office:word'><head><xml><w:WordDocument>", "html"),
        ("各县区：现将考核情况通报如下。\n".encode(), "txt"),
        ("各县区：现将考核情况通报如下。\n".encode("gb18030"), "txt"),
        # The sniffed window (2,048 bytes) ends inside a three-byte character: text all the same.
        (("考" * 683).encode()[:2050], "txt"),
    ],
)
def test_the_bytes_are_named_from_the_format_table(data: bytes, name: str) -> None:
    assert sniff_format(data) is BY_NAME[name]
    assert sniff_bytes(data) == BY_NAME[name].label


def test_every_signature_in_the_format_table_is_sniffed() -> None:
    for fmt in FORMATS:
        for magic in fmt.magic:
            # A bitmap's header has four zero bytes at offset 6; a RIFF file says WEBP at 8.
            data = magic + b"\x00" * 4 + (b"WEBP" if magic == b"RIFF" else b"\x00" * 4) + b"\x00" * 8
            assert sniff_format(data) is fmt, (fmt.name, magic)


def test_binary_bytes_of_no_known_kind_are_not_named() -> None:
    assert sniff_format(b"\x00\x01\x02\x03\xfe\xff" * 40) is None
    with pytest.raises(
        UnsupportedInput, match=r"^x\.pdf: is not a PDF .*its bytes match no format tongbao knows\."
    ):
        read_pdf(b"\x00\x01\x02\x03\xfe\xff" * 40, "x.pdf")


def test_a_web_page_reaches_the_html_reader_and_other_bytes_are_refused_by_name() -> None:
    assert read_html(PAGE.encode(), "page.html").lines
    mht = b"From: <Saved by Blink>\r\nContent-Type: multipart/related;\r\n\r\n<html><body>x</body></html>"
    with pytest.raises(
        UnsupportedInput, match=r"^page\.html: is not a web page \(it looks like a web archive \(\.mht\)\)"
    ):
        read_html(mht, "page.html")


def test_a_web_page_fragment_named_doc_is_read_as_html() -> None:
    fragment = "<div><p>关于城区环境卫生考核情况的通报</p></div>".encode()
    read = read_word97(fragment, "导出.doc")
    assert read.source_format == "html" and "HTML page under the name .doc" in read.warnings[0]
    with pytest.raises(
        UnsupportedInput, match=r"is not a Word 97-2003 or WPS document \(it looks like a text file\)"
    ):
        read_word97("各县区：现将考核情况通报如下。".encode(), "x.doc")


def test_text_with_nul_bytes_names_what_it_looks_like(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedInput, match=r"it contains NUL bytes; it looks like an image\)"):
        read_text(png(), "scan.txt")
    with pytest.raises(UnsupportedInput, match=r"it contains NUL bytes\)"):
        read_text(b"\x00\x01\x02 binary", "x.txt")
