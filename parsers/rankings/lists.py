"""Unit names in lists and the scores printed after them, shared by grade lists and rankings.

A list is read whole or not at all: every item must look like a unit (a place or an office,
parsers.units), and a list half of names and half of other things yields nothing
(field-survey.md: a wrong number is worse than a missing one).
"""

from __future__ import annotations

from decimal import Decimal

import regex

from parsers.model import Line
from parsers.tables import ScoreRow
from parsers.units import looks_like_unit, unit_key

_LIST_SPLIT = regex.compile(r"[、，,；;\s]+")
_AND = regex.compile(r"[和及与]")
# A score printed after a name: `东山镇（110.58）`, `向阳村（91分）`, `甲镇88.31分` (field-survey §2).
NUMBER = r"\d{1,4}(?:\.\d{1,3})?"
_SCORED_ITEM = regex.compile(
    rf"^(?P<unit>[\p{{Han}}·]{{2,24}}?)(?:[（(](?P<p>{NUMBER})分?[）)]|(?P<s>{NUMBER})分)$"
)
# A place or a count in digits or Chinese numerals (两 as in `排名后两位`).
NUM = r"[\d一二三四五六七八九十两]{1,3}"
SENTENCE = regex.compile(r"[^。；;！!？?\n]+")
# A kind of unit, not one (`得分在90分以上的社区：`); `高新区`, `开发区` are names as well as kinds.
_KINDS = frozenset(
    ("社区", "街道", "乡镇", "镇街", "县区", "区县", "单位", "部门", "学校", "企业", "医院", "村居")
)
# Names that look like units but point at the issuer or the reader, not a ranked unit.
_NOT_A_NAME = ("我", "本", "全", "各", "该", "其", "所", "其他", "有关")
# Words no unit name contains but a description of units does (`得分排名前三的县区`).
_DESCRIPTIVE = regex.compile(r"的|得分|排名|名次|考核|考评|评为|以上|以下|所有|年度|季度|月份")
# A chapter heading that names the units graded under it: `一、县（市、区）`, `（二）市食安委成员单位`
# (variants §2 several ranking blocks, here as grade lists; fresh-06). Headings of narrative
# chapters (`三、有关要求`, `一、考核结果`) name no group.
_CHAPTER_FIRST = frozenset("（(一二三四五六七八九十")
_GROUP_HEADING = regex.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．])"
    r"(?P<g>[\p{Han}（）()、]{2,16}?)(?:考核|考评)?(?:排名|等次|结果|情况)*(?:如下)?[:：]?$"
)
_NOT_A_GROUP = regex.compile(
    r"要求|问题|措施|做法|经验|意见|工作|情况|结果|总体|运用|说明|建议|考核|考评|通报"
)


def is_unit(name: str) -> bool:
    """A name that looks like a unit and is not the issuer, the reader or a description of units."""
    return (
        looks_like_unit(name)
        and not name.startswith(_NOT_A_NAME)
        and not _DESCRIPTIVE.search(name)
        and name not in _KINDS
    )


def list_items(text: str) -> list[str]:
    """The items of a list (`A、B和C`); 和/及/与 split an item only into units (`和平镇` stays whole)."""
    out: list[str] = []
    for item in _LIST_SPLIT.split(text.strip("。.，,：: ")):
        parts = _AND.split(item)
        out += parts if len(parts) > 1 and all(is_unit(p) for p in parts) else [item] if item else []
    return [unit_key(x) for x in out]


def names_of(text: str) -> list[str] | None:
    """The unit names of a list (`A、B和C`), or None unless every one looks like a unit."""
    items = list_items(text)
    return items if items and all(is_unit(x) for x in items) else None


def scored_items(text: str) -> list[tuple[str, Decimal | None]] | None:
    """A list's units with the score printed after each, or with None when none prints one.

    None unless every item is a unit, and every item or none has a score: a list half of
    names and half of other things is not read (field-survey: a wrong number is worse).
    """
    items = list_items(text)
    matches = [_SCORED_ITEM.match(x) for x in items]
    if items and all(matches):
        pairs: list[tuple[str, Decimal | None]] = [
            (m.group("unit"), Decimal(m.group("p") or m.group("s"))) for m in matches if m
        ]
        return pairs if all(is_unit(u) for u, _ in pairs) else None
    names = names_of(text)
    return [(n, None) for n in names] if names else None


def score_row(
    unit: str,
    rank: int | None,
    rank_raw: str | None,
    grade: str | None,
    line: Line,
    score: Decimal | None = None,
    group: str | None = None,
) -> ScoreRow:
    return ScoreRow(
        unit_raw=unit, rank=rank, rank_raw=rank_raw, score=score, grade=grade, group=group, line=line
    )


def groups_if_several(rows: list[ScoreRow]) -> list[ScoreRow]:
    """Clear the rows' groups unless they sit under two or more chapter headings."""
    if len({row.group for row in rows if row.group}) < 2:
        for row in rows:
            row.group = None
    return rows


def chapter_group(text: str, group: str | None) -> tuple[bool, str | None]:
    """Whether a line is a chapter heading, and the group in force after it (None for narrative)."""
    if len(text) > 40 or text[:1] not in _CHAPTER_FIRST:
        return False, group  # headings are short and numbered; this runs on every line
    chapter = _GROUP_HEADING.match(text)
    if chapter is None:
        return False, group
    return True, None if _NOT_A_GROUP.search(chapter.group("g")) else chapter.group("g")
