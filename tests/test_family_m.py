"""Fixes made for gold set m (tests/fixtures/make_gold_m.py): text layers not in the page's shape.

Each test reads a gold m PDF or hand-built glyphs and fails without its fix.
"""

from __future__ import annotations

from pathlib import Path

from parsers.readers.pdf import read_pdf
from parsers.readers.pdf.columns import split_text_columns
from parsers.readers.pdf.glyphs import COLUMN_SEPARATOR, PageLine, _subset_code_chars, _upright

GOLD = Path(__file__).parent / "fixtures" / "gold"


def read_gold(stem: str):
    path = GOLD / f"{stem}.pdf"
    return read_pdf(path.read_bytes(), path.name)


def texts(stem: str, page: int | None = None) -> list[str]:
    return ["".join(line.text.split()) for line in read_gold(stem).lines if page is None or line.page == page]


# ---------------------------------------------------------------- a diagonal watermark


def test_a_diagonal_watermark_stays_out_of_the_lines_it_crosses() -> None:
    # `内部资料 注意保存` at 35° in 44 pt over every page of m01: its glyphs share one angle, as a
    # turned table's do, and were read into the title and unit names (`第一季意度安注全`, `注白沙镇`).
    lines = texts("m01-yunfeng-safety-q1")
    assert "关于2025年第一季度安" in lines
    assert "云峰县安全生产委员会办公室" in lines
    assert "|1|白沙镇|99.5|" in lines
    assert "|2|柳湾乡|98.5|" in lines and "白沙镇（得分99.5分）" in lines
    assert not any("内部" in line or "注意" in line for line in lines)


def test_turned_glyphs_of_the_body_size_are_kept_and_oversized_ones_dropped() -> None:
    body = [(100.0 + 15 * k, 200.0, 115.0 + 15 * k, 215.0, "字") for k in range(20)]
    small = [(300.0, 300.0, 315.0, 315.0, "表")]  # a turned table's glyph: the body's size
    large = [(300.0, 400.0, 361.0, 461.0, "内")]  # a watermark's glyph: four ems on each side
    kept = _upright(body, small + large, [0.61, 0.61])
    assert small[0] in kept and large[0] not in kept
    # A page of turned text only (no upright text to compare with) keeps it all.
    assert _upright([], small + large, [0.61, 0.61]) == small + large


# ---------------------------------------------------------------- a font without ToUnicode


def test_a_page_in_a_subset_font_without_tounicode_needs_ocr_and_gives_no_rows() -> None:
    # m05's deductions page reads `*/.0123456789#0$:`: codes in order of first use, whose digits
    # are no points. The page is listed as needing OCR; no line of it is read.
    read = read_gold("m05-qingtang-fire-apr")
    assert read.pages_needing_ocr == [2]
    assert not [line for line in read.lines if line.page == 2]
    assert "青消委办〔2025〕4号" in texts("m05-qingtang-fire-apr", 1)


def test_subset_codes_are_told_from_english_and_number_pages() -> None:
    def chars(text: str):
        return [(10.0 * k, 0.0, 10.0 * k + 8, 12.0, ch) for k, ch in enumerate(text) if ch != " "]

    assert _subset_code_chars(chars("!\"#$%&'()*+$,-$.*/.0123456789#0$:*0.;<=>?@AB9#/$:")) > 0
    assert _subset_code_chars(chars("Assessment of units: scores 98.5, 97 and 96 (see the table).")) == 0
    assert _subset_code_chars(chars("1 99.5 2 98.5 3 98 4 97.5 5 96 6 95.5 7 95")) == 0
    assert _subset_code_chars(chars("扣分!\"#$%&'()*+$,-$.*/.0123456789#0$:")) == 0  # ideographs: not codes


# ---------------------------------------------------------------- two columns


def test_two_columns_of_entries_are_read_column_by_column() -> None:
    # m06 sets four units' deductions in two columns; read across, 西关街道's 1.5 went to 东门街道.
    lines = texts("m06-beiyuan-grid-may")
    start = lines.index("二、扣分情况")
    assert lines[start + 1 : start + 4] == [
        "东门街道：",
        "事件上报不及时，扣1分。",
        "网格员巡查轨迹缺失，扣0.5分。",
    ]
    assert lines.index("西关街道：") == lines.index("群众诉求办结率偏低，扣1.5分。") - 1
    assert lines.index("南苑街道：") < lines.index("西关街道：")


def _gapped(text: str, top: float, spans: tuple[tuple[float, float], ...] | None) -> PageLine:
    x0 = spans[0][0] if spans else 80.0
    x1 = spans[-1][1] if spans else 80.0 + 13 * len(text)
    return PageLine(text, x0, top, x1, top + 13, 13.0, cell_spans=spans)


def test_an_unruled_two_column_table_is_not_taken_for_prose_columns() -> None:
    rows = [("东门街道", "98.5"), ("西关街道", "98"), ("南苑街道", "97.5"), ("北苑街道", "96")]
    lines = [
        _gapped(f"{a}{COLUMN_SEPARATOR}{b}", 200.0 + 20 * k, ((80.0, 132.0), (300.0, 330.0)))
        for k, (a, b) in enumerate(rows)
    ]
    assert split_text_columns(lines, 595.0) == lines


# ---------------------------------------------------------------- a scanner's searchable PDF


def test_a_scanners_invisible_ocr_layer_is_read_by_ocr_and_named_in_a_warning() -> None:
    # m04's pages are JPEGs under the scanner's OCR in render mode 3, which reads 渔溪镇 as 渔谿镇
    # and 98.5 as 96.5: OCR reads such pages like any scan; without OCR the layer is read as it
    # is, and the warning says whose reading it is.
    read = read_gold("m04-linhai-env-q2")
    assert read.pages_needing_ocr == [1, 2]
    assert any("pages 1, 2 are images under an invisible text layer" in w for w in read.warnings)
    m01 = read_gold("m01-yunfeng-safety-q1")
    assert not any("invisible" in w for w in m01.warnings) and m01.pages_needing_ocr == []


# ---------------------------------------------------------------- a table turned a quarter


def test_a_turned_table_whose_names_pdfium_cannot_place_needs_ocr() -> None:
    # m02 (/Rotate 90) and m09 (drawn turned) set the score table in the unembedded STSong-Light at
    # 90°: pdfium gives its digits and none of its names. The page is listed for OCR, not taken as read.
    for stem in ("m02-hexi-river-h1", "m09-nanling-forest-oct"):
        read = read_gold(stem)
        assert read.pages_needing_ocr == [2], stem
        assert not any("岭" in line.text or "单位" in line.text for line in read.lines if line.page == 2)
    assert read_gold("m01-yunfeng-safety-q1").pages_needing_ocr == []
