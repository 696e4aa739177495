"""The real circular end to end, and broken copies of it that must raise exactly the right findings."""

from __future__ import annotations

import pytest

from parsers.document import parse_document
from pipeline.reconcile import reconcile


def run(text: str):
    ex = parse_document(text.encode("utf-8"), "xinyang-2022-07.txt")
    records, findings = reconcile(ex, "doc")
    return ex, records, {(f.unit, f.check) for f in findings}, findings


def test_real_circular_reads_completely(real_text: str) -> None:
    ex, records, found, _ = run(real_text)
    assert ex.metadata.doc_number is not None and ex.metadata.doc_number.text == "信安委办明电〔2022〕1号"
    assert [(u, r.rank, str(r.score)) for u, r in zip(ex.score_units, ex.scores, strict=True)][:3] == [
        ("新县", 1, "85.7"),
        ("淮滨县", 2, "83.5"),
        ("潢川县", 3, "82.6"),
    ]
    assert len(ex.entries) == 205
    gushi = [e.entry for e in ex.entries if e.unit == "固始县" and e.entry.items == [84, 86, 87]]
    assert len(gushi) == 1 and str(gushi[0].points) == "3"
    assert {r.status for r in records} == {"ok"} and len(records) == 10
    assert found == set()


def test_real_circular_provenance_points_at_the_lines(real_text: str) -> None:
    ex, *_ = run(real_text)
    wrapped = next(e for e in ex.entries if e.unit == "罗山县" and e.entry.items == [38])
    # `…双向互动，` / (blank) / `扣 1 分；` — lines 168 to 170 of the file.
    assert wrapped.line.raw_text.splitlines()[-1] == "扣 1 分；"
    assert wrapped.line.last_line == wrapped.line.line_no + 2
    assert real_text.splitlines()[wrapped.line.line_no - 1].startswith("(38)")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def test_stated_score_changed_in_table_and_section(real_text: str) -> None:
    broken = replace_once(real_text, "| 6 | 浉河区 | 80.1 |", "| 6 | 浉河区 | 80.3 |")
    broken = replace_once(broken, "浉河区得分 **80.1** 分", "浉河区得分 **80.3** 分")
    _, records, found, findings = run(broken)
    assert found == {("浉河区", "score_mismatch")}
    assert next(r for r in records if r.unit == "浉河区").status == "mismatch"
    message = next(f.message for f in findings)
    assert message == "浉河区: 100 − 19.9 = 80.1, but its section states 80.3 (off by 0.2)."


def test_stated_score_changed_in_section_only(real_text: str) -> None:
    broken = replace_once(real_text, "浉河区得分 **80.1** 分", "浉河区得分 **81.0** 分")
    _, _, found, _ = run(broken)
    assert found == {("浉河区", "table_mismatch")}


def test_deduction_line_removed(real_text: str) -> None:
    broken = replace_once(real_text, "(48) 区党政领导督导调研无专家参与，扣 1 分；\n", "")
    _, records, found, _ = run(broken)
    assert found == {("浉河区", "score_mismatch")}
    row = next(r for r in records if r.unit == "浉河区")
    assert (row.computed, row.section_score, row.delta) == (81.1, 80.1, -1.0)


def test_unit_dropped_from_table(real_text: str) -> None:
    broken = replace_once(real_text, "| 10 | 固始县 | 77 |\n", "")
    _, records, found, _ = run(broken)
    assert found == {("固始县", "not_in_table")}
    assert next(r for r in records if r.unit == "固始县").status == "ok"  # its section still adds up


def test_item_repeated(real_text: str) -> None:
    broken = replace_once(
        real_text, "- (9) 区党委督查委未对安全生产开展专项督查", "- (6) 区党委督查委未对安全生产开展专项督查"
    )
    _, _, found, _ = run(broken)
    assert found == {("平桥区", "duplicate_item")}


def test_ranks_swapped(real_text: str) -> None:
    broken = replace_once(real_text, "| 2 | 淮滨县 | 83.5 |", "| 3 | 淮滨县 | 83.5 |")
    broken = replace_once(broken, "| 3 | 潢川县 | 82.6 |", "| 2 | 潢川县 | 82.6 |")
    _, _, found, _ = run(broken)
    assert found == {("淮滨县", "rank_order"), ("潢川县", "rank_order")}


def test_section_removed_gives_missing_section(real_text: str) -> None:
    start = real_text.index("新县得分 85.7 分")
    end = real_text.index("固始县得分 77 分")
    _, records, found, _ = run(real_text[:start] + real_text[end:])
    assert found == {("新县", "missing_section")}
    assert next(r for r in records if r.unit == "新县").status == "incomplete"


@pytest.mark.parametrize("decimal_text", ["0.4", "０．４"])
def test_fullwidth_amounts_are_exact(real_text: str, decimal_text: str) -> None:
    broken = real_text.replace(
        "述职报告中未涉及安全生产内容，扣 0.4 分", f"述职报告中未涉及安全生产内容，扣 {decimal_text} 分"
    )
    _, _, found, _ = run(broken)
    assert found == set()


def test_unit_listed_twice_in_the_table(real_text: str) -> None:
    broken = replace_once(real_text, "| 10 | 固始县 | 77 |", "| 10 | 固始县 | 77 |\n| 11 | 新 县 | 75 |")
    _, _, found, findings = run(broken)
    assert ("新县", "duplicate_unit") in found
    message = next(f.message for f in findings if f.check == "duplicate_unit")
    assert (
        message == "新县: listed twice in the same ranking (scores 85.7 and 75); the first listing is used."
    )
