"""Hostile inputs (issue 15): each trigger costs its own file a row with a message, never the run."""

from __future__ import annotations

import errno
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline import parse as parse_module
from pipeline.cli import EXIT_FILES_FAILED, EXIT_MISMATCH, EXIT_OK, EXIT_OUTPUT_FAILED, app, exit_status
from pipeline.ingest import IngestOptions, ingest, parse_file
from pipeline.store import read_table
from pipeline.terminal import printable
from pipeline.workers import death_of, iter_results
from schemas import DeductionRecord, UnstorableValue, records_to_table

FIXTURES = Path(__file__).parent / "fixtures"
CIRCULAR = (FIXTURES / "sections" / "unit-prefix-lines-long.txt").read_text(encoding="utf-8")
ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str):
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})
    # rich may still fold a long path: the assertions read the output unwrapped.
    return result.exit_code, result.output.replace("\n", "")


# --- isolation ---------------------------------------------------------------


def test_a_count_of_2_63_is_refused_as_a_value_with_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "overflow.txt"
    path.write_text(CIRCULAR.replace("乱堆乱放3处", "乱堆乱放9223372036854775808处"), encoding="utf-8")
    result = parse_file(str(path), IngestOptions(workers=1))
    assert result.document.status == "ok"
    refused = [f for f in result.records["findings"] if f.check == "value_out_of_range"]
    assert [f.message for f in refused] == [
        "deductions.count: the value 9223372036854775808 is outside what the column holds (a 64-bit "
        "integer or a finite number); it was left out of the row — read it by hand"
    ]
    assert refused[0].unit == "乙街道"
    row = next(r for r in result.records["deductions"] if "乱堆乱放" in r.reason)
    assert row.count is None
    summary = ingest([path], IngestOptions(out=tmp_path / "out", workers=1))
    assert (summary.ok, summary.failed) == (1, 0)
    assert read_table(tmp_path / "out", "deductions").num_rows == 3


def test_records_to_table_names_the_column_it_cannot_store() -> None:
    record = DeductionRecord("d", "甲镇", "甲镇", [1], 1.0, "deduction", "r", count=2**63)
    with pytest.raises(UnstorableValue, match=r"^deductions\.count: a value cannot be stored"):
        records_to_table("deductions", [record])


def test_an_unexpected_error_while_storing_is_the_files_row_not_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(CIRCULAR, encoding="utf-8")

    def broken(ex, doc_id, path, size):
        raise RuntimeError("records boom")

    monkeypatch.setattr(parse_module, "build_result", broken)
    doc = parse_file(str(path), IngestOptions(workers=1)).document
    assert (doc.status, doc.error_stage) == ("failed", "records")
    assert doc.error == (
        "a.txt: tongbao failed while turning its records into table rows (RuntimeError: records boom); "
        "please report this file."
    )


