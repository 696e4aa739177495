"""Output to s3:// against a real S3 protocol server (moto's, on localhost): each object is
uploaded straight to its name, the tables equal a local run's, a re-run skips, a crash mid-run
recovers, and the lock object refuses a second run. memory:// (test_store_remote.py) cannot
show that the uploads, listings and deletes tongbao issues are ones S3 accepts."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest
from pipeline.options import UsageError
from pipeline.output import RemotePath, output_root
from pipeline.store import Store
from tests.test_resume import Crash, assert_consistent, crash_after, make_archive, tables_of
from tests.test_store_remote import local_copy

moto_server = pytest.importorskip("moto.server", reason="moto[server] (the test extra) is not installed")
fsspec = pytest.importorskip("fsspec")
pytest.importorskip("s3fs", reason="s3fs (the test extra) is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """moto's S3 server on a free local port; s3fs pointed at it with dummy keys."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    saved = fsspec.config.conf.get("s3")
    fsspec.config.conf["s3"] = {"endpoint_url": url, "key": "testing", "secret": "testing"}
    try:
        yield url
    finally:
        if saved is None:
            fsspec.config.conf.pop("s3", None)
        else:
            fsspec.config.conf["s3"] = saved
        server.stop()


@pytest.fixture
def url(endpoint: str) -> str:
    """A fresh bucket on the server, and an output folder in it."""
    import s3fs

    bucket = f"tongbao-{uuid.uuid4().hex[:8]}"
    s3fs.S3FileSystem(skip_instance_cache=True).mkdir(bucket)
    return f"s3://{bucket}/out"


def options(out: Path | str, **more: object) -> IngestOptions:
    return IngestOptions(out=out, workers=1, ocr="never", **more)  # type: ignore[arg-type]


def test_an_ingest_to_s3_uploads_each_file_at_its_name_and_equals_a_local_run(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = output_root(url)
    assert isinstance(root, RemotePath) and root.atomic_put  # no .tmp object and no move on S3
    moves: list[str] = []
    original_mv = type(root.fs).mv
    monkeypatch.setattr(
        type(root.fs), "mv", lambda fs, a, b, **k: moves.append(a) or original_mv(fs, a, b, **k)
    )
    folder = make_archive(tmp_path / "in")
    ingest([folder], options(tmp_path / "local"))
    summary = ingest([folder], options(url))
    assert summary.written == summary.files > 0
    assert moves == []
    copy = local_copy(url, tmp_path / "copy")
    assert_consistent(copy)
    assert not (copy / ".tongbao.lock").exists()  # the lock object is deleted at the end
    assert tables_of(copy) == tables_of(tmp_path / "local")
    again = ingest([folder], options(url))
    assert again.written == 0 and again.unchanged == summary.files


def test_a_crash_mid_run_on_s3_recovers_and_a_rerun_equals_a_clean_run(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_archive(tmp_path / "in")
    ingest([folder], options(tmp_path / "clean"))
    with monkeypatch.context() as patch:
        crash_after(patch, 9, mid_write=False)
        with pytest.raises(Crash):
            ingest([folder], options(url, batch_size=3))
    Store(url)  # the recovery pass any open runs, on the objects
    assert_consistent(local_copy(url, tmp_path / "after-crash"))
    ingest([folder], options(url))
    copy = local_copy(url, tmp_path / "copy")
    assert_consistent(copy)
    assert tables_of(copy) == tables_of(tmp_path / "clean")


def test_a_lock_object_on_s3_refuses_a_second_run(tmp_path: Path, url: str) -> None:
    folder = make_archive(tmp_path / "in")
    root = output_root(url)
    assert isinstance(root, RemotePath)
    root.fs.pipe((root / ".tongbao.lock").path, b"host elsewhere pid 42\n")
    with pytest.raises(UsageError, match=r"host elsewhere pid 42.*delete that object"):
        ingest([folder], options(url))
