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
    "rank": regex.compile(
        # `组内排名` (v06): ranks restarting in each group of a table with a 组别 column.
        r"^(?:排名|名次|位次|排序|排位|综合排名|总排名|得分排名|本月排名|本期排名|组内排名|组内名次)$"
    ),
    # v06 `组别 | 街道（镇） | 得分 | 组内排名`: the group of the units below, merged down its rows.
    "group": regex.compile(r"^(?:组别|分组)$"),
    "seq": regex.compile(r"^(?:序号|编号|序)$"),
    "unit": regex.compile(
        r"^(?:单位|单位名称|被考核单位|被考评单位|被检查单位|责任单位|考核对象|考核单位|地区|区域|名称"
        r"|县区|区县|县市区|县\(市、区\)|县（市、区）|县\(市\)区|县（市）区|市县|县（区）|县\(区\)|乡镇|乡镇（街道）"
        r"|乡镇\(街道\)|街道|镇街|镇（街道）|村|村（居）|村\(居\)|村居|社区|部门|市直部门|单位（部门）|县（市、区）名称"
        # More names of the unit column seen across the family (variants §2 "Columns vary").
        r"|城区|市州|市（州）|市\(州\)|地市|设区市|旗县|县市|县（市）|区（县）|区县（市）|县（区、市）|乡（镇）"
        r"|乡镇（街道、场）|开发区|园区|镇（街道、园区）|成员单位|责任部门|牵头单位|被考核对象"
        r"|镇名|乡镇名称|村名|单位简称"
        # k05: a hotline's table names the departments that handle its work orders `承办单位`.
        r"|承办单位|办理单位|整改单位"
        # field-survey §1: 村别, 学校名称, 小区 head the unit column of flattened web tables.
        r"|村别|镇别|学校|学校名称|小区|小区名称|企业名称|项目名称)$"
    ),
    "score": regex.compile(
        r"^(?:得分|分数|成绩|总分|总得分|考评成绩|考核成绩|考核得分|考评得分|检查得分|督查得分|综合得分|最终得分"
        r"|合计|总成绩|测评得分|评分|得分（分）|得分\(分\)|综合成绩|考核总分|总计"
        # `实得分` after 扣分 and 加分 columns; a quarter's score as the mean of its months (`季度平均`).
        r"|实得分|实际得分|最后得分|季度平均|季度平均分|平均得分|季度得分|年度得分|月度得分"
        # A score printed with its grade in one cell (p08 `得分（等次）| 98.5（优秀）`).
        r"|(?:得分|考核得分|考评得分|综合得分|总分|成绩)(?:及等次|及等级|[（(](?:等次|等级)[)）])"
        # The period's own score beside another period's (p02 `本月得分 | 本月排名 | 累计得分`).
        r"|(?:本月|当月|本期|本季度|本轮|本次)(?:得分|成绩|考核得分|考评得分)"
        # An index scored out of 100 (y06 `综合指数（百分制）` beside its parts).
        r"|综合指数|总指数"
        # A score named by how it was given (w18 `检查评分`).
        r"|(?:检查|考核|考评|督查|测评|综合|暗访|现场)评分"
        # The total named by how it was given (t04 `测评总分` after `分项得分` over its parts).
        r"|(?:检查|考评|督查|测评|评估|评价)总分)$"
    ),
    # A pupils' or a sample's figure beside the unit's score (n02 `语文平均分 | 数学平均分 | … | 综合得分`):
    # an exam's mean, never the unit's score, a part of it or points.
    "measure": regex.compile(r"^(?!平均)\p{Han}{1,6}(?:平均分|均分|最高分|最低分)(?:[（(]\s*分\s*[)）])?$"),
    # A person's name (`姓名 | 单位 | 违纪情况 | 扣分`): the rows are people, their points their own.
    "person": regex.compile(r"^(?:姓名|人员姓名|责任人姓名|当事人|当事人姓名)$"),
    # A traffic light is a grade too (aa05 `亮灯情况` with 绿灯/黄灯/红灯 under it).
    "grade": regex.compile(
        r"^(?:等次|等级|档次|评定等次|考核等次|考评等次|评价等次|评定结果|考核结果|结果|亮灯情况|亮灯|灯色|亮灯等次)$"
    ),
    "points": regex.compile(
        r"^(?:扣分|扣分值|扣减分值|扣分分值|分值|扣分（分）|扣分\(分\)|扣除分值|加减分|加扣分"
        # A deduction column named by the way it was found (field-survey §1: 暗访扣分, 明查扣分).
        # Not another period's (`上月扣分`: other_period, aa01).
        r"|(?!上月|上期|上季|上一季|上年|去年|上轮|上一轮|上次)\p{Han}{2,4}扣分)$"
    ),
    "reason": regex.compile(
        r"^(?:扣分事项|存在问题|扣分原因|扣分情况|问题|主要问题|扣分项目|扣分内容|扣分说明|问题描述|扣分明细|具体问题|加扣分事项|加减分事项|问题清单|发现问题|督查发现问题|存在的问题)$"
    ),
    "remark": regex.compile(
        # Free text beside a score (field-survey §1: sentences with ，and 。), never a figure.
        r"^(?:备注|说明|暗访情况|明查情况|检查纪实|检查情况|督查情况|情况说明|暗访发现|现场情况|主要做法"
        # The rule a deduction cites (y10 `扣分依据 | 细则第3.2条`) beside the problem: not its reason.
        r"|扣分依据|扣分标准|评分依据|依据"
        # A 问题清单's deadline, order number and contact (n06 `整改时限 | 督办文号`, n15 `联络员 | 联系电话`):
        # dates, 文号 and phone numbers beside a problem, never a figure of the unit.
        r"|整改时限|整改期限|完成时限|整改时间|督办文号|文号|联络员|联系人|联系电话)$"
    ),
    # Money (field-survey §1: 奖励金(元), 奖金: a 5000-yuan prize read as points was a real harm).
    "money": regex.compile(
        r"^(?:奖励金|奖金|奖励|奖励资金|奖补资金|奖励金额|奖金额|奖励经费|考核奖金|资金|金额|扣款|罚款|罚金)"
        r"(?:[（(]\s*万?元\s*[)）])?$"
    ),
    # A rate (x18 `完成率（%）`, 整改率, 达标率): a percentage, never points; 得分率 is left to the score.
    "rate": regex.compile(r"^(?!得分)\p{Han}{1,6}率(?:[（(]\s*%\s*[)）])?$"),
    # x03: `基础分 | 扣分 | 加分 | 得分` — the score is the base column minus the 扣分 column plus the
    # 加分 column, so each amount there is a row (score_tables.column_deductions).
    "bonus": regex.compile(r"^(?:加分|加分值|奖励加分|加分（分）|加分\(分\))$"),
    "base": regex.compile(r"^(?:基础分|基本分|基准分|基础分值)(?:（分）|\(分\))?$"),
    # A change since the last round (z12 `名次 | 乡镇 | 较上月` with `↑2`, `—`; z06 `较上季度 | +1.5`): a
    # difference of places or points, never a score, a bonus or a deduction.
    "change": regex.compile(
        r"^(?:(?:较上(?:月|期|季度|季|年|年同期|半年|轮|次)|比上(?:月|期|季度|年)|环比|同比)(?:增减|变化|升降|增加|减少)?"
        r"|位次变化|排名变化|名次变化|升降|升降位次|排名升降|位次升降)(?:[（(]\s*(?:分|位|名|%)\s*[)）])?$"
    ),
    # When a problem was found (q08 `检查日期 | 问题描述 | 扣分`, the dates stored as serial numbers in a
    # workbook): a date, never a unit's name or a figure.
    "date": regex.compile(r"^(?:检查|督查|暗访|巡查|抽查|核查|发现|通报|交办|整改|完成)?(?:日期|时间|时限)$"),
    # Another period's score or rank (p15 `上月得分 | 本月得分 | 较上月`; p02 `本月得分 | 累计得分 |
    # 累计排名`, the year to date): the circular's period is the other column, so never read. The year
    # to date only beside a column of the period (_name_cumulative_columns).
    "other_period": regex.compile(
        # Another period's points too (aa01 `上月扣分 | 本月扣分 | 较上月增减 | 本月得分`).
        r"^(?:(?:上月|上期|上季度|上一季度|上年|上年度|去年|去年同期|上轮|上一轮|上次)(?:得分|成绩|排名|名次|总分|扣分|扣分值|加分)"
        r"|(?:累计|年度累计|全年累计|今年累计|年累计)(?:得分|成绩|总分|排名|名次))$"
    ),
    # The score converted to its share of a larger assessment (p13 `考核得分 | 折算分（×30%）`): the score
    # times a weight the circular computed, never a part of the score nor a score of its own.
    "converted": regex.compile(
        r"^(?:折算|折合|换算)后?(?:分|得分|分值|分数|成绩)(?:[（(][^）)]{0,12}[）)])?$"
    ),
    # Counts (问题数, 村数, 达标村数): how many of something, never points.
    "count": regex.compile(
        r"^(?:\p{Han}{0,4}(?:村|户|处|件|次|个|人|家|起|宗|问题|点位|项)(?:数|数量)|问题个数"
        # x18: `项目数（个）| 完工数（个）` — projects counted, never points.
        r"|(?:项目|完工|开工|竣工|整改|完成|检查|抽查|发现|督查)(?:数|数量|个数)"
        # y13 `信访总量（件次）`: a volume of cases, never points.
        r"|\p{Han}{1,6}(?:总量|总数))"
        r"(?:[（(]\s*\p{Han}{1,2}\s*[)）])?$"
        # A header that states its measure as a counting word (k05 `转办工单（件）`, k02 `短板指标（项）`,
        # k10 `发现问题（个）`): how many, never points, whatever the words before it.
        r"|^\p{Han}{1,8}[（(]\s*(?:件|个|项|次|处|起|宗|人|户|家|村|条|块)\s*[)）]$"
    ),
}
# The unit column named by administrative levels with alternatives in brackets: `村（社区）`,
# `乡镇（街道）`, `县（市、区）名称`, `镇（街道、园区）` (variants §2, §6: every level of unit; fresh-07
# heads its village column `村（社区）`). Only the bracketed form: a bare level word (`市区`) can be a name.
_UNIT_LEVEL = r"(?:县|区|市|州|盟|旗|乡|镇|街道|街|村|居|社区|场|园区|开发区|功能区|管理区|部门|单位)"
UNIT_LEVEL_HEADER = regex.compile(
    rf"^{_UNIT_LEVEL}+[（(]{_UNIT_LEVEL}+(?:[、，,/]{_UNIT_LEVEL}+)*[）)]{_UNIT_LEVEL}*(?:名称)?$"
)
# A word that may name the unit column when a table's other header cells say it is the header
# row (`功能区 | 系统考核(占40%) | … | 总分 | 排名`, fresh-03's second ranking block).
_UNIT_COLUMN_WORD = regex.compile(r"^[\p{Han}（）()、]{1,16}$")
# A scale or unit after a score column's name: `得分（满分1000分）`, `总分(100分)`, `考核得分（分）`
# (variants §4: 1000-point scales; fb-10 prints the scale in the header cell).
_SCORE_QUALIFIER = regex.compile(
    r"[（(](?:满分|总分|计)?\s*(?:\d+(?:\.\d+)?)?\s*分制?[)）]$|[（(][百千]分制[)）]$"
)
# A weighted part: `系统考核(占40%)`, `现场考核（60%）`, `日常考核 权重30%`.
PART_HEADER = regex.compile(r"^(?P<name>.+?)[（(]?(?:占|权重)?(?P<w>\d+(?:\.\d+)?)\s*%[)）]?$")
# A part named without its weight (`系统考核 | 现场考核 | 总分`, the weights maybe on the line
# below: fb-02 `单位系统考核现场考核总分排名` / `（占40%）（占60%）`): a kind of assessment.
BARE_PART_HEADER = regex.compile(r"^\p{Han}{2,8}(?:考核|考评|测评|评价|检查|督查|暗访|评估|核查|抽查)$")
# An additive part with its own maximum: `物业(40分) | 社区(30分) | 城管(30分) | 总分` (field-survey §4:
# parts of 40 + 30 + 30, not weights). A score word with a scale (`总分（24分）`) is the score, not a part.
PART_MAX_HEADER = regex.compile(r"^(?P<name>\p{Han}{1,10})[（(](?:满分)?\s*(?P<max>\d+(?:\.\d+)?)\s*分[)）]$")
# The scale a score column states: `总分（24分）`, `得分（满分100分）`, `满分30分` (field-survey §4: a base).
SCORE_SCALE = regex.compile(r"(?:满分|[（(](?:满分|总分)?)\s*(?P<max>\d+(?:\.\d+)?)\s*分")
# The weights of a header's parts printed on their own, in order: `（占40%）（占60%）`.
PART_WEIGHT = regex.compile(r"[（(](?:占|权重)?\s*\d+(?:\.\d+)?\s*%[)）]")
# A header cell when cells are glued together (`名次镇（街道）得分`): a part's name must be
# Chinese so that the segmentation cannot swallow a neighbouring cell.
GLUED_PART_HEADER = regex.compile(r"^\p{Han}{2,10}[（(]?(?:占|权重)?\d+(?:\.\d+)?%[)）]?$")
# Cell roles whose values are numbers; in glued rows they share runs of digits.
# A month's score in a quarter's or a year's table (`1月 | 2月 | 3月 | 季度平均`, fresh-H h03).
MONTH_PART_HEADER = regex.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份?(?:得分)?$")
NUMERIC_ROLES = {"rank", "seq", "score", "part"}
# A score cell holding its grade in brackets (p08 `98.5（优秀）` under `得分（等次）`).
SCORE_WITH_GRADE = regex.compile(
    r"^(?P<score>\d+(?:\.\d+)?)分?[（(](?P<grade>(?:优秀|良好|较好|合格|基本合格|不合格|一般|较差|好|差)(?:等次)?)[)）]$"
)
GRADE_WORD = regex.compile(r"(?:优秀|良好|较好|合格|基本合格|不合格|一般|较差|好|差)(?:等次)?")
# The longest header word a cell holds (`县（市、区）名称`, `系统考核（占40%）`, `综合得分（分）`).
MAX_HEADER_CELL = 16


