"""Name what a file's bytes look like, for error messages that tell the user what they gave."""

from __future__ import annotations

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_bytes(data: bytes) -> str | None:
    """Name what a file's bytes look like (for error messages), or None if unknown."""
    head = data[:2048].lstrip()
    lowered = head.lower()
    signatures = [
        (b"%PDF-", "a PDF file"),
        (OLE_MAGIC, "a legacy Office 97-2003 file (OLE2, bytes D0 CF 11 E0: .doc, .wps or .xls)"),
        (b"{\\rtf", "an RTF file"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
    ]
    for magic, what in signatures:
        if head.startswith(magic):
            return what
    if lowered.startswith(b"mime-version:") or b"multipart/related" in lowered:
        return "an MHT web archive (a web page saved by a browser or by Word)"
    if b"w:worddocument" in lowered:
        return "a Word 2003 XML document"
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<body", b"<meta", b"<p>", b"<div")):
        return "an HTML page"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "plain text"
        except UnicodeDecodeError:
            try:
                head.decode("gb18030")
                return "plain text"
            except UnicodeDecodeError:
                return None
    return None
