"""The parser version stored with each document follows the code that made its records."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.code_version import PARSER_VERSION, RELEASE, code_digest

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_the_release_and_a_digest_of_the_code() -> None:
    assert PARSER_VERSION == f"{RELEASE}+{code_digest(ROOT)}"


def test_any_change_of_the_parsing_code_changes_the_digest(tmp_path: Path) -> None:
    # An upgraded tongbao must parse again what an older one read (an incremental run skips a file
    # only when its bytes and this version are stored).
    for folder in ("parsers", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pipeline").mkdir()
    before = code_digest(tmp_path)
    assert code_digest(tmp_path) == before  # the same code, the same digest
    rule = tmp_path / "parsers" / "tables" / "score_tables.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    assert code_digest(tmp_path) != before
