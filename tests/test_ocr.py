"""OCR of scanned circulars: repairs, geometry, preprocessing and the engine on real crops.

Fixtures in tests/fixtures/ocr/ are crops of the corpus scans made by
tests/fixtures/ocr/make_fixtures.py. Tests that run the engine are marked slow;
each OCRs one or two small images (the whole module: 19 s wall on 2 shared cores).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from parsers.model import DamagedInput, EmptyInput, UnsupportedInput
from parsers.normalize import normalize_lines
from parsers.readers.ocr import (
    OcrBox,
    TableGrid,
    boxes_to_lines,
    deskew,
    drop_seal_text,
    estimate_skew,
    find_seals,
    find_table_grids,
    repair_ocr_cell,
    repair_ocr_line,
    suppress_seal,
)
from parsers.tables import place_unruled_rows

FIXTURES = Path(__file__).parent / "fixtures" / "ocr"


def box(x0: float, top: float, x1: float, bottom: float, text: str, score: float = 0.99) -> OcrBox:
    return OcrBox(quad=((x0, top), (x1, top), (x1, bottom), (x0, bottom)), text=text, score=score)


# ---------------------------------------------------------------------------
# Repairs proven by context


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("等级特急信安委办明电[2022]1号", "等级特急信安委办明电〔2022〕1号"),
        ("信安委办明电【2022】1号", "信安委办明电〔2022〕1号"),
        ("信安委办明电(2022)1号", "信安委办明电〔2022〕1号"),
        ("信安委办明电（2022）1号", "信安委办明电〔2022〕1号"),
        ("信安委办明电12022〕1号", "信安委办明电〔2022〕1号"),  # 〔 read as the digit 1
        ("湖信联办明电[2021]31号", "湖信联办明电〔2021〕31号"),
        ("二O二三年三月五日", "二〇二三年三月五日"),
        ("二o二O年十二月", "二〇二〇年十二月"),
        ("二0二三年", "二〇二三年"),
        ("部分企业应急演练未按月组织，扣0。5分；", "部分企业应急演练未按月组织，扣0.5分；"),
        ("扣 1，5 分", "扣 1.5 分"),
        ("湖州市吴兴区得分89。4分，扣分原因：", "湖州市吴兴区得分89.4分，扣分原因："),
        ("扣０．５分", "扣0．5分"),  # full-width digits folded; the full-width point is the normaliser's
        ("-17-", "— 17 —"),
        ("一3一", "— 3 —"),
    ],
)
def test_repair_ocr_line_fixes_what_context_proves(raw: str, fixed: str) -> None:
    assert repair_ocr_line(raw) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "信安委办明电1202211号",  # 〔2022〕11号 or 〔2022〕1号 with 〕 read as 1: ambiguous, left alone
        "发现问题隐患562处、督促整改562处",
        "扣1分，5月份未报送",  # a comma after 分 is not a decimal point
        "2022年8月9日",
        "扣1、5分",  # 、 lists items; never a decimal point
        "共检查0家",
    ],
)
def test_repair_ocr_line_never_guesses(text: str) -> None:
    assert repair_ocr_line(text) == text


def test_repair_never_changes_a_digit() -> None:
    raw = "二O二二年信安委办明电[2022]1号扣0。5分得分80。1分 -6-"
    digits = [c for c in raw if c.isdigit() and c != "0"]  # the O/0 of 二O二二 may become 〇
    fixed = repair_ocr_line(raw)
    assert [c for c in fixed if c.isdigit() and c != "0"] == digits


@pytest.mark.parametrize(
    ("raw", "fixed"), [("85。7", "85.7"), ("80，1", "80.1"), ("８１", "81"), ("新县", "新县")]
)
def test_repair_ocr_cell(raw: str, fixed: str) -> None:
    assert repair_ocr_cell(raw) == fixed


# ---------------------------------------------------------------------------
# Boxes -> lines (geometry only, no engine)


def test_boxes_on_one_line_join_in_x_order_with_lowest_confidence() -> None:
    boxes = [
        box(400, 102, 700, 140, "信安委办明电〔2022〕1号", 0.97),
        box(100, 100, 180, 138, "等级", 0.99),
        box(210, 101, 290, 139, "加急", 0.62),
    ]
    [line] = boxes_to_lines(boxes, page=1)
    assert line.text == "等级 加急  信安委办明电〔2022〕1号"  # word gap: one space; column gap: two
    assert line.confidence == 0.62
    assert line.page == 1 and line.line_no == 1
    assert line.bbox == (100, 100, 700, 140)


def test_lines_are_ordered_top_down_and_numbered_from_first_line_no() -> None:
    boxes = [
        box(100, 200, 900, 238, "第二行，"),
        box(100, 100, 900, 138, "第一行，"),
        box(100, 300, 400, 338, "末行。"),
    ]
    lines = boxes_to_lines(boxes, page=3, first_line_no=41, scale=0.5)
    assert [ln.text for ln in lines] == ["第一行，", "第二行，", "末行。"]
    assert [ln.line_no for ln in lines] == [41, 42, 43]
    assert lines[0].bbox == (50, 50, 450, 69)  # scale 0.5: pixels -> points


def test_wrapped_when_line_reaches_the_right_margin() -> None:
    boxes = [
        box(100, 100, 1000, 138, "（25）未明确新业态新风险新行业安全生产监管牵头职责，"),
        box(60, 160, 300, 198, "扣1分；"),
        box(100, 220, 1000, 258, "（39）未落实规上企业设置安全总监并明确安全总监安全生"),
        box(60, 280, 1002, 318, "产职责及“一票否决”权力，扣2分；"),
    ]
    lines = boxes_to_lines(boxes, page=1)
    assert [ln.wrapped for ln in lines] == [True, False, True, None]  # None: full line ending a sentence


def test_unruled_table_rows_carry_cell_spans_and_the_table_layer_reads_them() -> None:
    # 名次 centred over a left-aligned 单位 column (dev-012's 附件1 layout)
    rows = [
        ("名次", "单位", "得分"),
        ("1", "南浔区", "90.1"),
        ("2", "吴兴区", "89.4"),
        ("3", "安吉县", "88。7"),
    ]
    boxes = []
    for k, (a, b, c) in enumerate(rows):
        y = 100 + 50 * k
        boxes += [
            box(170, y, 210 if k == 0 else 186, y + 36, a),
            box(390 if k == 0 else 270, y, 470 if k == 0 else 380, y + 36, b),
            box(860, y, 940, y + 36, c),
        ]
    lines = boxes_to_lines(boxes, page=1, scale=0.5)
    # The reader knows geometry, not columns: text with column gaps and where each cell stands.
    assert all(ln.cells is None for ln in lines)
    assert lines[0].cell_spans == ((85, 105), (195, 235), (430, 470))  # scaled as the bbox
    assert lines[3].text == "3  安吉县  88.7"  # a number alone between column gaps is a cell: 。 is its point
    assert [ln.cells for ln in normalize_lines(place_unruled_rows(lines))] == [
        ("名次", "单位", "得分"),
        ("1", "南浔区", "90.1"),
        ("2", "吴兴区", "89.4"),
        ("3", "安吉县", "88.7"),
    ]


def test_unruled_row_with_a_blank_cell_is_placed_under_its_header_by_the_table_layer() -> None:
    header = [(100, 180, "名次"), (300, 380, "乡镇"), (500, 580, "扣分"), (700, 780, "得分")]
    row = [(130, 150, "1"), (290, 410, "西湖镇"), (700, 780, "100")]  # 扣分 left blank
    boxes = [box(x0, 100, x1, 136, text) for x0, x1, text in header]
    boxes += [box(x0, 150, x1, 186, text) for x0, x1, text in row]
    lines = boxes_to_lines(boxes, page=1)
    assert [len(ln.cell_spans or ()) for ln in lines] == [4, 3]
    assert place_unruled_rows(lines)[1].cells == ("1", "西湖镇", "", "100")


def test_two_header_lines_with_gaps_are_not_a_table() -> None:
    boxes = [
        box(100, 100, 260, 138, "发电单位"),
        box(400, 100, 900, 138, "信阳市安全生产委员会办公室"),
        box(100, 160, 180, 198, "等级"),
        box(400, 160, 900, 198, "信安委办明电〔2022〕1号"),
    ]
    lines = boxes_to_lines(boxes, page=1)
    assert all(ln.cells is None for ln in lines)
    assert lines[0].text == "发电单位  信阳市安全生产委员会办公室"


def test_ruled_grid_assigns_boxes_to_cells_by_centre() -> None:
    grid = TableGrid(col_edges=(100, 300, 600, 900), row_edges=(100, 150, 200, 250))
    boxes = [
        box(150, 110, 230, 140, "排名"),
        box(400, 110, 480, 140, "县区"),
        box(700, 110, 780, 140, "得分"),
        box(190, 160, 210, 190, "1"),
        box(310, 160, 350, 190, "新"),
        box(400, 160, 440, 190, "县"),
        box(700, 160, 770, 190, "85.7", 0.71),
        box(190, 210, 210, 240, "2"),
        box(310, 210, 420, 240, "淮滨县"),
        box(700, 210, 770, 240, "83。5"),
    ]
    lines = boxes_to_lines(boxes, page=7, grids=[grid])
    assert [ln.cells for ln in lines] == [
        ("排名", "县区", "得分"),
        ("1", "新 县", "85.7"),
        ("2", "淮滨县", "83.5"),
    ]
    assert lines[1].confidence == 0.71
    assert lines[1].wrapped is False


def test_seal_arc_text_and_glyphs_inside_the_ring_are_dropped() -> None:
    from parsers.readers.ocr import Seal

    arc = OcrBox(quad=((683, 1022), (786, 913), (836, 961), (733, 1070)), text="市安全生", score=0.99)
    glyph = box(725, 1080, 765, 1115, "信")
    date = box(706, 1032, 992, 1091, "2022年8月9日")
    kept, dropped = drop_seal_text([arc, glyph, date], [Seal(829, 1051, 111)])
    assert kept == [date]
    assert dropped == [arc, glyph]


# ---------------------------------------------------------------------------
# Image maths on the fixtures (OpenCV, no engine)


def test_suppress_seal_lifts_red_and_keeps_black() -> None:
    rgb = np.full((10, 30, 3), 240, np.uint8)
    rgb[:, :10] = (200, 30, 40)  # seal red
    rgb[:, 10:20] = (20, 20, 20)  # black text
    grey = suppress_seal(rgb)
    assert grey[:, :10].min() >= 200
    assert grey[:, 10:20].max() <= 30


def test_seal_fixture_ring_found_in_grey_and_gone_after_suppression() -> None:
    rgb = np.asarray(Image.open(FIXTURES / "seal_over_text.png").convert("RGB"))
    import cv2

    assert len(find_seals(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))) == 1
    assert find_seals(suppress_seal(rgb)) == []


def test_estimate_skew_of_rotated_page() -> None:
    grey = np.asarray(Image.open(FIXTURES / "rotated_page.png").convert("L"))
    # The fixture turns the real scan's table 2° counter-clockwise on top of the
    # scan's own ~0.7° (its top rule rises ~10 px over 690 px): -2.7° levels it.
    assert estimate_skew(grey) == pytest.approx(-2.7, abs=0.2)


def test_find_table_grids_on_scanned_table() -> None:
    frame = np.asarray(Image.open(FIXTURES / "score_table.tif").convert("L"))
    levelled, _ = deskew(frame)  # as the pipeline does: rules are found on the levelled page
    [grid] = find_table_grids(levelled)
    assert len(grid.col_edges) == 4  # 排名 | 县区 | 得分
    assert len(grid.row_edges) == 7  # header + 5 rows


# ---------------------------------------------------------------------------
# The engine on real crops


@pytest.mark.slow
def test_seal_over_issuer_and_date() -> None:
    from pipeline.ocr import read_image

    res = read_image((FIXTURES / "seal_over_text.png").read_bytes(), "seal_over_text.png")
    texts = [ln.text for ln in res.lines]
    assert texts == ["天水市精神文明建设委员会办公室", "2023年5月21日"]
    assert res.source_format == "image" and res.pages == 1 and res.ocr_pages == [1]
    assert all(ln.confidence is not None and ln.confidence > 0.9 for ln in res.lines)


@pytest.mark.slow
def test_rotated_page_table_is_levelled_and_read_as_cells() -> None:
    from pipeline.ocr import read_image

    res = read_image((FIXTURES / "rotated_page.png").read_bytes(), "rotated_page.png")
    assert [ln.cells for ln in res.lines] == [
        ("排名", "县区", "得分"),
        ("1", "新县", "85.7"),
        ("2", "淮滨县", "83.5"),
        ("3", "潢川县", "82.6"),
    ]
    assert any("deskewed by -2" in w for w in res.warnings)


@pytest.mark.slow
def test_multi_page_tiff_score_table() -> None:
    from pipeline.ocr import read_image

    res = read_image((FIXTURES / "score_table.tif").read_bytes(), "score_table.tif")
    assert res.pages == 2 and res.ocr_pages == [1, 2]
    rows = [ln.cells for ln in res.lines if ln.cells and ln.cells[0].isdigit()]
    assert [(int(r), u.replace(" ", ""), float(s)) for r, u, s in rows] == [
        (1, "新县", 85.7),
        (2, "淮滨县", 83.5),
        (3, "潢川县", 82.6),
        (4, "息县", 81.0),
        (5, "罗山县", 80.5),
        (6, "浉河区", 80.1),
        (7, "光山县", 79.0),
        (8, "商城县", 78.6),
        (9, "平桥区", 78.0),
        (10, "固始县", 77.0),
    ]
    assert [ln.page for ln in res.lines if ln.cells and ln.cells[0] == "6"] == [2]
    assert [ln.line_no for ln in res.lines] == list(range(1, len(res.lines) + 1))
    assert res.ocr_confidence is not None and res.ocr_confidence > 0.9


@pytest.mark.slow
def test_garbage_text_layer_falls_back_to_ocr() -> None:
    from parsers.readers.pdf import read_pdf
    from pipeline.ocr import ocr_pdf_pages

    data = (FIXTURES / "garbage_text_layer.pdf").read_bytes()
    assert read_pdf(data, "garbage_text_layer.pdf").pages_needing_ocr == [1]
    lines = ocr_pdf_pages(data, [1], workers=1, first_line_no=10)
    text = "".join(ln.text.replace(" ", "") for ln in lines)
    assert "(44)部分企业应急演练未按月组织，扣0.5分；" in text
    assert [a for a in ("扣0.5分", "扣2分") if a in text] == ["扣0.5分", "扣2分"]
    assert text.count("扣0.5") == 2
    assert lines[0].line_no == 10 and lines[0].page == 1
    # bbox in PDF points: the page is 465.6 x 144 pt
    assert all(0 <= ln.bbox[0] < ln.bbox[2] <= 466 and 0 <= ln.bbox[1] < ln.bbox[3] <= 144 for ln in lines)


# ---------------------------------------------------------------------------
# Bad input: a clear error naming the file


def test_not_an_image() -> None:
    from pipeline.ocr import read_image

    with pytest.raises(
        UnsupportedInput, match=r"not_an_image\.png: the bytes are not an image tongbao decodes"
    ):
        read_image((FIXTURES / "not_an_image.png").read_bytes(), "not_an_image.png")


def test_truncated_jpeg() -> None:
    from pipeline.ocr import read_image

    with pytest.raises(DamagedInput, match=r"truncated\.jpg: the image cannot be decoded .*truncated"):
        read_image((FIXTURES / "truncated.jpg").read_bytes(), "truncated.jpg")


def test_empty_image() -> None:
    from pipeline.ocr import read_image

    with pytest.raises(EmptyInput, match=r"blank\.png: the file is empty"):
        read_image(b"", "blank.png")


def test_image_under_another_image_suffix_is_decoded() -> None:
    # Which files are images is parsers.formats' decision (bytes first); OCR only decodes.
    from pipeline.ocr import decode_image_frames

    assert len(decode_image_frames((FIXTURES / "seal_over_text.png").read_bytes(), "scan.bmp")) == 1


def test_damaged_pdf() -> None:
    from pipeline.ocr import ocr_scanned_pdf

    data = (FIXTURES / "garbage_text_layer.pdf").read_bytes()[:400]
    with pytest.raises(DamagedInput, match=r"cut\.pdf: cannot open the PDF"):
        ocr_scanned_pdf(data, "cut.pdf", workers=1)


def test_page_out_of_range() -> None:
    from pipeline.ocr import ocr_pdf_pages

    data = (FIXTURES / "garbage_text_layer.pdf").read_bytes()
    with pytest.raises(ValueError, match=r"pages \[2\] out of range: the PDF has 1 pages"):
        ocr_pdf_pages(data, [2], workers=1)


def test_missing_models_fail_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pipeline.ocr as ocr

    monkeypatch.setattr(ocr, "_ENGINE", None)
    monkeypatch.setattr(ocr, "model_dir", lambda: tmp_path)
    with pytest.raises(
        ocr.OcrUnavailable,
        match=r"OCR model files missing from .*PP-OCRv6_det_small\.onnx.*"
        r"does not download models",
    ):
        ocr.load_engine()


def test_low_confidence_numbers_are_warned_but_not_page_numbers() -> None:
    from parsers.model import Line
    from parsers.readers.ocr import low_confidence_warnings

    lines = [
        Line(text="— 8 —", line_no=1, page=8, confidence=0.65),
        Line(
            text="(5)两名领导班子成员述职报告中未涉及安全生产内容，扣0.4分；",
            line_no=2,
            page=8,
            confidence=0.61,
        ),
        Line(text="浉河区得分80.1分，扣分原因：", line_no=3, page=8, confidence=0.97),
        Line(text="各县区扣分原因", line_no=4, page=8, confidence=0.5),
    ]
    assert low_confidence_warnings(lines, 0.8) == [
        "page 8 line 2: OCR confidence 0.61 on a line with numbers: "
        "'(5)两名领导班子成员述职报告中未涉及安全生产内容，扣0.4分；'"
    ]


@pytest.mark.slow
def test_worker_processes_give_the_same_lines_as_in_process() -> None:
    import pypdfium2 as pdfium

    from pipeline.ocr import ocr_pdf_pages

    one = pdfium.PdfDocument((FIXTURES / "garbage_text_layer.pdf").read_bytes())
    two = pdfium.PdfDocument.new()
    two.import_pages(one)
    two.import_pages(one)
    buf = io.BytesIO()
    two.save(buf)
    data = buf.getvalue()
    in_process = ocr_pdf_pages(data, [1, 2], workers=1)
    pooled = ocr_pdf_pages(data, [1, 2], workers=2)
    assert [(ln.page, ln.line_no, ln.text) for ln in pooled] == [
        (ln.page, ln.line_no, ln.text) for ln in in_process
    ]
    assert {ln.page for ln in pooled} == {1, 2}
    assert [ln.line_no for ln in pooled] == list(range(1, len(pooled) + 1))
