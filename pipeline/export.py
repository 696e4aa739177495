"""An output folder as DuckDB views, SQL over it, Excel and CSV exports, pandas DataFrames.

Every table folder (`OUT/<table>/*.parquet`) becomes a view of the same name; `circulars`,
`rubric_items` and `series` (pipeline/views.py) are added beside them. Joins, all on `doc_id`
(and `unit` within a document):

- documents 1—n scores, deductions, reconciliation, findings, items (`doc_id`);
- scores, deductions, reconciliation and findings of one unit: `(doc_id, unit)`;
- circulars 1—1 documents (`doc_id`): `WHERE is_primary` counts a circular archived in
  several files once; `rubric_key` groups items and series within one rubric.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.views import VIEW_SQL, circular_keys
from schemas import TABLES, arrow_schema

if TYPE_CHECKING:
    import duckdb

VIEWS = ("circulars", *VIEW_SQL)

# OWASP's CSV-injection list: a cell starting with one of these is a formula to Excel,
# LibreOffice and Google Sheets (`=HYPERLINK(…)` in a circular's text must stay text).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# An Excel sheet name has at most 31 characters; ours are table names, well within it.
_XLSX_MAX_ROWS = 1_048_575  # one header row within Excel's 1,048,576


class NoOutput(Exception):
    """The folder holds no tables written by `tongbao ingest`."""


def table_names(out: Path) -> list[str]:
    """The tables of an output folder: the schema's, then any other folder holding Parquet files."""
    names = list(TABLES)
    if out.is_dir():
        for folder in sorted(p for p in out.iterdir() if p.is_dir()):
            if folder.name not in names and any(folder.glob("part-*.parquet")):
                names.append(folder.name)
    return names


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def connect(out: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with every table of `out` and the derived views.

    Raises:
        NoOutput: `out` has no documents table.
    """
    import duckdb
    import pyarrow as pa

    out = Path(out)
    if not (out / "documents").is_dir():
        raise NoOutput(f"{out}: no documents table here; run 'tongbao ingest ... --out {out}' first.")
    con = duckdb.connect()
    for name in table_names(out):
        files = sorted((out / name).glob("part-*.parquet"))
        if files:
            glob = _quoted(out / name / "part-*.parquet")
            con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet({glob}, union_by_name = true)')
        else:
            empty = arrow_schema(name).empty_table()
            con.register(f"_empty_{name}", empty)
            con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM "_empty_{name}"')
    documents = con.sql(
        "SELECT doc_id, status, doc_class, doc_number, issuer, title, issue_date FROM documents"
    ).to_arrow_table()
    keys = [asdict(k) for k in circular_keys(documents.to_pylist())]
    circulars = pa.Table.from_pylist(
        keys,
        schema=pa.schema(
            [
                ("doc_id", pa.string()),
                ("circular", pa.string()),
                ("is_primary", pa.bool_()),
                ("rubric_key", pa.string()),
                ("rubric_title", pa.string()),
                ("rubric_doc_id", pa.string()),
                ("topic", pa.string()),
            ]
        ),
    )
    con.register("_circulars", circulars)
    con.execute("CREATE VIEW circulars AS SELECT * FROM _circulars")
    for name, sql in VIEW_SQL.items():
        con.execute(f"CREATE VIEW {name} AS {sql}")
    return con


def run_sql(out: Path, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one query over the output folder's views: (column names, rows)."""
    con = connect(out)
    cursor = con.execute(query)
    columns = [d[0] for d in cursor.description] if cursor.description else []
    return columns, cursor.fetchall()


def load(out: Path | str, *, polars: bool = False) -> dict[str, Any]:
    """Every table and view of an output folder as a pandas (or polars) DataFrame, by name."""
    con = connect(Path(out))
    frames = {}
    for name in (*table_names(Path(out)), *VIEWS):
        relation = con.sql(f'SELECT * FROM "{name}"')
        frames[name] = relation.pl() if polars else relation.df()
    return frames


def cell_text(value: Any) -> Any:
    """A value as a spreadsheet cell: lists and structs as JSON text, NaN as empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula? (A plain number like -0.5 is not one.)"""
    if not text.startswith(_FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell, with formula-like text quoted as text (a leading apostrophe)."""
    value = cell_text(value)
    if isinstance(value, str) and is_formula_like(value):
        # CSV has no cell types: the apostrophe is the one mark every spreadsheet reads as "text".
        return "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _export_names(out: Path) -> list[str]:
    return [*table_names(out), *VIEWS]


def write_csv(out: Path, folder: Path) -> list[Path]:
    """One UTF-8 CSV with BOM per table and view (Excel on Chinese Windows reads the BOM as UTF-8)."""
    con = connect(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _export_names(out):
        cursor = con.execute(f'SELECT * FROM "{name}"')
        path = folder / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([d[0] for d in cursor.description])
            while rows := cursor.fetchmany(10_000):
                writer.writerows([csv_cell(v) for v in row] for row in rows)
        written.append(path)
    return written


def write_xlsx(out: Path, path: Path) -> list[str]:
    """One sheet per table and view in an .xlsx file; text cells are stored as text, never formulas.

    Raises:
        ValueError: a table has more rows than an Excel sheet holds (export CSV instead).
    """
    from openpyxl import Workbook

    con = connect(out)
    book = Workbook(write_only=True)
    sheets = []
    for name in _export_names(out):
        cursor = con.execute(f'SELECT * FROM "{name}"')
        sheet = book.create_sheet(title=name[:31])
        sheet.append([d[0] for d in cursor.description])
        count = 0
        while rows := cursor.fetchmany(10_000):
            count += len(rows)
            if count > _XLSX_MAX_ROWS:
                raise ValueError(
                    f"{name}: {count}+ rows do not fit an Excel sheet; export with --csv DIR instead."
                )
            for row in rows:
                sheet.append([_xlsx_cell(sheet, v) for v in row])
        sheets.append(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return sheets


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    value = cell_text(value)
    if isinstance(value, str):
        # openpyxl stores a str starting with "=" as a formula; a typed string cell keeps it text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


__all__ = [
    "VIEWS",
    "NoOutput",
    "cell_text",
    "connect",
    "csv_cell",
    "is_formula_like",
    "load",
    "run_sql",
    "table_names",
    "top_rubric_items",
    "write_csv",
    "write_xlsx",
]


def top_rubric_items(out: Path, limit: int = 10) -> list[tuple[str, int, str, int, float]]:
    """The items deducted from most units, keyed within their rubric: (rubric_key, item, description,
    units, points), one copy of each circular counted."""
    _, rows = run_sql(
        out,
        "SELECT rubric_key, item, description, units, round(total_points, 2) FROM rubric_items "
        f"ORDER BY units DESC, total_points DESC, rubric_key, item LIMIT {int(limit)}",
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]
