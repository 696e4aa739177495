"""No number without structure on the per-unit side (issue 9 items 1 and 6).

Each fixture in tests/fixtures/sections/ is an invented page in a shape real circulars use
(field-survey.md §1, §2, §5): prose results with ranks, counts and money; inspection lists with
counts and no points; headings of units missing from the score table; a table flattened one cell
per line. Every deduction row, problem and unread block each must yield is written out here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.document import Extraction, parse_document
from parsers.model import Line
from parsers.sections import extract_sections

FIXTURES = Path(__file__).parent / "fixtures" / "sections"

DeductionT = tuple[str, float, str, str]
# fixture -> the deduction rows it prints (unit, points, kind, reason), nothing more.
DEDUCTIONS: dict[str, list[DeductionT]] = {
    "prose-results-rank-score-count-money.txt": [],
    "prose-summary-figures.txt": [],
    "flattened-table-money-count.txt": [],
    "inspection-counts-unit-prefix.txt": [],
    "inspection-numbered-under-headings.txt": [],
    "comparisons-under-unit-headings.txt": [
        ("甲镇", 2, "deduction", "集镇主街垃圾清运不及时"),
        ("甲镇", 1, "deduction", "农贸市场周边占道经营"),
        ("乙乡", 1, "deduction", "公厕保洁不到位"),
    ],
    "by-issue-prose-after-table.txt": [
        ("北关街道", 1, "deduction", "北关街道、南塘街道均存在占道经营问题"),
        ("南塘街道", 1, "deduction", "北关街道、南塘街道均存在占道经营问题"),
    ],
    "unrecognised-heading-after-unit.txt": [
        ("东湖街道", 1, "deduction", "主干道占道经营"),
        ("东湖街道", 0.5, "deduction", "果皮箱破损未更换"),
        ("东湖街道", 2, "deduction", "公厕保洁不到位"),
        ("南塘街道", 3, "deduction", "建筑工地未密闭施工"),
        ("南塘街道", 2, "deduction", "户外广告破损"),
    ],
    "unit-prefix-lines-long.txt": [
        ("甲镇", 1, "deduction", "垃圾清运不及时"),
        ("乙街道", 1.5, "deduction", "背街小巷乱堆乱放3处"),
        ("乙街道", 1, "deduction", "农贸市场周边污水横流"),
    ],
    "unrecognised-heading-no-table.txt": [
        ("金桂社区", 1, "deduction", "楼道堆放杂物"),
        ("金桂社区", 2, "deduction", "消防通道被占用"),
    ],
}
# fixture -> (unit, problem, count) of each problem listed without points.
PROBLEMS: dict[str, list[tuple[str, str, int | None]]] = {
    "inspection-counts-unit-prefix.txt": [
        ("甲镇", "垃圾清运不及时", 2),
        ("甲镇", "河道漂浮物", 1),
        ("乙街道", "背街小巷乱堆乱放", 3),
        ("乙街道", "公厕保洁不到位", 1),
        ("乙街道", "占道经营", 5),
        ("丙乡", "沟渠淤塞", 2),
    ],
    "inspection-numbered-under-headings.txt": [
        ("东坝镇", "加油站卸油区消防器材过期", 2),
        ("东坝镇", "小作坊电线私拉乱接", 3),
        ("东坝镇", "村道临水临崖路段护栏缺失", None),
        ("西岭乡", "液化气钢瓶露天存放", 10),
        ("西岭乡", "建筑工地未设置安全警示标志", None),
    ],
}
# fixture -> (kind, first line, last line, a word of the reason) of each unread block.
UNREAD: dict[str, list[tuple[str, int, int, str]]] = {
    # `丁乡总计81.6分，较上季度提高3.2分…`: a score and a change, under 丙镇's line; no row, a doubt.
    "prose-results-rank-score-count-money.txt": [("entries", 14, 14, "earlier period")],
    "unrecognised-heading-after-unit.txt": [
        ("heading", 27, 30, "滨江片区管理处"),
        ("heading", 32, 35, "新城建设项目部（含二期工地）"),
    ],
    "unrecognised-heading-no-table.txt": [
        ("heading", 12, 15, "银杏苑物业服务中心（试运行）"),
        ("heading", 17, 19, "城南片区网格组"),
    ],
    # Each village's count, score and prize money on lines of their own: the table layer reads the
    # flattened table under its typed header (ranks and scores, no points), so nothing is left unread.
    "flattened-table-money-count.txt": [],
    # `1.青石镇：巡河记录完整，较上季度减少扣分2分…`: a change, not a deduction.
    "prose-summary-figures.txt": [("entries", 14, 14, "earlier period")],
    # `丁社区：…扣1分。` — a unit's own line, the unit missing from the score table.
    "unit-prefix-lines-long.txt": [("heading", 16, 16, "丁社区")],
    "comparisons-under-unit-headings.txt": [
        ("entries", 11, 11, "earlier period"),
        ("entries", 16, 16, "earlier period"),
        ("entries", 17, 17, "合计"),
    ],
}


def parse(name: str) -> Extraction:
    path = FIXTURES / name
    return parse_document(path.read_bytes(), path.name)


def test_every_fixture_has_a_case() -> None:
    assert {p.name for p in FIXTURES.glob("*.txt")} == set(DEDUCTIONS)
    assert set(PROBLEMS) | set(UNREAD) <= set(DEDUCTIONS)


@pytest.mark.parametrize("name", sorted(DEDUCTIONS))
def test_no_invented_deductions(name: str) -> None:
    ex = parse(name)
    rows = [(e.unit, float(e.entry.points), e.entry.kind, e.entry.reason) for e in ex.entries]
    assert rows == DEDUCTIONS[name]


@pytest.mark.parametrize("name", sorted(DEDUCTIONS))
def test_problems_listed_without_points(name: str) -> None:
    ex = parse(name)
    assert [(p.unit, p.problem, p.count) for p in ex.problems] == PROBLEMS.get(name, [])


@pytest.mark.parametrize("name", sorted(DEDUCTIONS))
def test_unread_blocks(name: str) -> None:
    ex = parse(name)
    got = [(u.kind, u.first.line_no, u.last.line_no) for u in ex.unread]
    assert got == [(kind, first, last) for kind, first, last, _ in UNREAD.get(name, [])]
    for block, (*_, word) in zip(ex.unread, UNREAD.get(name, []), strict=True):
        assert word in block.reason


def lines_of(*texts: str) -> list[Line]:
    return [Line(text, n) for n, text in enumerate(texts, 1)]


def test_entries_after_an_unknown_heading_are_not_the_unit_above() -> None:
    result = extract_sections(
        lines_of("（一）甲区", "1.路面破损，扣1分；", "（二）乙区环卫作业组", "1.垃圾未清运，扣2分；"),
        ["甲区"],
        set(),
    )
    assert [(s.unit, [e.entry.reason for e in s.entries]) for s in result.sections] == [
        ("甲区", ["路面破损"])
    ]
    assert [(b.first.line_no, b.last.line_no, b.kind) for b in result.unread] == [(3, 4, "heading")]


def test_a_sub_heading_inside_a_section_keeps_its_unit() -> None:
    # `（一）扣分情况` names a part of the unit's section, not another unit.
    result = extract_sections(
        lines_of("甲区（得分97分）：", "（一）扣分情况", "1.路面破损，扣1分；"), ["甲区"], set()
    )
    assert [(s.unit, len(s.entries)) for s in result.sections] == [("甲区", 1)]
    assert result.unread == []


def test_problems_need_a_problems_chapter() -> None:
    # The same unit lines without a 存在问题 / 督查发现 lead-in are not taken for problems.
    lines = lines_of("甲镇：垃圾清运不及时2处，河道漂浮物1处。")
    assert extract_sections(lines, [], set()).problems == []
    with_cue = extract_sections(lines_of("一、存在问题", *[line.text for line in lines]), [], set())
    assert [(p.unit, p.problem, p.count) for p in with_cue.problems] == [
        ("甲镇", "垃圾清运不及时", 2),
        ("甲镇", "河道漂浮物", 1),
    ]


def test_a_section_with_deductions_lists_no_problems() -> None:
    # In a problems chapter, a unit whose lines carry points has deductions; its line without an
    # amount stays an unparsed entry, as before, not a problem.
    result = extract_sections(
        lines_of("一、存在问题", "（一）甲镇", "1.垃圾清运不及时，扣1分；", "2.河道漂浮物3处；"), [], set()
    )
    assert result.problems == []
    assert [line.line_no for line in result.unmatched] == [4]


def test_a_signature_is_no_section() -> None:
    # `县河长办` above the date named a unit with no score: a false missing_score warning.
    result = extract_sections(
        lines_of("（一）甲社区", "1.楼道堆物，扣1分；", "县住房和城乡建设局", "2024年4月2日"), [], set()
    )
    assert [s.unit for s in result.sections] == ["甲社区"]


def as_html(text: str) -> bytes:
    """The fixture as a web page: a paragraph per line, its Markdown table as an HTML table."""
    body: list[str] = []
    rows: list[str] = []
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            continue
        if rows:
            body.append("<table border='1'>" + "".join(rows) + "</table>")
            rows = []
        body.append(f"<p>{line}</p>" if line else "")
    page = "<html><head><meta charset='utf-8'></head><body><div id='zoom'>" + "\n".join(body)
    return (page + "</div></body></html>").encode("utf-8")


@pytest.mark.parametrize("name", sorted(DEDUCTIONS))
def test_the_same_page_as_html(name: str) -> None:
    ex = parse_document(as_html((FIXTURES / name).read_text(encoding="utf-8")), name.replace(".txt", ".html"))
    rows = [(e.unit, float(e.entry.points), e.entry.kind, e.entry.reason) for e in ex.entries]
    assert rows == DEDUCTIONS[name]
    assert [(p.unit, p.problem, p.count) for p in ex.problems] == PROBLEMS.get(name, [])
    assert [u.kind for u in ex.unread] == [kind for kind, *_ in UNREAD.get(name, [])]


@pytest.mark.parametrize("known", [["甲镇", "乙镇"], []])
def test_a_place_named_in_an_entry_stays_in_its_unit(known: list[str]) -> None:
    # Under a town's heading, `1.东关村：…` names a village of that town, not a unit of its own.
    result = extract_sections(
        lines_of(
            "（一）甲镇", "1.东关村：垃圾未清理，扣0.5分；", "（二）乙镇", "1.南岭村：柴草乱堆，扣1分。"
        ),
        known,
        set(),
    )
    assert [(s.unit, len(s.entries)) for s in result.sections] == [("甲镇", 1), ("乙镇", 1)]
    assert result.unread == []


def test_a_paragraph_opening_with_the_unit_name_as_a_sentence() -> None:
    # `（一）甲镇。…扣1分；…加0.5分；实得分99.5分。`: entries after the name, the score closing them.
    result = extract_sections(
        lines_of("（一）甲镇。发生赴县集体访1批次，扣1分；化解积案经验获推广，加0.5分；实得分99.5分。"),
        ["甲镇"],
        set(),
    )
    [section] = result.sections
    assert (section.unit, str(section.score)) == ("甲镇", "99.5")
    assert [(e.entry.kind, str(e.entry.points)) for e in section.entries] == [
        ("deduction", "1"),
        ("bonus", "0.5"),
    ]


def test_a_closing_line_of_totals_and_score_restates_the_entries() -> None:
    # y11: `合计扣1分，加2分，得分101分。` closes the unit: its score, and totals that are no entries.
    result = extract_sections(
        lines_of(
            "（一）甲镇",
            "1.漂浮物4处，按0.5分/处扣2分；",
            "2.经验被省河长办转发，加2分；",
            "合计扣2分，加2分，得分100分。",
            "（二）乙乡",
            "1.岸线违建未拆除，扣2分；",
            "合计扣3分，得分98分。",
        ),
        ["甲镇", "乙乡"],
        set(),
    )
    assert [(s.unit, s.score, [str(e.entry.points) for e in s.entries]) for s in result.sections] == [
        ("甲镇", 100, ["2", "2"]),
        ("乙乡", 98, ["2"]),
    ]
    # 乙乡's total of 3 is not the 2 above it: said, not read.
    assert [(b.first.line_no, b.kind) for b in result.unread] == [(7, "entries")]


def test_a_prefix_line_of_a_sibling_unit_missing_from_the_table_is_its_own() -> None:
    # y15: `桥头镇：…` after `黄坡乡：…` (the same level), left out of the ranking: its own entries,
    # its score missing; `丁社区：` after `乙街道：` (another level) stays a doubt.
    result = extract_sections(
        lines_of("黄坡乡：台账缺失，扣3分。", "桥头镇：清淤滞后，扣2分。", "丁社区：楼道杂物，扣1分。"),
        ["黄坡乡"],
        set(),
    )
    assert [(s.unit, [str(e.entry.points) for e in s.entries]) for s in result.sections] == [
        ("黄坡乡", ["3"]),
        ("桥头镇", ["2"]),
    ]
    assert [(b.first.line_no, b.kind) for b in result.unread] == [(3, "heading")]
