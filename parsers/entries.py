"""Deduction and bonus entries: item labels, reason, amount, count × rate, caps.

One entry is a stretch of text such as `（38）未落实…双向互动，扣 1 分；` or
`(84) (86) (87) 未建立奖励举报制度…，共计扣 3 分`. The grammar covers the
label styles, amount wordings, count × rate and caps listed in
`../shared/corpus/variants.md` §3.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from parsers.normalize import squash
from parsers.numbers import UNSIGNED_DECIMAL, chinese_to_int

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_KIND_ENTRY_START = regex.compile(r"(?<=[；;。：:]\s*)(?:加分项|扣分项)\s*[：:]")

_NUM = UNSIGNED_DECIMAL
# variants §3 "Item labels": （6） (6) 【6】 [6] 〔6〕 第6项 第6条 6. 6、 ⑥ — the dotted forms only
# when not a decimal (6.5) and not a date/number run.
_LABEL = (
    r"(?:[（(【\[〔]\s*(?P<n>\d{1,3})\s*[）)】\]〕]"
    # `一是…；二是…`: a list marker of prose entries, which cites no rubric item (fd-02).
    r"|(?P<m>[一二三四五六七八九十]{1,3}是)(?=[\p{Han}\d“\"《（(])"
    r"|第\s*(?P<n>\d{1,3})\s*[项条]\s*[：:]?"
    r"|(?P<n>\d{1,3})\s*(?:[.．](?!\d)|、)"  # `6.5` is a number, `11、12、` two labels
    # `1.1家企业…` (x13): a count of things never has a fraction, so `1.` is the label.
    r"|(?P<n>\d{1,3})[.．](?=\d{1,4}(?:家|个|处|名|户|起|条|人|次|座|辆|所|栋|台|宗|件|批))"
    r"|(?P<c>[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]))"
)
_LABEL_RE = regex.compile(_LABEL)
_LABELS_AT_START = regex.compile(rf"^\s*(?:{_LABEL}\s*[、，,]?\s*)+")
_LABELS_HERE = regex.compile(rf"\s*(?:{_LABEL}\s*[、，,]?\s*)+")  # the same, anchored by match(pos)
# `加分项：…` / `扣分项：` prefix a bonus or a deduction entry without an item number (variants §3 bonuses).
_KIND_WORDS = r"加分项|加分|奖励加分|扣分项|(?:主要)?扣分(?:点|原因|情况|事项)?"
# `加分项：`, `（加分项）`, `主要扣分点：` (fd-02, fd-10): the colon or the brackets make it a prefix,
# so `扣分0.5分` is not one.
_KIND_PREFIX = regex.compile(
    rf"^\s*(?:[（(【\[]\s*(?P<kind>{_KIND_WORDS})\s*[）)】\]]\s*[：:]?|(?P<kind>{_KIND_WORDS})\s*[：:])\s*"
)
# Words that take points off: `扣1分`, `扣除1分`, `扣分1分` and `减分1分` (fd-01).
_MINUS = r"(?:扣除|扣减|扣分|减分|扣|减去|减)"

# Not the 加 of 增加 (`较上月增加2分`: a change) or 参加.
_BONUS = regex.compile(rf"(?:(?<![增参])加|奖励|加分|奖)\s*(?P<v>{_NUM})\s*分")
_DEDUCT = regex.compile(rf"{_MINUS}\s*(?P<v>{_NUM})\s*分")
_TOTAL = regex.compile(rf"(?:共计|合计|累计|总计|共|计)\s*(?:扣除|扣减|扣|减|加)?\s*(?P<v>{_NUM})\s*分")
# Measure words of a counted finding (`发现3处`, `4批次`, `每家扣1分`); two-character words first.
_UNITS_OF_COUNT = (
    "批次|人次|户次|项次|个次|处|个|起|家|次|项|条|件|人|户|份|宗|批|台|辆|座|所|例|张|本|块|栋|间"
    "|具|只|把|棵|株|盏"
)
_COUNT = regex.compile(
    rf"(?:发现|存在|查出|抽查|有)?\s*(?P<n>\d+|[一二三四五六七八九十两]+)\s*(?:{_UNITS_OF_COUNT})"
)
# What a rate is per: a measure word (`每处`), or a noun when 扣/减/加 follows it (`每村扣1分`,
# `每个社区扣0.5分`) — read as a plain amount, `每村扣1分` took 1 point where 3 villages cost 3.
_PER = rf"每(?:{_UNITS_OF_COUNT}|个?\p{{Han}}{{1,4}}?(?=扣|减|加))"
# `每处扣0.5分`, `每处0.5分`, `按0.5分/处` (variants §3 count × rate).
_RATE = regex.compile(
    rf"{_PER}\s*(?P<word>扣除|扣减|扣|减|加)?\s*(?P<v>{_NUM})\s*分"
    rf"|(?:按|扣)?\s*(?P<v>{_NUM})\s*分\s*/\s*(?:{_UNITS_OF_COUNT})"
)
_CAP = regex.compile(
    rf"(?:扣完\s*(?P<v>{_NUM})\s*分为?止|最高\s*(?:扣|加)\s*(?P<v>{_NUM})\s*分|最多\s*(?:扣|加)\s*(?P<v>{_NUM})\s*分"
    rf"|(?:扣分|加分)(?:累计)?(?:不超过|最高不超过|以)\s*(?P<v>{_NUM})\s*分(?:为限)?|(?:扣|加)\s*(?P<v>{_NUM})\s*分为止)"
)
# Clauses that belong to the amount, not to the reason (`发现3处，每处扣0.5分，共扣1.5分；`).
_AMOUNT_CLAUSE = regex.compile(
    rf"^(?:(?:共计|合计|累计|总计|共|计|各)?\s*(?:{_MINUS}|加|奖励|加分)?\s*{_NUM}\s*分"
    # `发现4家企业`, `抽查3个点位`: the count, with a short noun for what was counted.
    rf"|(?:共|累计|合计)?\s*(?:发现|存在|查出|抽查|共)\s*(?:\d+|[一二三四五六七八九十两]+)\s*(?:{_UNITS_OF_COUNT})"
    rf"\p{{Han}}{{0,4}}"
    rf"|{_PER}\s*(?:扣除|扣减|扣|减|加)?\s*{_NUM}\s*分"
    # A rate per shortfall and the shortfall counted (`每少1次扣0.2分，共少4次`, r30).
    rf"|每[少缺超差欠漏]\s*(?:\d+|[一二三四五六七八九十两]+)\s*(?:{_UNITS_OF_COUNT})\s*(?:扣除|扣减|扣|减)\s*{_NUM}\s*分"
    rf"|(?:共|累计|合计)[少缺超差欠漏]\s*(?:\d+|[一二三四五六七八九十两]+)\s*(?:{_UNITS_OF_COUNT})"
    rf"|(?:按|扣)?\s*{_NUM}\s*分\s*/\s*(?:{_UNITS_OF_COUNT})(?:扣分|扣除)?"
    rf"|(?:扣完|扣满)\s*{_NUM}\s*分为?止|最高\s*(?:扣|加)\s*{_NUM}\s*分|扣完为止"
    # p06: the item's cap and worth (`该项最多扣3分`, `该项分值2分`), a shortfall counted without 共
    # (`缺少8次`) and problems counted after their noun (`发现问题4个`): words of the amount.
    rf"|(?:该项)?(?:最高|最多)\s*(?:扣|加)\s*{_NUM}\s*分|该项分值\s*{_NUM}\s*分"
    rf"|(?:缺少|少于|少)\s*(?:\d+|[一二三四五六七八九十两]+)\s*(?:{_UNITS_OF_COUNT})"
    rf"|(?:发现|存在|查出)\s*(?:问题|隐患)\s*(?:\d+|[一二三四五六七八九十两]+)\s*(?:{_UNITS_OF_COUNT})"
    rf"|(?:扣|加)分(?:累计)?不超过\s*{_NUM}\s*分)$"
)
_PAREN_AMOUNT = regex.compile(rf"[（(]\s*(?:扣除|扣减|扣|减|加)\s*{_NUM}\s*分\s*[)）]")
_LEADING_AMOUNT = regex.compile(rf"^\s*(?:{_MINUS}|加)\s*{_NUM}\s*分\s*[：:，,、]\s*")
_INNER_BREAK = regex.compile(r"[；;。：:]")
# `reason，扣1分；` with `last` the clause before the amount (checked not to be an amount itself).
_SIMPLE_AMOUNT_END = regex.compile(
    rf"^(?P<reason>(?:.*[，,])?(?P<last>[^，,]*?))\s*[，,]\s*{_MINUS}\s*{_NUM}\s*分\s*[；;。]?\s*$"
)
_CLAUSE_SPLIT = regex.compile(r"([，,；;。])")
# What follows the comma before the amount in _SIMPLE_AMOUNT_END (it holds no comma).
_SIMPLE_AMOUNT_TAIL = regex.compile(rf"[，,]\s*{_MINUS}\s*{_NUM}\s*分\s*[；;。]?\s*")
# The characters of the regex module's \s, for a loop over a string's end.
_SPACE_CHARS = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)


def _simple_amount_end(body: str) -> tuple[str, str] | None:
    """(reason, last) as _SIMPLE_AMOUNT_END's groups give them, without its backtracking.

    The amount after the entry's last comma holds no comma, so that comma starts it; `last`
    runs from the comma before it, and both groups stop before the spaces ahead of it (`last`
    is lazy). A body with a line break goes to the pattern (its `.` stops there).
    """
    if "\n" in body:
        match = _SIMPLE_AMOUNT_END.match(body)
        return (match.group("reason"), match.group("last")) if match else None
    comma = max(body.rfind("，"), body.rfind(","))
    if comma < 0 or not _SIMPLE_AMOUNT_TAIL.fullmatch(body, comma):
        return None
    start = max(body.rfind("，", 0, comma), body.rfind(",", 0, comma)) + 1  # 0: no comma before
    end = comma
    while end > start and body[end - 1] in _SPACE_CHARS:
        end -= 1
    return body[:end], body[start:end]


# `（加分累计不超过3分）`, `（3处×0.5分）` (fd-01): a note on the amount closing the entry.
_PAREN_NOTE_AT_END = regex.compile(
    rf"[（(][^（）()]*(?:扣|加|[×xX*])[^（）()]*{_NUM}\s*分[^（）()]*[)）]\s*[；;。]?\s*$"
)
_GLUED_AMOUNT = regex.compile(
    rf"^(?P<reason>.*[^\d\s每共计合累总])\s*(?:(?:共计|合计|累计)\s*)?(?:扣除|扣减|扣分|减分|扣|减去)\s*{_NUM}\s*分$"
)
# What may stand before a glued 扣 as part of the amount: the rate it was worked out by, 酌情 (at
# discretion), 加 of 加扣 (a further deduction).
_AMOUNT_WORDS = regex.compile(
    rf"(?:按\s*{_NUM}\s*分\s*/\s*(?:{_UNITS_OF_COUNT})|按\s*{_PER}\s*{_NUM}\s*分|酌情|(?<![参增追附施添])加|另|再)+$"
)
_TRAILING_PUNCT = "，,；;。、 ：:"
# An amount clause that closes an entry inside a paragraph: entries end at ；/。 after it.
_ENTRY_END = regex.compile(rf"(?:{_MINUS}|加|计|共计)\s*{_NUM}\s*分\s*[)）]?\s*(?:为止)?\s*[；;。]")
# A Word cell of one paragraph per problem (`1.…，扣1分` / `2.…，扣0.5分`, no ；) comes out of a
# reader with the paragraphs joined by a space, or glued when a PDF wraps the cell (v15
# `…，扣1分2.巡线记录…`): an amount clause followed by the next item label ends an entry too.
_AMOUNT_THEN_LABEL = regex.compile(
    rf"(?:{_MINUS}|加)\s*{_NUM}\s*分\s*[)）]?(?=\s*(?:\d{{1,3}}\s*[.．、](?!\d)|[（(]\s*\d{{1,3}}\s*[）)]))"
)

# The same cell with unnumbered paragraphs (q02 `道路扬尘…，扣1分` / `餐饮油烟…，扣1分`, joined by a
# space): `，扣N分` then a space and words starts the next entry. Two adjacent Han characters are
# asked after the space, so text spaced out glyph by glyph (`扣 1 分 （ 整 改 中 ）`) is not cut.
_AMOUNT_THEN_PARAGRAPH = regex.compile(
    rf"[，,]\s*(?:{_MINUS}|加)\s*{_NUM}\s*分(?=[ \t\u3000]+\p{{Han}}\p{{Han}})"
)

# Amounts written in Chinese numerals (`扣一分`, `扣零点五分`, `加一点五分`, `扣完三分为止`; fd-03).
_CN_AMOUNT = regex.compile(
    r"(?P<word>扣完|最高扣|最多扣|不超过|扣除|扣减|扣分|减分|扣|减去|减|加分|加|奖励|共计|合计|累计|计|共)\s*"
    r"(?P<int>[零〇两一二三四五六七八九十]{1,3})(?:点(?P<frac>[零〇一二三四五六七八九]{1,3}))?\s*分"
)
# The regex module's \s (Unicode White_Space) spelled out, for patterns on the re module, whose \s
# also takes U+001C-U+001F (tests/test_entries.py holds the two equal).
_WHITE_SPACE = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# A cheap test before _CN_AMOUNT, asked of every entry with 分: on the re module, a third of the cost.
_CN_BEFORE_POINTS = re.compile(f"[零〇两一二三四五六七八九十]{_WHITE_SPACE}*分")
_CN_DIGIT_VALUES = {c: str(v) for v, c in enumerate("零一二三四五六七八九")} | {"〇": "0"}


def arabic_amounts(text: str) -> str:
    """Write amounts given in Chinese numerals with digits, so one grammar reads both."""
    if "分" not in text or not _CN_BEFORE_POINTS.search(text) or not _CN_AMOUNT.search(text):
        return text

    def digits(match: regex.Match[str]) -> str:
        whole = chinese_to_int(match.group("int"))
        if whole is None:
            return match.group()
        frac = "".join(_CN_DIGIT_VALUES[c] for c in match.group("frac") or "")
        return f"{match.group('word')}{whole}{'.' + frac if frac else ''}分"

    return _CN_AMOUNT.sub(digits, text)


@dataclass(slots=True)
class Entry:
    """One parsed deduction or bonus entry (not yet attached to a unit)."""

    items: list[int]
    points: Decimal  # applied, positive
    kind: str  # deduction | bonus
    reason: str
    stated_points: Decimal
    count: int | None = None
    rate: Decimal | None = None
    cap: Decimal | None = None
    text: str = ""

    def copy(self) -> Entry:
        """A copy with its own items list (entries may be shared: parses are memoised)."""
        return Entry(
            list(self.items),
            self.points,
            self.kind,
            self.reason,
            self.stated_points,
            self.count,
            self.rate,
            self.cap,
            self.text,
        )


# The characters a label can start with, digits aside (_LABEL: a bracket, the 一…十 of 一是, 第, a
# circled number).
_LABEL_FIRST = frozenset(
    "（(【[〔一二三四五六七八九十第"
    + "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))
)
_ASTRAL = "\U00010000"


@lru_cache(maxsize=8192)
def _labels_end(text: str) -> int:
    """Where the item labels leading `text` end; 0 when it starts with none.

    Cached: a line is asked as a heading, as an entry and as a wrapped line (a third of the
    asks repeat a text); and tested first for a label's first character, which most lines lack.
    """
    head = text.lstrip()[:1]  # \s* before the label: str.strip's whitespace takes in every \s
    # \d is any decimal digit; the regex module also knows astral digits newer than Python's tables.
    if not (head in _LABEL_FIRST or head.isdecimal() or head >= _ASTRAL):
        return 0
    match = _LABELS_AT_START.match(text)
    return match.end() if match else 0


# A rubric clause cited before the problem (p07 `依据第3项：…`, `依据细则第二部分第4条：…`,
# `依据3.2.1：…`, `依据指标B-2：…`, `依据（三）2：…`): the citation is no part of the reason. Only a
# plain `第N项` / `第N条` gives an item number; a clause within a part or a dotted, lettered or
# nested one names no single number of the rubric's list (its 4 is part two's 4, not item 4).
_CITED = regex.compile(
    r"^(?:依据|按照|根据|对照|参照)(?:《[^》]{1,30}》)?(?:考核|考评|评分)?(?:细则|标准|办法|指标)?"
    r"(?:第(?P<n>\d{1,3})[项条]"
    r"|第[一二三四五六七八九十]{1,3}部分第?\d{1,3}[项条]?"
    r"|\d{1,2}(?:\.\d{1,2}){1,3}(?:[项条])?"
    r"|[A-Za-z]{1,2}-?\d{1,2}(?:-\d{1,2})?"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]\d{1,2}(?:[项条])?)"
    r"\s*[：:]"
)


def cited_clause(body: str) -> tuple[list[int], str]:
    """Split a cited rubric clause off an entry's start: its item number (if it is one) and the rest."""
    found = _CITED.match(body) if body[:2] in ("依据", "按照", "根据", "对照", "参照") else None
    if found is None:
        return [], body
    return ([int(found["n"])] if found["n"] else []), body[found.end() :]


