"""Archives at the pipeline level: discovery lists members, each member is read on its own."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from parsers.readers.containers import ArchiveRefused
from pipeline.containers import expand_archives, read_source, split_member_path
from tests.test_formats_containers import gbk_named_zip, zip_of


def test_archives_are_replaced_by_their_members_and_other_files_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "批.zip").write_bytes(
        gbk_named_zip({n: f"正文：{n}".encode() for n in ["通报.docx", "附件1.xlsx"]})
    )
    (tmp_path / "cut.zip").write_bytes(zip_of({"a.txt": b"x" * 500})[:100])
    got = expand_archives(sorted(tmp_path.iterdir()))
    assert [str(p.relative_to(tmp_path)) for p in got] == [
        "a.txt",
        "cut.zip",  # refused as a whole: it keeps its own row, its reader says why
        "批.zip!/通报.docx",
        "批.zip!/附件1.xlsx",
    ]
    assert read_source(str(tmp_path / "批.zip!/附件1.xlsx")) == "正文：附件1.xlsx".encode()
    assert read_source(str(tmp_path / "a.txt")) == b"x"


def test_a_refused_member_raises_its_refusal_when_read(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.txt", bytes(64 * 1024 * 1024))
        z.writestr("ok.txt", b"fine")
    archive = tmp_path / "b.zip"
    archive.write_bytes(out.getvalue())
    paths = expand_archives([archive])
    assert [p.name for p in paths] == ["zeros.txt", "ok.txt"]
    with pytest.raises(ArchiveRefused, match=r"b\.zip!/zeros\.txt: unpacks to 64\.0 MiB"):
        read_source(str(paths[0]))
    assert read_source(str(paths[1])) == b"fine"


def test_member_paths_split_at_the_archive_not_at_a_folder_named_with_a_bang(tmp_path: Path) -> None:
    folder = tmp_path / "重要!"
    folder.mkdir()
    (folder / "x.txt").write_text("y")
    assert split_member_path(str(folder / "x.txt")) is None
    (tmp_path / "z.zip").write_bytes(zip_of({"内.zip": zip_of({"c.txt": b"3"})}))
    assert split_member_path(str(tmp_path / "z.zip!/内.zip!/c.txt")) == (tmp_path / "z.zip", "内.zip!/c.txt")
    assert read_source(str(tmp_path / "z.zip!/内.zip!/c.txt")) == b"3"


def test_check_reads_an_archive_of_one_document_and_refuses_one_of_several(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app
    from tests.conftest import FIXTURES

    text = (FIXTURES / "text" / "utf8_bom.txt").read_bytes()
    (tmp_path / "one.zip").write_bytes(zip_of({"通报.txt": text}))
    result = CliRunner().invoke(app, ["check", str(tmp_path / "one.zip"), "--ocr", "never"])
    assert result.exit_code in (0, 1) and "one.zip!/通报.txt" in " ".join(result.output.split())
    (tmp_path / "two.zip").write_bytes(zip_of({"a.txt": text, "b.txt": text + b"\n"}))
    result = CliRunner().invoke(app, ["check", str(tmp_path / "two.zip")])
    assert result.exit_code == 2
    assert "holds 2 documents; check takes one: use 'tongbao ingest'" in " ".join(result.output.split())
