"""The text-layer PDF reader: lines, tables, page artefacts and hostile files.

Fixtures in tests/fixtures/pdf/ are made by make_fixtures.py there; the corpus
checks read ../shared/corpus (real and dev circulars with their .txt).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.model import DamagedInput, EmptyInput, EncryptedInput, UnsupportedInput
from parsers.readers.pdf import glyphs as pdf_glyphs
from parsers.readers.pdf import read_pdf
from pipeline.render_pdf import circular_to_pdf

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REAL_PDF = CORPUS / "real" / "xinyang-2022-07.pdf"
DEV_PDFS = sorted(p for p in (CORPUS / "dev").glob("*.pdf") if not p.stem.endswith("-scan"))
# Floor for text fidelity against the .txt of the same circular; measured 1.0000 on all 16
# text-layer PDFs of real/ and dev/ when this test was written. Never lower it silently.
FIDELITY_FLOOR = 0.995
_PAGE_NUMBER_LINE = re.compile(r"^\s*[—\-–]\s*\d+\s*[—\-–]\s*$")


def read_fixture(name: str, **kwargs):
    return read_pdf((FIXTURES / name).read_bytes(), name, **kwargs)


def squeeze(text: str) -> str:
    return re.sub(r"[\s|]", "", text)


def txt_content(path: Path) -> str:
    """The .txt rendering without whitespace, page numbers, table separators or Markdown marks."""
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if _PAGE_NUMBER_LINE.match(line) or (set(line.strip()) <= set("|-: ") and "-" in line):
            continue
        kept.append(re.sub(r"^\s*[-*]\s+", "", line))
    return re.sub(r"[\s|*#]", "", "".join(kept))


def test_fake_bold_title_is_read_once_and_repeated_characters_are_kept():
    result = read_fixture("fake_bold_title.pdf")
    texts = [line.text for line in result.lines]
    assert texts[0] == "关于2023年第一季度安全生产考核情况的"
    assert texts[1] == "通报"
    assert result.lines[0].wrapped is True  # a centred title line continues on the next
    body = "".join(texts)
    assert "各县县委高度重视" in body and "看看问题清" in body


@pytest.mark.parametrize("name", ["table_split_repeated_header.pdf", "table_split_no_header.pdf"])
def test_table_split_across_pages_is_one_table_with_one_header(name):
    result = read_fixture(name)
    rows = [line for line in result.lines if line.cells is not None]
    assert [row.cells for row in rows][:2] == [("序号", "县区", "得分"), ("1", "大安区", "92.35")]
    assert len(rows) == 13  # header + 12 units, the header Word repeats on page 2 dropped
    assert {row.page for row in rows} == {1, 2}
    assert rows[-1].text == "| 12 | 川南新区 | 85.9 |"
    assert all(len(row.cells) == 3 for row in rows)
    assert "序号" not in "".join(line.text for line in result.lines if line.page == 2)


def test_merged_cells_stay_blank_below_their_first_row():
    result = read_fixture("merged_cells.pdf")
    rows = [line.cells for line in result.lines if line.cells is not None]
    assert rows == [
        ("单位", "存在问题", "扣分"),
        ("大安区", "（3）房前屋后柴草杂物堆放无序", "1"),
        ("", "（5）垃圾收集点周边脏乱", "0.5"),
        ("", "（13）畜禽散养现象较为普遍", "1"),
        ("荣县", "（6）垃圾桶配备不足或破损未更换", "1"),
        ("", "（9）问题厕所摸排整改进度滞后", "0.3"),
    ]


def test_page_number_inside_entry_is_dropped_and_the_entry_continues():
    result = read_fixture("page_number_inside_entry.pdf")
    texts = [line.text for line in result.lines]
    assert not any(_PAGE_NUMBER_LINE.match(text) for text in texts)
    index = next(i for i, text in enumerate(texts) if text.endswith("双向互动，"))
    before, after = result.lines[index], result.lines[index + 1]
    assert (before.page, after.page) == (1, 2)
    assert before.wrapped is True  # the entry runs on over the page break
    assert after.text == "扣 1 分；" and after.line_no == before.line_no + 1
    assert result.lines[index - 1].wrapped is True and result.lines[index - 2].wrapped is False


def test_lines_carry_running_numbers_pages_and_top_left_boxes():
    result = read_fixture("page_number_inside_entry.pdf")
    assert [line.line_no for line in result.lines] == list(range(1, len(result.lines) + 1))
    assert result.pages == 2 and result.source_format == "pdf"
    tops = [line.bbox[1] for line in result.lines if line.page == 1]
    assert tops == sorted(tops) and tops[0] < 200  # top-left origin: the title is near the top


def test_encrypted_without_password_asks_for_it():
    with pytest.raises(
        EncryptedInput, match=r"encrypted\.pdf: the PDF is encrypted; pass its password with --password"
    ):
        read_fixture("encrypted.pdf")


def test_encrypted_with_wrong_password_says_so():
    with pytest.raises(EncryptedInput, match=r"encrypted\.pdf: the password given does not open"):
        read_fixture("encrypted.pdf", password="wrong")


def test_encrypted_with_password_is_read():
    result = read_fixture("encrypted.pdf", password="tongbao")
    assert [line.text for line in result.lines] == ["关于安全生产考核情况的通报", "新县得分 85.7分。"]


def test_truncated_pdf_is_damaged_input_naming_the_file():
    with pytest.raises(DamagedInput, match=r"truncated\.pdf: the PDF is damaged or truncated"):
        read_fixture("truncated.pdf")


def test_html_saved_as_pdf_says_what_it_is():
    with pytest.raises(UnsupportedInput, match=r"not_a_pdf\.pdf: is not a PDF .*looks like a web page\."):
        read_fixture("not_a_pdf.pdf")


def test_empty_bytes_are_empty_input():
    with pytest.raises(EmptyInput, match=r"empty\.pdf: the file is empty"):
        read_pdf(b"", "empty.pdf")


def test_garbage_text_layer_page_needs_ocr_and_emits_nothing():
    result = read_fixture("garbage_text_layer.pdf")
    assert result.pages == 2
    assert result.pages_needing_ocr == [2]
    assert [line.text for line in result.lines] == ["Assessment circular, page one.", "Unit A scored 85.7."]
    assert all(line.page == 1 for line in result.lines)


def test_gbk_read_as_latin1_page_needs_ocr_and_emits_nothing():
    result = read_fixture("mojibake_text_layer.pdf")
    assert result.pages_needing_ocr == [2]
    assert [line.text for line in result.lines] == ["Assessment circular, page one."]


def test_seal_text_round_an_arc_stays_out_of_the_signature_and_date():
    texts = [line.text for line in read_fixture("seal_text_over_signature.pdf").lines]
    assert "桐柏县安全生产委员会办公室" in texts and "2023年10月16日" in texts
    # The arc's turned glyphs are dropped; its one upright glyph, at the top, stays a line of its own.
    assert texts == ["各县区：现将考核情况通报如下。", "产", "桐柏县安全生产委员会办公室", "2023年10月16日"]


def test_unruled_table_row_with_a_blank_cell_keeps_its_columns():
    from parsers.tables import place_unruled_rows

    lines = read_fixture("unruled_table_blank_cell.pdf").lines
    # The reader knows geometry, not columns: each row keeps its text and says where its cells stand.
    assert all(line.cells is None for line in lines[:4])
    assert [len(line.cell_spans or ()) for line in lines[:4]] == [4, 3, 4, 3]
    rows = [(line.text, line.cells) for line in place_unruled_rows(lines)]
    # Rows with every cell stay text for the normaliser; a row leaving 扣分 blank gets its cells
    # placed under the header words (its 100 is a 得分, not a 扣分).
    assert rows[1][1] == ("1", "西湖镇", "", "100")
    assert rows[3][1] == ("3", "三合镇", "", "98.5")
    assert rows[2] == ("2    程集镇    1.5    98.5", None)


def test_seal_on_a_last_page_of_only_the_signature_is_dropped_too():
    # The arc's glyphs are a third of this page; their angles, all different, say seal.
    texts = [line.text for line in read_fixture("seal_on_signature_page.pdf").lines]
    assert texts[-2:] == ["桐柏县安全生产委员会办公室", "2023年10月16日"]


def test_text_set_at_one_angle_is_kept():
    glyphs = sorted("".join(line.text.split()) for line in read_fixture("text_at_one_angle.pdf").lines)
    assert sorted("".join(glyphs)) == sorted("各县区安全生产考核得分表信阳市安全生产委员会办公室")


def test_table_without_its_outer_frame_keeps_its_edge_rows_and_columns():
    rows = [line.cells for line in read_fixture("table_inner_rules_only.pdf").lines]
    assert rows == [
        ("排名", "县区", "得分"),
        ("1", "龙南市", "99.5"),
        ("2", "南康区", "98.5"),
        ("3", "信丰县", "95.9"),
    ]


def test_table_ruled_under_every_row_without_vertical_rules_keeps_wrapped_cells():
    rows = [line.cells for line in read_fixture("table_row_rules_only.pdf").lines]
    assert rows == [
        ("县区", "存在问题", "扣分"),
        ("南康区", "2.家具市场周边道路扬尘污染明显，洒水保洁频次不足", "1.5"),
        ("信丰县", "3.嘉定镇主街沿街晾晒、乱堆乱放", "1"),
        ("大余县", "7.南安镇背街小巷路面破损", "0.5"),
    ]


def test_more_pages_than_max_pages_reads_the_first_and_warns():
    result = read_fixture("table_split_repeated_header.pdf", max_pages=1)
    assert result.pages == 2
    assert {line.page for line in result.lines} == {1}
    assert result.warnings == [
        "table_split_repeated_header.pdf: has 2 pages; read only the first 1 "
        "(raise max_pages to read them all)."
    ]


def test_unruled_table_columns_keep_wide_gaps_and_prose_does_not():
    text = (
        "得分表\n名次      县区        得分\n1         大安区      92.35\n全市各级各部门高度重视，行动迅速。"
    )
    lines = [line.text for line in read_pdf(circular_to_pdf(text), "unruled.pdf").lines]
    assert re.split(r"\s{2,}", lines[2]) == ["1", "大安区", "92.35"]
    assert "  " not in lines[3]


def test_render_keeps_a_lone_last_character():
    # pdfium reads nothing from a one-character string in STSong-Light; the renderer pads it.
    text = "标题\n（五）加强调度考核。市环委办将实行周调度、月排名，排\n下一段"
    lines = [line.text for line in read_pdf(circular_to_pdf(text), "lone.pdf").lines]
    assert lines[-2] == "排" and lines[-1] == "下一段"


@pytest.mark.skipif(not REAL_PDF.exists(), reason="shared corpus not mounted")
def test_real_circular_score_table_and_deductions():
    result = read_pdf(REAL_PDF.read_bytes(), REAL_PDF.name)
    rows = [line.cells for line in result.lines if line.cells is not None]
    assert rows[0] == ("排 名", "县 区", "得 分")
    assert len(rows) == 11 and rows[1] == ("1", "新 县", "85.7") and rows[10] == ("10", "固始县", "77")
    assert result.pages == 25 and result.pages_needing_ocr == []
    joined = squeeze("".join(line.text for line in result.lines))
    assert re.search(r"[(（]84[)）][(（]86[)）][(（]87[)）].{0,200}共计扣3分", joined)
    gold = txt_content(REAL_PDF.with_suffix(".txt"))
    assert difflib.SequenceMatcher(None, gold, joined, autojunk=False).ratio() >= FIDELITY_FLOOR


@pytest.mark.skipif(not REAL_PDF.exists(), reason="shared corpus not mounted")
def test_real_scan_has_no_text_and_every_page_needs_ocr():
    scan = CORPUS / "real" / "xinyang-2022-07-scan.pdf"
    result = read_pdf(scan.read_bytes(), scan.name)
    assert result.lines == []
    assert result.pages_needing_ocr == list(range(1, result.pages + 1))


@pytest.mark.parametrize("pdf", DEV_PDFS, ids=[p.name for p in DEV_PDFS])
def test_dev_pdf_text_matches_its_txt(pdf: Path):
    result = read_pdf(pdf.read_bytes(), pdf.name)
    txt = pdf.with_name(re.sub(r"(-drawn)?\.pdf$", ".txt", pdf.name))
    got = squeeze("".join(line.text for line in result.lines))
    ratio = difflib.SequenceMatcher(None, txt_content(txt), got, autojunk=False).ratio()
    assert ratio >= FIDELITY_FLOOR, f"{pdf.name}: {ratio:.4f}"


def char_by_char_line(group):
    """The line join `chars_to_line` had before it was made one pass: the reference it must equal."""
    group = sorted(group)
    first = group[0]
    kept = [first]
    top, bottom, right = first[1], first[3], first[2]
    heights = [first[3] - first[1]]
    prev = first
    for char in group[1:]:
        if char[4] == prev[4] and char[0] - prev[0] < (1 / 3) * max(prev[2] - prev[0], 0.1):
            continue
        kept.append(char)
        heights.append(char[3] - char[1])
        prev = char
        top, bottom = min(top, char[1]), max(bottom, char[3])
    heights.sort()
    em = max(heights[len(heights) // 2], 1.0)
    parts = [first[4]]
    for char in kept[1:]:
        gap = char[0] - right
        if gap > 0.15 * em:
            parts.append("    " if gap > em else " ")
        parts.append(char[4])
        right = max(right, char[2])
    text = "".join(parts).strip()
    return (text, first[0], top, right, bottom, em) if text else None


# Coarse coordinates so that ties, overprints (fake bold), touching glyphs and gaps of every
# kind (none, kerning, space, column) all come up; a small alphabet so glyphs repeat.
_line_chars = st.lists(
    st.tuples(
        st.integers(0, 80),
        st.integers(0, 8),
        st.integers(1, 30),
        st.integers(2, 40),
        st.sampled_from(["一", "二", "1", " ", "\u2002"]),
    ).map(lambda t: (t[0] / 4, 100 + t[1] / 4, t[0] / 4 + t[2] / 4, 100 + t[1] / 4 + t[3] / 4, t[4])),
    min_size=1,
    max_size=12,
)


@settings(max_examples=500, deadline=None)
@given(_line_chars)
def test_line_join_equals_the_char_by_char_reference(group):
    from parsers.readers.pdf.glyphs import chars_to_line

    line = chars_to_line(list(group))
    got = None if line is None else (line.text, line.x0, line.top, line.x1, line.bottom, line.em)
    assert got == char_by_char_line(group)


# The C helper (parsers/readers/pdf/_pdfchars.c, built at install) must give exactly what the Python
# loops give: installs without a C compiler run the Python ones.
_needs_c_helper = pytest.mark.skipif(
    pdf_glyphs._page_chars is None, reason="the C helper was not compiled in this install"
)

_page_chars = st.lists(
    st.tuples(
        st.integers(0, 80),
        st.integers(0, 40),
        st.integers(0, 30),
        st.integers(0, 40),
        st.sampled_from(["一", "二", "1", " ", "\u2002", "\U00020000"]),
    ).map(lambda t: (t[0] / 4, 100 + t[1] / 4, t[0] / 4 + t[2] / 4, 100 + t[1] / 4 + t[3] / 4, t[4])),
    min_size=0,
    max_size=40,
)


@_needs_c_helper
@settings(max_examples=500, deadline=None)
@given(_page_chars)
def test_c_line_grouping_equals_the_python_one(chars):
    assert pdf_glyphs.chars_to_lines(list(chars)) == pdf_glyphs._chars_to_lines_python(list(chars))


def _readable_test_pdfs() -> list[Path]:
    """Every PDF of the corpus, the fixtures and samples/ that opens (the hostile ones raise)."""
    hostile = {"encrypted", "not_a_pdf", "truncated"}
    samples = Path(__file__).resolve().parents[1] / "samples"
    return sorted(
        path
        for path in [*CORPUS.glob("*/*.pdf"), *FIXTURES.glob("*.pdf"), *samples.glob("*.pdf")]
        if path.stem not in hostile
    )


@_needs_c_helper
def test_c_helper_reads_every_corpus_and_fixture_pdf_as_the_python_loops_do(monkeypatch):
    paths = _readable_test_pdfs()
    assert len(paths) >= 30
    with_c = [read_pdf(path.read_bytes(), path.name) for path in paths]
    monkeypatch.setattr(pdf_glyphs, "_page_chars", None)
    monkeypatch.setattr(pdf_glyphs, "_chars_to_lines_c", None)
    monkeypatch.setattr(pdf_glyphs, "_page_paths", None)
    without_c = [read_pdf(path.read_bytes(), path.name) for path in paths]
    assert with_c == without_c


def test_parsing_pauses_the_cyclic_collector_and_gives_it_back():
    import gc

    from parsers.document import parse_document, read_document

    assert gc.isenabled()
    parse_document(
        REAL_PDF.read_bytes() if REAL_PDF.exists() else read_fixture_bytes("merged_cells.pdf"), "a.pdf"
    )
    assert gc.isenabled()
    with pytest.raises(DamagedInput):
        read_document((FIXTURES / "truncated.pdf").read_bytes(), "truncated.pdf")
    assert gc.isenabled()  # given back after a failure too
    gc.disable()
    try:
        read_document((FIXTURES / "merged_cells.pdf").read_bytes(), "merged_cells.pdf")
        assert not gc.isenabled()  # a caller's own choice is left as it was
    finally:
        gc.enable()


def read_fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