def labels_of(text: str) -> tuple[list[int], str]:
    """Split leading item labels off an entry: `（28）（29）未见…` → ([28, 29], `未见…`)."""
    end = _labels_end(text)
    if not end:
        return [], text
    items = []
    labels = list(_LABEL_RE.finditer(text[:end]))
    if len(labels) > 1 and _is_list_number(labels[0]) and not any(map(_is_list_number, labels[1:])):
        # `1.第8项：消防车通道…` / `2.（15）…`: the entry's place in the list, then the rubric item.
        labels = labels[1:]
    for label in labels:
        listed, circled, number = label.group("m", "c", "n")
        if listed:
            continue  # 一是/二是: a place in the list, no rubric item
        if circled:
            items.append(_circled_number(circled))
        else:
            items.append(int(number))
    return items, text[end:]


def _circled_number(char: str) -> int:
    """① … ⑳ (U+2460), ㉑ … ㉟ (U+3251), ㊱ … ㊿ (U+32B1): three blocks, one numbering."""
    code = ord(char)
    if code >= 0x32B1:
        return code - 0x32B1 + 36
    if code >= 0x3251:
        return code - 0x3251 + 21
    return code - 0x2460 + 1


def _is_list_number(label: regex.Match[str]) -> bool:
    """A `6.` / `6、` label: an item number, or the entry's place in a list when another label follows."""
    return label.group().rstrip()[-1:] in ".、．"


