"""Output to an fsspec URL (memory:// here): the same tables, the same write protocol, a lock object."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest
from pipeline.options import UsageError
from pipeline.output import RemotePath, output_root
from pipeline.store import Store
from tests.test_resume import Crash, assert_consistent, crash_after, make_archive, tables_of

fsspec = pytest.importorskip("fsspec")


@pytest.fixture
def url() -> Iterator[str]:
    """A fresh folder of the process-wide memory filesystem, removed afterwards."""
    name = f"memory://tongbao-test-{uuid.uuid4().hex[:8]}/out"
    yield name
    root = output_root(name)
    assert isinstance(root, RemotePath)
    if root.fs.exists(root.parent.path):
        root.fs.rm(root.parent.path, recursive=True)


def local_copy(url: str, folder: Path) -> Path:
    root = output_root(url)
    assert isinstance(root, RemotePath)
    root.fs.invalidate_cache()  # s3fs caches listings: the copy must see what the run wrote
    root.fs.get(root.path + "/", str(folder) + "/", recursive=True)
    return folder


def options(out: Path | str) -> IngestOptions:
    return IngestOptions(out=out, workers=1, ocr="never")


def test_an_ingest_to_a_url_writes_the_tables_of_a_local_one_and_a_rerun_skips(
    tmp_path: Path, url: str
) -> None:
    folder = make_archive(tmp_path / "in")
    ingest([folder], options(tmp_path / "local"))
    summary = ingest([folder], options(url))
    assert summary.written == summary.files > 0
    copy = local_copy(url, tmp_path / "copy")
    assert_consistent(copy)  # no .tmp object left, every batch committed
    assert not (copy / ".tongbao.lock").exists()  # the lock object is removed at the end
    assert tables_of(copy) == tables_of(tmp_path / "local")
    again = ingest([folder], options(url))
    assert again.written == 0 and again.unchanged == summary.files


def test_a_lock_object_refuses_a_second_run_and_says_how_to_clear_a_stale_one(
    tmp_path: Path, url: str
) -> None:
    folder = make_archive(tmp_path / "in")
    root = output_root(url)
    assert isinstance(root, RemotePath)
    root.fs.pipe((root / ".tongbao.lock").path, b"host elsewhere pid 42\n")
    with pytest.raises(UsageError, match=r"host elsewhere pid 42.*delete that object"):
        ingest([folder], options(url))


@pytest.mark.parametrize("steps", [3, 9, 17])
def test_a_crash_mid_run_on_a_url_leaves_consistent_tables_and_a_rerun_equals_a_clean_run(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch, steps: int
) -> None:
    folder = make_archive(tmp_path / "in")
    ingest([folder], options(tmp_path / "clean"))
    with monkeypatch.context() as patch:
        crash_after(patch, steps, mid_write=False)
        with pytest.raises(Crash):
            ingest([folder], IngestOptions(out=url, workers=1, ocr="never", batch_size=3))
    root = output_root(url)
    assert isinstance(root, RemotePath)
    # What a writer killed during an upload leaves on a filesystem without atomic puts.
    root.fs.pipe((root / "scores" / ".part-00000099-0000000000000000.parquet.tmp").path, b"PAR1")
    Store(url)  # the recovery pass any open runs, on the objects
    assert_consistent(local_copy(url, tmp_path / "after-crash"))
    ingest([folder], options(url))
    copy = local_copy(url, tmp_path / "copy")
    assert_consistent(copy)
    assert tables_of(copy) == tables_of(tmp_path / "clean")


def test_an_object_store_gets_each_file_straight_at_its_name_and_the_same_tables(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # memory:// stands in for s3/gs here: the branch that writes without a .tmp and a move.
    import pipeline.output as output_module

    monkeypatch.setattr(output_module, "OBJECT_STORES", output_module.OBJECT_STORES | {"memory"})
    root = output_root(url)
    assert isinstance(root, RemotePath) and root.atomic_put
    moves: list[str] = []
    monkeypatch.setattr(type(root.fs), "mv", lambda fs, a, b, **k: moves.append(a))
    folder = make_archive(tmp_path / "in")
    ingest([folder], options(tmp_path / "local"))
    ingest([folder], options(url))
    assert moves == []
    copy = local_copy(url, tmp_path / "copy")
    assert_consistent(copy)
    assert tables_of(copy) == tables_of(tmp_path / "local")


def test_a_file_url_is_the_local_folder(tmp_path: Path) -> None:
    folder = make_archive(tmp_path / "in")
    summary = ingest([folder], options(f"file://{tmp_path / 'out'}"))
    assert summary.written == summary.files
    assert_consistent(tmp_path / "out")
    assert (tmp_path / "out" / ".tongbao.lock").exists()  # the flock file, as for any folder
