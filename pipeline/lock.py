"""One writer per output folder: an advisory lock file holding the writer's pid.

`fcntl.flock` is released by the kernel when its holder dies (even by kill -9), so a lock left
behind by a dead run is never mistaken for a live one: the pid in the file is only there to
tell the user which process holds the folder.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path
from types import TracebackType

from pipeline.options import UsageError
from pipeline.output import RemotePath, output_root

LOCK_NAME = ".tongbao.lock"


class OutputLock:
    """Hold OUT/.tongbao.lock for the length of a `with` block, or refuse with who holds it.

    On an fsspec URL other than a local folder there is no flock: the lock is an object holding
    the writer's host and pid, removed when the run ends. A run killed with -9 leaves it behind,
    and the message says to delete it when no run is writing.
    """

    def __init__(self, out: Path | str) -> None:
        root = output_root(out)
        self.path: Path | RemotePath = root / LOCK_NAME
        self._fd: int | None = None
        self._held = False

    def __enter__(self) -> OutputLock:
        if isinstance(self.path, RemotePath):
            self._take_object(self.path)
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise UsageError(
                f"{self.path.parent}: another tongbao run (pid {holder}) is writing to this folder; wait "
                "for it to finish or give another --out."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def _take_object(self, path: RemotePath) -> None:
        if path.exists():
            with path.open("rb") as handle:
                holder = handle.read(200).decode(errors="replace").strip() or "another process"
            raise UsageError(
                f"{path.parent}: another tongbao run ({holder}) is writing there (lock object {path}). "
                "Wait for it to finish or give another --out; if no run is writing (one killed with -9 "
                "leaves the lock behind), delete that object and run again."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.write(f"host {socket.gethostname()} pid {os.getpid()}\n".encode())
        self._held = True

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._held:
            self.path.unlink(missing_ok=True)
            self._held = False
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
