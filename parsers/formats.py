"""The one table of input formats: suffixes and magic bytes → format, reader, OCR or not.

Discovery (pipeline/ingest.py), parsing (parsers/document.py), OCR (pipeline/ocr.py) and the
readers' messages about bytes of another kind (parsers/readers/sniff.py) all read FORMATS; a
format is added here and nowhere else. A file's format comes from its bytes
first and its name second: archives hold `.doc` files that are really `.docx`, and sites serve
PDFs under `.html` names (issue 11). Formats tongbao recognises but does not read carry the
advice a user can act on; a file of any other kind is "an unsupported format", never dropped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from parsers.model import ReadResult, TongbaoError

Ocr = Literal["never", "pages", "always"]
Container = Literal["zip", "ole"]
"""never: a text format; pages: pages without a usable text layer are OCR'd; always: only OCR reads it."""

Reader = Callable[[bytes, str, str | None, int | None], ReadResult]
"""(data, name, password, max_pages) -> what the reader read."""

# Bytes at the start of a file searched for `%PDF-`: the PDF spec allows junk before the
# header and Acrobat accepts up to 1 KB of it (the PDF reader uses the same window).
PDF_HEADER_WINDOW = 1024
# Bytes at the start of a file in which a text format's signature (`<html`) is looked for.
TEXT_SNIFF_WINDOW = 2048
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An empty zip is its end-of-central-directory record alone.
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGIC = b"Rar!\x1a\x07"


