"""Finding checks: declared once in registry.CHECKS, run in the order below.

A unit check runs on each unit's arithmetic in turn (so a unit's findings stay together); a
document check runs once. To add a check: declare its code in registry.py (code, severity,
description), write the function in the module of what it reads, and list it here.
"""

from __future__ import annotations

from pipeline.checks import lines, scores, units
from pipeline.checks.registry import CHECKS, Check, CheckCode, Context, DocumentCheck, Severity, UnitCheck
from schemas import FindingRecord

UNIT_CHECKS: tuple[UnitCheck, ...] = (
    units.veto,
    units.missing_section,
    units.missing_score,
    units.not_in_table,
    units.table_mismatch,
    units.score_mismatch,
    units.ocr_uncertain,
)
DOCUMENT_CHECKS: tuple[DocumentCheck, ...] = (
    scores.duplicate_unit,
    scores.rank_order,
    lines.duplicate_item,
    scores.weighted_totals,
    lines.unit_uncertain,
    lines.unparsed_entry,
    lines.unread_block,
    lines.no_results,
)


def run_checks(ctx: Context) -> list[FindingRecord]:
    """Every finding of one circular: the unit checks unit by unit, then the document checks."""
    findings: list[FindingRecord] = []
    for unit in ctx.units:
        for unit_check in UNIT_CHECKS:
            findings += unit_check(ctx, unit)
    for document_check in DOCUMENT_CHECKS:
        findings += document_check(ctx)
    return findings


__all__ = [
    "CHECKS",
    "DOCUMENT_CHECKS",
    "UNIT_CHECKS",
    "Check",
    "CheckCode",
    "Context",
    "Severity",
    "run_checks",
]
