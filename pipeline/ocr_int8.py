"""The INT8 text recogniser (issue 14): built by tongbao itself from the bundled float32 model,
once, into the user's cache; the default since session 7 (`TONGBAO_OCR_PRECISION=fp32` or
`--ocr-precision fp32` reads with the bundled float32 model).

Static QDQ quantization (activations uint8, weights int8 per channel with 7-bit range), MinMax
calibrated on the recogniser's own inputs while the float32 engine reads the calibration pages
bundled beside this module (pipeline/ocr_calibration: the degraded score tables and seal pages
of tests/fixtures/ocr, and the first two pages of the ten largest generated circulars of
tests/fixtures/gold, rendered at 150 dpi). With the scan fixtures alone the real scan's issue
date under its seal was read 2022年8月19日. Conv and MatMul are quantized except six Conv of the last
backbone stage (INT8_KEEP_FLOAT32): quantized, they read a deduction's continuation line of
dev-003-scan at 0.92 (under the trust threshold, so its score_mismatch became ocr_uncertain). The decomposed GELUs are put back as one com.microsoft Gelu each,
since onnxruntime's own fusion no longer matches them once DequantizeLinear nodes sit between
(bench/bench_int8.py has the measurements).

The model is cached as `rec-int8-<sha256 of the float32 model>-ort<onnxruntime version>-<recipe>.onnx`,
so a new rapidocr model, onnxruntime or recipe (recipe_digest) builds it again. It is built in a child process that reads
with the float32 engine (`python -m pipeline.ocr_int8`), under a file lock, so parallel OCR
workers build it once (~40 CPU-s, measured idle). Building needs the `onnx` package (a dependency);
without it, or when the build fails, OCR falls back to float32 with a warning.

Why INT8 is the default (session 7): on the five corpus scans every score.py figure is the same
as float32 (1.0 but reason similarity 0.9999) with the same score_mismatch finding; the hard
fixtures keep their records; recognition costs ~0.7× float32. The one record that differs: the
real scan's unit_uncertain warning, which float32 raises only because it reads the printed
heading 浉河区 narrowed at 0.9497 and then worse at full width (狮河区); INT8 reads 浉河区 directly
(that scan's gold holds no finding). The detector stays float32: bench/bench_int8.py.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.ocr_setup import MODEL_FILES, OcrUnavailable, model_dir

PRECISIONS = ("fp32", "int8")
DEFAULT_PRECISION = "int8"
PRECISION_ENV = "TONGBAO_OCR_PRECISION"
CACHE_ENV = "TONGBAO_CACHE_DIR"
CALIBRATION_DIR = Path(__file__).resolve().parent / "ocr_calibration"
CALIBRATION_PDF_PAGES = (1, 2)
INT8_KEEP_FLOAT32 = tuple(f"Conv.{i}" for i in range(42, 48))
"""Six Conv of PP-OCRv6_rec_small's last backbone stage (192–384 channels), kept in float32.
Measured by quantizing all but one part of the backbone at a time (bench/bench_int8.py): all
quantized, a line of dev-003-scan read at 0.95 in float32 fell to 0.92 (under the trust
threshold 0.93); with Conv.42–47 in float32 it reads 0.97, and the recogniser costs 0.74× float32
(Conv.42–53 in float32: 0.84×; Conv.48–53, the 768-channel ones: 0.81×)."""


def ocr_precision() -> str:
    """The recogniser's precision: `TONGBAO_OCR_PRECISION` (fp32 or int8), default DEFAULT_PRECISION."""
    wanted = os.environ.get(PRECISION_ENV, "").strip().lower() or DEFAULT_PRECISION
    if wanted not in PRECISIONS:
        raise OcrUnavailable(f"{PRECISION_ENV}={wanted!r}: use {' or '.join(PRECISIONS)}")
    return wanted


