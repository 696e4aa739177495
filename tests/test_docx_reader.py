"""DOCX reader: block order, merged cells, list numbers, and the errors for files that are not DOCX."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from parsers.model import DamagedInput, EmptyInput, UnsupportedInput
from parsers.readers.docx import format_number, read_docx

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
HTML_FIXTURES = Path(__file__).parent / "fixtures" / "html"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def read_fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_interleaved_paragraphs_and_table_keep_document_order() -> None:
    result = read_docx(read_fixture("interleaved-paragraphs-table.docx"), "interleaved-paragraphs-table.docx")
    assert result.source_format == "docx"
    assert [(line.line_no, line.text) for line in result.lines] == [
        (1, "某市安全生产委员会办公室"),
        (1, "关于2023年第一季度安全生产考核情况的通报"),
        (2, "各县区安委会："),
        (3, "| 排 名 | 县 区 | 得 分 |"),
        (3, "| 1 | 新县 | 95.5 |"),
        (3, "| 2 | 息县 | 90 |"),
        (4, "二、扣分情况"),
        (5, "息县得分90分，扣分原因：（3）未召开专题会议，扣 1 分；"),
    ]
    assert result.lines[4].cells == ("1", "新县", "95.5")
    assert all(line.page is None for line in result.lines)


def test_line_break_inside_paragraph_splits_lines_and_only_the_last_ends_the_paragraph() -> None:
    title_lines = read_docx(read_fixture("interleaved-paragraphs-table.docx"), "x.docx").lines[:2]
    assert [line.wrapped for line in title_lines] == [None, False]


def test_footer_page_number_is_not_read() -> None:
    result = read_docx(read_fixture("interleaved-paragraphs-table.docx"), "x.docx")
    assert not any("— 1 —" in line.text for line in result.lines)


def test_merged_cells_keep_the_grid_and_blank_vertical_continuations() -> None:
    result = read_docx(read_fixture("merged-cells.docx"), "merged-cells.docx")
    assert [(line.text if line.cells is None else line.cells) for line in result.lines] == [
        "附件1",
        "各县区得分表",  # one cell across the whole grid: a caption, not a row
        ("单位", "考核得分", "", "总分"),
        ("", "系统考核", "现场考核", ""),
        ("新县", "38", "57", "95"),
        "附件2",
        ("单位", "存在问题", "扣分"),
        ("息县", "未召开专题会议", "1"),
        ("", "台账不全", "0.5"),
    ]


def test_legacy_doc_named_docx_says_convert() -> None:
    with pytest.raises(UnsupportedInput) as caught:
        read_docx(read_fixture("legacy-doc-named-docx.docx"), "legacy-doc-named-docx.docx")
    message = str(caught.value)
    assert message.startswith("legacy-doc-named-docx.docx: is not a DOCX but a legacy Word 97-2003 .doc")
    assert "D0 CF 11 E0" in message
    assert "save it as .docx or PDF" in message


def test_html_page_named_docx_says_what_it_is() -> None:
    data = (HTML_FIXTURES / "gov-info-block.html").read_bytes()
    with pytest.raises(UnsupportedInput, match=r"^page\.docx: is not a DOCX .*it looks like a web page\)"):
        read_docx(data, "page.docx")


def test_truncated_docx_is_damaged() -> None:
    with pytest.raises(DamagedInput, match=r"^truncated\.docx: the DOCX is damaged .*probably truncated"):
        read_docx(read_fixture("truncated.docx"), "truncated.docx")


def test_zip_without_document_xml_is_damaged() -> None:
    expected = r"^zip-without-document-xml\.docx: the ZIP has no word/document\.xml"
    with pytest.raises(DamagedInput, match=expected):
        read_docx(read_fixture("zip-without-document-xml.docx"), "zip-without-document-xml.docx")


def test_document_without_text_is_empty() -> None:
    with pytest.raises(EmptyInput, match=r"^empty\.docx: the DOCX has no text in its body"):
        read_docx(read_fixture("empty.docx"), "empty.docx")


def test_zero_bytes_are_empty() -> None:
    with pytest.raises(EmptyInput, match=r"^nothing\.docx: the file is empty"):
        read_docx(b"", "nothing.docx")


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (21, "chineseCountingThousand", "二十一"),
        (105, "chineseCounting", "一百零五"),
        (6, "decimalEnclosedCircle", "⑥"),
        (3, "ideographTraditional", "丙"),
        (12, "decimal", "12"),
        (4, "upperRoman", "IV"),
        (2, "lowerLetter", "b"),
    ],
)
def test_list_numbers_render_as_word_shows_them(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected


def _squash_txt(text: str) -> str:
    """The .txt rendering without whitespace, Markdown pipes, ** emphasis, '- ' bullets and separator rows."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if "-" in stripped and re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
            continue
        kept.append(re.sub(r"^- ", "", stripped).replace("**", "").replace("|", ""))
    return re.sub(r"\s+", "", "".join(kept))


CORPUS_DOCX = sorted(CORPUS.glob("*/*.docx"))


@pytest.mark.skipif(not CORPUS_DOCX, reason="shared corpus not present")
@pytest.mark.parametrize("path", CORPUS_DOCX, ids=lambda p: p.name)
def test_corpus_docx_matches_its_text_rendering(path: Path) -> None:
    # Measured on the corpus: ratios 0.9938-1.0000; the only differences are the .txt's running page
    # numbers (— 3 —), which live in the DOCX footer and are deliberately not read.
    lines = read_docx(path.read_bytes(), path.name).lines
    ours = re.sub(r"\s+", "", "".join(line.text.replace("|", "") for line in lines))
    theirs = _squash_txt(path.with_suffix(".txt").read_text(encoding="utf-8"))
    theirs_without_page_numbers = re.sub(r"—\d+—", "", theirs)
    assert difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio() >= 0.99
    assert ours == theirs_without_page_numbers
