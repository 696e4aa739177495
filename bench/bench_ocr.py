"""Benchmark and accuracy of OCR on the corpus scans.

Default: CPU-s and wall-s per page for each stage (render, prep = colour/skew/rules, load,
det, rec, seal, engine = rapidocr's own glue), for 1 worker (this process) and 2 workers (the
OCR pool: every page of every file over 2 processes), the peak RSS of the whole process tree,
next to the text layer of the same circular, with the machine's load average before and after
(the figures of a shared machine are only as idle as its load says).

With --accuracy, for each scanned PDF: seconds per page (OCR, all pages; median of --repeat runs on the
first file), next to pypdfium2 text extraction seconds per page of the same
circular's text-layer PDF where one exists, as a ratio; then accuracy against the
circular's .txt twin:

- char_acc: difflib ratio of the whitespace-free texts (Markdown ** and table pipes
  removed from both sides, full-width ASCII folded);
- amounts: how many `扣 N 分` amounts of the text are matched, in order, by the OCR;
- scores: gold score rows (rank, unit, score) found as cells of one OCR table row.

With --dpi-sweep 150,200,300 --pages 7,8,17 it instead OCRs those pages of the
first file at each resolution (in-process) and prints seconds per page and the
share of OCR characters found, in order, in the text twin (precision).

Usage:
    [TONGBAO_OCR_PRECISION=fp32] .venv/bin/python bench/bench_ocr.py [--workers 1,2] [FILES...]
    .venv/bin/python bench/bench_ocr.py --accuracy [--repeat 3] [--workers 2] [--dpi 150] [FILES...]
    .venv/bin/python bench/bench_ocr.py --dpi-sweep 150,200,300 --pages 6,7,17
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import statistics
import sys
import threading
import time
import unicodedata
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.model import Line
from pipeline.ocr import (
    DEFAULT_DPI,
    PageOcr,
    ocr_backend,
    ocr_documents,
    ocr_engine,
    ocr_pdf_pages,
    ocr_scanned_pdf,
    pdf_page_count,
    shutdown_ocr_pool,
)
from pipeline.ocr_int8 import ocr_precision, rec_model_path

STAGES = ("render", "prep", "load", "det", "rec", "second", "seal", "engine")

# ../shared beside the checkout, as the tests find it (tests/conftest.py).
CORPUS = Path(os.environ.get("TONGBAO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "corpus"
DEFAULT_FILES = [
    CORPUS / "real/xinyang-2022-07-scan.pdf",
    CORPUS / "dev/dev-003-scan.pdf",
    CORPUS / "dev/dev-012-scan.pdf",
    CORPUS / "dev/dev-021-scan.pdf",
    CORPUS / "dev/dev-024-scan.pdf",
]
_AMOUNT = regex.compile(r"扣\s*(\d+(?:\.\d+)?)\s*分")


def flat(text: str) -> str:
    """Whitespace-free, full-width folded, Markdown emphasis and table pipes removed."""
    text = unicodedata.normalize("NFKC", text)
    text = regex.sub(r"^\|[-| ]+\|$", "", text, flags=regex.M)  # table separator rows
    return regex.sub(r"[\s|*]", "", text)


def twin_text(scan: Path) -> str:
    return (scan.parent / (scan.name.removesuffix("-scan.pdf") + ".txt")).read_text(encoding="utf-8")


def matched_amounts(gold: str, ocr: str) -> tuple[int, int]:
    g = _AMOUNT.findall(gold)
    o = _AMOUNT.findall(ocr)
    sm = difflib.SequenceMatcher(a=g, b=o, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()), len(g)


def matched_scores(scan: Path, lines: list[Line]) -> tuple[int, int]:
    gold = json.loads(Path(str(scan) + ".gold.json").read_text(encoding="utf-8"))["scores"]
    rows = [tuple(flat(c) for c in ln.cells) for ln in lines if ln.cells]
    hit = 0
    for s in gold:
        want = {flat(s["unit"])}
        if s["score"] is not None:
            want.add(f"{s['score']:g}")
        if s["rank"] is not None:
            want.add(str(s["rank"]))
        if any(want <= {regex.sub(r"^(\d+)\.0$", r"\1", c) for c in row} for row in rows):
            hit += 1
    return hit, len(gold)


def text_layer_seconds_per_page(pdf: Path, repeat: int) -> float | None:
    import pypdfium2 as pdfium

    if not pdf.exists():
        return None
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        doc = pdfium.PdfDocument(pdf.read_bytes())
        for page in doc:
            page.get_textpage().get_text_range()
        n = len(doc)
        doc.close()
        times.append((time.perf_counter() - t) / n)
    return statistics.median(times)


def dpi_sweep(scan: Path, pages: list[int], dpis: list[int]) -> None:
    gold_text = twin_text(scan)
    gold = flat(gold_text)
    data = scan.read_bytes()
    print(f"{scan.name} pages {pages}")
    print(f"{'dpi':>5} {'s/pg':>6} {'char_prec':>9} {'amounts':>8}")
    for dpi in dpis:
        t = time.perf_counter()
        lines = ocr_pdf_pages(data, pages, dpi=dpi, workers=1)
        per_page = (time.perf_counter() - t) / len(pages)
        text = "\n".join(ln.text for ln in lines if not regex.match(r"^— \d+ —$", ln.text))
        o = flat(text)
        sm = difflib.SequenceMatcher(a=gold, b=o, autojunk=False)
        prec = sum(b.size for b in sm.get_matching_blocks()) / max(1, len(o))
        amounts = _AMOUNT.findall(text)
        am, _ = matched_amounts(gold_text, text)
        print(f"{dpi:>5} {per_page:>6.2f} {prec:>9.4f} {f'{am}/{len(amounts)}':>8}", flush=True)


class TreeRss:
    """Peak resident memory of this process and all its descendants, sampled every 0.1 s."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        for proc in [self._me, *self._me.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(0.1)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def stage_table(pages: list[PageOcr]) -> list[str]:
    """Median and mean CPU-s and wall-s per page of each stage, and of the page's total."""
    rows = [f"  {'stage':8} {'cpu med':>8} {'cpu mean':>8} {'wall med':>8} {'wall mean':>9}"]
    for stage in (*STAGES, "total"):
        if stage == "total":
            cpu = [sum(c for c, _w in p.times.values()) for p in pages]
            wall = [sum(w for _c, w in p.times.values()) for p in pages]
        else:
            cpu = [p.times.get(stage, (0.0, 0.0))[0] for p in pages]
            wall = [p.times.get(stage, (0.0, 0.0))[1] for p in pages]
        rows.append(
            f"  {stage:8} {statistics.median(cpu):>8.3f} {statistics.fmean(cpu):>8.3f} "
            f"{statistics.median(wall):>8.3f} {statistics.fmean(wall):>9.3f}"
        )
    return rows


