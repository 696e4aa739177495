"""Rankings stated in sentences and one-line lists rather than in a score table.

variants §1.3 "Prose ranking" (`排名前三的是A、B、C`, `第一名A，第二名B`, `A、B、C分列前三名`,
`X排名倒数第一`) and field-survey.md §2 (scores in parentheses, `第一名：X，90.99分`, scored
lists, numbered one-line lists with ties, `综合得分…，排名全市第一`).

Conservative on purpose: a ranking sentence yields rows only when it names a number of
places (前三, 第一名, 倒数第一) and every name in it looks like a unit, and the count of
names agrees with the places named. Narrative such as `永嘉县、洞头区、平阳县得分位居前列`
(in every dev circular) names no place and yields nothing; a sentence that clearly ranks but is
read only in part yields an UnreadBlock instead of rows.
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
from parsers.rankings.lists import (
    NUM,
    NUMBER,
    SENTENCE,
    chapter_group,
    groups_if_several,
    is_unit,
    names_of,
    score_row,
    scored_items,
)
from parsers.tables import ScoreRow
from parsers.units import unit_key

_NAMES = r"(?P<list>[\p{Han}（）()·、]{2,200}?)"
# A list that may carry each unit's score (`东山镇（110.58）、南溪乡（107.83）`).
_ITEMS = r"(?P<list>[\p{Han}（）()·、\d.分]{2,300}?)"
_IS = r"(?:的)?(?:单位|县区|乡镇|县（市、区）|镇|乡|村)?(?:是|为|有|分别是|分别为|依次是|依次为)[:：]?"
_SCOPE = r"(?:全市|全省|全县|全区|全州)?"
# Each pattern: a list of names and the places they take (§1.3).
_TOP_LIST = regex.compile(rf"(?:排名|位列|位居|得分)?{_SCOPE}前(?P<n>{NUM})(?:名|位)?{_IS}{_ITEMS}$")
_BOTTOM_LIST = regex.compile(
    rf"(?:排名|位列|位居|得分)?{_SCOPE}(?:后|末)(?P<n>{NUM})(?:名|位)?{_IS}{_ITEMS}$"
)
_LIST_TOP = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居|位列){_SCOPE}前(?P<n>{NUM})(?:名|位)$"
)
_LIST_BOTTOM = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居|位列){_SCOPE}(?:后|末)(?P<n>{NUM})(?:名|位)$"
)
_PLACE_LISTS = ((_TOP_LIST, False), (_BOTTOM_LIST, True), (_LIST_TOP, False), (_LIST_BOTTOM, True))
# `鄢陵县、襄城县分列第四、第五名`; with the scores that placed them, one apiece in order:
# `凤凰街道、梅林街道分别以94.00分、93.25分位列第四、第五` (x09).
_LIST_ORDINALS = regex.compile(
    rf"^{_NAMES}(?:分列|分别位列|分别排名|依次位列|分居|(?:分别|依次)以(?P<scores>{NUMBER}分(?:、{NUMBER}分)+)"
    rf"(?:位列|排名|位居|名列)){_SCOPE}(?P<places>第{NUM}(?:名|位)?(?:[、和]第?{NUM}(?:名|位)?)+)$"
)
# A clause that is only a score (`得分为80.21`, `得分81.99分`), after a clause placing one unit.
_SCORE_AFTER = regex.compile(rf"^(?:总得分|综合得分|得分|总分|成绩)(?:为|是)?(?P<score>{NUMBER})分?$")
# `第一名魏都区` / `第一名为魏都区`; a colon as the 为: `倒数第一名：阜南县；` (fd-08), `第一名：青阳县教育体育局`
# on a line of its own (fd-11).
# A note that the place is the last (`第六名（末位）：…`, y07) says nothing more than the place.
_ORDINAL_PLACE = rf"(?P<rev>倒数)?第(?P<k>{NUM})(?:名|位)(?:[（(](?:末位|末名|最后一名|倒数第一名?)[）)])?"
_ORDINAL_FIRST = regex.compile(rf"^{_ORDINAL_PLACE}(?:{_IS}|[:：])?(?P<unit>[\p{{Han}}（）()·]{{2,24}})$")
# A place before a colon is what the clause says, not a lead-in to drop (`倒数第一名：阜南县`).
_PLACE_COLON = regex.compile(rf"{_ORDINAL_PLACE}[:：]$")
_SCORE_WORD = r"(?:以|得分为?|获得?|总分为?)"
# `长葛市排名倒数第一` / `魏都区位列全市第一名`; with the score that placed it: `郊区以96.8分位列第一名`
# (fresh-09), `魏都区得分95分排名第一`.
_UNIT_FIRST = regex.compile(
    rf"^(?P<unit>[\p{{Han}}（）()·]{{2,24}}?)(?:{_SCORE_WORD}(?P<score>\d+(?:\.\d+)?)分)?"
    rf"(?:排名|位列|位居|名列|排在){_SCOPE}(?P<rev>倒数)?第(?P<k>{NUM})(?:名|位)?$"
)
# A tie in words, over a clause break: `义安区、铜官区均为94.1分，并列第三名` (fresh-09),
# `A、B并列第二名`, `C以90分并列第四` — every unit named takes the same place.
_TIED = regex.compile(
    rf"(?:^|[，,：:]){_NAMES}(?:(?:均为|均以|同为|均得|得分均为|均获得?|以|得分为?)(?P<score>\d+(?:\.\d+)?)分[，,]?)?"
    rf"(?:并列|同列)(?:排名|位列|位居|名列)?{_SCOPE}第(?P<k>{NUM})(?:名|位)?$"
)
# `全市9个县（市、区）`: how many units are ranked, for places counted from the bottom. Cities
# without county-level cities write `5个县（区）` (addressed `各县、区`).
_POPULATION = regex.compile(
    r"(?:全市|全县|全区|全省|对)共?(?P<n>[\d一二三四五六七八九十]{1,3})个"
    r"(?:县（市、区）|县\(市、区\)|县（区）|县\(区\)|县市区|县区|区县|乡镇（街道）|乡镇|街道|镇街|单位|部门|成员单位|村（居）|村|区)"
)
_LEAD_IN = regex.compile(r"^.*[:：]")
_IS_COLON = regex.compile(r"(?:是|为)[:：]$")


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
    return groups_if_several(prose_rank_rows(lines, exclude, unread))


@dataclass(slots=True)
class _Ranked:
    """The rows of prose rankings found so far, the first statement of a unit winning."""

    total: int | None
    blocked: list[str]
    unread: list[UnreadBlock] | None
    group: str | None = None
    rows: dict[str, ScoreRow] = field(default_factory=dict)
    results: set[int] = field(default_factory=set)
    """Lines that are a unit's result sentence and nothing else: no section may read them again."""

    def add(self, unit: str, rank: int | None, raw: str | None, line: Line, score: Decimal | None) -> None:
        if unit not in self.rows and not any(b and (b.startswith(unit) or unit in b) for b in self.blocked):
            self.rows[unit] = score_row(unit, rank, raw, None, line, score=score, group=self.group)

    def from_bottom(self, k: int) -> int | None:
        return self.total + 1 - k if self.total else None

    def place(self, unit: str, k: int, rev: str | None, line: Line, score: str | None = None) -> None:
        """A unit at place k, counted from the bottom when `rev` (倒数); the raw place as printed."""
        rank = self.from_bottom(k) if rev else k
        self.add(unit, rank, f"{rev or ''}第{k}", line, Decimal(score) if score else None)

    def doubt(self, line: Line, reason: str) -> None:
        if self.unread is not None:
            self.unread.append(UnreadBlock(line, line, reason, "ranking"))


