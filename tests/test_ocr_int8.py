"""The INT8 recogniser (pipeline/ocr_int8.py, issue 14): the default, built by tongbao from the
bundled model into a cache keyed by the model's hash and the onnxruntime version; float32 kept as
`--ocr-precision fp32` / TONGBAO_OCR_PRECISION=fp32 and as the fallback."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.test_ocr_hard import FIXTURES, TABLE, table_rows


def test_precision_defaults_to_int8_and_refuses_others(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr_int8 import ocr_precision
    from pipeline.ocr_setup import OcrUnavailable

    monkeypatch.delenv("TONGBAO_OCR_PRECISION", raising=False)
    assert ocr_precision() == "int8"
    monkeypatch.setenv("TONGBAO_OCR_PRECISION", "FP32")
    assert ocr_precision() == "fp32"
    monkeypatch.setenv("TONGBAO_OCR_PRECISION", "int4")
    with pytest.raises(OcrUnavailable, match="fp32 or int8"):
        ocr_precision()


def test_cli_option_is_checked() -> None:
    from pipeline.options import IngestOptions, UsageError

    assert IngestOptions(ocr_precision="int8").ocr_precision == "int8"
    with pytest.raises(UsageError, match="--ocr-precision"):
        IngestOptions(ocr_precision="half")


def test_cache_is_keyed_by_model_hash_and_onnxruntime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import onnxruntime

    from pipeline.ocr_int8 import int8_model_path

    monkeypatch.setenv("TONGBAO_CACHE_DIR", str(tmp_path))
    a, b = tmp_path / "a.onnx", tmp_path / "b.onnx"
    a.write_bytes(b"model one")
    b.write_bytes(b"model two")
    path = int8_model_path(a)
    assert path.parent == tmp_path
    assert hashlib.sha256(b"model one").hexdigest()[:16] in path.name
    assert f"-ort{onnxruntime.__version__}-" in path.name
    assert int8_model_path(b) != path


def test_int8_engine_reads_the_cached_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr_int8 import int8_model_path
    from pipeline.ocr_setup import MODEL_FILES, engine_params, model_dir

    monkeypatch.setenv("TONGBAO_CACHE_DIR", str(tmp_path))
    cached = int8_model_path(model_dir() / MODEL_FILES["Rec"])
    cached.write_bytes(b"stands for a built model: present, so nothing is built")
    assert engine_params(1, "onnxruntime", "int8")["Rec.model_path"] == str(cached)
    assert engine_params(1, "onnxruntime")["Rec.model_path"] == str(model_dir() / MODEL_FILES["Rec"])
    # OpenVINO keeps the float32 model (INT8 was measured on onnxruntime only).
    assert engine_params(1, "openvino", "int8")["Rec.model_path"] == str(model_dir() / MODEL_FILES["Rec"])


def test_failed_build_falls_back_to_fp32(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr_int8 as int8
    from pipeline.ocr_setup import MODEL_FILES, model_dir

    def fails(target: Path) -> None:
        raise subprocess.CalledProcessError(1, ["build"], "", "ModuleNotFoundError: No module named 'onnx'")

    monkeypatch.setenv("TONGBAO_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(int8, "_build_in_child", fails)
    with pytest.warns(UserWarning, match="float32"):
        assert int8.rec_model_path("int8") == model_dir() / MODEL_FILES["Rec"]


def test_missing_onnx_falls_back_to_fp32_without_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without onnx a build child would read the calibration pages (~40 s) before failing, in
    # every OCR process: the default must not cost that on an install without it.
    import pipeline.ocr_int8 as int8
    from pipeline.ocr_setup import MODEL_FILES, model_dir

    def must_not_run(target: Path) -> None:
        raise AssertionError("a build was started without onnx")

    monkeypatch.setenv("TONGBAO_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(int8, "_onnx_installed", lambda: False)
    monkeypatch.setattr(int8, "_build_in_child", must_not_run)
    with pytest.warns(UserWarning, match="onnx package is not installed"):
        assert int8.rec_model_path("int8") == model_dir() / MODEL_FILES["Rec"]


HARD = [
    "hard_low_contrast.png",
    "hard_fax_96dpi.png",
    "hard_skewed_3deg.png",
    "hard_seal_over_score.png",
    "hard_photocopied_twice.jpg",
]


@pytest.mark.slow
def test_default_reads_with_the_cached_int8_recogniser(monkeypatch: pytest.MonkeyPatch) -> None:
    # The user's cache, as a run uses it: built here on a cold cache (a clean CI checkout), reused
    # otherwise. tests/test_ocr_hard.py reads the hard fixtures with this default.
    import onnx

    import pipeline.ocr as ocr
    from pipeline.ocr_int8 import INT8_KEEP_FLOAT32, int8_model_path
    from pipeline.ocr_setup import MODEL_FILES, model_dir

    monkeypatch.delenv("TONGBAO_OCR_PRECISION", raising=False)
    monkeypatch.setattr(ocr, "_ENGINE", None)
    name = HARD[0]
    assert table_rows(ocr.read_image((FIXTURES / name).read_bytes(), name).lines) == TABLE
    built = int8_model_path(model_dir() / MODEL_FILES["Rec"])
    assert ocr._ENGINE_KEY is not None and ocr._ENGINE_KEY[3] == "int8"
    assert built.is_file() and ocr.engine_params(1, "onnxruntime", "int8")["Rec.model_path"] == str(built)
    graph = onnx.load(str(built)).graph
    quantized = {n.name for n in graph.node if n.op_type == "DequantizeLinear"}
    assert quantized, "the cached model holds no quantized node"
    convs = {n.name for n in graph.node if n.op_type == "Conv"}
    assert set(INT8_KEEP_FLOAT32) <= convs


@pytest.mark.slow
def test_fp32_keeps_the_hard_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ocr as ocr

    monkeypatch.setenv("TONGBAO_OCR_PRECISION", "fp32")
    monkeypatch.setattr(ocr, "_ENGINE", None)
    for name in HARD:
        res = ocr.read_image((FIXTURES / name).read_bytes(), name)
        assert table_rows(res.lines) == TABLE, name
    assert ocr._ENGINE_KEY is not None and ocr._ENGINE_KEY[3] == "fp32"


def test_cli_precision_reaches_every_ocr_process_through_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.cli import use_ocr_precision
    from pipeline.ocr_int8 import ocr_precision

    monkeypatch.setenv("TONGBAO_OCR_PRECISION", "fp32")
    use_ocr_precision("")  # no option: the environment's choice stands
    assert ocr_precision() == "fp32"
    use_ocr_precision("int8")
    assert ocr_precision() == "int8"


@pytest.mark.slow
def test_a_killed_run_leaves_no_build_behind(tmp_path: Path) -> None:
    # INT8 is the default, so a run's first scan may start the build child: killing the run
    # (kill -9, no cleanup) must end it too.
    import os
    import signal
    import sys
    import time

    import psutil

    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            f"child = subprocess.Popen([sys.executable, '-m', 'pipeline.ocr_int8', {str(tmp_path / 'm.onnx')!r}])\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(120)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    time.sleep(4)  # the child is past its imports, reading the calibration pages
    assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    gone, _alive = psutil.wait_procs([child], timeout=10)
    assert gone, "the build child outlived its killed parent"
    assert not (tmp_path / "m.onnx").exists()
