"""How far an ingest is: a rich progress bar on a terminal, plain periodic lines otherwise.

Long runs with scans went over a minute without a line (issue 13); the bar shows files done of
the files to parse, the rate, the ETA and the pages OCR'd, with each file's outcome printed
above it. When the output is not a terminal (a log, CI) a line every `every` seconds says the
same, so a log shows a run is alive without a line per redraw.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.status import Status

if TYPE_CHECKING:
    from pipeline.ingest import Plan
    from pipeline.results import FileResult


class IngestProgress:
    """Progress of one ingest; give `start` as `on_plan` and call `advance` for each result."""

    def __init__(self, console: Console, *, enabled: bool = True, every: float = 10.0) -> None:
        self.console = console
        self.enabled = enabled
        self.every = every
        self.total = 0
        self.done = 0
        self.pages = 0
        self._began = time.monotonic()
        self._last_line = self._began
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> IngestProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def start(self, plan: Plan) -> None:
        """The run's plan is known: how many files will be parsed."""
        self.total = len(plan.parse)
        self._began = self._last_line = time.monotonic()
        if not self.enabled:
            return
        if plan.unchanged:
            self.console.print(f"{plan.unchanged} file(s) already in the output and unchanged: skipped.")
        if self.console.is_terminal and self.total:
            self._bar = Progress(
                TextColumn("parsing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} files/s · {task.fields[pages]} pages OCR'd · ETA"),
                TimeRemainingColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._task = self._bar.add_task("ingest", total=self.total, rate="—", pages=0)
            self._bar.start()

    def advance(self, result: FileResult) -> None:
        """One more file parsed."""
        self.done += 1
        self.pages += len(result.document.ocr_pages)
        if not self.enabled:
            return
        now = time.monotonic()
        rate = self.done / max(now - self._began, 1e-9)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, rate=f"{rate:.1f}", pages=self.pages)
        elif now - self._last_line >= self.every:
            self._last_line = now
            self.console.print(self.line(now))

    def line(self, now: float | None = None) -> str:
        """The plain progress line: files done of total, rate, ETA, pages OCR'd."""
        now = time.monotonic() if now is None else now
        rate = self.done / max(now - self._began, 1e-9)
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        return (
            f"progress: {self.done}/{self.total} files, {rate:.1f} files/s, ETA {eta:.0f} s, "
            f"{self.pages} pages OCR'd"
        )


class OcrPages:
    """Which page `check` is OCR-ing: a 6-page scan went 23 s without a line (issue 13).

    Give `coming` as parse_file's `on_ocr` (told how many pages are about to be OCR'd); from then
    on each page this process starts OCR-ing is shown — a spinner on a terminal, a line otherwise.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.total = 0
        self.started = 0
        self._status: Status | None = None
        self._since = time.monotonic()

    def __enter__(self) -> OcrPages:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
        if self.total:
            import pipeline.ocr

            pipeline.ocr.PAGE_LISTENER = None

    def coming(self, pages: int) -> None:
        """`pages` more pages are about to be OCR'd (the OCR module is imported right after)."""
        import pipeline.ocr

        self.total += pages
        pipeline.ocr.PAGE_LISTENER = self.page

    def page(self, number: int) -> None:
        """OCR of page `number` begins."""
        now = time.monotonic()
        took = f"; the last took {now - self._since:.1f} s" if self.started else ""
        self.started += 1
        self._since = now
        # A multi-page TIFF is announced as one image and may hold more frames.
        of = f" ({self.started} of {self.total})" if self.started <= self.total else ""
        text = f"OCR: page {number}{of}{took}"
        if not self.console.is_terminal:
            self.console.print(text)
        elif self._status is None:
            self._status = self.console.status(text)
            self._status.start()
        else:
            self._status.update(text)
