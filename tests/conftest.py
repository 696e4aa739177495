"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# CI lays ../shared beside the checkout; TONGBAO_SHARED points elsewhere when it is not.
SHARED = Path(os.environ.get("TONGBAO_SHARED", ROOT.parent / "shared"))
REAL = SHARED / "corpus" / "real"
DEV = SHARED / "corpus" / "dev"
REAL_TXT = REAL / "xinyang-2022-07.txt"
SCORER = SHARED / "tools" / "score.py"

needs_shared = pytest.mark.skipif(not REAL_TXT.exists(), reason="../shared corpus not beside the checkout")


@pytest.fixture(scope="session")
def real_text() -> str:
    if not REAL_TXT.exists():
        pytest.skip("../shared corpus not beside the checkout")
    return REAL_TXT.read_text(encoding="utf-8")


@pytest.fixture
def forked_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """File workers forked from the test's own process, so a stand-in for the parser set with
    monkeypatch reaches them (workers normally come from a forkserver, which imports its own)."""
    import multiprocessing

    import pipeline.workers

    monkeypatch.setattr(pipeline.workers, "worker_context", lambda: multiprocessing.get_context("fork"))