def prose_rank_rows(
    lines: list[Line],
    exclude: Iterable[str] = (),
    unread: list[UnreadBlock] | None = None,
    results: set[int] | None = None,
) -> list[ScoreRow]:
    """Prose-ranking rows, each with the chapter heading above it as its group, however many there are.

    `results`, when given, receives the line numbers of lines that are only a unit's result.
    """
    found = _Ranked(population_of(lines), [unit_key(x) for x in exclude if x], unread)
    taken = _numbered_lines(lines, found)
    lead = ""
    for line in lines:
        if line.line_no in taken:
            continue
        if line.cells is not None:
            lead = ""
            continue
        text = squash(line.text)
        # fd-11: `一、县区教育主管部门` above `第一名：…`, `二、平安校园建设优秀学校` above a grade list.
        is_chapter, found.group = chapter_group(text, found.group)
        # A lead-in on a line of its own (`…排名情况如下：` / `1.花溪街道；2.竹园街道；…`, w14 w15): the
        # list below reads as if it followed the colon on the same line.
        led, lead = (lead + text if lead and not _HAS_COLON.search(text) else ""), _lead_in_line(text)
        if is_chapter and not lead and _SCORES_HEADING.match(text):
            # k01 `二、考核得分` over `白沙镇99.5分、龙潭乡98分、清溪镇97分。`: a heading that names the
            # scores leads in to the list below as `…得分如下：` does (every item must print its score).
            lead = text + "："
        if is_chapter or _numbered_list(led or text, line, found):
            continue
        if led and _scored_list(SENTENCE.findall(led)[-1], line, found):
            continue
        if _names_in_order(text, line, found):
            continue
        for sentence in SENTENCE.findall(text):
            if not any(
                read(sentence, line, found)
                for read in (
                    _place_then_score,
                    _top_then_scores,
                    _places_range,
                    _unit_total_rank,
                    _scored_list,
                    _highest_and_lowest,
                )
            ):
                _sentence_ranks(sentence, line, found)
    if results is not None:
        results |= found.results
    return list(found.rows.values())


