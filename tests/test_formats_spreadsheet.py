"""Spreadsheets (.xlsx, .xls, .et): rows as table Lines, merged cells, numbers without binary noise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.document import extract_document
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, UnsupportedInput
from parsers.readers.spreadsheet import cell_text, read_spreadsheet
from tests.fixtures.formats.make_formats import score_sheet_rows, xls_bytes, xlsx_bytes

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
if not REAL.is_dir():
    REAL = Path("/work/shared/corpus/real")
GOLD = REAL / "xinyang-2022-07.gold.json"
TITLE = "各县区安全生产“十五条硬措施”贯彻落实情况得分表（2022年7月）"


def _gold_scores() -> list[dict]:
    if not GOLD.exists():
        pytest.skip(f"the shared corpus is not at {REAL}")
    return json.loads(GOLD.read_text(encoding="utf-8"))["scores"]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "et"])
def test_real_attachment_table_gives_its_ten_scores_exactly(kind: str) -> None:
    gold = _gold_scores()
    rows = score_sheet_rows(TITLE, gold)
    if kind == "xlsx":
        data = xlsx_bytes({"附件1": rows}, {"附件1": ["A1:C1"]})
    else:  # a WPS .et is an OLE2/BIFF8 workbook like .xls
        data = xls_bytes({"附件1": rows}, {"附件1": [(0, 0, 0, 2)]})
    read = read_spreadsheet(data, f"附件1.{kind}")
    assert read.source_format == kind
    assert read.lines[0].text == TITLE and read.lines[0].cells is None  # merged title: a caption
    ex = extract_document(read)
    got = [(s.unit_raw, float(s.score), s.rank) for s in ex.scores]
    assert got == [(g["unit"], float(g["score"]), g["rank"]) for g in gold]
    assert ex.metadata.doc_class == "result"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (89.69999999999999, "89.7"),  # =100-10.3 as Excel stores it
        (85.70000000000013, "85.7"),
        (0.30000000000000004, "0.3"),
        (85.0, "85"),
        (-2.5, "-2.5"),
        (0.00012, "0.00012"),
        (12345678901.0, "12345678901"),
        (1.23456789012, "1.23456789"),
        (7, "7"),
        (True, "TRUE"),
        (None, ""),
        ("  新\n县 ", "新 县"),
    ],
)
def test_cell_text_drops_binary_noise_and_keeps_what_the_sheet_shows(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_vertically_merged_cells_leave_continuations_empty_and_rows_keep_the_sheet_width() -> None:
    rows = [
        ["单位", "存在问题", "扣分"],
        ["甲镇", "垃圾清运不及时", 0.5],
        ["", "台账不全", 0.3],
        ["乙镇", "", ""],
    ]
    data = xlsx_bytes({"扣分": rows}, {"扣分": ["A2:A3"]})
    lines = read_spreadsheet(data, "扣分.xlsx").lines
    assert [ln.cells for ln in lines[:3]] == [
        ("单位", "存在问题", "扣分"),
        ("甲镇", "垃圾清运不及时", "0.5"),
        ("", "台账不全", "0.3"),
    ]
    assert lines[3].cells is None and lines[3].text == "乙镇"


def test_every_sheet_is_read_each_after_its_name() -> None:
    data = xlsx_bytes(
        {
            "县区组": [["县区", "得分"], ["甲县", 91.5], ["乙县", 90]],
            "部门组": [[None, None, None], [None, "部门", "得分"], [None, "丙局", 88.25]],
        }
    )
    lines = read_spreadsheet(data, "两组.xlsx").lines
    assert [ln.text for ln in lines] == [
        "县区组",
        "| 县区 | 得分 |",
        "| 甲县 | 91.5 |",
        "| 乙县 | 90 |",
        "部门组",
        "| 部门 | 得分 |",  # the empty first row and column are trimmed
        "| 丙局 | 88.25 |",
    ]


def test_truncated_workbook_is_damaged_with_a_message() -> None:
    data = xlsx_bytes({"S": [["县区", "得分"], ["甲县", 91.5]]})
    with pytest.raises(DamagedInput, match=r"a\.xlsx: the xlsx workbook is damaged.*truncated"):
        read_spreadsheet(data[: len(data) // 2], "a.xlsx")
    xls = xls_bytes({"S": [["县区", "得分"], ["甲县", 91.5]]}, {})
    with pytest.raises(DamagedInput, match=r"a\.xls: the xls workbook is damaged"):
        read_spreadsheet(xls[:1500], "a.xls")


def test_encrypted_workbook_asks_for_the_password_to_be_removed() -> None:
    # An encrypted .xlsx is an OLE2 file holding an EncryptedPackage stream (MS-OFFCRYPTO).
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedInput, match=r"password-protected.*remove the"):
        read_spreadsheet(data, "密.xlsx")


def test_wrong_suffix_names_what_the_bytes_are() -> None:
    with pytest.raises(UnsupportedInput, match=r"is not a spreadsheet .*it looks like a PDF\)"):
        read_spreadsheet(b"%PDF-1.7\n1 0 obj\n", "scores.xlsx")


def test_empty_workbook_and_empty_file() -> None:
    with pytest.raises(EmptyInput, match="no sheet of the workbook holds a value"):
        read_spreadsheet(xlsx_bytes({"S": [[None]]}), "e.xlsx")
    with pytest.raises(EmptyInput, match="the file is empty"):
        read_spreadsheet(b"", "e.xlsx")


def test_csv_in_gbk_or_utf8_gives_the_same_rows() -> None:
    text = "县区,得分\r\n甲县,91.5\r\n乙县,90\r\n"
    for data in (text.encode("gbk"), text.encode("utf-8-sig")):
        read = read_spreadsheet(data, "得分.csv")
        assert read.source_format == "csv"
        assert [ln.cells for ln in read.lines] == [("县区", "得分"), ("甲县", "91.5"), ("乙县", "90")]


def test_ods_reads_like_xlsx() -> None:
    from tests.fixtures.formats.make_formats import ods_bytes

    read = read_spreadsheet(ods_bytes({"得分": [["县区", "得分"], ["甲县", 89.69999999999999]]}), "a.ods")
    assert read.source_format == "ods"
    assert [ln.cells for ln in read.lines] == [("县区", "得分"), ("甲县", "89.7")]
