"""Results stated in sentences and one-line lists (issue 9 item 3; field-survey.md §2–§3).

Each fixture in tests/fixtures/rankings/sentences/ is an invented web notice or circular named
by the shape it carries; the long ones set the ranking paragraph among narrative full of other
numbers (money, counts, years, percentages, a 全市平均) that must never become scores. Each case
lists every score row the whole parser must return: (unit, rank, rank_raw, score, grade).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Extraction, parse_document
from parsers.model import Line, UnreadBlock
from parsers.rankings import extract_grade_lists, extract_prose_ranks, merge_prose_rows

FIXTURES = Path(__file__).parent / "fixtures" / "rankings" / "sentences"

RowT = tuple[str, int | None, str | None, float | None, str | None]


def parse(name: str) -> Extraction:
    path = FIXTURES / name
    return parse_document(path.read_bytes(), path.name)


def rows_of(ex: Extraction) -> list[RowT]:
    return [
        (unit, row.rank, row.rank_raw, float(row.score) if row.score is not None else None, row.grade)
        for row, unit in zip(ex.scores, ex.score_units, strict=True)
    ]


CASES: dict[str, list[RowT]] = {
    # `排名前三的单位是：东山镇（110.58）、…` — scores in parentheses, above 100 on a bonus scale; the
    # bottom two count from `全县8个乡镇`; `东山镇红旗村（96分）、…村容整洁` lists scores without ranks;
    # `各奖励5000元`, `40个`, `126处` are no scores.
    "web-top-three-scores-in-parentheses.txt": [
        ("东山镇", 1, "前3", 110.58, None),
        ("南溪乡", 2, "前3", 107.83, None),
        ("北塘镇", 3, "前3", 102.75, None),
        ("西岭乡", 7, "后2", 81.20, None),
        ("石门镇", 8, "后2", 79.64, None),
        ("东山镇红旗村", None, None, 96.0, None),
        ("南溪乡向阳村", None, None, 91.0, None),
    ],
    # `第一名：青石镇，90.99分；…倒数第一名：枫林镇，71.35分` — no count of units is stated, so the
    # last place keeps its printed form and no number; `57处`, `92%` are no scores.
    "web-ordinal-places-colon-comma-score.txt": [
        ("青石镇", 1, "第1", 90.99, None),
        ("白沙镇", 2, "第2", 85.10, None),
        ("柳湾街道", 3, "第3", 84.62, None),
        ("枫林镇", None, "倒数第1", 71.35, None),
    ],
    # `各镇得分排名如下：甲水镇88.31分、…` ranks by order because it says 排名 (no rank is printed, so
    # rank_raw is None); `…得分：前湾村95分、…` does not, so those scores have no rank.
    "web-scores-listed-in-ranking-order.txt": [
        ("甲水镇", 1, None, 88.31, None),
        ("乙山镇", 2, None, 88.01, None),
        ("丙田乡", 3, None, 87.85, None),
        ("丁桥镇", 4, None, 86.40, None),
        ("前湾村", None, None, 95.0, None),
        ("后湾村", None, None, 93.0, None),
        ("中湾村", None, None, 97.0, None),
    ],
    # `1.云台村；2.桃源村；3.白鹭村、金沙村；5.凤岭村。` — two names at one number, competition ranking.
    "web-numbered-one-line-list-competition-ties.txt": [
        ("云台村", 1, "1", None, None),
        ("桃源村", 2, "2", None, None),
        ("白鹭村", 3, "3", None, None),
        ("金沙村", 3, "3", None, None),
        ("凤岭村", 5, "5", None, None),
    ],
    # The same with dense ranking after the tie (2, 2, 3): recorded as printed.
    "web-numbered-one-line-list-dense-ties.txt": [
        ("新安镇", 1, "1", None, None),
        ("石桥乡", 2, "2", None, None),
        ("清水镇", 2, "2", None, None),
        ("龙泉乡", 3, "3", None, None),
        ("长岭镇", 4, "4", None, None),
    ],
    # `南城区建筑工地考评87.00分，加分0.8分，综合得分89.12分，排名全市第一。`: the score is the 综合得分,
    # not the 考评 part nor the 加分; `全市平均得分84.9分`, `186.5万元`, `6.2%`, `37个工地` are no scores.
    "long-composite-score-rank-per-unit-among-narrative.txt": [
        ("南城区", 1, "第1", 89.12, None),
        ("北湖区", 2, "第2", 88.46, None),
        ("东港区", 3, "第3", 85.72, None),
        ("西山区", 6, "倒数第1", 80.35, None),
    ],
    # Top places with scores over 100 (加分 up to 15), a tie `并列第二名`, a bottom two counted from
    # `全市9个县（市、区）`; prize money and counts in the same paragraphs.
    "long-partial-ranks-ties-bonus-scale.txt": [
        ("潮阳县", 1, "第1", 112.5, None),
        ("海门区", 2, "并列第2", 108.2, None),
        ("莲花县", 2, "并列第2", 108.2, None),
        ("鹤山市", 4, "第4", 101.7, None),
        ("沙田区", 8, "后2", None, None),
        ("石湾县", 9, "后2", None, None),
    ],
    # `第一等次：平川县、…` — the 等次 by ordinal is the grade as printed.
    "long-grades-by-ordinal-tier.txt": [
        ("平川县", None, None, None, "第一等次"),
        ("岭南县", None, None, None, "第一等次"),
        ("沙北区", None, None, None, "第一等次"),
        ("桐城县", None, None, None, "第二等次"),
        ("云岗区", None, None, None, "第二等次"),
        ("东湖市", None, None, None, "第二等次"),
        ("柳林县", None, None, None, "第三等次"),
        ("北泉区", None, None, None, "第三等次"),
        ("石坪县", None, None, None, "第三等次"),
        ("西关区", None, None, None, "第三等次"),
    ],
    # `甲山县、…考核为优秀等次；戊源县、己丘区为良好等次；…` after a `考核结果如下：` lead-in.
    "web-grades-in-prose-kaohe-wei.txt": [
        ("甲山县", None, None, None, "优秀"),
        ("乙水县", None, None, None, "优秀"),
        ("丙川区", None, None, None, "优秀"),
        ("丁岗市", None, None, None, "优秀"),
        ("戊源县", None, None, None, "良好"),
        ("己丘区", None, None, None, "良好"),
        ("庚林县", None, None, None, "合格"),
    ],
    # Score bands are grades (the band as printed), not scores; the parenthesised numbers after
    # `得分低于75分的单位：` are the units' scores, and the band beside them no grade.
    "web-score-bands-as-grades.txt": [
        ("晨光街道", None, None, None, "190分以上"),
        ("新华镇", None, None, None, "190分以上"),
        ("永安镇", None, None, None, "170分至189分"),
        ("康宁街道", None, None, None, "170分至189分"),
        ("和平镇", None, None, None, "170分至189分"),
        ("石岗镇", None, None, 74.16, None),
        ("林溪乡", None, None, 73.93, None),
    ],
    # A whole circular of money, counts, percentages, years and a 全市平均 with no ranking at all.
    "long-narrative-money-counts-percentages-no-ranking.txt": [],
}


def test_every_sentence_fixture_has_a_case() -> None:
    assert {p.name for p in FIXTURES.glob("*.txt")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_in_sentences(name: str) -> None:
    ex = parse(name)
    assert sorted(rows_of(ex), key=repr) == sorted(CASES[name], key=repr)
    # None of them prints a deduction: `南城区建筑工地考评87.00分，加分0.8分，…排名全市第一` is a result
    # sentence, not a section heading with a score of 87 and a bonus.
    assert ex.entries == []


def lines_of(*texts: str) -> list[Line]:
    return [Line(text=t, line_no=i) for i, t in enumerate(texts, start=1)]


def ranks_of(*texts: str) -> list[tuple[str, int | None, str | None, str | None]]:
    rows = extract_prose_ranks(lines_of(*texts))
    return [(r.unit_raw, r.rank, r.rank_raw, str(r.score) if r.score is not None else None) for r in rows]


def grades_of(*texts: str) -> list[tuple[str, str | None, str | None]]:
    rows = extract_grade_lists(lines_of(*texts))
    return [(r.unit_raw, r.grade, str(r.score) if r.score is not None else None) for r in rows]


def test_scores_in_parentheses_after_a_top_list() -> None:
    assert ranks_of("排名前三的单位是：东山镇（110.58）、南溪乡（107.83）、北塘镇（102.75）。") == [
        ("东山镇", 1, "前3", "110.58"),
        ("南溪乡", 2, "前3", "107.83"),
        ("北塘镇", 3, "前3", "102.75"),
    ]
    # Without a lead-in the 分 must be printed; a bare number in parentheses may count anything.
    assert ranks_of("红旗村（96分）、向阳村（91分）村容整洁。") == [
        ("红旗村", None, None, "96"),
        ("向阳村", None, None, "91"),
    ]
    assert ranks_of("红旗村（5）、向阳村（3）通过验收。") == []


def test_place_after_a_dash_or_with_a_comma() -> None:
    assert ranks_of("前三名依次为——第一名：甲街道，90.99分", "排名靠后的是：倒数第二名，乙街道，79.32分") == [
        ("甲街道", 1, "第1", "90.99"),
        ("乙街道", None, "倒数第2", "79.32"),
    ]


def test_place_colon_unit_comma_score() -> None:
    assert ranks_of("第一名：青石镇，90.99分；第二名为白沙镇（85.10分）；倒数第一名：枫林镇，71.35分。") == [
        ("青石镇", 1, "第1", "90.99"),
        ("白沙镇", 2, "第2", "85.10"),
        ("枫林镇", None, "倒数第1", "71.35"),
    ]


def test_scored_list_is_ranked_only_when_it_says_so() -> None:
    assert ranks_of("各镇得分排名如下：甲镇88.31分、乙镇88.01分、丙乡87.85分。") == [
        ("甲镇", 1, None, "88.31"),
        ("乙镇", 2, None, "88.01"),
        ("丙乡", 3, None, "87.85"),
    ]
    assert ranks_of("各镇得分情况：甲镇85.5分、乙镇88.01分。") == [
        ("甲镇", None, None, "85.5"),
        ("乙镇", None, None, "88.01"),
    ]


def test_numbered_one_line_ranking_competition_and_dense() -> None:
    assert ranks_of("考评排名如下：1.甲镇；2.乙镇；3.丙乡、丁镇；5.戊镇。") == [
        ("甲镇", 1, "1", None),
        ("乙镇", 2, "2", None),
        ("丙乡", 3, "3", None),
        ("丁镇", 3, "3", None),
        ("戊镇", 5, "5", None),
    ]
    assert [r[:2] for r in ranks_of("考评排名：1、甲镇；2、乙镇、丙乡；3、丁镇。")] == [
        ("甲镇", 1),
        ("乙镇", 2),
        ("丙乡", 2),
        ("丁镇", 3),
    ]
    # Numbered without saying it ranks: a list of something, not places.
    assert ranks_of("参加本次检查的单位：1.甲镇；2.乙镇。") == []


def test_composite_score_is_the_total_before_the_rank() -> None:
    assert ranks_of(
        "对全市6个区进行了考评。",
        "南城区建筑工地考评87.00分，加分0.8分，综合得分89.12分，排名全市第一。",
        "西山区综合得分80.35分，排名全市倒数第一。",
        "东港区考评85.72分，排名全市第三。",
    ) == [("南城区", 1, "第1", "89.12"), ("西山区", 6, "倒数第1", "80.35"), ("东港区", 3, "第3", "85.72")]
    # A count beside the total, the unit before a colon; without a total the count clause reads nothing.
    assert ranks_of("北湖区：检查在建工地23个，综合得分88.46分，排名全市第二。") == [
        ("北湖区", 2, "第2", "88.46")
    ]
    assert ranks_of("北湖区：检查在建工地23个，得分88.46分，排名全市第二。") == []


def test_grades_by_ordinal_tier_and_in_prose() -> None:
    assert grades_of("第一等次：甲县、乙县。", "第二等次：丙区。") == [
        ("甲县", "第一等次", None),
        ("乙县", "第一等次", None),
        ("丙区", "第二等次", None),
    ]
    assert grades_of("考核结果如下：甲县、乙县考核为优秀等次；丙区为良好等次；和平镇为合格等次。") == [
        ("甲县", "优秀", None),
        ("乙县", "优秀", None),
        ("丙区", "良好", None),
        ("和平镇", "合格", None),  # 和 in a name does not split it
    ]


def test_score_bands_are_grades_and_parenthesised_numbers_scores() -> None:
    # A bare kind of unit before the colon (`的社区：`) is no unit; a band without a colon is narrative.
    assert grades_of("得分在90分以上的社区：甲社区、乙社区。", "得分在80分以下的社区，请街道督促整改。") == [
        ("甲社区", "90分以上", None),
        ("乙社区", "90分以上", None),
    ]
    assert grades_of(
        "得分在190分以上的单位是：甲街道、乙镇；得分在170分至189分的单位有：丙镇。",
        "得分低于75分的单位：丁镇（74.16）、戊乡（73.93），限期整改。",
    ) == [
        ("甲街道", "190分以上", None),
        ("乙镇", "190分以上", None),
        ("丙镇", "170分至189分", None),
        ("丁镇", None, "74.16"),
        ("戊乡", None, "73.93"),
    ]


NO_SCORES = (
    "对评为先进的村奖励5000元，共12个村获得奖励，发放奖金8.5万元。",
    "城关镇发现问题3处，河口镇发现问题12处，全部完成整改。",
    "全市平均得分84.9分，同比提高2.3分。",
    "东山镇整改率达到96.5%，南溪乡整改率为88%。",
    "2024年东山镇、南溪乡分别新建收集点12个、8个。",
    "扣分情况：东山镇（2分）、南溪乡（3分）。",
    "加分情况：甲镇2分、乙镇1分。",
    "甲镇扣2分、乙镇扣3分。",
    "甲镇（2024年）、乙镇（2023年）先后获评示范乡镇。",
    "对排名前三的县（市、区）各奖励50万元，对排名倒数第一的县进行约谈。",
    "对第一等次的县各奖励300万元，第二等次各奖励150万元。",
)


@pytest.mark.parametrize("text", NO_SCORES)
def test_money_counts_percentages_years_give_no_rows(text: str) -> None:
    unread: list[UnreadBlock] = []
    assert merge_prose_rows([], lines_of(text), set(), unread=unread) == []
    assert unread == []


@pytest.mark.parametrize(
    "text",
    [
        "考评排名如下：1.甲镇；2.乙镇；4.丙乡。",  # a number skipped
        "考评排名如下：1.甲镇；2.加强整改；3.丙乡。",  # an item that is not a unit
        "南城区考评87分，加分0.8分，排名全市第一。",  # parts but no total
        "各镇得分排名如下：甲镇85分、乙镇88分。",  # ranked against its own scores
    ],
)
def test_ranking_read_in_part_is_an_unread_block_not_rows(text: str) -> None:
    unread: list[UnreadBlock] = []
    assert merge_prose_rows([], lines_of(text), set(), unread=unread) == []
    assert [(b.kind, b.first.line_no) for b in unread] == [("ranking", 1)]


def test_unread_ranking_reaches_the_extraction() -> None:
    text = "关于考评排名的通报\n\n各镇：\n\n考评排名如下：1.甲镇；2.乙镇；4.丙乡。\n\n某县人民政府\n2025年1月2日\n"
    ex = parse_document(text.encode(), "notice.txt")
    assert ex.scores == []
    assert [b.kind for b in ex.unread] == ["ranking"]