_HAS_COLON = regex.compile(r"[:：]")
# A chapter heading that names the scores below it (`二、考核得分`, `（二）得分情况`, `三、各乡镇考核得分`).
_SCORES_HEADING = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])\p{Han}{0,8}?(?:考核|考评|测评|评价)?得分(?:情况)?$"
)
# A line that only leads in to what follows: its last sentence ends in a colon (`各乡镇得分如下：`).
_LEAD_IN_LINE = regex.compile(r"(?:^|[。；;！!？?])(?P<lead>[^。；;！!？?]+[:：])$")


def _lead_in_line(text: str) -> str:
    """The lead-in a line ends with (`…结果如下：`), or `""`."""
    match = _LEAD_IN_LINE.search(text) if text.endswith(("：", ":")) else None
    return match.group("lead") if match else ""


def _sentence_ranks(sentence: str, line: Line, found: _Ranked) -> None:
    """Ties in words, then each clause's list of places or single place."""
    tied = _TIED.search(sentence)
    if tied and (k := chinese_to_int(tied.group("k"))) is not None:
        score = Decimal(tied.group("score")) if tied.group("score") else None
        for unit in names_of(tied.group("list")) or []:
            found.add(unit, k, f"并列第{k}", line, score)
    clauses = _clauses(sentence)
    for i, clause in enumerate(clauses):
        for pattern, bottom in _PLACE_LISTS:
            match = pattern.search(clause)
            if not match:
                continue
            items, n = scored_items(match.group("list")), chinese_to_int(match.group("n"))
            if items and n == len(items):
                # Listed in order of rank; a bottom list runs from place total−n+1 to the last.
                for i, (unit, score) in enumerate(items):
                    rank = found.from_bottom(n - i) if bottom else i + 1
                    found.add(unit, rank, f"{'后' if bottom else '前'}{n}", line, score)
            break
        else:
            placed = _ordinal_clause(clause, line, found)
            # `浦江区位列第三，得分为80.21` (y09): the clause after a unit's place states its score.
            after = _SCORE_AFTER.match(clauses[i + 1]) if placed and i + 1 < len(clauses) else None
            row = found.rows.get(placed) if after and placed else None
            if after and row is not None and row.line is line and row.score is None:
                row.score = Decimal(after.group("score"))


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
        names = names_of(part.group("list")) if part else None
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


