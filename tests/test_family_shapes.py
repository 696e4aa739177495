"""Shapes of the `x` gold set (tests/fixtures/gold/README), one case per rule they led to.

Each text is invented, in the shape a published circular used; the rows written out here are all
it may yield (no number without structure).
"""

from __future__ import annotations

from parsers.document import Extraction, parse_document


def parse(text: str, name: str = "case.txt") -> Extraction:
    return parse_document(text.encode("utf-8"), name)


def rows(ex: Extraction) -> list[tuple[str, float, str, str]]:
    return [(e.unit, float(e.entry.points), e.entry.kind, e.entry.reason) for e in ex.entries]


LETTERHEAD = """甲县教育局

甲教〔2024〕3号

关于10月份学校食堂督查情况的通报

各中小学校：

督查按100分计。现将督查情况通报如下：

1.甲县第一中学：留样记录不全，扣2分；得分98分。
2.城关小学：砧板未分开使用，扣1.5分；得分98.5分。

甲县教育局
2024年11月4日
"""


def test_the_issuer_on_the_letterhead_is_no_unit() -> None:
    # x05: `甲县教育局` alone above the 文号 opened a section that took every entry below it.
    ex = parse(LETTERHEAD)
    assert rows(ex) == [
        ("甲县第一中学", 2, "deduction", "留样记录不全"),
        ("城关小学", 1.5, "deduction", "砧板未分开使用"),
    ]


def test_a_total_after_the_entries_is_no_entry() -> None:
    # x05: `…扣2分；…扣1分；共扣3分，得分97分。` — the total restates the two amounts.
    ex = parse(
        "关于督查情况的通报\n\n甲镇：垃圾未清运，扣2分；公厕无人保洁，扣1分；共扣3分，得分97分。\n"
        "乙镇：路面破损，扣1分；共扣1分，得分99分。\n"
    )
    assert rows(ex) == [
        ("甲镇", 2, "deduction", "垃圾未清运"),
        ("甲镇", 1, "deduction", "公厕无人保洁"),
        ("乙镇", 1, "deduction", "路面破损"),
    ]
    assert ex.unread == []


def test_a_total_that_does_not_add_up_is_said_not_read() -> None:
    ex = parse("关于督查情况的通报\n\n甲镇：垃圾未清运，扣2分；公厕无人保洁，扣1分；共扣4分，得分96分。\n")
    assert rows(ex) == [("甲镇", 2, "deduction", "垃圾未清运"), ("甲镇", 1, "deduction", "公厕无人保洁")]
    assert [(u.kind, u.first.line_no) for u in ex.unread] == [("entries", 3)]
    assert "not the sum" in ex.unread[0].reason


PROSE = """关于5月份乡镇环境卫生督查情况的通报

一、督查得分

| 乡镇 | 得分 |
|---|---|
| 甲镇 | 98 |
| 乙镇 | 98.5 |
| 丙乡 | 99 |
| 丁镇 | 99.5 |

二、存在问题

甲镇、乙镇集镇主街有占道经营现象，各扣1分；丙乡2处公厕无人保洁，扣1分。
乙镇河口村、甲镇桥头村垃圾乱堆，分别扣0.5分、1分。
丁镇因店外经营扣0.5分，甲镇较上月增加1.5分。
丙乡、丁镇巡河记录不全，扣1分。
"""


def test_units_as_the_subjects_of_prose_clauses() -> None:
    # x01, x02, x16: several units to a sentence, each clause closed by its amount.
    ex = parse(PROSE)
    assert rows(ex) == [
        ("甲镇", 1, "deduction", "甲镇、乙镇集镇主街有占道经营现象"),
        ("乙镇", 1, "deduction", "甲镇、乙镇集镇主街有占道经营现象"),
        ("丙乡", 1, "deduction", "丙乡2处公厕无人保洁"),
        ("乙镇", 0.5, "deduction", "乙镇河口村、甲镇桥头村垃圾乱堆"),
        ("甲镇", 1, "deduction", "乙镇河口村、甲镇桥头村垃圾乱堆"),
        ("丁镇", 0.5, "deduction", "丁镇因店外经营"),
    ]
    # One amount for two units without 各: who lost what is not said.
    assert [(u.kind, u.first.line_no) for u in ex.unread] == [("entries", 17)]
    assert "without 各" in ex.unread[0].reason


