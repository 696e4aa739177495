"""What a person sees in the terminal: a file's metadata, arithmetic and findings; a run's summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipeline.ingest import FileResult, IngestSummary
from pipeline.terminal import escaped, plain

_STATUS_STYLE = {"ok": "green", "mismatch": "bold red", "incomplete": "yellow"}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def print_check(result: FileResult, console: Console) -> None:
    """Print one file's metadata, each unit's arithmetic and every finding."""
    doc = result.document
    if doc.status in ("failed", "skipped"):
        console.print(f"[bold red]{doc.status}[/] ({escaped(doc.error_stage)}): {escaped(doc.error)}")
        return
    meta = Table(title=plain(result.path), show_header=False, title_justify="left")
    meta.add_column("field", style="bold")
    meta.add_column("value")
    for label, value in (
        ("class", doc.doc_class),
        ("title", doc.title),
        ("issuer", doc.issuer),
        ("number", doc.doc_number),
        ("type", doc.doc_type),
        ("urgency", doc.urgency),
        ("marking", doc.marking),
        ("issued", doc.issue_date),
        ("period", f"{doc.period_start} – {doc.period_end}" if doc.period_start else None),
        ("base score", doc.base_score),
        (
            "format",
            ", ".join(
                part
                for part in (
                    doc.source_format,
                    f"{doc.pages} page(s)" if doc.pages else "",
                    doc.encoding or "",
                )
                if part
            ),
        ),
        ("status", doc.status),
    ):
        meta.add_row(label, plain("—" if value in (None, "") else value))
    if doc.pages_needing_ocr:
        meta.add_row("needs OCR", ", ".join(map(str, doc.pages_needing_ocr)))
    if doc.ocr_pages:
        meta.add_row(
            "OCR'd pages", f"{', '.join(map(str, doc.ocr_pages))} (mean confidence {doc.ocr_confidence:.2f})"
        )
    console.print(meta)

    recon = result.records.get("reconciliation", [])
    if recon:
        table = Table(title="Arithmetic per unit", title_justify="left")
        for column in (
            "unit",
            "base",
            "deducted",
            "bonus",
            "computed",
            "section",
            "table",
            "delta",
            "status",
        ):
            table.add_column(column, justify="left" if column in ("unit", "status") else "right")
        for r in recon:
            table.add_row(
                plain(r.unit),
                _num(r.base),
                _num(r.total_deducted),
                _num(r.total_bonus),
                _num(r.computed),
                _num(r.section_score),
                _num(r.table_score),
                _num(r.delta),
                f"[{_STATUS_STYLE.get(r.status, '')}]{r.status}[/]",
            )
        console.print(table)
    elif result.records.get("scores"):
        console.print(
            f"{len(result.records['scores'])} units ranked; the circular lists no deductions to reconcile."
        )

    findings = result.records.get("findings", [])
    if findings:
        table = Table(title="Findings", title_justify="left")
        for column in ("severity", "check", "unit", "where", "message"):
            table.add_column(column)
        for f in findings:
            where = (f"p{f.page} " if f.page else "") + (f"l{f.line_start}" if f.line_start else "")
            table.add_row(
                f"[{_SEVERITY_STYLE.get(f.severity, '')}]{f.severity}[/]",
                f.check,
                plain(f.unit or "—"),
                where,
                plain(f.message),
            )
        console.print(table)
    else:
        console.print("[green]No findings: every stated score adds up.[/]")


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def print_summary(summary: IngestSummary, out: str, console: Console) -> None:
    """Print the end-of-run summary of an ingest."""
    console.print(
        f"[bold]{summary.files}[/] files ("
        + (f"{summary.unchanged} unchanged, " if summary.unchanged else "")
        + f"{summary.ok} ok, {summary.partial} partial, {summary.failed} failed, "
        f"{summary.skipped} skipped) in "
        f"{summary.seconds:.1f} s: {summary.units} units, {summary.deductions} deduction entries, "
        f"[{'bold red' if summary.mismatches else 'green'}]{summary.mismatches} mismatches[/], "
        f"{summary.findings} findings → {escaped(out)}/"
    )
    if summary.hidden:
        console.print(f"  {summary.hidden} hidden file(s) (names starting with '.') were not searched.")
    for path, error in summary.failures:
        console.print(f"  [red]not read[/] {escaped(path)}: {escaped(error)}")
    print_run_notes(summary, out, console)


def print_run_notes(summary: IngestSummary, out: str, console: Console) -> None:
    """Files gone since the last run, and after a stop, what was kept and how to go on."""
    if summary.missing:
        shown = ", ".join(escaped(p) for p in summary.missing[:5]) + (
            ", …" if len(summary.missing) > 5 else ""
        )
        done = (
            f"{summary.removed} document(s) removed"
            if summary.removed
            else "their rows are kept; --remove-missing removes them"
        )
        console.print(f"  {len(summary.missing)} stored file(s) no longer exist: {shown} ({done}).")
    if summary.interrupted:
        left = summary.files - summary.unchanged - summary.written
        console.print(
            f"[yellow]stopped[/]: {summary.written} file(s) parsed and written to {escaped(out)}/ this run; "
            f"{max(left, 0)} not yet. Run the same command again to go on: files already written are skipped."
        )
