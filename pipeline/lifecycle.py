"""How a child process ties its life to its parent's: file workers and OCR pool processes alike."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

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
