"""Shapes of the q gold set (tests/fixtures/make_gold_q.py: results circulars as office files hold
them), each in a small invented .docx or .xlsx written here with the same raw-OOXML helpers
(tests/fixtures/q_ooxml.py), named by the case it covers: what it must yield, and nothing more.

No number without structure: every row each file yields is written out here.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from parsers.document import Extraction, parse_document
from parsers.readers.spreadsheet import read_spreadsheet
from tests.family_pages import entries, scores

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from q_ooxml import Cell, Fx, Level, Num, Numbering, Sheet, para, run, table
from q_ooxml import docx as docx_bytes
from q_ooxml import xlsx as xlsx_bytes

HEAD = [para("甲县应急管理局"), para("关于3月份安全检查考评情况的通报"), para("各乡镇：")]


def parsed_docx(body: list[str], name: str = "page.docx") -> Extraction:
    return parse_document(docx_bytes(HEAD + body), name)


def test_a_superscript_note_mark_after_a_score_is_not_part_of_it() -> None:
    """q06: `96.5` then a raised `1` (a note mark typed as superscript) read as 96.51; the mark is
    kept apart from the number (96.5¹), so the score is the one printed."""
    rows = [["排名", "乡镇", "得分"]]
    rows.append(["1", "甲镇", Cell([para(run("96.5"), run("1", sup=True))])])
    rows.append(["2", "乙乡", "95"])
    ex = parsed_docx([para("考评结果如下："), table(rows), para("注：1.甲镇本月新建消防站2个。")])
    assert scores(ex) == [("甲镇", 1, Decimal("96.5")), ("乙乡", 2, Decimal("95"))]
    assert entries(ex) == []


def parsed_xlsx(sheets: list[Sheet], name: str = "book.xlsx") -> Extraction:
    return parse_document(xlsx_bytes(sheets), name)


def test_a_score_is_read_as_its_cell_format_shows_it() -> None:
    """q09: a weighted total =B3*0.4+C3*0.6 caches 94.0622 in a cell formatted `0.00`; the sheet (and
    the circular it is attached to) says 94.06, and ranks by it."""
    rows: list[list[Any]] = [["单位", "政务服务", "企业满意度", "综合得分", "排名"]]
    rows.append(["甲区", Num(92.456, 1), Num(95.133, 1), Fx("B2*0.4+C2*0.6", 94.0622, 1), 1])
    rows.append(["乙区", Num(90.218, 1), Num(96.447, 1), Fx("B3*0.4+C3*0.6", 93.9554, 1), 2])
    ex = parsed_xlsx([Sheet("结果", rows)])
    assert scores(ex) == [("甲区", 1, Decimal("94.06")), ("乙区", 2, Decimal("93.96"))]
    assert entries(ex) == []


def test_a_hidden_row_and_a_hidden_column_are_not_read() -> None:
    """q08, q09: a unit's row the office hid (merged away, not assessed) and a hidden 上期得分 column
    are not shown, so they give no row and no number."""
    rows: list[list[Any]] = [["单位", "上期得分", "得分", "排名"]]
    rows += [["甲镇", 91, 98, 1], ["乙镇", 99, 97.5, 2], ["丙镇（已撤并）", 90, 100, None]]
    ex = parsed_xlsx([Sheet("Sheet1", rows, hidden_rows=[3], hidden_cols=[1])])
    assert scores(ex) == [("甲镇", 1, Decimal("98")), ("乙镇", 2, Decimal("97.5"))]


def test_unnumbered_paragraphs_of_one_cell_are_one_entry_each() -> None:
    """q02: a 扣分情况 cell holding one paragraph per problem, with no number and no ；, reaches the
    table joined by a space (`…，扣1分 餐饮油烟…，扣1分`): each paragraph is its own entry."""
    rows: list[list[Any]] = [["街道", "扣分情况", "得分"]]
    rows.append(
        ["甲街道", Cell([para("建筑工地裸土未覆盖，扣1分"), para("餐饮油烟净化设施未清洗，扣0.5分")]), "98.5"]
    )
    rows.append(["乙街道", Cell([para("道路扬尘抑尘作业不到位，扣1分")]), "99"])
    ex = parsed_docx([para("考核情况通报如下（基础分100分）："), table(rows)])
    assert scores(ex) == [("甲街道", None, Decimal("98.5")), ("乙街道", None, Decimal("99"))]
    assert entries(ex) == [
        ("甲街道", [], "deduction", Decimal("1"), "建筑工地裸土未覆盖"),
        ("甲街道", [], "deduction", Decimal("0.5"), "餐饮油烟净化设施未清洗"),
        ("乙街道", [], "deduction", Decimal("1"), "道路扬尘抑尘作业不到位"),
    ]


def test_a_glyph_spaced_amount_then_words_stays_one_entry() -> None:
    """The near miss: text spaced glyph by glyph (`扣 1 分 （ 整 改 中 ）`) is not cut after the amount."""
    from parsers.entries import split_entries

    assert split_entries("巡 河 记 录 缺 失 ， 扣 1 分 整 改 中") == ["巡 河 记 录 缺 失 ， 扣 1 分 整 改 中"]
    assert split_entries("巡河记录缺失，扣1分 岸线乱占未整改，扣2分") == [
        "巡河记录缺失，扣1分",
        "岸线乱占未整改，扣2分",
    ]


def test_a_score_formula_saved_without_its_value_gives_no_score_row() -> None:
    """q13: a workbook saved by a library (openpyxl) keeps `=100-SUM(B4:C4)` and no cached value, so
    the 得分 cell reads empty: no score row (no number tongbao would have to compute), the matrix's
    points lost are still the unit's deductions."""
    rows: list[list[Any]] = [
        ["社区", "扣分项目", None, "得分"],
        [None, "网格员履职", "事件上报", None],
        ["甲社区", 1, None, Fx("100-SUM(B3:C3)", None)],
        ["乙社区", None, 2, Fx("100-SUM(B4:C4)", None)],
    ]
    book = xlsx_bytes([Sheet("Sheet", rows, merges=["B1:C1", "A1:A2", "D1:D2"])])
    ex = parse_document(book, "book.xlsx")
    assert scores(ex) == []
    assert entries(ex) == [
        ("甲社区", [], "deduction", Decimal("1"), "网格员履职"),
        ("乙社区", [], "deduction", Decimal("2"), "事件上报"),
    ]
    # and the cells read as empty are named, so a person knows a score exists that was not read
    (warning,) = read_spreadsheet(book, "book.xlsx").warnings
    assert "2 formula cell(s) saved without their value (D3、D4)" in warning