def twin_of(scan: Path) -> Path | None:
    """The same circular with a text layer: NAME.pdf beside NAME-scan.pdf, else its NAME.txt (the
    dev set's circulars exist as text only)."""
    stem = scan.name.removesuffix("-scan.pdf")
    for suffix in (".pdf", ".txt"):
        if (twin := scan.parent / (stem + suffix)).exists():
            return twin
    return None


def twin_parse_seconds(twin: Path, repeat: int) -> float:
    """Median seconds tongbao takes to parse the text twin whole (read, extract, reconcile)."""
    from pipeline.options import IngestOptions
    from pipeline.parse import parse_file

    options = IngestOptions(workers=1, ocr="never")
    parse_file(str(twin), options)  # the first parse of a run compiles patterns and loads tables
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        parse_file(str(twin), options)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def twin_table(files: list[Path], results: list[list[PageOcr]]) -> list[str]:
    """Per scan: OCR CPU-s per page next to parsing the same circular from its text layer (or
    text twin), per scan page, and the ratio."""
    rows = [f"  {'scan':28} {'pages':>5} {'ocr cpu-s/pg':>12}  {'twin':24} {'twin s/pg':>9} {'ratio':>7}"]
    for f, pages in zip(files, results, strict=True):
        cpu = sum(c for p in pages for c, _w in p.times.values()) / max(1, len(pages))
        twin = twin_of(f)
        if twin is None:
            rows.append(f"  {f.name:28} {len(pages):>5} {cpu:>12.3f}  {'(none)':24}")
            continue
        per_page = twin_parse_seconds(twin, 3) / max(1, len(pages))
        rows.append(
            f"  {f.name:28} {len(pages):>5} {cpu:>12.3f}  {twin.name:24} {per_page:>9.4f} "
            f"{cpu / per_page:>6.0f}x"
        )
    return rows


def stage_bench(files: list[Path], workers: list[int], dpi: int) -> None:
    docs = [(f.read_bytes(), f) for f in files]
    jobs = [(data, list(range(1, pdf_page_count(data, f.name) + 1))) for data, f in docs]
    n_pages = sum(len(p) for _d, p in jobs)
    precision = ocr_precision()  # TONGBAO_OCR_PRECISION: run once per precision to compare them
    rec_model_path(precision)  # an INT8 model is built (once, cached) before anything is timed
    print(
        f"OCR backend {ocr_backend()}, recogniser {precision}, dpi {dpi}, {len(files)} files, {n_pages} pages"
    )
    print(f"CPU: {cpu_summary()}")
    print(f"load average before: {load_average()}")
    first: list[list[PageOcr]] = []
    for n in workers:
        with TreeRss() as rss:
            if n == 1:
                ocr_engine()  # loaded once per process for the run: not a per-page cost
            cpu0 = time.process_time()
            children0 = os.times().children_user + os.times().children_system
            t0 = time.perf_counter()
            results = ocr_documents(jobs, dpi=dpi, workers=n)
            wall = time.perf_counter() - t0
            parent_cpu = time.process_time() - cpu0
            shutdown_ocr_pool()  # the pool's processes end here, so their CPU is counted below
            children_cpu = os.times().children_user + os.times().children_system - children0
        first = first or results
        pages = [p for doc in results for p in doc]
        print(
            f"\n{n} worker{'s' if n > 1 else ''}: wall {wall / n_pages:.3f} s/page, "
            f"CPU of the process tree {(parent_cpu + children_cpu) / n_pages:.3f} s/page "
            f"(engine loads included), peak RSS of the tree {rss.peak / 2**20:.0f} MiB"
        )
        print("\n".join(stage_table(pages)))
        if n == 1:
            rec = ocr_engine().text_rec  # the NarrowingRecognizer (pipeline/ocr_setup.py), under its timer
            print(
                f"  rec: {rec.narrowed} lines narrowed to {rec.factor:g} of their width, {rec.redone} read again at full width"
            )
    print("\nnext to the text layer of the same circular (tongbao's whole parse of the twin, per scan page):")
    print("\n".join(twin_table(files, first)))
    print(f"load average after: {load_average()}")


