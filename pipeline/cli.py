"""The tongbao command line: a thin skin over pipeline.ingest and pipeline.samples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline.analyst import register as register_analyst_commands
from pipeline.ingest import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_PAGES,
    DEFAULT_OCR_SECONDS_PER_PAGE,
    DEFAULT_RECYCLE_AFTER,
    DEFAULT_TIMEOUT,
    IngestOptions,
    UsageError,
)

app = typer.Typer(
    help="Turn assessment circulars (考核/督查通报) into Parquet tables and flag scores that do not add up.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)


def _usage(exc: Exception) -> typer.Exit:
    errors.print(f"[red]error:[/] {exc}")
    return typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files and folders (searched recursively) to ingest. Every file found gets a documents "
            "row; a format tongbao does not read is 'skipped' with the reason."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the Parquet tables.")] = Path("output"),
    password: Annotated[str | None, typer.Option(help="Password for encrypted PDFs.")] = None,
    ocr: Annotated[
        str, typer.Option(help="OCR pages without a usable text layer: auto, always or never.")
    ] = "auto",
    timeout: Annotated[
        float,
        typer.Option(
            help=f"Seconds one file may take before it is stopped (plus {DEFAULT_OCR_SECONDS_PER_PAGE:g} s for each "
            "page it OCRs)."
        ),
    ] = DEFAULT_TIMEOUT,
    max_pages: Annotated[
        int, typer.Option(help="Read at most this many pages of a PDF.")
    ] = DEFAULT_MAX_PAGES,
    workers: Annotated[
        int, typer.Option(help="Worker processes (0: one per core; 1: no subprocess, no time limit).")
    ] = 0,
    batch_size: Annotated[int, typer.Option(help="Documents per Parquet file.")] = DEFAULT_BATCH_SIZE,
    strict: Annotated[bool, typer.Option(help="Stop at the first file that fails.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the summary only.")] = False,
    force: Annotated[
        bool,
        typer.Option(
            help="Parse every file again, even those already in the output with the same bytes and "
            "parser version (skipped otherwise)."
        ),
    ] = False,
    remove_missing: Annotated[
        bool,
        typer.Option(
            help="Remove the rows of stored files under the given folders that no longer exist "
            "(otherwise they are only reported)."
        ),
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            help="Where files are parsed: local (worker processes here) or dask (a dask.distributed "
            "cluster; the files must be at the same paths on its workers)."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="With --engine dask: the scheduler (tcp://HOST:PORT); without, a local cluster."),
    ] = None,
    recycle_after: Annotated[
        int, typer.Option(help="Replace a worker process by a fresh one after this many files.")
    ] = DEFAULT_RECYCLE_AFTER,
) -> None:
    """Parse circulars into OUT/<table>/*.parquet; ingesting a file again replaces its rows.

    A run can be stopped at any moment (Ctrl-C, SIGTERM, kill): what was written stays, and the
    same command goes on where it stopped — files already in the output with the same bytes and
    parser version are skipped. One run at a time writes to a folder.

    Exit status: 0 all parsed and reconciled, 1 some files failed or were skipped or mismatches were
    found, 2 usage error (or the output could not be written), 130 stopped by Ctrl-C or SIGTERM.
    """
    from pipeline.ingest import ingest as run_ingest
    from pipeline.progress import IngestProgress
    from pipeline.store import StoreError
    from pipeline.summary import print_summary

    try:
        options = IngestOptions(
            out=out,
            password=password,
            ocr=ocr,
            timeout=timeout,
            max_pages=max_pages,
            workers=workers,
            batch_size=batch_size,
            strict=strict,
            incremental=not force,
            remove_missing=remove_missing,
            recycle_after=recycle_after,
            engine=engine,
            scheduler=scheduler,
        )
        bar = IngestProgress(console, enabled=not quiet)

        def progress(result):
            if quiet:
                return
            doc = result.document
            style = {"ok": "green", "partial": "yellow", "failed": "red", "skipped": "yellow"}[doc.status]
            extra = f" {doc.mismatch_count} mismatch(es)" if doc.mismatch_count else ""
            detail = (
                doc.error
                if doc.status in ("failed", "skipped")
                else (
                    f"{doc.doc_class}: {len(result.records['scores'])} scores, {doc.deduction_count} entries, "
                    f"{doc.finding_count} findings{extra}"
                )
            )
            console.print(f"[{style}]{doc.status:>7}[/] {result.path}  {detail}")
            bar.advance(result)

        with bar:
            summary = run_ingest(paths, options, progress, on_plan=bar.start)
    except (UsageError, StoreError) as exc:
        raise _usage(exc) from exc
    print_summary(summary, str(out), console)
    if summary.interrupted:
        raise typer.Exit(130)
    raise typer.Exit(1 if summary.failed or summary.skipped or summary.mismatches else 0)


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="One circular to check.")],
    password: Annotated[str | None, typer.Option(help="Password for an encrypted PDF.")] = None,
    ocr: Annotated[
        str, typer.Option(help="OCR pages without a usable text layer: auto, always or never.")
    ] = "auto",
) -> None:
    """Parse one file and print its metadata, each unit's arithmetic and every finding.

    Exit status: 1 when a mismatch is found or the file is not read (failed or skipped), 0 otherwise,
    2 usage error.
    """
    from pipeline.ingest import discover, parse_file
    from pipeline.summary import print_check

    try:
        options = IngestOptions(password=password, ocr=ocr, workers=1)
        if file.is_dir():
            raise UsageError(f"{file}: check takes one file; use 'tongbao ingest' for folders.")
        paths = discover([file])  # an archive gives its members (pipeline/containers.py)
        if len(paths) != 1:
            raise UsageError(f"{file}: holds {len(paths)} documents; check takes one: use 'tongbao ingest'.")
        (path,) = paths
    except UsageError as exc:
        raise _usage(exc) from exc
    result = parse_file(str(path), options)
    print_check(result, console)
    failed = result.document.status in ("failed", "skipped")
    raise typer.Exit(1 if failed or result.document.mismatch_count else 0)


@app.command()
def report(
    out: Annotated[Path, typer.Argument(help="An output folder written by 'tongbao ingest'.")] = Path(
        "output"
    ),
    limit: Annotated[int, typer.Option(help="Show at most this many findings.")] = 50,
) -> None:
    """Summarise an output folder: documents, circulars found in several files, items deducted most, findings."""
    from pipeline.report import print_output_report

    if not (out / "documents").is_dir():
        errors.print(
            f"[red]error:[/] {out}: no documents table here; run 'tongbao ingest ... --out {out}' first."
        )
        raise typer.Exit(2)
    print_output_report(out, console, limit=limit)


@app.command()
def compact(
    out: Annotated[Path, typer.Argument(help="An output folder written by 'tongbao ingest'.")] = Path(
        "output"
    ),
    target: Annotated[int, typer.Option(help="Documents per merged Parquet file.")] = 2000,
) -> None:
    """Merge an output folder's small Parquet files into few large ones, atomically (a crash loses
    nothing). Ingest does this by itself when more than 32 files per table are small.

    Exit status: 0 done, 2 not an output folder or another run is writing to it.
    """
    from pipeline.compact import compact as run_compact

    try:
        done = run_compact(out, target)
    except UsageError as exc:
        raise _usage(exc) from exc
    console.print(
        f"{done.documents} documents: {done.files_before} → {done.files_after} file(s) per table in {out}/"
    )


@app.command()
def samples(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the sample circulars to.")] = Path(
        "samples"
    ),
    pdf: Annotated[bool, typer.Option(help="Also write text-layer PDF renderings.")] = True,
) -> None:
    """Write sample circulars made by tongbao's own code, some with deliberate mismatches."""
    from pipeline.samples import write_samples

    written = write_samples(out, pdf=pdf)
    for path in written:
        console.print(f"wrote {path}")
    console.print(f"{len(written)} sample files in {out}/")


# review, sql, export: the analysts' commands (issue 12) live with their own messages in pipeline/analyst.py.
register_analyst_commands(app)

if __name__ == "__main__":  # pragma: no cover
    app()
