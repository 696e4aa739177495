"""The tongbao command line: a thin skin over pipeline.ingest and pipeline.samples."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from parsers.limits import DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_TABLE_CELLS
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
from pipeline.options import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB
from pipeline.terminal import escaped, plain

# Exit statuses (README "Limits and exit statuses"): the worst outcome of the run wins.
EXIT_OK = 0
EXIT_MISMATCH = 1  # every file read; some stated scores do not add up
EXIT_USAGE = 2  # the command was given something it cannot work with
EXIT_FILES_FAILED = 3  # some files were not read (failed or skipped), whatever else was found
EXIT_OUTPUT_FAILED = 4  # the tables could not be written (disk full, output not writable)

app = typer.Typer(
    help="Turn assessment circulars (考核/督查通报) into Parquet tables and flag scores that do not add up.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)


def _usage(exc: Exception) -> typer.Exit:
    errors.print(f"[red]error:[/] {escaped(exc)}")
    return typer.Exit(EXIT_USAGE)


def _output_failed(exc: OSError, out: Path) -> typer.Exit:
    """A clear message for a write that failed (disk full above all), instead of a traceback."""
    why = (
        "the disk is full"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT)
        else f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
    )
    errors.print(
        f"[red]error:[/] cannot write the tables to {escaped(out)}: {escaped(why)}. Batches written "
        "before this one are complete and kept; the batch being written was not written (no "
        "partial file is left under a readable name). Free space, then run the same command again: "
        "files already written are replaced, not duplicated."
    )
    return typer.Exit(EXIT_OUTPUT_FAILED)


def _is_output_error(exc: OSError, out: Path) -> bool:
    """Whether an OSError came from writing the tables (the disk, or a path under --out)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    named = exc.filename if isinstance(exc.filename, str) else None
    return named is not None and Path(named).resolve().is_relative_to(out.resolve())


# --ocr-precision, the same for `ingest` and `check`.
OcrPrecisionOption = Annotated[
    str,
    typer.Option(
        help="The text recogniser's precision: int8 (built from the bundled model once into the "
        "user's cache, about 30 % less recognition CPU, the same records on the corpus scans; "
        "if it cannot be built OCR warns and reads in fp32) or fp32 (the bundled model). "
        "Default: $TONGBAO_OCR_PRECISION or int8."
    ),
]


def use_ocr_precision(precision: str) -> None:
    """Name the recogniser's precision in the environment, which every OCR process inherits."""
    if precision:
        from pipeline.ocr_int8 import PRECISION_ENV

        os.environ[PRECISION_ENV] = precision