# One numbered line per place under a lead-in line that says it ranks (`考评排名如下：` then
# `1.东岭镇 95.60分（较上季度上升3位）`, `2.西坡乡 93.15分`, y12). The numbers are the printed places, so
# scores out of their order are the issuer's error to flag (rank_order), not a doubt.
_NUMBERED_LINE = regex.compile(
    rf"^(?P<k>\d{{1,3}})[.、．](?!\d)(?P<list>[\p{{Han}}·、]{{2,60}}?)(?:(?P<score>{NUMBER})分)?[；;。.]?$"
)


_FROM_THE_BOTTOM = regex.compile(r"后|末|倒数|靠后|落后|较差")


def _numbered_lines(lines: list[Line], found: _Ranked) -> set[int]:
    """Rows of rankings printed one numbered line per place; the numbers of the lines they take."""
    taken: set[int] = set()
    run: list[tuple[Line, regex.Match[str]]] = []
    ranking_lead = False
    for line in [*lines, None]:
        match = None
        if line is not None and line.cells is None:
            match = _NUMBERED_LINE.match(without_change(squash(line.text)))
            if match and (run or (ranking_lead and match.group("k") == "1")):
                run.append((line, match))
                continue
        if run:
            taken |= _numbered_run(run, found)
            run = []
        text = squash(line.text) if line is not None and line.cells is None else ""
        # `排名靠后的单位：` / `排名后三位：` numbers the last places from 1: those numbers are no places.
        ranking_lead = (
            text.endswith(("：", ":"))
            and bool(_RANKING_WORD.search(text))
            and not _FROM_THE_BOTTOM.search(text)
        )
    return taken


def _numbered_run(run: list[tuple[Line, regex.Match[str]]], found: _Ranked) -> set[int]:
    """The rows of one run of numbered lines, or a doubt when any line is not a unit and its score."""
    if len(run) < 2:
        return set()  # one numbered line is a list item of anything
    places = [(int(m.group("k")), names_of(m.group("list")), m.group("score")) for _, m in run]
    steps = all(b[0] in (a[0] + 1, a[0] + len(a[1] or [])) for a, b in pairwise(places))
    scored = {score is not None for _, _, score in places}
    if not steps or len(scored) > 1 or any(names is None for _, names, _ in places):
        found.doubt(run[0][0], "numbered ranking lines that are not each a unit with its place and score")
    else:
        for (line, _), (k, names, score) in zip(run, places, strict=True):
            for unit in names or []:
                found.add(unit, k, str(k), line, Decimal(score) if score else None)
    taken = {line.line_no for line, _ in run}
    found.results |= taken
    return taken


# A list of names the note after it says runs from the highest score down (`西江区、东岭区、…。
# （从高到低依次）`, y02): ranks by order, no scores.
_ORDER_NOTE = regex.compile(
    r"^(?P<list>[\p{Han}（）()·、]{4,400}?)[。.]?[（(](?:按得分|按分数|按成绩|得分)?(?:从高到低|由高到低)"
    r"(?:依次)?(?:排列|排序|排名)?[）)]"  # a text reader may run the next paragraph on after it
)


def _names_in_order(text: str, line: Line, found: _Ranked) -> bool:
    match = _ORDER_NOTE.match(text) if "高到低" in text else None
    names = names_of(match.group("list")) if match else None
    if names is None or len(names) < 2:
        return False
    for i, unit in enumerate(names, 1):
        found.add(unit, i, str(i), line, None)
    return True


