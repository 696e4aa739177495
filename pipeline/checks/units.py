"""Checks on each unit's arithmetic: veto, missing section or score, table and score mismatches."""

from __future__ import annotations

from decimal import Decimal

from parsers.model import Line
from pipeline.arithmetic import UnitArithmetic, fmt
from pipeline.checks.registry import Context
from schemas import FindingRecord


def veto(ctx: Context, a: UnitArithmetic) -> list[FindingRecord]:
    f = a.facts
    if not f.veto:
        return []
    return [
        ctx.finding(
            "veto",
            f.unit,
            f"{f.unit}: one-vote veto (一票否决) applied; its score is not the arithmetic result.",
            f.section_line or f.table_line,
        )
    ]


def missing_section(ctx: Context, a: UnitArithmetic) -> list[FindingRecord]:
    f = a.facts
    if not a.reconciled or f.has_section or f.table_score is None or f.table_score >= ctx.base:
        return []
    return [
        ctx.finding(
            "missing_section",
            f.unit,
            f"{f.unit}: scored {fmt(f.table_score)} (below the base {fmt(ctx.base)}) but no deductions are listed "
            "for it, while other units have theirs.",
            f.table_line,
            ctx.base - f.table_score,
            Decimal(0),
        )
    ]


def missing_score(ctx: Context, a: UnitArithmetic) -> list[FindingRecord]:
    f = a.facts
    if not a.reconciled or not f.has_section or a.stated is not None:
        return []
    return [
        ctx.finding(
            "missing_score",
            f.unit,
            f"{f.unit}: {f.entries} deduction entries (total {fmt(f.deducted)}) but no score in the table or its "
            "section.",
            _first(ctx.lines_of.get(f.unit)),
            a.computed,
            None,
        )
    ]


def not_in_table(ctx: Context, a: UnitArithmetic) -> list[FindingRecord]:
    f = a.facts
    if not _stated(a) or not ctx.ex.scores or f.table_score is not None or f.table_line is not None:
        return []
    return [
        ctx.finding(
            "not_in_table",
            f.unit,
            f"{f.unit}: has a section of deductions but is missing from the score table.",
            f.section_line or _first(ctx.lines_of.get(f.unit)),
        )
    ]


def table_mismatch(ctx: Context, a: UnitArithmetic) -> list[FindingRecord]:
    if not _stated(a) or not a.table_disagrees or a.uncertain is not None:
        return []
    return [_table_finding(ctx, a)]


def score_mismatch(ctx: Context, a: UnitArithmetic) -> list[FindingRecord]:
    if not _stated(a) or not a.arithmetic_wrong or a.uncertain is not None:
        return []
    return [_score_finding(ctx, a)]


def ocr_uncertain(ctx: Context, a: UnitArithmetic) -> list[FindingRecord]:
    """A table or arithmetic mismatch on a line OCR read with low confidence is a doubt, not an error."""
    if not _stated(a) or a.uncertain is None:
        return []
    found = [_table_finding(ctx, a)] if a.table_disagrees else []
    return found + ([_score_finding(ctx, a)] if a.arithmetic_wrong else [])


def _stated(a: UnitArithmetic) -> bool:
    """The unit is reconciled, has entries and a stated score: its arithmetic can be checked."""
    return a.reconciled and a.facts.has_section and a.stated is not None


def _table_finding(ctx: Context, a: UnitArithmetic) -> FindingRecord:
    f, uncertain = a.facts, a.uncertain
    return ctx.finding(
        "ocr_uncertain" if uncertain else "table_mismatch",
        f.unit,
        f"{f.unit}: the score table states {fmt(f.table_score)}, but its own section states "
        f"{fmt(f.section_score)}." + (_ocr_hint(uncertain) if uncertain else "") + _ocr_pass(ctx, a),
        uncertain or f.section_line,
        f.table_score,
        f.section_score,
    )


def _score_finding(ctx: Context, a: UnitArithmetic) -> FindingRecord:
    f, uncertain, stated = a.facts, a.uncertain, a.stated
    assert stated is not None
    where = "its section" if f.section_score is not None else "the score table"
    arithmetic = f"{fmt(ctx.base)} − {fmt(f.deducted)}" + (f" + {fmt(f.bonus)}" if f.bonus else "")
    return ctx.finding(
        "ocr_uncertain" if uncertain else "score_mismatch",
        f.unit,
        f"{f.unit}: {arithmetic} = {fmt(a.computed)}, but {where} states {fmt(stated)} "
        f"(off by {fmt(stated - a.computed)})."
        + (_ocr_hint(uncertain) if uncertain else "")
        + _ocr_pass(ctx, a),
        uncertain or f.section_line or f.table_line,
        a.computed,
        stated,
    )


def _first(lines: list[Line] | None) -> Line | None:
    return lines[0] if lines else None


def _ocr_pass(ctx: Context, a: UnitArithmetic) -> str:
    """Which OCR pass read the unit's lines, when they are on scanned pages (issue 14: a mismatch
    on a scan is reported only after its pages were read again at full resolution, and a reader
    of the finding should know which reading it stands on)."""
    read = ctx.ex.read
    f = a.facts
    lines = [f.table_line, f.section_line, *ctx.lines_of.get(f.unit, [])]
    pages = sorted({ln.page for ln in lines if ln is not None and ln.page in read.ocr_pages})
    if not pages:
        return ""
    again = [p for p in pages if p in read.ocr_second_pass]
    if not again:
        return f" Read by OCR ({_pages(pages)}, one pass)."
    if all(read.ocr_second_pass[p] for p in again):
        return f" Read by OCR's second pass ({_pages(again)} again at full resolution; that reading is reported)."
    return (
        f" Read by OCR's first pass ({_pages(again)} read again at full resolution reconciled no more, "
        "so the first reading is reported)."
    )


def _pages(pages: list[int]) -> str:
    return f"page{'s' if len(pages) > 1 else ''} {', '.join(map(str, pages))}"


def _ocr_hint(line: Line) -> str:
    where = f"page {line.page}, line {line.line_no}" if line.page else f"line {line.line_no}"
    return f" The scan was read with low confidence ({line.confidence:.2f}) at {where}: check that spot."
