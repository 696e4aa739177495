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
