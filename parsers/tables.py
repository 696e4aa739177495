"""Score tables and deduction tables from table rows (Lines with cells).

variants §2: columns vary in set and order (排名/名次/序号, 单位/县区/乡镇, 得分/
考评成绩/总分, 等次, 备注, 存在问题), rank may come last, weighted parts
`系统考核(占40%)`, several ranking blocks, tables split across pages with or
without a repeated header row, deduction tables `单位 | 存在问题 | 扣分` whose
unit cell is blank below its first row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex

from parsers.model import Line
from parsers.normalize import squash
from parsers.numbers import parse_rank, to_decimal

_HEADERS: dict[str, regex.Pattern[str]] = {
    "rank": regex.compile(r"^(?:排名|名次|位次|排序|排位|综合排名|总排名|得分排名|本月排名|本期排名)$"),
    "seq": regex.compile(r"^(?:序号|编号|序)$"),
    "unit": regex.compile(
        r"^(?:单位|单位名称|被考核单位|被考评单位|被检查单位|责任单位|考核对象|考核单位|地区|区域|名称"
        r"|县区|区县|县市区|县\(市、区\)|县（市、区）|县\(市\)区|县（市）区|市县|县（区）|县\(区\)|乡镇|乡镇（街道）"
        r"|乡镇\(街道\)|街道|镇街|镇（街道）|村|村（居）|村\(居\)|村居|社区|部门|市直部门|单位（部门）|县（市、区）名称)$"
    ),
    "score": regex.compile(
        r"^(?:得分|分数|成绩|总分|总得分|考评成绩|考核成绩|考核得分|考评得分|检查得分|督查得分|综合得分|最终得分"
        r"|合计|总成绩|测评得分|评分|得分（分）|得分\(分\)|综合成绩|考核总分|总计)$"
    ),
    "grade": regex.compile(r"^(?:等次|等级|档次|评定等次|考核等次|考评等次|评价等次|评定结果|考核结果|结果)$"),
    "points": regex.compile(r"^(?:扣分|扣分值|扣减分值|扣分分值|分值|扣分（分）|扣分\(分\)|扣除分值|加减分|加扣分)$"),
    "reason": regex.compile(r"^(?:扣分事项|存在问题|扣分原因|扣分情况|问题|主要问题|扣分项目|扣分内容|扣分说明|问题描述|扣分依据|扣分明细|具体问题|加扣分事项|加减分事项)$"),
    "remark": regex.compile(r"^(?:备注|说明)$"),
}
# A weighted part: `系统考核(占40%)`, `现场考核（60%）`, `日常考核 权重30%`.
_PART = regex.compile(r"^(?P<name>.+?)[（(]?(?:占|权重)?(?P<w>\d+(?:\.\d+)?)\s*%[)）]?$")


@dataclass(slots=True)
class ScoreRow:
    unit_raw: str
    rank: int | None
    rank_raw: str | None
    score: Decimal | None
    grade: str | None
    group: str | None
    parts: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)  # name, weight, score
    line: Line | None = None


@dataclass(slots=True)
class DeductionRow:
    unit_raw: str
    text: str
    points_text: str | None
    line: Line


@dataclass(slots=True)
class Tables:
    scores: list[ScoreRow]
    deductions: list[DeductionRow]
    table_lines: set[int]  # line_no of every row consumed


def header_roles(cells: tuple[str, ...]) -> list[str | None] | None:
    """Map each header cell to a column role; None if the row is not a header."""
    roles: list[str | None] = []
    for cell in cells:
        key = squash(cell)
        role = next((name for name, pattern in _HEADERS.items() if pattern.match(key)), None)
        if role is None and _PART.match(key) and not key[0].isdigit():
            role = "part"
        roles.append(role)
    known = {r for r in roles if r}
    if "unit" in known and known & {"score", "rank", "grade", "part", "points", "reason"}:
        return roles
    return None


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Consecutive runs of table rows."""
    blocks: list[list[Line]] = []
    previous: Line | None = None
    for line in lines:
        if line.cells is None:
            previous = None
            continue
        if previous is None:
            blocks.append([line])
        else:
            blocks[-1].append(line)
        previous = line
    return blocks