# `A、B、C居全市前三位，得分分别为79.2分、77.6分、76.8分` (y03): the places, then one score apiece in order.
_TOP_THEN_SCORES = regex.compile(
    rf"^(?:.*[，,：:])?{_NAMES}(?:居|位居|位列|列|排|排名)(?:全市|全省|全县|全区|全州)?前(?P<n>{NUM})(?:位|名)"
    rf"[，,](?:得分|分数|成绩|分值)分别(?:为|是)(?P<scores>{NUMBER}分?(?:、{NUMBER}分?)+)$"
)


def _top_then_scores(sentence: str, line: Line, found: _Ranked) -> bool:
    match = _TOP_THEN_SCORES.match(sentence) if "分别" in sentence else None
    if match is None:
        return False
    names, n = names_of(match.group("list")), chinese_to_int(match.group("n"))
    scores = regex.findall(NUMBER, match.group("scores"))
    if names is None or not (n == len(names) == len(scores)):
        found.doubt(line, "a top-places sentence whose names, places and scores do not agree in number")
        return True
    for i, (unit, score) in enumerate(zip(names, scores, strict=True), 1):
        found.add(unit, i, f"前{n}", line, Decimal(score))
    return True


# `第4—8名分别为琼东县、…，其后依次是临高县、…` (y03): a run of places, one name apiece in order, and
# the names after it taking the places that follow.
_PLACES_RANGE = regex.compile(
    rf"^第(?P<a>{NUM})(?:名)?[—–\-~～至到](?:第)?(?P<b>{NUM})名(?:分别|依次)(?:为|是)[:：]?{_NAMES}"
    rf"(?:[，,](?:其后|之后|随后|其余)(?:依次|分别)?(?:为|是)[:：]?(?P<rest>[\p{{Han}}（）()·、]{{2,200}}))?$"
)


def _places_range(sentence: str, line: Line, found: _Ranked) -> bool:
    match = _PLACES_RANGE.match(sentence) if "名" in sentence else None
    if match is None:
        return False
    a, b = chinese_to_int(match.group("a")), chinese_to_int(match.group("b"))
    names = names_of(match.group("list"))
    rest = names_of(match.group("rest")) if match.group("rest") else []
    if a is None or b is None or names is None or rest is None or b - a + 1 != len(names):
        found.doubt(line, "a run of places whose names do not fill it one apiece")
        return True
    for k, unit in enumerate([*names, *rest], a):
        found.add(unit, k, str(k), line, None)
    return True


# `第一名：青石镇，90.99分` / `第二名为白沙镇（85.10分）` (field-survey §2), also after a dash
# (`前三名依次为——第一名：…`) and with a comma for the colon (`倒数第二名，柏树街道，79.32分`).
# The score may follow the name with a space (squashed away) or nothing between (`第一名：岭南县
# 91.06分`, `第一名鲤江区86.15分`, y01 y04), and two names may share the place (`第一名：白沙镇、青林镇
# （并列），95.2分`, y15).
_PLACE_SCORE = regex.compile(
    rf"^(?:.*[:：—，,])?{_ORDINAL_PLACE}(?:{_IS}|[:：，,])?(?P<unit>[\p{{Han}}·、]{{2,50}}?)(?P<tie>[（(]并列[）)])?"
    rf"(?:[，,]|[（(])?(?:综合得分|总得分|得分|总分|成绩)?为?(?P<score>{NUMBER})分[）)]?$"
)
# A change against the last period after a score is no score, bonus or place (`86.15分，较上月提高1.35分，
# 排名上升3位`, `95.60分（较上季度上升3位）`, y04 y12): left out before the score is read.
_CHANGE = regex.compile(
    r"(?:[，,]|[（(](?=较上))(?:较上(?:月|季度|年|期|轮|次)|比上(?:月|季度|年|期|轮|次))[^，,（()）]{0,6}?"
    rf"(?:提高|上升|提升|增加|下降|降低|减少|回落)了?{NUMBER}(?:分|位|名|个百分点)"
    rf"(?:[，,]排名(?:上升|下降|提升|前进|后退|下滑)了?{NUM}(?:位|名))?[）)]?$"
)


