"""The period assessed (§5 Periods): 7月份, 第二季度, 上半年, 2022年度, 1-10月份, 第一轮(1-2月);
the year from context, and a December period issued in January belongs to the year before."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

import regex

from parsers.metadata.common import SENTENCE_END, TABLE_CAPTION_END, Layout, Period
from parsers.metadata.dates import CN_DIGITS, cn_number, make_date
from parsers.metadata.fields import locate_issue_date
from parsers.metadata.layout import find_layout, split_header_lines
from parsers.model import Line
from parsers.normalize import squash

# ---------------------------------------------------------------- period (§5 Periods)
_YEAR = r"(?:(?P<y>(?:19|20)\d{2})\s*年|(?P<cy>[二一][〇○Oo0零一二三四五六七八九]{3})年)?"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_NOT_DAY = r"(?!\s*(?:\d|[一二三四五六七八九十]{1,3}日|[初底中旬]))"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_PERIODS = [
    # `2023年6月26日至7月25日`: an assessment window that does not follow calendar months. Trusted
    # only in the title and in the sentence that introduces the results or names the window;
    # elsewhere a date range is narrative (`市安委办于10月16日至19日组织检查`).
    (
        "date_range",
        regex.compile(
            rf"{_YEAR}(?P<m1>{_MON})\s*月\s*(?P<d1>{_DAY})\s*[日号]?\s*(?:[-—–~～]|至|到)\s*"
            rf"(?:(?P<y2>(?:19|20)\d{{2}})\s*年\s*)?(?:(?P<m2>{_MON})\s*月\s*)?(?P<d2>{_DAY})\s*[日号]"
        ),
    ),
    (
        "range",
        regex.compile(
            rf"{_YEAR}(?P<m1>{_MON})\s*(?:月份?)?\s*[-—–~～至到]\s*(?P<m2>{_MON})\s*月份?{_NOT_DAY}"
        ),
    ),
    # `关于11月下旬…的通报`: a month's third part — 上旬 days 1-10, 中旬 11-20, 下旬 21 to the month's end.
    ("dekad", regex.compile(rf"{_YEAR}(?P<m>{_MON})\s*月份?\s*(?P<x>[上中下])旬")),
    ("quarter", regex.compile(rf"{_YEAR}第?(?P<q>[一二三四1-4])季度")),
    ("first_quarters", regex.compile(rf"{_YEAR}前(?P<q>[二两三])季度")),
    ("half", regex.compile(rf"{_YEAR}(?P<h>上|下)半年")),
    ("month", regex.compile(rf"{_YEAR}(?P<m>{_MON})\s*(?P<fen>月份|月){_NOT_DAY}")),
    ("year", regex.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:年度|全年)")),
    # `截至10月底，全县累计完成…`: a cumulative figure from the year's start to the end of that month
    # (gold s13); trusted only beside a word that says it is cumulative (_CUMULATIVE).
    ("to_date", regex.compile(rf"截至\s*{_YEAR}(?P<m>{_MON})\s*月\s*(?:底|末)")),
    # `关于2022年安全生产目标考核结果的通报`: a bare year, trusted in the title only.
    # `2024年秋季学期` names a school term, not the year (gold r26).
    ("bare_year", regex.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?=[\p{Han}])(?![第上下前度]|[春夏秋冬]季)")),
]
# A sentence that names the assessment window (`考核时段：2023年6月26日至7月25日`).
_WINDOW_CUE = regex.compile(r"(?:考核|考评|评估|统计|检查|督查|暗访|测评)(?:期间|时段|周期|时间|区间)")
# `第45周（11月4日—11月10日）`, `汛期（6月1日—9月30日）`: a window named by a week or a season, its days
# in the brackets after it (gold s07, s08); the bracket names the period wherever it is printed.
_BRACKETED_WINDOW = regex.compile(
    r"(?:主?汛期|防汛期|第\s*[0-9一二三四五六七八九十]{1,3}\s*周)\s*[（(](?=\s*(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月)"
)
# Words that make `截至N月底` a cumulative period rather than a date a figure was taken on.
_CUMULATIVE = regex.compile(r"累计|今年以来|年初以来|以来累计")
# A season after a title's bare year (`2024年汛期`, `2024年春季学期`): the year, not the period.
_SEASON_AFTER_YEAR = regex.compile(
    r"^(?:主?汛期|防汛期|春季|夏季|秋季|冬季|冬春|秋冬|春耕|夏收|秋收|供暖期|采暖期|学年|学期)"
)
_ROUND = regex.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?第[一二三四五六七八九十\d]{1,3}轮\s*[（(]\s*$")


# `于` right before the period, not in a word (`关于`, `对于`, `由于`): the work's dates.
_WHEN_DONE = regex.compile(r"(?<![关对由属鉴等])于$")


@dataclass(slots=True)
class _PeriodMatch:
    kind: str
    label: str
    year: int | None
    first: int
    last: int
    first_day: int = 1
    last_day: int | None = None
    """None: the last day of the month `last`."""
    end_year: int | None = None
    """The year printed for the end of a date range, when it is printed."""


def _match_period(text: str, allow_bare_year: bool, allow_date_range: bool = False) -> _PeriodMatch | None:
    """The first period mentioned in `text` (earliest position; longer forms win ties)."""
    best: tuple[int, int, _PeriodMatch] | None = None
    for order, (kind, pattern) in enumerate(_PERIODS):
        if (kind == "bare_year" and not allow_bare_year) or (kind == "date_range" and not allow_date_range):
            continue
        # A dekad is trusted in the title only (allowed with the bare year): `3月下旬，县创文办组织测评组…`
        # in the body says when the work was done (gold r22, u06, w23, w31 label no period).
        if kind == "dekad" and not allow_bare_year:
            continue
        for m in pattern.finditer(text):
            # `于5月至6月对…开展了评定` says when the work was done, not the period assessed (gold w05).
            if _WHEN_DONE.search(text, 0, m.start()):
                continue
            if kind == "to_date" and not _CUMULATIVE.search(text):
                continue
            got = _period_from_match(kind, m)
            if got is None:
                continue
            key = (m.start(), order)
            if best is None or key < best[:2]:
                best = (m.start(), order, got)
            break
    if best is None:
        return None
    found = best[2]
    # `第一轮(1-2月)`: keep the round in the label as printed.
    start = text.find(found.label)
    if start > 0 and (r := _ROUND.search(text[:start])):
        close = text[start + len(found.label) : start + len(found.label) + 1]
        found.label = r.group(0) + found.label + (close if close in "）)" else "")
        if found.year is None and r["y"]:
            found.year = int(r["y"])
    return found


def _period_from_match(kind: str, m: regex.Match[str]) -> _PeriodMatch | None:
    year = None
    if m.groupdict().get("y"):
        year = int(m["y"])
    elif m.groupdict().get("cy"):
        year = int("".join(str(CN_DIGITS[c]) for c in m["cy"]))
    label = m.group(0)
    if kind == "date_range":
        first, first_day = cn_number(m["m1"]), cn_number(m["d1"])
        last = cn_number(m["m2"]) if m["m2"] else first
        last_day = cn_number(m["d2"])
        if first is None or first_day is None or last is None or last_day is None:
            return None
        end_year = int(m["y2"]) if m["y2"] else None
        if end_year is None and (last, last_day) <= (first, first_day) and (not m["m2"] or last == first):
            return None  # `7月20日至3日`: not a window; `12月26日至1月25日` runs into the next year
        return _PeriodMatch(kind, label, year, first, last, first_day, last_day, end_year)
    if kind == "range":
        first, last = cn_number(m["m1"]), cn_number(m["m2"])
        if first is None or last is None or not 1 <= first < last <= 12:
            return None
        return _PeriodMatch(kind, label, year, first, last)
    if kind == "quarter":
        q = cn_number(m["q"]) or 0
        return _PeriodMatch(kind, label, year, 3 * q - 2, 3 * q)
    if kind == "first_quarters":
        q = 2 if m["q"] in "二两" else 3
        return _PeriodMatch(kind, label, year, 1, 3 * q)
    if kind == "half":
        return _PeriodMatch(kind, label, year, 1 if m["h"] == "上" else 7, 6 if m["h"] == "上" else 12)
    if kind == "month":
        month = cn_number(m["m"])
        # `7月` without 份 or a year is too often a narrative date (`截至7月`); require one of them.
        if month is None or not 1 <= month <= 12 or (m["fen"] == "月" and year is None):
            return None
        return _PeriodMatch(kind, label, year, month, month)
    if kind == "dekad":
        month = cn_number(m["m"])
        if month is None or not 1 <= month <= 12:
            return None
        first_day, last_day = {"上": (1, 10), "中": (11, 20), "下": (21, None)}[m["x"]]
        return _PeriodMatch(kind, label, year, month, month, first_day, last_day)
    if kind == "to_date":
        month = cn_number(m["m"])
        if month is None or not 1 <= month <= 12:
            return None
        return _PeriodMatch(kind, label, year, 1, month)
    return _PeriodMatch(kind, label, year, 1, 12)


_TITLE, _NAMING_SENTENCE, _OTHER = "title", "naming sentence", "other"


def _period_texts(lines: list[Line], layout: Layout) -> list[tuple[str, int, str]]:
    """Where a period is printed, most reliable first: (text, line_no, what the text is)."""
    out: list[tuple[str, int, str]] = []
    if layout.title_start is not None and layout.title_end is not None:
        title = "".join(squash(ln.text) for ln in lines[layout.title_start : layout.title_end + 1])
        # Text inside 《》 names another document (`印发《2023年度…细则》`), not this period.
        out.append((regex.sub(r"《[^》]*》", "", title), lines[layout.title_start].line_no, _TITLE))
    intro = [(lines[i].text, lines[i].line_no) for i in range(layout.body_start, layout.intro_end)]
    # The sentence that introduces the results (`现将7月份工作开展情况通报如下`) names the period.
    for text, no in intro:
        for sentence in SENTENCE_END.split(text):
            if "通报如下" in sentence or "现将" in sentence:
                out.append((sentence, no, _NAMING_SENTENCE))
        if cue := _WINDOW_CUE.search(text):  # `考核时间：12月26日至1月25日` (the colon ends no window)
            out.append((text[cue.start() :], no, _NAMING_SENTENCE))
        if window := _BRACKETED_WINDOW.search(text):
            out.append((text[window.end() :], no, _NAMING_SENTENCE))
    out.extend((text, no, _OTHER) for text, no in intro)
    # 附件说明 and table captions: `得分表（2022年7月）`.
    for i in range(layout.body_start, len(lines)):
        text = lines[i].text
        # A caption closes a bracket (`$` may stand before a final newline).
        closes = text.rstrip("\n").endswith(("）", ")"))
        if lines[i].cells is None and ("附件" in text or (closes and TABLE_CAPTION_END.search(text))):
            out.append((text, lines[i].line_no, _OTHER))
    return out


def _context_years(texts: list[tuple[str, int, str]], kind: str, first: int, last: int) -> int | None:
    """The year printed with the same period elsewhere (title, caption)."""
    for text, _, _ in texts:
        for pkind, pattern in _PERIODS:
            if pkind in ("year", "bare_year"):
                continue
            for m in pattern.finditer(text):
                got = _period_from_match(pkind, m)
                if got and got.year is not None and (got.first, got.last) == (first, last):
                    return got.year
    return None


def extract_period(lines: list[Line], issue_date: datetime.date | None = None) -> Period | None:
    """The assessed period from the title, the opening paragraph or the attachment captions.

    Never from the issue date alone; the issue date only supplies a missing year, and a period
    that would end after the document was issued belongs to the year before (§5: December
    assessed, circular issued in January).
    """
    lines = split_header_lines(lines)
    return locate_period(lines, find_layout(lines), issue_date)


def locate_period(
    lines: list[Line], layout: Layout, issue_date: datetime.date | None = None
) -> Period | None:
    """The period of lines whose header lines are split, in their layout (see extract_period)."""
    if issue_date is None:
        issue_date = locate_issue_date(lines, layout)[0]
    texts = _period_texts(lines, layout)
    bare: tuple[_PeriodMatch, int] | None = None
    season_year = False
    for text, line_no, where in texts:
        found = _match_period(text, where == _TITLE, where in (_TITLE, _NAMING_SENTENCE))
        if found is None:
            continue
        if found.kind == "bare_year" and _SEASON_AFTER_YEAR.match(
            text[text.find(found.label) + len(found.label) :]
        ):
            # `关于2024年汛期…`: the year of a season, never the whole year; it only supplies a year.
            if bare is None:
                bare = (found, line_no)
            season_year = True
            continue
        if found.kind == "bare_year" and bare is None:
            # A bare year in the title may only be the year of a month or quarter named below.
            bare = (found, line_no)
            continue
        if found.kind == "bare_year":
            continue
        year = found.year or _context_years(texts, found.kind, found.first, found.last)
        if year is None and bare is not None:
            year = bare[0].year
        return _period_of(found, year, issue_date, line_no)
    if bare is not None and not season_year:
        return _period_of(bare[0], bare[0].year, issue_date, bare[1])
    return None


def _period_of(
    found: _PeriodMatch, year: int | None, issue_date: datetime.date | None, line_no: int
) -> Period:
    if year is None and issue_date is not None:
        year = issue_date.year
        # A cumulative period (`截至12月底`) issued in January ends in the year before.
        if datetime.date(year, found.last if found.kind == "to_date" else found.first, 1) > issue_date:
            year -= 1
    if year is None:
        return Period(found.label, None, None, line_no)
    end_year = found.end_year or (
        year if (found.last, found.last_day or 31) >= (found.first, found.first_day) else year + 1
    )
    start = make_date(year, found.first, found.first_day)
    end = make_date(end_year, found.last, found.last_day or calendar.monthrange(end_year, found.last)[1])
    if start is None or end is None or end < start:
        return Period(found.label, None, None, line_no)  # `2月30日`: printed, but not a date
    return Period(found.label, start, end, line_no)
