"""Reconciliation rules on fixture circulars: veto lines, document class from what was found."""

from __future__ import annotations

from parsers.document import parse_document
from pipeline.reconcile import reconcile
from tests.conftest import FIXTURES

VARIANTS = FIXTURES / "variants"


def findings_of(name: str) -> tuple[str, set[tuple[str | None, str]]]:
    ex = parse_document((VARIANTS / name).read_bytes(), name)
    _, findings = reconcile(ex, "doc")
    return ex.metadata.doc_class, {(f.unit, f.check) for f in findings}


def test_veto_entry_line_is_a_veto_not_an_unparsed_entry() -> None:
    # `（20）发生较大生产安全责任事故，一票否决。` under 祥符区 (scored 60, deductions 1).
    _, found = findings_of("base-veto.txt")
    assert found == {("祥符区", "veto")}


def test_scores_found_make_a_result_even_without_text_cues() -> None:
    doc_class, _ = findings_of("grade-list-headings.txt")
    assert doc_class == "result"


def reconciled(name: str):
    ex = parse_document((FIXTURES / "reconcile" / name).read_bytes(), name)
    records, findings = reconcile(ex, "doc")
    return {r.unit: r for r in records}, {(f.unit, f.check) for f in findings}


def test_mixed_heading_styles_each_open_their_unit() -> None:
    # `（一）甲县：得分97.5分。`, `（二）乙区，考核得分96分，主要扣分项如下：`, `（三）丙县 94.5分`
    # (no 得分 word), `（四）丁市扣分情况（得分93分）：` with 第N条 entries on one line.
    records, found = reconciled("heading-styles-mixed.txt")
    assert {u: (r.total_deducted, r.status) for u, r in records.items()} == {
        "甲县": (2.5, "ok"),
        "乙区": (4.0, "ok"),
        "丙县": (5.5, "ok"),
        "丁市": (7.0, "ok"),
    }
    assert found == set()


def test_deduction_table_short_names_attach_to_the_tables_long_names() -> None:
    # The score table prints `信阳市浉河区`; the deduction table `浉河区`. 罗山县 ties 平桥区 at
    # 94.2 but is printed third.
    records, found = reconciled("table-long-names-deductions-short.txt")
    assert set(records) == {"信阳市浉河区", "平桥区", "罗山县", "光山县"}
    assert all(r.status == "ok" for r in records.values())
    assert found == {("罗山县", "rank_order")}


def test_deduction_table_name_one_character_off_is_attached_with_a_finding() -> None:
    # `浞河区` in the deduction table (an OCR slip for the table's `浉河区`).
    records, found = reconciled("deduction-table-ocr-slip.txt")
    assert records["浉河区"].total_deducted == 2.0 and records["浉河区"].status == "ok"
    assert found == {("浉河区", "unit_uncertain")}


def test_score_table_problems_column_holds_the_entries() -> None:
    # `| 名次 | 县区 | 得分 | 存在问题 |` with `（3）…扣1分；（7）…扣0.5分` in the 存在问题 cell.
    ex = parse_document((FIXTURES / "reconcile" / "score-table-problems-column.txt").read_bytes(), "t.txt")
    assert [(e.unit, e.entry.items, str(e.entry.points)) for e in ex.entries] == [
        ("甲县", [3], "1"),
        ("甲县", [7], "0.5"),
        ("乙区", [2], "2"),
        ("乙区", [9], "1"),
    ]
    records, found = reconciled("score-table-problems-column.txt")
    assert {u: r.status for u, r in records.items()} == {"甲县": "ok", "乙区": "ok", "丙县": "ok"}
    assert found == set()


def test_unit_heading_then_a_score_line() -> None:
    # `（一）甲县` on its own line, then `得分：98分，扣分原因如下：`; `（二）乙区` then `考核得分96分。`
    # 乙区: the table says 96.5 (what its entries give), its section 96: a table mismatch.
    records, found = reconciled("unit-then-score-line.txt")
    assert {u: (r.section_score, r.total_deducted, r.status) for u, r in records.items()} == {
        "甲县": (98.0, 2.0, "ok"),
        "乙区": (96.0, 3.5, "mismatch"),
    }
    assert found == {("乙区", "table_mismatch")}


def test_ranks_printed_for_some_units_only_are_checked_against_every_score() -> None:
    # Ranks printed for the top three and the bottom three only; 经开区 scores highest but is
    # 不参与排名. A printed rank must lie between the rank among ranked units and the rank among
    # all scored ones: 迎江区 (8th, 92.6) is, 桐城市 (1st with 96.0, below 潜山市's 96.8) is not.
    _, found = reconciled("ranks-top-and-bottom-only.txt")
    assert found == {("桐城市", "rank_order")}


def test_veto_in_a_deduction_tables_amount_cell_is_a_veto_not_an_unparsed_row() -> None:
    records, found = reconciled("deduction-table-veto-row.txt")
    assert {u: r.status for u, r in records.items()} == {"石台县": "ok", "青阳县": "ok", "东至县": "ok"}
    assert found == {("东至县", "veto")}