def test_a_doc_number_in_the_page_header_is_the_documents_when_the_body_has_none() -> None:
    """q03: the template's header holds `甲县教育局⇥⇥甲教〔2025〕7号` and the body opens at the title."""
    body = [para("关于上半年校园安全考核结果的通报"), para("各学校："), para("考核结果如下：")]
    body.append(table([["名次", "学校", "得分"], ["1", "甲县一中", "96"], ["2", "甲县二中", "94"]]))
    body += [para("甲县教育局"), para("2025年7月8日")]
    ex = parse_document(docx_bytes(body, header=[para("甲县教育局\t\t甲教〔2025〕7号")]), "page.docx")
    assert ex.metadata.doc_number is not None and ex.metadata.doc_number.text == "甲教〔2025〕7号"
    assert scores(ex) == [("甲县一中", 1, Decimal("96")), ("甲县二中", 2, Decimal("94"))]


def test_the_bodys_own_doc_number_wins_over_the_page_headers() -> None:
    """The near miss: a body stating its 文号 keeps it; the header's (another template's) is not read."""
    body = [
        para("甲县教育局"),
        para("甲教〔2025〕8号"),
        para("关于上半年校园安全考核结果的通报"),
        para("各学校："),
    ]
    body += [para("甲县一中96分，甲县二中94分。"), para("甲县教育局"), para("2025年7月8日")]
    ex = parse_document(docx_bytes(body, header=[para("甲县教育局\t\t甲教〔2024〕3号")]), "page.docx")
    assert ex.metadata.doc_number is not None and ex.metadata.doc_number.text == "甲教〔2025〕8号"


