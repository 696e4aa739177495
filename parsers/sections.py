"""Per-unit sections of deductions and the entries in them.

variants §3 "Layout": one line per entry under `X得分 N 分，扣分原因：`; a
heading per unit with numbered entries; a paragraph per unit
(`武都区（得分93.5分）：（3）…扣1分；（4）…`); a table `单位 | 存在问题 | 扣分`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex

from parsers.entries import Entry, parse_entry, split_entries, starts_with_label
from parsers.model import Line, Problem, UnreadBlock
from parsers.normalize import join_lines
from parsers.numbers import NUMBER_CELL
from parsers.tables import DeductionRow
from parsers.tables.roles import COLUMN_PATTERNS, cell_role
from parsers.units import UnitMatch, looks_like_unit, match_unit, unit_key

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_AMOUNT_WORD = regex.compile(r"扣|减|加|计|共")
_LEADING_ORDINAL = regex.compile(r"^(?:[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．])")
_DEDUCT_DIGIT = regex.compile(r"扣\s*\d")
_AMOUNT_DIGIT = regex.compile(r"[扣减加]\s*\d")

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
_SCORE_LINE = regex.compile(
    rf"^(?:本月|本期|考核|考评|检查|督查|综合|最终)?(?:得分|成绩)(?:为|是)?\s*[:：]?\s*{_SCORE}\s*分[，,。；;：:]?(?P<rest>.*)$"
)
_REST_CUE = regex.compile(
    r"^\s*[，,；;。]?\s*(?:(?:具体)?(?:扣分原因|扣分情况|扣分项|存在问题|主要问题|问题)(?:如下|为|是)?\s*)?[:：]?\s*"
)
_NO_DEDUCTION = regex.compile(r"无扣分|未扣分|没有扣分|无问题|满分")
# A new chapter (`四、工作要求`), the attachment list, a date line: the end of a unit's section.
_SECTION_END = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*、|附件|附表|抄送|[12]\d{3}年\d{1,2}月\d{1,2}日$|[二〇○O零][〇○O零一二三四五六七八九]{3}年)"
)
# A heading that is only an ordinal and a name: `（一）浉河区`, `一、浉河区`, `1.浉河区`, `浉河区：`.
_NUMBERED_NAME = regex.compile(rf"^{_ORDINAL}(?P<unit>[\p{{Han}}（）()·]{{2,24}}?)\s*[:：]?$")
_NOT_UNIT_START = ("全市", "全省", "全县", "各", "本次", "平均", "其中", "共", "总")


@dataclass(slots=True)
class UnitEntry:
    """An entry attached to its unit, with the line it came from."""

    unit: str
    unit_raw: str
    entry: Entry
    line: Line
    entry_no: int = 0
    uncertain: bool = False  # attached to `unit` by a one-character difference (an OCR or typing slip)


@dataclass(slots=True)
class Section:
    unit: str
    unit_raw: str
    heading: Line
    score: Decimal | None
    match: UnitMatch | None
    no_deductions: bool = False
    veto: bool = False  # an entry line applies 一票否决 (one-vote veto) instead of an amount
    entries: list[UnitEntry] = field(default_factory=list)


@dataclass(slots=True)
class SectionResult:
    sections: list[Section]
    unmatched: list[Line]
    by_issue: list[UnitEntry] = field(default_factory=list)
    """Entries listed by problem rather than by unit, each naming its units (`都匀市、福泉市均存在…，各扣1分`)."""
    unread: list[UnreadBlock] = field(default_factory=list)
    """Runs of entries or headings seen but not attributed with confidence (no rows came from them)."""
    problems: list[Problem] = field(default_factory=list)
    """Problems listed per unit without points (field-survey.md §5)."""


def _is_unit(name: str, known: list[str]) -> bool:
    """A name exactly one of the table's units, or, with no table, shaped like a unit."""
    if known:
        found = match_unit(name, known)
        return found is not None and found.exact
    return looks_like_unit(name)


def heading_of(line: Line, known: list[str]) -> tuple[str, Decimal | None, str, UnitMatch | None] | None:
    """(unit_raw, score, rest of line, match) when `line` opens a unit's section."""
    text = line.text
    if line.cells is not None:
        return None
    if len(text) > 32 and "分" not in text[:48] and "：" not in text[:34] and ":" not in text[:34]:
        # Every heading form names the unit in its first few characters and then its score
        # (… 分) or a colon; a long line with neither near its start is prose or an entry.
        return None
    if starts_with_label(text):
        # `1.浉河区` / `（1）浉河区` on a line of its own is a unit's heading, not an entry
        # (variants §3 "a heading per unit with numbered entries").
        named = _NUMBERED_NAME.match(text)
        if named is None:
            return _numbered_heading_with_score(text, known)
        found = match_unit(named.group("unit"), known) if known else None
        if (found is None or not found.exact) and (known or not looks_like_unit(named.group("unit"))):
            return None
        return named.group("unit"), None, "", found
    match = _HEADING_SCORE.match(text)
    if match is None:
        bare = _HEADING_BARE_SCORE.match(text)
        # `乙区扣分2分` is an amount, not a score: the name part must not hold an amount word.
        if bare and not _AMOUNT_WORD.search(bare.group("unit")) and _is_unit(bare.group("unit"), known):
            match = bare
    if match:
        unit_raw = match.group("unit")
        score = Decimal(match.group("score"))
        rest = match.group("rest")
    else:
        plain = _plain_heading(text, known)
        if plain is None:
            return None
        unit_raw, rest = plain
        score = None
    unit_raw = _LEADING_ORDINAL.sub("", unit_raw)
    if unit_key(unit_raw).startswith(_NOT_UNIT_START):
        return None
    found = match_unit(unit_raw, known) if known else None
    if found is None and not looks_like_unit(unit_raw):
        return None
    return unit_raw, score, rest, found


