"""The same circular as text and as a text-layer PDF yields the same records.

The PDFs are rendered by pipeline.render_pdf from the fixture texts, so every layout the
text fixtures cover is also read back through the PDF reader (table gaps, wrapped lines,
page breaks).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Extraction, parse_document
from pipeline.render_pdf import circular_to_pdf
from tests.conftest import FIXTURES

CASES = sorted((FIXTURES / "reconcile").glob("*.txt")) + sorted((FIXTURES / "variants").glob("*.txt"))


def records_of(ex: Extraction) -> tuple:
    scores = sorted(
        (u, r.rank, str(r.score), r.grade, r.group) for u, r in zip(ex.score_units, ex.scores, strict=True)
    )
    entries = sorted(
        (e.unit, tuple(e.entry.items), str(e.entry.points), e.entry.kind, e.entry.reason) for e in ex.entries
    )
    meta = (ex.metadata.doc_class, ex.metadata.title, ex.metadata.issue_date, ex.metadata.period_start)
    return scores, entries, meta


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_text_and_pdf_give_the_same_records(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    as_text = records_of(parse_document(text.encode("utf-8"), path.name))
    as_pdf = records_of(parse_document(circular_to_pdf(text), path.with_suffix(".pdf").name))
    assert as_pdf == as_text
