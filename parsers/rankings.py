"""Rankings and grades stated in prose rather than in a score table.

variants §1.3 "Prose ranking" (`排名前三的是A、B、C`, `第一名A，第二名B`, `A、B、C分列前三名`,
`X排名倒数第一`) and §1.4 "Grade circular" (units listed under 优秀 / 良好 / 合格 / 基本合格 /
不合格, inline `优秀等次（2个）：A、B。` or a heading then lists).

Conservative on purpose: a ranking sentence yields rows only when it names a number of
places (前三, 第一名, 倒数第一) and every name in it looks like a unit, and the count of
names agrees with the places named. Narrative such as `永嘉县、洞头区、平阳县得分位居前列`
(in every dev circular) names no place and yields nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

import regex

from parsers.model import Line, UnreadBlock
from parsers.normalize import squash
from parsers.numbers import chinese_to_int
from parsers.tables import ScoreRow
from parsers.units import looks_like_unit, unit_key

GRADES = ("基本合格", "不合格", "优秀", "良好", "较好", "合格", "一般", "较差")
# Grades by ordinal (`第一等次：甲县、乙县。`, field-survey §3): the tier is the grade as printed.
_TIER = r"第[一二三四五六七八九十]等次"
_GRADE = "(?P<grade>" + "|".join(GRADES) + "|" + _TIER + ")"
_ANY_GRADE = regex.compile("|".join(GRADES) + "|等次|分以上|分以下|分至|低于|高于")
# How many units a list names: as 个, or by their kind — schools 所 (fd-11 `优秀等次（8所）：`),
# firms 家, people 人/名.
_COUNTED = r"[\d一二三四五六七八九十]+[个所家人名](?:单位|县区|乡镇|学校|企业)?"
_COUNT_NOTE = rf"(?:[（(](?:共)?{_COUNTED}[）)])"
_ORDINAL = r"(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.、．])?"
# `优秀等次（2个）：淇滨区、浚县。` — the list on the same line (§1.4).
_GRADE_INLINE = regex.compile(
    rf"^{_ORDINAL}(?:评为|评定为)?{_GRADE}(?:等次|等级|单位)?{_COUNT_NOTE}?(?:单位)?[:：](?P<list>.+)$"
)
# `（一）优秀（3个）` on a line of its own; the lists follow on the next lines (§1.4).
_GRADE_HEADING = regex.compile(rf"^{_ORDINAL}{_GRADE}(?:等次|等级|单位)?{_COUNT_NOTE}?[:：]?$")
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
# `A、B等3个单位被评为优秀等次`; `A、B考核为优秀等次；C为良好等次` (field-survey §3), where a bare
# 为 needs the 等次 after the grade (`成绩为优秀率` is no grade).
_GRADE_PROSE = regex.compile(
    rf"(?P<list>[\p{{Han}}（）()·、]+?)(?:等[\d一二三四五六七八九十]+[个所家名](?:单位|县区|乡镇|学校|企业|县（市、区）))?"
    rf"(?:(?:被)?(?:评为|评定为|确定为){_GRADE}(?:等次|等级|单位)?|(?:考核|考评|均)?为{_GRADE}(?:等次|等级))"
)
# Score bands are grades, not scores (field-survey §3): `得分在190分以上的单位是：A、B`, `得分在170分至
# 189分的单位有：…`, `得分低于75分的单位：甲镇（74.16）、乙乡（73.93）` — the band as printed is the grade,
# and a number in parentheses after a name is that unit's score.
_BAND = regex.compile(
    r"^(?:.*[，,])?(?:考评|考核)?(?:得分|成绩|分数)(?:在|为)?(?P<band>\d+分?(?:至|到|-|—|~)\d+分(?:之间)?|"
    r"\d+分(?:以上|以下|\(含\)以上|（含）以上)|(?:低于|高于|不足|超过|不到)\d+分)"
    r"的(?:单位|乡镇|镇|村|县区|县（市、区）)?(?:是|有|为)?[:：]?(?P<list>[^，,：:]+)"
)
_LIST_SPLIT = regex.compile(r"[、，,；;\s]+")
_AND = regex.compile(r"[和及与]")
# A score printed after a name: `东山镇（110.58）`, `向阳村（91分）`, `甲镇88.31分` (field-survey §2).
_NUMBER = r"\d{1,4}(?:\.\d{1,3})?"
_SCORED_ITEM = regex.compile(
    rf"^(?P<unit>[\p{{Han}}·]{{2,24}}?)(?:[（(](?P<p>{_NUMBER})分?[）)]|(?P<s>{_NUMBER})分)$"
)
_NUM = r"[\d一二三四五六七八九十两]{1,3}"
_NAMES = r"(?P<list>[\p{Han}（）()·、]{2,200}?)"
# A list that may carry each unit's score (`东山镇（110.58）、南溪乡（107.83）`).
_ITEMS = r"(?P<list>[\p{Han}（）()·、\d.分]{2,300}?)"
_IS = r"(?:的)?(?:单位|县区|乡镇|县（市、区）|镇|乡|村)?(?:是|为|有|分别是|分别为|依次是|依次为)[:：]?"
_SCOPE = r"(?:全市|全省|全县|全区|全州)?"
# Each pattern: a list of names and the places they take (§1.3).
_TOP_LIST = regex.compile(rf"(?:排名|位列|位居|得分)?{_SCOPE}前(?P<n>{_NUM})(?:名|位)?{_IS}{_ITEMS}$")
_BOTTOM_LIST = regex.compile(
    rf"(?:排名|位列|位居|得分)?{_SCOPE}(?:后|末)(?P<n>{_NUM})(?:名|位)?{_IS}{_ITEMS}$"
)
_LIST_TOP = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居|位列){_SCOPE}前(?P<n>{_NUM})(?:名|位)$"
)
_LIST_BOTTOM = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居|位列){_SCOPE}(?:后|末)(?P<n>{_NUM})(?:名|位)$"
)
_PLACE_LISTS = ((_TOP_LIST, False), (_BOTTOM_LIST, True), (_LIST_TOP, False), (_LIST_BOTTOM, True))
# `鄢陵县、襄城县分列第四、第五名`.
_LIST_ORDINALS = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居){_SCOPE}(?P<places>第{_NUM}(?:名|位)?(?:[、和]第?{_NUM}(?:名|位)?)+)$"
)
# `第一名魏都区` / `第一名为魏都区`; a colon as the 为: `倒数第一名：阜南县；` (fd-08), `第一名：青阳县教育体育局`
# on a line of its own (fd-11).
_ORDINAL_PLACE = rf"(?P<rev>倒数)?第(?P<k>{_NUM})(?:名|位)"
_ORDINAL_FIRST = regex.compile(rf"^{_ORDINAL_PLACE}(?:{_IS}|[:：])?(?P<unit>[\p{{Han}}（）()·]{{2,24}})$")
# A place before a colon is what the clause says, not a lead-in to drop (`倒数第一名：阜南县`).
_PLACE_COLON = regex.compile(rf"{_ORDINAL_PLACE}[:：]$")
_SCORE_WORD = r"(?:以|得分为?|获得?|总分为?)"
# `长葛市排名倒数第一` / `魏都区位列全市第一名`; with the score that placed it: `郊区以96.8分位列第一名`
# (fresh-09), `魏都区得分95分排名第一`.
_UNIT_FIRST = regex.compile(
    rf"^(?P<unit>[\p{{Han}}（）()·]{{2,24}}?)(?:{_SCORE_WORD}(?P<score>\d+(?:\.\d+)?)分)?"
    rf"(?:排名|位列|位居|名列|排在){_SCOPE}(?P<rev>倒数)?第(?P<k>{_NUM})(?:名|位)?$"
)
# A tie in words, over a clause break: `义安区、铜官区均为94.1分，并列第三名` (fresh-09),
# `A、B并列第二名`, `C以90分并列第四` — every unit named takes the same place.
_TIED = regex.compile(
    rf"(?:^|[，,：:]){_NAMES}(?:(?:均为|均以|同为|均得|得分均为|均获得?|以|得分为?)(?P<score>\d+(?:\.\d+)?)分[，,]?)?"
    rf"(?:并列|同列)(?:排名|位列|位居|名列)?{_SCOPE}第(?P<k>{_NUM})(?:名|位)?$"
)
# `全市9个县（市、区）`: how many units are ranked, for places counted from the bottom. Cities
# without county-level cities write `5个县（区）` (addressed `各县、区`).
_POPULATION = regex.compile(
    r"(?:全市|全县|全区|全省|对)共?(?P<n>[\d一二三四五六七八九十]{1,3})个"
    r"(?:县（市、区）|县\(市、区\)|县（区）|县\(区\)|县市区|县区|区县|乡镇（街道）|乡镇|街道|镇街|单位|部门|成员单位|村（居）|村|区)"
)
_SENTENCE = regex.compile(r"[^。；;！!？?\n]+")
_LEAD_IN = regex.compile(r"^.*[:：]")
_IS_COLON = regex.compile(r"(?:是|为)[:：]$")
# Names that look like units but point at the issuer or the reader, not a ranked unit.
_NOT_A_NAME = ("我", "本", "全", "各", "该", "其", "所", "其他", "有关")
# Words no unit name contains but a description of units does (`得分排名前三的县区`).
_DESCRIPTIVE = regex.compile(r"的|得分|排名|名次|考核|考评|评为|以上|以下|所有|年度|季度|月份")


def _is_unit(name: str) -> bool:
    return looks_like_unit(name) and not name.startswith(_NOT_A_NAME) and not _DESCRIPTIVE.search(name)


def _list_items(text: str) -> list[str]:
    """The items of a list (`A、B和C`); 和/及/与 split an item only into units (`和平镇` stays whole)."""
    out: list[str] = []
    for item in _LIST_SPLIT.split(text.strip("。.，,：: ")):
        parts = _AND.split(item)
        out += parts if len(parts) > 1 and all(_is_unit(p) for p in parts) else [item] if item else []
    return [unit_key(x) for x in out]


def _names(text: str) -> list[str] | None:
    """The unit names of a list (`A、B和C`), or None unless every one looks like a unit."""
    items = _list_items(text)
    return items if items and all(_is_unit(x) for x in items) else None


def _scored(text: str) -> list[tuple[str, Decimal | None]] | None:
    """A list's units with the score printed after each, or with None when none prints one.

    None unless every item is a unit, and every item or none has a score: a list half of
    names and half of other things is not read (field-survey: a wrong number is worse).
    """
    items = _list_items(text)
    matches = [_SCORED_ITEM.match(x) for x in items]
    if items and all(matches):
        pairs: list[tuple[str, Decimal | None]] = [
            (m.group("unit"), Decimal(m.group("p") or m.group("s"))) for m in matches if m
        ]
        return pairs if all(_is_unit(u) for u, _ in pairs) else None
    names = _names(text)
    return [(n, None) for n in names] if names else None


def _row(
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


def extract_grade_lists(lines: Iterable[Line]) -> list[ScoreRow]:
    """Rows of units listed under a grade (§1.4); grade set, rank and score None.

    The group is the chapter heading the lists sit under (`一、县（市、区）` / `二、市食安委成员单位`),
    kept only when the lists sit under two or more such headings, as a table's group caption
    counts only where there are several ranking blocks.
    """
    return _groups_if_several(_grade_list_rows(lines))


def _groups_if_several(rows: list[ScoreRow]) -> list[ScoreRow]:
    """Clear the rows' groups unless they sit under two or more chapter headings."""
    if len({row.group for row in rows if row.group}) < 2:
        for row in rows:
            row.group = None
    return rows