def _group_caption(lines: list[Line], first: Line) -> str | None:
    """A ranking block's caption just above its table: `（一）县区组`, `市直部门组排名`."""
    index = next(i for i, line in enumerate(lines) if line is first)
    for line in reversed(lines[max(0, index - 2):index]):
        if line.cells is not None:
            return None
        match = regex.search(r"(?P<g>[\p{Han}]{1,12}组)", regex.sub(r"^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+、", "", line.text))
        if match and len(line.text) <= 30:
            return match.group("g")
    return None


def extract_tables(lines: list[Line]) -> Tables:
    """Find score tables and deduction tables among the document's table rows."""
    scores: list[ScoreRow] = []
    deductions: list[DeductionRow] = []
    consumed: set[int] = set()
    current_roles: list[str | None] | None = None
    current_kind: str | None = None
    current_header: tuple[str, ...] = ()
    score_blocks = 0
    for block in _blocks(lines):
        roles = header_roles(block[0].cells or ())
        rows = block
        if roles is not None:
            rows = block[1:]
            current_roles = roles
            current_header = block[0].cells or ()
            current_kind = "deduction" if ("points" in roles or "reason" in roles) and "score" not in roles else "score"
            group = _group_caption(lines, block[0])
            if current_kind == "score":
                score_blocks += 1
        elif current_roles is None or len(block[0].cells or ()) != len(current_roles):
            # A headerless block that does not continue the previous table's columns.
            continue
        else:
            group = None  # a continuation keeps the previous block's group (set below)
        if current_roles is None:
            continue
        carried_unit = ""
        for line in rows:
            cells = line.cells or ()
            if len(cells) != len(current_roles):
                continue
            if header_roles(cells) is not None:  # header repeated after a page break
                consumed.add(line.line_no)
                continue
            by_role = {role: cells[i] for i, role in enumerate(current_roles) if role}
            unit_raw = by_role.get("unit", "").strip()
            if current_kind == "deduction":
                # variants §3: the unit cell is blank below its first row.
                unit_raw = unit_raw or carried_unit
                carried_unit = unit_raw
                text = by_role.get("reason", "")
                if unit_raw and (text or by_role.get("points")):
                    deductions.append(DeductionRow(unit_raw, text, by_role.get("points"), line))
                    consumed.add(line.line_no)
                continue
            if not squash(unit_raw) or squash(unit_raw) in {"合计", "总计", "平均", "平均分"}:
                continue
            row = _score_row(cells, current_header, current_roles, unit_raw, line)
            row.group = group if group is not None else (scores[-1].group if scores and roles is None else None)
            scores.append(row)
            consumed.add(line.line_no)
        if roles is not None:
            consumed.add(block[0].line_no)
    if score_blocks < 2 and not any(r.group for r in scores[1:]):
        for row in scores:
            row.group = None
    total = len(scores)
    for row in scores:
        if row.rank is None and row.rank_raw and "倒数" in row.rank_raw:
            row.rank = parse_rank(row.rank_raw, total)
    return Tables(scores=scores, deductions=deductions, table_lines=consumed)


def _score_row(cells: tuple[str, ...], header: tuple[str, ...], roles: list[str | None], unit_raw: str,
               line: Line) -> ScoreRow:
    rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "rank"), None)
    if rank_raw is None:
        rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "seq"), None)
    score_text = next((cells[i] for i, r in enumerate(roles) if r == "score"), None)
    grade = next((cells[i].strip() or None for i, r in enumerate(roles) if r == "grade"), None)
    parts = []
    for i, role in enumerate(roles):
        if role == "part":
            match = _PART.match(squash(header[i]))
            name = match.group("name") if match else squash(header[i])
            weight = Decimal(match.group("w")) / 100 if match else None
            parts.append((name, weight, to_decimal(cells[i])))
    score = to_decimal(score_text) if score_text is not None else None
    return ScoreRow(unit_raw=unit_raw, rank=parse_rank(rank_raw), rank_raw=rank_raw, score=score,
                    grade=grade, group=None, parts=parts, line=line)

