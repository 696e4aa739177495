"""Hostile inputs made from the corpus and the fixtures, ingested, and the run's promises checked.

    python bench/fuzz.py --count 10000 [--seed 1] [--workers 2] [--keep DIR]

Every input is one mutation of one seed file (byte flips, truncation, a re-encoding, a corrupt
zip member, a colspan/gridSpan bomb, everything on one long line, huge numbers, markup and
control characters), under a name that may itself be hostile (GBK bytes, markup, an escape).
The run is checked for what issue 15 promises: exactly one `documents` row per input, no batch
aborted, no traceback (an unexpected exception is still counted: `please report this file`),
no file past its time limit without a row saying so, and the peak RSS of the whole process
tree. `make fuzz` runs 10,000; tests/test_hostile_fuzz.py runs a seeded slice in `make test`.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import io
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ingest import IngestOptions, ingest  # noqa: E402
from pipeline.parse import doc_id_of  # noqa: E402
from pipeline.store import read_table  # noqa: E402

SHARED = ROOT.parent / "shared"
SEED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}
# Names that have broken a run before: GBK bytes (unzipped from Windows), rich markup, an escape.
HOSTILE_NAMES = [os.fsdecode(b"\xb2\xe2\xca\xd4"), "[bold]x[red]", "a\x1b[31mb", "[b]", "\u202egnp"]
HUGE = ["9223372036854775808", "1" + "0" * 40, "9" * 400, "18446744073709551616", "1e400"]


def seed_files() -> list[Path]:
    """The files mutated: the shared corpus (text layers, no scans: OCR is not what is fuzzed) and
    the project's fixtures."""
    found = []
    for base in (SHARED / "corpus" / "real", SHARED / "corpus" / "dev", ROOT / "tests" / "fixtures"):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if (
                path.is_file()
                and path.suffix.lower() in SEED_SUFFIXES
                and "scan" not in path.name
                and "ocr" not in path.parts
                and path.stat().st_size < 2_000_000
            ):
                found.append(path)
    return found


