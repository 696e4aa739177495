"""The column roles of score and deduction tables, named by their header cells.

variants §2: 排名/名次/序号, 单位/县区/乡镇, 得分/考评成绩/总分, 等次, 备注, 存在问题, weighted
parts `系统考核(占40%)`; one place for the words, shared by the table reader and the
restoration of tables damaged on the way to text.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from parsers.normalize import squash

COLUMN_PATTERNS: dict[str, regex.Pattern[str]] = {
    "rank": regex.compile(r"^(?:排名|名次|位次|排序|排位|综合排名|总排名|得分排名|本月排名|本期排名)$"),
    "seq": regex.compile(r"^(?:序号|编号|序)$"),
    "unit": regex.compile(
        r"^(?:单位|单位名称|被考核单位|被考评单位|被检查单位|责任单位|考核对象|考核单位|地区|区域|名称"
        r"|县区|区县|县市区|县\(市、区\)|县（市、区）|县\(市\)区|县（市）区|市县|县（区）|县\(区\)|乡镇|乡镇（街道）"
        r"|乡镇\(街道\)|街道|镇街|镇（街道）|村|村（居）|村\(居\)|村居|社区|部门|市直部门|单位（部门）|县（市、区）名称"
        # More names of the unit column seen across the family (variants §2 "Columns vary").
        r"|城区|市州|市（州）|市\(州\)|地市|设区市|旗县|县市|县（市）|区（县）|区县（市）|县（区、市）|乡（镇）"
        r"|乡镇（街道、场）|开发区|园区|镇（街道、园区）|成员单位|责任部门|牵头单位|被考核对象)$"
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
PART_HEADER = regex.compile(r"^(?P<name>.+?)[（(]?(?:占|权重)?(?P<w>\d+(?:\.\d+)?)\s*%[)）]?$")
# A header cell when cells are glued together (`名次镇（街道）得分`): a part's name must be
# Chinese so that the segmentation cannot swallow a neighbouring cell.
GLUED_PART_HEADER = regex.compile(r"^\p{Han}{2,10}[（(]?(?:占|权重)?\d+(?:\.\d+)?%[)）]?$")
# Cell roles whose values are numbers; in glued rows they share runs of digits.
NUMERIC_ROLES = {"rank", "seq", "score", "part"}
GRADE_WORD = regex.compile(r"(?:优秀|良好|较好|合格|基本合格|不合格|一般|较差|好|差)(?:等次)?")
# The longest header word a cell holds (`县（市、区）名称`, `系统考核（占40%）`, `综合得分（分）`).
MAX_HEADER_CELL = 16


def header_roles(cells: tuple[str, ...]) -> list[str | None] | None:
    """Map each header cell to a column role; None if the row is not a header."""
    roles: list[str | None] = [cell_role(cell) for cell in cells]
    known = {r for r in roles if r}
    if "unit" in known and known & {"score", "rank", "grade", "part", "points", "reason"}:
        return roles
    return None


def _role_of(key: str, part_header: regex.Pattern[str]) -> str | None:
    role = next((name for name, pattern in COLUMN_PATTERNS.items() if pattern.match(key)), None)
    if role is None and part_header.match(key):
        role = "part"
    return role


@lru_cache(maxsize=16384)
def cell_role(cell: str) -> str | None:
    """The column role a header cell names (cached: every table row is asked whether it is a header)."""
    key = squash(cell)
    if not key or key[0].isdigit() or len(key) > MAX_HEADER_CELL:
        return None  # a value (`1`, `85.7`) or a sentence, never a header word
    return _role_of(key, PART_HEADER)


@lru_cache(maxsize=8192)
def glued_cell_role(cell: str) -> str | None:
    """The role of a piece of a glued header (`名次镇（街道）得分`): a part needs a Chinese name."""
    key = squash(cell)
    if len(key) > MAX_HEADER_CELL:
        return None  # a sentence, not a header word: skip the patterns
    return _role_of(key, GLUED_PART_HEADER)
