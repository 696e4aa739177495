"""The OCR engine's set-up: the bundled models, the inference backend and rapidocr's parameters.
pipeline/ocr.py loads the engine with these.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from parsers.model import TongbaoError

MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
"""The models bundled in the rapidocr wheel (rapidocr/models/). Only these are used:
the engine must never download (default_models.yaml points at modelscope URLs)."""


class OcrUnavailable(TongbaoError):
    """The OCR engine or its bundled model files cannot be loaded."""

    stage = "ocr"


DEFAULT_DET_LIMIT_SIDE = 800
"""Long side (px) the detector's input is shrunk to; recognition still cuts its crops from the
full 150 dpi page (rapidocr scales the boxes back). Detection costs in proportion to its pixels:
on the 60 corpus scan pages (one thread, margins cut: pipeline/ocr.py _read_boxes) det 0.30
CPU-s/page at 1280 px, 0.25 at 960, 0.20 at 880, 0.15 at 800. At 800 the five corpus scans
score 1.0 on every figure with the same findings and the hard fixtures keep their records; the
lines lost against 1280 are three running page numbers (— 6 —). Every cap under 1280 lost the
real scan's date (2022年8月9日) under its seal, hence SEALED_DET_LIMIT_SIDE. Rendering the whole
page at 100 dpi instead merged two table cells of a dev scan: the recogniser needs the pixels.
What a shrunk page reads unsurely goes to the second pass at full resolution (pipeline/ocr.py,
pipeline/ocr_recheck.py)."""

SEALED_DET_LIMIT_SIDE = 1280
"""The detector's cap on a page where the seal finder found a seal: the 成文日期 sits under the
seal (GB/T 9704), and its strokes behind the seal's are what a shrunk page loses first."""

DEFAULT_REC_BATCH = 1
"""Crops per recognition call. A batch pads every crop to the widest one (a 40-character
line pads a 2-digit score cell 20×): batch 1 measured rec 0.91 → 0.67 CPU-s/page (issue 14)."""

DEFAULT_REC_MIN_WIDTH = 48
"""Width (px) the recogniser pads a crop to at least; its input is 48 px high and ~0.1 ms of CPU
per px of width (one thread, measured). rapidocr's default 320 pads a 2-character score cell 4–7×:
on a score-table page 12,400 px of input instead of 4,000. At 48 the corpus scans keep every
record (score.py 1.0 on every figure); only the spaces in 9 deductions' raw text differ."""

BACKENDS = ("onnxruntime", "openvino")
"""Inference backends. `TONGBAO_OCR_BACKEND` names one; unset (or `auto`) it is onnxruntime. Both
read the same bundled ONNX models.

OpenVINO is never chosen by itself: measured slower on both CPUs at hand. On a 2-core AMD EPYC
with AVX2 (float32 only) about even — detection 0.58 → 0.50 CPU-s/page, recognition 2.04 → 2.00,
+365 MiB per process. On a 2-core AMD EPYC with AVX-512 and native bfloat16 (avx512_bf16, where
OpenVINO's CPU plugin computes in bfloat16 by itself, the case it was once chosen for unmeasured),
bench/bench_ocr.py over the 60 corpus scan pages: 0.78–1.32 CPU-s/page against 0.62–0.64 for
onnxruntime with the INT8 recogniser (VNNI), and 2.6 GB more address space per process."""


def model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def forbid_download(*_args: Any, **_kwargs: Any) -> None:
    raise OcrUnavailable(
        "rapidocr tried to download a model; tongbao uses only the models bundled in the "
        f"rapidocr wheel ({model_dir()}). Reinstall rapidocr so that folder holds "
        f"{', '.join(MODEL_FILES.values())}."
    )


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def ocr_backend() -> str:
    """The inference backend this process uses: `TONGBAO_OCR_BACKEND` (onnxruntime, openvino, or
    auto: onnxruntime) if set, else onnxruntime."""
    wanted = os.environ.get("TONGBAO_OCR_BACKEND", "").strip().lower() or "auto"
    if wanted == "auto":
        return "onnxruntime"
    if wanted not in BACKENDS:
        raise OcrUnavailable(f"TONGBAO_OCR_BACKEND={wanted!r}: use auto or one of {', '.join(BACKENDS)}")
    if not _installed(wanted):
        extra = " (pip install 'tongbao[fast-ocr]')" if wanted == "openvino" else ""
        raise OcrUnavailable(f"TONGBAO_OCR_BACKEND={wanted}: {wanted} is not installed{extra}")
    return wanted


