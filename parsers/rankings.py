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

from collections.abc import Callable, Iterable
from decimal import Decimal

import regex

from parsers.model import Line
from parsers.normalize import squash
from parsers.numbers import chinese_to_int
from parsers.tables import ScoreRow
from parsers.units import looks_like_unit, unit_key

GRADES = ("基本合格", "不合格", "优秀", "良好", "较好", "合格", "一般", "较差")
_GRADE = "(?P<grade>" + "|".join(GRADES) + ")"
_ANY_GRADE = regex.compile("|".join(GRADES))
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
# `A、B等3个单位被评为优秀等次`.
_GRADE_PROSE = regex.compile(
    rf"(?P<list>[\p{{Han}}（）()·、]+?)(?:等[\d一二三四五六七八九十]+[个所家名](?:单位|县区|乡镇|学校|企业|县（市、区）))?"
    rf"(?:被)?(?:评为|评定为|确定为){_GRADE}(?:等次|等级|单位)?"
)
_LIST_SPLIT = regex.compile(r"[、，,；;和及与\s]+")
_NUM = r"[\d一二三四五六七八九十两]{1,3}"
_NAMES = r"(?P<list>[\p{Han}（）()·、]{2,200}?)"
_IS = r"(?:的|单位)?(?:是|为|分别是|分别为|依次是|依次为)[:：]?"
_SCOPE = r"(?:全市|全省|全县|全区|全州)?"
# Each pattern: a list of names and the places they take (§1.3).
_TOP_LIST = regex.compile(rf"(?:排名|位列|位居|得分)?{_SCOPE}前(?P<n>{_NUM})(?:名|位)?{_IS}{_NAMES}$")
_BOTTOM_LIST = regex.compile(
    rf"(?:排名|位列|位居|得分)?{_SCOPE}(?:后|末)(?P<n>{_NUM})(?:名|位)?{_IS}{_NAMES}$"
)
_LIST_TOP = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居|位列){_SCOPE}前(?P<n>{_NUM})(?:名|位)$"
)
_LIST_BOTTOM = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居|位列){_SCOPE}(?:后|末)(?P<n>{_NUM})(?:名|位)$"
)
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
    r"(?:县（市、区）|县\(市、区\)|县（区）|县\(区\)|县市区|县区|区县|乡镇（街道）|乡镇|街道|镇街|单位|部门|成员单位|村（居）|村)"
)
_SENTENCE = regex.compile(r"[^。；;！!？?\n]+")
_LEAD_IN = regex.compile(r"^.*[:：]")
_IS_COLON = regex.compile(r"(?:是|为)[:：]$")
_CLAUSE = regex.compile(r"[^，,：:]+(?:[：:][^，,]+)?")
# Names that look like units but point at the issuer or the reader, not a ranked unit.
_NOT_A_NAME = ("我", "本", "全", "各", "该", "其", "所", "其他", "有关")
# Words no unit name contains but a description of units does (`得分排名前三的县区`).
_DESCRIPTIVE = regex.compile(r"的|得分|排名|名次|考核|考评|评为|以上|以下|所有|年度|季度|月份")


def _names(text: str) -> list[str] | None:
    """The unit names of a list (`A、B和C`), or None unless every one looks like a unit."""
    items = [unit_key(x) for x in _LIST_SPLIT.split(text.strip("。.，,：: ")) if x]
    if not items or any(
        not looks_like_unit(x) or x.startswith(_NOT_A_NAME) or _DESCRIPTIVE.search(x) for x in items
    ):
        return None
    return items


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
            prose = _GRADE_PROSE.search(sentence)
            if prose:
                # The names run from the last clause break before the verb.
                names = _names(regex.split(r"[，,：:]", prose.group("list"))[-1])
                if names:
                    rows += [_row(n, None, None, prose.group("grade"), line, group=group) for n in names]
    return rows


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


