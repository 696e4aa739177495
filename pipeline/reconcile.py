"""Reconcile each unit's arithmetic: base − deductions + bonuses against the stated scores.

All sums are exact decimals (`Decimal`), never float: 100 − 19.9 must be 80.1,
not 80.10000000000001.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from parsers.document import Extraction
from parsers.model import Line
from parsers.normalize import squash
from parsers.tables import ScoreRow
from pipeline.records import provenance_of
from schemas import FindingRecord, ReconciliationRecord

# OCR lines read with less confidence than this are not trusted to carry a real mismatch:
# the finding becomes `ocr_uncertain`, pointing at the line to check (issue 5).
DEFAULT_OCR_TRUST = 0.93


@dataclass(slots=True)
class UnitFacts:
    unit: str
    table_score: Decimal | None = None
    table_line: Line | None = None
    table_rank: int | None = None
    section_score: Decimal | None = None
    section_line: Line | None = None
    has_section: bool = False
    deducted: Decimal = Decimal(0)
    bonus: Decimal = Decimal(0)
    entries: int = 0
    veto: bool = False


def fmt(value: Decimal | None) -> str:
    """A decimal as a person writes it: 80.1, 81, 0.25."""
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return text


def _finding(
    doc_id: str,
    unit: str | None,
    check: str,
    severity: str,
    message: str,
    line: Line | None,
    expected: Decimal | str | None = None,
    actual: Decimal | str | None = None,
) -> FindingRecord:
    return FindingRecord(
        doc_id=doc_id,
        unit=unit,
        check=check,
        severity=severity,
        message=message,
        expected=fmt(expected) if isinstance(expected, Decimal) else expected,
        actual=fmt(actual) if isinstance(actual, Decimal) else actual,
        **provenance_of(line),
    )


def unit_facts(ex: Extraction) -> dict[str, UnitFacts]:
    """Collect, per unit, its table score, section score and entry totals."""
    facts: dict[str, UnitFacts] = {}
    for row, unit in zip(ex.scores, ex.score_units, strict=True):
        f = facts.setdefault(unit, UnitFacts(unit))
        if f.table_score is None:
            f.table_score, f.table_line, f.table_rank = row.score, row.line, row.rank
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


def reconcile(ex: Extraction, doc_id: str) -> tuple[list[ReconciliationRecord], list[FindingRecord]]:
    """Reconcile every unit of one circular; return its reconciliation rows and findings."""
    findings: list[FindingRecord] = []
    records: list[ReconciliationRecord] = []
    base = Decimal(str(ex.metadata.base_score if ex.metadata.base_score is not None else 100))
    facts = unit_facts(ex)
    lists_deductions = bool(ex.entries) or any(s.no_deductions for s in ex.sections)
    ocr = bool(ex.read.ocr_pages)
    lines_of: dict[str, list[Line]] = {}
    for item in ex.entries:
        lines_of.setdefault(item.unit, []).append(item.line)

    for f in facts.values():
        computed = base - f.deducted + f.bonus
        stated = f.section_score if f.section_score is not None else f.table_score
        status, note = "ok", None
        evidence = f.section_line or f.table_line
        if f.veto:
            findings.append(
                _finding(
                    doc_id,
                    f.unit,
                    "veto",
                    "info",
                    f"{f.unit}: one-vote veto (一票否决) applied; its score is not the arithmetic result.",
                    evidence,
                )
            )
        if not lists_deductions:
            continue
        if not f.has_section:
            if f.table_score is not None and f.table_score < base:
                status, note = "incomplete", "no deductions listed"
                findings.append(
                    _finding(
                        doc_id,
                        f.unit,
                        "missing_section",
                        "warning",
                        f"{f.unit}: scored {fmt(f.table_score)} (below the base {fmt(base)}) but no deductions are listed "
                        "for it, while other units have theirs.",
                        f.table_line,
                        base - f.table_score,
                        Decimal(0),
                    )
                )
            records.append(_record(doc_id, f, base, computed, status, note))
            continue
        if stated is None:
            status, note = "incomplete", "no score stated"
            findings.append(
                _finding(
                    doc_id,
                    f.unit,
                    "missing_score",
                    "warning",
                    f"{f.unit}: {f.entries} deduction entries (total {fmt(f.deducted)}) but no score in the table or its "
                    "section.",
                    _first(lines_of.get(f.unit)),
                    computed,
                    None,
                )
            )
            records.append(_record(doc_id, f, base, computed, status, note))
            continue
        if ex.scores and f.table_score is None and f.table_line is None:
            findings.append(
                _finding(
                    doc_id,
                    f.unit,
                    "not_in_table",
                    "warning",
                    f"{f.unit}: has a section of deductions but is missing from the score table.",
                    f.section_line or _first(lines_of.get(f.unit)),
                )
            )
        uncertain = ocr and _low_confidence([f.section_line, f.table_line, *lines_of.get(f.unit, [])])
        if f.section_score is not None and f.table_score is not None and f.section_score != f.table_score:
            status = "mismatch"
            check = "ocr_uncertain" if uncertain else "table_mismatch"
            findings.append(
                _finding(
                    doc_id,
                    f.unit,
                    check,
                    "error" if check == "table_mismatch" else "warning",
                    f"{f.unit}: the score table states {fmt(f.table_score)}, but its own section states "
                    f"{fmt(f.section_score)}." + (_ocr_hint(uncertain) if uncertain else ""),
                    uncertain or f.section_line,
                    f.table_score,
                    f.section_score,
                )
            )
        # When the table and the section disagree and the entries add up to one of them, the
        # disagreement is the finding (table_mismatch); the arithmetic is not wrong as well.
        agrees_with_one = computed in (f.section_score, f.table_score) and status == "mismatch"
        if computed != stated and not f.veto and not agrees_with_one:
            status = "mismatch"
            where = "its section" if f.section_score is not None else "the score table"
            arithmetic = f"{fmt(base)} − {fmt(f.deducted)}" + (f" + {fmt(f.bonus)}" if f.bonus else "")
            check = "ocr_uncertain" if uncertain else "score_mismatch"
            findings.append(
                _finding(
                    doc_id,
                    f.unit,
                    check,
                    "error" if check == "score_mismatch" else "warning",
                    f"{f.unit}: {arithmetic} = {fmt(computed)}, but {where} states {fmt(stated)} "
                    f"(off by {fmt(stated - computed)})." + (_ocr_hint(uncertain) if uncertain else ""),
                    uncertain or f.section_line or f.table_line,
                    computed,
                    stated,
                )
            )
        if uncertain and status == "mismatch":
            status, note = "incomplete", "OCR uncertain"
        records.append(_record(doc_id, f, base, computed, status, note))

    findings += duplicate_unit_findings(ex, doc_id)
    findings += rank_findings(ex, doc_id)
    findings += duplicate_item_findings(ex, doc_id)
    findings += weighted_total_findings(ex, doc_id)
    findings += attachment_findings(ex, doc_id)
    return records, findings


def _first(lines: list[Line] | None) -> Line | None:
    return lines[0] if lines else None


def _low_confidence(lines: list[Line | None]) -> Line | None:
    doubtful = [
        ln
        for ln in lines
        if ln is not None and ln.confidence is not None and ln.confidence < DEFAULT_OCR_TRUST
    ]
    return min(doubtful, key=lambda ln: ln.confidence or 0) if doubtful else None


def _ocr_hint(line: Line) -> str:
    where = f"page {line.page}, line {line.line_no}" if line.page else f"line {line.line_no}"
    return f" The scan was read with low confidence ({line.confidence:.2f}) at {where}: check that spot."


def _record(
    doc_id: str, f: UnitFacts, base: Decimal, computed: Decimal, status: str, note: str | None
) -> ReconciliationRecord:
    stated = f.section_score if f.section_score is not None else f.table_score
    return ReconciliationRecord(
        doc_id=doc_id,
        unit=f.unit,
        status=status,
        base=float(base),
        total_deducted=float(f.deducted),
        total_bonus=float(f.bonus),
        computed=float(computed),
        section_score=float(f.section_score) if f.section_score is not None else None,
        table_score=float(f.table_score) if f.table_score is not None else None,
        delta=float(stated - computed) if stated is not None else None,
        entries=f.entries,
        veto=f.veto,
        note=note,
    )


def rank_findings(ex: Extraction, doc_id: str) -> list[FindingRecord]:
    """Ranks against the order of scores, per ranking group (ties share a rank)."""
    findings = []
    groups: dict[str | None, list[tuple[str, int, Decimal, Line | None]]] = {}
    unranked: dict[str | None, list[Decimal]] = {}
    for row, unit in zip(ex.scores, ex.score_units, strict=True):
        if row.rank is not None and row.score is not None:
            groups.setdefault(row.group, []).append((unit, row.rank, row.score, row.line))
        elif row.score is not None:
            unranked.setdefault(row.group, []).append(row.score)
    for group, rows in groups.items():
        if len(rows) < 2:
            continue
        for unit, rank, score, line in rows:
            # Units scored but not ranked (ranks printed for the top and bottom three only, or a
            # unit marked 不参与排名) may or may not count: the printed rank must lie between the
            # rank among ranked units and the rank among all scored ones.
            best = 1 + sum(1 for _, _, other, _ in rows if other > score)
            worst = best + sum(1 for other in unranked.get(group, []) if other > score)
            if not best <= rank <= worst:
                expected = best if rank < best else worst
                findings.append(
                    _finding(
                        doc_id,
                        unit,
                        "rank_order",
                        "warning",
                        f"{unit}: printed rank {rank}, but its score {fmt(score)} ranks {expected} among the listed scores.",
                        line,
                        str(expected),
                        str(rank),
                    )
                )
    return findings


def duplicate_unit_findings(ex: Extraction, doc_id: str) -> list[FindingRecord]:
    """A unit listed twice in one ranking block (the second listing is not used for arithmetic)."""
    findings = []
    seen: dict[tuple[str | None, str], ScoreRow] = {}
    for row, unit in zip(ex.scores, ex.score_units, strict=True):
        key = (row.group, unit)
        first = seen.setdefault(key, row)
        if first is not row:
            same = first.score == row.score and first.rank == row.rank
            findings.append(
                _finding(
                    doc_id,
                    unit,
                    "duplicate_unit",
                    "info" if same else "warning",
                    f"{unit}: listed twice in the {'same ' if row.group is None else row.group + ' '}ranking"
                    + (
                        "."
                        if same
                        else f" (scores {fmt(first.score)} and {fmt(row.score)}); the first listing is used."
                    ),
                    row.line,
                )
            )
    return findings


def duplicate_item_findings(ex: Extraction, doc_id: str) -> list[FindingRecord]:
    """The same rubric item deducted twice for one unit."""
    findings = []
    seen: dict[str, Counter[int]] = {}
    first_line: dict[tuple[str, int], Line] = {}
    for item in ex.entries:
        if item.entry.kind != "deduction":
            continue
        counter = seen.setdefault(item.unit, Counter())
        for number in dict.fromkeys(item.entry.items):
            counter[number] += 1
            if counter[number] == 2:
                findings.append(
                    _finding(
                        doc_id,
                        item.unit,
                        "duplicate_item",
                        "warning",
                        f"{item.unit}: item {number} is deducted twice (lines {first_line[(item.unit, number)].line_no} "
                        f"and {item.line.line_no}).",
                        item.line,
                    )
                )
            first_line.setdefault((item.unit, number), item.line)
    return findings


def weighted_total_findings(ex: Extraction, doc_id: str) -> list[FindingRecord]:
    """A weighted total must equal the weighted sum of its parts (to the total's printed precision)."""
    findings = []
    for row, unit in zip(ex.scores, ex.score_units, strict=True):
        if row.mean_of_parts:
            findings += _mean_findings(row, unit, doc_id)
            continue
        weighted = [(w, s) for _, w, s in row.parts if w is not None and s is not None]
        if row.score is None or not weighted or len(weighted) != len(row.parts):
            continue
        total = sum((w * s for w, s in weighted), Decimal(0))
        exponent = row.score.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) else 2
        quantum = Decimal(1).scaleb(-max(places, 0))
        if abs(total - row.score) > quantum / 2 + Decimal("1e-9"):
            parts = " + ".join(f"{fmt(w)}×{fmt(s)}" for w, s in weighted)
            findings.append(
                _finding(
                    doc_id,
                    unit,
                    "score_mismatch",
                    "error",
                    f"{unit}: weighted total {parts} = {fmt(total)}, but the table states {fmt(row.score)}.",
                    row.line,
                    total,
                    row.score,
                )
            )
    return findings


