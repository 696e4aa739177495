"""Summarise an output folder with DuckDB, reading the Parquet tables directly."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipeline.export import top_rubric_items
from pipeline.terminal import plain


def _glob(out: Path, table: str) -> str:
    return str(out / table / "*.parquet").replace("'", "''")


def print_output_report(out: Path, console: Console, *, limit: int = 50) -> None:
    """Print documents by status, rows per table, circulars found in several files, the items failed most
    (one copy of each circular) and the findings."""
    import duckdb

    con = duckdb.connect()
    docs = con.execute(
        f"SELECT status, count(*) FROM read_parquet('{_glob(out, 'documents')}') GROUP BY status ORDER BY status"
    ).fetchall()
    console.print(plain("documents: " + ", ".join(f"{n} {status}" for status, n in docs)))
    for name in ("scores", "deductions", "problems", "reconciliation", "findings"):
        if not (out / name).is_dir():  # written before the table existed
            continue
        (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{_glob(out, name)}')").fetchone() or (0,)
        console.print(plain(f"{name}: {n} rows"))

    # The same circular is often archived twice (the PDF and the web page, a re-download): one
    # copy per circular — same 发文字号, issuer, title and date — counts in the items summary.
    con.execute(f"""
        CREATE TEMP VIEW copies AS
        SELECT doc_id, regexp_extract(source_path, '[^/]+$') AS file,
               CASE WHEN title IS NULL THEN doc_id
                    ELSE concat_ws('|', coalesce(doc_number, ''), coalesce(issuer, ''), title,
                                   coalesce(CAST(issue_date AS VARCHAR), '')) END AS circular
        FROM read_parquet('{_glob(out, "documents")}') WHERE status NOT IN ('failed', 'skipped')""")
    repeated = con.execute(
        """
        SELECT any_value(d.title), any_value(d.doc_number), string_agg(c.file, ', ' ORDER BY c.file)
        FROM copies c JOIN read_parquet('"""
        + _glob(out, "documents")
        + """') d USING (doc_id)
        GROUP BY c.circular HAVING count(*) > 1 ORDER BY 1"""
    ).fetchall()
    if repeated:
        table = Table(
            title="Same circular in several files (counted once in the items below)", title_justify="left"
        )
        for column in ("title", "doc number", "files"):
            table.add_column(column)
        for title, number, files in repeated[:limit]:
            table.add_row(plain(title), plain(number or "—"), plain(files))
        console.print(table)

    # Item numbers mean something only within their rubric (issue 12): keyed by rubric_key.
    items = top_rubric_items(out, limit=10)
    if items:
        table = Table(title="Items deducted most often (numbers are per rubric)", title_justify="left")
        for column in ("rubric", "item", "description", "units", "points"):
            table.add_column(column)
        for item in items:
            table.add_row(*(plain(v) for v in item))
        console.print(table)

    findings = con.execute(f"""
        SELECT regexp_extract(d.source_path, '[^/]+$') AS file, f.severity, f."check", coalesce(f.unit, '—'), f.message
        FROM read_parquet('{_glob(out, "findings")}') f
        JOIN read_parquet('{_glob(out, "documents")}') d USING (doc_id)
        ORDER BY file, f.severity, f."check" LIMIT {int(limit)}""").fetchall()
    if not findings:
        console.print("[green]No findings: every stated score adds up.[/]")
        return
    table = Table(title="Findings", title_justify="left")
    for column in ("file", "severity", "check", "unit", "message"):
        table.add_column(column)
    for row in findings:
        table.add_row(*(plain(v) for v in row))
    console.print(table)