def _text_of(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, max(1, len(out) // 200))):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)] if data else data


def reencode(data: bytes, rng: random.Random) -> bytes:
    text = _text_of(data)
    encoding = rng.choice(["gbk", "big5", "utf-16", "utf-16-le", "utf-32", "shift_jis", "latin-1", "gb18030"])
    return text.encode(encoding, "replace")


def corrupt_zip_member(data: bytes, rng: random.Random) -> bytes:
    """One member of a zip (DOCX) flipped, truncated or dropped; others kept."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        members = source.infolist()
    except (zipfile.BadZipFile, ValueError):
        return flip_bytes(data, rng)
    victim = rng.choice(members).filename if members else ""
    action = rng.choice(["flip", "truncate", "drop", "zero"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in members:
            body = source.read(item)
            if item.filename == victim:
                if action == "drop":
                    continue
                body = (
                    flip_bytes(body, rng)
                    if action == "flip"
                    else truncate(body, rng)
                    if action == "truncate"
                    else b""
                )
            out.writestr(item, body)
    return buffer.getvalue()


def span_bomb(data: bytes, rng: random.Random) -> bytes:
    """Huge colspan/rowspan (HTML) or gridSpan (DOCX) on the table cells the seed has, or a table of them."""
    span = rng.choice([1000, 10_000, 5_000_000, 2**31, 2**63])
    if data[:2] == b"PK":
        try:
            source = zipfile.ZipFile(io.BytesIO(data))
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
                for item in source.infolist():
                    body = source.read(item)
                    if item.filename == "word/document.xml":
                        body = re.sub(rb"<w:tcW ", f'<w:gridSpan w:val="{span}"/><w:tcW '.encode(), body)
                    out.writestr(item, body)
            return buffer.getvalue()
        except (zipfile.BadZipFile, ValueError):
            pass
    text = _text_of(data)
    if "<td" in text:
        return re.sub(r"<td", f'<td colspan="{span}" rowspan="{span}"', text).encode()
    cells = "".join(f'<td colspan="{span}" rowspan="{span}">{i}</td>' for i in range(rng.randint(2, 60)))
    return f"<html><body><h1>关于考核情况的通报</h1><table><tr>{cells}</tr></table>{text[:2000]}</body></html>".encode()


def long_line(data: bytes, rng: random.Random) -> bytes:
    """Every line joined into one, or one entry-bearing line repeated thousands of times on one line."""
    text = _text_of(data)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if rng.random() < 0.5 or not lines:
        return "".join(lines).encode()
    entries = [ln for ln in lines if "扣" in ln] or lines
    line = rng.choice(entries).rstrip("。；;")
    head = "\n".join(lines[: min(12, len(lines))])
    return (head + "\n" + "；".join([line] * rng.randint(500, 5000)) + "。\n").encode()


def huge_numbers(data: bytes, rng: random.Random) -> bytes:
    text = _text_of(data)
    return re.sub(r"\d+", lambda m: rng.choice(HUGE) if rng.random() < 0.3 else m.group(), text).encode()


def markup_and_controls(data: bytes, rng: random.Random) -> bytes:
    text = _text_of(data)
    junk = ["[/b]", "[red]", "\x1b[31m", "\x1b]0;x\x07", "\x00", "\u202e", "[/]", "[link=file:///etc]"]
    lines = text.splitlines()
    for _ in range(rng.randint(1, 10)):
        if lines:
            i = rng.randrange(len(lines))
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(junk) + lines[i][at:]
    return "\n".join(lines).encode()


def random_bytes(data: bytes, rng: random.Random) -> bytes:
    return rng.randbytes(rng.randint(0, 4096))


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip": flip_bytes,
    "truncate": truncate,
    "encoding": reencode,
    "zip": corrupt_zip_member,
    "span": span_bomb,
    "longline": long_line,
    "huge": huge_numbers,
    "markup": markup_and_controls,
    "random": random_bytes,
}


def write_inputs(folder: Path, count: int, seed: int) -> dict[str, str]:
    """Write `count` mutated inputs into `folder`; return {file name: mutation}."""
    seeds = seed_files()
    rng = random.Random(seed)
    made: dict[str, str] = {}
    cache: dict[Path, bytes] = {}
    for i in range(count):
        source = rng.choice(seeds)
        data = cache.setdefault(source, source.read_bytes())
        kind = rng.choice(list(MUTATIONS))
        if kind == "zip" and data[:2] != b"PK":
            # The zip mutation needs a zip container (.docx): take one, so that whether it is
            # exercised does not hang on how many .docx the fixtures happen to hold.
            zips = [p for p in seeds if p.suffix == ".docx"]
            if zips:
                source = rng.choice(zips)
                data = cache.setdefault(source, source.read_bytes())
            if data[:2] != b"PK":
                kind = "flip"
        mutated = MUTATIONS[kind](data, random.Random(seed * 1_000_003 + i))
        suffix = (
            source.suffix
            if rng.random() < 0.9
            else rng.choice([".txt", ".pdf", ".docx", ".html", ".bin", ""])
        )
        stem = f"f{i:05d}-{kind}"
        if rng.random() < 0.1:
            stem += "-" + rng.choice(HOSTILE_NAMES)
        name = stem + suffix
        (folder / name).write_bytes(mutated)
        made[name] = kind
    return made


class PeakRSS:
    """The largest summed RSS of this process and all its descendants, sampled every 0.1 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, _tree_rss(os.getpid()))


def _tree_rss(pid: int) -> int:
    total, pending = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            with open(f"/proc/{current}/task/{current}/children") as handle:
                pending.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


@dataclass
class FuzzReport:
    inputs: int
    documents_rows: int = 0
    inputs_without_row: int = 0
    inputs_with_several_rows: int = 0
    rowless_duplicates: int = 0
    """Of the inputs without a row, those whose bytes equal another input's: the store keeps one row per
    doc_id across batches (issue 13's identity work), so these are not isolation failures."""
    aborted_batches: int = 0
    aborts: list[str] = field(default_factory=list)
    tracebacks: int = 0
    unexpected_errors: int = 0
    """Rows saying 'please report this file': an exception tongbao did not expect, kept to its file."""
    unexpected_samples: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)
    by_mutation: dict[str, dict[str, int]] = field(default_factory=dict)
    timeouts: int = 0
    peak_rss_mb: float = 0.0
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)