def _mean_findings(row: ScoreRow, unit: str, doc_id: str) -> list[FindingRecord]:
    """A quarter's average must equal the mean of its months, to the average's printed precision."""
    values = [s for _, _, s in row.parts]
    if row.score is None or not values or any(v is None for v in values):
        return []
    known = [v for v in values if v is not None]
    mean = sum(known, Decimal(0)) / len(known)
    exponent = row.score.as_tuple().exponent
    quantum = Decimal(1).scaleb(-max(-exponent if isinstance(exponent, int) else 2, 0))
    if abs(mean - row.score) <= quantum / 2 + Decimal("1e-9"):
        return []
    shown = mean.quantize(Decimal("0.01")).normalize()
    return [
        _finding(
            doc_id,
            unit,
            "score_mismatch",
            "error",
            f"{unit}: the mean of {', '.join(fmt(v) for v in known)} is {fmt(shown)}, "
            f"but the table states {fmt(row.score)}.",
            row.line,
            shown,
            row.score,
        )
    ]


def attachment_findings(ex: Extraction, doc_id: str) -> list[FindingRecord]:
    """Headings attached to a unit by a one-character difference (an OCR or typing slip)."""
    findings = []
    for section in ex.sections:
        if section.match is not None and not section.match.exact:
            findings.append(
                _finding(
                    doc_id,
                    section.unit,
                    "unit_uncertain",
                    "warning",
                    f"section heading '{section.unit_raw}' was attached to '{section.unit}' (one character differs); "
                    "check the name.",
                    section.heading,
                )
            )
    seen: set[tuple[str, str]] = set()
    for item in ex.entries:
        if item.uncertain and (item.unit, item.unit_raw) not in seen:
            seen.add((item.unit, item.unit_raw))
            findings.append(
                _finding(
                    doc_id,
                    item.unit,
                    "unit_uncertain",
                    "warning",
                    f"deduction table row names '{item.unit_raw}', attached to '{item.unit}' (one character differs); "
                    "check the name.",
                    item.line,
                )
            )
    for line in ex.unmatched:
        findings.append(
            _finding(
                doc_id,
                None,
                "unparsed_entry",
                "info",
                "a line in a deduction section states an amount but matched no entry rule; check it by hand.",
                line,
            )
        )
    return findings
