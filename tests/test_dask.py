"""The dask engine: the same tables as the local engine, on a LocalCluster of 2 worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest
from tests.test_resume import assert_consistent, make_archive, tables_of
from tests.test_store_remote import local_copy

distributed = pytest.importorskip("dask.distributed")
fsspec = pytest.importorskip("fsspec")
# Slow (starts a dask LocalCluster): part of make test, left out of make test-fast.
pytestmark = pytest.mark.slow
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


def archive(folder: Path) -> Path:
    make_archive(folder)
    # Some of the shared corpus too (PDF, DOCX, HTML), when it is there.
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir())[:12]:
            if path.suffix in (".pdf", ".docx", ".html") and not path.name.endswith("-scan.pdf"):
                (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_the_dask_engine_writes_the_tables_of_the_local_engine(tmp_path: Path) -> None:
    folder = archive(tmp_path / "in")
    ingest([folder], IngestOptions(out=tmp_path / "local", workers=2, ocr="never"))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
    ):
        summary = ingest(
            [folder],
            IngestOptions(
                out=tmp_path / "dask", engine="dask", scheduler=cluster.scheduler_address, ocr="never"
            ),
        )
        # The same cluster writing to an fsspec URL (the client writes; memory:// is in-process).
        url = f"memory://tongbao-dask-{tmp_path.name}/out"
        ingest(
            [folder],
            IngestOptions(out=url, engine="dask", scheduler=cluster.scheduler_address, ocr="never"),
        )
    assert summary.written == summary.files and summary.ok > 0
    assert_consistent(tmp_path / "dask")
    assert tables_of(tmp_path / "dask") == tables_of(tmp_path / "local")
    copy = local_copy(url, tmp_path / "from-url")
    fsspec.filesystem("memory").rm(f"/tongbao-dask-{tmp_path.name}", recursive=True)
    assert_consistent(copy)
    assert tables_of(copy) == tables_of(tmp_path / "local")