def starts_with_label(text: str) -> bool:
    return _labels_end(text) > 0


def reason_of(body: str) -> str:
    """The entry's reason: its text without the amount clauses (at the end, or leading it)."""
    if body.count("分") == 1:
        # The common entry `…原因，扣 1 分；`: the only 分 is the amount's, after the last comma.
        simple = _simple_amount_end(body)
        if simple and not _AMOUNT_CLAUSE.match(simple[1]):
            return simple[0].rstrip(_TRAILING_PUNCT).strip()
    if "（" in body or "(" in body:
        body = _PAREN_AMOUNT.sub("", body)
    # `扣1分：未建立台账` — some offices put the amount first (variants §3 amount wording).
    body = _LEADING_AMOUNT.sub("", body)
    # `加1分（加分累计不超过3分）`: a bracketed cap or amount note closing the entry (variants §3 caps).
    if body.rstrip("；;。 ").endswith((")", "）")):
        body = _PAREN_NOTE_AT_END.sub("", body)
    parts = _CLAUSE_SPLIT.split(body)
    clauses = [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    while clauses and (not clauses[-1][0].strip() or _AMOUNT_CLAUSE.match(clauses[-1][0].strip())):
        clauses.pop()
    if clauses:
        # `资料不全扣0.5分`: the amount glued to the reason without a comma (variants §3 amounts).
        last = clauses[-1][0].strip()
        glued = _GLUED_AMOUNT.match(last) if last.endswith("分") else None
        if glued:
            # `按0.5分/处扣2分`, `酌情扣1分`, `加扣1分` (y11): words of the amount, not of the reason.
            words = _AMOUNT_WORDS.sub("", glued.group("reason"))
            clauses[-1] = (words, "")
            if not words.strip():
                clauses.pop()
                # z09 `…，发现3处，按每处0.5分扣1.5分`: the count before the rate is the amount's too.
                while clauses and _AMOUNT_CLAUSE.match(clauses[-1][0].strip()):
                    clauses.pop()
    reason = "".join(c + p for c, p in clauses).strip()
    return reason.rstrip(_TRAILING_PUNCT).strip()


def parse_entry(
    text: str, *, default_kind: str | None = None, points_text: str | None = None
) -> Entry | None:
    """Parse one entry; None when it states no amount.

    `points_text` is a separate amount cell (deduction tables: `| 单位 | 扣分事项 | 扣分 |`).
    """
    if points_text is None and "分" not in text:
        # Every amount pattern (扣/加/合计 … 分, a rate … 分) ends in 分, and arabic_amounts keeps it.
        return None
    entry = _parse_entry_cached(text, default_kind, points_text)
    if entry is None:
        return None
    # A copy, with its own items list: the cached entry is shared by every equal text.
    return entry.copy()


# The same entry text recurs across units and across an office's monthly circulars (the same
# rubric items failed again): a quarter of the corpus's entries repeat one already parsed.
@lru_cache(maxsize=8192)
def _parse_entry_cached(text: str, default_kind: str | None, points_text: str | None) -> Entry | None:
    items, body = labels_of(arabic_amounts(text.strip()))
    kind_hint = default_kind
    prefix = _KIND_PREFIX.match(body) if "分" in body[:6] else None
    if prefix:
        kind_hint = "bonus" if prefix.group("kind").startswith(("加", "奖")) else "deduction"
        if len(items) == 1 and text.strip()[: len(text.strip()) - len(body)].rstrip()[-1:] in ".、．":
            # `4.加分项：成功处置…`: a list number before the kind, not a rubric item.
            items = []
        body = body[prefix.end() :]
        more, body = labels_of(body)
        items += more
    cited, rest = cited_clause(body)
    if rest is not body:
        lead = text.strip()[: len(text.strip()) - len(body)].rstrip()
        if not items or (len(items) == 1 and lead[-1:] in ".、．"):
            # `1.依据第3项：…`: the list number is the entry's place, the cited clause its item.
            items = cited
        body = rest
    amount_source = body if points_text is None else points_text
    kind, stated = _amount(amount_source, kind_hint, cell=points_text is not None)
    count = rate = None
    rate_match = _RATE.search(body) if _may_hold_rate(body) else None
    if rate_match:
        rate = Decimal(rate_match.group("v"))
        # The count usually precedes the rate (`发现3处，每处扣0.5分`), sometimes follows it.
        before = list(_COUNT.finditer(body[: rate_match.start()]))
        count_match = before[-1] if before else _COUNT.search(body, rate_match.end())
        if count_match is not None:
            count = chinese_to_int(count_match.group("n"))
    if stated is None and points_text is not None:
        kind, stated = _amount(body, kind_hint)
    if stated is None and rate is not None and count is not None and rate_match is not None:
        stated = rate * count
        # `每个加1.5分，加分累计不超过3分`: the rate's own word says bonus or deduction.
        kind = kind or ("bonus" if rate_match.group("word") == "加" else kind_hint or "deduction")
    if stated is None:
        return None
    cap_match = _CAP.search(body) if _may_hold_cap(body) else None
    cap = Decimal(cap_match.group("v")) if cap_match else None
    applied = min(stated, cap) if cap is not None else stated
    return Entry(
        items=items,
        points=abs(applied),
        kind=kind or "deduction",
        reason=reason_of(body),
        stated_points=abs(stated),
        count=count,
        rate=rate,
        cap=cap,
        text=text,
    )


_BARE_AMOUNT = regex.compile(rf"[+＋]?{_NUM}分?")


def _may_hold_rate(text: str) -> bool:
    return "每" in text or "/" in text


def _may_hold_cap(text: str) -> bool:
    return "止" in text or "最" in text or "超过" in text or "为限" in text


_NEGATIVE_AMOUNT = regex.compile(rf"-{_NUM}分?")
# An amount cell in brackets, as an accounts-style table prints what is taken off (p08 `（-0.5）`).
_BRACKETED_AMOUNT = regex.compile(rf"[（(](?P<amount>[+＋-]?{_NUM}分?)[)）]")
# A clause comparing with an earlier period (`较上月减少扣分1.5分`, `得分较上季度增加2分`, `同比`): its
# number is a change in the score, not an amount applied (field-survey.md: numbers read as points).
_COMPARISON = regex.compile(r"(?:较|比|与)(?:上|去|前|同期|往)|同比|环比")
_CLAUSE_END = regex.compile(r"[，,；;。]")


def _amount(text: str, kind_hint: str | None, *, cell: bool = False) -> tuple[str | None, Decimal | None]:
    """(kind, amount) of an entry: the total if stated, else the last 扣/加 amount.

    Only an amount cell (`cell`: the 扣分 column of a deduction table) may hold a bare number
    (`0.5`, `+1`, `-4`); in running text a number is an amount only with its clause (扣/减/加 … 分),
    never a bare score, count or sum of money (field-survey.md §1: a village's score and prize
    money under its name were read as deductions).
    """
    squashed = squash(text)
    if cell and (bracketed := _BRACKETED_AMOUNT.fullmatch(squashed)):
        squashed = bracketed.group("amount")
    if cell and _BARE_AMOUNT.fullmatch(squashed):  # a bare amount cell: `0.5`, `+1`
        value = Decimal(squashed.rstrip("分").lstrip("+＋"))
        return (kind_hint or ("bonus" if squashed.startswith(("+", "＋")) else "deduction")), value
    if cell and _NEGATIVE_AMOUNT.fullmatch(squashed):
        return "deduction", Decimal(squashed.rstrip("分").lstrip("-"))
    candidates = _amount_candidates(squashed)
    if candidates and _COMPARISON.search(squashed):
        candidates = [c for c in candidates if not _in_comparison(squashed, c[0])]
    if not candidates:
        return None, None
    totals = [c for c in candidates if c[1]]
    _, _, kind, value = (totals or candidates)[-1]
    return kind or kind_hint or "deduction", value


def _amount_candidates(squashed: str) -> list[tuple[int, bool, str | None, Decimal]]:
    """(position, is a total, kind, value) of each amount clause that is not a cap or a rate."""
    candidates = []
    # Each pattern needs one of its words: 共/计 for a total, 扣/减 to take off, 加/奖 to add.
    bare_total = False  # a total with no 扣/减/加 in its own words
    if "共" in squashed or "计" in squashed:
        for match in _TOTAL.finditer(squashed):
            word = match.group()
            kind = "bonus" if "加" in word else ("deduction" if "扣" in word or "减" in word else None)
            bare_total = bare_total or kind is None
            candidates.append((match.start(), True, kind, Decimal(match.group("v"))))
    totals = len(candidates)
    if "扣" in squashed or "减" in squashed:
        candidates += [
            (m.start(), False, "deduction", Decimal(m.group("v"))) for m in _DEDUCT.finditer(squashed)
        ]
    if "加" in squashed or "奖" in squashed:
        candidates += [(m.start(), False, "bonus", Decimal(m.group("v"))) for m in _BONUS.finditer(squashed)]
    if not candidates:
        return candidates  # the filters below only take candidates away
    rated = _may_hold_rate(squashed) and _RATE.search(squashed) is not None
    if bare_total and not rated and len(candidates) == totals:
        # `合计4分`, `总计81.6分` with no 扣/减/加 anywhere: a sum, often the unit's own score, not
        # what was taken off. A bare total counts only beside amounts or a rate it adds up.
        candidates = [c for c in candidates if c[2] is not None]
    if _may_hold_cap(squashed):
        # A cap clause (`扣完2分为止`, `最高扣5分`) is a limit, not an amount applied.
        caps = {m.start() for m in _CAP.finditer(squashed)}
        candidates = [c for c in candidates if not any(abs(c[0] - s) <= 3 for s in caps)]
    if rated:
        # `每处扣0.5分` is a rate; the applied amount is a total or count × rate.
        rates = [m.span() for m in _RATE.finditer(squashed)]
        candidates = [c for c in candidates if not any(s <= c[0] < e for s, e in rates)]
    return candidates


def _in_comparison(text: str, position: int) -> bool:
    """Whether the clause holding `position` compares with an earlier period (`较上月…`)."""
    if not _COMPARISON.search(text):
        return False
    starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, position)]
    end = _CLAUSE_END.search(text, position)
    clause = text[starts[-1] if starts else 0 : end.start() if end else len(text)]
    return _COMPARISON.search(clause) is not None


