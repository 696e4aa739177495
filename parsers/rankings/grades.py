"""Grades stated in prose: units listed under 优秀 / 良好 / … or an ordinal 等次, and score bands.

variants §1.4 "Grade circular" (units under 优秀 / 良好 / 合格 / 基本合格 / 不合格, inline
`优秀等次（2个）：A、B。` or a heading then lists) and field-survey.md §3 (`第一等次：甲县、乙县。`,
`甲县、乙县考核为优秀等次`, score bands `得分在190分以上的单位是：…` as grades).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex

from parsers.model import Line
from parsers.normalize import squash
from parsers.rankings.lists import (
    SENTENCE,
    chapter_group,
    groups_if_several,
    names_of,
    score_row,
    scored_items,
)
from parsers.tables import ScoreRow

GRADES = ("基本合格", "不合格", "优秀", "良好", "较好", "合格", "一般", "较差")
# Grades by ordinal (`第一等次：甲县、乙县。`, field-survey §3): the tier is the grade as printed.
_TIER = r"第[一二三四五六七八九十]等次"
_GRADE = "(?P<grade>" + "|".join(GRADES) + "|" + _TIER + ")"
# Literal words: the re module reads them as regex does, at a third of the cost (asked of every line).
_ANY_GRADE = re.compile("|".join(GRADES) + "|等次|等级|分以上|分以下|分至|低于|高于")
# How many units a list names: as 个, or by their kind — schools 所 (fd-11 `优秀等次（8所）：`),
# firms 家, people 人/名.
_COUNTED = r"[\d一二三四五六七八九十]+[个所家人名](?:单位|县区|乡镇|学校|企业)?"
_COUNT_NOTE = rf"(?:[（(](?:共)?{_COUNTED}[）)])"
_ORDINAL = r"(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.、．])?"
# A grade in quotation marks (k04: 乡村振兴实绩考核 `“好”等次（3个）：`, the levels 好/较好/一般/差):
# quoted, the one-character grades 好 and 差 are grades too; bare, they are any sentence's words.
_GRADE_OR_QUOTED = (
    r"(?:[“\"「'‘](?P<grade>" + "|".join(GRADES) + "|" + _TIER + r"|好|差)[”\"」'’]|" + _GRADE + ")"
)
# `优秀等次（2个）：淇滨区、浚县。` — the list on the same line (§1.4).
_GRADE_INLINE = regex.compile(
    rf"^{_ORDINAL}(?:评为|评定为)?{_GRADE_OR_QUOTED}(?:等次|等级|单位)?{_COUNT_NOTE}?(?:单位)?[:：](?P<list>.+)$"
)
# `（一）优秀（3个）` on a line of its own; the lists follow on the next lines (§1.4).
_GRADE_HEADING = regex.compile(rf"^{_ORDINAL}{_GRADE_OR_QUOTED}(?:等次|等级|单位)?{_COUNT_NOTE}?[:：]?$")
# `A、B等3个单位被评为优秀等次`; `A、B考核为优秀等次；C为良好等次` (field-survey §3), where a bare
# 为 needs the 等次 after the grade (`成绩为优秀率` is no grade).
# The longest run of names a graded list holds (30 units of 4–8 characters with 、): bounded so a
# search through a long run of Han text that holds no grade costs linear, not quadratic, time
# (a 5,000-character sentence with a 为 took 4.5 s).
_LIST_MAX = 400
_LIST_CHAR = regex.compile(r"[\p{Han}（）()·、]")
# A grade after 为 somewhere in the sentence: without one the names' search cannot match.
_GRADE_AFTER_WEI = regex.compile(rf"为{_GRADE}")
_GRADE_PROSE = regex.compile(
    rf"(?P<list>[\p{{Han}}（）()·、]{{1,{_LIST_MAX}}}?)(?:等[\d一二三四五六七八九十]+[个所家名](?:单位|县区|乡镇|学校|企业|县（市、区）))?"
    rf"(?:(?:被)?(?:评为|评定为|确定为){_GRADE}(?:等次|等级|单位)?|(?:考核|考评|均)?为{_GRADE}(?:等次|等级))"
)
# `南湾镇、东坑镇综合评价等次为“优秀”` (y08): the grade named after 等次为, often in quotation marks; it
# must end the clause (`综合评价等次为“优秀”的12个` counts units, it names none).
_GRADE_IS = regex.compile(rf"(?:等次|等级)(?:为|是)[“\"「]?{_GRADE}[”\"」]?(?:等次)?$")
# The words between the names and 等次为 (`综合评价`), cut off the names' end.
_GRADE_IS_LEAD = regex.compile(r"(?:综合评价|综合|考核|考评|评价|评定)$")

# Score bands are grades, not scores (field-survey §3): `得分在190分以上的单位是：A、B`, `得分在170分至
# 189分的单位有：…`, `得分低于75分的单位：甲镇（74.16）、乙乡（73.93）` — the band as printed is the grade,
# and a number in parentheses after a name is that unit's score — then the band only restates
# the scores and is no grade (as the gold sets label it).
_BAND = regex.compile(
    r"^(?:.*[，,])?(?:考评|考核)?(?:平均)?(?:得分|成绩|分数|分)(?:在|为)?(?P<band>\d+分?(?:至|到|-|—|~)\d+分(?:之间)?|"
    r"\d+分(?:以上|以下|\(含\)以上|（含）以上)|(?:低于|高于|不足|超过|不到)\d+分)"
    r"的[\p{Han}（）()、]{0,8}?(?:是|有|为)?[:：](?P<list>[^，,：:]+)"
)

# A band with the count of units in it, then the units (k11 `从得分看，90分以上的有2个，分别是东坡街道
# （94.5分）、南湖街道（92分）；80分至90分的有3个，分别是…`): read as _BAND.
_BAND_COUNTED = regex.compile(
    r"^(?:.*[，,])?(?P<band>\d+分?(?:至|到|-|—|~)\d+分(?:之间)?|\d+分(?:以上|以下))的(?:单位|街道|乡镇|县区)?"
    r"(?:有|共)[\d一二三四五六七八九十]+个[，,](?:分别是|分别为|即|是|为)[:：]?(?P<list>[^，,：:]+)$"
)


def extract_grade_lists(lines: Iterable[Line]) -> list[ScoreRow]:
    """Rows of units listed under a grade (§1.4); grade set, rank and score None.

    The group is the chapter heading the lists sit under (`一、县（市、区）` / `二、市食安委成员单位`),
    kept only when the lists sit under two or more such headings, as a table's group caption
    counts only where there are several ranking blocks.
    """
    return groups_if_several(grade_list_rows(lines))


def grade_list_rows(lines: Iterable[Line]) -> list[ScoreRow]:
    """Grade-list rows, each with the chapter heading above it as its group, however many there are."""
    rows: list[ScoreRow] = []
    heading: str | None = None
    group: str | None = None
    for line in lines:
        if line.cells is not None:
            heading = None
            continue
        text = squash(line.text)
        if heading is None and not _ANY_GRADE.search(text):
            group = chapter_group(text, group)[1]
            continue  # most lines name no grade at all: skip the patterns below
        head = _GRADE_HEADING.match(text)
        if head:
            heading = head.group("grade")
            continue
        inline = _GRADE_INLINE.match(text)
        if inline:
            listed = _strip_count(inline.group("list"))
            names = names_of(listed)
            heading = None
            if names:
                rows += [score_row(n, None, None, inline.group("grade"), line, group=group) for n in names]
            elif items := scored_items(listed):
                # k04 `“好”等次（3个）：桃源镇（95.6分）、杏林镇（94.2分）`: each name with its score.
                rows += [
                    score_row(u, None, None, inline.group("grade"), line, score=score, group=group)
                    for u, score in items
                ]
            continue
        if heading is not None:
            names = names_of(text)
            if names:
                rows += [score_row(n, None, None, heading, line, group=group) for n in names]
                continue
            heading = None
        # A chapter heading may hold a grade word: `二、平安校园建设优秀学校` (fd-11) names a group.
        is_chapter, group = chapter_group(text, group)
        if is_chapter:
            continue
        for sentence in SENTENCE.findall(text):
            rows += _sentence_grades(sentence, line, group)
    return rows


def _sentence_grades(sentence: str, line: Line, group: str | None) -> list[ScoreRow]:
    """Rows of a sentence that grades units in words (`A、B考核为优秀等次`) or by a score band."""
    # A band prints 分 and a grade in prose a 为 (评为, 考核为): the patterns search slowly elsewhere.
    band = (_BAND.match(sentence) or _BAND_COUNTED.match(sentence)) if "分" in sentence else None
    if band:
        items = scored_items(band.group("list")) or []
        grade = None if any(score is not None for _, score in items) else band.group("band")
        return [score_row(u, None, None, grade, line, score=score, group=group) for u, score in items]
    prose = _GRADE_PROSE.search(sentence) if "为" in sentence and _GRADE_AFTER_WEI.search(sentence) else None
    if prose and prose.start() > 0 and _LIST_CHAR.match(sentence, prose.start() - 1):
        return []  # a run of names longer than any list: where it starts is not known
    if prose:
        # The names run from the last clause break before the verb.
        names = names_of(regex.split(r"[，,：:]", prose.group("list"))[-1]) or []
        return [score_row(n, None, None, prose.group("grade"), line, group=group) for n in names]
    # Found from the end and the names cut back to the clause break: a search with the names as a
    # lazy group ran in time quadratic in the sentence's length (2 s on 5,000 characters).
    named = _GRADE_IS.search(sentence) if "等" in sentence else None
    if named:
        head = _GRADE_IS_LEAD.sub("", regex.split(r"[，,：:]", sentence[: named.start()])[-1])
        names = names_of(head) or []
        return [score_row(n, None, None, named.group("grade"), line, group=group) for n in names]
    return []


def _strip_count(text: str) -> str:
    return regex.sub(rf"{_COUNT_NOTE}|等{_COUNTED}", "", text)
