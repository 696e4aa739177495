"""Variants of the circular family that the gold corpus does not exercise (issue 4).

Each fixture in tests/fixtures/variants/ is a small invented circular named by the case it
covers (variants.md §1–§4, §6); the records it must yield are written out here. Scores are
(unit, group, rank, score, grade); deductions (unit, items, points, kind, reason); findings
are the (unit, check) pairs of the codes listed in CHECKS — exactly those, nothing more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Extraction, parse_document
from parsers.model import Line
from pipeline.reconcile import reconcile

FIXTURES = Path(__file__).parent / "fixtures" / "variants"
# Finding codes compared exactly; others (unparsed_entry) are informational.
CHECKS = {
    "score_mismatch",
    "table_mismatch",
    "rank_order",
    "missing_section",
    "missing_score",
    "duplicate_item",
    "veto",
    "unit_uncertain",
}

ScoreT = tuple[str, str | None, int | None, float | None, str | None]
DeductionT = tuple[str, list[int], float, str, str]


def parse(name: str) -> Extraction:
    path = FIXTURES / name
    return parse_document(path.read_bytes(), path.name)


def scores_of(ex: Extraction) -> list[ScoreT]:
    return [
        (unit, row.group, row.rank, float(row.score) if row.score is not None else None, row.grade)
        for row, unit in zip(ex.scores, ex.score_units, strict=True)
    ]


def deductions_of(ex: Extraction) -> list[DeductionT]:
    return [(e.unit, e.entry.items, float(e.entry.points), e.entry.kind, e.entry.reason) for e in ex.entries]


def findings_of(ex: Extraction) -> set[tuple[str | None, str]]:
    _, findings = reconcile(ex, "test")
    return {(f.unit, f.check) for f in findings if f.check in CHECKS}


def test_every_fixture_has_a_case() -> None:
    names = {p.name for p in FIXTURES.glob("*.txt")}
    assert names == set(SCORES) | set(DEDUCTIONS) | set(RANKINGS), (
        "a fixture without expectations, or expectations without a fixture"
    )


# ---------------------------------------------------------------- §2 score tables
SCORES: dict[str, tuple[list[ScoreT], set[tuple[str | None, str]]]] = {
    # Rank last, written as ordinals, ties in words (并列第二, 2（并列）), 倒数第N, extra 等次/备注
    # columns, 合计/平均 rows that are not units.
    "score-table-rank-last-ordinals-ties.txt": (
        [
            ("崇川区", None, 4, 91.5, "良好"),
            ("海门区", None, 2, 94.2, "优秀"),
            ("启东市", None, 1, 96.0, "优秀"),
            ("如皋市", None, 2, 94.2, "优秀"),
            ("海安市", None, 5, 88.0, "合格"),
            ("如东县", None, 6, 85.5, "合格"),
        ],
        set(),
    ),
    # Two ranking blocks, each ranked from 1, group = the block's caption.
    "score-table-groups.txt": (
        [
            ("沭阳县", "县区组", 1, 95.6, None),
            ("泗阳县", "县区组", 2, 93.1, None),
            ("宿城区", "县区组", 3, 90.4, None),
            ("市水利局", "市直部门组", 1, 97.0, None),
            ("市住建局", "市直部门组", 2, 94.5, None),
            ("市生态环境局", "市直部门组", 3, 92.0, None),
        ],
        set(),
    ),
    # Weighted parts; 金安区 0.4×93.73+0.6×95.80 = 94.972 printed 94.97 (correct rounding, no
    # finding); 舒城县 states 89.64 for 89.54.
    "score-table-weighted-parts.txt": (
        [
            ("金安区", None, 1, 94.97, None),
            ("裕安区", None, 2, 93.0, None),
            ("霍山县", None, 3, 90.75, None),
            ("舒城县", None, 4, 89.64, None),
        ],
        {("舒城县", "score_mismatch")},
    ),
    # Header cells each on their own line, then the values cycling.
    "score-table-one-cell-per-line.txt": (
        [
            ("唐闸镇", None, 1, 94.17, None),
            ("金沙街道", None, 2, 93.05, None),
            ("石港镇", None, 3, 91.6, None),
            ("兴仁镇", None, 4, 89.25, None),
        ],
        set(),
    ),
    # Cells glued: `1唐闸镇94.17` under `名次 镇（街道） 得分`.
    "score-table-glued-cells.txt": (
        [
            ("唐闸镇", None, 1, 94.17, None),
            ("金沙街道", None, 2, 93.05, None),
            ("石港镇", None, 3, 91.6, None),
            ("兴仁镇", None, 4, 89.25, None),
        ],
        set(),
    ),
    # Weighted parts glued `93.7395.8094.971`: split where decimal places agree. The last row
    # `舒城县91.2588.489.544` reads several ways (88.4|89.54|4, 88.48|9.54|4 …) and is left alone.
    "score-table-glued-weighted.txt": (
        [
            ("金安区", None, 1, 94.97, None),
            ("裕安区", None, 2, 93.0, None),
            ("霍山县", None, 3, 90.75, None),
        ],
        set(),
    ),
    # Split across pages, the header repeated on one page and not on the other; `新 县`.
    "score-table-split-pages.txt": (
        [
            ("新县", None, 1, 96.5, None),
            ("光山县", None, 2, 95.0, None),
            ("商城县", None, 3, 93.2, None),
            ("罗山县", None, 4, 92.0, None),
            ("潢川县", None, 5, 90.4, None),
            ("息县", None, 6, 89.9, None),
            ("淮滨县", None, 7, 88.1, None),
        ],
        set(),
    ),
    # Only 序号, rows in order of score: 序号 is the rank.
    "score-table-seq-sorted.txt": (
        [
            ("苏仙区", None, 1, 92.0, None),
            ("资兴市", None, 2, 90.5, None),
            ("北湖区", None, 3, 88.5, None),
        ],
        set(),
    ),
    # Only 序号, rows in district order: no rank is printed.
    "score-table-seq-unsorted.txt": (
        [
            ("北湖区", None, None, 88.5, None),
            ("苏仙区", None, None, 92.0, None),
            ("资兴市", None, None, 90.5, None),
        ],
        set(),
    ),
    # The second block's header names its unit column `功能区`, a word no list knows: the row
    # is still its header (fresh-03), not a unit of the first block.
    "score-table-groups-unknown-unit-word.txt": (
        [
            ("宁国市", "县（市、区）组", 1, 94.4, None),
            ("广德市", "县（市、区）组", 2, 92.0, None),
            ("郎溪县", "县（市、区）组", 3, 91.0, None),
            ("宣城经开区", "功能区组", 1, 93.8, None),
            ("宣城高新区", "功能区组", 2, 90.0, None),
        ],
        set(),
    ),
    # Aligned rows without their 备注 are kept (fresh-04); a long name pushes its score under
    # the 备注 header word, and the cells still say which column is which. (As a PDF, where
    # every gap is the reader's four spaces, the cells alone place them.)
    "score-table-aligned-blank-remark.txt": (
        [
            ("市司法局", None, 1, 98.5, None),
            ("市水利局", None, 2, 96.0, None),
            ("市林业局", None, 2, 96.0, None),
            ("市文化旅游局", None, 4, 95.5, None),
            ("市数据资源管理局", None, 5, 92.1, None),
        ],
        set(),
    ),
    # One cell per line under a unit column headed `村（社区）` (fresh-07).
    "score-table-one-cell-per-line-village.txt": (
        [
            ("杨柳村", None, 1, 96.5, None),
            ("新民社区", None, 2, 95.0, None),
            ("河口村", None, 3, 93.8, None),
        ],
        set(),
    ),
    # One cell per line under a caption `…得分表（11 月份）`, split across pages (fb-01).
    "score-table-one-cell-per-line-caption.txt": (
        [
            ("新县", None, 1, 95.5, None),
            ("光山县", None, 2, 93.0, None),
            ("息县", None, 3, 91.5, None),
        ],
        set(),
    ),
    # A glued header whose weights are printed on the line below (fb-02), repeated after a page
    # break; the glued rows long enough for the joiner to run them together. 南关镇街道 states
    # 92.54 for 0.4×94.10+0.6×91.35 = 92.45.
    "score-table-glued-weighted-two-line-header.txt": (
        [
            ("城东街道", None, 1, 94.98, None),
            ("城西街道", None, 2, 94.08, None),
            ("北关镇街道", None, 3, 93.79, None),
            ("南关镇街道", None, 4, 92.54, None),
        ],
        {("南关镇街道", "score_mismatch")},
    ),
    # A header over two rows, merged cells left blank (fc-08): `考核结果` spans `得分 | 扣分`, and
    # the score is the column named 得分 below it, not a grade.
    "score-table-two-row-header.txt": (
        [
            ("东西溪乡", None, 1, 97.5, None),
            ("漫水河镇", None, 2, 96.0, None),
            ("太阳乡", None, 3, 94.5, None),
        ],
        set(),
    ),
    # The score column's header carries the scale: `得分（满分1000分）` (fb-10).
    "score-table-qualified-score-header.txt": (
        [
            ("卫东区", None, 1, 968.0, None),
            ("新华区", None, 2, 961.5, None),
            ("叶县", None, 3, 932.5, None),
        ],
        set(),
    ),
}


@pytest.mark.parametrize("name", sorted(SCORES))
def test_score_variants(name: str) -> None:
    expected_scores, expected_findings = SCORES[name]
    ex = parse(name)
    assert ex.metadata.doc_class == "result"
    assert scores_of(ex) == expected_scores
    assert ex.entries == []
    assert findings_of(ex) == expected_findings


DEDUCTIONS: dict[str, tuple[list[ScoreT] | None, list[DeductionT], set[tuple[str | None, str]]]] = {
    # §3 every label style and amount wording, count × rate with a Chinese count (三处 × 0.2),
    # caps (扣完2分为止 → 2, 最高扣3分 → 3), several items in one entry, labels inside the text
    # that are not the entry's, bonuses (加分项：…加0.5分, 加分累计不超过3分).
    "deductions-label-styles.txt": (
        None,
        [
            ("浉河区", [1], 1.0, "deduction", "未及时传达学习上级安全生产会议精神"),
            ("浉河区", [2], 0.5, "deduction", "安全生产专项整治台账不完整"),
            ("浉河区", [3], 0.5, "deduction", "重点企业隐患排查不彻底"),
            ("浉河区", [4], 1.0, "deduction", "应急预案未按期修订"),
            ("浉河区", [5], 1.0, "deduction", "执法检查计划未按月落实"),
            ("浉河区", [6], 0.6, "deduction", "安全宣传活动覆盖面不足"),
            ("浉河区", [7], 2.0, "deduction", "隐患整改销号不及时"),
            ("浉河区", [8], 0.5, "deduction", "检查发现（9）（10）条款落实不到位"),
            ("浉河区", [11, 12, 13], 1.5, "deduction", "未建立举报奖励制度、未公开举报电话"),
            ("浉河区", [14], 3.0, "deduction", "重大隐患挂牌督办缺失"),
            ("浉河区", [20], 0.5, "bonus", "承办全市安全生产现场会"),
            ("平桥区", [2], 1.0, "deduction", "安全生产专项整治台账不完整"),
            ("平桥区", [21], 0.3, "bonus", "创新开展“安全生产月”活动"),
        ],
        set(),
    ),
    # §3 a heading per unit: `（一）驿城区`, `（二）西平县`, `3.上蔡县` on their own lines, then
    # numbered entries; 驿城区's entries add up to 98.5, the table states 97.5.
    "deductions-heading-per-unit.txt": (
        [
            ("驿城区", None, 1, 97.5, None),
            ("西平县", None, 2, 96.0, None),
            ("上蔡县", None, 3, 95.7, None),
        ],
        [
            ("驿城区", [1], 1.0, "deduction", "主次干道存在占道经营"),
            ("驿城区", [2], 0.5, "deduction", "公厕保洁不到位"),
            ("西平县", [1], 2.0, "deduction", "垃圾收集点周边脏乱"),
            ("西平县", [2], 2.0, "deduction", "户外广告设置不规范"),
            ("上蔡县", [6], 2.0, "deduction", "渣土车未密闭运输"),
            ("上蔡县", [9], 2.3, "deduction", "夜间施工扰民投诉处置不及时"),
        ],
        {("驿城区", "score_mismatch")},
    ),
    # §3 `川汇区：` alone on a line, entries below; no score anywhere → missing_score.
    "deductions-unit-colon-heading.txt": (
        [],
        [
            ("川汇区", [3], 1.0, "deduction", "村庄清洁行动开展不经常"),
            ("川汇区", [7], 0.5, "deduction", "农村厕所问题摸排整改不彻底"),
            ("淮阳区", [3], 0.5, "deduction", "村庄清洁行动开展不经常"),
            ("淮阳区", [12], 1.0, "deduction", "生活垃圾转运不及时"),
        ],
        {("川汇区", "missing_score"), ("淮阳区", "missing_score")},
    ),
    # §3 a paragraph per unit, labels `1.` / `第4项，` / none.
    "deductions-paragraph-per-unit.txt": (
        [
            ("遂平县", None, 1, 98.0, None),
            ("汝南县", None, 2, 97.0, None),
            ("平舆县", None, 3, 96.5, None),
        ],
        [
            ("遂平县", [1], 1.0, "deduction", "建筑工地扬尘管控不到位"),
            ("遂平县", [2], 1.0, "deduction", "露天焚烧火点未及时处置"),
            ("汝南县", [4], 1.0, "deduction", "渣土车未密闭运输"),
            ("汝南县", [7], 1.0, "deduction", "餐饮油烟净化设施未正常运行"),
            ("汝南县", [8], 1.0, "deduction", "秸秆禁烧巡查记录缺失"),
            ("平舆县", [], 2.0, "deduction", "道路积尘清扫不及时"),
            ("平舆县", [], 1.5, "deduction", "散煤复燃"),
        ],
        set(),
    ),
    # §3 a table `单位 | 存在问题 | 扣分` whose unit cell is blank below its first row.
    "deductions-table-blank-unit.txt": (
        [
            ("源汇区", None, 1, 97.0, None),
            ("郾城区", None, 2, 96.2, None),
            ("召陵区", None, 3, 95.0, None),
        ],
        [
            ("源汇区", [2], 1.0, "deduction", "河长巡河次数未达到要求"),
            ("源汇区", [5], 1.0, "deduction", "河长公示牌信息未更新"),
            ("源汇区", [8], 1.0, "deduction", "入河排污口标识缺失"),
            ("郾城区", [3], 0.8, "deduction", "河道“四乱”问题清理不彻底"),
            ("郾城区", [9], 2.0, "deduction", "水质监测数据报送不及时"),
            ("郾城区", [11], 1.0, "deduction", "巡河APP使用率偏低"),
            ("召陵区", [5], 2.0, "deduction", "河湖管理范围划界成果未公告"),
            ("召陵区", [6], 3.0, "deduction", "已整治黑臭水体返黑返臭"),
        ],
        set(),
    ),
    # §2/§3 a deduction row Word broke across a page: under the repeated header, the rest of its
    # text with the unit and amount cells blank.
    "deductions-table-row-broken-across-page.txt": (
        [
            ("源汇区", None, 1, 97.0, None),
            ("郾城区", None, 2, 96.2, None),
            ("召陵区", None, 3, 95.0, None),
        ],
        [
            ("源汇区", [2], 1.0, "deduction", "河长巡河次数未达到要求"),
            ("源汇区", [5], 1.0, "deduction", "河长公示牌信息未更新"),
            ("源汇区", [8], 1.0, "deduction", "入河排污口标识缺失，排污口位置、名称、编码等信息未按规定公开"),
            ("郾城区", [3], 0.8, "deduction", "河道“四乱”问题清理不彻底"),
            ("郾城区", [9], 2.0, "deduction", "水质监测数据报送不及时"),
            ("郾城区", [11], 1.0, "deduction", "巡河APP使用率偏低"),
            ("召陵区", [5], 2.0, "deduction", "河湖管理范围划界成果未公告"),
            ("召陵区", [6], 3.0, "deduction", "已整治黑臭水体返黑返臭"),
        ],
        set(),
    ),
    # §3 a heading per unit, and under it the unit's own table `扣分事项 | 扣分` with no unit column.
    "deductions-table-per-unit-no-unit-column.txt": (
        [
            ("东台市", None, 1, 99.2, None),
            ("亭湖区", None, 2, 98.0, None),
        ],
        [
            ("东台市", [11], 0.8, "deduction", "校园周边200米范围内存在流动摊点，综合治理不到位"),
            ("亭湖区", [4], 0.5, "deduction", "1所学校门卫室未配备防暴钢叉"),
            ("亭湖区", [12], 0.5, "deduction", "校外培训机构消防安全检查记录不全"),
            ("亭湖区", [19], 1.0, "deduction", "学生防溺水安全教育回执收集率不足90%"),
        ],
        set(),
    ),
    # §2 a ranking printed in two halves side by side; §3 numbered unit headings carrying the score
    # (`1．兰州市（得分98.5分）`, `（2）白银市（得分97.5分）`).
    "score-table-two-halves-numbered-headings.txt": (
        [
            ("嘉峪关市", None, 1, 100.0, None),
            ("兰州市", None, 2, 98.5, None),
            ("白银市", None, 3, 97.5, None),
            ("天水市", None, 4, 96.0, None),
        ],
        [
            ("兰州市", [3], 1.0, "deduction", "项目开工率未达到90%"),
            ("兰州市", [7], 0.5, "deduction", "建后管护制度未落实"),
            ("白银市", [5], 2.5, "deduction", "耕地质量评价报告未按时提交"),
            ("天水市", [8], 4.0, "deduction", "项目资金拨付进度滞后"),
        ],
        set(),
    ),
    # §3 a 问题清单 that numbers each unit's problems from 1: list positions, not rubric items.
    "deductions-problem-list-numbered-per-unit.txt": (
        [
            ("河口镇", None, 1, 98.5, None),
            ("石塘镇", None, 2, 97.0, None),
        ],
        [
            ("河口镇", [], 1.5, "deduction", "餐饮场所未安装燃气泄漏报警器"),
            ("石塘镇", [], 1.0, "deduction", "瓶装液化气未实名登记"),
            ("石塘镇", [], 2.0, "deduction", "燃气管道穿越卧室"),
        ],
        set(),
    ),
    # §3 a deduction table that also prints each unit's score, and a cell holding two entries
    # with their own amounts (the amount column gives their sum).
    "deductions-table-score-column-and-several-entries-a-cell.txt": (
        [
            ("梅溪湖街道", None, 1, 98.5, None),
            ("观沙岭街道", None, 2, 97.0, None),
        ],
        [
            ("梅溪湖街道", [5], 1.5, "deduction", "分类宣传栏信息未更新"),
            ("观沙岭街道", [3], 1.5, "deduction", "分类投放点桶边散落垃圾"),
            ("观沙岭街道", [9], 0.5, "deduction", "再生资源回收点台账不全"),
            ("观沙岭街道", [12], 1.0, "deduction", "厨余垃圾混投率偏高"),
        ],
        set(),
    ),
    # §3 problems listed item by item, the units named in the sentence: `各扣1分` takes the amount
    # from each; two units without 各 leave the split unknown (罗甸县 then misses 2 points and is
    # flagged), as does 都匀市, which lost 1 + 1.5 of its 2.5.
    "deductions-listed-by-item-units-named.txt": (
        [
            ("荔波县", None, 1, 99.5, None),
            ("福泉市", None, 2, 99.0, None),
            ("都匀市", None, 3, 97.5, None),
            ("罗甸县", None, 4, 97.0, None),
        ],
        [
            ("都匀市", [2], 1.0, "deduction", "都匀市、福泉市均存在千吨万人水源地保护范围标识标牌缺失问题"),
            ("福泉市", [2], 1.0, "deduction", "都匀市、福泉市均存在千吨万人水源地保护范围标识标牌缺失问题"),
            ("荔波县", [3], 0.5, "deduction", "荔波县甲良镇水源地上游存在散养畜禽污染隐患"),
            ("罗甸县", [6], 1.0, "deduction", "罗甸县部分单村供水工程水质检测频次不足"),
            ("都匀市", [11], 1.5, "deduction", "都匀市农村供水信息系统数据更新滞后"),
        ],
        {("罗甸县", "score_mismatch")},
    ),
    # §2 a table of rectification requirements after the ranking, its header naming no score: not
    # the ranking going on.
    "score-table-then-appendix-table.txt": (
        [
            ("承德市", None, 1, 100.0, "优秀"),
            ("唐山市", None, 2, 98.0, "优秀"),
        ],
        [],
        set(),
    ),
    # §3 headings that state the unit's total taken off before its score (`乔庄镇：扣1.5分，得分98.5分。`),
    # a unit with none (`无扣分`), and a unit named by the short name the text declared (`以下简称“经开区”`).
    "deductions-heading-total-then-score-short-name.txt": (
        [
            ("木鱼镇", None, 1, 100.0, None),
            ("乔庄镇", None, 2, 98.5, None),
            ("经济开发区管委会", None, 3, 98.0, None),
        ],
        [
            ("乔庄镇", [3], 1.0, "deduction", "村庄保洁员在岗不到位"),
            ("乔庄镇", [7], 0.5, "deduction", "垃圾收集点周边脏乱"),
            ("经济开发区管委会", [5], 2.0, "deduction", "园区道路扬尘管控不力"),
        ],
        set(),
    ),
    # §4 a quarter's score as the average of its months: 板桥镇's 95.2 is not the mean of 95, 94, 96.
    "score-table-monthly-scores-quarter-average.txt": (
        [
            ("沙河镇", None, 1, 96.0, None),
            ("板桥镇", None, 2, 95.2, None),
            ("新华镇", None, 3, 94.5, None),
        ],
        [],
        {("板桥镇", "score_mismatch")},
    ),
    # §4 a 1000-point scale (`满分1000分`), deductions in that scale; a `城区` column.
    "base-1000-scale.txt": (
        [("卧龙区", None, 1, 965.0, None), ("宛城区", None, 2, 948.5, None)],
        [
            ("卧龙区", [3], 15.0, "deduction", "主次干道占道经营"),
            ("卧龙区", [12], 20.0, "deduction", "公益广告刊播不足"),
            ("宛城区", [3], 30.0, "deduction", "主次干道占道经营"),
            ("宛城区", [15], 21.5, "deduction", "农贸市场环境卫生差"),
        ],
        set(),
    ),
    # §4 bonuses take a score above 100 (100 + 2 − 0.5 = 101.5). No score table: the scores the
    # units' headings print are the score rows (as gold h01 and r20 label them).
    "base-bonus-above-100.txt": (
        [("华龙区", None, None, 101.5, None), ("清丰县", None, None, 98.5, None)],
        [
            ("华龙区", [4], 2.0, "bonus", "信访积案化解率排名全市第一"),
            ("华龙区", [9], 0.5, "deduction", "网上信访按期答复率偏低"),
            ("清丰县", [9], 1.0, "deduction", "网上信访按期答复率偏低"),
            ("清丰县", [16], 1.5, "bonus", "创新信访工作机制经验被省级推广"),
            ("清丰县", [17], 2.0, "deduction", "越级访人次同比上升"),
        ],
        set(),
    ),
    # §4 一票否决: 祥符区's 60 is not 100 − 1; a veto finding, no score_mismatch.
    "base-veto.txt": (
        [("龙亭区", None, 1, 96.0, None), ("祥符区", None, 2, 60.0, None)],
        [
            ("龙亭区", [5], 2.0, "deduction", "安全生产责任清单未更新"),
            ("龙亭区", [8], 2.0, "deduction", "隐患排查台账不完整"),
            ("祥符区", [5], 1.0, "deduction", "安全生产责任清单未更新"),
        ],
        {("祥符区", "veto")},
    ),
    # §6 headings `信阳市平桥区` (city prefix), `浞河区` (OCR slip → unit_uncertain), a
    # department `市住建局`, a zone without suffix `高新区（管委会）` with a qualifier.
    "units-prefix-slip-department.txt": (
        [
            ("高新区", None, 1, 99.0, None),
            ("平桥区", None, 2, 98.5, None),
            ("市住建局", None, 3, 98.0, None),
            ("浉河区", None, 4, 97.0, None),
        ],
        [
            ("平桥区", [2], 1.5, "deduction", "安全生产专项整治台账不完整"),
            ("浉河区", [6], 3.0, "deduction", "执法检查计划未按月落实"),
            ("市住建局", [11], 2.0, "deduction", "建筑施工领域隐患排查不到位"),
            ("高新区", [14], 1.0, "deduction", "园区企业应急演练记录缺失"),
        ],
        {("浉河区", "unit_uncertain")},
    ),
    # §3 a whitespace-aligned deduction table whose unit cell is blank below each unit's first
    # row (fb-10): cells placed under the header's columns, the unit carried down. (As a PDF,
    # the blank unit leaves no trace in the spacing: the cells alone place them.)
    "deductions-table-aligned-blank-unit.txt": (
        [
            ("卫东区", None, 1, 96.5, None),
            ("新华区", None, 2, 95.5, None),
        ],
        [
            ("卫东区", [3], 2.0, "deduction", "公益广告设置数量不足"),
            ("卫东区", [11], 1.5, "deduction", "农贸市场内外环境脏乱"),
            ("新华区", [2], 3.0, "deduction", "主次干道存在占道经营"),
            ("新华区", [9], 1.0, "deduction", "机动车乱停乱放问题突出"),
            ("新华区", [15], 0.5, "deduction", "小区内存在私搭乱建"),
        ],
        set(),
    ),
    # §1.5 a rubric whose rules sit under headings that look like units (`二、市应急管理局`)
    # and which speaks of grades and 排名前三: no scores, no deductions, no findings.
    "rubric-unit-like-headings.txt": ([], [], set()),
}


@pytest.mark.parametrize("name", sorted(DEDUCTIONS))
def test_deduction_variants(name: str) -> None:
    expected_scores, expected_entries, expected_findings = DEDUCTIONS[name]
    ex = parse(name)
    if expected_scores is not None:
        assert scores_of(ex) == expected_scores
    assert deductions_of(ex) == expected_entries
    assert findings_of(ex) == expected_findings


def test_glued_row_is_left_alone_when_ambiguous() -> None:
    from parsers.tables import split_glued_row

    roles: list[str | None] = ["unit", "part", "part", "score", "rank"]
    header = ("县区", "系统考核(占40%)", "现场考核(占60%)", "总分", "排名")
    assert split_glued_row("金安区93.7395.8094.971", roles, 4, header) == (
        "金安区",
        "93.73",
        "95.80",
        "94.97",
        "1",
    )
    # Consistent decimals but an impossible total (9.54 from parts near 90): left alone.
    assert split_glued_row("舒城县91.2588.489.544", roles, 4) == ("舒城县", "91.25", "88.48", "9.54", "4")
    assert split_glued_row("舒城县91.2588.489.544", roles, 4, header) is None
    # A score glued to its rank reads 94.17|1 only when 94.1|71 exceeds the rows that follow.
    assert split_glued_row("唐闸镇94.171", ["unit", "score", "rank"], 4) == ("唐闸镇", "94.17", "1")
    assert split_glued_row("唐闸镇94.171", ["unit", "score", "rank"], 80) is None
    assert split_glued_row("1唐闸镇94.17", ["rank", "unit", "score"], 4) == ("1", "唐闸镇", "94.17")


def test_header_words_with_qualifiers_and_unknown_unit_words() -> None:
    from parsers.tables.roles import cell_role, header_roles

    for word in ("得分（满分1000分）", "总分(100分)", "考核得分（分）"):
        assert cell_role(word) == "score", word
    assert cell_role("村（社区）") == "unit" and cell_role("乡镇（街道）") == "unit"
    # Header words around one word no list knows, no values: a header (fresh-03).
    assert header_roles(("功能区", "系统考核(占40%)", "现场考核(占60%)", "总分", "排名")) == [
        "unit",
        "part",
        "part",
        "score",
        "rank",
    ]
    assert header_roles(("杨柳村", "得分")) is None  # a name beside one header word is no header
    # A part without its weight only beside a total: `市直部门信访工作考核扣分明细` is a caption.
    assert header_roles(("市直部门", "信访工作考核", "扣分明细")) == ["unit", None, "reason"]
    assert header_roles(("单位", "系统考核", "现场考核", "总分")) == ["unit", "part", "part", "score"]


def _joined(line_no: int, *physical: str) -> Line:
    """One logical line as the wrapped-line joiner makes it of several physical lines."""
    return Line("".join(physical), line_no, line_no + len(physical) - 1, raw="\n".join(physical))


def test_tables_restored_from_lines_the_joiner_ran_together() -> None:
    from parsers.tables import restore_table_rows

    # fb-01 with a joiner that runs a caption and every cell printed one per line into one line.
    caption = "各县区安全生产工作考核得分表（12 月份）"
    out = restore_table_rows(
        [_joined(1, caption, "排名", "县区", "得分", "1", "新 县", "94.5", "2", "光山县", "93.2")]
    )
    assert [ln.cells for ln in out] == [
        None,
        ("排名", "县区", "得分"),
        ("1", "新县", "94.5"),
        ("2", "光山县", "93.2"),
    ]
    assert out[0].text == "各县区安全生产工作考核得分表（12月份）"
    # fb-02 with the weights joined onto the header, and the rows onto both.
    out = restore_table_rows(
        [
            _joined(
                1,
                "单位系统考核现场考核总分排名（占40%）（占60%）",
                "唐闸镇街道93.7595.8094.981",
                "秦灶街道95.4093.2094.082",
            )
        ]
    )
    assert [ln.cells for ln in out] == [
        ("单位", "系统考核（占40%）", "现场考核（占60%）", "总分", "排名"),
        ("唐闸镇街道", "93.75", "95.80", "94.98", "1"),
        ("秦灶街道", "95.40", "93.20", "94.08", "2"),
    ]
    # fb-02 as printed: the weights on the line under the header, the rows joined after them.
    out = restore_table_rows(
        [
            Line("单位系统考核现场考核总分排名", 1),
            Line("（占40%）（占60%）", 2),
            _joined(3, "唐闸镇街道93.7595.8094.981", "秦灶街道95.4093.2094.082", "二、存在问题"),
        ]
    )
    assert [ln.cells for ln in out][:3] == [
        ("单位", "系统考核（占40%）", "现场考核（占60%）", "总分", "排名"),
        ("唐闸镇街道", "93.75", "95.80", "94.98", "1"),
        ("秦灶街道", "95.40", "93.20", "94.08", "2"),
    ]
    assert out[3].text == "二、存在问题" and out[3].cells is None
    # Without the weights the parts are read all the same.
    out = restore_table_rows([Line("单位系统考核现场考核总分排名", 1), Line("唐闸镇街道93.7595.8094.981", 2)])
    assert [ln.cells for ln in out] == [
        ("单位", "系统考核", "现场考核", "总分", "排名"),
        ("唐闸镇街道", "93.75", "95.80", "94.98", "1"),
    ]


def test_short_aligned_rows_placed_under_their_columns() -> None:
    from parsers.tables.placement import aligned_columns, place_short_row

    header = "序号  单位      扣分事项          扣分"
    row = "2               第11项：农贸市场  10"
    assert aligned_columns(row, header)[0] == (0, 2, 3)
    assert (
        aligned_columns("2    第11项：农贸市场    10", "序号    单位    扣分事项    扣分") == []
    )  # a PDF's gaps
    roles: list[str | None] = ["seq", "unit", "reason", "points"]
    assert place_short_row(("2", "第11项：农贸市场", "10"), roles, unit_carried=True) == (
        "2",
        "",
        "第11项：农贸市场",
        "10",
    )
    # A score table leaves only optional columns blank; `并列` is a remark, not a grade.
    roles = ["rank", "unit", "score", "grade", "remark"]
    assert place_short_row(("1", "市司法局", "98.5", "并列"), roles) == ("1", "市司法局", "98.5", "", "并列")
    assert place_short_row(("1", "市司法局", "98.5", "优秀"), roles) == ("1", "市司法局", "98.5", "优秀", "")
    # Where the cells stand decides between two readings the cells allow.
    assert place_short_row(("1", "市司法局", "98.5", "优秀"), roles, [(0, 1, 2, 4)]) == (
        "1",
        "市司法局",
        "98.5",
        "",
        "优秀",
    )
    assert place_short_row(("1", "市司法局"), roles) is None  # the score is not optional


# ---------------------------------------------------------------- §1.3 prose rankings, §1.4 grade lists
RANKINGS: dict[str, list[ScoreT]] = {
    # `优秀等次（2个）：A、B。`, `良好：A、B` (no count, no full stop); the rules sentence
    # `考核结果分为优秀、良好、合格、不合格四个等次` names no units and yields nothing.
    "grade-list-inline.txt": [
        ("淇滨区", None, None, None, "优秀"),
        ("浚县", None, None, None, "优秀"),
        ("淇县", None, None, None, "良好"),
        ("山城区", None, None, None, "良好"),
        ("鹤山区", None, None, None, "合格"),
    ],
    # `（一）优秀（3个）` headings, the names on the lines below (one list over two lines).
    "grade-list-headings.txt": [
        ("小冀镇", None, None, None, "优秀"),
        ("朗公庙镇", None, None, None, "优秀"),
        ("七里营镇", None, None, None, "优秀"),
        ("古固寨镇", None, None, None, "良好"),
        ("洪门镇", None, None, None, "良好"),
        ("翟坡镇", None, None, None, "基本合格"),
        ("合河乡", None, None, None, "不合格"),
    ],
    # A table with 序号 and a 考评等次 column: 序号 is no rank when there are no scores.
    "grade-table.txt": [
        ("红旗区", None, None, None, "优秀"),
        ("卫滨区", None, None, None, "良好"),
        ("牧野区", None, None, None, "合格"),
        ("凤泉区", None, None, None, "不合格"),
    ],
    # `排名前三的是…`, `排名后三位的是…` with `全市9个县（市、区）` giving the bottom places;
    # the `得分位居前列` narrative above it yields nothing.
    "prose-ranking-top-bottom.txt": [
        ("文峰区", None, 1, None, None),
        ("北关区", None, 2, None, None),
        ("龙安区", None, 3, None, None),
        ("汤阴县", None, 7, None, None),
        ("内黄县", None, 8, None, None),
        ("滑县", None, 9, None, None),
    ],
    # `第一名A，第二名B`, `A、B分列第四、第五名`, `X排名倒数第一` of 6.
    "prose-ranking-ordinals.txt": [
        ("魏都区", None, 1, None, None),
        ("建安区", None, 2, None, None),
        ("禹州市", None, 3, None, None),
        ("鄢陵县", None, 4, None, None),
        ("襄城县", None, 5, None, None),
        ("长葛市", None, 6, None, None),
    ],
    # `A、B、C分列全市前三名`; `鲁山县、郏县分列后两名` with no count of units: listed, rank
    # unknown; the issuer's city ranked in the province is not a unit of this ranking.
    "prose-ranking-split-list.txt": [
        ("湛河区", None, 1, None, None),
        ("卫东区", None, 2, None, None),
        ("新华区", None, 3, None, None),
        ("鲁山县", None, None, None, None),
        ("郏县", None, None, None, None),
    ],
    # Only narrative (`得分位居前列`, `我市…位列前三`, `…满意度测评位列全市前三`): no rows.
    "prose-ranking-narrative-only.txt": [],
}


@pytest.mark.parametrize("name", sorted(RANKINGS))
def test_ranking_variants(name: str) -> None:
    ex = parse(name)
    assert scores_of(ex) == RANKINGS[name]
    assert ex.entries == []
    assert findings_of(ex) == set()


def test_rubric_rules_are_never_deductions() -> None:
    ex = parse("rubric-unit-like-headings.txt")
    assert ex.metadata.doc_class == "rubric"
    assert ex.sections == [] and ex.unmatched == []