def cpu_summary() -> str:
    """The CPU's model and whether it computes in bfloat16 (what makes OpenVINO pay off, see
    pipeline/ocr_setup.py BF16_CPU_FLAGS): OCR figures of machines differ by that much."""
    from pipeline.ocr_setup import BF16_CPU_FLAGS, cpu_flags

    model = "?"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            model = next((ln.partition(":")[2].strip() for ln in f if ln.startswith("model name")), "?")
    except OSError:
        pass
    flags = cpu_flags()
    vector = "avx512" if "avx512f" in flags else "avx2" if "avx2" in flags else "no avx2"
    bf16 = sorted(flags.intersection(BF16_CPU_FLAGS)) or ["no bf16"]
    return f"{model}, {os.cpu_count()} cores, {vector}, {', '.join(bf16)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    ap.add_argument("--accuracy", action="store_true", help="accuracy against the text twins instead")
    ap.add_argument("--repeat", type=int, default=3, help="--accuracy: timing runs of the first file")
    ap.add_argument("--workers", default=None, help="stage bench: comma-separated (default 1,2)")
    ap.add_argument("--dpi", type=int, default=DEFAULT_DPI)
    ap.add_argument("--dump", type=Path, help="write each file's OCR lines to DIR/NAME.lines.txt")
    ap.add_argument("--dpi-sweep", help="comma-separated resolutions to compare on --pages of the first file")
    ap.add_argument("--pages", default="6,7,17", help="pages for --dpi-sweep")
    args = ap.parse_args()
    if args.dpi_sweep:
        dpi_sweep(
            args.files[0],
            [int(p) for p in args.pages.split(",")],
            [int(d) for d in args.dpi_sweep.split(",")],
        )
        return
    if not args.accuracy:
        stage_bench(args.files, [int(w) for w in (args.workers or "1,2").split(",")], args.dpi)
        return
    accuracy(args)


def accuracy(args: argparse.Namespace) -> None:
    workers = int(args.workers) if args.workers else None
    print(f"dpi={args.dpi} workers={workers or 'auto'}")
    print(
        f"{'file':28} {'pages':>5} {'ocr s/pg':>9} {'text s/pg':>10} {'ratio':>8} "
        f"{'char_acc':>8} {'amounts':>9} {'scores':>7} {'conf':>6}"
    )
    for k, scan in enumerate(args.files):
        data = scan.read_bytes()
        runs = args.repeat if k == 0 else 1
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            res = ocr_scanned_pdf(data, scan.name, workers=workers, dpi=args.dpi)
            times.append((time.perf_counter() - t) / (res.pages or 1))
        per_page = statistics.median(times)
        text_pdf = scan.parent / (scan.name.removesuffix("-scan.pdf") + ".pdf")
        tl = text_layer_seconds_per_page(text_pdf, max(3, runs))
        ocr_text = "\n".join(ln.text for ln in res.lines)
        gold_text = twin_text(scan)
        acc = difflib.SequenceMatcher(a=flat(gold_text), b=flat(ocr_text), autojunk=False).ratio()
        am, an = matched_amounts(gold_text, ocr_text)
        sm, sn = matched_scores(scan, res.lines)
        label = f"{per_page:.2f}" + (f" (med{runs})" if runs > 1 else "")
        ratio = f"{per_page / tl:.0f}x" if tl else "n/a"
        tl_text = "n/a" if tl is None else f"{tl:.4f}"
        print(
            f"{scan.name:28} {res.pages:>5} {label:>9} {tl_text:>10} {ratio:>8} "
            f"{acc:>8.4f} {f'{am}/{an}':>9} {f'{sm}/{sn}':>7} {res.ocr_confidence:>6.3f}",
            flush=True,
        )
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{scan.name}.lines.txt").write_text(
                "\n".join(
                    f"{ln.page}\t{ln.line_no}\t{ln.confidence}\t{ln.wrapped}\t{ln.text}" for ln in res.lines
                )
                + "\n"
                + "\n".join(res.warnings)
                + "\n",
                encoding="utf-8",
            )


if __name__ == "__main__":
    main()
