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
    # `得分低于75分的单位：` are the units' scores.
    "web-score-bands-as-grades.txt": [
        ("晨光街道", None, None, None, "190分以上"),
        ("新华镇", None, None, None, "190分以上"),
        ("永安镇", None, None, None, "170分至189分"),
        ("康宁街道", None, None, None, "170分至189分"),
        ("和平镇", None, None, None, "170分至189分"),
        ("石岗镇", None, None, 74.16, "低于75分"),
        ("林溪乡", None, None, 73.93, "低于75分"),
    ],
    # A whole circular of money, counts, percentages, years and a 全市平均 with no ranking at all.
    "long-narrative-money-counts-percentages-no-ranking.txt": [],
}


def test_every_sentence_fixture_has_a_case() -> None:
    assert {p.name for p in FIXTURES.glob("*.txt")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_in_sentences(name: str) -> None:
    assert sorted(rows_of(parse(name)), key=repr) == sorted(CASES[name], key=repr)
