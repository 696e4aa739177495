"""What the test_family_* modules read off their small invented pages (tests/fixtures/familyN/)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from parsers.document import Extraction, parse_document


def page_parser(folder: str) -> Callable[[str], Extraction]:
    """A function parsing a page of tests/fixtures/`folder` by its name."""
    fixtures = Path(__file__).parent / "fixtures" / folder

    def parsed(name: str) -> Extraction:
        return parse_document((fixtures / name).read_bytes(), name)

    return parsed


def scores(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def entries(ex: Extraction) -> list[tuple[str, list[int], str, Decimal, str]]:
    return [(e.unit, e.entry.items, e.entry.kind, e.entry.points, e.entry.reason) for e in ex.entries]