def cache_dir() -> Path:
    """`TONGBAO_CACHE_DIR`, else `$XDG_CACHE_HOME/tongbao`, else ~/.cache/tongbao."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tongbao"


def int8_model_path(source: Path) -> Path:
    """Where the INT8 version of the float32 model `source` is cached (source hash, onnxruntime)."""
    import onnxruntime

    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    return cache_dir() / f"rec-int8-{digest}-ort{onnxruntime.__version__}-{recipe_digest()}.onnx"


def recipe_digest() -> str:
    """A short hash of how the model is built (the float32 nodes, the calibration pages), so a
    cached model from an older recipe is not reused."""
    recipe = hashlib.sha256(",".join(INT8_KEEP_FLOAT32).encode())
    for path in sorted(CALIBRATION_DIR.iterdir()):
        recipe.update(path.name.encode() + path.read_bytes())
    return recipe.hexdigest()[:8]


def rec_model_path(precision: str) -> Path:
    """The recogniser file for `precision`: the bundled float32 model, or its cached INT8 version
    (built now if missing). A failed build warns and returns the float32 model."""
    source = model_dir() / MODEL_FILES["Rec"]
    if precision == "fp32":
        return source
    target = int8_model_path(source)
    if target.is_file():
        return target
    if not _onnx_installed():
        # Said before a child process is started: it would read the calibration pages (~40 s)
        # before failing on the missing package, in every OCR process.
        warnings.warn(
            "INT8 recogniser not built (the onnx package is not installed: pip install onnx); "
            "reading with the float32 model",
            stacklevel=2,
        )
        return source
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target.with_suffix(".lock")):
            if not target.is_file():
                _build_in_child(target)
    except (OSError, subprocess.CalledProcessError) as e:
        warnings.warn(f"INT8 recogniser not built ({e}); reading with the float32 model", stacklevel=2)
        return source
    return target


def _onnx_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("onnx") is not None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _build_in_child(target: Path) -> None:
    # A child process with the float32 engine: this process's engine is the one being loaded.
    env = {**os.environ, PRECISION_ENV: "fp32"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.ocr_int8", str(target)],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    if done.returncode != 0:
        raise subprocess.CalledProcessError(
            done.returncode, done.args, done.stdout, done.stderr.strip()[-500:]
        )


class _RecordingSession:
    """rapidocr's recogniser session, keeping a copy of every batch it is fed."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self.batches: list[np.ndarray] = []

    def __call__(self, batch: np.ndarray) -> Any:
        self.batches.append(batch.copy())
        return self._session(batch)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def calibration_pages() -> list[np.ndarray]:
    """The calibration pages: every frame of the scan images, the first two pages of the PDFs."""
    from pipeline.ocr import render_pdf_page
    from pipeline.ocr_inputs import decode_image_frames

    pages: list[np.ndarray] = []
    for path in sorted(CALIBRATION_DIR.iterdir()):
        data = path.read_bytes()
        if path.suffix == ".pdf":
            pages.extend(render_pdf_page(data, n) for n in CALIBRATION_PDF_PAGES)
        else:
            pages.extend(decode_image_frames(data, path.name))
    return pages


def calibration_inputs() -> list[np.ndarray]:
    """The batches the float32 recogniser is fed while reading the calibration pages."""
    from pipeline.ocr import load_engine, ocr_page_image

    rec = load_engine(1).text_rec._recognizer
    recording = _RecordingSession(rec.session)
    rec.session = recording
    try:
        for page in calibration_pages():
            ocr_page_image(page, page=1, threads=1)
    finally:
        rec.session = recording._session
    return recording.batches


def prepared_for_quantization(source: Path, out: Path) -> Path:
    """`source` with shapes inferred and raised to opset 13, written to `out`: per-channel
    DequantizeLinear needs its `axis` attribute, which opset 11 (the bundled models') lacks."""
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization.shape_inference import quant_pre_process

    quant_pre_process(str(source), str(out), skip_symbolic_shape=True)
    onnx.save(version_converter.convert_version(onnx.load(str(out)), 13), str(out))
    return out