def _chapter_group(text: str, group: str | None) -> tuple[bool, str | None]:
    """Whether a line is a chapter heading, and the group in force after it (None for narrative)."""
    if len(text) > 40 or text[:1] not in _CHAPTER_FIRST:
        return False, group  # headings are short and numbered; this runs on every line
    chapter = _GROUP_HEADING.match(text)
    if chapter is None:
        return False, group
    return True, None if _NOT_A_GROUP.search(chapter.group("g")) else chapter.group("g")


def _grade_list_rows(lines: Iterable[Line]) -> list[ScoreRow]:
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
            group = _chapter_group(text, group)[1]
            continue  # most lines name no grade at all: skip the patterns below
        head = _GRADE_HEADING.match(text)
        if head:
            heading = head.group("grade")
            continue
        inline = _GRADE_INLINE.match(text)
        if inline:
            names = _names(_strip_count(inline.group("list")))
            heading = None
            if names:
                rows += [_row(n, None, None, inline.group("grade"), line, group=group) for n in names]
            continue
        if heading is not None:
            names = _names(text)
            if names:
                rows += [_row(n, None, None, heading, line, group=group) for n in names]
                continue
            heading = None
        # A chapter heading may hold a grade word: `二、平安校园建设优秀学校` (fd-11) names a group.
        is_chapter, group = _chapter_group(text, group)
        if is_chapter:
            continue
        for sentence in _SENTENCE.findall(text):
            rows += _sentence_grades(sentence, line, group)
    return rows


