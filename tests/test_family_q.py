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
from tests.family_pages import entries, scores

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from q_ooxml import Cell, Fx, Num, Sheet, para, run, table
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