def test_a_detail_sheet_per_unit_gives_its_rows_to_the_sheets_unit() -> None:
    """q08: a 汇总 sheet and one sheet per township (`检查日期 | 问题描述 | 扣分`, dates as serial numbers
    in a date format, a `合计` row, `— | 本月未发现扣分问题 | 0`): the dates are no unit, the 合计 restates
    the rows above, the zero row takes nothing off; each problem is the sheet's township's."""
    summary: list[list[Any]] = [["乡镇", "扣分", "得分", "排名"], ["甲镇", 2.5, 97.5, 2], ["乙乡", 0, 100, 1]]
    detail: list[list[Any]] = [
        ["甲镇扣分明细", None, None],
        ["检查日期", "问题描述", "扣分"],
        [Num(45748, 2), "饮用水源地警示牌缺失", 1],
        [Num(45762, 2), "污水管网破损未及时修复", 1.5],
        ["合计", None, Fx("SUM(C3:C4)", 2.5)],
    ]
    empty: list[list[Any]] = [
        ["乙乡扣分明细", None, None],
        ["检查日期", "问题描述", "扣分"],
        ["—", "本月未发现扣分问题", 0],
        ["合计", None, Fx("SUM(C3:C3)", 0)],
    ]
    ex = parsed_xlsx([Sheet("汇总", summary), Sheet("甲镇", detail), Sheet("乙乡", empty)])
    assert scores(ex) == [("甲镇", 2, Decimal("97.5")), ("乙乡", 1, Decimal("100"))]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "饮用水源地警示牌缺失"),
        ("甲镇", [], "deduction", Decimal("1.5"), "污水管网破损未及时修复"),
    ]


def test_a_units_own_table_closed_by_its_total_gives_no_total_entry() -> None:
    """q08 as text: `一、甲镇` over `序号 | 问题描述 | 扣分` ending `合计 | | 2.5` read the 合计 as a
    deduction of 2.5 named 合计 (counting the unit's points twice); it restates the rows above."""
    page = (
        "甲县环境考核扣分情况\n\n一、甲镇\n\n| 序号 | 问题描述 | 扣分 |\n|---|---|---|\n"
        "| 1 | 警示牌缺失 | 1 |\n| 2 | 管网破损未修复 | 1.5 |\n| 合计 |  | 2.5 |\n\n"
        "二、乙镇\n\n| 序号 | 问题描述 | 扣分 |\n|---|---|---|\n| 1 | 粪污直排 | 2 |\n| 合计 |  | 2 |\n"
    )
    ex = parse_document(page.encode(), "page.md")
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "警示牌缺失"),
        ("甲镇", [], "deduction", Decimal("1.5"), "管网破损未修复"),
        ("乙镇", [], "deduction", Decimal("2"), "粪污直排"),
    ]


def nested(rows: list[list[str]]) -> Cell:
    return Cell([table(rows, widths=[3000, 900])])


def test_small_tables_nested_in_a_column_are_spread_into_its_rows() -> None:
    """q05: each unit's problems as a `事项 | 扣分` table inside its cell, then 合计扣分, 得分, 排名. Flattened
    (`事项 扣分 未办结 1 回访不足 0.5`) no amount was the problem's; spread, each is an entry."""
    rows: list[list[Any]] = [["单位", "扣分事项", "合计扣分", "得分", "排名"]]
    rows.append(
        [
            "甲局",
            nested([["事项", "扣分"], ["信访件未按时办结", "1"], ["回访不足", "0.5"]]),
            "1.5",
            "98.5",
            "1",
        ]
    )
    rows.append(["乙局", nested([["事项", "扣分"], ["重复信访化解不力", "2"]]), "2", "98", "2"])
    ex = parsed_docx([para("考核结果如下（满分100分）："), table(rows)])
    assert scores(ex) == [("甲局", 1, Decimal("98.5")), ("乙局", 2, Decimal("98"))]
    assert entries(ex) == [
        ("甲局", [], "deduction", Decimal("1"), "信访件未按时办结"),
        ("甲局", [], "deduction", Decimal("0.5"), "回访不足"),
        ("乙局", [], "deduction", Decimal("2"), "重复信访化解不力"),
    ]


def test_nested_tables_under_different_headers_stay_flattened() -> None:
    """The near miss: nested tables that do not share a header row are layout, read as their text as
    before; no number of theirs becomes an amount."""
    from parsers.readers.docx import read_docx

    rows: list[list[Any]] = [["单位", "情况", "得分"]]
    rows.append(["甲局", nested([["检查次数", "3"], ["发现问题", "2"]]), "98"])
    rows.append(["乙局", nested([["事项", "扣分"], ["回访不足", "1"]]), "99"])
    lines = read_docx(docx_bytes([*HEAD, table(rows)]), "page.docx").lines
    assert [line.cells for line in lines if line.cells] == [
        ("单位", "情况", "得分"),
        ("甲局", "检查次数 3 发现问题 2", "98"),
        ("乙局", "事项 扣分 回访不足 1", "99"),
    ]