def run_fuzz(
    count: int, seed: int, workers: int, folder: Path, chunk: int = 500, timeout: float = 30.0
) -> FuzzReport:
    """Write `count` inputs to `folder`/in, ingest them in chunks, and check the promises."""
    inputs = folder / "in"
    inputs.mkdir(parents=True, exist_ok=True)
    made = write_inputs(inputs, count, seed)
    report = FuzzReport(inputs=count)
    out = folder / "out"
    names = sorted(made)
    began = time.monotonic()
    timings: list[tuple[float, str]] = []
    stderr_log = folder / "stderr.log"
    with PeakRSS() as rss, _stderr_to(stderr_log):
        for start in range(0, len(names), chunk):
            part = folder / f"chunk{start // chunk:03d}"
            part.mkdir(exist_ok=True)
            for name in names[start : start + chunk]:
                os.replace(inputs / name, part / name)
            # 1 GB per worker: two workers and the parent stay within the run's 2 GiB promise.
            options = IngestOptions(
                out=out, workers=workers, ocr="never", timeout=timeout, batch_size=200, max_memory_mb=1024
            )
            last = [time.monotonic()]

            def progress(result, last=last) -> None:
                now = time.monotonic()
                timings.append((now - last[0], Path(result.path).name))
                last[0] = now

            try:
                ingest([part], options, progress)
            except BaseException as exc:  # an abort is what is being counted
                report.aborted_batches += 1
                report.aborts.append(f"{part.name}: {type(exc).__name__}: {exc}"[:300])
    report.seconds = round(time.monotonic() - began, 1)
    report.peak_rss_mb = round(rss.peak / 1024 / 1024, 1)
    docs = read_table(out, "documents").to_pylist() if (out / "documents").is_dir() else []
    report.documents_rows = len(docs)
    seen = Counter(_input_name(d["source_path"]) for d in docs)
    rowless = [n for n in made if seen[_shown(n)] == 0]
    report.inputs_without_row = len(rowless)
    ids = Counter(doc_id_of(p.read_bytes()) for p in folder.glob("chunk*/*"))
    report.rowless_duplicates = sum(
        1 for n in rowless if ids[doc_id_of(next(folder.glob("chunk*/" + glob.escape(n))).read_bytes())] > 1
    )
    report.tracebacks += stderr_log.read_text(errors="replace").count("Traceback")
    report.inputs_with_several_rows = sum(1 for n in made if seen[_shown(n)] > 1)
    report.statuses = dict(Counter(d["status"] for d in docs))
    report.stages = dict(Counter(d["error_stage"] for d in docs if d["error_stage"]))
    per: dict[str, Counter[str]] = {}
    for d in docs:
        name = _input_name(d["source_path"])
        kind = name.split("-")[1].split(".")[0] if "-" in name else "?"
        per.setdefault(kind, Counter())[d["status"]] += 1
        error = d["error"] or ""
        if "Traceback" in error:
            report.tracebacks += 1
        if "please report this file" in error:
            report.unexpected_errors += 1
            if len(report.unexpected_samples) < 10:
                report.unexpected_samples.append(error[:300])
        if d["error_stage"] == "timeout":
            report.timeouts += 1
    report.by_mutation = {k: dict(v) for k, v in sorted(per.items())}
    report.slowest = [(round(s, 1), n) for s, n in sorted(timings, reverse=True)[:5]]
    return report


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send fd 2 (this process's and every forked worker's) to `path`, so tracebacks can be counted."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "wb") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _shown(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _input_name(source_path: str) -> str:
    return source_path.rsplit("/", 1)[-1]


def problems_of(report: FuzzReport, max_rss_mb: float = 2048) -> list[str]:
    """What the run broke of issue 15's promises (empty when it kept them all)."""
    problems = []
    if report.aborted_batches:
        problems.append(f"{report.aborted_batches} aborted batch(es): {report.aborts[:3]}")
    if report.tracebacks:
        problems.append(f"{report.tracebacks} row(s) hold a traceback")
    if report.inputs_without_row > report.rowless_duplicates or report.inputs_with_several_rows:
        problems.append(
            f"{report.documents_rows} documents rows for {report.inputs} inputs ({report.inputs_without_row} "
            f"without a row, {report.inputs_with_several_rows} with several)"
        )
    if report.peak_rss_mb > max_rss_mb:
        problems.append(f"peak RSS {report.peak_rss_mb} MB > {max_rss_mb} MB")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30.0, help="per-file time limit (seconds)")
    parser.add_argument("--keep", type=Path, help="write the inputs and tables here and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tongbao-fuzz-") as tmp:
        folder = args.keep or Path(tmp)
        report = run_fuzz(args.count, args.seed, args.workers, folder, timeout=args.timeout)
    print(json.dumps(report.__dict__, ensure_ascii=False, indent=1))
    problems = problems_of(report)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
