"""`tongbao sql`, `export --xlsx/--csv` and `tongbao.load` on the demo output (issue 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import tongbao
from pipeline.export import (
    NoOutput,
    csv_cell,
    is_formula_like,
    run_sql,
    table_names,
    write_csv,
    write_xlsx,
)
from pipeline.ingest import IngestOptions, ingest
from pipeline.samples import write_samples
from schemas import TABLES

HOSTILE = Path(__file__).parent / "fixtures" / "review" / "hostile.txt"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`tongbao ingest samples` plus a circular whose reasons are formulas and markup."""
    root = tmp_path_factory.mktemp("demo")
    write_samples(root / "samples", pdf=True)
    shutil.copy(HOSTILE, root / "samples" / HOSTILE.name)
    ingest([root / "samples"], IngestOptions(out=root / "out", workers=1, ocr="never"))
    return root / "out"


def _parquet_rows(out: Path, table: str) -> int:
    return sum(pq.read_metadata(p).num_rows for p in (out / table).glob("part-*.parquet"))


def test_sql_sees_every_table_as_a_view(demo: Path) -> None:
    for table in TABLES:
        columns, rows = run_sql(demo, f'SELECT count(*) AS n FROM "{table}"')
        assert columns == ["n"]
        assert rows[0][0] == _parquet_rows(demo, table), table
    assert _parquet_rows(demo, "scores") > 0


def test_series_answers_one_unit_period_after_period(demo: Path) -> None:
    # The sample table circular (消防, 2023年12月) is archived as .txt and .pdf: series counts it once.
    columns, rows = run_sql(
        demo,
        "SELECT period_label, score, rank, deducted FROM series WHERE unit = '北湖区' ORDER BY period_start",
    )
    assert columns == ["period_label", "score", "rank", "deducted"]
    assert rows == [("2023年12月份", 97.9, 1, 2.1)]
    (n,) = run_sql(demo, "SELECT count(*) FROM series")[1][0]
    (primary_scores,) = run_sql(
        demo, "SELECT count(*) FROM scores JOIN circulars USING (doc_id) WHERE is_primary"
    )[1][0]
    assert n == primary_scores


def test_copies_of_one_circular_share_a_key_and_one_is_primary(demo: Path) -> None:
    _, rows = run_sql(
        demo,
        "SELECT circular, count(*), sum(is_primary::INT) FROM circulars c JOIN documents d USING (doc_id) "
        "WHERE d.source_path LIKE '%sample-table%' GROUP BY circular",
    )
    assert [(n, primary) for _, n, primary in rows] == [(2, 1)]


def test_load_returns_dataframes_that_join_on_doc_id(demo: Path) -> None:
    frames = tongbao.load(demo)
    assert set(TABLES) | {"circulars", "rubric_items", "series"} <= set(frames)
    for table in TABLES:
        assert len(frames[table]) == _parquet_rows(demo, table)
    joined = frames["findings"].merge(frames["documents"][["doc_id", "title"]], on="doc_id", how="left")
    assert joined["title"].notna().all()
    per_unit = frames["reconciliation"].merge(frames["scores"], on=["doc_id", "unit"], how="inner")
    assert len(per_unit) > 0
    polars_frames = tongbao.load(demo, polars=True)
    assert polars_frames["deductions"].height == len(frames["deductions"])


def test_csv_has_a_bom_and_formulas_stay_text(demo: Path, tmp_path: Path) -> None:
    written = write_csv(demo, tmp_path / "csv")
    assert {p.stem for p in written} == {*table_names(demo), "circulars", "rubric_items", "series"}
    raw = (tmp_path / "csv" / "deductions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    assert ",=HYPERLINK(" not in text and '"=HYPERLINK(' not in text
    assert "<script>window.__pwned=1</script>" in text  # CSV is data: markup is kept as written


def test_xlsx_opens_with_one_sheet_per_table_and_no_formulas(demo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "out.xlsx"
    sheets = write_xlsx(demo, path)
    book = load_workbook(path)
    assert book.sheetnames == sheets
    assert set(TABLES) <= set(sheets)
    sheet = book["deductions"]
    header = [c.value for c in sheet[1]]
    reason = header.index("reason") + 1
    cells = [sheet.cell(row=r, column=reason) for r in range(2, sheet.max_row + 1)]
    hostile = [c for c in cells if c.value and c.value.startswith("=HYPERLINK(")]
    assert hostile, "the hostile reason is exported"
    assert all(c.data_type == "s" for c in hostile)
    assert sheet.max_row - 1 == _parquet_rows(demo, "deductions")
    items = book["deductions"].cell(row=2, column=header.index("items") + 1).value
    assert items.startswith("[")  # lists as JSON text


def test_formula_guard() -> None:
    assert is_formula_like("=1+1") and is_formula_like("+cmd") and is_formula_like("@SUM(A1)")
    assert is_formula_like("-2+3") and is_formula_like("\t=x")
    assert not is_formula_like("-0.5") and not is_formula_like("罗山县") and not is_formula_like("")
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell(-0.5) == -0.5 and csv_cell([1, 2]) == "[1, 2]" and csv_cell(float("nan")) is None


def test_a_folder_without_tables_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NoOutput, match="run 'tongbao ingest"):
        run_sql(tmp_path, "SELECT 1")
