"""The table layer on hand-built lines, no reader: roles, placement, passes, damaged rows."""

from __future__ import annotations

from decimal import Decimal

from parsers.model import Line
from parsers.normalize import cells_to_text
from parsers.tables import extract_tables, place_unruled_rows, restore_table_rows
from parsers.tables.placement import cell_fits, place_short_row, placements_by_position
from parsers.tables.roles import cell_role, header_roles, table_kind


def row(line_no: int, *cells: str, page: int | None = None) -> Line:
    return Line(cells_to_text(cells), line_no, page=page, cells=tuple(cells))


def text(line_no: int, value: str, page: int | None = None) -> Line:
    return Line(value, line_no, page=page)


# ---------------------------------------------------------------- roles


def test_header_roles_name_each_column_and_need_a_unit_and_a_value() -> None:
    assert header_roles(("名次", "乡镇（街道）", "考评得分", "等次")) == ["rank", "unit", "score", "grade"]
    assert header_roles(("单位", "存在问题", "扣分")) == ["unit", "reason", "points"]
    assert header_roles(("序号", "单位", "备注")) is None  # no value column: not a results table
    assert header_roles(("1", "甲镇", "95.5")) is None  # a data row


def test_weighted_parts_and_table_kind() -> None:
    roles = header_roles(("县区", "日常考核(占40%)", "年终考核(占60%)", "总分"))
    assert roles == ["unit", "part", "part", "score"]
    assert table_kind(roles) == "score"
    assert table_kind(["unit", "reason", "points"]) == "deduction"
    # A reason and an amount column make a deduction table even beside a score (fresh-F f06).
    assert table_kind(["unit", "reason", "points", "score"]) == "deduction"
    assert cell_role("得分（满分100分）") == "score"


# ---------------------------------------------------------------- placement


def test_cell_fits_by_role() -> None:
    assert cell_fits("第一名", "rank", 10) and not cell_fits("甲镇", "rank", 10)
    assert cell_fits("95.5", "score", 10) and not cell_fits("甲镇", "score", 10)
    assert cell_fits("甲镇", "unit", 10) and not cell_fits("单位", "unit", 10)  # a header word


def test_short_row_blank_cells_go_only_to_columns_that_may_be_blank() -> None:
    roles: list[str | None] = ["rank", "unit", "points", "score"]
    # A score table's 扣分 may be blank for a unit with none.
    assert place_short_row(("1", "甲镇", "100"), roles) == ("1", "甲镇", "", "100")
    # The score itself may not.
    assert place_short_row(("1", "甲镇"), ["rank", "unit", "score", "remark"]) is None
    # A deduction table's unit is carried down from the row above.
    assert place_short_row(("垃圾乱堆", "2"), ["unit", "reason", "points"], unit_carried=True) == (
        "",
        "垃圾乱堆",
        "2",
    )


def test_placements_by_position_rank_nearest_first() -> None:
    header = [(0, 10), (20, 40), (60, 70), (80, 90)]
    cells = [(1, 9), (22, 38), (81, 89)]
    assert placements_by_position(cells, header)[0] == (0, 1, 3)


def test_unruled_rows_placed_by_their_cell_spans() -> None:
    spans4 = ((0.0, 20.0), (40.0, 80.0), (100.0, 120.0), (140.0, 160.0))
    lines = [
        Line("名次    乡镇    扣分    得分", 1, page=1, cell_spans=spans4),
        Line("1    西湖镇    100", 2, page=1, cell_spans=((5.0, 12.0), (45.0, 75.0), (141.0, 160.0))),
        Line("2    东湖镇    1.5    98.5", 3, page=1, cell_spans=spans4),
    ]
    placed = place_unruled_rows(lines)
    assert placed[1].cells == ("1", "西湖镇", "", "100")
    assert placed[1].wrapped is False
    assert placed[2].cells is None  # a full row stays text for the normaliser
    # A run of such lines is a table only on one page: the next page's rows have no header there.
    moved = [lines[0], lines[1].__class__("1    西湖镇    100", 2, page=2, cell_spans=lines[1].cell_spans)]
    assert place_unruled_rows(moved)[1].cells is None


