"""Text from documents and file names, made safe to print: never markup, never a control sequence.

A title or unit holding `[/b]` was rich markup when interpolated into a format string (a
MarkupError stopped `ingest`, `check` and `report`), a file name with `[red]` lost those
characters, and an ANSI escape in a title reached the terminal raw. Everything read from a
file or a path goes through `plain` (a rich Text, never parsed as markup) or `escaped` (for a
line that also holds tongbao's own markup); control characters are shown as `\\xNN`.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, held by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(value: object) -> str:
    """`value` as text with every control character and stray surrogate shown as an escape."""
    return _UNSAFE.sub(_shown, str(value))


def plain(value: object, style: str = "") -> Text:
    """A rich Text of `value`: printed as it is, never read as markup."""
    return Text(printable(value), style=style)


def escaped(value: object) -> str:
    """`value` for a markup string: its brackets escaped and its control characters shown."""
    return escape(printable(value))