def without_change(sentence: str) -> str:
    """A sentence without the change against the last period after its score."""
    return _CHANGE.sub("", sentence) if "较上" in sentence or "比上" in sentence else sentence


# Places with their scores run on with commas (`考核结果为：第一名柳林镇（95.2分），第二名杉树乡（93.8分），…`,
# u15): a comma before the next place ends the one before.
_NEXT_PLACE = regex.compile(rf"[，,](?=(?:倒数)?第{NUM}(?:名|位))")


def _place_then_score(sentence: str, line: Line, found: _Ranked) -> bool:
    parts = _NEXT_PLACE.split(without_change(sentence)) if "名" in sentence else []
    if len(parts) > 1:
        read = [_placed_names(part) for part in parts]
        if all(read):
            for names, k, rev, score in filter(None, read):
                for unit in names:
                    found.place(unit, k, rev, line, score)
            return True
    placed = _placed_names(without_change(sentence))
    if placed is None:
        return False
    names, k, rev, score = placed
    for unit in names:
        found.place(unit, k, rev, line, score)
    return True


def _placed_names(sentence: str) -> tuple[list[str], int, str | None, str] | None:
    """The unit(s), place, 倒数 and score of one `第一名：青石镇，90.99分` clause, or None."""
    match = _PLACE_SCORE.match(sentence)
    k = chinese_to_int(match.group("k")) if match else None
    if match is None or k is None:
        return None
    tied = "、" in match.group("unit")
    names = names_of(match.group("unit")) if tied else [unit_key(match.group("unit"))]
    # Two names at one place only where the place says they tie.
    if not names or not all(is_unit(unit) for unit in names) or tied != bool(match.group("tie")):
        return None
    return names, k, match.group("rev"), match.group("score")


# The highest and the lowest with their scores, in prose only (`得分最高的是县卫生健康局（96.5分），最低的是
# 县交通运输局（81分）`, u04; `最高分为甲镇，96.5分`): each a unit's score; no rank, which the notice does
# not print. Read only in a sentence that speaks of scores (得分/分数/成绩) and only as a whole: every
# 最高/最低 clause must name a unit and its score.
_EXTREME = regex.compile(
    rf"^(?:其中)?(?:得分|分数|成绩|综合得分|考评得分|考核得分)?最(?:高|低)(?:分|的)?(?:单位|是)?(?:是|为)[:：]?"
    rf"(?P<unit>[\p{{Han}}·]{{2,30}}?)(?:[（(](?:得分)?(?P<score>{NUMBER})分[）)]|[，,](?:得分)?为?(?P<score>{NUMBER})分)$"
)
_EXTREME_WORD = regex.compile(r"最(?:高|低)")
_ABOUT_SCORES = regex.compile(r"得分|分数|成绩")


def _highest_and_lowest(sentence: str, line: Line, found: _Ranked) -> bool:
    if not (_EXTREME_WORD.search(sentence) and _ABOUT_SCORES.search(sentence)):
        return False
    # A clause is split at a comma only where the next one starts over (`，最低的是…`).
    clauses = regex.split(r"[，,](?=(?:其中)?(?:得分|分数|成绩)?最(?:高|低))", sentence)
    while not _EXTREME_WORD.search(clauses[0]):
        clauses.pop(0)  # a lead-in (`其中，`, `考评结果显示，`)
    read = [_EXTREME.match(c) for c in clauses]
    if not all(read) or not all(is_unit(unit_key(m.group("unit"))) for m in read if m):
        return False
    for m in filter(None, read):
        found.add(unit_key(m.group("unit")), None, None, line, Decimal(m.group("score")))
    return True


