"""Flattened and odd-shaped tables (field-survey.md §1, §4) as text and as web pages: no invented numbers.

Each fixture in tests/fixtures/tables/ (invented; make_fixtures.py) is read as .txt, as a web
page with a <p> per cell (`-p.html`) and as a web page with a <table> (`-table.html`). Money,
count, rank and free-text columns never become deductions or scores; deductions come only from
columns whose header names them; a block that cannot be read yields no rows and an UnreadBlock.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from parsers.document import Extraction, parse_document
from parsers.model import Line
from parsers.normalize import cells_to_text
from parsers.tables import extract_tables, restore_table_rows

FIXTURES = Path(__file__).parent / "fixtures" / "tables"
FORMATS = [".txt", "-p.html", "-table.html"]


def parse(name: str) -> Extraction:
    path = FIXTURES / name
    return parse_document(path.read_bytes(), path.name)


def scores(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def deductions(ex: Extraction) -> list[tuple[str, str, Decimal]]:
    return [(item.unit, item.entry.reason, item.entry.points) for item in ex.entries]


D = Decimal
# Case: (units with rank and score, deductions printed in the table).
EXPECTED: dict[str, tuple[list[tuple[str, int | None, Decimal | None]], list[tuple[str, str, Decimal]]]] = {
    # Rank words (第一名, 并列第三), a free-text column with blank cells, prize money: no deduction.
    "money-rank-freetext": (
        [("东岭村", 1, D("96.5")), ("西坪村", 2, D("95")), ("南塘村", 3, D("93")), ("北岗村", 3, D("93"))],
        [],
    ),
    # A count of problems beside the score, every cell ending in ` |`.
    "count-pipe": ([("青禾镇", 1, D("98.5")), ("白石乡", 2, D("97")), ("红叶镇", 3, D("92.5"))], []),
    # Counts of villages beside a score and a grade, cells one per line with nothing between.
    "villages-count": (
        [("青禾镇", None, D("95.2")), ("白石乡", None, D("88")), ("红叶镇", None, D("79.5"))],
        [],
    ),
    # Prize money and a 备注, no score: ranks only.
    "money-no-score": ([("青禾镇", 1, None), ("白石乡", 2, None), ("红叶镇", 3, None)], []),
    # A free-text 存在问题 column in a clean Markdown table does not break it (and holds no 扣…分).
    "markdown-freetext": ([("青禾镇", 1, D("97.5")), ("白石乡", 2, D("95")), ("红叶镇", 3, D("90.5"))], []),
    # Cells apart by single spaces; the months are parts of the quarter's mean.
    "single-space-rows": (
        [("甲街道", None, D("95.06")), ("乙街道", None, D("93.10")), ("丙街道", None, D("91.30"))],
        [],
    ),
    # Units as columns.
    "transposed": ([("柳溪镇", 1, D("96")), ("石门镇", 2, D("91.5")), ("桃源镇", 3, D("88"))], []),
    # Additive parts with their maxima: parts, not deductions.
    "parts-with-maximum": (
        [("金桂苑", None, D("93")), ("银杏园", None, D("89")), ("翠竹里", None, D("85"))],
        [],
    ),
    # A base in the score header: the 扣分值 column is the units' deductions, its header the reason.
    "base-in-header": (
        [("青禾镇", None, D("20")), ("白石乡", None, D("22.5")), ("红叶镇", None, D("18"))],
        [("青禾镇", "扣分值", D("4")), ("白石乡", "扣分值", D("1.5")), ("红叶镇", "扣分值", D("6"))],
    ),
    # Deduction columns named by how the points were found, written `-4`.
    "deduction-columns": (
        # 序号 is not a rank here: the rows are not in order of score.
        [("柳溪镇", None, D("94")), ("桃源街道", None, D("99")), ("石门镇", None, D("94.5"))],
        [
            ("柳溪镇", "暗访扣分", D("4")),
            ("柳溪镇", "明查扣分", D("2")),
            ("桃源街道", "暗访扣分", D("1")),
            ("石门镇", "暗访扣分", D("3")),
            ("石门镇", "明查扣分", D("2.5")),
        ],
    ),
}
# The `-p.html` pages print a blank cell as `<p>&nbsp;</p>`: the reader keeps its place, so `-1`
# under 暗访扣分 is told from one under 明查扣分 (a page that drops the paragraph altogether is
# unread: tests/test_tables_gaps.py).
UNREADABLE: set[str] = set()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_flattened_table_gives_its_printed_rows_and_no_invented_deduction(case: str, fmt: str) -> None:
    name = case + fmt
    ex = parse(name)
    if name in UNREADABLE:
        assert ex.scores == [] and ex.entries == []
        assert len(ex.unread) == 1 and ex.unread[0].kind == "table"
        return
    expected_scores, expected_deductions = EXPECTED[case]
    assert scores(ex) == expected_scores
    assert deductions(ex) == expected_deductions
    assert ex.unread == []


def test_parts_keep_their_maximum_and_the_score_its_base() -> None:
    parts = parse("parts-with-maximum.txt").scores[0]
    assert parts.parts == [("物业", None, D("38")), ("社区", None, D("27")), ("城管", None, D("28"))]
    assert parts.part_maxima == [D("40"), D("30"), D("30")]
    assert parse("base-in-header.txt").scores[0].score_max == D("24")


def test_quarter_mean_of_months_read_from_single_space_rows() -> None:
    row = parse("single-space-rows.txt").scores[0]
    assert row.mean_of_parts
    assert [score for _, _, score in row.parts] == [D("95.65"), D("93.73"), D("95.80")]


# ---------------------------------------------------------------- on hand-built lines


def cells_per_line(values: list[str], step: int = 1) -> list[Line]:
    return [Line(value, 1 + k * step) for k, value in enumerate(values) if value.strip()]


def test_blank_cell_placed_by_the_line_it_left_empty() -> None:
    # One cell per line with blank lines between: the lone-space cell was dropped, its line number remains.
    values = ["名次", "单位", "备注", "得分", "1", "甲镇", "整改及时。", "96", "2", "乙镇", " ", "95"]
    restored = restore_table_rows(cells_per_line(values, step=2))
    assert [line.cells for line in restored][2] == ("2", "乙镇", "", "95")


def test_ambiguous_flattened_block_is_unread_and_its_numbers_kept_from_other_passes() -> None:
    # Two deduction columns and one amount: which column it stands in cannot be told.
    values = ["单位", "暗访扣分", "明查扣分", "得分", "甲镇", "2", "98", "乙镇", "1", "3", "96"]
    lines = restore_table_rows(cells_per_line(values))
    tables = extract_tables(lines)
    assert tables.scores == [] and tables.deductions == []
    assert [(block.first.text, block.last.text) for block in tables.unread] == [("单位", "96")]
    assert {line.line_no for line in lines if line.cells is None} <= tables.table_lines


def test_rows_left_over_after_a_restored_table_are_named() -> None:
    # The third row's score is missing: the rows read end early, and the rest is not guessed at.
    values = ["排名", "单位", "得分", "1", "甲镇", "96", "2", "乙镇", "95", "3", "丙镇"]
    lines = restore_table_rows(cells_per_line(values))
    tables = extract_tables(lines)
    assert tables.scores == [] and len(tables.unread) == 1


def test_transposed_table_rows() -> None:
    rows = [("项目", "甲镇", "乙镇"), ("得分", "96", "91"), ("名次", "1", "2")]
    lines = [Line(cells_to_text(r), k + 1, cells=r) for k, r in enumerate(rows)]
    restored = restore_table_rows(lines)
    assert [line.cells for line in restored] == [
        ("单位", "得分", "名次"),
        ("甲镇", "96", "1"),
        ("乙镇", "91", "2"),
    ]
