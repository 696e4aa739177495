"""The analysts' commands: `tongbao review`, `tongbao sql`, `tongbao export` (issue 12).

Each builds its arguments, calls one library function (pipeline.review, pipeline.export) and
prints what it did in the user's language (`--lang`, else the locale). pipeline/cli.py adds them
to the app with `register(app)`.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipeline.i18n import language_of, message

console = Console()
errors = Console(stderr=True)

_OUT = typer.Argument(help="An output folder written by 'tongbao ingest'.")
_LANG = typer.Option(help="Language of messages and of the review site: en or zh (default: the locale's).")


def _language(lang: str | None) -> str:
    try:
        return language_of(lang)
    except ValueError as exc:
        errors.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc


def _require_output(out: Path, lang: str) -> None:
    if not (out / "documents").is_dir():
        errors.print(f"[red]error:[/] {message('no_output', lang, out=out)}")
        raise typer.Exit(2)


def review(
    out: Annotated[Path, _OUT] = Path("output"),
    dest: Annotated[
        Path | None, typer.Option("--dest", help="Folder for the site (default: OUT/review).")
    ] = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the index in a web browser.")] = False,
    pages: Annotated[bool, typer.Option(help="Draw PDF pages with the boxes each row was read from.")] = True,
    lang: Annotated[str | None, _LANG] = None,
) -> None:
    """Write a static HTML review site (OUT/review/index.html, one page per file): no server, works offline."""
    from pipeline.review import build_site

    language = _language(lang)
    _require_output(out, language)
    summary = build_site(out, dest, lang=language, page_images=pages)
    console.print(
        message(
            "review_written",
            language,
            pages=summary.pages,
            docs=summary.documents,
            path=summary.path / "index.html",
            seconds=summary.seconds,
        )
    )
    if open_browser:
        import webbrowser

        webbrowser.open((summary.path / "index.html").resolve().as_uri())


def sql(
    out: Annotated[Path, _OUT],
    query: Annotated[
        str, typer.Argument(help="SQL over the tables and the views circulars, rubric_items, series.")
    ],
    output_format: Annotated[
        str, typer.Option("--format", help="table (for reading), csv or json (one object per line).")
    ] = "table",
    lang: Annotated[str | None, _LANG] = None,
) -> None:
    """Run a DuckDB query over an output folder: every table is a view, plus circulars, rubric_items, series.

    Example: tongbao sql output "SELECT period_label, score, rank FROM series WHERE unit = '罗山县' ORDER BY period_start"
    """
    import duckdb

    from pipeline.export import run_sql

    language = _language(lang)
    _require_output(out, language)
    if output_format not in ("table", "csv", "json"):
        errors.print(f"[red]error:[/] --format must be table, csv or json, not {output_format!r}")
        raise typer.Exit(2)
    try:
        columns, rows = run_sql(out, query)
    except duckdb.Error as exc:
        errors.print(f"[red]error:[/] {message('sql_error', language, error=exc)}")
        raise typer.Exit(1) from exc
    if output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    if output_format == "json":
        for row in rows:
            sys.stdout.write(
                json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str) + "\n"
            )
        return
    table = Table(show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_text(v) for v in row))
    console.print(table)
    errors.print(message("rows", language, n=len(rows)))


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    # rich reads [..] as markup: document text goes in as plain text.
    return str(value).replace("[", "\\[")


def export(
    out: Annotated[Path, _OUT],
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Write an Excel workbook, one sheet per table.")
    ] = None,
    csv_dir: Annotated[
        Path | None, typer.Option("--csv", help="Write one CSV per table (UTF-8 with BOM) into this folder.")
    ] = None,
    lang: Annotated[str | None, _LANG] = None,
) -> None:
    """Export every table and view to Excel or CSV; text that looks like a formula (=, +, -, @) stays text."""
    from pipeline.export import write_csv, write_xlsx

    language = _language(lang)
    _require_output(out, language)
    if xlsx is None and csv_dir is None:
        errors.print(f"[red]error:[/] {message('export_usage', language)}")
        raise typer.Exit(2)
    if xlsx is not None:
        try:
            sheets = write_xlsx(out, xlsx)
        except ValueError as exc:
            errors.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from exc
        console.print(message("export_xlsx", language, path=xlsx, sheets=len(sheets)))
    if csv_dir is not None:
        written = write_csv(out, csv_dir)
        console.print(message("export_csv", language, n=len(written), path=csv_dir))


def register(app: typer.Typer) -> None:
    """Add review, sql and export to the tongbao app."""
    app.command()(review)
    app.command()(sql)
    app.command()(export)


__all__ = ["export", "register", "review", "sql"]