# `南城区建筑工地考评87.00分，加分0.8分，综合得分89.12分，排名全市第一。` (field-survey §2): every clause
# between the unit and its place is a label and a number of points, or a total stands among them;
# the score is the total's.
_RANK_CLAUSE = regex.compile(rf"^(?:排名|位列|位居|名列|排在){_SCOPE}(?P<rev>倒数)?第(?P<k>{NUM})(?:名|位)?$")
_POINTS_CLAUSE = regex.compile(rf"^(?P<label>\p{{Han}}{{0,12}}?)(?P<n>{NUMBER})分$")
_TOTAL_LABEL = regex.compile(r"(?:综合|最终|考核|考评)?(?:总得分|总分|综合得分|综合成绩|最终得分|最终成绩)$")
_ADJUSTMENT = regex.compile(r"扣|减|加|奖|罚")
_ITEM_NUMBER = regex.compile(
    r"^(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.、．](?!\d)|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）])"
)


def _unit_total_rank(sentence: str, line: Line, found: _Ranked) -> bool:
    clauses = regex.split(r"[，,]", sentence)
    place = _RANK_CLAUSE.match(clauses[-1]) if len(clauses) > 1 else None
    k = chinese_to_int(place.group("k")) if place else None
    if place is None or k is None:
        return False
    head, colon, rest = clauses[0].partition("：")
    if colon:
        # k03 `1.城东街道：测评点位28个，…，综合得分93.35分，排名第1`: the list number is not the name's.
        head = _ITEM_NUMBER.sub("", head)
    if colon and is_unit(head):  # `南城区：检查在建工地23个，综合得分89.12分，排名全市第一`
        unit: str | None = head
    else:
        unit, rest = next(
            ((head[:i], head[i:]) for i in range(2, len(head)) if is_unit(head[:i])), (None, "")
        )
    points = [_POINTS_CLAUSE.match(c) for c in [rest, *clauses[1:-1]]]
    totals = [m for m in points if m and _TOTAL_LABEL.search(m.group("label"))]
    # Other clauses (a count of sites inspected) may stand beside a total, never instead of one.
    if unit is None or not (all(points) or len(totals) == 1):
        return False
    plain = [m for m in points if m and not _ADJUSTMENT.search(m.group("label"))]
    score = totals[0] if len(totals) == 1 else plain[0] if len(points) == len(plain) == 1 else None
    if score is None:
        found.doubt(line, f"{unit}: several points clauses before its rank, none of them its total")
        return True
    found.place(unit, k, place.group("rev"), line, score.group("n"))
    # Read as a section heading, `南城区建筑工地考评87.00分` would state a section score of 87 and
    # `加分0.8分` a bonus: false mismatches against the total 89.12.
    found.results.add(line.line_no)
    return True


# A list of units with their scores: after a lead-in that says what it lists (`各镇得分排名如下：甲镇88.31分、
# 乙镇88.01分`, `…得分：前湾村95分、…`), or with the scores in parentheses heading a sentence
# (`东山镇红旗村（96分）、南溪乡向阳村（91分）村容整洁`; without a lead-in the 分 must be printed: `甲镇（5）`
# may count anything). Ranked by order only where the lead-in says 排名.
_SCORED_LEAD = regex.compile(r"得分|成绩|分数|排名|名次|结果")
# Points taken, added or fined are no scores (`扣分情况：甲镇（2分）…`); prize money (`奖励5000元`)
# beside a list of scores does not make them other than scores.
_NOT_SCORES = regex.compile(r"扣|减|加分|罚")
# ...but what is left after them is (`扣分后各街道得分：城南街道98.5分，…`, y10).
_AFTER_ADJUSTMENT = regex.compile(r"(?:扣|减|加)(?:分|除|减)?后")
_TOP_OR_BOTTOM = regex.compile(rf"(?:前|后|末){NUM}")
_PAREN_LIST = regex.compile(
    rf"^(?P<list>[\p{{Han}}·]{{2,24}}?[（(]{NUMBER}分[）)](?:、[\p{{Han}}·]{{2,24}}?[（(]{NUMBER}分[）)])+)"
)


