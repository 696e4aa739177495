"""Parts' maxima stated in the text, not the score table's header (k12's shape): the table layer on
hand-built lines, and the sum check they make possible on a small invented circular."""

from __future__ import annotations

from decimal import Decimal

from parsers.document import parse_document
from parsers.model import Line
from parsers.normalize import cells_to_text
from parsers.tables import extract_tables
from parsers.tables.stated_parts import stated_part_maxima, with_stated_part_maxima
from pipeline.reconcile import reconcile

MADE_OF = "考核实行千分制，由基础工作（300分）、业务工作（500分）、服务工作（200分）三部分组成。"


def row(line_no: int, *cells: str) -> Line:
    return Line(cells_to_text(cells), line_no, cells=cells)


def test_a_sentence_listing_the_parts_with_their_maxima_gives_each_maximum() -> None:
    assert stated_part_maxima([Line(MADE_OF, 1)]) == {
        "基础工作": Decimal(300),
        "业务工作": Decimal(500),
        "服务工作": Decimal(200),
    }
    assert stated_part_maxima([Line("包括日常考核（40分）和年终考核（60分）两个方面构成。", 1)]) == {
        "日常考核": Decimal(40),
        "年终考核": Decimal(60),
    }
    # Maxima named in passing, not as what the assessment is made of, and a single part: nothing.
    assert stated_part_maxima([Line("其中基础工作（300分）、业务工作（500分）扣分较多。", 1)]) == {}
    assert stated_part_maxima([Line("由基础工作（300分）组成。", 1)]) == {}


def test_a_header_naming_every_stated_part_reads_them_as_parts_with_maxima() -> None:
    lines = [
        Line(MADE_OF, 1),
        row(2, "单位", "基础工作", "业务工作", "服务工作", "合计", "名次"),
        row(3, "甲镇", "290", "480", "190", "960", "1"),
        row(4, "乙镇", "280", "470", "180", "930", "2"),
    ]
    header = with_stated_part_maxima(lines)[1]
    assert header.cells == (
        "单位",
        "基础工作（300分）",
        "业务工作（500分）",
        "服务工作（200分）",
        "合计",
        "名次",
    )
    assert header.raw_text == lines[1].text
    first = extract_tables(lines).scores[0]
    assert first.part_maxima == [Decimal(300), Decimal(500), Decimal(200)]
    assert [value for _, _, value in first.parts] == [Decimal(290), Decimal(480), Decimal(190)]
    # A header naming only some of the stated parts is left as it is.
    partial = [Line(MADE_OF, 1), row(2, "单位", "基础工作", "业务工作", "合计")]
    assert with_stated_part_maxima(partial)[1].cells == ("单位", "基础工作", "业务工作", "合计")


def test_a_total_that_is_not_its_parts_sum_is_flagged() -> None:
    body = (
        "关于2024年度乡镇统计工作考核结果的通报\n\n各乡镇：\n\n"
        + MADE_OF
        + "结果如下：\n\n"
        + "| 乡镇 | 基础工作 | 业务工作 | 服务工作 | 合计 | 名次 |\n"
        + "| 甲镇 | 290 | 480 | 190 | 960 | 1 |\n"
        + "| 乙镇 | 280 | 470 | 180 | 930 | 2 |\n"
        + "| 丙镇 | 270 | 460 | 170 | 910 | 3 |\n\n"
        + "某县统计局\n2025年1月10日\n"
    )
    ex = parse_document(body.encode("utf-8"), "parts.md")
    found = [(f.unit, f.check) for f in reconcile(ex, "doc")[1]]
    assert found == [("丙镇", "score_mismatch")]  # 270 + 460 + 170 = 900, not 910
