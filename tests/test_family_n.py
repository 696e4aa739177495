"""Shapes of the n gold set (tests/fixtures/make_gold_n.py: numbers next to 分 or in tables that are no
deduction, bonus or score), each in a small invented page named by the case it covers
(tests/fixtures/family12/): what it must yield, and nothing more.

No number without structure: every row each page yields is written out here.
"""

from __future__ import annotations

from decimal import Decimal

from parsers.tables.roles import header_roles
from tests.family_pages import entries, page_parser, scores

parsed = page_parser("family12")


def test_a_count_table_after_the_ranking_is_no_continuation_of_it() -> None:
    """n01: `乡镇 | 得分 | 排名` then `乡镇 | 排查隐患户数 | 记满12分人数` — the second header names the
    first's unit column again, so it heads a table of its own (its counts were read as scores and
    ranks, its header as a unit)."""
    ex = parsed("count-table-after-the-ranking.md")
    assert scores(ex) == [("甲镇", 1, Decimal("99")), ("乙乡", 2, Decimal("97.5"))]
    assert entries(ex) == []


def test_a_flattened_problem_list_keeps_its_last_row_from_the_rule_after_it() -> None:
    """n06: a 问题清单 one cell per line (`序号 | 责任单位 | 存在问题 | 整改时限`) then `每逾期1项扣1分`
    for the next round: the last row's 责任单位 (`甲县`) stood outside the table as a heading whose
    section took the rule as a deduction of 1."""
    ex = parsed("problem-list-flattened-then-a-rule.txt")
    assert scores(ex) == [("甲县", None, Decimal("92")), ("乙区", None, Decimal("88.5"))]
    assert entries(ex) == []


def test_a_members_own_points_under_the_branchs_name_are_no_deduction() -> None:
    """n03: `机关第三党支部党员钱某某因无故不参加组织生活被扣5分，年度积分为78分` — a person's 党员积分, not
    the branch's: only the branches' own entries are rows."""
    ex = parsed("member-points-after-branch-deductions.txt")
    assert entries(ex) == [
        ("机关第二党支部", [], "deduction", Decimal("1.5"), "“三会一课”记录不全"),
        ("机关第二党支部", [], "deduction", Decimal("2"), "主题党日未按月开展"),
        ("机关第三党支部", [], "deduction", Decimal("1"), "党费收缴台账未及时更新"),
        ("离退休干部党支部", [], "deduction", Decimal("0.5"), "党员教育培训学时不足"),
    ]


def test_a_flattened_problem_list_whose_wrapped_cell_joined_the_next_keeps_its_last_row() -> None:
    """n06 as printed: `…完成率仅45%` joined the deadline below it, so the cells no longer count out
    the rows and the unread table ended at its last number (`4`); the cells after it, up to the row's
    width and never a sentence, are its last row (the rule after it is no deduction of `青川县`)."""
    ex = parsed("problem-list-with-a-joined-cell-then-a-rule.txt")
    assert [row[0] for row in scores(ex)] == ["长河区", "青川县", "木源县", "白鹤区"]
    assert entries(ex) == []
    assert [(u.first.text, u.last.text) for u in ex.unread] == [("序号", "临督办〔2025〕15号")]


def test_the_latest_years_score_and_rank_beside_last_years_flattened() -> None:
    """n15: `2024年得分 | 2025年得分 | 较上年 | 2025年排名` one cell per line, then a 联络员 table with a
    mobile number: the latest year's columns are the score and rank (no column was named, nothing
    read), last year's another period's; the phone number after the table is no figure that puts
    the reading out of step."""
    ex = parsed("year-on-year-scores-then-contacts-flattened.txt")
    assert scores(ex) == [("甲区", 1, Decimal("100")), ("乙县", 2, Decimal("98.5"))]
    assert entries(ex) == []


def test_a_year_column_alone_or_beside_a_score_column() -> None:
    """One year's score is the score; an earlier year beside the latest is another period's; a year
    beside a plain 得分 column names nothing."""
    assert header_roles(("县（区）", "2025年得分", "排名")) == ["unit", "score", "rank"]
    assert header_roles(("县（区）", "2024年得分", "2025年得分", "2025年排名")) == [
        "unit",
        "other_period",
        "score",
        "rank",
    ]
    assert header_roles(("县（区）", "2023年得分", "得分", "排名")) == ["unit", None, "score", "rank"]


def test_a_squads_paragraph_closed_by_the_quarters_score() -> None:
    """n08: `…扣1分。季度得分99分。` closes each unit's paragraph: the score is the unit's (none was read,
    every unit `incomplete` with a false missing_score); the seized goods (`扣押物品12件`) are no row."""
    ex = parsed("squad-paragraphs-closed-by-the-quarters-score.txt")
    assert scores(ex) == [("甲中队", None, Decimal("99")), ("乙中队", None, Decimal("100"))]
    assert [(unit, points) for unit, _, _, points, _ in entries(ex)] == [("甲中队", Decimal("1"))]


def test_problems_numbered_per_unit_one_opening_with_a_number() -> None:
    """n04: `1.110接警后…` under `（一）甲分局`: the list's label is glued to the number the problem opens
    with, so it was no label, the unit's list did not run 1…n, and every other unit's list numbers
    were kept as rubric items."""
    ex = parsed("problems-numbered-per-unit-one-opening-with-a-number.txt")
    assert entries(ex) == [
        ("甲分局", [], "deduction", Decimal("1"), "110接警后到场超时2分钟"),
        ("甲分局", [], "deduction", Decimal("0.5"), "值班记录缺失"),
        ("乙分局", [], "deduction", Decimal("1.5"), "回访不及时"),
        ("乙分局", [], "deduction", Decimal("0.5"), "分管领导未带班检查"),
    ]