# A change since the last round in brackets after a listed score (z04 `河口街道98.5分（较上月提高0.5分）`):
# a difference, never the unit's score nor an item of the list.
_CHANGE_NOTE = regex.compile(r"[（(](?:较|比|同比|环比)[^（）()]*[）)]")


# Units with their scores, then where they stand (`市体育中心86.5分、市供销社88.2分排名靠后`, the
# 12345 hotlines' monthly notices naming their last departments, v01): each a unit's score, no rank.
_SCORED_THEN_PLACE = regex.compile(
    rf"^(?P<list>[\p{{Han}}·、，,\d.分]{{4,300}}?{NUMBER}分)(?:排名|得分|位次)(?:靠后|靠前|较低|较高|落后|居后|居前)$"
)


_ORDINAL_AT_START = regex.compile(rf"^{_ORDINAL_PLACE}")


def _scored_list(sentence: str, line: Line, found: _Ranked) -> bool:
    lead, _, whole = sentence.rpartition("：") if "：" in sentence else sentence.rpartition(":")
    whole = _CHANGE_NOTE.sub("", whole) if "较" in whole or "比" in whole else whole
    body = regex.split(r"[，,]", whole)[0]
    if _ORDINAL_AT_START.match(whole):
        # `考评结果如下：` over `第一名 甲镇 96.5分`: a place and its unit, read as places are (the place
        # was taken into the first unit's name, `第一名甲镇`, while the lines below read right).
        return False
    if _TOP_OR_BOTTOM.search(lead):
        return False  # `排名前三的单位是：…` is read as a list of places
    if lead and _SCORED_LEAD.search(lead):
        # `各集镇得分为：城关镇98分，河西镇98.5分，…` (x16): commas between the items, every one a
        # unit with its score; otherwise the list ends at the first comma.
        every = scored_items(whole) if body != whole else None
        items = every if every and all(score is not None for _, score in every) else scored_items(body)
    elif not _NOT_SCORES.search(sentence) and (paren := _PAREN_LIST.match(body)):
        lead, items = "", scored_items(paren.group("list"))
    elif not lead and not _NOT_SCORES.search(sentence) and (tail := _SCORED_THEN_PLACE.match(whole)):
        lead, items = "", scored_items(tail.group("list"))
    else:
        return False
    if (
        not items
        or any(score is None for _, score in items)
        or _NOT_SCORES.search(_AFTER_ADJUSTMENT.sub("", lead))
    ):
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


def _ordinal_clause(clause: str, line: Line, found: _Ranked) -> str | None:
    """Read one clause's place(s); the unit placed when it names one alone."""
    ordinals = _LIST_ORDINALS.match(clause)
    if ordinals:
        names = names_of(ordinals.group("list"))
        places = [chinese_to_int(k) for k in regex.findall(NUM, ordinals.group("places"))]
        printed = ordinals.group("scores")
        scores: list[Decimal | None] = (
            [Decimal(v) for v in regex.findall(NUMBER, printed)] if printed else [None] * len(places)
        )
        if names and len(places) == len(names) == len(scores):
            for unit, k, score in zip(names, places, scores, strict=True):
                found.add(unit, k, f"第{k}名", line, score)
        return None
    for pattern in (_ORDINAL_FIRST, _UNIT_FIRST):
        match = pattern.match(clause)
        if match and names_of(match.group("unit")) is not None:
            if (k := chinese_to_int(match.group("k"))) is not None:
                unit = unit_key(match.group("unit"))
                found.place(unit, k, match.groupdict().get("rev"), line, match.groupdict().get("score"))
                return unit
            return None
    return None
