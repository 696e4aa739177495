"""The second OCR pass a unit's arithmetic asks for (issue 14): before a scanned circular reports
that a unit's deductions do not add up, the pages holding that unit's score, heading and entries
are read again with the detector at full resolution (the cheap pass shrinks a page to 800 px, 1280 when it bears a seal),
and the second reading is kept when it settles units without unsettling any.

Only documents with OCR'd pages and a unit in doubt pay for it: a page whose numbers reconcile is
read once. Which pass read what is said in the document's warnings and in the unit's finding
(ReadResult.ocr_second_pass).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from parsers.document import Extraction, extract_document
from parsers.model import Line, ReadResult
from pipeline.arithmetic import UnitArithmetic, entry_lines, unit_arithmetic


def units_in_doubt(units: list[UnitArithmetic]) -> set[str]:
    """Units whose arithmetic did not reconcile, or did not only because OCR read a line unsurely."""
    return {a.facts.unit for a in units if a.status == "mismatch" or a.note == "OCR uncertain"}


def settled_units(units: list[UnitArithmetic]) -> set[str]:
    return {a.facts.unit for a in units if a.status == "ok"}


def pages_of_units(ex: Extraction, units: list[UnitArithmetic], wanted: set[str]) -> list[int]:
    """Pages of the lines a unit's arithmetic stands on: its score row, its heading, its entries."""
    lines_of = entry_lines(ex)
    pages: set[int] = set()
    for a in units:
        if a.facts.unit not in wanted:
            continue
        for line in (a.facts.table_line, a.facts.section_line, *lines_of.get(a.facts.unit, [])):
            if line is not None and line.page is not None:
                pages.add(line.page)
    return sorted(pages)


def with_pages_replaced(read: ReadResult, lines: list[Line], pages: list[int]) -> ReadResult:
    """The reading with `pages`' lines replaced by `lines`, numbered again in page order."""
    replaced = set(pages)
    kept = [line for line in read.lines if line.page not in replaced]
    merged = sorted(kept + lines, key=lambda ln: ln.page or 0)  # stable: a page keeps its order
    return replace(read, lines=[replace(line, line_no=i) for i, line in enumerate(merged, start=1)])


def recheck_unreconciled(
    data: bytes,
    read: ReadResult,
    ex: Extraction,
    on_ocr: Callable[[int], None] | None = None,
) -> Extraction:
    """The extraction to report: `ex`, or the one from a second reading of the OCR'd pages of the
    units in doubt when that reading settles some of them and unsettles none."""
    if not read.ocr_pages or read.source_format not in ("pdf", "image"):
        return ex
    first = unit_arithmetic(ex)
    doubt = units_in_doubt(first)
    pages = [p for p in pages_of_units(ex, first, doubt) if p in set(read.ocr_pages)]
    if not pages:
        return ex
    from pipeline.ocr import page_ocr_to_lines, reread_at_full_resolution

    if on_ocr is not None:
        on_ocr(len(pages))
    again = reread_at_full_resolution(data, read.source_format, pages)
    if not again:  # every page was within the detector's cap: nothing more to see
        return ex
    read_pages = [r.page for r in again]
    second_read = with_pages_replaced(read, page_ocr_to_lines(again), read_pages)
    second = extract_document(second_read)
    second_units = unit_arithmetic(second)
    still = units_in_doubt(second_units)
    units = "、".join(sorted(doubt))
    where = f"page{'s' if len(read_pages) > 1 else ''} {', '.join(map(str, read_pages))}"
    if still < doubt and settled_units(first) <= settled_units(second_units):
        note = (
            f"{where}: read again with the detector at full resolution because the arithmetic of "
            f"{units} did not reconcile; the second reading was kept (it reconciles "
            f"{'、'.join(sorted(doubt - still))})"
        )
        passes = {**second.read.ocr_second_pass, **dict.fromkeys(read_pages, True)}
        return replace(
            second, read=replace(second.read, warnings=[*second.read.warnings, note], ocr_second_pass=passes)
        )
    note = (
        f"{where}: read again with the detector at full resolution because the arithmetic of {units} "
        "did not reconcile; the second reading reconciled no more, so the first is reported"
    )
    passes = {**ex.read.ocr_second_pass, **dict.fromkeys(read_pages, False)}
    return replace(ex, read=replace(ex.read, warnings=[*ex.read.warnings, note], ocr_second_pass=passes))