def exit_status(failed: int, mismatches: int) -> int:
    """The run's exit status: files not read outrank mismatches (see the EXIT_ constants)."""
    if failed:
        return EXIT_FILES_FAILED
    return EXIT_MISMATCH if mismatches else EXIT_OK


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files and folders (searched recursively) to ingest. Every file found gets a documents "
            "row; a format tongbao does not read is 'skipped' with the reason."
        ),
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Folder for the Parquet tables, or an fsspec URL (s3://bucket/prefix, gs://…; the "
            "filesystem's package, e.g. s3fs, must be installed).",
        ),
    ] = "output",
    password: Annotated[str | None, typer.Option(help="Password for encrypted PDFs.")] = None,
    ocr: Annotated[
        str, typer.Option(help="OCR pages without a usable text layer: auto, always or never.")
    ] = "auto",
    ocr_workers: Annotated[
        int,
        typer.Option(
            help="Processes that OCR scanned pages at once, in all (0: one per core; never more than "
            "the cores)."
        ),
    ] = 0,
    ocr_precision: OcrPrecisionOption = "",
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
    batch_size: Annotated[
        int, typer.Option(help="Documents per batch file at most (a batch is also written every 5 s).")
    ] = DEFAULT_BATCH_SIZE,
    strict: Annotated[bool, typer.Option(help="Stop at the first file that fails.")] = False,
    max_bytes: Annotated[
        int, typer.Option(help="A larger file is not read (a failed row says so).")
    ] = DEFAULT_MAX_BYTES,
    max_line_chars: Annotated[
        int, typer.Option(help="A file with a longer line (in characters) is not read.")
    ] = DEFAULT_MAX_LINE_CHARS,
    max_table_cells: Annotated[
        int,
        typer.Option(
            help="A file with a table of more cells (after colspan × rowspan, gridSpan) is not read."
        ),
    ] = DEFAULT_MAX_TABLE_CELLS,
    max_entries: Annotated[
        int, typer.Option(help="A file with more deduction entries is not read.")
    ] = DEFAULT_MAX_ENTRIES,
    max_memory_mb: Annotated[
        int,
        typer.Option(
            help="Memory (heap, MB) one worker process may add to what it starts with; a file that needs more fails "
            "with a row saying so (0: no ceiling; not applied with --workers 1 nor on OpenVINO)."
        ),
    ] = DEFAULT_MAX_MEMORY_MB,
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

    Exit status: 0 all files read and every score adds up; 1 all files read, mismatches found; 2 usage
    error; 3 some files were not read (failed or skipped; mismatches may also have been found); 4 the
    tables could not be written (disk full); 130 stopped by Ctrl-C or SIGTERM.
    """
    from pipeline.ingest import ingest as run_ingest
    from pipeline.ocr_gate import gate_run
    from pipeline.progress import IngestProgress
    from pipeline.store import StoreError
    from pipeline.summary import print_summary

    try:
        options = IngestOptions(
            out=out,
            password=password,
            ocr=ocr,
            ocr_workers=ocr_workers,
            ocr_precision=ocr_precision,
            timeout=timeout,
            max_pages=max_pages,
            workers=workers,
            batch_size=batch_size,
            strict=strict,
            max_bytes=max_bytes,
            max_line_chars=max_line_chars,
            max_table_cells=max_table_cells,
            max_entries=max_entries,
            max_memory_mb=max_memory_mb,
            incremental=not force,
            remove_missing=remove_missing,
            recycle_after=recycle_after,
            engine=engine,
            scheduler=scheduler,
        )
        use_ocr_precision(options.ocr_precision)
        gate_run(options.workers, options.ocr_workers)
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
                    f"{doc.doc_class}: {result.count('scores')} scores, {doc.deduction_count} entries, "
                    f"{doc.finding_count} findings{extra}"
                )
            )
            console.print(plain(f"{doc.status:>7}", style) + plain(f" {result.path}  {detail}"))
            bar.advance(result)

        with bar:
            summary = run_ingest(paths, options, progress, on_plan=bar.start)
    except UsageError as exc:
        raise _usage(exc) from exc
    except StoreError as exc:  # the store's own message: disk full or no permission, nothing half-written
        errors.print(f"[red]error:[/] {escaped(exc)}")
        raise typer.Exit(EXIT_OUTPUT_FAILED) from exc
    except OSError as exc:
        if not _is_output_error(exc, Path(out)):
            raise
        raise _output_failed(exc, Path(out)) from exc
    print_summary(summary, out, console)
    if summary.interrupted:
        raise typer.Exit(130)
    raise typer.Exit(exit_status(summary.failed + summary.skipped, summary.mismatches))


@app.command()
def check(
    file: Annotated[Path, typer.Argument(help="One circular to check.")],
    password: Annotated[str | None, typer.Option(help="Password for an encrypted PDF.")] = None,
    ocr: Annotated[
        str, typer.Option(help="OCR pages without a usable text layer: auto, always or never.")
    ] = "auto",
    ocr_workers: Annotated[
        int,
        typer.Option(
            help="Processes that OCR the file's scanned pages (0: one, this process; never more than "
            "the cores)."
        ),
    ] = 0,
    ocr_precision: OcrPrecisionOption = "",
) -> None:
    """Parse one file and print its metadata, each unit's arithmetic and every finding.

    Exit status: 0 the file was read and every score adds up, 1 a mismatch was found, 2 usage error,
    3 the file was not read (failed or skipped).
    """
    from pipeline.ingest import discover, parse_file
    from pipeline.progress import OcrPages
    from pipeline.summary import print_check

    try:
        options = IngestOptions(
            password=password, ocr=ocr, workers=1, ocr_workers=ocr_workers, ocr_precision=ocr_precision
        )
        use_ocr_precision(options.ocr_precision)
        if file.is_dir():
            raise UsageError(f"{file}: check takes one file; use 'tongbao ingest' for folders.")
        paths = discover([file])  # an archive gives its members (pipeline/containers.py)
        if len(paths) != 1:
            raise UsageError(f"{file}: holds {len(paths)} documents; check takes one: use 'tongbao ingest'.")
        (path,) = paths
    except UsageError as exc:
        raise _usage(exc) from exc
    with OcrPages(console) as pages:
        result = parse_file(str(path), options, pages.coming)
    print_check(result, console)
    failed = result.document.status in ("failed", "skipped")
    raise typer.Exit(exit_status(int(failed), result.document.mismatch_count))


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
            f"[red]error:[/] {escaped(out)}: no documents table here; run 'tongbao ingest ... --out "
            f"{escaped(out)}' first."
        )
        raise typer.Exit(EXIT_USAGE)
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
        console.print(plain(f"wrote {path}"))
    console.print(plain(f"{len(written)} sample files in {out}/"))


# review, sql, export: the analysts' commands (issue 12) live with their own messages in pipeline/analyst.py.
register_analyst_commands(app)

if __name__ == "__main__":  # pragma: no cover
    app()