def _sentence_grades(sentence: str, line: Line, group: str | None) -> list[ScoreRow]:
    """Rows of a sentence that grades units in words (`A、B考核为优秀等次`) or by a score band."""
    band = _BAND.match(sentence)
    if band:
        items = _scored(band.group("list")) or []
        return [_row(u, None, None, band.group("band"), line, score=score, group=group) for u, score in items]
    prose = _GRADE_PROSE.search(sentence)
    if prose:
        # The names run from the last clause break before the verb.
        names = _names(regex.split(r"[，,：:]", prose.group("list"))[-1]) or []
        return [_row(n, None, None, prose.group("grade"), line, group=group) for n in names]
    return []


def _strip_count(text: str) -> str:
    return regex.sub(rf"{_COUNT_NOTE}|等{_COUNTED}", "", text)


def population_of(lines: Iterable[Line]) -> int | None:
    """How many units the circular ranks, when it says (`对全市9个县（市、区）…进行了考评`)."""
    for line in lines:
        if line.cells is None:
            match = _POPULATION.search(squash(line.text))
            if match:
                return chinese_to_int(match.group("n"))
    return None


def extract_prose_ranks(
    lines: list[Line], exclude: Iterable[str] = (), unread: list[UnreadBlock] | None = None
) -> list[ScoreRow]:
    """Rows of units ranked in sentences (§1.3); rank set, score where the sentence states it.

    `exclude`: names that are not ranked units here (the issuer's own place, `平顶山市` in
    `平顶山市在全省考核中排名第五`). Places counted from the bottom need the number of units
    ranked (`全市9个县区`); without it their rank is None but the row is kept. The group is the
    chapter heading above, as for grade lists. A ranking sentence read only in part yields no
    rows and, when `unread` is given, an UnreadBlock of kind "ranking" there.
    """
    return _groups_if_several(_prose_rank_rows(lines, exclude, unread))


