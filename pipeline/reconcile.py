"""Reconcile one circular: compute each unit's arithmetic, then run the checks.

The arithmetic (exact decimals) is pipeline/arithmetic.py; every finding comes from a check
declared in pipeline/checks/registry.py.
"""

from __future__ import annotations

from parsers.document import Extraction
from pipeline.arithmetic import UnitArithmetic, base_of, entry_lines, unit_arithmetic
from pipeline.checks import Context, run_checks
from schemas import FindingRecord, ReconciliationRecord


def reconcile(ex: Extraction, doc_id: str) -> tuple[list[ReconciliationRecord], list[FindingRecord]]:
    """Reconcile every unit of one circular; return its reconciliation rows and findings."""
    units = unit_arithmetic(ex)
    records = [reconciliation_record(doc_id, a) for a in units if a.reconciled]
    findings = run_checks(Context(ex, doc_id, base_of(ex), units, entry_lines(ex)))
    return records, findings


def reconciliation_record(doc_id: str, a: UnitArithmetic) -> ReconciliationRecord:
    """The reconciliation row of one unit's arithmetic."""
    f = a.facts
    return ReconciliationRecord(
        doc_id=doc_id,
        unit=f.unit,
        status=a.status,
        base=float(a.base),
        total_deducted=float(f.deducted),
        total_bonus=float(f.bonus),
        computed=float(a.computed),
        section_score=float(f.section_score) if f.section_score is not None else None,
        table_score=float(f.table_score) if f.table_score is not None else None,
        delta=float(a.stated - a.computed) if a.stated is not None else None,
        entries=f.entries,
        veto=f.veto,
        note=a.note,
    )
