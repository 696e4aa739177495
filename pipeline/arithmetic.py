"""Each unit's arithmetic: base − deductions + bonuses against the scores it is stated.

All sums are exact decimals (`Decimal`), never float: 100 − 19.9 must be 80.1,
not 80.10000000000001. What the arithmetic finds is reported by pipeline/checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parsers.document import Extraction
from parsers.model import Line
from parsers.normalize import squash

# OCR lines read with less confidence than this are not trusted to carry a real mismatch:
# the finding becomes `ocr_uncertain`, pointing at the line to check (issue 5).
DEFAULT_OCR_TRUST = 0.93


@dataclass(slots=True)
class UnitFacts:
    """What the circular states about one unit: its scores, and the sum of its entries."""

    unit: str
    table_score: Decimal | None = None
    table_line: Line | None = None
    section_score: Decimal | None = None
    section_line: Line | None = None
    has_section: bool = False
    deducted: Decimal = Decimal(0)
    bonus: Decimal = Decimal(0)
    entries: int = 0
    veto: bool = False


@dataclass(slots=True)
class UnitArithmetic:
    """One unit's arithmetic and its reconciliation status."""

    facts: UnitFacts
    base: Decimal
    computed: Decimal
    stated: Decimal | None
    status: str = "ok"  # ok | mismatch | incomplete
    note: str | None = None
    reconciled: bool = False
    """The circular lists deductions, so this unit gets a reconciliation row."""
    table_disagrees: bool = False
    """The score table and the unit's own section state different scores."""
    arithmetic_wrong: bool = False
    """base − deductions + bonuses ≠ the stated score (and no veto or table disagreement explains it)."""
    uncertain: Line | None = None
    """The line OCR read with the lowest confidence among this unit's evidence, when below trust."""


def fmt(value: Decimal | None) -> str:
    """A decimal as a person writes it: 80.1, 81, 0.25."""
    if value is None:
        return "—"
    return format(value.normalize(), "f")


def base_of(ex: Extraction) -> Decimal:
    """The score a unit starts from: the document's, else 100."""
    return Decimal(str(ex.metadata.base_score if ex.metadata.base_score is not None else 100))


def unit_facts(ex: Extraction) -> dict[str, UnitFacts]:
    """Collect, per unit, its table score, section score and entry totals."""
    facts: dict[str, UnitFacts] = {}
    for row, unit in zip(ex.scores, ex.score_units, strict=True):
        f = facts.setdefault(unit, UnitFacts(unit))
        if f.table_score is None:
            f.table_score, f.table_line = row.score, row.line
        if "否决" in (row.grade or "") + squash(row.line.text if row.line else ""):
            f.veto = True
    for section in ex.sections:
        f = facts.setdefault(section.unit, UnitFacts(section.unit))
        f.has_section = True
        if f.section_score is None and section.score is not None:
            f.section_score, f.section_line = section.score, section.heading
        if section.veto or "否决" in section.heading.text:
            f.veto = True
    for unit in ex.vetoed:
        facts.setdefault(unit, UnitFacts(unit)).veto = True
    for item in ex.entries:
        f = facts.setdefault(item.unit, UnitFacts(item.unit))
        f.has_section = True
        f.entries += 1
        if item.entry.kind == "bonus":
            f.bonus += item.entry.points
        else:
            f.deducted += item.entry.points
    return facts


def entry_lines(ex: Extraction) -> dict[str, list[Line]]:
    """The lines of each unit's entries, in order."""
    lines_of: dict[str, list[Line]] = {}
    for item in ex.entries:
        lines_of.setdefault(item.unit, []).append(item.line)
    return lines_of


def unit_arithmetic(ex: Extraction) -> list[UnitArithmetic]:
    """Every unit's arithmetic, in the order units first appear (table, sections, entries)."""
    base = base_of(ex)
    lists_deductions = bool(ex.entries) or any(s.no_deductions for s in ex.sections)
    lines_of = entry_lines(ex)
    units = []
    for f in unit_facts(ex).values():
        stated = f.section_score if f.section_score is not None else f.table_score
        arithmetic = UnitArithmetic(f, base, base - f.deducted + f.bonus, stated, reconciled=lists_deductions)
        if lists_deductions:
            _settle(arithmetic, base, bool(ex.read.ocr_pages), lines_of.get(f.unit, []))
        units.append(arithmetic)
    return units


def _settle(a: UnitArithmetic, base: Decimal, ocr: bool, lines: list[Line]) -> None:
    """Decide a reconciled unit's status from what it states and what its entries give."""
    f = a.facts
    if not f.has_section:
        if f.table_score is not None and f.table_score < base:
            a.status, a.note = "incomplete", "no deductions listed"
        return
    if a.stated is None:
        a.status, a.note = "incomplete", "no score stated"
        return
    a.uncertain = low_confidence([f.section_line, f.table_line, *lines]) if ocr else None
    if f.section_score is not None and f.table_score is not None and f.section_score != f.table_score:
        a.status, a.table_disagrees = "mismatch", True
    # When the table and the section disagree and the entries add up to one of them, the
    # disagreement is the finding (table_mismatch); the arithmetic is not wrong as well.
    agrees_with_one = a.table_disagrees and a.computed in (f.section_score, f.table_score)
    if a.computed != a.stated and not f.veto and not agrees_with_one:
        a.status, a.arithmetic_wrong = "mismatch", True
    if a.uncertain is not None and a.status == "mismatch":
        a.status, a.note = "incomplete", "OCR uncertain"


def low_confidence(lines: list[Line | None]) -> Line | None:
    """The least confident OCR line among `lines`, when it is below DEFAULT_OCR_TRUST."""
    doubtful = [
        ln
        for ln in lines
        if ln is not None and ln.confidence is not None and ln.confidence < DEFAULT_OCR_TRUST
    ]
    return min(doubtful, key=lambda ln: ln.confidence or 0) if doubtful else None
