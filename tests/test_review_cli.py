"""`tongbao review`, `tongbao sql` and `tongbao export` from the command line, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import IngestOptions, ingest
from pipeline.samples import write_samples

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    write_samples(root / "samples", pdf=False)
    ingest([root / "samples"], IngestOptions(out=root / "out", workers=1, ocr="never"))
    return root / "out"


def test_review_writes_the_site_and_speaks_the_locale(demo: Path) -> None:
    result = runner.invoke(
        app, ["review", str(demo), "--no-pages"], env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""}
    )
    assert result.exit_code == 0, result.output
    assert "已为 3 份通报生成" in result.output
    index = (demo / "review" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index and "问题" in index
    english = runner.invoke(app, ["review", str(demo), "--lang", "en", "--no-pages"])
    assert "wrote" in english.output and "3 circulars" in english.output
    assert '<html lang="en">' in (demo / "review" / "index.html").read_text(encoding="utf-8")


def test_sql_prints_rows_as_csv_and_fails_cleanly(demo: Path) -> None:
    result = runner.invoke(
        app, ["sql", str(demo), "SELECT unit, score FROM series WHERE unit = '北湖区'", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["unit,score", "北湖区,97.9"]
    bad = runner.invoke(app, ["sql", str(demo), "SELEC 1"])
    assert bad.exit_code == 1 and "query failed" in bad.output
    table = runner.invoke(app, ["sql", str(demo), "SELECT count(*) AS n FROM documents"])
    assert table.exit_code == 0 and "│ 3 " in table.stdout


def test_export_writes_xlsx_and_csv(demo: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", str(demo), "--xlsx", str(tmp_path / "t.xlsx"), "--csv", str(tmp_path / "csv")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.xlsx").stat().st_size > 0
    assert (tmp_path / "csv" / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_usage_errors_exit_2(demo: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["export", str(demo)]).exit_code == 2
    assert runner.invoke(app, ["review", str(demo), "--lang", "fr"]).exit_code == 2
    missing = runner.invoke(app, ["sql", str(tmp_path), "SELECT 1"])
    assert missing.exit_code == 2 and "run 'tongbao ingest" in missing.output


def test_every_command_has_help() -> None:
    for command in ("review", "sql", "export"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and len(result.output) > 200, command