def extract_prose_ranks(lines: list[Line], exclude: Iterable[str] = ()) -> list[ScoreRow]:
    """Rows of units ranked in sentences (§1.3); rank set, score where the sentence states it.

    `exclude`: names that are not ranked units here (the issuer's own place, `平顶山市` in
    `平顶山市在全省考核中排名第五`). Places counted from the bottom need the number of units
    ranked (`全市9个县区`); without it their rank is None but the row is kept. The group is the
    chapter heading above, as for grade lists.
    """
    return _groups_if_several(_prose_rank_rows(lines, exclude))


def _prose_rank_rows(lines: list[Line], exclude: Iterable[str] = ()) -> list[ScoreRow]:
    """Prose-ranking rows, each with the chapter heading above it as its group, however many there are."""
    total = population_of(lines)
    blocked = [unit_key(x) for x in exclude if x]
    found: dict[str, ScoreRow] = {}
    group: str | None = None

    def add(unit: str, rank: int | None, raw: str, line: Line, score: Decimal | None) -> None:
        if unit not in found and not any(b and (b.startswith(unit) or unit in b) for b in blocked):
            found[unit] = _row(unit, rank, raw, None, line, score=score, group=group)

    def from_bottom(k: int) -> int | None:
        return total + 1 - k if total else None

    for line in lines:
        if line.cells is not None:
            continue
        text = squash(line.text)
        # fd-11: `一、县区教育主管部门` above `第一名：…`, `二、平安校园建设优秀学校` above a grade list.
        is_chapter, group = _chapter_group(text, group)
        if is_chapter:
            continue
        for sentence in _SENTENCE.findall(text):
            tied = _TIED.search(sentence)
            if tied and (k := chinese_to_int(tied.group("k"))) is not None:
                score = Decimal(tied.group("score")) if tied.group("score") else None
                for unit in _names(tied.group("list")) or []:
                    add(unit, k, f"并列第{k}", line, score)
            for clause in _clauses(sentence):
                for pattern, bottom in (
                    (_TOP_LIST, False),
                    (_BOTTOM_LIST, True),
                    (_LIST_TOP, False),
                    (_LIST_BOTTOM, True),
                ):
                    match = pattern.search(clause)
                    if not match:
                        continue
                    names, n = _names(match.group("list")), chinese_to_int(match.group("n"))
                    if names and n == len(names):
                        # Listed in order of rank; a bottom list runs from place total−n+1 to the last.
                        for i, unit in enumerate(names):
                            rank = from_bottom(n - i) if bottom else i + 1
                            add(unit, rank, f"{'后' if bottom else '前'}{n}", line, None)
                    break
                else:
                    _ordinal_clause(clause, line, add, from_bottom)
    return list(found.values())


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


def _ordinal_clause(
    clause: str,
    line: Line,
    add: Callable[[str, int | None, str, Line, Decimal | None], None],
    from_bottom: Callable[[int], int | None],
) -> None:
    ordinals = _LIST_ORDINALS.match(clause)
    if ordinals:
        names = _names(ordinals.group("list"))
        places = [chinese_to_int(k) for k in regex.findall(_NUM, ordinals.group("places"))]
        if names and len(places) == len(names):
            for unit, k in zip(names, places, strict=True):
                add(unit, k, f"第{k}名", line, None)
        return
    for pattern in (_ORDINAL_FIRST, _UNIT_FIRST):
        match = pattern.match(clause)
        if match and _names(match.group("unit")) is not None:
            k = chinese_to_int(match.group("k"))
            if k is None:
                return
            rank = from_bottom(k) if match.group("rev") else k
            stated = match.groupdict().get("score")
            add(
                unit_key(match.group("unit")),
                rank,
                ("倒数" if match.group("rev") else "") + f"第{k}",
                line,
                Decimal(stated) if stated else None,
            )
            return


def merge_prose_rows(
    scores: list[ScoreRow], lines: list[Line], table_lines: set[int], issuer: str | None = None
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
    ranked = [] if scores else _prose_rank_rows(text_lines, [issuer or ""])
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
