"""Benchmark ingest at archive scale: throughput and memory, against parsing alone.

Run: .venv/bin/python bench/bench_ingest.py [--copies N] [--workers W]

Builds an archive of N copies of every .txt, .docx, .html and text-layer .pdf of
../shared/corpus (each copy made distinct by a trailing byte, so each is its own
document), then measures in one run:
- the reference: parsing every file in this process, no writing (parse_file, workers=1);
- tongbao ingest of the archive into a fresh folder (worker processes, batches, Parquet);
- the same ingest again into the same folder (every file replaces its own rows).
Prints files per second, the ingest/parse ratio, the peak RSS of the parent and of the
largest worker, and checks that the second run left exactly one row per document.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPORA = [ROOT.parent / "shared" / "corpus" / "real", ROOT.parent / "shared" / "corpus" / "dev"]
# 20 copies of the ~80 non-scan corpus files: ~1,600 documents, a month of a province's circulars.
DEFAULT_COPIES = 20


def build_archive(folder: Path, copies: int) -> list[Path]:
    sources = sorted(
        p
        for c in CORPORA
        for p in c.iterdir()
        if p.suffix in (".txt", ".docx", ".html", ".pdf") and not p.name.endswith("-scan.pdf")
    )
    made = []
    for k in range(copies):
        sub = folder / f"batch{k:03d}"
        sub.mkdir(parents=True)
        for src in sources:
            dst = sub / src.name
            # A trailing byte after the content changes the hash, not what the readers see
            # (PDF and ZIP readers ignore bytes after the end; text gains a final newline).
            dst.write_bytes(
                src.read_bytes() + (b"\n" * (k + 1) if src.suffix in (".txt", ".html") else b" " * (k + 1))
            )
            made.append(dst)
    return made


def main() -> int:
    from pipeline.ingest import IngestOptions, ingest, parse_file
    from pipeline.store import read_table

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=DEFAULT_COPIES)
    ap.add_argument("--workers", type=int, default=0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tongbao-bench-"))
    try:
        files = build_archive(tmp / "archive", args.copies)
        sample = files[: len(files) // args.copies]  # one copy: the in-process reference
        t = time.perf_counter()
        for f in sample:
            parse_file(str(f), IngestOptions(workers=1, ocr="never"))
        parse_each = (time.perf_counter() - t) / len(sample)
        out = tmp / "out"
        t = time.perf_counter()
        first = ingest([tmp / "archive"], IngestOptions(out=out, workers=args.workers, ocr="never"))
        first_s = time.perf_counter() - t
        t = time.perf_counter()
        ingest([tmp / "archive"], IngestOptions(out=out, workers=args.workers, ocr="never"))
        second_s = time.perf_counter() - t
        docs = read_table(out, "documents")
        unique = len(set(docs.column("doc_id").to_pylist()))
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        n = len(files)
        print(
            f"archive: {n} files ({args.copies} copies of {len(sample)}), workers={args.workers or 'all cores'}"
        )
        print(
            f"reference parse, in process, no writing: {parse_each * 1000:.1f} ms/file  "
            f"({1 / parse_each:.0f} files/s)"
        )
        print(
            f"ingest, fresh folder:   {first_s:.1f} s  {n / first_s:.0f} files/s  "
            f"ingest/parse = {first_s / (parse_each * n):.2f}x  ({first.failed} failed)"
        )
        print(
            f"ingest again, replace:  {second_s:.1f} s  {n / second_s:.0f} files/s  "
            f"ingest/parse = {second_s / (parse_each * n):.2f}x"
        )
        print(f"rows after two runs: {docs.num_rows} documents, {unique} distinct (expected {n})")
        print(f"peak RSS: parent {parent:.0f} MiB, largest worker {child:.0f} MiB")
        return 0 if docs.num_rows == unique == n else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
