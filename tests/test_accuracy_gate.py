"""Accuracy gate: ingest the shared corpus and score it with ../shared/tools/score.py.

Floors are pinned at what the code measured when they were last raised; raise them as
accuracy rises, never lower one without saying why in CHANGELOG.md. Scanned PDFs are
left to `make bench` (OCR of a whole scan takes minutes on 2 cores); the text renderings here
take a few seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest
from tests.conftest import DEV, REAL, SCORER, needs_shared

FIGURES = (
    "deductions_f1",
    "scores_f1",
    "metadata_accuracy",
    "reconciliation_accuracy",
    "findings_f1",
    "reason_similarity",
)
# glob of the gold `source` -> floor for every summary figure (issue 4 asks ≥ 0.99/0.99/0.97/0.99/0.95/0.97
# for dev .txt; measured 1.0 on each when pinned).
FLOORS: dict[str, dict[str, float]] = {
    "xinyang-2022-07.txt": dict.fromkeys(FIGURES, 1.0),
    "dev-*.txt": dict.fromkeys(FIGURES, 1.0),
    "*.docx": dict.fromkeys(FIGURES, 1.0),
    "*.html": dict.fromkeys(FIGURES, 1.0),
    # Text-layer PDFs (issue 3): Word-style and drawn with fake-bold titles.
    "dev-[0-9][0-9][0-9].pdf": dict.fromkeys(FIGURES, 1.0),
    "*-drawn.pdf": dict.fromkeys(FIGURES, 1.0),
    "xinyang-2022-07.pdf": dict.fromkeys(FIGURES, 1.0),
}


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gate")
    files = [
        p
        for folder in (REAL, DEV)
        for p in sorted(folder.iterdir())
        if p.suffix in (".txt", ".docx", ".html", ".pdf") and not p.name.endswith("-scan.pdf")
    ]
    summary = ingest(files, IngestOptions(out=out, workers=2, ocr="never"))
    assert summary.failed == 0, summary.failures
    return out


def score(out: Path, only: str) -> dict[str, float]:
    report = out / "score.json"
    result = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            "--out",
            str(out),
            "--gold",
            str(REAL),
            str(DEV),
            "--only",
            only,
            "--quiet",
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(report.read_text(encoding="utf-8"))["summary"]


@needs_shared
@pytest.mark.parametrize("only", list(FLOORS))
def test_accuracy_floor(corpus_out: Path, only: str) -> None:
    summary = score(corpus_out, only)
    assert summary["documents"] > 0 and summary["documents_missing"] == 0
    below = {f: summary[f] for f in FIGURES if summary[f] < FLOORS[only][f]}
    assert not below, f"{only}: below the pinned floor: {below} (floors {FLOORS[only]})"


# Circulars written for tongbao (tests/fixtures/gold/README), by set: the first five measured 1.0
# on every figure when pinned; the last two (messy web copies, PDFs with frameless, three-line and
# three-row-header tables) keep known gaps, listed in CHANGELOG.md, pinned at what was measured.
GOLD = Path(__file__).parent / "fixtures" / "gold"
GOLD_FLOORS: dict[str, dict[str, float]] = {
    "fresh-*": dict.fromkeys(FIGURES, 1.0),
    "fb-*": dict.fromkeys(FIGURES, 1.0),
    "fc-*": dict.fromkeys(FIGURES, 1.0),
    "fd-*": dict.fromkeys(FIGURES, 1.0),
    "e0*": dict.fromkeys(FIGURES, 1.0),
    "f[0-9][0-9]-*": {
        "deductions_f1": 1.0,
        "scores_f1": 1.0,
        "metadata_accuracy": 1.0,
        "reconciliation_accuracy": 1.0,
        "findings_f1": 1.0,
        "reason_similarity": 0.997,
    },
    "h0*": dict.fromkeys(FIGURES, 1.0),
    "g0*": {
        "deductions_f1": 0.996,
        "scores_f1": 1.0,
        "metadata_accuracy": 1.0,
        "reconciliation_accuracy": 0.982,
        "findings_f1": 0.923,
        "reason_similarity": 1.0,
    },
}


@pytest.fixture(scope="module")
def gold_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gold")
    files = sorted(p for p in GOLD.iterdir() if not p.name.endswith(".gold.json") and p.name != "README")
    summary = ingest(files, IngestOptions(out=out, workers=2, ocr="never"))
    assert summary.failed == 0, summary.failures
    return out


@needs_shared
@pytest.mark.parametrize("only", list(GOLD_FLOORS))
def test_accuracy_floor_on_the_project_gold_circulars(gold_out: Path, only: str) -> None:
    report = gold_out / "score.json"
    result = subprocess.run(
        [
            sys.executable,
            str(SCORER),
            "--out",
            str(gold_out),
            "--gold",
            str(GOLD),
            "--only",
            only,
            "--quiet",
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert figures["documents"] > 0 and figures["documents_missing"] == 0
    below = {f: figures[f] for f in FIGURES if figures[f] < GOLD_FLOORS[only][f]}
    assert not below, (
        f"tests/fixtures/gold {only}: below the pinned floor: {below} (floors {GOLD_FLOORS[only]})"
    )
