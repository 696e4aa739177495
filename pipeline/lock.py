"""One writer per output folder: an advisory lock file holding the writer's pid.

`fcntl.flock` is released by the kernel when its holder dies (even by kill -9), so a lock left
behind by a dead run is never mistaken for a live one: the pid in the file is only there to
tell the user which process holds the folder.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from pipeline.options import UsageError

LOCK_NAME = ".tongbao.lock"


class OutputLock:
    """Hold OUT/.tongbao.lock for the length of a `with` block, or refuse with who holds it."""

    def __init__(self, out: Path) -> None:
        self.path = Path(out) / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
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

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