def _numbered_heading_with_score(
    text: str, known: list[str]
) -> tuple[str, Decimal | None, str, UnitMatch | None] | None:
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


_PLAIN_HEADING = regex.compile(
    r"^(?:[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．]\s*)?(?P<unit>[\p{Han}（）()·]{2,30}?)\s*"
    r"(?:(?:扣分情况|扣分原因|存在问题|主要问题|扣分明细)(?:如下)?)?\s*[:：]\s*(?P<rest>.*)$"
    r"|^(?:[（(]?[一二三四五六七八九十]{1,3}[)）、.．]\s*)?(?P<unit>[\p{Han}·（）()]{2,24}?)$"
)


def _plain_heading(text: str, known: list[str]) -> tuple[str, str] | None:
    """`浉河区：（1）…` or `浉河区扣分情况：` or a line that is just a known unit's name."""
    match = _PLAIN_HEADING.match(text)
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


def extract_sections(lines: list[Line], known: list[str], skip: set[int]) -> SectionResult:
    """Find each unit's section and parse its entries.

    Args:
        lines: normalised lines.
        known: the units of the document's score tables (may be empty).
        skip: line numbers already consumed as table rows.
    """
    sections: list[Section] = []
    unmatched: list[Line] = []
    by_issue: list[UnitEntry] = []
    pending: Line | None = None  # a problem listed by item whose amount is on the next line
    current: Section | None = None
    previous: Line | None = None  # the current section's last line read for entries
    for line in lines:
        if line.line_no in skip:
            current = None
            continue
        head = heading_of(line, known)
        if head is not None:
            previous = None
            unit_raw, score, rest, found = head
            unit = found.unit if found else unit_key(unit_raw)
            current = Section(unit=unit, unit_raw=unit_raw, heading=line, score=score, match=found)
            sections.append(current)
            rest = _REST_CUE.sub("", rest, count=1)
            if _NO_DEDUCTION.search(rest) and not _DEDUCT_DIGIT.search(rest):
                current.no_deductions = True
            elif rest.strip():
                _add_entries(current, rest, line, unmatched)
            continue
        if current is None:
            if known and line.cells is None:
                if starts_with_label(line.text):
                    found_entries = _issue_entries(line, known)
                    by_issue.extend(found_entries)
                    pending = None if found_entries else line
                elif pending is not None:
                    # The problem's line broke before its amount (a PDF line ending `…，发` / `现2处…扣1分。`).
                    by_issue.extend(_issue_entries(join_lines(pending, line), known))
                    pending = None
            continue
        if line.cells is not None and _add_row_entry(current, line):
            continue
        if line.cells is not None or _SECTION_END.match(line.text):
            current = None
            continue
        stated = _SCORE_LINE.match(line.text)
        if stated and current.score is None and not current.entries:
            previous = None
            # The unit's name on one line, its score on the next (`甲县` / `得分：95分`).
            current.score = Decimal(stated.group("score"))
            rest = _REST_CUE.sub("", stated.group("rest"), count=1)
            if rest.strip():
                _add_entries(current, rest, line, unmatched)
            continue
        if unmatched and unmatched[-1] is previous and _wraps_into(previous, line):
            # variants §3 "An entry can wrap onto the next line": a labelled line without its
            # amount, then an unlabelled line that carries it, is one entry (fb-08:
            # `28、建筑施工领域违法分包转包打击力度` / `不够（扣2分）`).
            line = join_lines(unmatched.pop(), line)
        _add_entries(current, line.text, line, unmatched)
        previous = line
    _detach_doubtful(sections)
    return SectionResult(sections=sections, unmatched=unmatched, by_issue=by_issue)


def _issue_entries(line: Line, known: list[str]) -> list[UnitEntry]:
    """The entries of a problem listed by rubric item, outside any unit's section, for each unit it names.

    Inspection notices often list problems item by item with the units in the sentence:
    `▲第2项　都匀市、福泉市均存在…标识标牌缺失问题，各扣1分。` (fresh-F f02) takes 1 point from
    each; `第6项　罗甸县部分单村供水工程…，共扣1分。` from 罗甸县. Several units without 各 (each)
    leave it unclear who lost what: nothing is attached.
    """
    entry = parse_entry(line.text)
    if entry is None:
        return []
    named = [unit for unit in known if unit in entry.reason]
    # A name inside another's (`东区` in `城东区`) is that one.
    named = [unit for unit in named if not any(unit != other and unit in other for other in named)]
    if not named or (len(named) > 1 and "各" not in line.text):
        return []
    named.sort(key=entry.reason.index)
    return [UnitEntry(unit, unit, entry.copy(), line) for unit in named]