def test_the_total_row_of_a_deduction_table_is_no_unit() -> None:
    """q14: `乡镇 | 扣分事项 | 扣分` closed by `合计 | | 3.5` (a SUM field's cached result) read 合计 as a
    unit with a deduction of 3.5 and no score; the row sums the table."""
    rows: list[list[Any]] = [
        ["乡镇", "扣分事项", "扣分"],
        ["甲镇", "占道经营", "1"],
        ["乙镇", "公厕保洁不及时", "2.5"],
    ]
    total = '<w:p><w:fldSimple w:instr=" =SUM(ABOVE) "><w:r><w:t>3.5</w:t></w:r></w:fldSimple></w:p>'
    rows.append(["合计", "", Cell([total])])
    ex = parsed_docx([para("扣分情况如下："), table(rows)])
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "占道经营"),
        ("乙镇", [], "deduction", Decimal("2.5"), "公厕保洁不及时"),
    ]


def test_list_numbers_inside_a_cell_are_read_and_end_the_entries() -> None:
    """q16: a unit's problems as a numbered list inside its cell (`1.` `2.` only in numbering.xml,
    restarting in each cell), with no comma before the amount (`…未建立扣1分`): the numbers are
    read as in the body, and each starts an entry."""
    rows: list[list[Any]] = [["乡镇", "存在问题", "得分", "排名"]]
    rows.append(["甲镇", Cell([para("预警广播故障未修复扣1分", num=(1, 0))]), "99", "1"])
    two = [para("物资台账未建立扣1分", num=(2, 0)), para("值班人员脱岗扣0.5分", num=(2, 0))]
    rows.append(["乙镇", Cell(two), "98.5", "2"])
    numbering = Numbering({1: [Level("decimal", "%1.")]}, [(1, 1, 1), (2, 1, 1)])
    body = [*HEAD, para("检查考评结果如下（基础分100分）："), table(rows)]
    ex = parse_document(docx_bytes(body, numbering=numbering), "page.docx")
    assert scores(ex) == [("甲镇", 1, Decimal("99")), ("乙镇", 2, Decimal("98.5"))]
    assert entries(ex) == [
        ("甲镇", [], "deduction", Decimal("1"), "预警广播故障未修复"),
        ("乙镇", [], "deduction", Decimal("1"), "物资台账未建立"),
        ("乙镇", [], "deduction", Decimal("0.5"), "值班人员脱岗"),
    ]


def test_two_groups_side_by_side_on_a_sheet_are_two_groups_of_rows() -> None:
    """q15: `城区组 | | | | 乡镇组 | | |` over `单位 | 得分 | 排名 | | 单位 | 得分 | 排名`, an empty column
    between the halves: each half is a group ranked on its own (read with the empty column, the
    halves did not match and no row was read)."""
    rows: list[list[Any]] = [
        ["城区组", None, None, None, "乡镇组", None, None],
        ["单位", "得分", "排名", None, "单位", "得分", "排名"],
        ["东城街道", 95.5, Fx("RANK(B3,$B$3:$B$4)", 2), None, "枣林镇", 91.5, Fx("RANK(F3,$F$3:$F$4)", 2)],
        ["西城街道", 97, Fx("RANK(B4,$B$3:$B$4)", 1), None, "杏园乡", 94, Fx("RANK(F4,$F$3:$F$4)", 1)],
    ]
    ex = parsed_xlsx([Sheet("测评结果", rows, merges=["A1:C1", "E1:G1"])])
    assert [(r.unit_raw, r.group, r.rank, r.score) for r in ex.scores] == [
        ("东城街道", "城区组", 2, Decimal("95.5")),
        ("西城街道", "城区组", 1, Decimal("97")),
        ("枣林镇", "乡镇组", 2, Decimal("91.5")),
        ("杏园乡", "乡镇组", 1, Decimal("94")),
    ]


