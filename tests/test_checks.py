"""The checks registry, and each check on hand-built extractions (no parser involved)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest

from parsers.document import Extraction
from parsers.entries import Entry
from parsers.metadata.common import Metadata
from parsers.model import Line, ReadResult, UnreadBlock
from parsers.sections import UnitEntry
from parsers.tables import ScoreRow
from pipeline.checks import CHECKS, DOCUMENT_CHECKS, UNIT_CHECKS, CheckCode
from pipeline.checks.scores import ranking_convention
from pipeline.reconcile import reconcile

README = Path(__file__).resolve().parent.parent / "README.md"


def extraction(
    scores: list[tuple[str, int | None, str | None]] = (),  # type: ignore[assignment]
    entries: list[tuple[str, str]] = (),  # type: ignore[assignment]
    unread: list[UnreadBlock] = (),  # type: ignore[assignment]
    parts: dict[str, list[tuple[str, str, str]]] | None = None,
) -> Extraction:
    """An extraction built by hand: score rows (unit, rank, score), entries (unit, points)."""
    rows = []
    for n, (unit, rank, score) in enumerate(scores, start=1):
        row_parts = [(name, Decimal(w), Decimal(s)) for name, w, s in (parts or {}).get(unit, [])]
        rows.append(
            ScoreRow(
                unit_raw=unit,
                rank=rank,
                rank_raw=None if rank is None else str(rank),
                score=None if score is None else Decimal(score),
                grade=None,
                group=None,
                parts=row_parts,  # type: ignore[arg-type]
                line=Line(f"| {rank} | {unit} | {score} |", n),
            )
        )
    unit_entries = [
        UnitEntry(
            unit,
            unit,
            Entry([n], Decimal(points), "deduction", "问题", Decimal(points)),
            Line(f"（{n}）问题，扣{points}分", 100 + n),
        )
        for n, (unit, points) in enumerate(entries, start=1)
    ]
    metadata = Metadata(
        doc_class="result",
        doc_number=None,
        issuer=None,
        title="关于考核情况的通报",
        doc_type="通报",
        urgency=None,
        marking=None,
        addressees=[],
        issue_date=None,
        period_start=None,
        period_end=None,
        period_label=None,
        base_score=100,
        attachments=[],
    )
    return Extraction(
        read=ReadResult(lines=[], source_format="txt"),
        lines=[],
        metadata=metadata,
        scores=rows,
        score_units=[r.unit_raw for r in rows],
        sections=[],
        entries=unit_entries,
        unread=list(unread),
    )


def findings(ex: Extraction) -> list[tuple[str | None, str, str]]:
    return [(f.unit, f.check, f.severity) for f in reconcile(ex, "doc")[1]]


def test_every_code_is_declared_once_with_a_severity_and_a_description() -> None:
    assert set(CHECKS) == set(get_args(CheckCode))
    for code, check in CHECKS.items():
        assert check.code == code and check.severity in ("error", "warning", "info") and check.description
    assert len(UNIT_CHECKS) + len(DOCUMENT_CHECKS) >= len(CHECKS) - 2  # a few functions emit two codes


def test_the_readme_lists_exactly_the_registry_codes_with_their_severities() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| check | severity | meaning |") :].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (\w+) \|", table, flags=re.M)
    assert rows == [(code, check.severity) for code, check in CHECKS.items()]


def test_the_shared_contract_codes_are_all_declared() -> None:
    # ../shared/corpus/README.md: the codes the scorer knows keep their names.
    contract = {
        "score_mismatch",
        "table_mismatch",
        "rank_order",
        "missing_section",
        "missing_score",
        "duplicate_item",
    }
    assert contract <= set(CHECKS)


def test_arithmetic_that_adds_up_has_no_finding_and_one_that_does_not_is_an_error() -> None:
    assert findings(extraction([("甲县", 1, "98"), ("乙县", 2, "97")], [("甲县", "2"), ("乙县", "3")])) == []
    assert findings(extraction([("甲县", 1, "98")], [("甲县", "1.5")])) == [
        ("甲县", "score_mismatch", "error")
    ]


def test_unread_block_names_its_lines() -> None:
    first = Line("名次", 12, page=2)
    last = Line("5000", 30, line_end=31, page=2)
    ex = extraction(
        unread=[UnreadBlock(first, last, "a table whose rows do not fit its 5-column header", "table")]
    )
    record, said = reconcile(ex, "doc")[1]
    assert said.check == "no_results"  # nothing else was read from this circular
    assert (record.check, record.severity, record.unit) == ("unread_block", "warning", None)
    assert (record.page, record.line_start, record.line_end, record.raw_text) == (2, 12, 31, "名次")
    assert record.message == (
        "page 2, lines 12–31 look like a table but were not read: a table whose rows do not fit its "
        "5-column header; no rows came from them, read them by hand (first line: '名次')."
    )


def test_one_unread_block_one_finding() -> None:
    blocks = [UnreadBlock(Line("甲镇", n), Line("乙镇", n + 1), "why", "entries") for n in (1, 5)]
    ex = extraction([("甲镇", 1, "100")], unread=blocks)
    assert [c for _, c, _ in findings(ex)] == ["unread_block", "unread_block"]


@pytest.mark.parametrize(
    ("parts", "total", "code"),
    [
        # 0.6×95.71 + 0.4×89.45 = 93.206: printed 93.21 (rounded) is right.
        ([("暗访", "0.6", "95.71"), ("资料", "0.4", "89.45")], "93.21", None),
        # 0.5×92.937 + 0.5×92.935 = 92.936: printed 92.93 is the sum truncated (field-survey §4).
        ([("暗访", "0.5", "92.937"), ("资料", "0.5", "92.935")], "92.93", "truncated_total"),
        # Printed 92.92: neither rounding nor truncation of 92.936.
        ([("暗访", "0.5", "92.937"), ("资料", "0.5", "92.935")], "92.92", "score_mismatch"),
    ],
)
def test_a_truncated_weighted_total_is_info_not_a_mismatch(parts, total: str, code: str | None) -> None:
    ex = extraction([("甲县", 1, total)], parts={"甲县": parts})
    assert [(c, s) for _, c, s in findings(ex)] == ([] if code is None else [(code, CHECKS[code].severity)])
    if code == "truncated_total":
        (record,) = reconcile(ex, "doc")[1]
        assert "cut to 2 decimal place(s) rather than rounded" in record.message
        assert (record.expected, record.actual) == ("92.936", "92.93")


def test_ranking_convention_is_told_from_the_documents_ties() -> None:
    d = Decimal
    assert ranking_convention([[(1, d(99)), (2, d(98)), (2, d(98)), (4, d(97))]]) == "competition"
    assert ranking_convention([[(1, d(99)), (2, d(98)), (2, d(98)), (3, d(97))]]) == "dense"
    assert ranking_convention([[(1, d(99)), (2, d(98)), (3, d(97))]]) == "competition"  # no tie: no evidence
    # One rank printed for two different scores is an error, not a convention.
    assert ranking_convention([[(1, d(99)), (2, d(98)), (2, d(96)), (3, d(95))]]) == "competition"


@pytest.mark.parametrize(
    ("ranks", "flagged"),
    [
        ([1, 2, 2, 4, 5], set()),  # competition, followed throughout
        ([1, 2, 2, 3, 4], set()),  # dense, followed throughout: the issuer's convention
        ([1, 2, 2, 3, 5], {"戊县"}),  # dense by its tie, then a gap: 戊县 should be 4
        ([1, 2, 2, 4, 4], {"戊县"}),  # competition by its tie; 戊县 (lower score) shares 丁县's 4
    ],
)
def test_rank_order_is_checked_against_the_documents_own_convention(
    ranks: list[int], flagged: set[str]
) -> None:
    units = ["甲县", "乙县", "丙县", "丁县", "戊县"]
    scores = ["99", "98", "98", "97", "96"]
    ex = extraction(list(zip(units, ranks, scores, strict=True)))
    assert {u for u, c, _ in findings(ex) if c == "rank_order"} == flagged


@pytest.mark.parametrize(
    ("ranks", "scores", "flagged"),
    [
        # Top three and bottom three of twelve: the middle six are not printed, so 10 is no error.
        ([1, 2, 3, 10, 11, 12], ["96", "95", "94", "81", "80", "79"], set()),
        # ...but a bottom unit scoring above a top one is: 丁县 (96.5) cannot be 10th below 甲县 (96).
        ([1, 2, 3, 10, 11, 12], ["96", "95", "94", "96.5", "80", "79"], {"甲县", "乙县", "丙县", "丁县"}),
    ],
)
def test_a_partial_ranking_bounds_ranks_by_the_listed_units_only(
    ranks: list[int], scores: list[str], flagged: set[str]
) -> None:
    units = ["甲县", "乙县", "丙县", "丁县", "戊县", "己县"]
    ex = extraction(list(zip(units, ranks, scores, strict=True)))
    assert {u for u, c, _ in findings(ex) if c == "rank_order"} == flagged


@pytest.mark.parametrize(("total", "flagged"), [("94", False), ("95", True)])
def test_a_total_of_parts_with_their_own_maxima_is_their_sum(total: str, flagged: bool) -> None:
    # 物业 of 40 + 社区 of 30 + 城管 of 30 (field-survey.md §4): additive parts, no weights.
    ex = extraction([("甲街道", 1, total)])
    row = ex.scores[0]
    row.parts = [
        ("物业", None, Decimal("38.5")),
        ("社区", None, Decimal("27")),
        ("城管", None, Decimal("28.5")),
    ]  # type: ignore[list-item]
    row.part_maxima = [Decimal(40), Decimal(30), Decimal(30)]
    assert [(c, s) for _, c, s in findings(ex)] == ([("score_mismatch", "error")] if flagged else [])


def test_parts_whose_maxima_are_not_the_total_are_not_summed() -> None:
    # Maxima adding to 90 against a base of 100: not the parts of this total; no claim is made.
    ex = extraction([("甲街道", 1, "80")])
    ex.scores[0].parts = [("甲", None, Decimal("30")), ("乙", None, Decimal("30"))]  # type: ignore[list-item]
    ex.scores[0].part_maxima = [Decimal(40), Decimal(50)]
    assert findings(ex) == []


def test_no_results_names_the_blocks_not_understood() -> None:
    block = UnreadBlock(
        Line("名次", 12), Line("5000", 30), "a table whose rows do not fit its 5-column header"
    )
    ex = extraction(unread=[block])
    ex.unmatched = [Line("甲镇扣分若干", 40)]
    assert [(c, s) for _, c, s in findings(ex)] == [
        ("unparsed_entry", "info"),
        ("unread_block", "warning"),
        ("no_results", "warning"),
    ]
    record = reconcile(ex, "doc")[1][-1]
    assert record.message == (
        "read as a circular (a title with 通报/通知), but no score, ranking or deduction was read: not "
        "understood: lines 12–30 (a table whose rows do not fit its 5-column header); line 40 (an amount "
        "no entry rule matched). Its metadata is kept."
    )
    assert record.line_start == 12


def test_no_results_of_a_notice_classed_other_is_information_and_says_its_class() -> None:
    ex = extraction()
    ex.metadata.doc_class = "other"
    assert [(c, s) for _, c, s in findings(ex)] == [("no_results", "info")]
    assert reconcile(ex, "doc")[1][-1].message.endswith(
        "It is classed `other` (no assessment results expected); check it if it reports results."
    )


def test_no_results_is_not_said_of_a_rubric_or_a_circular_with_results() -> None:
    rubric = extraction()
    rubric.metadata.doc_class = "rubric"
    assert findings(rubric) == []
    assert findings(extraction([("甲县", 1, "100")])) == []


@pytest.mark.parametrize(("total", "flagged"), [("85.97", False), ("86.97", True)])
def test_parts_printed_already_weighted_add_up_to_the_total(total: str, flagged: bool) -> None:
    # y06: `政务服务满意度指数（70%）` 59.97 and `市场主体发展指数（30%）` 26, each within its share of
    # 100, sum to 85.97; weighting them again (0.7×59.97 + 0.3×26) is no check of this total.
    ex = extraction([("甲县", 1, total)], parts={"甲县": [("政务", "0.7", "59.97"), ("市场", "0.3", "26")]})
    assert [c for _, c, _ in findings(ex)] == (["score_mismatch"] if flagged else [])
