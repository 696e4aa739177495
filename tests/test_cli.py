"""The CLI: ingest, check, report, samples; bad inputs get a clear message and a documents row."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import IngestOptions, UsageError
from pipeline.samples import MISTAKES, write_samples
from tests.conftest import FIXTURES, REAL_TXT, needs_shared

runner = CliRunner()


def ingest(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ingest", *args, "--workers", "1"])
    return result.exit_code, result.output


@needs_shared
def test_ingest_twice_replaces_rows(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runs = []
    for flags in ([], [], ["--force"]):  # the second run finds it unchanged; --force parses it again
        code, output = ingest(str(REAL_TXT), "--out", str(out), *flags)
        assert code == 0, output
        runs.append(" ".join(output.split()))
        assert len(pd.read_parquet(out / "documents")) == 1
        assert len(pd.read_parquet(out / "deductions")) == 205
    assert "1 files (1 ok, 0 partial, 0 failed, 0 skipped)" in runs[0]
    assert "1 files (1 unchanged, 0 ok, 0 partial, 0 failed, 0 skipped)" in runs[1]
    assert "1 files (1 ok, 0 partial, 0 failed, 0 skipped)" in runs[2]


def test_bad_inputs_each_get_a_documents_row_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("empty.txt", "binary_named.txt", "undecodable.txt", "not_a_circular.txt", "utf8_bom.txt"):
        shutil.copy(FIXTURES / "text" / name, folder / name)
    out = tmp_path / "out"
    code, output = ingest(str(folder), "--out", str(out))
    assert code == 3  # some inputs failed (EXIT_FILES_FAILED), not 1 (mismatches)
    docs = pd.read_parquet(out / "documents")
    by_name = {Path(p).name: row for p, row in zip(docs["source_path"], docs.to_dict("records"), strict=True)}
    assert by_name["empty.txt"]["status"] == "failed" and "empty" in by_name["empty.txt"]["error"]
    assert "binary" in by_name["binary_named.txt"]["error"]
    assert "cannot decode" in by_name["undecodable.txt"]["error"]
    assert by_name["utf8_bom.txt"]["status"] == "ok"
    nac = by_name["not_a_circular.txt"]
    assert (nac["status"], nac["error_stage"]) == ("failed", "classify")
    assert "not_a_circular.txt: does not look like an assessment circular" in nac["error"]
    assert "empty.txt" in output


def test_failed_file_does_not_cost_rows_already_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = FIXTURES / "text" / "utf8_bom.txt"
    assert ingest(str(good), "--out", str(out))[0] == 0
    ingest(str(FIXTURES / "text" / "empty.txt"), "--out", str(out))
    statuses = sorted(pd.read_parquet(out / "documents")["status"])
    assert statuses == ["failed", "ok"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, output = ingest(str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "no such file or folder" in " ".join(output.split())
    assert not (tmp_path / "out").exists()


def test_folder_without_supported_files_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.xyz").write_text("x")
    code, output = ingest(str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "holds no file tongbao reads (1 file(s), none of a format it reads: notes.xyz)" in " ".join(
        output.split()
    )


def test_unsupported_extension_gets_a_skipped_row(tmp_path: Path) -> None:
    odd = tmp_path / "circular.xyz"
    odd.write_text("x")
    out = tmp_path / "out"
    code, _ = ingest(str(odd), "--out", str(out))
    assert code == 3  # a file was skipped (EXIT_FILES_FAILED)
    doc = pd.read_parquet(out / "documents").iloc[0]
    assert (doc["status"], doc["error_stage"]) == ("skipped", "discover")
    assert doc["error"].startswith("circular.xyz: unsupported format .xyz: tongbao reads text, PDF")


def test_options_are_checked_without_the_cli(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--ocr must be one of auto, always, never"):
        IngestOptions(out=tmp_path, ocr="sometimes")
    with pytest.raises(UsageError, match="--timeout must be a positive"):
        IngestOptions(out=tmp_path, timeout=0)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file; give a folder"):
        IngestOptions(out=tmp_path / "file")


@needs_shared
def test_check_prints_arithmetic_and_exits_1_on_mismatch(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(REAL_TXT)])
    assert result.exit_code == 0, result.output
    assert "信安委办明电〔2022〕1号" in result.output and "No findings" in result.output
    broken = tmp_path / "broken.txt"
    broken.write_text(
        REAL_TXT.read_text(encoding="utf-8").replace("(48) 区党政领导督导调研无专家参与，扣 1 分；\n", "", 1),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(broken)], terminal_width=200)
    assert result.exit_code == 1
    assert "score_mismatch" in result.output and "浉河区" in result.output


def test_samples_are_flagged_exactly(tmp_path: Path) -> None:
    write_samples(tmp_path / "s", pdf=False)
    out = tmp_path / "out"
    code, _ = ingest(str(tmp_path / "s"), "--out", str(out))
    assert code == 1  # the planted mismatches
    docs = pd.read_parquet(out / "documents")
    names = dict(zip(docs["doc_id"], docs["source_path"].map(lambda p: Path(p).stem), strict=True))
    findings = pd.read_parquet(out / "findings")
    found = {
        (names[d], u, c)
        for d, u, c in zip(findings["doc_id"], findings["unit"], findings["check"], strict=True)
    }
    assert found == set(MISTAKES)
    report = runner.invoke(app, ["report", str(out)], terminal_width=200)
    assert report.exit_code == 0 and "score_mismatch" in report.output


def test_committed_samples_match_the_generator(tmp_path: Path) -> None:
    write_samples(tmp_path, pdf=False)
    root = Path(__file__).resolve().parent.parent / "samples"
    for made in tmp_path.glob("*.txt"):
        assert (root / made.name).read_text(encoding="utf-8") == made.read_text(encoding="utf-8"), made.name


@pytest.mark.parametrize("command", [[], ["ingest"], ["check"], ["report"], ["samples"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output) > 200


def test_console_script_runs_in_a_subprocess() -> None:
    exe = Path(sys.executable).with_name("tongbao")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_report_lists_a_circular_archived_twice_and_counts_its_items_once(tmp_path: Path) -> None:
    write_samples(tmp_path / "s", pdf=False)
    original = tmp_path / "s" / "sample-table.txt"
    # The web copy of the same circular: other bytes (so another document), same 标题 and date.
    (tmp_path / "s" / "sample-table-web.txt").write_text(
        original.read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    ingest(str(tmp_path / "s"), "--out", str(out))
    report = runner.invoke(app, ["report", str(out)])
    assert report.exit_code == 0, report.output
    assert "Same circular in several files" in report.output
    repeated = report.output[report.output.index("Same circular") : report.output.index("Items deducted")]
    assert "sample-table-web.txt" in repeated and "sample-table.txt" in repeated
    assert "sample-telegram" not in repeated
    single = tmp_path / "single"
    ingest(
        str(tmp_path / "s" / "sample-table.txt"),
        str(tmp_path / "s" / "sample-telegram.txt"),
        str(tmp_path / "s" / "sample-paragraphs.txt"),
        "--out",
        str(single),
    )
    alone = runner.invoke(app, ["report", str(single)])
    assert "Same circular in several files" not in alone.output

    def items_block(text: str) -> str:
        return text[text.index("Items deducted most often") : text.index("Findings")]

    assert items_block(report.output) == items_block(alone.output)
