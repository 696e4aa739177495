"""Table shapes the r/w gold sets found unread (issue 9 items 1-2), each on a small circular of its own.

Every circular here is invented; each test states the general shape, not the gold document
it was found in.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.document import Extraction, parse_document
from parsers.model import Line
from parsers.normalize import cells_to_text, normalize_lines
from parsers.tables import extract_tables, restore_table_rows
from parsers.tables.placement import cell_fits

D = Decimal


def parse_text(body: str, name: str = "circular.txt") -> Extraction:
    return parse_document(body.encode("utf-8"), name)


def scores(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def deductions(ex: Extraction) -> list[tuple[str, str, Decimal]]:
    return [(item.unit, item.entry.reason, item.entry.points) for item in ex.entries]


def flat(*cells: str) -> str:
    """Cells printed one per line with a blank line between them, as a web editor flattens a table."""
    return "\n\n".join(cells)


HEAD = "关于第二季度村庄清洁考评情况的通报\n\n各村：\n\n现将考评情况通报如下：\n\n"
TAIL = "\n\n请各村抓好整改。\n\n青竹镇人民政府办公室\n2024年7月5日\n"


def test_a_bottom_list_ranks_by_ordinal_words_beyond_its_own_rows() -> None:
    # A 黑榜 prints only the last places of a longer ranking: `第九名` under two rows is a rank, as
    # an ordinal word can never be a score; a bare `9` there could be, and is not taken for one.
    body = HEAD + flat("名次", "村别", "成绩", "第九名", "竹溪村", "72.5", "第十名", "梅岭村", "70") + TAIL
    assert scores(parse_text(body)) == [("竹溪村", 9, D("72.5")), ("梅岭村", 10, D("70"))]
    assert cell_fits("第十一名", "rank", 2)
    assert not cell_fits("11", "rank", 2)


def test_a_transposed_table_in_single_spaced_text_rows() -> None:
    # Units across, one row per header word, cells apart by single spaces; the rows carry no
    # punctuation, so the joiner runs them into one line before the table layer sees them.
    body = (
        HEAD + "项目 上坪村 下坪村 石桥村\n日常检查（40分） 36.5 38 35\n集中评比（60分） 55 52.5 57\n"
        "总分 91.5 90.5 92\n名次 2 3 1" + TAIL
    )
    ex = parse_text(body)
    assert sorted(scores(ex)) == [("上坪村", 2, D("91.5")), ("下坪村", 3, D("90.5")), ("石桥村", 1, D("92"))]
    assert ex.scores[0].parts == [("日常检查", None, D("36.5")), ("集中评比", None, D("55"))]
    assert ex.entries == []
    # The closing sentence after the rows stays a line of its own.
    assert any(line.text == "请各村抓好整改。" for line in ex.lines)


def test_a_transposed_table_whose_corner_names_the_unit_column() -> None:
    # `乡镇 | 甲镇 | 乙镇`: the corner cell says what the units are, as a label would.
    lines = [
        Line(cells_to_text(c), n, cells=c)
        for n, c in enumerate(
            [("乡镇", "云台镇", "白马乡", "长岭镇"), ("得分", "94", "91.5", "88"), ("排名", "1", "2", "3")], 1
        )
    ]
    tables = extract_tables(restore_table_rows(lines))
    assert [(r.unit_raw, r.rank, r.score) for r in tables.scores] == [
        ("云台镇", 1, D("94")),
        ("白马乡", 2, D("91.5")),
        ("长岭镇", 3, D("88")),
    ]


def test_a_unit_named_by_its_kind_is_read_in_a_flattened_row() -> None:
    # A county lists its 开发区 beside its 街道: in a data row the word is a unit, not a header cell.
    body = HEAD + flat("序号", "单位", "得分", "1", "东城街道", "96", "2", "开发区", "94.5") + TAIL
    assert scores(parse_text(body)) == [("东城街道", None, D("96")), ("开发区", None, D("94.5"))]


SIGNED = (
    "关于10月份市容考评情况的通报\n\n各乡镇：\n\n现将10月份市容考评情况通报如下：\n\n"
    "| 乡镇 | 扣分值 | 得分 |\n|---|---|---|\n| 上河镇 | -3 | 97 |\n| 下河乡 | 0 | 100 |\n| 中洲镇 | -1.5 | 98.5 |\n"
)


def test_a_signed_deduction_column_is_the_units_deductions_when_nothing_is_itemised() -> None:
    # `扣分值` printed as `-3` beside the score, no deduction listed anywhere else: the column is
    # each unit's deduction, the header its reason; a 0 is no deduction.
    ex = parse_text(SIGNED + TAIL)
    assert deductions(ex) == [("上河镇", "扣分值", D("3")), ("中洲镇", "扣分值", D("1.5"))]


def test_a_signed_deduction_column_beside_itemised_deductions_is_their_sum() -> None:
    # The same column with the deductions itemised below: the column sums them, no rows of its own.
    itemised = (
        SIGNED
        + "\n存在问题：\n\n上河镇：主街店外经营2处，扣2分；垃圾桶满溢未清运，扣1分。\n\n中洲镇：广告牌破损，扣1.5分。"
    )
    ex = parse_text(itemised + TAIL)
    assert sorted(deductions(ex)) == [
        ("上河镇", "主街店外经营2处", D("2")),
        ("上河镇", "垃圾桶满溢未清运", D("1")),
        ("中洲镇", "广告牌破损", D("1.5")),
    ]


def test_an_unsigned_deduction_column_beside_a_score_stays_a_figure() -> None:
    # `扣分 | 2.5` without a sign, a header that names no way of finding, no base in the header:
    # the figure may sum deductions printed elsewhere, so it is no row (no number without structure).
    body = SIGNED.replace("扣分值", "扣分").replace("-3", "3").replace("-1.5", "1.5")
    assert parse_text(body + TAIL).entries == []


def test_a_caption_without_a_full_stop_does_not_run_into_cells_or_a_units_heading() -> None:
    # An attachment prints its caption, then a table one cell per line ending in ` |`, then a
    # caption over the units' lists `甲县：`. Neither caption is wrapped prose: no cell and no
    # unit heading is joined onto it, so the table is read and the first unit keeps its entries.
    body = (
        "关于上半年各县河湖管护考核情况的通报\n\n各县：\n\n考核结果见附件。\n\n附件\n\n"
        "2024年上半年各县河湖管护工作考核得分情况\n\n"
        "县 |\n得分 |\n名次 |\n石泉县 |\n98.5 |\n1 |\n松溪县 |\n97 |\n2 |\n\n"
        "2024年上半年各县河湖管护工作考核扣分情况\n石泉县：\n1.河道保洁不到位，扣1.5分。\n\n"
        "松溪县：\n1.巡河记录不全，扣1分。\n2.采砂监管台账缺失，扣2分。\n"
    )
    ex = parse_text(body)
    assert scores(ex) == [("石泉县", 1, D("98.5")), ("松溪县", 2, D("97"))]
    assert deductions(ex) == [
        ("石泉县", "河道保洁不到位", D("1.5")),
        ("松溪县", "巡河记录不全", D("1")),
        ("松溪县", "采砂监管台账缺失", D("2")),
    ]


def test_letter_grades_stand_in_a_grade_column() -> None:
    # Food-safety ratings print grades as letters (`A级`, `B级`): a grade cell, so the flattened
    # table is read under its header, its free-text column blank on the last row.
    body = HEAD + flat("学校名称", "检查得分", "等级", "主要问题", "一中食堂", "92", "A级", "留样记录不全。")
    body += "\n\n" + flat("二小食堂", "81", "B级", " ") + TAIL
    ex = parse_text(body)
    assert [(r.unit_raw, r.score, r.grade) for r in ex.scores] == [
        ("一中食堂", D("92"), "A级"),
        ("二小食堂", D("81"), "B级"),
    ]
    assert cell_fits("AAA级", "grade", 1) and not cell_fits("92", "grade", 1)


def test_a_units_heading_still_ends_a_line_that_stops_mid_clause() -> None:
    # Addressees wrapped after a comma run on into the next line even when it ends in an office
    # and a colon; the unit-heading rule applies only after a line that ended its clause.
    lines = [Line("各乡镇人民政府，县直各单位，", 1), Line("县开发区管委会：", 2)]
    assert [line.text for line in normalize_lines(lines)] == ["各乡镇人民政府，县直各单位，县开发区管委会："]


def test_a_word_spanning_parts_does_not_prefix_their_own_names() -> None:
    # `考核得分` merged over `日常督查（占40%）| 季度考核（占60%）`: each part keeps its own name; a
    # weight alone below a word (`系统考核` over `（占40%）`) still completes the word above.
    def rows(upper: tuple[str, ...], lower: tuple[str, ...]) -> list[Line]:
        return [
            Line(cells_to_text(upper), 1, cells=upper),
            Line(cells_to_text(lower), 2, cells=lower),
            Line(cells_to_text(data := ("甲镇", "95", "96", "95.6")), 3, cells=data),
        ]

    spanned = rows(("单位", "考核得分", "", "总分"), ("", "日常督查（占40%）", "季度考核（占60%）", ""))
    assert [name for name, _, _ in extract_tables(spanned).scores[0].parts] == ["日常督查", "季度考核"]
    weights = rows(("单位", "日常督查", "季度考核", "总分"), ("", "（占40%）", "（占60%）", ""))
    assert [(n, w) for n, w, _ in extract_tables(weights).scores[0].parts] == [
        ("日常督查", D("0.4")),
        ("季度考核", D("0.6")),
    ]


def page(cells: list[str]) -> bytes:
    """A web page whose table was flattened one <p> per cell, blank cells as given."""
    paragraphs = "".join(f"<p>{cell}</p>\n" for cell in cells)
    return (
        "<html><head><meta charset='utf-8'><title>通报</title></head><body><div class='article'>"
        "<h1>关于8月份安全生产明查暗访情况的通报</h1><p>各乡镇：</p><p>现将明查暗访情况通报如下：</p>\n"
        f"{paragraphs}<p>请各乡镇抓好整改。</p><p>石城县安全生产委员会办公室</p><p>2024年9月2日</p>"
        "</div></body></html>"
    ).encode()


CELLS = [
    "乡镇",
    "明查扣分",
    "暗访扣分",
    "得分",
    "上坪镇",
    "{blank}",
    "-2",
    "98",
    "下坪乡",
    "-1",
    "-1.5",
    "97.5",
]


def test_a_blank_cell_printed_as_nbsp_keeps_its_place_in_a_page() -> None:
    # `<p>&nbsp;</p>` is the editor's empty cell: its place tells `-2` under 暗访扣分 from 明查扣分.
    ex = parse_document(page([c.replace("{blank}", "&nbsp;") for c in CELLS]), "page.html")
    assert deductions(ex) == [
        ("上坪镇", "暗访扣分", D("2")),
        ("下坪乡", "明查扣分", D("1")),
        ("下坪乡", "暗访扣分", D("1.5")),
    ]


def test_a_blank_cell_dropped_by_the_page_leaves_the_table_unread() -> None:
    # With the empty paragraph gone (`<p></p>`, nothing in it), `-2` may stand under either column:
    # no rows, one unread block (no number without structure).
    ex = parse_document(page([c.replace("{blank}", "") for c in CELLS]), "page.html")
    assert ex.entries == [] and ex.scores == []
    assert [block.kind for block in ex.unread] == ["table"]