@dataclass(slots=True)
class _Ranked:
    """The rows of prose rankings found so far, the first statement of a unit winning."""

    total: int | None
    blocked: list[str]
    unread: list[UnreadBlock] | None
    group: str | None = None
    rows: dict[str, ScoreRow] = field(default_factory=dict)

    def add(self, unit: str, rank: int | None, raw: str | None, line: Line, score: Decimal | None) -> None:
        if unit not in self.rows and not any(b and (b.startswith(unit) or unit in b) for b in self.blocked):
            self.rows[unit] = _row(unit, rank, raw, None, line, score=score, group=self.group)

    def from_bottom(self, k: int) -> int | None:
        return self.total + 1 - k if self.total else None

    def place(self, unit: str, k: int, rev: str | None, line: Line, score: str | None = None) -> None:
        """A unit at place k, counted from the bottom when `rev` (倒数); the raw place as printed."""
        rank = self.from_bottom(k) if rev else k
        self.add(unit, rank, f"{rev or ''}第{k}", line, Decimal(score) if score else None)

    def doubt(self, line: Line, reason: str) -> None:
        if self.unread is not None:
            self.unread.append(UnreadBlock(line, line, reason, "ranking"))


def _prose_rank_rows(
    lines: list[Line], exclude: Iterable[str] = (), unread: list[UnreadBlock] | None = None
) -> list[ScoreRow]:
    """Prose-ranking rows, each with the chapter heading above it as its group, however many there are."""
    found = _Ranked(population_of(lines), [unit_key(x) for x in exclude if x], unread)
    for line in lines:
        if line.cells is not None:
            continue
        text = squash(line.text)
        # fd-11: `一、县区教育主管部门` above `第一名：…`, `二、平安校园建设优秀学校` above a grade list.
        is_chapter, found.group = _chapter_group(text, found.group)
        if is_chapter or _numbered_list(text, line, found):
            continue
        for sentence in _SENTENCE.findall(text):
            if not any(
                read(sentence, line, found) for read in (_place_then_score, _unit_total_rank, _scored_list)
            ):
                _sentence_ranks(sentence, line, found)
    return list(found.rows.values())