_POINTS = regex.compile(rf"{_NUM}\s*分")


def doubtful_amount(text: str) -> str | None:
    """Why a number of points in `text` was not read as an amount, when it looks like one; else None.

    Called on a line that gave no entry: a person should read it (`较上月减少扣分1.5分`, `合计4分`),
    so the caller reports it as not read rather than dropping it silently.
    """
    squashed = squash(arabic_amounts(text))
    if "分" not in squashed:
        return None
    points = [m.start() for m in _POINTS.finditer(squashed)]
    if points and _COMPARISON.search(squashed) and any(_in_comparison(squashed, at) for at in points):
        return "points compared with an earlier period (较上月/同比 …), not an amount taken off or added"
    if ("共" in squashed or "计" in squashed) and any(
        m.group().count("分") for m in _TOTAL.finditer(squashed)
    ):
        return "a sum of points (合计/总计 …) with no 扣/减/加 amount it adds up"
    if _may_hold_rate(squashed) and _RATE.search(squashed):
        return "a rate (每处扣…分) with no count and no total: the points taken off are not printed"
    return None


_TOTAL_ONLY = regex.compile(rf"^(?:共计|合计|累计|总计|共)\s*(?:扣除|扣减|扣|减|加)?\s*{_NUM}\s*分")


def restates_total(entry: Entry) -> bool:
    """Whether an entry is only a total of the entries before it (`…扣1分；共扣3分，得分97分。`, x05):
    no reason of its own and no item, its text opening with 共/合计 … 分. Never a deduction of its own."""
    return not entry.reason and not entry.items and _TOTAL_ONLY.match(squash(entry.text)) is not None