def _read_text(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    from parsers.readers.text import read_text

    return read_text(data, name)


def _read_pdf(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    from parsers.readers.pdf import DEFAULT_MAX_PAGES, read_pdf

    return read_pdf(data, name, password=password, max_pages=max_pages or DEFAULT_MAX_PAGES)


def _read_docx(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    from parsers.readers.docx import read_docx

    return read_docx(data, name)


def _read_html(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    from parsers.readers.html import read_html

    return read_html(data, name)


def _read_word97(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    from parsers.readers.word97 import read_word97

    return read_word97(data, name)


def _read_spreadsheet(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    from parsers.readers.spreadsheet import read_spreadsheet

    return read_spreadsheet(data, name)


def _read_opendocument(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    """ODF files share their container and member names; the `mimetype` member says which it is."""
    from parsers.model import UnsupportedInput

    if b"opendocument.spreadsheet" in data[:200]:
        return _read_spreadsheet(data, name, password, max_pages)
    if b"opendocument.text" in data[:200]:
        return _read_word97(data, name, password, max_pages)
    raise UnsupportedInput(
        f"{name}: an OpenDocument file that is neither text nor a spreadsheet (slides?); save it as "
        "PDF and ingest that."
    )


def _read_ofd(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    from parsers.readers.ofd import read_ofd

    return read_ofd(data, name)


def _read_archive(data: bytes, name: str, password: str | None, max_pages: int | None) -> ReadResult:
    # Discovery lists an archive's members (pipeline/containers.py); an archive reaches a reader
    # only when it could not be listed, and read_archive raises why.
    from parsers.readers.containers import read_archive

    read_archive(data, name)


@dataclass(frozen=True, slots=True)
class Format:
    """One kind of input file: how to recognise it and who reads it."""

    name: str
    """The `documents.source_format` value (a text file's is refined to txt or md by its reader)."""
    label: str
    """What the file is, for a person: "a PDF", "a legacy Word 97-2003 or WPS document"."""
    suffixes: tuple[str, ...]
    reader: Reader | None = None
    """The pure reader (bytes → lines); None when only OCR reads it or tongbao does not read it."""
    ocr: Ocr = "never"
    magic: tuple[bytes, ...] = ()
    """Binary signatures the bytes start with, exactly."""
    text_magic: tuple[bytes, ...] = ()
    """Text signatures the bytes start with, in any case, after a byte-order mark and blanks."""
    hints: tuple[bytes, ...] = ()
    """Lower-case text found anywhere in the first TEXT_SNIFF_WINDOW bytes of such a file (a page
    fragment's `<div`, an MHT's `multipart/related`): enough to name bytes no signature names in
    a message (parsers/readers/sniff.py), never to read a file as this format."""
    zip_marker: str | None = None
    """A member whose presence in a ZIP container names this format (word/document.xml)."""
    ole_marker: str | None = None
    """A stream whose presence in an OLE2 compound file names this format (WordDocument)."""
    containers: tuple[Container, ...] = ()
    """Container families its files come in: a damaged or unmarked container named like this
    format goes to its own reader, which says what is wrong, rather than being renamed."""
    advice: str = ""
    """For a format tongbao does not read: what the user can do instead."""

    @property
    def readable(self) -> bool:
        return self.reader is not None or self.ocr == "always"


_CONVERT = "convert it to .docx, PDF, HTML or text and ingest that"

FORMATS: tuple[Format, ...] = (
    Format("txt", "a text file", (".txt", ".md", ".markdown", ".text"), _read_text),
    Format("pdf", "a PDF", (".pdf",), _read_pdf, ocr="pages", magic=(b"%PDF-",)),
    Format(
        "docx",
        "a Word document (.docx)",
        (".docx",),
        _read_docx,
        zip_marker="word/document.xml",
        # A password-protected .docx is an OLE container holding an EncryptedPackage stream
        # (MS-OFFCRYPTO): it goes to the DOCX reader, which asks for the password to be removed.
        containers=("zip", "ole"),
    ),
    Format(
        "html",
        "a web page",
        (".html", ".htm", ".shtml", ".xhtml"),
        _read_html,
        text_magic=(b"<!doctype html", b"<html"),
        # A page fragment or an "export to Word" of a web system may start with any tag.
        hints=(b"<html", b"<body", b"<meta", b"<p>", b"<div"),
    ),
    Format(
        "image",
        "an image",
        (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif"),
        ocr="always",
        magic=(
            b"\x89PNG\r\n\x1a\n",
            b"\xff\xd8\xff",
            b"II*\x00",
            b"MM\x00*",
            b"BM",
            b"RIFF",
            b"GIF87a",
            b"GIF89a",
        ),
    ),
    # Read by the formats helper's readers (parsers/readers/word97.py, spreadsheet.py, ofd.py,
    # containers.py); the entries left with `advice` are recognised but not read.
    Format(
        "doc",
        "a legacy Word 97-2003 or WPS document (.doc/.wps)",
        (".doc", ".dot", ".wps", ".wpt"),
        _read_word97,
        ole_marker="WordDocument",
        containers=("ole",),
    ),
    Format(
        "spreadsheet",
        "a spreadsheet",
        (".xls", ".xlsx", ".xlsm", ".et", ".csv"),
        _read_spreadsheet,
        zip_marker="xl/workbook.xml",
        ole_marker="Workbook",
        containers=("zip", "ole"),
    ),
    Format(
        "presentation",
        "a presentation",
        (".ppt", ".pptx", ".dps"),
        zip_marker="ppt/presentation.xml",
        containers=("zip", "ole"),
        advice="save it as PDF and ingest that",
    ),
    Format(
        "opendocument",
        "an OpenDocument file (.odt/.ods/.odp)",
        (".odt", ".ods", ".odp"),
        _read_opendocument,
        zip_marker="content.xml",
        containers=("zip",),
    ),
    Format(
        "ofd",
        "an OFD document (GB/T 33190)",
        (".ofd",),
        _read_ofd,
        zip_marker="OFD.xml",
        containers=("zip",),
    ),
    Format("rtf", "an RTF document", (".rtf",), _read_word97, magic=(b"{\\rtf",)),
    Format(
        "mht",
        "a web archive (.mht)",
        (".mht", ".mhtml"),
        text_magic=(b"mime-version:",),
        # A browser's MHT starts `From: <Saved by Blink>`; its MIME headers follow.
        hints=(b"multipart/related",),
        advice="open it in a browser and save it as a web page (HTML only), then ingest that",
    ),
    Format(
        "wordml",
        "a Word 2003 XML document",
        (),
        hints=(b"w:worddocument",),
        advice="open it in Word or WPS and save it as .docx or PDF, then ingest that",
    ),
    Format(
        "archive",
        "an archive",
        (".zip", ".rar", ".7z"),
        _read_archive,
        magic=(RAR_MAGIC, SEVEN_ZIP_MAGIC),
        containers=("zip",),
    ),
    Format(
        "compressed",
        "a compressed file or tar archive",
        (".gz", ".tgz", ".tar", ".bz2", ".xz"),
        magic=(b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"),
        advice="tongbao opens .zip, .7z and .rar archives; unpack it and ingest the folder",
    ),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
BY_SUFFIX: dict[str, Format] = {suffix: f for f in FORMATS for suffix in f.suffixes}
READ_SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS if f.readable for s in f.suffixes)
"""Every suffix tongbao reads, in the table's order (for messages and `--help`)."""
IMAGE_SUFFIXES: tuple[str, ...] = BY_NAME["image"].suffixes


@dataclass(frozen=True, slots=True)
class Detection:
    """What a file is, and how that was decided."""

    format: Format | None
    """None: neither the bytes nor the name say (an unsupported format)."""
    suffix: str
    note: str | None = None
    """Set when the bytes and the name disagree: "named .pdf, but the bytes are a web page"."""

    @property
    def readable(self) -> bool:
        return self.format is not None and self.format.readable

    def warning(self, name: str) -> str | None:
        """The trace a file read by its bytes against its name leaves in the documents row."""
        if self.note is None or self.format is None:
            return None
        return f"{name}: {self.note}; read as {self.format.label}."

    def annotated(self, name: str, message: str) -> str:
        """A reader's error message, with the name/bytes disagreement that may explain it."""
        return message if self.note is None else f"{message} (Note: {name} is {self.note}.)"

    def read_with(self, name: str, reader: Callable[[], ReadResult]) -> ReadResult:
        """Run the file's reader (the pure one, or OCR): its error carries the name/bytes
        disagreement that may explain it, and what it read keeps a warning saying so."""
        try:
            read = reader()
        except TongbaoError as exc:
            if self.note is None:
                raise
            raise type(exc)(self.annotated(name, str(exc))) from exc
        warning = self.warning(name)
        if warning is not None:
            read.warnings.append(warning)
        return read

    def reason(self, name: str) -> str:
        """Why the file is not read, for the documents row: the format, then what to do."""
        shown = self.suffix or "(no extension)"
        if self.format is None:
            return (
                f"{name}: unsupported format {shown}: tongbao reads text, PDF, Word, WPS, web pages, "
                f"spreadsheets, OFD, images and archives ({' '.join(READ_SUFFIXES)}); {_CONVERT}, "
                "or leave it out."
            )
        if self.note is not None:
            return f"{name}: unsupported format: the bytes are {self.format.label}, though it is named {shown}; {self.format.advice}."
        return f"{name}: unsupported format {shown}: {self.format.label}; {self.format.advice}."


def suffix_of(name: str) -> str:
    return PurePath(name).suffix.lower()


def format_of_name(name: str) -> Format | None:
    """The format a file name claims, or None."""
    return BY_SUFFIX.get(suffix_of(name))


def format_of_bytes(data: bytes, claimed: Format | None = None) -> Format | None:
    """The format the bytes' signature names, or None (text, or bytes of no known kind).

    `claimed` (the name's format) settles a container the bytes alone cannot name: a ZIP or OLE
    file without any format's marker (damaged, or encrypted) goes to the claimed format when it
    uses that container, so its own reader can say what is wrong with it.
    """
    if is_pdf(data):
        return BY_NAME["pdf"]
    if data.startswith(OLE_MAGIC):
        return _container_format(_ole_names(data), "ole", claimed)
    if data.startswith(ZIP_MAGIC):
        return _container_format(_zip_names(data), "zip", claimed)
    head = data[:TEXT_SNIFF_WINDOW].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for fmt in FORMATS:
        if any(data.startswith(magic) for magic in fmt.magic) and _magic_holds(data):
            return fmt
        if any(head.startswith(magic) for magic in fmt.text_magic):
            return fmt
    return None


def is_pdf(data: bytes) -> bool:
    """Whether the bytes carry a PDF header: `%PDF-` within PDF_HEADER_WINDOW bytes of the start."""
    return b"%PDF-" in data[:PDF_HEADER_WINDOW]


def _magic_holds(data: bytes) -> bool:
    # Two-byte and RIFF signatures need the rest of their header: a text file may start "BM".
    if data.startswith(b"BM"):
        return len(data) >= 10 and data[6:10] == b"\x00\x00\x00\x00"
    if data.startswith(b"RIFF"):
        return data[8:12] == b"WEBP"
    return True


def _container_format(has: Callable[[str], bool], container: Container, claimed: Format | None) -> Format:
    for fmt in FORMATS:
        marker = fmt.zip_marker if container == "zip" else fmt.ole_marker
        if marker is not None and has(marker):
            return fmt
    if claimed is not None and container in claimed.containers:
        return claimed
    # No format's marker: a plain ZIP is an archive; an OLE file is most often Word 97-2003.
    return BY_NAME["archive" if container == "zip" else "doc"]


def _zip_names(data: bytes) -> Callable[[str], bool]:
    try:
        members = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        members = set()
    return members.__contains__


def _ole_names(data: bytes) -> Callable[[str], bool]:
    # Directory entries hold stream names in UTF-16LE; a byte search finds them without
    # parsing the compound file (tongbao reads no OLE format, it only names it).
    return lambda stream: stream.encode("utf-16-le") in data


def detect_format(data: bytes, name: str) -> Detection:
    """What a file is: its bytes' signature wins over its name; text formats go by the name."""
    suffix = suffix_of(name)
    claimed = BY_SUFFIX.get(suffix)
    found = format_of_bytes(data, claimed)
    if found is None or claimed is found:
        return Detection(claimed if found is None else found, suffix)
    if claimed is None:
        note = f"the bytes are {found.label}" + (f", not a {suffix} file" if suffix else "")
    else:
        note = f"named {suffix}, but the bytes are {found.label}"
    return Detection(found, suffix, note)


__all__ = [
    "FORMATS",
    "IMAGE_SUFFIXES",
    "READ_SUFFIXES",
    "Detection",
    "Format",
    "detect_format",
    "format_of_bytes",
    "format_of_name",
    "is_pdf",
]