def header_roles(cells: tuple[str, ...]) -> list[str | None] | None:
    """Map each header cell to a column role; None if the row is not a header."""
    roles: list[str | None] = [cell_role(cell) for cell in cells]
    known = {r for r in roles if r}
    if not known and not any("分" in cell for cell in cells):
        # Most rows asked are data rows: with no cell a header word, only a score named by its
        # units' level (`县 | 县得分`, _name_unit_by_its_score) could make a header of them.
        return None
    if "part" in known and "score" not in known:
        # A part without its weight is one only beside the total it makes up: a caption such as
        # `市直部门信访工作考核扣分明细` (fresh-04) also ends in 考核.
        roles = [
            None if r == "part" and BARE_PART_HEADER.match(squash(c)) else r
            for c, r in zip(cells, roles, strict=True)
        ]
        known = {r for r in roles if r}
    _name_year_columns(cells, roles)
    _name_unit_by_its_score(cells, roles)
    _name_grade_mark_columns(cells, roles)
    known = {r for r in roles if r}
    if "unit" not in known:
        _name_unit_column(cells, roles)
        known = {r for r in roles if r}
    _name_base_column(cells, roles)
    _name_index_column(cells, roles)
    _name_total_column(cells, roles)
    _name_cumulative_columns(cells, roles)
    if "person" in known:
        # A table of people (个人记分: `王某 | 市商务局 | 上班时间玩游戏 | 3`): each row's points are the
        # person's, not the unit's beside the name; no unit's row comes from it.
        return None
    if "unit" in known and known & {"score", "rank", "grade", "part", "points", "reason", "grade_mark"}:
        return roles
    return None


