"""Problems listed per unit without points (field-survey.md §5), as (unit, problem, count).

Inspection circulars (督查通报) list what was found per unit with counts and no points:
`甲镇：垃圾清运不及时2处，河道漂浮物1处`, or a numbered list under the unit's heading. They are
worth keeping, never as deductions; and only where the text says these are problems (a
存在问题 / 督查发现 chapter or lead-in), so a prose remark is not taken for one.
"""

from __future__ import annotations

import regex

from parsers.entries import labels_of, starts_with_label
from parsers.model import Line, Problem
from parsers.numbers import chinese_to_int

# A chapter or lead-in that says what follows are problems found.
PROBLEM_CUE = regex.compile(
    r"存在(?:的)?问题|(?:督查|检查|暗访|巡查|抽查|明查)(?:中)?发现|发现(?:的)?问题|问题清单|主要问题|问题如下"
)
_COUNT_WORDS = (
    "批次|人次|户次|处|个|起|家|次|项|条|件|人|户|份|宗|批|台|辆|座|所|例|张|块|栋|间|具|只|棵|株|盏|村"
)
_NUMERAL = r"\d+|[一二三四五六七八九十两]+"
# `垃圾清运不及时2处`: the count closing the clause.
_TRAILING_COUNT = regex.compile(
    rf"^(?P<problem>.*?\p{{Han}}.*?)\s*(?:共|计)?(?P<n>{_NUMERAL})\s*(?:{_COUNT_WORDS})$"
)
# `发现3处` / `共2处` on its own: the count of the clause before it.
_COUNT_ONLY = regex.compile(
    rf"^(?:共|累计|合计)?(?:发现|存在|查出|有)?\s*(?P<n>{_NUMERAL})\s*(?:{_COUNT_WORDS})$"
)
# `发现3处垃圾堆放`: the count leading the clause.
_LEADING_COUNT = regex.compile(
    rf"^(?:发现|存在|查出|有)\s*(?P<n>{_NUMERAL})\s*(?:{_COUNT_WORDS})(?P<problem>\p{{Han}}.*)$"
)
_CLAUSES = regex.compile(r"[，,；;。]")
# A remark, an instruction or a clean bill, not a problem: `已责令限期整改`, `请于6月15日前整改`,
# `未发现问题`.
_REMARK = regex.compile(
    r"^(?:已|均已|现已|正在|目前|要求|责令|请|望|务必|限期|立即|针对|对此|以上|上述|各"
    r"|(?:未|没有|无)(?:发现)?(?:明显|任何)?问题)"
)
# A result, not a problem: a rank, a score, money, a rate (`排名第3`, `奖励资金5000元`, `整改率85%`).
_RESULT = regex.compile(r"排名|名次|得分|成绩|奖励|资金|奖金|\d+(?:\.\d+)?\s*(?:万?元|%|％|分)")
# A lead-in or a chapter heading, not a sentence that merely mentions problems (`共发现问题4处`).
_LEAD_IN = regex.compile(r"(?:如下|以下)\s*[：:。]?$|[：:]$|^[（(]?[一二三四五六七八九十]{1,3}[)）、]")
_HAS_COUNT = regex.compile(rf"(?:{_NUMERAL})\s*(?:{_COUNT_WORDS})")


def opens_problems(text: str) -> bool:
    """Whether a line opens a list of problems: `一、存在问题`, `…督查发现问题如下。`."""
    # Every PROBLEM_CUE holds 问题 or 发现: asked of every line, most of which hold neither.
    if "问题" not in text and "发现" not in text:
        return False
    stripped = text.strip()
    return bool(PROBLEM_CUE.search(stripped)) and (len(stripped) <= 16 or bool(_LEAD_IN.search(stripped)))


def may_list_problems(text: str) -> bool:
    """Whether a line under a unit reads as a problem found: a list item, or a clause with a count."""
    stripped = text.strip()
    if not stripped or _REMARK.match(labels_of(stripped)[1]):
        return False
    return starts_with_label(stripped) or bool(_HAS_COUNT.search(stripped))


def problems_of(unit: str, unit_raw: str, text: str, line: Line) -> list[Problem]:
    """One Problem per clause of `text`, with its count when printed."""
    problems: list[Problem] = []
    for clause in _CLAUSES.split(labels_of(text.strip())[1]):
        clause = clause.strip()
        if not clause or _REMARK.match(clause) or _RESULT.search(clause):
            continue
        only = _COUNT_ONLY.match(clause)
        if only:
            if problems and problems[-1].count is None:
                problems[-1].count = chinese_to_int(only.group("n"))
            continue
        problem, count = clause, None
        if found := _TRAILING_COUNT.match(clause) or _LEADING_COUNT.match(clause):
            problem, count = found.group("problem").strip(), chinese_to_int(found.group("n"))
        problems.append(Problem(unit, unit_raw, problem, count, line))
    return problems
