"""What a file's bytes look like, named from the one format table (parsers/formats.py).

Readers ask when bytes are not what they read: to name them in the error message ("is not a
DOCX …; it looks like a PDF"), and the HTML and Word 97 readers to tell a web page from other
bytes. Every signature is the format table's: a format's magic bytes or container marker first
(`format_of_bytes`), then a format's hint anywhere in the head (`Format.hints`), then text.
"""

from __future__ import annotations

import codecs

from parsers.formats import BY_NAME, FORMATS, TEXT_SNIFF_WINDOW, Format, format_of_bytes


def sniff_format(data: bytes) -> Format | None:
    """The format the bytes look like, or None for bytes of no known kind.

    A format whose signature the bytes carry; else the format whose hint comes first in the
    head (an MHT names `multipart/related` in its headers before the `<html` of its page);
    else text (`txt`) when the head has no NUL and decodes as UTF-8 or GB18030.
    """
    found = format_of_bytes(data)
    if found is not None:
        return found
    head = data[:TEXT_SNIFF_WINDOW]
    lowered = head.lower()
    hinted = [
        (at, k) for k, fmt in enumerate(FORMATS) for hint in fmt.hints if (at := lowered.find(hint)) >= 0
    ]
    if hinted:
        return FORMATS[min(hinted)[1]]
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            # Incremental, not final: the window may end inside a character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return BY_NAME["txt"]
    return None


def sniff_bytes(data: bytes) -> str | None:
    """What the bytes look like, for an error message ("a PDF", "a web page"), or None if unknown."""
    found = sniff_format(data)
    return None if found is None else found.label