def table_kind(roles: list[str | None]) -> str:
    """`deduction` for a table that lists deductions, else `score`.

    `街道 | 扣分项目 | 扣分 | 得分` with the score merged down each unit's rows (fresh-F f06) lists
    deductions: a table with both a reason and an amount column is a deduction table.
    """
    kinds = set(roles)
    if (("points" in kinds or "reason" in kinds) and "score" not in kinds) or {"points", "reason"} <= kinds:
        return "deduction"
    return "score"


def _name_base_column(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """`分值` is the base when another column holds the deductions (z02: `单位 | 分值 | 加分 | 扣分 |
    总得分`, the score each unit starts from): alone beside a problem it is the amount deducted
    (`问题 | 分值`), so only a second deduction column makes it the base."""
    at = [i for i, cell in enumerate(cells) if roles[i] == "points" and squash(cell) == "分值"]
    others = [i for i, role in enumerate(roles) if role == "points" and i not in at]
    if len(at) == 1 and others:
        roles[at[0]] = "base"


_INDEX = regex.compile(r"^(?:综合指数|总指数)$")


def _name_index_column(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """`综合指数` is the score only when no other column is (y06 `综合指数（百分制）` beside its parts):
    beside `考核得分` it is a measure the score was computed from (k07: an air-quality index where
    the smaller is better, 3.21 beside 92.5), never a score of its own."""
    at = [i for i, cell in enumerate(cells) if roles[i] == "score" and _INDEX.match(squash(cell))]
    if at and any(role == "score" and i not in at for i, role in enumerate(roles)):
        for i in at:
            roles[i] = None


# A unit's deductions summed (`合计扣分`, `累计扣分`, `扣分小计`): the sum of the amounts beside it.
_TOTAL_POINTS = regex.compile(r"^(?:合计|累计|共|总|共计)扣分(?:值)?$|^扣分(?:合计|小计|总计|总数)$")


def _name_total_column(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """`单位 | 存在问题 | 扣分 | 合计扣分` (v07, the unit and the total merged down its problems): the
    total restates the 扣分 cells beside it, never an amount of its own, so beside another deduction
    column it is `total` (read by nothing); alone it stays the amount."""
    at = [i for i, cell in enumerate(cells) if roles[i] == "points" and _TOTAL_POINTS.match(squash(cell))]
    if at and any(role == "points" and i not in at for i, role in enumerate(roles)):
        for i in at:
            roles[i] = "total"


# The year to date beside the period's own figure (p02 `本月得分 | 本月排名 | 累计得分 | 累计排名`).
_CUMULATIVE = regex.compile(r"^\p{Han}{0,2}累计(?P<what>得分|成绩|总分|排名|名次)$")


def _name_cumulative_columns(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """`累计得分` / `累计排名` are another period's beside a score / rank column of the period: a month's
    circular prints the year to date after the month's (p02). Alone, the header says nothing of
    which figure the circular is about, so the cell has no role (as before the role existed)."""
    for i, cell in enumerate(cells):
        found = _CUMULATIVE.match(squash(cell)) if roles[i] == "other_period" else None
        if found is None:
            continue
        own = "rank" if found["what"] in ("排名", "名次") else "score"
        if own not in roles:
            roles[i] = None


# The mark that puts a unit in a grade's column (n13 `单位 | 优秀 | 良好 | 合格 | 不合格` with `√`).
GRADE_MARK = regex.compile(r"^[√✓✔☑●■]$")


def _name_grade_mark_columns(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """`单位 | 优秀 | 良好 | 合格 | 不合格`: grades as columns, a tick under the unit's (n13). Only beside
    the unit column and nothing else: two grade words or more, every other cell without a role."""
    at = [i for i, cell in enumerate(cells) if roles[i] is None and GRADE_WORD.fullmatch(squash(cell))]
    others = [r for i, r in enumerate(roles) if i not in at]
    if len(at) >= 2 and others.count("unit") == 1 and all(r in ("unit", "seq", None) for r in others):
        for i in at:
            roles[i] = "grade_mark"


# A year's score or rank (n15 `2024年得分 | 2025年得分 | 较上年 | 2025年排名`).
_YEAR_COLUMN = regex.compile(
    r"^(?P<year>(?:19|20)\d{2})年度?(?P<what>得分|总分|成绩|考核得分|综合得分|排名|名次)$"
)


def _name_year_columns(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """`2024年得分 | 2025年得分 | 2025年排名`: a year-on-year table prints last year's figures before
    the year assessed, so the latest year's columns are the score and rank and earlier years' are
    another period's (read by nothing). Needs two years, or one year and no other score column."""
    years = {i: _YEAR_COLUMN.match(squash(cell)) for i, cell in enumerate(cells) if roles[i] == "year"}
    if not years:
        return
    latest = max(m["year"] for m in years.values() if m is not None)
    for i, m in years.items():
        own = "rank" if m is not None and m["what"] in ("排名", "名次") else "score"
        if m is None or m["year"] != latest:
            roles[i] = "other_period"
        else:
            roles[i] = None if own in roles else own


# A score named by the level of the units it scores (p09 `县 | 乡镇 | 存在问题 | 扣分 | 县得分`).
_LEVEL_SCORE = regex.compile(r"^(?P<level>.{1,8}?)(?:得分|总得分|考核得分|综合得分)$")


def _name_unit_by_its_score(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """`县 | 乡镇 | 存在问题 | 扣分 | 县得分`: the score names the column of the units it scores, so
    that column is the unit and another unit column beside it (the township where a county's
    problem was found, p09) is a place within the unit, read by nothing. Without such a score,
    of two unit columns the later stays the unit (`县区 | 乡镇 | 得分` ranks townships)."""
    keys = [squash(cell) for cell in cells]
    for i, key in enumerate(keys):
        found = _LEVEL_SCORE.match(key) if roles[i] is None else None
        if found is None:
            continue
        level = [j for j, k in enumerate(keys) if k == found["level"] and j != i]
        if len(level) != 1 or roles[level[0]] not in (None, "unit"):
            return
        if roles[level[0]] is None and not regex.fullmatch(_UNIT_LEVEL + "+", found["level"]):
            return
        roles[i] = "score"
        for j, role in enumerate(roles):
            if role == "unit":
                roles[j] = "place"
        roles[level[0]] = "unit"
        return


def _name_unit_column(cells: tuple[str, ...], roles: list[str | None]) -> None:
    """Give the unit role to the one cell a header row names in words no list knows.

    A row whose other cells are all header words (at least two, one of them a value column)
    holds no value, so it is a header whatever its unit column is called (fresh-03:
    `功能区 | 系统考核(占40%) | 现场考核(占60%) | 总分 | 排名`). The unknown cell must stand where
    the unit column does: first, or after the rank/序号 columns only.
    """
    unknown = [i for i, role in enumerate(roles) if role is None]
    if len(unknown) != 1 or len(roles) < 3:
        return
    i = unknown[0]
    if not _UNIT_COLUMN_WORD.match(squash(cells[i])) or any(r not in ("rank", "seq") for r in roles[:i]):
        return
    if set(roles) & {"score", "part", "points", "grade"}:
        roles[i] = "unit"


# Every COLUMN_PATTERNS pattern as one alternation, in the same order: each branch keeps its own
# anchors, so the first branch that matches the whole key wins, as trying the patterns in turn
# did, in one pass over the key instead of up to ten (cold caches paid for it on every cell).
_ANY_COLUMN = regex.compile(
    "|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in COLUMN_PATTERNS.items())
)


# The endings BARE_PART_HEADER requires, tested before it.
_ASSESSMENT_ENDINGS = ("考核", "考评", "测评", "评价", "检查", "督查", "暗访", "评估", "核查", "抽查")


def _role_of(key: str, part_header: regex.Pattern[str]) -> str | None:
    """The role of a squashed header word (no whitespace, so `$` is the end of `key`).

    Every table cell is asked once per parse, most of them unit names and values that name no
    column; each pattern after the first runs only when the key holds what it needs (a bracket,
    `%`, `月`, a closing bracket, an assessment word at the end), which such cells rarely do.
    """
    found = _ANY_COLUMN.match(key)
    role = found.lastgroup if found else None
    if role is None and key[0].isdigit() and _YEAR_COLUMN.match(key):
        role = "year"  # which year is the period's: header_roles (_name_year_columns)
    bracketed = "（" in key or "(" in key
    if role is None and bracketed and UNIT_LEVEL_HEADER.match(key):
        role = "unit"
    if role is None and (
        ("%" in key and part_header.match(key))
        or (key.endswith(_ASSESSMENT_ENDINGS) and BARE_PART_HEADER.match(key))
        or ("月" in key and MONTH_PART_HEADER.match(key))
    ):
        role = "part"
    closes = key.endswith((")", "）"))
    if role is None and closes and _SCORE_QUALIFIER.search(key):
        # `得分（满分1000分）`: the name without its scale says the role.
        bare = _role_of(_SCORE_QUALIFIER.sub("", key), part_header)
        role = bare if bare in ("score", "points", "part") else None
    if role is None and closes and PART_MAX_HEADER.match(key):
        role = "part"
    return role


@lru_cache(maxsize=16384)
def cell_role(cell: str) -> str | None:
    """The column role a header cell names (cached: every table row is asked whether it is a header)."""
    key = squash(cell)
    if (
        not key
        or (key[0].isdigit() and not MONTH_PART_HEADER.match(key) and not _YEAR_COLUMN.match(key))
        or len(key) > MAX_HEADER_CELL
    ):
        return None  # a value (`1`, `85.7`) or a sentence, never a header word (a month is one)
    return _role_of(key, PART_HEADER)


@lru_cache(maxsize=8192)
def glued_cell_role(cell: str) -> str | None:
    """The role of a piece of a glued header (`名次镇（街道）得分`): a part needs a Chinese name."""
    key = squash(cell)
    if not key or len(key) > MAX_HEADER_CELL:
        # A blank cell (aa08: flattened ` |` cells) names no column; a sentence is no header word.
        return None
    return _role_of(key, GLUED_PART_HEADER)