def _sentence_ranks(sentence: str, line: Line, found: _Ranked) -> None:
    """Ties in words, then each clause's list of places or single place."""
    tied = _TIED.search(sentence)
    if tied and (k := chinese_to_int(tied.group("k"))) is not None:
        score = Decimal(tied.group("score")) if tied.group("score") else None
        for unit in _names(tied.group("list")) or []:
            found.add(unit, k, f"并列第{k}", line, score)
    for clause in _clauses(sentence):
        for pattern, bottom in _PLACE_LISTS:
            match = pattern.search(clause)
            if not match:
                continue
            items, n = _scored(match.group("list")), chinese_to_int(match.group("n"))
            if items and n == len(items):
                # Listed in order of rank; a bottom list runs from place total−n+1 to the last.
                for i, (unit, score) in enumerate(items):
                    rank = found.from_bottom(n - i) if bottom else i + 1
                    found.add(unit, rank, f"{'后' if bottom else '前'}{n}", line, score)
            break
        else:
            _ordinal_clause(clause, line, found)


# `1.甲镇；2.乙镇；3.丙乡、丁镇；5.戊镇。` after a lead-in that says it is a ranking (field-survey §2).
_NUMBERED_START = regex.compile(r"[:：]1[.、．](?!\d)")
_NUMBERED_ITEM = regex.compile(r"^(?P<k>\d{1,3})[.、．](?P<list>[^.、．\d][^；;]*)$")
_RANKING_WORD = regex.compile(r"排名|名次|排序|位次")


def _numbered_list(text: str, line: Line, found: _Ranked) -> bool:
    """Rows of a numbered one-line ranking, two names at one number tied; True when the line is one.

    Ties are numbered either way (competition 3, 3, 5 or dense 3, 3, 4): the issuer's convention,
    recorded as printed. A list whose numbers fit neither is a doubt, not rows.
    """
    start = _NUMBERED_START.search(text)
    if start is None or not _RANKING_WORD.search(text[: start.start()]):
        return False
    parts = [_NUMBERED_ITEM.match(p) for p in regex.split(r"[；;]", text[start.end() - 2 :].rstrip("。. "))]
    places: list[tuple[int, list[str]]] = []
    for part in parts:
        names = _names(part.group("list")) if part else None
        if part is None or names is None:
            found.doubt(line, "a numbered ranking list with an item that is not a unit's name")
            return True
        places.append((int(part.group("k")), names))
    # Each number follows the last by one (dense) or by the names at the last (competition).
    steps = [b[0] in (a[0] + 1, a[0] + len(a[1])) for a, b in pairwise(places)]
    if len(places) < 2 or places[0][0] != 1 or not all(steps):
        found.doubt(line, "a numbered ranking list whose numbers do not run in order")
        return True
    for k, names in places:
        for unit in names:
            found.add(unit, k, str(k), line, None)
    return True