def test_a_gbk_file_name_is_stored_as_escapes_and_printed_safely(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    raw_name = os.fsdecode(b"\xb2\xe2\xca\xd4.txt")  # 测试.txt in GBK, as an archive from Windows unzips it
    (folder / raw_name).write_text(CIRCULAR, encoding="utf-8")
    (folder / "ok.txt").write_text(CIRCULAR.replace("99", "98"), encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run("ingest", str(folder), "--out", str(out), "--workers", "1")
    assert code == EXIT_MISMATCH, output  # the 98 file's mismatch; nothing failed
    docs = read_table(out, "documents").to_pylist()
    assert sorted(Path(d["source_path"]).name for d in docs) == ["\\xb2\\xe2\\xca\\xd4.txt", "ok.txt"]
    assert "\\xb2\\xe2\\xca\\xd4.txt" in output


def test_markup_and_ansi_in_titles_units_and_names_are_printed_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = CIRCULAR.replace("关于2024年", "关于[/b][red]2024年\x1b[31m").replace("甲镇", "甲[/]镇")
    name = "[bold]通报[red]\x1b[2J.txt"  # a tag rich would strip, and a screen-clearing escape
    (folder / name).write_text(hostile, encoding="utf-8")
    (folder / "[b]x[i].txt").write_bytes(b"\x00\x01 not a circular")
    out = tmp_path / "out"
    code, output = _run("ingest", str(folder), "--out", str(out), "--workers", "1")
    assert code == EXIT_FILES_FAILED, output  # [b]x[i].txt is not read; nothing crashed
    assert "\x1b" not in output
    assert "[bold]通报[red]\\x1b[2J.txt" in output and "[b]x[i].txt" in output
    code, output = _run("check", str(folder / name))
    assert code in (EXIT_OK, EXIT_MISMATCH), output
    assert "关于[/b][red]2024年\\x1b[31m" in output and "甲[/]镇" in output and "\x1b" not in output
    code, output = _run("report", str(out))
    assert code == 0, output
    assert "\x1b" not in output and "[bold]通报[red]" in output


def test_printable_shows_controls_and_stray_bytes_as_escapes() -> None:
    assert printable("a\x1b[31mb\x07\u202ec") == "a\\x1b[31mb\\x07\\u202ec"
    assert printable(os.fsdecode(b"\xb2.txt")) == "\\xb2.txt"
    assert printable("甲镇 [/b]") == "甲镇 [/b]"


def test_a_full_disk_is_a_clear_message_and_no_readable_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.store as store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(CIRCULAR, encoding="utf-8")
    real = store.pq.write_table
    written: list[str] = []

    def fill_up(table, where, **kwargs):
        written.append(str(where))
        if len(written) == 3:  # the disk fills while the batch's third table is written
            Path(where).write_bytes(b"PAR1 half")
            raise OSError(errno.ENOSPC, "No space left on device", str(where))
        return real(table, where, **kwargs)

    monkeypatch.setattr(store.pq, "write_table", fill_up)
    out = tmp_path / "out"
    code, output = _run("ingest", str(folder), "--out", str(out), "--workers", "1")
    assert code == EXIT_OUTPUT_FAILED
    assert "the disk is full" in output and "Traceback" not in output
    # What a reader sees (hidden .tmp names are skipped by pandas, polars, DuckDB, Spark): no file
    # holds half a table.
    for part in out.rglob("part-*.parquet"):
        pq.read_table(part)


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="needs unshare -m and mount (root)")
def test_a_really_full_tmpfs_exits_4_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):  # a few MB of rows on a 1 MB disk
        (folder / f"c{i}.txt").write_text(CIRCULAR.replace("99", str(60 + i)) * 3, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    # Inside the mount namespace: ingest onto a 64 KB tmpfs, then read every file a reader would see.
    readable = (
        "import glob, pyarrow.parquet as pq; [pq.read_table(p) for p in glob.glob('%s/*/part-*.parquet')]"
    )
    script = (
        f"mount -t tmpfs -o size=64k none {out} && cd {ROOT} && PYTHONPATH=. {sys.executable} -m pipeline.cli "
        f"ingest {folder} --out {out} --workers 1 --batch-size 5 -q; status=$?; "
        f'{sys.executable} -c "{readable % out}" && exit $status'
    )
    env = {**os.environ, "COLUMNS": "400"}
    try:
        done = subprocess.run(
            ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120, env=env
        )
    except (FileNotFoundError, PermissionError):
        pytest.skip("unshare is not available")
    if "mount" in done.stderr and "permission" in done.stderr.lower():
        pytest.skip("cannot mount a tmpfs here")
    assert done.returncode == EXIT_OUTPUT_FAILED, done.stdout + done.stderr
    assert "the disk is full" in done.stderr and "Traceback" not in done.stderr


def test_exit_statuses_tell_files_failed_from_mismatches() -> None:
    assert exit_status(0, 0) == EXIT_OK == 0
    assert exit_status(0, 3) == EXIT_MISMATCH == 1
    assert exit_status(1, 0) == exit_status(1, 3) == EXIT_FILES_FAILED == 3


# --- bounded per file ----------------------------------------------------------


def _html_bomb(span: int = 1000, cells: int = 40) -> bytes:
    bomb = "".join(f'<td colspan="{span}" rowspan="{span}">{i}</td>' for i in range(cells))
    rows = "".join(f"<tr><td>甲镇{i}</td><td>9{i}</td></tr>" for i in range(50))
    return (
        f"<html><body><h1>关于考核情况的通报</h1><table><tr>{bomb}</tr>{rows}</table></body></html>"
    ).encode()


def test_a_colspan_rowspan_bomb_is_refused_by_the_table_cell_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.html"
    path.write_bytes(_html_bomb())
    began = time.monotonic()
    doc = parse_file(str(path), IngestOptions(workers=1)).document
    assert time.monotonic() - began < 10
    assert (doc.status, doc.error_stage) == ("failed", "limit")
    assert doc.error == (
        "bomb.html: a table's cells after merged-cell spans (204,000) is over the limit of 200,000; the "
        "file was not read. Raise --max-table-cells if the file is genuine."
    )


def test_a_gridspan_bomb_is_refused_by_the_table_cell_limit(tmp_path: Path) -> None:
    source = zipfile.ZipFile(FIXTURES / "docx" / "merged-cells.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b'<w:gridSpan w:val="2"/>', b'<w:gridSpan w:val="5000000"/>')
            bomb.writestr(item, data)
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    began = time.monotonic()
    doc = parse_file(str(path), IngestOptions(workers=1)).document
    assert time.monotonic() - began < 10
    assert (doc.status, doc.error_stage) == ("failed", "limit")
    assert "over the limit of 200,000" in doc.error and "Raise --max-table-cells" in doc.error


def _long_line(entries: int) -> str:
    line = "；".join(f"背街小巷第{i}处乱堆乱放，扣0.5分" for i in range(entries))
    head, _, tail = CIRCULAR.partition("甲镇：垃圾清运不及时，扣1分。")
    return (
        head
        + "乙街道："
        + line
        + "。"
        + tail.split("丁社区")[0]
        + "\n县城乡环境综合整治办公室\n2024年10月8日\n"
    )


def test_each_entry_of_a_long_line_keeps_its_own_span(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(_long_line(4000), encoding="utf-8")
    result = parse_file(str(path), IngestOptions(workers=1))
    rows = [r for r in result.records["deductions"] if r.reason.startswith("背街小巷第")]
    assert len(rows) == 4000
    line = next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("乙街道："))
    for row in (rows[0], rows[1234], rows[-1]):
        assert row.raw_text == line[row.raw_start : row.raw_end]
        assert row.raw_text.startswith("背街小巷第") and len(row.raw_text) < 40
    assert sum(len(r.raw_text) for r in rows) < len(line) * 1.1


def _peak_rss_mb(path: Path) -> float:
    code = (
        "import resource, sys\n"
        "from pipeline.ingest import IngestOptions, ingest\n"
        f"ingest([{str(path)!r}], IngestOptions(out={str(path.parent / 'out')!r}, workers=1))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1]) / 1024


def test_a_4000_entry_line_stays_under_200_mb(tmp_path: Path) -> None:
    (tmp_path / "small").mkdir()
    (tmp_path / "long").mkdir()
    small, long = tmp_path / "small" / "a.txt", tmp_path / "long" / "a.txt"
    small.write_text(CIRCULAR, encoding="utf-8")
    long.write_text(_long_line(4000), encoding="utf-8")
    # The file's own cost: the same run's peak over a small circular's (the interpreter, pyarrow).
    assert _peak_rss_mb(long) - _peak_rss_mb(small) <= 200


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("max_entries", 100, "its number of deduction entries (4,002) is over the limit of 100"),
        ("max_line_chars", 1000, "its longest line in characters"),
        ("max_bytes", 1000, "the file's size"),
    ],
)
def test_each_limit_names_itself_and_the_option_that_raises_it(
    tmp_path: Path, option: str, value: int, words: str
) -> None:
    path = tmp_path / "long.txt"
    path.write_text(_long_line(4000), encoding="utf-8")
    doc = parse_file(str(path), IngestOptions(workers=1, **{option: value})).document
    assert (doc.status, doc.error_stage) == ("failed", "limit")
    assert words in doc.error
    assert f"Raise --{option.replace('_', '-')}" in doc.error


def test_the_limits_are_cli_flags_in_help() -> None:
    code, output = _run("ingest", "--help")
    assert code == 0
    for flag in ("--max-bytes", "--max-line-chars", "--max-table-cells", "--max-entries", "--max-memory-mb"):
        assert flag in output


def _hog(read):  # stands in for a parser that allocates without end
    return bytearray(8 * 1024**3)


def _killed(read):  # stands in for the kernel's out-of-memory killer
    os.kill(os.getpid(), signal.SIGKILL)


def _segfault(read):
    import faulthandler

    faulthandler.disable()  # pytest's handler would print the worker's stack: noise, not a failure
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.mark.parametrize(
    ("replacement", "stage", "words"),
    [
        (_hog, "memory", "ran out of memory while parsing (the worker's ceiling is --max-memory-mb 1024)"),
        (_killed, "memory", "the worker was killed (SIGKILL) while parsing it, most often by the system's"),
        (_segfault, "crash", "the worker died of SIGSEGV while parsing it"),
    ],
)
@pytest.mark.usefixtures("forked_workers")
def test_a_dead_worker_is_reported_as_what_it_was_not_a_timeout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, replacement, stage: str, words: str
) -> None:
    # The file that kills its worker has a GBK name: the parent's row for it must still be written.
    bad, good = tmp_path / os.fsdecode(b"bad\xb2\xe2.txt"), tmp_path / "good.txt"
    bad.write_text(CIRCULAR.replace("各镇", "各乡镇"), encoding="utf-8")
    good.write_text(CIRCULAR, encoding="utf-8")
    original = parse_module.extract_document

    def pick(read):
        return replacement(read) if any("各乡镇" in ln.text for ln in read.lines) else original(read)

    monkeypatch.setattr(parse_module, "extract_document", pick)
    options = IngestOptions(timeout=60, workers=2, max_memory_mb=1024)
    results = {Path(r.path).name: r.document for r in iter_results([str(bad), str(good)], options)}
    assert results["good.txt"].status == "ok"
    doc = results[bad.name]
    assert (doc.status, doc.error_stage) == ("failed", stage)
    assert words in doc.error and "longer than" not in doc.error
    assert doc.error.startswith("bad\\xb2\\xe2.txt: ")
    records_to_table("documents", [doc])