def scores(ex: Extraction) -> list[tuple[str, int | None, float | None]]:
    return [(r.unit_raw, r.rank, None if r.score is None else float(r.score)) for r in ex.scores]


def test_places_with_their_scores_apiece() -> None:
    # x09: `A、B分别以94.00分、93.25分位列第四、第五` — one score and one place per unit, in order.
    ex = parse(
        "关于年度考核结果的通报\n\n经综合评定，甲街道以97.5分位列第一，乙街道以96分位列第二；"
        "丙街道、丁街道分别以94.00分、93.25分位列第三、第四。\n"
    )
    assert scores(ex) == [("甲街道", 1, 97.5), ("乙街道", 2, 96.0), ("丙街道", 3, 94.0), ("丁街道", 4, 93.25)]


def test_a_scored_list_with_commas_between_its_items() -> None:
    # x16: `各集镇得分为：城关镇98分，河西镇98.5分，…` — every comma-separated item a unit and its score.
    ex = parse("关于暗访情况的通报\n\n综合评定，各集镇得分为：甲镇98分，乙镇98.5分，丙乡100分。\n")
    assert scores(ex) == [("甲镇", None, 98.0), ("乙镇", None, 98.5), ("丙乡", None, 100.0)]
    # An item that is not a unit with its score keeps the list to its first item, as before.
    ex = parse("关于暗访情况的通报\n\n综合评定，各集镇得分为：甲镇98分，较上月提高2分。\n")
    assert scores(ex) == [("甲镇", None, 98.0)]


def test_a_list_number_before_a_count() -> None:
    # x13: `1.1家企业…` is entry 1 about one company, not a decimal: the list numbers are no items.
    ex = parse(
        "关于检查情况的通报\n\n| 单位 | 得分 |\n|---|---|\n| 甲区 | 98 |\n| 乙县 | 97.5 |\n\n"
        "（一）甲区\n1.1家企业未开展检查，扣1分。\n2.演练记录不完整，扣1分。\n"
        "（二）乙县\n1.2家企业票证审批不规范，扣1.5分。\n2.报警仪未检定，扣1分。\n"
    )
    assert [(u, p, r) for u, p, _, r in rows(ex)] == [
        ("甲区", 1, "1家企业未开展检查"),
        ("甲区", 1, "演练记录不完整"),
        ("乙县", 1.5, "2家企业票证审批不规范"),
        ("乙县", 1, "报警仪未检定"),
    ]
    assert all(e.entry.items == [] for e in ex.entries)


BASE_TABLE = """关于8月份测评结果的通报

| 排名 | 街道 | 基础分 | 扣分 | 加分 | 得分 |
|---|---|---|---|---|---|
| 1 | 甲街道 | 100 | 1.5 | 2 | 100.5 |
| 2 | 乙街道 | 100 | 3 | 0 | 97 |
"""


def test_base_deduction_and_bonus_columns() -> None:
    # x03: the score is 基础分 − 扣分 + 加分; a zero is no row.
    got = [(u, p, k) for u, p, k, _ in rows(parse(BASE_TABLE))]
    assert got == [("甲街道", 1.5, "deduction"), ("甲街道", 2, "bonus"), ("乙街道", 3, "deduction")]


def test_base_columns_are_sums_where_the_circular_itemises() -> None:
    # e07, f07: the same columns beside itemised entries sum them; the entries are the rows.
    text = BASE_TABLE + "\n甲街道：垃圾未清运，扣1.5分；获评示范街道，加2分。\n乙街道：占道经营，扣3分。\n"
    assert [(u, p, k) for u, p, k, _ in rows(parse(text))] == [
        ("甲街道", 1.5, "deduction"),
        ("甲街道", 2, "bonus"),
        ("乙街道", 3, "deduction"),
    ]
    assert [r for _, _, _, r in rows(parse(text))] == ["垃圾未清运", "获评示范街道", "占道经营"]


def test_an_inspection_office_signs_its_circular() -> None:
    # x18: `…人民政府督查室` on the letterhead and under the text was no issuer.
    text = "甲县人民政府督查室\n\n甲政督〔2024〕19号\n\n关于重点项目推进情况的督查通报\n\n县直有关单位：\n\n现将督查情况通报如下。\n\n甲县人民政府督查室\n2024年10月12日\n"
    assert parse(text).metadata.issuer == "甲县人民政府督查室"


