"""Every record tongbao extracts from a fixed set of files, as canonical JSON lines: a refactor's check.

    python bench/snapshot_records.py > before.jsonl   # on the old tree
    python bench/snapshot_records.py > after.jsonl    # on the new tree
    diff before.jsonl after.jsonl                     # empty when the records are byte for byte the same

The set: the shared corpus (text layers only; scans need OCR and are left to bench_ocr), the
project's gold circulars, samples/ and the reader fixtures. Each line is one file: its name
relative to the repository (or ../shared) and all of its records, table by table, with the
path-dependent `source_path` column replaced by that name and the code-dependent `parser_version`
emptied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.options import IngestOptions  # noqa: E402
from pipeline.parse import parse_file  # noqa: E402

SHARED = ROOT.parent / "shared"
SUFFIXES = {".txt", ".md", ".pdf", ".docx", ".html", ".htm"}


def snapshot_files() -> list[tuple[str, Path]]:
    """(label, path) of every file in the snapshot, in a fixed order."""
    found: list[tuple[str, Path]] = []
    for base, folders in ((SHARED, ["corpus/real", "corpus/dev"]), (ROOT, ["tests/fixtures", "samples"])):
        for folder in folders:
            for path in sorted((base / folder).rglob("*")):
                if (
                    path.is_file()
                    and path.suffix.lower() in SUFFIXES
                    and not path.name.endswith("-scan.pdf")
                    and "ocr" not in path.relative_to(base).parts
                ):
                    found.append((str(path.relative_to(base)), path))
    return found


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


def records_of(label: str, path: Path, options: IngestOptions) -> dict[str, list[dict[str, object]]]:
    result = parse_file(str(path), options)
    tables: dict[str, list[dict[str, object]]] = {}
    for table, records in sorted(result.records.items()):
        rows = []
        for record in records:
            row = {k: _plain(v) for k, v in dataclasses.asdict(record).items()}
            if "source_path" in row:
                row["source_path"] = label
            if "parser_version" in row:  # a digest of the code itself (pipeline/code_version.py)
                row["parser_version"] = ""
            rows.append(row)
        tables[table] = rows
    return tables


def main() -> None:
    options = IngestOptions(out=ROOT / "output", workers=1, ocr="never")
    for label, path in snapshot_files():
        line = {"file": label, "tables": records_of(label, path, options)}
        print(json.dumps(line, ensure_ascii=False, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
