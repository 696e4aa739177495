"""The line model every reader produces, whatever the input format.

A reader turns bytes into a `ReadResult`: logical lines with provenance (page,
physical line range, bounding box, OCR confidence). Everything downstream —
normalisation, metadata, score tables, deduction entries — works on these
lines only, so a PDF, a scan, a DOCX and a web page of the same circular give
the same records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

BBox = tuple[float, float, float, float]
"""x0, top, x1, bottom — PDF points (top-left origin, as pdfplumber) or image pixels for OCR."""


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of a document.

    `text` is what the parsers read. A table row carries its cells in `cells`
    (and `text` is the cells joined as a Markdown row `| a | b |`), so score
    tables from PDF rules, DOCX tables, HTML tables and Markdown pipes all reach
    the table parser the same way.
    """

    text: str
    line_no: int
    """1-based physical line (or paragraph/row index) where the line starts."""
    line_end: int | None = None
    """1-based physical line where it ends, when joined from several; None = same as line_no."""
    page: int | None = None
    """1-based page; None for formats without pages (txt, md, docx, html)."""
    bbox: BBox | None = None
    cells: tuple[str, ...] | None = None
    confidence: float | None = None
    """Lowest OCR confidence (0..1) among the boxes of this line — the lowest, not the mean,
    so one doubtful number is not averaged away; None when the line was not OCR'd."""
    wrapped: bool | None = None
    """The reader knows this line continues on the next (True), ends a paragraph
    (False), or cannot tell (None: normalisation decides from the text)."""
    raw: str | None = None
    """The text as read, before normalisation; None when identical to `text`."""
    cell_spans: tuple[tuple[float, float], ...] | None = None
    """For a row of an unruled table as a reader saw it (cells apart by wide gaps, `cells` None):
    the x extent of each cell, in the unit of `bbox` (PDF points; image pixels for an image file),
    so the table layer can put the cells of a row that leaves one blank under their header's columns."""

    @property
    def last_line(self) -> int:
        return self.line_end if self.line_end is not None else self.line_no

    @property
    def raw_text(self) -> str:
        return self.raw if self.raw is not None else self.text

    def with_text(self, text: str) -> Line:
        """Return a copy with new text, keeping the original as `raw`."""
        if text == self.text:
            return self
        # The constructor directly: dataclasses.replace costs twice as much, on every line.
        return Line(
            text,
            self.line_no,
            self.line_end,
            self.page,
            self.bbox,
            self.cells,
            self.confidence,
            self.wrapped,
            self.raw_text,
        )

    def with_cells(self, text: str, cells: tuple[str, ...] | None) -> Line:
        """Return a copy with new text and cells, keeping the original text as `raw`."""
        return Line(
            text,
            self.line_no,
            self.line_end,
            self.page,
            self.bbox,
            cells,
            self.confidence,
            self.wrapped,
            self.raw_text,
        )


@dataclass(slots=True)
class ReadResult:
    """What a reader got out of one input file."""

    lines: list[Line]
    source_format: str
    """txt, md, pdf, docx, html, image."""
    encoding: str | None = None
    """Text encoding used (txt/md/html), e.g. utf-8, utf-8-sig, gb18030."""
    pages: int | None = None
    ocr_pages: list[int] = field(default_factory=list)
    """Pages whose lines came from OCR."""
    pages_needing_ocr: list[int] = field(default_factory=list)
    """Pages with content but no usable text layer that were NOT OCR'd (status partial)."""
    ocr_confidence: float | None = None
    """Mean confidence over all OCR'd lines."""
    ocr_second_pass: dict[int, bool] = field(default_factory=dict)
    """Pages OCR read a second time, with the detector at full resolution, because a unit's
    arithmetic did not reconcile: True when the second reading is the one reported, False when
    it reconciled no more and the first was kept (pipeline/ocr_recheck.py)."""
    web_meta: dict[str, str] = field(default_factory=dict)
    """Metadata a web page states outside the body (发布机构, 发布日期, 标题...)."""
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class UnreadBlock:
    """Lines that look like results (a table, numbered entries, a ranking) but could not be read
    with confidence: they yield no rows, and reconciliation reports them as an `unread_block`
    finding naming the lines, so a person knows what to read by hand (field-survey.md: a wrong
    number is worse than a missing one)."""

    first: Line
    last: Line
    reason: str
    """Why the block was not read, for a person: "a table whose rows do not fit its 5-column header"."""
    kind: str = "table"
    """table | entries | ranking | heading: what the lines looked like."""


class Part(NamedTuple):
    """One part of a unit's score: a weighted column (`暗访（60%）`), a month of a quarter, or a
    part scored out of its own maximum (物业 of 40 + 社区 of 30: field-survey.md §4). Score rows
    may hold plain (name, weight, score) tuples too; `max` is then unknown."""

    name: str
    weight: Decimal | None
    score: Decimal | None
    max: Decimal | None = None


@dataclass(slots=True)
class Problem:
    """A problem a circular lists for a unit without points (`甲镇：垃圾清运不及时2处`): kept as
    (unit, problem, count), never as a deduction (field-survey.md §5)."""

    unit: str
    unit_raw: str
    problem: str
    count: int | None
    line: Line


class TongbaoError(Exception):
    """Base of every error tongbao raises on bad input."""

    stage = "read"


class UnsupportedInput(TongbaoError):
    """The bytes are not a format tongbao reads (or not the one the name claims)."""


class DamagedInput(TongbaoError):
    """The file is of a supported format but cannot be read (truncated, corrupt)."""


class EncryptedInput(TongbaoError):
    """The file needs a password."""


class EmptyInput(TongbaoError):
    """The file has no content."""


class NotACircular(TongbaoError):
    """The text was read but is not an assessment circular."""

    stage = "classify"
