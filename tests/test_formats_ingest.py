"""Issue 11's formats through ingest: the real circular as .ofd, as .doc (with LibreOffice) and
inside a zip with a GBK-named folder scores 1.0 on every score.py figure; its 附件1 as .xlsx and
.xls is a document of its own with the 10 scores; a bomb member and an unknown file get their rows."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd

from pipeline.ingest import ingest
from pipeline.options import IngestOptions
from tests.fixtures.formats.make_formats import (
    ofd_from_text,
    score_sheet_rows,
    word97_from_docx,
    xls_bytes,
    xlsx_bytes,
)
from tests.formats_scoring import REAL, STEM, assert_perfect, gold_beside, real_source, score_figures
from tests.test_formats_containers import gbk_named_zip

TITLE = "各县区安全生产“十五条硬措施”贯彻落实情况得分表（2022年7月）"


def test_one_folder_of_every_format_through_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = real_source(".txt").read_text(encoding="utf-8")
    (folder / f"{STEM}.ofd").write_bytes(ofd_from_text(text))
    scored = [f"{STEM}.ofd", f"{STEM}.docx"]
    if shutil.which("soffice"):  # without LibreOffice the .doc is tested for its message instead
        work = tmp_path / "convert"
        work.mkdir()
        shutil.copy(real_source(".docx"), work / f"{STEM}.docx")
        (folder / f"{STEM}.doc").write_bytes(word97_from_docx(work / f"{STEM}.docx", work).read_bytes())
        scored.append(f"{STEM}.doc")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.txt", bytes(16 * 1024 * 1024))
    (folder / "批量.zip").write_bytes(
        gbk_named_zip({f"信阳/{STEM}.docx": real_source(".docx").read_bytes(), "炸弹.zip": bomb.getvalue()})
    )
    gold_scores = json.loads((REAL / f"{STEM}.gold.json").read_text(encoding="utf-8"))["scores"]
    rows = score_sheet_rows(TITLE, gold_scores)
    (folder / "附件1.xlsx").write_bytes(xlsx_bytes({"附件1": rows}, {"附件1": ["A1:C1"]}))
    (folder / "附件1.xls").write_bytes(xls_bytes({"附件1": rows}, {"附件1": [(0, 0, 0, 2)]}))
    (folder / "notes.xyz").write_bytes(b"\x00\x01binary")

    out = tmp_path / "out"
    summary = ingest([folder], IngestOptions(out=out, workers=1, ocr="never"))
    docs = pd.read_parquet(out / "documents")
    rows_by = {p.split("in/", 1)[1]: row for p, row in zip(docs.source_path, docs.itertuples(), strict=True)}
    assert summary.files == len(docs) == len(scored) - 1 + 2 + 2 + 1
    assert rows_by["notes.xyz"].status == "skipped"
    assert rows_by[f"批量.zip!/信阳/{STEM}.docx"].status == "ok"
    bombed = rows_by["批量.zip!/炸弹.zip!/zeros.txt"]
    assert bombed.status == "failed" and "a zip bomb?); refused without unpacking it" in bombed.error

    gold = tmp_path / "gold"
    for name in scored:
        gold_beside(tmp_path, name)
    assert_perfect(score_figures(out, gold), documents=len(scored))

    scores = pd.read_parquet(out / "scores")
    for name in ("附件1.xlsx", "附件1.xls"):
        assert rows_by[name].status == "ok"
        got = scores[scores.doc_id == rows_by[name].doc_id].sort_values("rank")
        assert list(zip(got.unit, got.score, strict=True)) == [(g["unit"], g["score"]) for g in gold_scores]
