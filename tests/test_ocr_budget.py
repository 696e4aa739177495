"""How many processes OCR at once (issue 14): `--ocr-workers`, never more than the cores, a slot a
killed worker cannot keep; and which inference backend a machine gets."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HOLD = """
import sys, time
from pipeline.ocr_gate import ocr_slot
with ocr_slot():
    print("in", flush=True)
    time.sleep(float(sys.argv[1]))
"""


def test_cap_is_the_cores_or_fewer(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr_gate import ocr_cap

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert ocr_cap() == 2
    assert ocr_cap(1) == 1
    assert ocr_cap(8) == 2  # --ocr-workers 8 on 2 cores: 2


def test_gate_opens_only_when_workers_could_exceed_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import ocr_gate

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    opened: list[int] = []
    monkeypatch.setattr(ocr_gate, "open_ocr_gate", lambda n: opened.append(n) or Path("/x"))
    assert ocr_gate.gate_run(0) is None  # one worker per core, one OCR process each
    assert ocr_gate.gate_run(2, 2) is None
    assert ocr_gate.gate_run(1, 1) is None  # in-process: its pool is sized by ocr_processes
    assert ocr_gate.gate_run(2, 1) == Path("/x")
    assert ocr_gate.gate_run(6) == Path("/x")  # --workers 6 on 2 cores: 2 OCR at once
    assert opened == [1, 2]


def test_in_process_runs_read_serially_unless_given_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import ocr_processes

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert ocr_processes(1) == 1  # --workers 1 (and check): no subprocess, as before
    assert ocr_processes(1, 2) == 2
    assert ocr_processes(1, 16) == 2
    assert ocr_processes(0, 1) is None  # a file worker: its budget decides, the gate caps the run


def test_ocr_workers_option_is_checked() -> None:
    from pipeline.options import IngestOptions, UsageError

    assert IngestOptions(ocr_workers=3).ocr_workers == 3
    with pytest.raises(UsageError, match="--ocr-workers"):
        IngestOptions(ocr_workers=-1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="flock slots and /proc")
def test_one_slot_is_held_by_one_process_and_freed_by_its_death(tmp_path: Path) -> None:
    from pipeline.ocr_gate import GATE_ENV, close_ocr_gate, open_ocr_gate

    folder = open_ocr_gate(1)
    assert folder is not None
    try:
        env = {**os.environ, GATE_ENV: str(folder), "PYTHONPATH": str(ROOT)}
        first = subprocess.Popen([sys.executable, "-c", HOLD, "60"], stdout=subprocess.PIPE, env=env)
        assert first.stdout is not None and first.stdout.readline() == b"in\n"
        second = subprocess.Popen([sys.executable, "-c", HOLD, "0"], stdout=subprocess.PIPE, env=env)
        time.sleep(1.0)
        assert second.poll() is None  # waiting: the only slot is taken
        first.send_signal(signal.SIGKILL)  # killed mid-page: the kernel drops its lock
        first.wait()
        assert second.communicate(timeout=30)[0] == b"in\n"
    finally:
        close_ocr_gate(folder)
    assert not folder.exists() and GATE_ENV not in os.environ


def test_onnxruntime_is_the_backend_unless_openvino_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from pipeline.ocr_setup import OcrUnavailable, ocr_backend

    monkeypatch.delenv("TONGBAO_OCR_BACKEND", raising=False)
    assert ocr_backend() == "onnxruntime"  # whatever the CPU: OpenVINO measured slower on both
    monkeypatch.setenv("TONGBAO_OCR_BACKEND", "auto")
    assert ocr_backend() == "onnxruntime"
    monkeypatch.setenv("TONGBAO_OCR_BACKEND", "tensorrt")
    with pytest.raises(OcrUnavailable, match="use auto or one of onnxruntime, openvino"):
        ocr_backend()
    if importlib.util.find_spec("openvino") is not None:
        monkeypatch.setenv("TONGBAO_OCR_BACKEND", "OpenVINO")
        assert ocr_backend() == "openvino"
