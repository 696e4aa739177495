"""Unit headings: the line that opens a unit's section, and lines shaped like one that do not.

variants §3 "Layout": `X得分 N 分，扣分原因：`, `（一）X`, `X（得分93.5分）：（3）…`, `X：`. A line
shaped like a heading whose name is not a unit of the circular (field-survey.md: a 管理处 or 项目部
missing from the score table, a name with a bracketed qualifier) is said as such, so the entries
below it are not hung on the unit above.
"""

from __future__ import annotations

from decimal import Decimal

import regex

from parsers.entries import starts_with_label
from parsers.model import Line
from parsers.tables.roles import COLUMN_PATTERNS
from parsers.units import UNIT_SUFFIXES, UnitMatch, looks_like_unit, match_unit, unit_key

Heading = tuple[str, Decimal | None, str, UnitMatch | None]
"""(unit_raw, score, rest of the line, match against the known units)."""

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_AMOUNT_WORD = regex.compile(r"扣|减|加|计|共")
_LEADING_ORDINAL = regex.compile(r"^(?:[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．])")

_ORDINAL = r"(?:[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．]\s*)?"
_SCORE = r"(?P<score>\d+(?:\.\d+)?)"
# `浉河区得分 80.1 分，扣分原因：` / `武都区（得分93.5分）：` / `X：得分95分` / `X（95.5分）：`
_HEADING_SCORE = regex.compile(
    rf"^{_ORDINAL}(?P<unit>[\p{{Han}}（）()·]{{2,30}}?)\s*[:：，,]?\s*[（(]?\s*"
    # The unit's total taken off, before its score: `乔庄镇：扣1.5分，得分98.5分。`, `木鱼镇：无扣分，得分100分。`
    rf"(?:(?:共|合计|累计)?(?:扣|扣除|扣减)\s*\d+(?:\.\d+)?\s*分|无扣分|未扣分)?\s*[，,]?\s*"
    rf"(?:(?:本月|本期|本季度|季度|综合|考核|考评|检查|督查|最终|总|实际|实)?(?:得分|成绩|分数)|总分)"
    rf"(?:为|是)?\s*[:：]?\s*{_SCORE}\s*分?"
    rf"\s*[)）]?(?P<rest>.*)$"
    rf"|^{_ORDINAL}(?P<unit>[\p{{Han}}·]{{2,30}}?)\s*[（(]\s*{_SCORE}\s*分\s*[)）](?P<rest>.*)$"
)
# `（三）丙县 94.5分` / `丙县：94.5分` — a name and a score with no 得分 word; weaker evidence, so
# the name must be a unit of the score table (or look like one when there is none).
_HEADING_BARE_SCORE = regex.compile(
    rf"^{_ORDINAL}(?P<unit>[\p{{Han}}·]{{2,30}}?)\s*[:：，,]?\s*{_SCORE}\s*分\s*[。，,：:；;]?(?P<rest>.*)$"
)
# A heading that is only an ordinal and a name: `（一）浉河区`, `一、浉河区`, `1.浉河区`, `浉河区：`.
_NUMBERED_NAME = regex.compile(rf"^{_ORDINAL}(?P<unit>[\p{{Han}}（）()·]{{2,24}}?)\s*[:：]?$")
_NOT_UNIT_START = ("全市", "全省", "全县", "各", "本次", "平均", "其中", "共", "总")
# Clause punctuation (，。；,;), which no name-only heading holds outside brackets (_NUMBERED_NAME, the
# bare name of _PLAIN_HEADING, _HEADING_LIKE): a line with any is a sentence, skipped without the patterns.
# Punctuation no _HEADING_LIKE line ends with (not a Han character, ·, a closing bracket or a colon).
_NOT_A_HEADING_END = frozenset("，。；、！？“”‘’…—《》【】〔〕")


def _has_clause_mark(text: str) -> bool:
    return "，" in text or "。" in text or "；" in text or "," in text or ";" in text


def is_unit(name: str, known: list[str]) -> bool:
    """A name exactly one of the table's units, or, with no table, shaped like a unit."""
    if known:
        found = match_unit(name, known)
        return found is not None and found.exact
    return looks_like_unit(name)