def test_death_of_says_timeout_only_for_a_timeout() -> None:
    assert death_of(None, True, 300, 4096)[0] == "timeout"
    assert death_of(-9, False, 300, 4096)[0] == "memory"
    assert death_of(-11, False, 300, 4096) == (
        "crash",
        "the worker died of SIGSEGV while parsing it; please report this file",
    )


# --- input boundaries ----------------------------------------------------------


def test_a_fifo_is_skipped_with_a_row_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    doc = parse_file(str(fifo), IngestOptions(workers=1)).document
    assert (doc.status, doc.error) == (
        "skipped",
        "pipe.txt: a named pipe (FIFO), not a document; it was not read.",
    )


def test_a_file_that_vanishes_after_discovery_gets_a_row(tmp_path: Path) -> None:
    doc = parse_file(str(tmp_path / "gone.txt"), IngestOptions(workers=1)).document
    assert (doc.status, doc.error_stage) == ("failed", "read")
    assert doc.error == "gone.txt: the file vanished after it was found (moved or deleted during the run)."


def test_no_row_prints_a_raw_control_character() -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", printable("\x1b[0m\x00"))


def test_a_symlink_out_of_the_folder_is_not_followed_and_gets_a_skipped_row(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(CIRCULAR, encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(CIRCULAR, encoding="utf-8")
    (folder / "out.txt").symlink_to(outside)
    (folder / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (folder / "same.txt").symlink_to(folder / "a.txt")  # inside: read like any file
    os.mkfifo(folder / "pipe.txt")
    out = tmp_path / "out"
    summary = ingest([folder], IngestOptions(out=out, workers=1))
    docs = {Path(d["source_path"]).name: d for d in read_table(out, "documents").to_pylist()}
    # same.txt resolves to a.txt inside the folder: one document for the one content.
    assert sorted(docs) == ["a.txt", "out.txt", "pipe.txt", "up"]
    assert (docs["out.txt"]["status"], docs["out.txt"]["error"]) == (
        "skipped",
        f"out.txt: a symlink leading out of the folders given (to {outside}); not followed. Give the "
        "target itself if it should be read.",
    )
    assert docs["up"]["status"] == "skipped" and "leading out of the folders given" in docs["up"]["error"]
    assert docs["pipe.txt"]["status"] == "skipped" and "named pipe (FIFO)" in docs["pipe.txt"]["error"]
    assert docs["a.txt"]["status"] == "ok"
    assert summary.skipped == 3


def test_a_wide_cell_over_a_rowspan_ends_its_row(tmp_path: Path) -> None:
    # Row 2's colspan covers the column row 1's rowspan carries down: the carried column used to
    # be looked for for ever (the reader hung); now the row ends and the table is read.
    table = (
        "<table><tr><td>单位</td><td rowspan='2'>得分</td></tr><tr><td colspan='3'>甲镇</td></tr>"
        "<tr><td>乙镇</td><td>98</td></tr></table>"
    )
    path = tmp_path / "overlap.html"
    path.write_text(f"<html><body><h1>关于考核情况的通报</h1>{table}</body></html>", encoding="utf-8")
    began = time.monotonic()
    parse_file(str(path), IngestOptions(workers=1))
    assert time.monotonic() - began < 10


def test_an_entry_span_is_found_in_the_raw_line_through_normalisation() -> None:
    from parsers.model import Line
    from pipeline.records import entry_span

    raw = "（5）甲未落实，扣 1 分；（6）乙未落实，扣 2 分；"
    line = Line("（5）甲未落实，扣1分；（6）乙未落实，扣2分；", 3, raw=raw)
    first = entry_span(line, "（5）甲未落实，扣1分；", 0)
    assert first is not None and raw[first[0] : first[1]] == "（5）甲未落实，扣 1 分；"
    second = entry_span(line, "(6)乙未落实，扣2分;", first[1])  # NFKC-folded forms too
    assert second is not None and raw[second[0] : second[1]] == "（6）乙未落实，扣 2 分；"
    assert entry_span(line, "丙未落实", 0) is None


def test_a_zip_of_an_unknown_version_is_its_files_row_not_a_dead_worker(tmp_path: Path) -> None:
    # Found by bench/fuzz.py: zipfile raises NotImplementedError ("zip file version 20.3") while
    # the format is being told, which was outside the file's try and killed its worker.
    data = bytearray((FIXTURES / "docx" / "merged-cells.docx").read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6 : central + 8] = (203).to_bytes(2, "little")
    path = tmp_path / "version.docx"
    path.write_bytes(bytes(data))
    doc = parse_file(str(path), IngestOptions(workers=1)).document
    assert (doc.status, doc.error_stage) == ("failed", "discover")
    assert "NotImplementedError: zip file version 20.3" in doc.error
