"""Read .txt and .md circulars: decode, then one Line per physical line.

Archived Chinese text is often GB18030/GBK rather than UTF-8, so decoding
tries UTF-8 (with or without BOM), then GB18030 — strictly both times, so a
wrong guess fails loudly instead of producing mojibake.
"""

from __future__ import annotations

import codecs

from parsers.model import DamagedInput, EmptyInput, Line, ReadResult, UnsupportedInput
from parsers.readers.sniff import sniff_format

# Share of control characters (other than tab/newline/CR/FF) above which bytes are binary,
# not text: a real circular has none; a PDF or image renamed .txt has many.
DEFAULT_MAX_CONTROL_SHARE = 0.01


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes of a text circular; return (text, encoding used).

    Raises:
        EmptyInput: no bytes, or only whitespace.
        UnsupportedInput: the bytes look binary (NULs or control characters).
        DamagedInput: neither UTF-8 nor GB18030 decodes them.
    """
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), name), encoding
            except UnicodeDecodeError as exc:
                raise DamagedInput(
                    f"{name}: starts with a {encoding} byte-order mark but does not decode as {encoding} "
                    f"({exc.reason} at byte {exc.start}); re-save it as UTF-8."
                ) from exc
    if b"\x00" in data[:4096]:
        raise UnsupportedInput(
            f"{name}: looks like a binary file, not text (it contains NUL bytes"
            f"{_looks_like(data)}); give tongbao the original file with its real extension."
        )
    errors = []
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), name), encoding
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason} at byte {exc.start}")
    raise DamagedInput(
        f"{name}: cannot decode the text as UTF-8 or GB18030 ({'; '.join(errors)}); "
        "convert it to UTF-8 and try again."
    )


def _checked(text: str, name: str) -> str:
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if control > max(2, DEFAULT_MAX_CONTROL_SHARE * len(text)):
        raise UnsupportedInput(
            f"{name}: looks like a binary file, not text ({control} control characters); "
            "give tongbao the original file with its real extension."
        )
    if not text.strip():
        raise EmptyInput(f"{name}: the file has no text; nothing to read.")
    return text


def _looks_like(data: bytes) -> str:
    found = sniff_format(data)
    return f"; it looks like {found.label}" if found is not None and found.name != "txt" else ""


def read_text(data: bytes, name: str) -> ReadResult:
    """Read a .txt or .md circular into one Line per non-blank physical line."""
    text, encoding = decode_text(data, name)
    lines = [
        Line(text=raw, line_no=number) for number, raw in enumerate(text.splitlines(), start=1) if raw.strip()
    ]
    fmt = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
    return ReadResult(lines=lines, source_format=fmt, encoding=encoding)