def test_count_and_rate_columns_flattened() -> None:
    # x18: `项目数（个）| 完工数（个）| 完成率（%）` beside the score, one cell per line with ` |`:
    # the counts and the rate are never points, the score is read.
    header = ["序号", "责任单位", "项目数（个）", "完工数（个）", "完成率（%）", "得分"]
    body = [["1", "县教育局", "6", "5", "83.3", "92"], ["2", "县卫健局", "4", "4", "100", "98"]]
    cells = "\n".join(f"{c} |" for c in header + [c for row in body for c in row])
    ex = parse(f"关于重点项目推进情况的督查通报\n\n现将督查情况通报如下：\n\n{cells}\n")
    assert scores(ex) == [("县教育局", None, 92.0), ("县卫健局", None, 98.0)]
    assert ex.entries == []


def test_weighted_text_rows_apart_by_single_spaces() -> None:
    # x04: the header ran into the first row as a wrapped sentence, and the glued-digit reader
    # dropped the row whose total is not the weighted sum; that row is the one to flag.
    rows_text = "序号 单位 日常考核（40%） 年终考核（60%） 综合得分 排名\n1 甲镇 96.5 95.0 95.6 2\n2 乙镇 98.0 96.0 96.8 1\n3 丙乡 94.5 93.5 94.9 3\n"
    ex = parse(f"关于年度考核结果的通报\n\n一、考核结果\n\n{rows_text}\n二、奖惩措施\n")
    assert scores(ex) == [("甲镇", 2, 95.6), ("乙镇", 1, 96.8), ("丙乡", 3, 94.9)]


def test_a_rating_circular_whose_results_are_attached() -> None:
    # x07: `…星级评定结果的通报`, the scores only in the attachment: a result circular, no rows.
    ex = parse(
        "关于第三季度农贸市场星级评定结果的通报\n\n各区市场监督管理局：\n\n全市23家市场参加评定，达标率91.3%。"
        "各市场得分详见附件。\n\n附件：第三季度农贸市场考评结果表\n"
    )
    assert ex.metadata.doc_class == "result"
    assert ex.scores == [] and ex.entries == []


SEQUENCE = """关于检查情况的通报

| 单位 | 得分 |
|---|---|
| 甲区 | 99 |
| 乙县 | 99 |

（一）甲区
1.台账不全，扣1分。
（二）乙县
1.演练未开展，扣1分。
（三）丙经开区
1.卡口未使用，扣2分。
（五）丁县
1.标志缺失，扣1分。
"""


def test_a_unit_missing_from_the_table_in_the_headings_sequence() -> None:
    # x13: `（三）丙经开区` continues `（一）甲区`, `（二）乙县`: its own section, its score missing.
    ex = parse(SEQUENCE)
    assert [(u, p) for u, p, _, _ in rows(ex)] == [("甲区", 1), ("乙县", 1), ("丙经开区", 2)]
    # `（五）丁县` skips a number after a unit the table lacks: a doubt, as before.
    assert [(u.kind, u.first.line_no) for u in ex.unread] == [("heading", 14)]


def test_a_spaced_header_over_glued_rows_keeps_the_glued_reading() -> None:
    # A PDF prints the header apart by spaces and the rows glued (`2乙街道 93.05`): every row is read.
    text = "关于考评结果的通报\n\n名次 镇（街道） 得分\n1 甲镇 94.17\n2乙街道 93.05\n3丙镇 91.6\n"
    assert scores(parse(text)) == [("甲镇", 1, 94.17), ("乙街道", 2, 93.05), ("丙镇", 3, 91.6)]


def test_a_no_deduction_clause_before_a_bonus_is_not_its_reason() -> None:
    # x20: `梨园村：村内道路整洁，未发现扣分问题；获评示范村，加1分。`
    ex = parse(
        "关于暗访考评结果的通报\n\n甲镇：垃圾未清运，扣1分。\n乙村：村内道路整洁，未发现扣分问题；获评示范村，加1分。\n"
    )
    assert rows(ex) == [("甲镇", 1, "deduction", "垃圾未清运"), ("乙村", 1, "bonus", "获评示范村")]
