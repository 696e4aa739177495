"""Score a converted rendering of the real circular with the shared score.py (the formats tests).

The gold label of real/xinyang-2022-07 is copied beside the converted file under the file's new
name, in a tmp dir: shared material is never copied into the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not (SHARED / "corpus").is_dir():
    SHARED = Path("/work/shared")
REAL = SHARED / "corpus" / "real"
SCORE = SHARED / "tools" / "score.py"
STEM = "xinyang-2022-07"
FIGURES = (
    "deductions_f1",
    "scores_f1",
    "metadata_accuracy",
    "reconciliation_accuracy",
    "findings_f1",
    "reason_similarity",
    "deductions_precision",
    "scores_precision",
)


def real_source(suffix: str) -> Path:
    path = REAL / f"{STEM}{suffix}"
    if not path.exists() or not SCORE.exists():
        pytest.skip(f"the shared corpus is not at {REAL}")
    return path


def gold_beside(folder: Path, source_name: str) -> Path:
    """Write the real circular's gold label for `source_name` into folder/gold; return that folder."""
    gold = json.loads((REAL / f"{STEM}.gold.json").read_text(encoding="utf-8"))
    gold["source"] = source_name
    out = folder / "gold"
    out.mkdir(exist_ok=True)
    (out / f"{source_name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return out


def score_figures(out: Path, gold: Path) -> dict[str, float]:
    """Run score.py; return its summary line's figures."""
    run = subprocess.run(
        [sys.executable, str(SCORE), "--out", str(out), "--gold", str(gold), "--show-misses", "5"],
        capture_output=True,
        text=True,
        check=False,
    )
    summary = [ln for ln in run.stdout.splitlines() if ln.startswith("documents=")]
    assert summary, run.stdout + run.stderr
    figures = dict(item.split("=", 1) for item in summary[-1].split())
    return {k: float(v) for k, v in figures.items()}


def assert_perfect(figures: dict[str, float], documents: int = 1) -> None:
    assert figures["documents"] == documents and figures["documents_missing"] == 0, figures
    assert {k: figures[k] for k in FIGURES} == dict.fromkeys(FIGURES, 1.0)