# A sequence-number cell (`3`) before a problem.
_SEQ_CELL = regex.compile(r"^\d{1,3}$")


def _add_row_entry(section: Section, line: Line) -> bool:
    """Read a row of a unit's own table (`扣分事项 | 扣分` under `一、亭湖区（98分）`, fresh-G g07).

    The table has no unit column, so the table reader leaves it to the section it sits in:
    its header row is passed over, and each row is one entry with its amount in the last cell.
    Returns whether the row belonged to the section.
    """
    cells = [cell.strip() for cell in line.cells or () if cell.strip()]
    if not cells:
        return True
    roles = [cell_role(cell) for cell in cells]
    if all(roles) and set(roles) <= {"reason", "points", "seq"}:
        return True  # its header row: `扣分事项 | 扣分`
    if len(cells) < 2 or not NUMBER_CELL.match(cells[-1].replace(" ", "")):
        return False
    text = cells[:-1]
    if len(text) > 1 and _SEQ_CELL.match(text[0]):
        text = text[1:]  # a 序号 column
    entry = parse_entry("".join(text), points_text=cells[-1])
    if entry is None:
        return False
    section.entries.append(UnitEntry(section.unit, section.unit_raw, entry, line))
    return True


def _wraps_into(pending: Line, line: Line) -> bool:
    """Whether an unparsed labelled line without an amount goes on in `line`, which has one."""
    return (
        starts_with_label(pending.text)
        and not _AMOUNT_DIGIT.search(pending.text)
        and not starts_with_label(line.text)
        and bool(_AMOUNT_DIGIT.search(line.text))
    )


def _detach_doubtful(sections: list[Section]) -> None:
    """Undo a one-character attachment when the unit has its own section anyway.

    `霍邱县` is one character from `霍山县`, but when `霍山县` has a section of its own,
    `霍邱县` is another unit (missing from the table), not a slip.
    """
    exact = {s.unit for s in sections if s.match is None or s.match.exact}
    for section in sections:
        if section.match is not None and not section.match.exact and section.unit in exact:
            section.unit = unit_key(section.unit_raw)
            section.match = None
            for item in section.entries:
                item.unit = section.unit


def _add_entries(section: Section, text: str, line: Line, unmatched: list[Line]) -> None:
    parsed_any = False
    for piece in split_entries(text):
        entry = parse_entry(piece)
        if entry is None:
            continue
        parsed_any = True
        section.entries.append(UnitEntry(section.unit, section.unit_raw, entry, line))
    # variants §4: `（20）发生较大生产安全责任事故，一票否决。` — a veto, not an unparsed amount.
    # (A deduction whose reason merely mentions 一票否决 has an amount and parsed above.)
    if not parsed_any and "一票否决" in text:
        section.veto = True
        return
    if not parsed_any and (starts_with_label(text) or _AMOUNT_DIGIT.search(text)):
        unmatched.append(line)


def entries_from_table(
    rows: list[DeductionRow], known: list[str]
) -> tuple[list[UnitEntry], list[Line], list[str]]:
    """Entries of a deduction table (`| 序号 | 单位 | 扣分事项 | 扣分 |`), unparsed rows, and vetoed units."""
    entries: list[UnitEntry] = []
    unmatched: list[Line] = []
    vetoed: list[str] = []
    for row in rows:
        found = match_unit(row.unit_raw, known) if known else None
        unit = found.unit if found else unit_key(row.unit_raw)
        uncertain = found is not None and not found.exact
        if row.points_text is None:
            # No amount column: the cell itself may hold several entries (`（3）…扣1分；（7）…扣0.5分`).
            parsed = [e for piece in split_entries(row.text) if (e := parse_entry(piece)) is not None]
        else:
            parsed = (
                [e for piece in split_entries(row.text) if (e := parse_entry(piece)) is not None]
                if row.text.count("分") >= 2
                else []
            )
            if len(parsed) < 2:
                # One entry per row, its amount in the amount column. A cell holding several entries
                # each with its own amount (a Word cell of one paragraph per problem, fresh-F f10)
                # is read entry by entry instead.
                parsed = [e] if (e := parse_entry(row.text, points_text=row.points_text)) is not None else []
        if not parsed and "一票否决" in row.text + (row.points_text or ""):
            # `| 26 |  | （30）发生较大生产安全责任事故 | 一票否决 |`: the amount cell applies a veto.
            vetoed.append(unit)
        elif not parsed:
            unmatched.append(row.line)
        entries.extend(
            UnitEntry(unit, row.unit_raw, entry, row.line, uncertain=uncertain) for entry in parsed
        )
    return entries, unmatched, vetoed
