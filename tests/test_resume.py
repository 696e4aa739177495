"""Resume and crash consistency: a crash injected after each write step, incremental re-runs, the
lock, an unwritable output, and workers that end with their parent."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

import pipeline.store as store_module
from pipeline.ingest import IngestOptions, ingest
from pipeline.lock import OutputLock
from pipeline.options import UsageError
from pipeline.store import Store, read_table
from schemas import TABLES
from tests.conftest import FIXTURES

TEXT = FIXTURES / "text"
SOURCES = ["utf8_bom.txt", "gb18030.txt", "markdown_circular.md", "empty.txt", "not_a_circular.txt"]


class Crash(BaseException):
    """A process death: not an OSError, so no clean-up code of the store runs."""


def make_archive(folder: Path, copies: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for name in SOURCES:
            data = (TEXT / name).read_bytes()
            target = folder / f"c{k}_{name}"
            target.write_bytes(data + b"\n" * k)
            os.utime(target, ns=(10**18, 10**18))  # the same mtime in every copy of the archive
    shutil.copy(folder / "c0_utf8_bom.txt", folder / "c9_same_bytes.txt")  # one content at two paths
    os.utime(folder / "c9_same_bytes.txt", ns=(10**18, 10**18))
    return folder


def tables_of(out: Path) -> dict[str, list[str]]:
    """Every table's rows, order-free, with paths relative to the archive they came from."""
    found = {}
    for table in TABLES:
        rows = read_table(out, table).to_pylist()
        found[table] = sorted(repr(sorted((k, _rel(v)) for k, v in row.items())) for row in rows)
    return found


def _rel(value: object) -> object:
    return Path(value).name if isinstance(value, str) and value.startswith("/") else value


def assert_consistent(out: Path) -> None:
    """No orphan, no duplicate, no leftover: what any reader of the folder sees is whole."""
    assert not list(out.rglob(".*.tmp"))
    committed = {p.name for p in (out / "documents").glob("part-*.parquet")}
    docs = read_table(out, "documents").column("doc_id").to_pylist()
    assert len(docs) == len(set(docs)), "a document twice"
    sources = read_table(out, "sources").to_pylist()
    paths = [s["source_path"] for s in sources]
    assert len(paths) == len(set(paths)), "a path in two documents"
    assert {s["doc_id"] for s in sources} == set(docs), "a document without a path or a path without one"
    for table in TABLES:
        assert {p.name for p in (out / table).glob("part-*.parquet")} <= committed, table
        assert set(read_table(out, table).column("doc_id").to_pylist()) <= set(docs), table


def crash_after(monkeypatch: pytest.MonkeyPatch, n: int, *, mid_write: bool) -> list[int]:
    """Let n write steps (file written, file removed) happen, then die in the next one: before it
    (mid_write False) or with its temporary file written but not moved into place."""
    count = [0]
    write, remove = store_module._atomic_write, store_module._remove

    def step() -> None:
        count[0] += 1
        if count[0] > n:
            raise Crash

    def atomic_write(table, path, *keep):
        if mid_write and count[0] >= n:
            import pyarrow.parquet as pq

            tmp = path.with_name(f".{path.name}.tmp")
            pq.write_table(table, tmp) if hasattr(table, "num_rows") else tmp.write_bytes(b"PAR1")
        step()
        write(table, path, *keep)

    def unlink(path):
        step()
        remove(path)

    monkeypatch.setattr(store_module, "_atomic_write", atomic_write)
    monkeypatch.setattr(store_module, "_remove", unlink)
    return count


def changed_archive(folder: Path) -> None:
    """A re-ingest's changes: a file's bytes change, a copy appears, a file is replaced by another's."""
    (folder / "c0_gb18030.txt").write_bytes((TEXT / "gb18030.txt").read_bytes() + b"\n\n\n")
    shutil.copy(TEXT / "markdown_circular.md", folder / "c3_new.md")
    (folder / "c1_empty.txt").write_bytes((folder / "c0_utf8_bom.txt").read_bytes())
    for path in folder.iterdir():
        os.utime(path, ns=(2 * 10**18, 2 * 10**18))


def options(out: Path) -> IngestOptions:
    return IngestOptions(out=out, workers=1, batch_size=2)


@pytest.mark.slow  # every write step crashed in turn, fresh and re-ingest: make test runs it, make test-fast does not
@pytest.mark.parametrize("reingest", [False, True], ids=["fresh", "reingest"])
def test_a_crash_after_any_write_step_leaves_consistent_tables_and_a_rerun_equals_a_clean_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reingest: bool
) -> None:
    clean_in, clean_out = make_archive(tmp_path / "clean" / "in"), tmp_path / "clean" / "out"
    ingest([clean_in], options(clean_out))
    if reingest:
        changed_archive(clean_in)
        ingest([clean_in], options(clean_out))
    expected = tables_of(clean_out)
    # Count the write steps of the run to be crashed.
    probe_in, probe_out = make_archive(tmp_path / "probe" / "in"), tmp_path / "probe" / "out"
    if reingest:
        ingest([probe_in], options(probe_out))
        changed_archive(probe_in)
    with monkeypatch.context() as patch:
        steps = crash_after(patch, 10**9, mid_write=False)
        ingest([probe_in], options(probe_out))
    total = steps[0]
    assert total > 10
    seeds = [*random.Random(13 + reingest).sample(range(total), min(total, 12)), 0, total - 1]
    for i, n in enumerate(sorted(set(seeds))):
        folder, out = make_archive(tmp_path / f"r{i}" / "in"), tmp_path / f"r{i}" / "out"
        if reingest:
            ingest([folder], options(out))
            changed_archive(folder)
        with monkeypatch.context() as patch:
            crash_after(patch, n, mid_write=bool(i % 2))
            with pytest.raises(Crash):
                ingest([folder], options(out))
        Store(out)  # the recovery pass any open runs
        assert_consistent(out)
        ingest([folder], options(out))
        assert tables_of(out) == expected, f"crash after write step {n} of {total}"