def engine_params(threads: int, backend: str, precision: str = "fp32") -> dict[str, Any]:
    """rapidocr's parameters for the bundled models on `backend` with `threads` intra-op threads;
    `precision` int8 swaps in the INT8 recogniser (pipeline/ocr_int8.py, onnxruntime only: it
    was measured there; OpenVINO runs the float32 one)."""
    from rapidocr.utils.typings import EngineType

    models = model_dir()
    params: dict[str, Any] = {
        "Global.log_level": "error",
        # Pages are deskewed before recognition and never upside down, so the
        # 180° text-line classifier only costs time.
        "Global.use_cls": False,
        "Global.model_root_dir": str(models),
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "EngineConfig.openvino.inference_num_threads": threads,
        # One stream of one request at a time per process: pages run in parallel processes, so
        # OpenVINO's own throughput streams would only add threads on the same cores.
        "EngineConfig.openvino.performance_hint": "LATENCY",
        "EngineConfig.openvino.num_streams": 1,
        "Det.limit_side_len": DEFAULT_DET_LIMIT_SIDE,
        "Det.limit_type": "max",
        "Rec.rec_batch_num": DEFAULT_REC_BATCH,
        "Rec.rec_img_shape": [3, 48, DEFAULT_REC_MIN_WIDTH],
    }

    kind = EngineType.OPENVINO if backend == "openvino" else EngineType.ONNXRUNTIME
    for task, fname in MODEL_FILES.items():
        params[f"{task}.model_path"] = str(models / fname)
        params[f"{task}.engine_type"] = kind
    if precision == "int8" and backend == "onnxruntime":
        from pipeline.ocr_int8 import rec_model_path

        params["Rec.model_path"] = str(rec_model_path("int8"))
    return params


def cap_opencv_threads(threads: int) -> None:
    """Hold OpenCV's own thread pool (page preparation: seal colour, skew search, table rules, seal
    rings) to the engine's thread budget. By default it starts a thread per core in every OCR
    process, and with one process per core those threads only contend: measured on 10 pages of the
    real scan, preparation 0.20 → 0.19 CPU-s/page at one thread, output identical."""
    import cv2

    cv2.setNumThreads(threads)


def narrow_factor() -> float:
    """Width kept of a wide line before recognition (parsers/readers/ocr/crops.py):
    `TONGBAO_OCR_NARROW` if set (1 reads every crop at full width), else DEFAULT_NARROW_FACTOR."""
    from parsers.readers.ocr.crops import DEFAULT_NARROW_FACTOR

    wanted = os.environ.get("TONGBAO_OCR_NARROW", "").strip()
    if not wanted:
        return DEFAULT_NARROW_FACTOR
    try:
        factor = float(wanted)
    except ValueError:
        factor = 0.0
    if not 0.3 <= factor <= 1.0:
        raise OcrUnavailable(
            f"TONGBAO_OCR_NARROW={wanted!r}: use a width factor from 0.3 to 1 (1: no narrowing)"
        )
    return factor


class NarrowingRecognizer:
    """rapidocr's recogniser with wide lines narrowed to `factor` of their width first, and a
    narrowed line holding a digit read unsurely read again at full width (crops.readings_to_redo).
    The crops handed back are the engine's own, unsqueezed."""

    def __init__(self, recognizer: Any, factor: float) -> None:
        self._recognizer, self.factor = recognizer, factor
        self.narrowed = self.redone = 0
        """Crops narrowed and readings redone at full width in this process (the bench's counts)."""

    def __call__(self, args: Any) -> Any:
        from parsers.readers.ocr.crops import crops_to_narrow, narrowed, readings_to_redo

        crops = [args.img] if isinstance(args.img, np.ndarray) else list(args.img)
        if self.factor >= 1.0 or not crops or args.return_word_box:
            return self._recognizer(args)
        narrow = crops_to_narrow(crops)
        squeezed = [narrowed(c, self.factor) if n else c for c, n in zip(crops, narrow, strict=True)]
        out = self._recognizer(type(args)(img=squeezed, return_word_box=False))
        texts, scores = list(out.txts), list(out.scores)
        redo = readings_to_redo(texts, scores, narrow)
        if redo:
            again = self._recognizer(type(args)(img=[crops[i] for i in redo], return_word_box=False))
            for i, text, score in zip(redo, again.txts, again.scores, strict=True):
                texts[i], scores[i] = text, score
        self.narrowed += sum(narrow)
        self.redone += len(redo)
        out.imgs, out.txts, out.scores = crops, tuple(texts), scores
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._recognizer, name)