# `第一名：青石镇，90.99分` / `第二名为白沙镇（85.10分）` (field-survey §2).
_PLACE_SCORE = regex.compile(
    rf"^(?:.*[:：])?{_ORDINAL_PLACE}(?:{_IS}|[:：])?(?P<unit>[\p{{Han}}·]{{2,24}}?)"
    rf"(?:[，,]|[（(])(?:综合得分|总得分|得分|总分|成绩)?为?(?P<score>{_NUMBER})分[）)]?$"
)


def _place_then_score(sentence: str, line: Line, found: _Ranked) -> bool:
    match = _PLACE_SCORE.match(sentence)
    k = chinese_to_int(match.group("k")) if match else None
    if match is None or k is None or not _is_unit(unit := unit_key(match.group("unit"))):
        return False
    found.place(unit, k, match.group("rev"), line, match.group("score"))
    return True


# `南城区建筑工地考评87.00分，加分0.8分，综合得分89.12分，排名全市第一。` (field-survey §2): every clause
# between the unit and its place is a label and a number of points; the score is the total's.
_RANK_CLAUSE = regex.compile(
    rf"^(?:排名|位列|位居|名列|排在){_SCOPE}(?P<rev>倒数)?第(?P<k>{_NUM})(?:名|位)?$"
)
_POINTS_CLAUSE = regex.compile(rf"^(?P<label>\p{{Han}}{{0,12}}?)(?P<n>{_NUMBER})分$")
_TOTAL_LABEL = regex.compile(r"(?:综合|最终|考核|考评)?(?:总得分|总分|综合得分|综合成绩|最终得分|最终成绩)$")
_ADJUSTMENT = regex.compile(r"扣|减|加|奖|罚")


def _unit_total_rank(sentence: str, line: Line, found: _Ranked) -> bool:
    clauses = regex.split(r"[，,]", sentence)
    place = _RANK_CLAUSE.match(clauses[-1]) if len(clauses) > 1 else None
    k = chinese_to_int(place.group("k")) if place else None
    if place is None or k is None:
        return False
    first = clauses[0]
    unit = next((first[:i] for i in range(2, len(first)) if _is_unit(first[:i])), None)
    points = [_POINTS_CLAUSE.match(c) for c in [first[len(unit or "") :], *clauses[1:-1]]]
    if unit is None or not all(points):
        return False
    totals = [m for m in points if m and _TOTAL_LABEL.search(m.group("label"))]
    plain = [m for m in points if m and not _ADJUSTMENT.search(m.group("label"))]
    score = totals[0] if len(totals) == 1 else plain[0] if len(points) == len(plain) == 1 else None
    if score is None:
        found.doubt(line, f"{unit}: several points clauses before its rank, none of them its total")
        return True
    found.place(unit, k, place.group("rev"), line, score.group("n"))
    return True


# A list of units with their scores: after a lead-in that says what it lists (`各镇得分排名如下：甲镇88.31分、
# 乙镇88.01分`, `…得分：前湾村95分、…`), or with the scores in parentheses heading a sentence
# (`东山镇红旗村（96分）、南溪乡向阳村（91分）村容整洁`; without a lead-in the 分 must be printed: `甲镇（5）`
# may count anything). Ranked by order only where the lead-in says 排名.
_SCORED_LEAD = regex.compile(r"得分|成绩|分数|排名|名次|结果")
# Points taken, added or fined are no scores (`扣分情况：甲镇（2分）…`); prize money (`奖励5000元`)
# beside a list of scores does not make them other than scores.
_NOT_SCORES = regex.compile(r"扣|减|加分|罚")
_TOP_OR_BOTTOM = regex.compile(rf"(?:前|后|末){_NUM}")
_PAREN_LIST = regex.compile(
    rf"^(?P<list>[\p{{Han}}·]{{2,24}}?[（(]{_NUMBER}分[）)](?:、[\p{{Han}}·]{{2,24}}?[（(]{_NUMBER}分[）)])+)"
)


