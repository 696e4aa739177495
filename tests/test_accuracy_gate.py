"""Accuracy gate: ingest the shared corpus and score it with ../shared/tools/score.py.

Floors are pinned at what the code measured when they were last raised; raise them as
accuracy rises, never lower one without saying why in CHANGELOG.md. Scanned PDFs are
left to `make bench` (OCR of a whole scan takes minutes on 2 cores); the text renderings here
take a few seconds.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import json
import types
from pathlib import Path

import pandas as pd
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


def score(out: Path, gold: list[Path], only: str) -> dict:
    """score.py's report (--json): the summary and each document's figures.

    The scorer runs in this process (its `main(argv)`): a subprocess per set cost a Python start
    and a pandas import each, a third of the gate's time.
    """
    report = out / f"score-{abs(hash((only, *map(str, gold))))}.json"
    argv = ["--out", str(out), "--gold", *map(str, gold), "--only", only, "--quiet", "--json", str(report)]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = _scorer().main(argv)
    assert code == 0, printed.getvalue()
    return json.loads(report.read_text(encoding="utf-8"))


@functools.cache
def _scorer() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("tongbao_shared_score", SCORER)
    assert spec is not None and spec.loader is not None, SCORER
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fallen_documents(report: dict, limit: int = 12) -> str:
    """The documents of a set that are not perfect, each with its figures and first misses, so a
    gate that fails names the circulars that fell, not only the set."""
    lines = []
    for doc in report["documents"]:
        if doc.get("missing"):
            lines.append(f"  {doc['source']}: missing from the documents table")
            continue
        perfect = doc["deductions_f1"] == 1 and doc["scores_f1"] == 1 and not doc["wrong"]
        perfect = perfect and _all(doc["metadata"]) and _all(doc["reconciliation"])
        if not perfect:
            lines.append(
                f"  {doc['source']}: deductions F1 {doc['deductions_f1']:.3f}, scores F1 {doc['scores_f1']:.3f}, "
                f"metadata {doc['metadata']}, reconciliation {doc['reconciliation']}; "
                + "; ".join(doc["wrong"][:4])
            )
    more = f"\n  … and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def _all(fraction: str) -> bool:
    right, total = fraction.split("/")
    return right == total


def assert_floors(report: dict, floors: dict[str, float], label: str) -> None:
    figures = report["summary"]
    assert figures["documents"] > 0 and figures["documents_missing"] == 0, fallen_documents(report)
    below = {f: figures[f] for f in FIGURES if figures[f] < floors[f]}
    assert not below, (
        f"{label}: below the pinned floor: {below} (floors {floors}); documents not perfect:\n"
        + fallen_documents(report)
    )


@needs_shared
@pytest.mark.parametrize("only", list(FLOORS))
def test_accuracy_floor(corpus_out: Path, only: str) -> None:
    assert_floors(score(corpus_out, [REAL, DEV], only), FLOORS[only], only)


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
    # Circulars as they are really published (issue 9): first-run figures in CHANGELOG.md (r:
    # deductions 0.41, scores 0.28; w: 0.84, 0.52); pinned at what the code measures now. r05, r23
    # and r29 keep the issuer's mark set above the title by a blank line in the title, which their
    # labels leave out (CHANGELOG, "Known gaps").
    "r[0-9][0-9]-*": {**dict.fromkeys(FIGURES, 1.0), "metadata_accuracy": 0.99},
    "w[0-9][0-9]-*": dict.fromkeys(FIGURES, 1.0),
    # The next unseen shapes (tests/fixtures/make_gold_x.py): first run deductions 0.68, scores 0.92,
    # reconciliation 0.51, findings 0.80 (CHANGELOG.md, "gold set x"); 1.0 on every figure now.
    "x[0-9][0-9]-*": dict.fromkeys(FIGURES, 1.0),
    # More unseen shapes (tests/fixtures/make_gold_y.py): first run deductions 0.61, scores 0.21,
    # reconciliation 0.30, findings 0.16 (CHANGELOG.md, "gold set y"). y09 (.txt, .html) falls:
    # `排序第一为静川区，得分81.99，卢湾区紧随其后，…` — places in words (紧随其后, 其次) and two groups
    # named inside one sentence are not read (1 of 6 rows, no invented one).
    "y[0-9][0-9]-*": {**dict.fromkeys(FIGURES, 1.0), "scores_f1": 0.977},
    # Unseen shapes of session 5 (tests/fixtures/make_gold_z.py): first run deductions 0.88, scores
    # 0.90, reconciliation 0.54, findings 0.32, deduction precision 0.93 (CHANGELOG.md, "gold set z").
    # z07 (.txt, .html) falls on metadata: a notice of compensation money charged per county
    # (`…生态补偿金扣缴情况的通报`, a 万元 column, no points) is classed `other`, its label `result`.
    "z[0-9][0-9]-*": {**dict.fromkeys(FIGURES, 1.0), "metadata_accuracy": 0.995},
    # The renderings archives hold (tests/fixtures/make_gold_v.py: .docx with merged Word headers,
    # ruled .pdf, government .html): first run deductions 0.71, scores 0.77, metadata 0.91,
    # reconciliation 0.73, findings 0.11, deduction precision 0.75 (CHANGELOG.md, "gold set v").
    # v01 (.docx, .html) falls on scores: `市体育中心86.5分、市供销社88.2分排名靠后` beside a score table
    # of other units is left unread, as prose beside a table is (merge_prose_rows): 2 of 8 rows.
    "v[0-9][0-9]-*": {**dict.fromkeys(FIGURES, 1.0), "scores_f1": 0.989},
    # Messy exports and long circulars (tests/fixtures/make_gold_u.py: WPS/Word PDFs spaced, full-width,
    # broken inside amounts, tables without rules; GBK/CRLF/tab .txt; ragged .md; 总体情况…下步工作要求):
    # first run deductions 0.51, scores 0.92, reconciliation 0.87, findings 0.40, deduction precision
    # 0.53 (CHANGELOG.md, "gold set u"); 1.0 on every figure now.
    "u[0-9][0-9]-*": dict.fromkeys(FIGURES, 1.0),
    # Results as matrices (tests/fixtures/make_gold_t.py: units as rows, rubric items as columns in
    # .docx/.pdf/.html/.txt and in .xlsx/.csv/.xls/.et workbooks): first run deductions 0.06,
    # reconciliation 0.03, findings 0.0, scores 0.94 (CHANGELOG.md, "gold set t"); 1.0 on every
    # figure now. t03 (points earned per item under their maxima) is labelled as v08, the same
    # shape: scores only, no deduction rows (max − earned would be a number tongbao computed).
    "t[0-9][0-9]-*": dict.fromkeys(FIGURES, 1.0),
    # The document's own record (tests/fixtures/make_gold_s.py: periods in every wording, the GB/T
    # 9704 head, web 来源/发布时间, bases of 1000 and 60, rubric vs notices vs results): first run
    # metadata 0.94, every other figure 1.0 (CHANGELOG.md, "gold set s"); 1.0 on every figure now.
    "s[0-9][0-9]-*": dict.fromkeys(FIGURES, 1.0),
    # Results in the office files archives hold (tests/fixtures/make_gold_q.py, raw OOXML: Word list
    # numbers, text boxes, tracked changes, nested and vMerge tables, a header 文号, superscript note
    # marks; workbooks with detail sheets per unit, display decimals, hidden rows, formulas without a
    # cached value, groups side by side): first run deductions 0.76, scores 0.89, metadata 0.991,
    # reconciliation 0.85, findings 0.58 (q01–q13), then q14–q16 deductions 0.80, scores 0.67
    # (CHANGELOG.md, "gold set q"); 1.0 on every figure now. q10 is a rubric (no rows).
    "q[0-9][0-9]-*": dict.fromkeys(FIGURES, 1.0),
    # Arithmetic and unit structures (tests/fixtures/make_gold_p.py: several periods in one table,
    # classes of counties, 市直部门 with weighted parts, a converted score, a 1000-point scale, caps,
    # cited rubric clauses, full-width digits and bracketed amounts, a county over its townships,
    # 续表, 明查/暗访 tables and their sums, a cross check): first run deductions 0.67, scores 0.80,
    # reconciliation 0.53, findings 0.29, deduction precision 0.69 (CHANGELOG.md, "gold set p");
    # 1.0 on every figure now.
    "p[0-9][0-9]-*": dict.fromkeys(FIGURES, 1.0),
    # Numbers next to 分 or in tables that are no row, beside real results (tests/fixtures/make_gold_n.py):
    # first run deductions 0.86 (precision 0.86), scores 0.77 (precision 0.88), reconciliation 0.66,
    # findings 0.31 (CHANGELOG.md, "gold set n"). Metadata keeps gaps: a school year (`2024—2025学年`)
    # gives no period (n02), a contest's `2025年` in its title gives one where none is labelled (n05),
    # a noise survey and learning credits per unit are classed `other`, labelled `result` (n10, n11),
    # and `截至11月30日` is not the period's end (n11).
    "n[0-9][0-9]-*": {**dict.fromkeys(FIGURES, 1.0), "metadata_accuracy": 0.957},
    # Text-layer PDFs as archives hold them (tests/fixtures/make_gold_m.py: a watermark, turned
    # tables, out-of-order and glyph-by-glyph text objects, a scanner's invisible OCR layer, a font
    # without ToUnicode, two columns, a browser print): first run deductions 0.78, scores 0.74,
    # metadata 0.94, reconciliation 0.68, findings 0.31, deduction precision 0.86 (CHANGELOG.md,
    # "gold set m (first run)"). Known gaps pinned: m05's deductions are on a page whose font has no
    # ToUnicode (no OCR here: no rows, the page listed), m02/m09's score tables are set turned a
    # quarter in an unembedded CJK font whose ideographs pdfium does not place (no ranks read, the
    # page listed), m04's scanner OCR layer misreads a name and a score (read as is, with a warning).
    "m[0-9][0-9]-*": {
        "deductions_f1": 0.88,
        "scores_f1": 0.826,
        "metadata_accuracy": 0.97,
        "reconciliation_accuracy": 0.823,
        "findings_f1": 0.8,
        "reason_similarity": 1.0,
    },
    # One circular per sector (tests/fixtures/make_gold_k.py: river chief, business environment,
    # civility test, rural revitalisation, 12345 hotline, investment promotion, air quality, Party
    # branches, food safety, forest fire, fire safety, statistics): first run deductions 0.43, scores
    # 0.45, metadata 0.99, reconciliation 0.12, findings 0.50, score precision 0.67 (CHANGELOG.md,
    # "gold set k (first run)"). Known gap pinned: k06's 3-point scale is no base tongbao reads.
    # Since session 8 k04's last grade line, its grade in quotes (`三、“一般”等次（1个）：…`), no
    # longer runs on into the next paragraph in .txt/.md (normalize._GRADE_LIST).
    # k10's plain 扣分 column is read since session 7 (its base is stated in the text; v10's, under
    # no base, stays a figure: score_tables.column_deductions); since session 8 k08's branch
    # headings with a head count in brackets (`机关第一党支部（党员23名）：`, normalize.without_head_count)
    # and k12's parts whose maxima the text states (`由统计基础（200分）、…三部分组成`,
    # tables.stated_parts: 小洲乡's parts do not add up to its 合计).
    # Unseen shapes of session 8 (tests/fixtures/make_gold_aa.py: a month-on-month table, two 暗访
    # rounds, 扣分项/加分项 lists with a capped bonus, problems by category naming the towns, lights
    # instead of grades, doubled and capped deductions, only the units under 90, 小计 rows): first run
    # deductions 0.59, scores 0.56, metadata 0.96, reconciliation 0.20, findings 0.17, deduction
    # precision 0.56, aa08.txt failed (CHANGELOG.md, "gold set aa (first run)"). Known gaps pinned:
    # aa03's `扣分项：1.…；2.…` lists are taken as rubric items 1 and 2 (the family's `6.` label), its
    # labels as list ordinals; aa04's problems by category name the towns inside (no rows);
    # aa08.txt's flattened table with blank cells is named unread. Read since: aa07's scores closing
    # each unit's paragraph of problems, aa05's traffic lights as grades.
    "aa[0-9][0-9]-*": {
        "deductions_f1": 0.632,
        "scores_f1": 1.0,
        "metadata_accuracy": 1.0,
        "reconciliation_accuracy": 0.773,
        "findings_f1": 0.909,
        "reason_similarity": 0.973,
    },
    "k[0-9][0-9]-*": {
        "deductions_f1": 1.0,
        "scores_f1": 1.0,
        "metadata_accuracy": 0.991,
        "reconciliation_accuracy": 1.0,
        "findings_f1": 1.0,
        "reason_similarity": 1.0,
    },
}
# Circulars whose results cannot be read from the text (an attachment, an image): x07 and x19
# (.txt, .html), v05 (.html with an attachment list, .docx naming the attachments).
NO_RESULTS = (
    "x07-tongle-market-attachment",
    "x19-anping-service-image",
    "v05-qinggang-farmland-attachment",
    "s13-songxi-attachment-only",
    # n: counts of villages per score band on the page, each village's score in the attachment.
    "n14-lanxi-score-bands-attachment",
)


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
    assert_floors(score(gold_out, [GOLD], only), GOLD_FLOORS[only], f"tests/fixtures/gold {only}")


# Circulars with no unit's row to read: a city's own test rate and counts (y05), a rule notice (y16),
# money and counts per unit (z07), an inspection with counts (z13). None of their numbers is a row.
NO_ROWS = (
    "y05-jiaozhou-civility-test",
    "y16-pinghe-river-rules",
    # z: money per county in 万元 with counts of exceedances (z07); an inspection with counts and a
    # rule for the next round (`每处扣1分`, z13).
    "z07-qingshui-compensation-q2",
    "z13-yunling-flood-check",
    # v: a rubric whose criteria carry maxima and rates (`每发现一处坑槽扣0.5分，扣完为止`, .docx and .pdf).
    "v11-nanping-road-rubric",
    # u: a drowning-prevention inspection with counts, deadlines, a fine and interviews (.txt, .pdf).
    "u09-heyang-drowning-check",
    # t: a rubric's own 分值 table (items and their maxima, no unit; .docx and .pdf).
    "t09-qingyuan-rubric-points",
    # s: a rubric's 分值 table (s09), a meeting notice naming scores and ranks (s10), an 整改通知 with a
    # future `扣2分` (s11), a 表彰决定 with prize money per unit (s12).
    "s09-baiyun-safety-rubric",
    "s10-liangshan-meeting-notice",
    "s11-hexi-rectify-notice",
    "s12-jinping-commend-decision",
    # n: a skills contest's people with scores and prize money under their employers (n05), a noise
    # survey in 分贝 and 分钟 (n10), learning credits (学分) per unit (n11).
    "n05-jinhe-skills-contest",
    "n10-xiangshan-noise-survey",
    "n11-yuhe-cadre-credits",
)


def test_circulars_with_numbers_and_no_rows_give_none(gold_out: Path) -> None:
    docs = pd.read_parquet(gold_out / "documents")
    rows = pd.concat([pd.read_parquet(gold_out / t)[["doc_id"]] for t in ("scores", "deductions")])
    for stem in NO_ROWS:
        mine = docs[docs["source_path"].str.contains(stem, regex=False)]
        assert len(mine) == 2, stem  # two renderings each
        assert not set(mine["doc_id"]) & set(rows["doc_id"]), stem


def test_circulars_without_readable_results_say_so(gold_out: Path) -> None:
    """No rows, their metadata kept, and a finding that says the results were not read."""
    docs = pd.read_parquet(gold_out / "documents")
    findings = pd.read_parquet(gold_out / "findings")
    rows = pd.concat([pd.read_parquet(gold_out / t)[["doc_id"]] for t in ("scores", "deductions")])
    for stem in NO_RESULTS:
        mine = docs[docs["source_path"].str.contains(stem, regex=False)]
        assert len(mine) == 2, stem  # two renderings each
        for doc_id, doc_class in zip(mine["doc_id"], mine["doc_class"], strict=True):
            assert doc_class == "result", stem
            assert doc_id not in set(rows["doc_id"]), stem
            checks = set(findings[findings["doc_id"] == doc_id]["check"])
            assert checks & {"no_results", "unread_block"}, (stem, checks)


def test_a_fallen_gate_names_its_documents() -> None:
    report = {
        "summary": {},
        "documents": [
            {
                "source": "a.txt",
                "deductions_f1": 1.0,
                "scores_f1": 1.0,
                "metadata": "10/10",
                "reconciliation": "3/3",
                "wrong": [],
            },
            {
                "source": "b.txt",
                "deductions_f1": 0.5,
                "scores_f1": 1.0,
                "metadata": "9/10",
                "reconciliation": "3/3",
                "wrong": ["issuer='x'≠'y'"],
            },
            {"source": "c.txt", "missing": True},
        ],
    }
    assert fallen_documents(report) == (
        "  b.txt: deductions F1 0.500, scores F1 1.000, metadata 9/10, reconciliation 3/3; issuer='x'≠'y'\n"
        "  c.txt: missing from the documents table"
    )