def test_halves_apart_by_an_empty_column_keep_each_units_own_score() -> None:
    """The same halves as text without group names: the right half's units took the left half's
    scores (`枣林镇 95.5`) when the empty column was kept; each unit keeps its own."""
    page = (
        "测评结果\n\n| 单位 | 得分 | 排名 |  | 单位 | 得分 | 排名 |\n|---|---|---|---|---|---|---|\n"
        "| 东城街道 | 95.5 | 2 |  | 枣林镇 | 91.5 | 2 |\n| 西城街道 | 97 | 1 |  | 杏园乡 | 94 | 1 |\n"
    )
    ex = parse_document(page.encode(), "page.md")
    assert scores(ex) == [
        ("东城街道", 2, Decimal("95.5")),
        ("西城街道", 1, Decimal("97")),
        ("枣林镇", 2, Decimal("91.5")),
        ("杏园乡", 1, Decimal("94")),
    ]


def test_a_sheet_written_with_a_namespace_prefix_is_read_as_it_shows() -> None:
    """Generators that write `<x:worksheet>…<x:row hidden="1">…<x:c s="1">` (a namespace prefix) get the
    same view: the hidden row left out, the number rounded as its format shows it."""
    import io
    import re
    import zipfile

    rows: list[list[Any]] = [["单位", "得分"], ["甲区", Num(94.0622, 1)], ["乙区（不参评）", 71.5]]
    plain = zipfile.ZipFile(io.BytesIO(xlsx_bytes([Sheet("S", rows, hidden_rows=[2])])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in plain.namelist():
            data = plain.read(name)
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb"<(/?)(worksheet|sheetData|row|c|v|is|t)\b", rb"<\1x:\2", data)
                data = data.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")
            z.writestr(name, data)
    lines = read_spreadsheet(out.getvalue(), "book.xlsx").lines
    assert [line.text for line in lines] == ["| 单位 | 得分 |", "| 甲区 | 94.06 |"]


def test_places_under_a_lead_in_line_keep_the_place_out_of_the_first_name() -> None:
    """Probed beside q11 (names spaced with full-width spaces): `考评结果如下：` over `第一名　甲镇　96.5分`
    read the first line as a scored list and named its unit `第一名甲镇` (no rank) while the lines
    below read right; each line is a place, its unit and its score."""
    lines = ["第一名　甲镇　96.5分", "第二名　乙乡　95分", "第三名　丙镇　94分"]
    ex = parsed_docx([para("考评结果如下："), *[para(line) for line in lines]])
    assert scores(ex) == [
        ("甲镇", 1, Decimal("96.5")),
        ("乙乡", 2, Decimal("95")),
        ("丙镇", 3, Decimal("94")),
    ]


def test_hidden_text_in_a_score_cell_is_not_read() -> None:
    """Probed beside q06: a run formatted as hidden text (w:vanish: an old `97` left hidden before the
    shown `98`) was read into the score as 9798; hidden text is neither shown nor printed."""
    hidden = "<w:r><w:rPr><w:vanish/></w:rPr><w:t>97</w:t></w:r>"
    shown = '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>95</w:t></w:r>'
    rows = [
        ["排名", "乡镇", "得分"],
        ["1", "甲镇", Cell([para(hidden, run("98"))])],
        ["2", "乙乡", Cell([para(shown)])],
    ]
    ex = parsed_docx([para("考评结果如下："), table(rows)])
    assert scores(ex) == [("甲镇", 1, Decimal("98")), ("乙乡", 2, Decimal("95"))]


def test_a_hidden_sheet_is_not_read() -> None:
    """Probed beside q08: a hidden `上期` sheet (last period's ranks, kept as a helper) gave each unit a
    second row with last period's rank; a hidden sheet is not shown, so not read."""
    import io
    import zipfile

    rows: list[list[Any]] = [["单位", "得分", "排名"], ["甲镇", 98, 1], ["乙乡", 96, 2]]
    old: list[list[Any]] = [["单位", "上期得分", "排名"], ["甲镇", 91, 2], ["乙乡", 93, 1]]
    book = zipfile.ZipFile(io.BytesIO(xlsx_bytes([Sheet("本期", rows), Sheet("上期", old)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in book.namelist():
            data = book.read(name)
            if name == "xl/workbook.xml":
                data = data.replace(b'sheetId="2"', b'sheetId="2" state="hidden"')
            z.writestr(name, data)
    ex = parse_document(out.getvalue(), "book.xlsx")
    assert scores(ex) == [("甲镇", 1, Decimal("98")), ("乙乡", 2, Decimal("96"))]
