"""No OCR process outlives its run (issue 14): a run killed mid-scan leaves no pool process.

The OCR pool's processes ask the kernel to kill them when their parent dies (Linux
PR_SET_PDEATHSIG), so even a SIGKILL of the run, which runs no cleanup, ends them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures" / "ocr"
ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
from pipeline.ocr import ocr_scanned_pdf
ocr_scanned_pdf(open(sys.argv[1], 'rb').read(), 'scan.pdf', workers=2)
"""


def scan_pdf(path: Path, pages: int) -> Path:
    page = Image.open(FIXTURES / "hard_skewed_3deg.png").convert("L")
    page.save(path, save_all=True, append_images=[page] * (pages - 1), resolution=150)
    return path


def pool_children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def alive(pids: list[int]) -> list[int]:
    import psutil

    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_leaves_no_ocr_process(tmp_path: Path, sig: signal.Signals) -> None:
    pdf = scan_pdf(tmp_path / "scan.pdf", pages=30)
    run = subprocess.Popen([sys.executable, "-c", SCRIPT, str(pdf)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        children: list[int] = []
        while time.monotonic() < deadline:
            children = [p for p in pool_children(run.pid) if p]
            # The spawn pool: a resource tracker plus two OCR processes, busy on pages.
            if len(children) >= 2:
                break
            assert run.poll() is None, "the run ended before its OCR pool started"
            time.sleep(0.2)
        assert len(children) >= 2, "no OCR pool processes seen"
        time.sleep(3)  # mid-scan: engines loaded, pages in flight
        assert run.poll() is None
        run.send_signal(sig)
        run.wait(timeout=30)
        deadline = time.monotonic() + 15
        while alive(children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert alive(children) == [], f"OCR processes outlived the run: {alive(children)}"
    finally:
        if run.poll() is None:
            run.kill()
