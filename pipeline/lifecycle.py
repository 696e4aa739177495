"""How a child process ties its life to its parent's: file workers and OCR pool processes alike."""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1


def end_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent dies, and leave a terminal's Ctrl-C
    to the parent, which stops its children itself: no worker or OCR process outlives a killed
    run, even a kill -9 that runs no cleanup.

    Linux only (prctl); elsewhere the parent's `finally` is what stops its children.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def end_with(pid: int) -> None:
    """End this process (os._exit) when process `pid` ends, whether or not it is the parent.

    A long run's workers are forked from multiprocessing's forkserver, so their parent is the
    server, not the ingest; and each worker holds the server's "parent alive" pipe open (the
    server passes it on to its children), so a kill -9 of the ingest left the server and its
    workers running for ever. A thread waits on a pidfd of the ingest: no polling, no signal.

    Linux ≥ 5.3 (pidfd_open); elsewhere the parent's `finally` is what stops its workers.
    """
    if not hasattr(os, "pidfd_open"):
        return
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:  # it ended before this worker got here
        os._exit(1)
    except OSError:  # an older kernel
        return

    def wait() -> None:
        select.select([handle], [], [])  # readable once the process has ended
        os._exit(1)

    threading.Thread(target=wait, name="end-with-ingest", daemon=True).start()
