"""Identity that joins: one documents row per content, every path kept, re-ingest by any path form."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

from pipeline.ingest import IngestOptions, ingest
from pipeline.store import read_table
from schemas import TABLES
from tests.conftest import FIXTURES

TEXT = FIXTURES / "text"


def archive(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("utf8_bom.txt", "gb18030.txt", "markdown_circular.md", "empty.txt"):
        shutil.copy(TEXT / name, folder / name)
    return folder


def assert_joins(out: Path) -> None:
    """Every table joined to documents on doc_id keeps its row count: no doc_id twice in documents."""
    docs = read_table(out, "documents").to_pandas()
    assert docs["doc_id"].is_unique
    for table in TABLES:
        rows = read_table(out, table).to_pandas()
        joined = rows.merge(docs[["doc_id"]], on="doc_id", how="inner")
        assert len(joined) == len(rows), table  # none multiplied, none without its document


def test_same_bytes_at_two_paths_are_one_document_with_two_sources(tmp_path: Path) -> None:
    folder = archive(tmp_path / "in")
    (folder / "copy").mkdir()
    shutil.copy(TEXT / "utf8_bom.txt", folder / "copy" / "again.txt")
    ingest([folder], IngestOptions(out=tmp_path / "out", workers=1))
    out = tmp_path / "out"
    assert_joins(out)
    docs = read_table(out, "documents").to_pandas()
    assert len(docs) == 4
    sources = read_table(out, "sources").to_pandas()
    assert len(sources) == 5 and sources["source_path"].is_unique
    (doc_id,) = sources.loc[sources["source_path"].str.endswith("again.txt"), "doc_id"]
    paths = sorted(sources.loc[sources["doc_id"] == doc_id, "source_path"])
    assert paths == [str((folder / "copy" / "again.txt").resolve()), str((folder / "utf8_bom.txt").resolve())]
    # source_path is the first (smallest) of its resolved paths.
    assert docs.set_index("doc_id").loc[doc_id, "source_path"] == paths[0]
    deductions = read_table(out, "deductions").to_pandas()
    assert deductions.merge(docs, on="doc_id").shape[0] == len(deductions) > 0


def test_a_changed_file_replaces_its_old_version_whatever_the_path_form(tmp_path: Path, monkeypatch) -> None:
    folder = archive(tmp_path / "in")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    ingest([Path("in") / "utf8_bom.txt"], IngestOptions(out=out, workers=1))  # relative
    first = read_table(out, "documents").to_pylist()
    assert [Path(d["source_path"]).is_absolute() for d in first] == [True]
    (folder / "utf8_bom.txt").write_bytes((TEXT / "gb18030.txt").read_bytes())
    ingest([folder.resolve()], IngestOptions(out=out, workers=1))  # absolute, the folder
    docs = read_table(out, "documents").to_pandas()
    assert first[0]["doc_id"] not in set(docs["doc_id"])
    assert len(docs) == 3  # gb18030's bytes at two paths now, markdown, empty
    assert_joins(out)


def test_the_same_file_given_twice_is_read_once(tmp_path: Path, monkeypatch) -> None:
    archive(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    summary = ingest(
        [Path("in/utf8_bom.txt"), (tmp_path / "in" / "utf8_bom.txt").resolve()],
        IngestOptions(out=tmp_path / "out", workers=1),
    )
    assert summary.ok == 1
    assert len(read_table(tmp_path / "out", "sources")) == 1


def test_a_copy_keeps_the_document_when_the_original_changes(tmp_path: Path) -> None:
    folder = archive(tmp_path / "in")
    shutil.copy(TEXT / "utf8_bom.txt", folder / "z_copy.txt")
    out = tmp_path / "out"
    ingest([folder], IngestOptions(out=out, workers=1))
    kept = read_table(out, "sources").to_pandas()
    (doc_id,) = kept.loc[kept["source_path"].str.endswith("z_copy.txt"), "doc_id"]
    (folder / "utf8_bom.txt").write_bytes((TEXT / "utf8_bom.txt").read_bytes() + b"\n\n")
    os.utime(folder / "utf8_bom.txt", ns=(1, 1))
    ingest([folder], IngestOptions(out=out, workers=1))
    docs = read_table(out, "documents").to_pandas().set_index("doc_id")
    # The old content is still at z_copy.txt: its row stays, and its source_path moved there.
    assert docs.loc[doc_id, "source_path"] == str((folder / "z_copy.txt").resolve())
    assert len(docs) == 5
    assert_joins(out)
    assert pd.Series(read_table(out, "sources").column("source_path").to_pylist()).is_unique