_NOTHING_TAKEN_END = regex.compile(
    r"(?:未发现(?:扣分)?问题|无扣分(?:问题)?|未扣分|没有扣分|无问题)\s*[；;。]"
)


def split_entries(text: str) -> list[str]:
    """Split a paragraph of entries (`（1）…扣1分；（2）…扣0.5分。`) into one string per entry.

    Boundaries: an item label at the start or after ；。：, and the end of an amount
    clause followed by ；/。 (entries without labels).
    """
    text = arabic_amounts(text)
    labelled_after_amount = list(_AMOUNT_THEN_LABEL.finditer(text)) if "分" in text else []
    if "分" in text:
        labelled_after_amount += _AMOUNT_THEN_PARAGRAPH.finditer(text)
    if not labelled_after_amount and not _INNER_BREAK.search(text, 0, max(len(text) - 1, 0)):
        # No ；。： before the last character: no later label or entry end can cut the text
        # (the boundaries below all follow one), so it is one entry — most lines are.
        stripped = text.strip()
        return [stripped] if stripped else []
    cuts = {0, len(text)}
    for match in _LABEL_RE.finditer(text):
        start = match.start()
        k = start - 1
        while k >= 0 and text[k].isspace():
            k -= 1
        if (k < 0 or text[k] in "；;。：:") and _LABELS_HERE.match(text, start):
            cuts.add(start)
    for match in _ENTRY_END.finditer(text):
        cuts.add(match.end())
    for match in labelled_after_amount:
        cuts.add(match.end())
    # A clause saying nothing was taken ends there (x20 `村内道路整洁，未发现扣分问题；获评…，加1分`):
    # the bonus after it is an entry of its own.
    if "问题" in text or "扣分" in text:
        for match in _NOTHING_TAKEN_END.finditer(text):
            cuts.add(match.end())
    # `加分项：…` starts an entry too.
    for match in _KIND_ENTRY_START.finditer(text) if "分项" in text else ():
        cuts.add(match.start())
    ordered = sorted(cuts)
    pieces = [text[a:b].strip() for a, b in itertools.pairwise(ordered)]
    merged: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        # Only labels so far (`（28）` `（29）…`): keep them with what follows.
        if merged and _LABELS_AT_START.fullmatch(merged[-1]):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged
