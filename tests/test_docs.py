"""README.md's examples run: its shell commands, Python and SQL snippets, on the sample circulars,
offline; and its command synopsis names only options `--help` knows."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def blocks(language: str) -> list[str]:
    """The README's fenced code blocks in `language`, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.M | re.S)


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding samples/ and, after the README's shell block, output/."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "samples", folder / "samples")
    return folder


def test_the_readme_has_examples_of_each_kind() -> None:
    assert len(blocks("sh")) >= 1 and len(blocks("python")) >= 2 and len(blocks("sql")) >= 1


def test_the_readme_shell_commands_run(demo: Path) -> None:
    commands = [line.split("#")[0].strip() for block in blocks("sh") for line in block.splitlines()]
    commands = [c for c in commands if c]
    assert commands and all(c.startswith("tongbao ") for c in commands)
    with inside(demo):
        for command in commands:
            result = runner.invoke(app, shlex.split(command)[1:], terminal_width=200)
            assert result.exception is None or isinstance(result.exception, SystemExit), command
            assert result.exit_code in (0, 1), f"{command}: exit {result.exit_code}\n{result.output}"
    assert (demo / "output" / "documents").is_dir()


def test_the_readme_python_snippets_run(demo: Path) -> None:
    with inside(demo):
        if not (demo / "output").is_dir():
            runner.invoke(app, ["ingest", "samples", "--out", "output", "--workers", "1"])
        for snippet in blocks("python"):
            exec(compile(snippet, "README.md", "exec"), {})


def test_the_readme_sql_runs_in_duckdb(demo: Path) -> None:
    import duckdb

    with inside(demo):
        if not (demo / "output").is_dir():
            runner.invoke(app, ["ingest", "samples", "--out", "output", "--workers", "1"])
        for query in blocks("sql"):
            rows = duckdb.connect().execute(query).fetchall()
            assert rows, query  # the samples' planted mismatches are errors


def test_the_command_synopsis_names_only_options_the_cli_has() -> None:
    synopsis = README[README.index("## Command line") :].split("```", 1)[0].split("\n- ", 1)[0]
    commands = re.findall(r"^    tongbao (\w+)(.*(?:\n {20,}.*)*)", synopsis, flags=re.M)
    # Every command the CLI has, and only those, is in the synopsis.
    assert {name for name, _ in commands} == set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    for name, usage in commands:
        help_text = runner.invoke(app, [name, "--help"], terminal_width=200).output
        for option in re.findall(r"--[a-z][a-z-]*", usage):
            assert option in help_text, f"README names {option} for tongbao {name}; --help does not"