def _scored_list(sentence: str, line: Line, found: _Ranked) -> bool:
    lead, _, body = sentence.rpartition("：") if "：" in sentence else sentence.rpartition(":")
    body = regex.split(r"[，,]", body)[0]
    if _TOP_OR_BOTTOM.search(lead):
        return False  # `排名前三的单位是：…` is read as a list of places
    if lead and _SCORED_LEAD.search(lead):
        items = _scored(body)
    elif not _NOT_SCORES.search(sentence) and (paren := _PAREN_LIST.match(body)):
        lead, items = "", _scored(paren.group("list"))
    else:
        return False
    if not items or any(score is None for _, score in items) or _NOT_SCORES.search(lead):
        return False
    ranked = bool(_RANKING_WORD.search(lead))
    scores = [score for _, score in items if score is not None]
    if ranked and any(a < b for a, b in pairwise(scores)):
        found.doubt(line, "a ranking list whose scores do not fall in the order of places")
        return True
    for i, (unit, score) in enumerate(items):
        found.add(unit, i + 1 if ranked else None, None, line, score)
    return True


def _clauses(sentence: str) -> list[str]:
    """Comma-separated clauses, with a lead-in (`考评结果显示，` / `考核结果：`) left out."""
    parts = [p for p in regex.split(r"[，,]", sentence) if p]
    out = []
    for part in parts:
        lead = _LEAD_IN.match(part)
        # `排名前三位的是：A、B、C` (fc-03): a colon after 是/为 introduces the list, it is no lead-in.
        if lead is None or _IS_COLON.search(lead.group()):
            out.append(part)
        elif place := _PLACE_COLON.search(lead.group()):
            out.append(part[place.start() :])  # `考评结果：倒数第一名：阜南县` keeps its place
        else:
            out.append(part[lead.end() :])
    return out


def _ordinal_clause(clause: str, line: Line, found: _Ranked) -> None:
    ordinals = _LIST_ORDINALS.match(clause)
    if ordinals:
        names = _names(ordinals.group("list"))
        places = [chinese_to_int(k) for k in regex.findall(_NUM, ordinals.group("places"))]
        if names and len(places) == len(names):
            for unit, k in zip(names, places, strict=True):
                found.add(unit, k, f"第{k}名", line, None)
        return
    for pattern in (_ORDINAL_FIRST, _UNIT_FIRST):
        match = pattern.match(clause)
        if match and _names(match.group("unit")) is not None:
            if (k := chinese_to_int(match.group("k"))) is not None:
                found.place(
                    unit_key(match.group("unit")), k, match.group("rev"), line, match.groupdict().get("score")
                )
            return


def merge_prose_rows(
    scores: list[ScoreRow],
    lines: list[Line],
    table_lines: set[int],
    issuer: str | None = None,
    unread: list[UnreadBlock] | None = None,
) -> list[ScoreRow]:
    """Add grade-list and prose-ranking rows to a document's table rows.

    A grade list fills the grade of a table row that has none and adds units the tables
    lack. Prose rankings count only in a circular without a score table: where a table
    exists, the prose restates it (or ranks something else, such as the city in the
    province). Groups from chapter headings count over both kinds together: fd-11 ranks
    three offices under `一、县区教育主管部门` and grades schools under `二、平安校园建设优秀学校`.
    """
    text_lines = [ln for ln in lines if ln.line_no not in table_lines]
    graded = _grade_list_rows(text_lines)
    ranked = [] if scores else _prose_rank_rows(text_lines, [issuer or ""], unread)
    _groups_if_several(graded + ranked)
    out = list(scores)
    by_unit = {unit_key(row.unit_raw): row for row in out}
    for row in graded:
        existing = by_unit.get(row.unit_raw)
        if existing is None:
            by_unit[row.unit_raw] = row
            out.append(row)
        elif existing.grade is None:
            existing.grade = row.grade
    if not scores:
        for row in ranked:
            if row.unit_raw not in by_unit:
                by_unit[row.unit_raw] = row
                out.append(row)
    return out