def heading_of(line: Line, known: list[str]) -> Heading | None:
    """(unit_raw, score, rest of line, match) when `line` opens a unit's section."""
    text = line.text
    if line.cells is not None:
        return None
    if (
        len(text) > 32
        and "分" not in text[:48]
        and "：" not in text[:34]
        and ":" not in text[:34]
        and "。" not in text[:30]
    ):
        # Every heading form names the unit in its first few characters and then its score
        # (… 分), a colon or a full stop (`（一）区住房和城乡建设局。3件…。本季度考核得分86.5分。`, aa07);
        # a long line with none of them near its start is prose or an entry.
        return None
    if starts_with_label(text):
        # `1.浉河区` / `（1）浉河区` on a line of its own is a unit's heading, not an entry
        # (variants §3 "a heading per unit with numbered entries").
        named = None if _has_clause_mark(text) else _NUMBERED_NAME.match(text)
        if named is None:
            return _numbered_heading_with_score(text, known) or _numbered_name_sentence(text, known)
        found = match_unit(named.group("unit"), known) if known else None
        if (found is None or not found.exact) and (known or not looks_like_unit(named.group("unit"))):
            return None
        return named.group("unit"), None, "", found
    # Both score forms print 分 (得分, 分数, 总分, `N分`) or 成绩: skip them on lines with neither.
    scored = "分" in text or "成绩" in text
    # _HEADING_SCORE names the score (得分, 成绩, 分数, 总分) or brackets it (`X（95.5分）`).
    named_score = (
        "得分" in text or "成绩" in text or "分数" in text or "总分" in text or "（" in text or "(" in text
    )
    match = _HEADING_SCORE.match(text) if scored and named_score else None
    if match is None and scored:
        bare = _HEADING_BARE_SCORE.match(text)
        # `乙区扣分2分` is an amount, not a score: the name part must not hold an amount word.
        if bare and not _AMOUNT_WORD.search(bare.group("unit")) and is_unit(bare.group("unit"), known):
            match = bare
    if match:
        unit_raw = match.group("unit")
        score = Decimal(match.group("score"))
        rest = match.group("rest")
    else:
        plain = _plain_heading(text, known)
        if plain is None:
            return _numbered_name_sentence(text, known)
        unit_raw, rest = plain
        score = None
    unit_raw = _LEADING_ORDINAL.sub("", unit_raw)
    if unit_key(unit_raw).startswith(_NOT_UNIT_START):
        return None
    found = match_unit(unit_raw, known) if known else None
    if found is None and not looks_like_unit(unit_raw):
        return None
    return unit_raw, score, rest, found


def _numbered_heading_with_score(text: str, known: list[str]) -> Heading | None:
    """`1.兰州市（得分98.5分）` / `（1）兰州市（得分98.5分）`: a numbered heading that carries the score
    (fresh-F); an entry numbered the same way names no unit before a 得分."""
    head = text[:48]
    if not ("得分" in head or "成绩" in head or "分数" in head or "分）" in head or "分)" in head):
        return None  # most numbered lines are entries: skip the pattern, it runs on every one
    match = _HEADING_SCORE.match(text)
    if match is None:
        return None
    unit_raw = _LEADING_ORDINAL.sub("", match.group("unit"))
    found = match_unit(unit_raw, known) if known else None
    if (found is None or not found.exact) and not looks_like_unit(unit_raw):
        return None
    return unit_raw, Decimal(match.group("score")), match.group("rest"), found


# `（一）红岩镇。发生赴市集体访1批次，扣1分；…实得分99分。`: the unit's paragraph opens with its name
# as a sentence of its own.
_NAME_SENTENCE = regex.compile(
    rf"^(?=[（(]?[一二三四五六七八九十\d]){_ORDINAL}(?P<unit>[\p{{Han}}·]{{2,24}}?)\s*[。．]\s*(?P<rest>\S.*)$"
)


def _numbered_name_sentence(text: str, known: list[str]) -> Heading | None:
    """`（一）红岩镇。…扣1分；…`: a numbered unit name closed by 。 and its entries after it."""
    # The name closes with 。 or ．: most lines have neither, and the pattern runs on each.
    match = _NAME_SENTENCE.match(text) if ("。" in text or "．" in text) else None
    if match is None:
        return None
    found = match_unit(match.group("unit"), known) if known else None
    if (found is None or not found.exact) and (known or not looks_like_unit(match.group("unit"))):
        return None
    return match.group("unit"), None, match.group("rest"), found


