"""Per-file limits a reader or the extractor checks, and the error that names the one exceeded.

A hostile or broken file (a `colspan="1000" rowspan="1000"` table, a 4,000-entry line) must cost
its own `failed` row, never the worker's memory or the run. The limits are set per file by
pipeline/parse.py from the run's options; the readers stay pure and read them from a context
variable, so no reader's signature carries them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from parsers.model import TongbaoError

# A real score table has tens of rows and under twenty columns; 200,000 cells leave three
# orders of magnitude of room and still keep a table's grid to tens of MB.
DEFAULT_MAX_TABLE_CELLS = 200_000
# The longest line in the shared corpus and the gold sets is a few thousand characters (a
# paragraph of deductions); 200,000 is a whole book on one line.
DEFAULT_MAX_LINE_CHARS = 200_000
# Circulars list tens to a few thousand deductions; more than 20,000 is a generated file.
DEFAULT_MAX_ENTRIES = 20_000


class LimitExceeded(TongbaoError):
    """A file is over one of the per-file limits; the message names it and the option that raises it.

    One message argument, like every TongbaoError: a reader's caller may re-raise it as
    `type(exc)(annotated message)` (parsers/document.py).
    """

    stage = "limit"


def limit_exceeded(name: str, what: str, value: int, limit: int, option: str) -> LimitExceeded:
    """The error of a file over a limit: which limit, the file's figure, and the option to raise it."""
    return LimitExceeded(
        f"{name}: {what} ({value:,}) is over the limit of {limit:,}; the file was not read. "
        f"Raise {option} if the file is genuine."
    )


@dataclass(frozen=True, slots=True)
class Limits:
    """The per-file limits a reader or the extractor checks (the byte and memory limits are the pipeline's)."""

    max_table_cells: int = DEFAULT_MAX_TABLE_CELLS
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS
    max_entries: int = DEFAULT_MAX_ENTRIES
    name: str = "the file"
    """The file's name, for the message of a limit a reader finds exceeded."""


_CURRENT: ContextVar[Limits] = ContextVar("tongbao_limits", default=Limits())  # noqa: B039 (frozen)


def current_limits() -> Limits:
    return _CURRENT.get()


@contextmanager
def limits_in_force(limits: Limits) -> Iterator[None]:
    """Apply `limits` to the readers called inside the block."""
    token = _CURRENT.set(limits)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def check_table_cells(cells: int) -> None:
    """Raise when a table's grid (cells after colspan × rowspan or gridSpan) is over the limit."""
    limits = _CURRENT.get()
    if cells > limits.max_table_cells:
        raise limit_exceeded(
            limits.name,
            "a table's cells after merged-cell spans",
            cells,
            limits.max_table_cells,
            "--max-table-cells",
        )