def quantized_static(
    pre: Path,
    out: Path,
    inputs: list[np.ndarray],
    *,
    op_types: list[str] | None,
    reduce_range: bool,
    keep_float32: Sequence[str] = (),
    calibration_cache: Path | None = None,
) -> Path:
    """The prepared model `pre` statically quantized (QDQ, uint8 activations, per-channel int8
    weights, min-max calibration on `inputs`) into `out`; `keep_float32` names nodes left alone.
    `calibration_cache`: a file of the ranges, written by the first call and read by the next
    (variants of one model differing only in `keep_float32`); its calibration then keeps at most
    two inputs' intermediate tensors in memory instead of all of them (full detector pages)."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    name = onnx.load(str(pre), load_external_data=False).graph.input[0].name

    class Feed(CalibrationDataReader):
        def __init__(self) -> None:
            self._feeds = iter([{name: x} for x in inputs])

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self._feeds, None)

    quantize_static(
        str(pre),
        str(out),
        Feed(),
        quant_format=QuantFormat.QDQ,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=reduce_range,
        calibrate_method=CalibrationMethod.MinMax,
        op_types_to_quantize=op_types,
        nodes_to_exclude=list(keep_float32),
        **(
            {
                "calibration_cache_path": str(calibration_cache),
                "extra_options": {"CalibMaxIntermediateOutputs": 2},
            }
            if calibration_cache is not None
            else {}
        ),
    )
    return out


def build_int8_recogniser(source: Path, target: Path) -> Path:
    """Quantize the float32 recogniser `source` into `target` (written whole, then renamed)."""
    batches = calibration_inputs()
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        pre = prepared_for_quantization(source, Path(tmp) / "pre.onnx")
        out = quantized_static(
            pre,
            Path(tmp) / "int8.onnx",
            batches,
            op_types=["Conv", "MatMul"],
            reduce_range=True,
            keep_float32=INT8_KEEP_FLOAT32,
        )
        gelus_fused(out)
        os.replace(out, target)
    return target


def gelus_fused(path: Path) -> int:
    """Rewrite each decomposed GELU of the model at `path` (Div √2 → Erf → Add 1 → Mul x → Mul ½)
    as one com.microsoft Gelu; their count. onnxruntime duplicates a DequantizeLinear feeding two
    nodes, so its own GELU fusion no longer matches (rec 0.189 → 0.174 s on a micro-run)."""
    import onnx
    from onnx import helper

    model = onnx.load(str(path))
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list[Any]] = collections.defaultdict(list)
    for n in graph.node:
        for i in n.input:
            consumers[i].append(n)

    def only(name: str, op: str) -> Any:
        after = consumers[name]
        return after[0] if len(after) == 1 and after[0].op_type == op else None

    replaced: dict[int, Any] = {}
    dropped: set[int] = set()
    for erf in (n for n in graph.node if n.op_type == "Erf"):
        div = producer.get(erf.input[0])
        add = only(erf.output[0], "Add")
        times_x = add and only(add.output[0], "Mul")
        half = times_x and only(times_x.output[0], "Mul")
        if div is None or div.op_type != "Div" or half is None or div.input[0] not in times_x.input:
            continue
        dropped.update(id(n) for n in (div, erf, add, times_x, half))
        replaced[id(div)] = helper.make_node(
            "Gelu", [div.input[0]], [half.output[0]], name=f"{div.name}_gelu", domain="com.microsoft"
        )
    nodes = [replaced.get(id(n), n) for n in graph.node if id(n) in replaced or id(n) not in dropped]
    del graph.node[:]
    graph.node.extend(nodes)
    if replaced and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(path))
    return len(replaced)


def main(argv: list[str]) -> None:
    """`python -m pipeline.ocr_int8 [TARGET]`: build the INT8 recogniser (default: its cache path)."""
    from pipeline.lifecycle import end_with_parent

    # Started by an OCR process on a run's first scan (INT8 is the default): a killed run leaves
    # no build behind (the model is written whole and renamed, so nothing half-built either).
    end_with_parent()
    source = model_dir() / MODEL_FILES["Rec"]
    target = Path(argv[0]) if argv else int8_model_path(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    print(build_int8_recogniser(source, target))


if __name__ == "__main__":
    main(sys.argv[1:])
