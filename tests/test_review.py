"""The static review site (issue 12): pages, escaping, source re-reading, and a real browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.i18n import MESSAGES, language_of, message
from pipeline.ingest import IngestOptions, ingest
from pipeline.review import build_site
from pipeline.review.browser import Browser, find_browser
from pipeline.review.site import script_json
from pipeline.samples import write_samples

HOSTILE = Path(__file__).parent / "fixtures" / "review" / "hostile.txt"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`tongbao ingest samples` plus a circular whose text is markup and formulas."""
    root = tmp_path_factory.mktemp("review")
    write_samples(root / "samples", pdf=True)
    shutil.copy(HOSTILE, root / "samples" / HOSTILE.name)
    # Not a circular: refused at classify, it still gets a page saying why.
    (root / "samples" / "shopping-list.txt").write_text("苹果三个\n牛奶一瓶\n", encoding="utf-8")
    ingest([root / "samples"], IngestOptions(out=root / "out", workers=1, ocr="never"))
    return root / "out"


@pytest.fixture(scope="module")
def site(demo: Path) -> Path:
    summary = build_site(demo, lang="en")
    assert summary.sources == {"reread": 8}
    return summary.path


def _doc_id(out: Path, name: str) -> str:
    from pipeline.export import run_sql

    (row,) = run_sql(out, f"SELECT doc_id FROM documents WHERE source_path LIKE '%{name}'")[1]
    return row[0]


def test_site_has_an_index_a_page_per_file_and_a_series_page_per_rubric(site: Path, demo: Path) -> None:
    pages = {p.name for p in site.glob("*.html")}
    assert "index.html" in pages
    assert len([p for p in pages if re.fullmatch(r"[0-9a-f]{16}\.html", p)]) == 8
    assert len([p for p in pages if p.startswith("series-")]) == 4  # 安全生产, 消防, 河长制, 督查
    assert (site / "review.js").exists() and (site / "review.css").exists()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "http://" not in index.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from a CDN
    assert "<svg" in index  # the delta histogram: the samples plant mismatches
    findings = json.loads(re.search(r'id="findings-data">(.*?)</script>', index, re.S).group(1))
    from pipeline.export import run_sql

    (n,) = run_sql(demo, "SELECT count(*) FROM findings")[1][0]
    assert len(findings) == n
    assert {"severity", "check", "issuer", "period", "href", "primary"} <= set(findings[0])


