"""The PDF reader gives the same lines whatever fonts the machine has installed.

Word and WPS exports name fonts they do not embed; pdfium substitutes installed fonts for them,
and the substitutes used to move char boxes and the chars pdfium keeps (parsers/readers/pdf/fonts.py).
The check re-reads PDFs whose lines changed when a CJK font (WenQuanYi) was installed in a
process that sees no fonts at all — a private mount namespace with an empty /usr/share/fonts —
and compares them with this process's read, which sees the machine's fonts.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parsers.readers.pdf import read_pdf
from parsers.readers.pdf.fonts import builtin_fonts_only

ROOT = Path(__file__).resolve().parents[1]
FONTS = Path("/usr/share/fonts")
# PDFs in unembedded STSong-Light (and Times-Roman) whose records moved with WenQuanYi installed.
SUBSTITUTED = [
    "tests/fixtures/pdf/page_number_inside_entry.pdf",
    "tests/fixtures/pdf/unruled_table_blank_cell.pdf",
    "tests/fixtures/gold/e01-tongbai-safety-q3.pdf",
    "tests/fixtures/gold/g02-ganzhou-cityenv-oct.pdf",
    "samples/sample-paragraphs.pdf",
]
READ_LINES = """
import dataclasses, json, sys
from parsers.readers.pdf import read_pdf
out = {}
for name in sys.argv[1:]:
    result = read_pdf(open(name, "rb").read(), name)
    out[name] = [dataclasses.asdict(line) for line in result.lines]
print(json.dumps(out, ensure_ascii=False))
"""


def lines_as_json(names: list[str]) -> dict[str, list[dict]]:
    """Each PDF's lines as the subprocess prints them (tuples become lists through JSON)."""
    out = {
        name: [dataclasses.asdict(line) for line in read_pdf((ROOT / name).read_bytes(), name).lines]
        for name in names
    }
    return json.loads(json.dumps(out, ensure_ascii=False))


def run_without_fonts(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run Python code in a private mount namespace whose /usr/share/fonts is empty."""
    script = 'mount -t tmpfs none /usr/share/fonts && exec "$0" "$@"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def fontless_namespace_or_skip() -> None:
    if shutil.which("unshare") is None or not FONTS.is_dir():
        pytest.skip("needs unshare(1) and /usr/share/fonts to hide the installed fonts")
    probe = run_without_fonts("print('ok')")
    if probe.returncode != 0 or probe.stdout.strip() != "ok":
        pytest.skip(
            f"cannot mount an empty /usr/share/fonts in a private namespace: {probe.stderr.strip()[:200]}"
        )


def test_lines_are_the_same_when_no_font_is_installed():
    fontless_namespace_or_skip()
    fontless = run_without_fonts(READ_LINES, *SUBSTITUTED)
    assert fontless.returncode == 0, fontless.stderr
    here = lines_as_json(SUBSTITUTED)
    for name in SUBSTITUTED:
        assert json.loads(fontless.stdout)[name] == here[name], name


def test_reading_puts_the_system_fonts_back_for_rendering():
    """A render after a read draws unembedded text with the installed fonts, as before the read."""
    import pypdfium2 as pdfium

    data = (ROOT / SUBSTITUTED[0]).read_bytes()

    def render() -> bytes:
        pdf = pdfium.PdfDocument(data)
        try:
            return pdf[0].render(scale=0.5).to_numpy().tobytes()
        finally:
            pdf.close()

    before = render()
    with builtin_fonts_only():
        builtin = render()
    if builtin == before:
        pytest.skip(
            "no installed font substitutes for STSong-Light here: renders cannot tell the fonts apart"
        )
    read_pdf(data, "x.pdf")
    assert render() == before