def grades(ex: object) -> list[tuple[str, str | None]]:
    return [(row.unit_raw, row.grade) for row in ex.scores]  # type: ignore[attr-defined]


def test_grades_as_columns_of_ticks() -> None:
    """n13: `单位 | 优秀 | 良好 | 合格` with `√` under the unit's grade — the ticked column is its grade;
    a row ticked twice (丙街道) says no grade and gives no row."""
    assert grades(parsed("grade-ticks-in-columns.md")) == [("甲街道", "优秀"), ("乙街道", "良好")]


def test_grades_as_columns_of_ticks_flattened() -> None:
    """The same one cell per line, blank cells as a lone space: the grade words were read as a grade
    list heading the unit after them (`不合格` / `甲街道`: a wrong grade)."""
    assert grades(parsed("grade-ticks-in-columns-flattened.txt")) == [("甲街道", "优秀"), ("乙街道", "合格")]


def test_subject_averages_beside_the_schools_score_flattened() -> None:
    """n02: `学校 | 语文平均分 | 数学平均分 | 综合得分 | 排名` one cell per line — the pupils' averages are
    no score of the school (two such headers in a row ended the flattened header: nothing read);
    the school's score is its 综合得分."""
    ex = parsed("subject-averages-beside-the-schools-score-flattened.txt")
    assert scores(ex) == [("第一中学", 1, Decimal("95.36")), ("城北中学", 2, Decimal("89.71"))]
    assert header_roles(("单位", "平均分", "排名")) == ["unit", None, "rank"]


def test_a_county_body_after_the_townships_lines_is_a_unit_of_its_own() -> None:
    """n12: `县体育中心：场馆免费开放时段公示不全，扣0.5分。` after the townships' `X乡：…` lines, the body
    missing from the ranking — a county's own body is no place within the township above it, so its
    line is its own (it was left unread, and the planted missing_score with it)."""
    ex = parsed("county-body-after-the-townships-lines.txt")
    assert ("县体育中心", [], "deduction", Decimal("0.5"), "场馆免费开放时段公示不全") in entries(ex)
    assert [u for u in ex.unread if "县体育中心" in u.first.text] == []


def test_a_members_own_points_inside_the_branchs_section_are_no_deduction() -> None:
    """The same after the branch's own line, in its section (`党员积分情况：第二党支部党员钱某某…被扣5分，
    年度积分为80分。`): a person's points, said as unread, never the branch's deduction of 5."""
    ex = parsed("member-points-inside-the-branchs-section.txt")
    assert [(unit, points) for unit, _, _, points, _ in entries(ex)] == [
        ("第一党支部", Decimal("1")),
        ("第二党支部", Decimal("1.5")),
    ]
    assert [u.first.line_no for u in ex.unread] == [10]


def test_a_funds_table_after_the_ranking_is_no_continuation_of_it() -> None:
    """Probed beside n07: `县区 | 2024年（万元） | 2025年（万元） | 增减` after `序号 | 单位 | 得分 | 排名` — its
    header names a unit column in another place, holds no figure, and heads a table of its own (its
    header row and its funds were read as three more units with scores and ranks)."""
    ex = parsed("funds-table-after-the-ranking.md")
    assert scores(ex) == [("甲县", 1, Decimal("96")), ("乙区", 2, Decimal("94.5"))]


def test_year_on_year_figures_after_the_ranking_are_no_rows_of_it() -> None:
    """Probed beside n15: `指标 | 2024年 | 2025年 | 增减` after `序号 | 单位 | 得分 | 排名` — its first row puts
    `2024年` where the unit stands and `2025年` where the score does, so it does not run the ranking on
    (its years and counts were read as three units with scores of 2025, 18 and 7)."""
    ex = parsed("year-on-year-figures-after-the-ranking.md")
    assert scores(ex) == [("甲县", 1, Decimal("96")), ("乙区", 2, Decimal("94.5"))]


def test_a_flattened_ranking_then_a_caption_and_figures() -> None:
    """The same one cell per line: the lead-in `全市事故情况：` ends the ranking's run of cells; the
    numbers of the table under it had put the ranking's reading out of step, and nothing was read."""
    ex = parsed("ranking-then-a-caption-and-figures-flattened.txt")
    assert scores(ex) == [("甲县", 1, Decimal("96")), ("乙区", 2, Decimal("94.5"))]
    assert entries(ex) == []


def test_a_squads_reason_leaves_out_the_work_reported_before_it() -> None:
    """n08: `甲中队：本季度查处占道经营40起，扣押物品12件。执法记录仪未全程开启，扣1分。` — the sentence
    before the full stop reports the squad's work; the reason is the problem charged."""
    ex = parsed("squad-paragraphs-closed-by-the-quarters-score.txt")
    assert entries(ex) == [("甲中队", [], "deduction", Decimal("1"), "执法记录仪未全程开启")]


def test_a_table_of_peoples_points_charges_no_unit() -> None:
    """Probed beside n03/n08: `姓名 | 单位 | 违纪情况 | 扣分` under `个人记分情况：` lists people, each row's
    points the person's own: the unit beside the name was charged them (3 and 1, reason `扣分`)."""
    ex = parsed("persons-points-table-beside-the-ranking.md")
    assert scores(ex) == [("市财政局", 1, Decimal("98")), ("市商务局", 2, Decimal("96.5"))]
    assert entries(ex) == []
