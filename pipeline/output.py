"""Where the tables go: a local folder, or any fsspec URL (s3://, gs://, abfs://, memory://).

A local folder (a path, or a file:// URL) is a `pathlib.Path`: files are written to a hidden
`.tmp` name and moved into place with `os.replace`, and the lock is an flock.

Any other URL is a `RemotePath`, the few `Path` operations the store uses done through fsspec,
so the store's write protocol (pipeline/store.py) runs unchanged on top of it. Its step 1 — no
file is ever seen half-written — needs an equivalent of the atomic rename:
- object stores (s3, gs, abfs/az, and their aliases: OBJECT_STORES) make an object visible only
  when its upload completes, so a file is written straight to its name;
- every other fsspec filesystem (memory, sftp, …) gets the same `.tmp` write and a `mv`.
Steps 2–4 need no more than that: each `documents` file is still the commit record of its batch,
written last, and deletes keep their order. What object stores lack is an flock: the lock is an
object (pipeline/lock.py) that a run killed with -9 leaves behind, to be removed by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "abfs", "abfss", "az", "adl"})
"""fsspec protocols whose writes become visible whole, when the upload completes."""


def is_url(out: str | Path) -> bool:
    return "://" in str(out)


def output_root(out: str | Path) -> Path | RemotePath:
    """The output folder as a local Path, or a RemotePath for a URL of another filesystem."""
    if not is_url(out):
        return Path(out)
    import fsspec

    fs, root = fsspec.core.url_to_fs(str(out))
    if "file" in _protocols(fs):
        return Path(root)
    return RemotePath(fs, root.rstrip("/"))


def _protocols(fs: Any) -> set[str]:
    """The names a filesystem answers to (fsspec gives one, or a tuple of aliases)."""
    return {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)


@dataclass(frozen=True, slots=True)
class RemotePath:
    """A file or folder under an fsspec URL: the subset of pathlib.Path the store uses."""

    fs: Any
    path: str

    def __truediv__(self, part: str) -> RemotePath:
        return RemotePath(self.fs, f"{self.path}/{part}")

    def __str__(self) -> str:
        return str(self.fs.unstrip_protocol(self.path))

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def parent(self) -> RemotePath:
        return RemotePath(self.fs, self.path.rsplit("/", 1)[0])

    def with_name(self, name: str) -> RemotePath:
        return self.parent / name

    def exists(self) -> bool:
        return bool(self.fs.exists(self.path))

    def is_dir(self) -> bool:
        return bool(self.fs.isdir(self.path))

    def glob(self, pattern: str) -> list[RemotePath]:
        return [RemotePath(self.fs, p) for p in sorted(self.fs.glob(f"{self.path}/{pattern}"))]

    def mkdir(self, parents: bool = False, exist_ok: bool = False) -> None:
        self.fs.makedirs(self.path, exist_ok=True)  # object stores have no folders: nothing to do

    def unlink(self, missing_ok: bool = False) -> None:
        try:
            self.fs.rm_file(self.path)
        except FileNotFoundError:
            if not missing_ok:
                raise

    def open(self, mode: str = "rb") -> IO[bytes]:
        return self.fs.open(self.path, mode)  # type: ignore[no-any-return]

    @property
    def atomic_put(self) -> bool:
        """Whether a write to the final name is only seen once complete (an object store)."""
        return bool(_protocols(self.fs) & OBJECT_STORES)


@contextmanager
def written(path: Path | RemotePath) -> Iterator[tuple[str | IO[bytes], Path | RemotePath]]:
    """(what pyarrow writes to, the name it is written at) for a file that is to appear at `path`
    whole; the caller moves it into place with `moved`."""
    if isinstance(path, Path):
        tmp = path.with_name(f".{path.name}.tmp")
        yield str(tmp), tmp
        return
    target = path if path.atomic_put else path.with_name(f".{path.name}.tmp")
    with target.open("wb") as handle:
        yield handle, target


def moved(tmp: Path | RemotePath, path: Path | RemotePath) -> None:
    """Move a file written by `written` into place (nothing to do when it was written there)."""
    if isinstance(tmp, Path) and isinstance(path, Path):
        os.replace(tmp, path)
    elif isinstance(tmp, RemotePath) and isinstance(path, RemotePath) and tmp.path != path.path:
        tmp.fs.mv(tmp.path, path.path)


def readable(path: Path | RemotePath) -> str | IO[bytes]:
    """What pyarrow reads `path` from."""
    return str(path) if isinstance(path, Path) else path.open("rb")


__all__ = ["OBJECT_STORES", "RemotePath", "is_url", "moved", "output_root", "readable", "written"]