def test_an_unchanged_rerun_parses_nothing_and_a_changed_file_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = make_archive(tmp_path / "in"), tmp_path / "out"
    first = ingest([folder], options(out))
    assert first.unchanged == 0 and first.written == 11
    before = tables_of(out)
    again = ingest([folder], options(out))
    assert (again.unchanged, again.written, again.ok) == (11, 0, 0)
    assert tables_of(out) == before
    # A touched file (new mtime, same bytes) is hashed, not parsed.
    os.utime(folder / "c1_gb18030.txt", ns=(3 * 10**18, 3 * 10**18))
    assert ingest([folder], options(out)).written == 0
    (folder / "c1_utf8_bom.txt").write_bytes((folder / "c1_utf8_bom.txt").read_bytes() + b"\n")
    third = ingest([folder], options(out))
    assert (third.unchanged, third.written) == (10, 1)
    assert_consistent(out)
    (folder / "c0_markdown_circular.md").unlink()
    fourth = ingest([folder], options(out))
    assert [Path(p).name for p in fourth.missing] == ["c0_markdown_circular.md"] and fourth.removed == 0
    assert len(read_table(out, "sources")) == 11
    removed = ingest([folder], IngestOptions(out=out, workers=1, remove_missing=True))
    assert removed.removed == 1 and len(read_table(out, "sources")) == 10
    assert_consistent(out)


def test_a_rerun_rewrites_an_older_batch_once_however_many_new_batches_take_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = make_archive(tmp_path / "in"), tmp_path / "out"
    ingest([folder], IngestOptions(out=out, workers=1))  # one batch
    for name in ("c0_gb18030.txt", "c1_utf8_bom.txt", "c0_markdown_circular.md"):
        (folder / name).write_bytes((folder / name).read_bytes() + b"\n\n")
    rewritten: list[str] = []
    rewrite = Store._rewrite
    monkeypatch.setattr(
        Store, "_rewrite", lambda self, name, *rest: (rewritten.append(name), rewrite(self, name, *rest))
    )
    again = ingest([folder], IngestOptions(out=out, workers=1, batch_size=1))  # a batch per file
    assert again.written == 3 and len(rewritten) == 1
    assert_consistent(out)
    clean = tmp_path / "clean"
    ingest([folder], IngestOptions(out=clean, workers=1))
    assert tables_of(out) == tables_of(clean)


def test_a_second_ingest_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    folder, out = make_archive(tmp_path / "in"), tmp_path / "out"
    with OutputLock(out):
        with pytest.raises(UsageError, match=rf"another tongbao run \(pid {os.getpid()}\) is writing"):
            ingest([folder], options(out))
    ingest([folder], options(out))  # released: the next run goes ahead


@pytest.mark.usefixtures("forked_workers")
def test_an_unwritable_output_is_refused_before_any_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.parse as parse_module

    def never(*args, **kwargs):
        raise AssertionError("parsed before the output was checked")

    monkeypatch.setattr(parse_module, "parse_file", never)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UsageError, match="cannot write there"):
        ingest([make_archive(tmp_path / "in")], options(blocker / "out"))


def test_a_full_disk_is_a_clear_message_and_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from pipeline.store import StoreError

    folder, out = make_archive(tmp_path / "in"), tmp_path / "out"
    write = store_module._atomic_write
    calls = [0]

    def full(table, path, *keep):
        calls[0] += 1
        if calls[0] > 10:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(table, path, *keep)

    monkeypatch.setattr(store_module, "_atomic_write", full)
    with pytest.raises(StoreError, match=r"the disk is full.*run the same command again"):
        ingest([folder], options(out))
    assert_consistent(out)
    monkeypatch.undo()
    ingest([folder], options(out))
    assert_consistent(out)


def test_archive_members_are_skipped_while_their_archive_is_unchanged(tmp_path: Path) -> None:
    import zipfile

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    with zipfile.ZipFile(folder / "month.zip", "w") as archive:
        archive.write(TEXT / "utf8_bom.txt", "a.txt")
        archive.write(TEXT / "gb18030.txt", "b.txt")
    first = ingest([folder], options(out))
    assert first.written == 2, first.failures
    assert ingest([folder], options(out)).unchanged == 2
    os.utime(folder / "month.zip", ns=(10**18, 10**18))  # touched: members hashed, not parsed
    assert ingest([folder], options(out)).unchanged == 2
    assert_consistent(out)
