"""Every finding check, declared once: its code, severity and what it means.

README.md's table of checks and the tests read CHECKS; a finding can only be made with a
code declared here (`finding` looks its severity up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, get_args

from parsers.document import Extraction
from parsers.model import Line
from pipeline.arithmetic import UnitArithmetic, fmt
from pipeline.records import provenance_of
from schemas import FindingRecord

Severity = Literal["error", "warning", "info"]
CheckCode = Literal[
    "score_mismatch",
    "table_mismatch",
    "rank_order",
    "missing_section",
    "missing_score",
    "not_in_table",
    "duplicate_item",
    "duplicate_unit",
    "veto",
    "unit_uncertain",
    "ocr_uncertain",
    "unparsed_entry",
    "unread_block",
    "truncated_total",
    "no_results",
    "value_out_of_range",
]


@dataclass(frozen=True, slots=True)
class Check:
    code: CheckCode
    severity: Severity
    description: str
    """What a finding of this code means, for README.md and a person reading the findings."""


CHECKS: dict[CheckCode, Check] = {
    c.code: c
    for c in (
        Check(
            "score_mismatch",
            "error",
            "base − deductions + bonuses ≠ the unit's stated score, or a weighted total ≠ the weighted "
            "sum of its parts (a quarter's average ≠ the mean of its months; a total of parts with "
            "their own maxima ≠ their sum)",
        ),
        Check("table_mismatch", "error", "the score table and the unit's own section state different scores"),
        Check(
            "rank_order",
            "warning",
            "a printed rank disagrees with the order of scores, under the ranking convention the "
            "document itself follows (competition 1, 2, 2, 4 or dense 1, 2, 2, 3, told from its ties); "
            "in a partial ranking (top and bottom places only) against the listed units alone",
        ),
        Check(
            "missing_section",
            "warning",
            "a unit scored below base has no deductions listed, where others have theirs",
        ),
        Check("missing_score", "warning", "a unit has deductions but no score anywhere"),
        Check("not_in_table", "warning", "a section of deductions for a unit the score table lacks"),
        Check("duplicate_item", "warning", "the same rubric item deducted twice for one unit"),
        Check(
            "duplicate_unit",
            "warning",
            "a unit listed twice in one ranking (info when both listings agree)",
        ),
        Check("veto", "info", "one-vote veto (一票否决): the unit's score is not the arithmetic result"),
        Check(
            "unit_uncertain",
            "warning",
            "a heading or table row attached to a unit by a one-character difference",
        ),
        Check(
            "ocr_uncertain",
            "warning",
            "a mismatch on a line OCR read with low confidence: check that spot on the scan",
        ),
        Check("unparsed_entry", "info", "a line with an amount that no entry rule matched"),
        Check(
            "unread_block",
            "warning",
            "lines that look like results (a table, entries, a ranking) but were not read with "
            "confidence: no rows came from them; read them by hand",
        ),
        Check(
            "truncated_total",
            "info",
            "a weighted total (or an average) printed as its exact value truncated, not rounded, to "
            "the printed digits: the issuer's convention, not an error",
        ),
        Check(
            "no_results",
            "warning",
            "a circular (a title with 通报/通知, a document number, an issuer or assessment results) "
            "of which no score, ranking or deduction was read: its metadata is kept, and the finding "
            "names the blocks not understood",
        ),
        Check(
            "value_out_of_range",
            "warning",
            "a number printed in the circular that no column can hold (a count of 2^63 or more, an "
            "amount past the float range): left out of its row, the finding names it",
        ),
    )
}
assert set(CHECKS) == set(get_args(CheckCode)), "every code is declared exactly once"


@dataclass(slots=True)
class Context:
    """What every check reads: the extraction and each unit's arithmetic."""

    ex: Extraction
    doc_id: str
    base: Decimal
    units: list[UnitArithmetic]
    lines_of: dict[str, list[Line]] = field(default_factory=dict)
    """The lines of each unit's entries."""

    def finding(
        self,
        code: CheckCode,
        unit: str | None,
        message: str,
        line: Line | None,
        expected: Decimal | str | None = None,
        actual: Decimal | str | None = None,
        *,
        severity: Severity | None = None,
    ) -> FindingRecord:
        """A finding of a declared check; `severity` only lowers the declared one (duplicate_unit)."""
        return FindingRecord(
            doc_id=self.doc_id,
            unit=unit,
            check=code,
            severity=severity or CHECKS[code].severity,
            message=message,
            expected=fmt(expected) if isinstance(expected, Decimal) else expected,
            actual=fmt(actual) if isinstance(actual, Decimal) else actual,
            **provenance_of(line),
        )


UnitCheck = Callable[[Context, UnitArithmetic], list[FindingRecord]]
DocumentCheck = Callable[[Context], list[FindingRecord]]