# ---------------------------------------------------------------- passes


def test_score_table_continues_across_a_page_break_with_the_header_repeated() -> None:
    lines = [
        row(1, "名次", "单位", "得分", page=1),
        row(2, "1", "甲镇", "96.5", page=1),
        row(3, "2", "乙镇", "95", page=1),
        text(4, "— 1 —", page=1),
        row(5, "名次", "单位", "得分", page=2),
        row(6, "3", "丙镇", "93.25", page=2),
    ]
    tables = extract_tables(lines)
    assert [(r.unit_raw, r.rank, r.score) for r in tables.scores] == [
        ("甲镇", 1, Decimal("96.5")),
        ("乙镇", 2, Decimal("95")),
        ("丙镇", 3, Decimal("93.25")),
    ]
    assert {1, 2, 3, 5, 6} <= tables.table_lines


def test_headerless_block_after_a_page_break_runs_on_the_table_above() -> None:
    lines = [
        row(1, "名次", "单位", "得分"),
        row(2, "1", "甲镇", "96.5"),
        text(3, "第1页"),
        row(4, "2", "乙镇", "95"),
    ]
    assert [r.unit_raw for r in extract_tables(lines).scores] == ["甲镇", "乙镇"]


def test_two_row_header_names_columns_under_a_merged_cell() -> None:
    lines = [
        row(1, "名次", "乡镇", "考核结果", ""),
        row(2, "", "", "得分", "扣分"),
        row(3, "1", "甲镇", "98", "2"),
    ]
    tables = extract_tables(lines)
    assert [(r.unit_raw, r.score) for r in tables.scores] == [("甲镇", Decimal("98"))]
    assert tables.deductions == []  # 扣分 beside a score is not a list of deductions


def test_deduction_table_carries_its_unit_down_and_joins_a_row_broken_by_a_page() -> None:
    lines = [
        row(1, "单位", "存在问题", "扣分"),
        row(2, "甲镇", "垃圾清运不及时", "1"),
        row(3, "", "河道漂浮物未清理", "0.5"),
        row(4, "", "，已责令整改", ""),
    ]
    deductions = extract_tables(lines).deductions
    assert [(d.unit_raw, d.text, d.points_text) for d in deductions] == [
        ("甲镇", "垃圾清运不及时", "1"),
        ("甲镇", "河道漂浮物未清理，已责令整改", "0.5"),
    ]


def test_seq_is_a_rank_only_in_score_order_under_a_lead_in_that_says_so() -> None:
    lead_in = text(1, "各镇得分按从高到低排列如下：")
    ordered = [row(2, "序号", "单位", "得分"), row(3, "1", "甲镇", "99"), row(4, "2", "乙镇", "97")]
    assert [r.rank for r in extract_tables([lead_in, *ordered]).scores] == [1, 2]
    # The same rows under a lead-in that calls them no ranking: 序号 numbers rows (gold w31).
    plain = text(1, "二、考核结果")
    assert [r.rank for r in extract_tables([plain, *ordered]).scores] == [None, None]
    by_code = [row(2, "序号", "单位", "得分"), row(3, "1", "甲镇", "90"), row(4, "2", "乙镇", "97")]
    assert [r.rank for r in extract_tables([lead_in, *by_code]).scores] == [None, None]
    # A tie numbered 2 and 3 is two rows, not two places (gold w25).
    tied = [*ordered, row(5, "3", "丙镇", "97")]
    assert [r.rank for r in extract_tables([lead_in, *tied]).scores] == [None, None, None]


# ---------------------------------------------------------------- damaged tables


def test_glued_cells_are_split_under_a_glued_header() -> None:
    lines = [text(1, "名次镇（街道）得分"), text(2, "1唐闸镇94.17"), text(3, "2天生港镇93.5")]
    restored = restore_table_rows(lines)
    assert [line.cells for line in restored] == [
        ("名次", "镇（街道）", "得分"),
        ("1", "唐闸镇", "94.17"),
        ("2", "天生港镇", "93.5"),
    ]


