"""The OCR engine's set-up: the bundled models, the inference backend and rapidocr's parameters.
pipeline/ocr.py loads the engine with these.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


DEFAULT_DET_LIMIT_SIDE = 1280
"""Long side (px) the detector's input is shrunk to; recognition still cuts its crops from the
full 150 dpi page (rapidocr scales the boxes back). Issue 14, measured on the corpus scans:
every figure 1.0, detection ~0.6× the CPU of the uncapped 1754 px page. Rendering the whole
page at 100 dpi instead merged two table cells of a dev scan: the recogniser needs the pixels."""

DEFAULT_REC_BATCH = 1
"""Crops per recognition call. A batch pads every crop to the widest one (a 40-character
line pads a 2-digit score cell 20×): batch 1 measured rec 0.91 → 0.67 CPU-s/page (issue 14)."""

BACKENDS = ("onnxruntime", "openvino")
"""Inference backends; `TONGBAO_OCR_BACKEND` names one, onnxruntime is the default. OpenVINO
reads the same bundled ONNX models and gave the same records on the corpus scans, but measured
here (2 shared cores, load 5–12) it cut detection by ~20 % only, recognition not at all, and
held ~250 MiB more per process (2 workers: 2.3 GiB against 1.3 GiB), so it is not chosen
automatically and there is no extra for it."""


def model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def forbid_download(*_args: Any, **_kwargs: Any) -> None:
    raise OcrUnavailable(
        "rapidocr tried to download a model; tongbao uses only the models bundled in the "
        f"rapidocr wheel ({model_dir()}). Reinstall rapidocr so that folder holds "
        f"{', '.join(MODEL_FILES.values())}."
    )


def ocr_backend() -> str:
    """The inference backend this process uses: `TONGBAO_OCR_BACKEND` if set, else onnxruntime."""
    wanted = os.environ.get("TONGBAO_OCR_BACKEND", "").strip().lower() or "onnxruntime"
    if wanted not in BACKENDS:
        raise OcrUnavailable(f"TONGBAO_OCR_BACKEND={wanted!r}: use one of {', '.join(BACKENDS)}")
    return wanted


def engine_params(threads: int, backend: str) -> dict[str, Any]:
    """rapidocr's parameters for the bundled models on `backend` with `threads` intra-op threads."""
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
        "Det.limit_side_len": DEFAULT_DET_LIMIT_SIDE,
        "Det.limit_type": "max",
        "Rec.rec_batch_num": DEFAULT_REC_BATCH,
    }
    kind = EngineType.OPENVINO if backend == "openvino" else EngineType.ONNXRUNTIME
    for task, fname in MODEL_FILES.items():
        params[f"{task}.model_path"] = str(models / fname)
        params[f"{task}.engine_type"] = kind
    return params