_PLAIN_HEADING = regex.compile(
    r"^(?:[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．]\s*)?(?P<unit>[\p{Han}（）()·]{2,30}?)\s*"
    r"(?:(?:扣分情况|扣分原因|存在问题|主要问题|扣分明细)(?:如下)?)?\s*[:：]\s*(?P<rest>.*)$"
    r"|^(?:[（(]?[一二三四五六七八九十]{1,3}[)）、.．]\s*)?(?P<unit>[\p{Han}·（）()]{2,24}?)$"
)


def _plain_heading(text: str, known: list[str]) -> tuple[str, str] | None:
    """`浉河区：（1）…` or `浉河区扣分情况：` or a line that is just a known unit's name."""
    # Its first form is a name (no clause mark) up to a colon; its second a name alone, no colon.
    colons = [k for k in (text.find("："), text.find(":")) if k >= 0]
    match = (
        _PLAIN_HEADING.match(text) if not _has_clause_mark(text[: min(colons, default=len(text))]) else None
    )
    if not match:
        return None
    unit_raw = match.group("unit")
    rest = match.group("rest") or ""
    found = match_unit(unit_raw, known) if known else None
    if found is not None and found.exact:
        return unit_raw, rest
    # A unit missing from the score table still opens a section when entries follow its name
    # (`霍邱县：第2项：…扣除0.5分；…` — the missing_score case).
    if looks_like_unit(unit_raw) and (starts_with_label(rest) or (not known and len(text) <= 30)):
        return unit_raw, rest
    # ... or when its name and a colon make the whole line, the entries on the lines below
    # (fresh-07: `河西村：` after the table's units' sections). A column word (`县区：`, `乡镇：`)
    # names a kind of unit, not one.
    if (
        not rest
        and text.rstrip().endswith(("：", ":"))
        and looks_like_unit(unit_raw)
        and not COLUMN_PATTERNS["unit"].match(unit_key(unit_raw))
    ):
        return unit_raw, rest
    return None


# A name-only line with an organisational ending (units.py's, and a few that name a body rather
# than a place: 管理处, 网格组, 片区), perhaps with a bracketed qualifier and a score, perhaps numbered
# or closed by a colon: `（三）滨江片区管理处`, `（四）新城建设项目部（含二期工地）`, `乙社区（得分95分）：`.
_HEADING_LIKE = regex.compile(
    rf"^{_ORDINAL}(?P<name>[\p{{Han}}·]{{2,24}}?)(?P<qualifier>[（(](?!\s*(?:得分|成绩|\d))[^（）()]{{1,16}}[)）])?\s*"
    rf"(?:[（(]\s*(?:得分|成绩)?\s*[:：]?\s*\d+(?:\.\d+)?\s*分?\s*[)）])?\s*[:：]?$"
)
_BODY_ENDINGS = (*UNIT_SUFFIXES, "处", "组", "片区", "网格", "工地", "项目", "小区", "物业", "单位", "企业")
# Words of a chapter or a sub-heading inside a unit's section (`（一）扣分情况`, `存在问题：`), not a name.
_NOT_A_NAME = regex.compile(
    r"扣分|加分|问题|情况|原因|明细|要求|措施|建议|结果|得分|成绩|排名|考核|考评|督查|检查|工作|整改|"
    r"通报|附件|说明|意见|表彰|奖励|总体|基本|主要|存在|亮点|不足|做法|下步|如下|名单|评分"
)


def heading_like(line: Line) -> str | None:
    """The name of a line shaped like a unit's heading (heading_of did not take it), else None."""
    if line.cells is not None or len(line.text) > 40:
        return None
    text = line.text.strip()
    if _has_clause_mark(text) and "（" not in text and "(" not in text:
        return None  # clause punctuation outside a bracketed qualifier: a sentence
    last = text[-1:]
    if (last.isascii() and last not in "):") or last in _NOT_A_HEADING_END:
        return None  # it ends in a name, a bracket or a colon: an entry ends in ；or 。, a date in 1
    match = _HEADING_LIKE.match(text)
    if match is None:
        return None
    name = body_name(match.group("name"))
    return None if name is None else name + (match.group("qualifier") or "")


def body_name(name: str) -> str | None:
    """`name` when it reads as the name of a place or a body (`滨江片区管理处`), not a heading word."""
    name = unit_key(name)
    if _NOT_A_NAME.search(name) or not name.endswith(_BODY_ENDINGS) or name.startswith(_NOT_UNIT_START):
        return None
    return name