def test_cells_printed_one_per_line_become_rows() -> None:
    values = ["排名", "县区", "得分", "1", "甲县", "96.5", "2", "乙县", "95"]
    restored = restore_table_rows([text(k + 1, v) for k, v in enumerate(values)])
    assert [line.cells for line in restored] == [
        ("排名", "县区", "得分"),
        ("1", "甲县", "96.5"),
        ("2", "乙县", "95"),
    ]
    assert [(r.unit_raw, r.rank) for r in extract_tables(restored).scores] == [("甲县", 1), ("乙县", 2)]


def test_a_volume_column_and_rates_with_percent_signs_are_figures() -> None:
    # y13: `信访总量（件次）` counts cases, `及时受理率` cells print `98.4%`; neither is points, and the
    # table flattened one cell per line is still read for its scores and ranks.
    from parsers.document import parse_document

    assert cell_role("信访总量（件次）") == "count"
    assert cell_fits("98.4%", "rate", 5) and not cell_fits("98.4%", "count", 5)
    cells = ["单位", "信访总量（件次）", "及时受理率", "考核得分", "排名"]
    cells += ["城关镇", "126", "100%", "97.85", "1", "马坊镇", "88", "97.7%", "96.90", "2"]
    text = "关于信访工作考核结果的通报\n\n结果如下：\n\n" + "\n".join(f"{c} |" for c in cells) + "\n"
    ex = parse_document(text.encode(), "t.txt")
    assert [(r.unit_raw, r.rank, str(r.score)) for r in ex.scores] == [
        ("城关镇", 1, "97.85"),
        ("马坊镇", 2, "96.90"),
    ]
    assert ex.entries == []


def test_a_spaced_table_skips_the_whole_areas_row() -> None:
    # y06: `全市平均 …` with its rank cell blank sits above the units' rows; it is no unit.
    from parsers.document import parse_document

    text = (
        "关于营商环境评价结果的通报\n\n结果如下：\n\n县区 甲指数（70%） 乙指数（30%） 综合指数 综合排名\n"
        "全市平均 61.76 18.88 80.64\n临江县 59.97 26 85.97 1\n桂西县 61.95 22 83.95 2\n"
    )
    ex = parse_document(text.encode(), "t.txt")
    assert [(r.unit_raw, r.rank, str(r.score)) for r in ex.scores] == [
        ("临江县", 1, "85.97"),
        ("桂西县", 2, "83.95"),
    ]


def test_the_rule_a_deduction_cites_is_no_reason() -> None:
    # y10 `街道 | 发现问题 | 扣分依据 | 扣分`: the problem is the reason, the clause cited is free text.
    assert cell_role("扣分依据") == "remark" and cell_role("发现问题") == "reason"


# ---------------------------------------------------------------- a plain 扣分 column and the base


def _plain_deduction_column() -> list[Line]:
    return [
        row(1, "乡镇", "发现问题（个）", "扣分", "得分"),
        row(2, "松林镇", "3", "2.5", "97.5"),
        row(3, "杉坪镇", "5", "4", "95"),
        row(4, "柏树乡", "0", "0", "100"),
    ]


def test_a_plain_deduction_column_is_a_units_sum_where_the_base_is_stated() -> None:
    # gold k10: `每个乡镇基础分100分` over `乡镇 | 发现问题（个） | 扣分 | 得分`: the score is the base
    # minus the column, so each amount is the unit's deductions summed (a row where none are
    # itemised); the problem count beside it is never one, nor is a 0.
    found = extract_tables(_plain_deduction_column(), base_stated=True).deductions
    assert [(d.unit_raw, d.points_text, d.summary) for d in found] == [
        ("松林镇", "2.5", True),
        ("杉坪镇", "4", True),
    ]


def test_a_plain_deduction_column_stays_a_figure_without_a_stated_base() -> None:
    # gold v10: the same shape under `每发现一处问题扣0.5分` and no base: no deduction rows.
    assert extract_tables(_plain_deduction_column()).deductions == []


def test_a_blank_cell_names_no_column_when_glued_cells_are_asked() -> None:
    # aa08: a flattened table's blank cells (` |`) reached the glued-header check as empty keys.
    from parsers.tables.roles import glued_cell_role

    assert glued_cell_role("") is None and glued_cell_role(" ") is None
    assert glued_cell_role("得分") == "score"