def test_every_document_text_is_escaped(site: Path, demo: Path) -> None:
    page = (site / f"{_doc_id(demo, 'hostile.txt')}.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "=HYPERLINK(&#34;http://example.invalid&#34;" in page
    # The only scripts are the site's own.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="review.js">']
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "</script>" not in index.split('id="findings-data">', 1)[1].split("</script>", 1)[0]


def test_a_failed_file_has_a_page_with_its_error(site: Path, demo: Path) -> None:
    page = (site / f"{_doc_id(demo, 'shopping-list.txt')}.html").read_text(encoding="utf-8")
    assert "This file could not be read:" in page and 'class="status-failed"' in page
    assert "苹果三个" in page  # the text is still shown, to see why it was refused


def test_script_json_cannot_end_its_script_block() -> None:
    text = str(script_json({"a": "</script><script>alert(1)</script>&<!--"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>&<!--"}


def test_rows_link_to_the_source_lines_they_came_from(site: Path, demo: Path) -> None:
    page = (site / f"{_doc_id(demo, 'sample-paragraphs.txt')}.html").read_text(encoding="utf-8")
    # The table_mismatch finding for 青石县 is on line 23: the row and the line name each other.
    row = re.search(r'<tr id="(f\d+)"[^>]*>(?:(?!</tr>).)*table_mismatch', page, re.S)
    assert row
    line = re.search(r'<li id="L23" class="([^"]*)" data-refs="([^"]*)"', page)
    assert line and "has-findings" in line.group(1) and row.group(1) in line.group(2).split()


def test_pdf_pages_are_drawn_with_their_boxes(site: Path, demo: Path) -> None:
    doc_id = _doc_id(demo, "sample-table.pdf")
    page = (site / f"{doc_id}.html").read_text(encoding="utf-8")
    assert (site / "pages" / f"{doc_id}-p1.jpg").exists()
    assert re.search(r'<rect class="box scores" data-refs="s1" x="79', page)


def test_without_the_source_file_the_rows_text_stands_in(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(demo, out, ignore=shutil.ignore_patterns("review"))
    source = next((demo.parent / "samples").glob("hostile.txt"))
    moved = tmp_path / "moved.txt"
    shutil.move(source, moved)
    try:
        summary = build_site(out, lang="zh", page_images=False)
    finally:
        shutil.move(moved, source)
    assert summary.sources["missing"] == 1
    page = (out / "review" / f"{_doc_id(out, 'hostile.txt')}.html").read_text(encoding="utf-8")
    assert "仅显示各记录的原文" in page
    assert '<html lang="zh-CN">' in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert not (out / "review" / "pages").exists()


def test_language_follows_the_option_then_the_locale() -> None:
    assert language_of("zh") == "zh" and language_of("en_US") == "en"
    assert language_of(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert language_of(None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert language_of(None, {}) == "en"
    with pytest.raises(ValueError, match="use en or zh"):
        language_of("fr")
    assert all(set(texts) == {"en", "zh"} for texts in MESSAGES.values())
    assert message("rows", "zh", n=3) == "3 行"


browser = pytest.mark.skipif(
    find_browser() is None, reason="no chromium on PATH (Debian: apt-get install -y chromium)"
)


@browser
def test_in_chromium_a_clicked_finding_lights_its_lines_and_no_document_script_runs(
    site: Path, demo: Path
) -> None:
    with Browser() as chromium:
        chromium.open((site / "index.html").as_uri())
        assert chromium.evaluate("document.querySelectorAll('#findings tbody tr').length") > 0
        # Filter the index by check: only that check's rows stay.
        chromium.evaluate(
            "(function(){var s=document.querySelector('#findings [data-filter=check]');"
            "s.value='table_mismatch';s.dispatchEvent(new Event('change'));})()"
        )
        checks = chromium.evaluate(
            "Array.from(document.querySelectorAll('#findings tbody tr')).map(r=>r.children[1].textContent)"
        )
        assert checks and set(checks) == {"table_mismatch"}

        chromium.open((site / f"{_doc_id(demo, 'sample-paragraphs.txt')}.html").as_uri())
        ref = chromium.evaluate(
            "Array.from(document.querySelectorAll('tr.finding')).find(r=>r.textContent.includes('table_mismatch')).id"
        )
        assert chromium.evaluate("document.querySelectorAll('li.line.hl').length") == 0
        chromium.click(f"#{ref}")
        assert chromium.evaluate("Array.from(document.querySelectorAll('li.line.hl')).map(l=>l.id)") == [
            "L23"
        ]
        assert chromium.evaluate(f"document.getElementById('{ref}').classList.contains('hl')")
        # The index links a finding as page.html#fN: the page opens with its lines lit.
        chromium.open("about:blank")
        chromium.open((site / f"{_doc_id(demo, 'sample-paragraphs.txt')}.html").as_uri() + f"#{ref}")
        assert chromium.evaluate("Array.from(document.querySelectorAll('li.line.hl')).map(l=>l.id)") == [
            "L23"
        ]
        # And back: clicking a line lights the rows it holds.
        chromium.click("#L14")
        lit = chromium.evaluate("Array.from(document.querySelectorAll('tr.hl')).map(r=>r.id)")
        assert lit and all(r.startswith(("s", "f")) for r in lit)

        chromium.open((site / f"{_doc_id(demo, 'hostile.txt')}.html").as_uri())
        assert chromium.evaluate("typeof window.__pwned") == "undefined"
        assert chromium.dialogs() == []
        shown = chromium.evaluate("document.getElementById('deductions').textContent")
        assert "<script>window.__pwned=1</script>" in shown
        assert '=HYPERLINK("http://example.invalid","点我")' in shown
        assert "<img src=x" in chromium.evaluate("document.getElementById('source').textContent")


def test_lines_the_reread_lacks_are_filled_from_the_rows() -> None:
    from pipeline.review.site import circular_view
    from pipeline.review.source import SourceLine, SourceText

    # Page 1 has a text layer (re-read); page 2 was OCR'd at ingest and is not OCR'd again.
    source = SourceText("reread", "scan.pdf", [SourceLine(1, 1, 1, "通报"), SourceLine(2, 2, 1, "东坡县 99")])
    rows = {
        "scores": [{"line_start": 2, "line_end": 2, "page": 1, "raw_text": "东坡县 99", "bbox": None}],
        "deductions": [
            {"line_start": 7, "line_end": 8, "page": 2, "raw_text": "(3)台账不全，扣1分", "bbox": None}
        ],
        "findings": [],
    }
    view = circular_view({"doc_id": "x"}, rows, source)
    assert [(t["line"].start, t["line"].text, t["refs"]) for t in view["lines"]] == [
        (1, "通报", ""),
        (2, "东坡县 99", "s1"),
        (7, "(3)台账不全，扣1分", "d1"),
    ]
