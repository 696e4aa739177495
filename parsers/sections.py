"""Per-unit sections of deductions and the entries in them.

variants §3 "Layout": one line per entry under `X得分 N 分，扣分原因：`; a
heading per unit with numbered entries; a paragraph per unit
(`武都区（得分93.5分）：（3）…扣1分；（4）…`); a table `单位 | 存在问题 | 扣分`.
Issue 9: entries under a heading that names no unit of the circular, and lines whose amount
is not one, are reported as unread blocks; problems listed without points are kept as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex

from parsers.entries import (
    Entry,
    doubtful_amount,
    parse_entry,
    restates_total,
    split_entries,
    starts_with_label,
)
from parsers.model import Line, Problem, UnreadBlock
from parsers.normalize import join_lines, squash
from parsers.numbers import NUMBER_CELL, UNSIGNED_DECIMAL, chinese_to_int
from parsers.problems import may_list_problems, opens_problems, problems_of
from parsers.prose_entries import prose_entries, states_a_persons_points
from parsers.tables import DeductionRow, ScoreRow
from parsers.tables.roles import cell_role
from parsers.unit_headings import Heading, body_name, heading_like, heading_of, is_unit
from parsers.units import UnitMatch, match_unit, unit_key

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_DEDUCT_DIGIT = regex.compile(r"扣\s*\d")
_AMOUNT_DIGIT = regex.compile(r"[扣减加]\s*\d")
_SCORE = r"(?P<score>\d+(?:\.\d+)?)"
_SCORE_LINE = regex.compile(
    rf"^(?:本月|本期|考核|考评|检查|督查|综合|最终)?(?:得分|成绩)(?:为|是)?\s*[:：]?\s*{_SCORE}\s*分[，,。；;：:]?(?P<rest>.*)$"
)
_REST_CUE = regex.compile(
    r"^\s*[，,；;。]?\s*(?:(?:具体)?(?:扣分原因|扣分情况|扣分项|存在问题|主要问题|问题)(?:如下|为|是)?\s*)?[:：]?\s*"
)
_NO_DEDUCTION = regex.compile(r"无扣分|未扣分|没有扣分|无问题|满分")
# A whole line saying a unit lost nothing, before its score (`本月未发现问题，得分100分。`).
_NOTHING_FOUND = regex.compile(
    r"(?:本月|本期|本次|本季度|经检查)?(?:未发现(?:扣分)?问题|无扣分(?:项)?|未扣分|无问题|没有扣分)"
)
# A new chapter (`四、工作要求`), the attachment list, a date line: the end of a unit's section.
_SECTION_END = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*、|附件|附表|抄送|[12]\d{3}年\d{1,2}月\d{1,2}日$|[二〇○O零][〇○O零一二三四五六七八九]{3}年)"
)
# The score closing a unit's paragraph of entries (`…；实得分99分。`), named by its period too (n08
# `…扣0.5分。季度得分98.5分。`).
_CLOSING_SCORE = regex.compile(
    rf"(?:^|[；;。，,])\s*(?:本月|本期|本季度|季度|本年度|年度|月度|半年|上半年|下半年)?"
    rf"(?:实得分|实际得分|最终得分|最后得分|得分|考核得分|考评得分)(?:为)?\s*[:：]?\s*{_SCORE}\s*分\s*[。；;]?\s*$"
)
# A unit's closing line after its entries: the totals taken and added, then its score (`合计扣4分，
# 得分96分。`, `合计扣1分，加2分，得分101分。`, y11). The totals restate the entries; the score is the unit's.
_NUM_RE = UNSIGNED_DECIMAL
# aa03 sums both up after its 扣分项 and 加分项 lists: `以上扣1.5分、加3分，最终得分101.5分。`,
# `以上扣0.5分、未加分，…`, `以上未扣分、加1分，…`.
_TOTALS_THEN_SCORE = regex.compile(
    rf"^\s*(?:合计|共计|累计|总计|共|以上)\s*(?:(?:扣除|扣减|扣|减)\s*(?P<deduction>{_NUM_RE})\s*分|未扣分|无扣分)"
    rf"(?:\s*[，,、]\s*(?:合计|共计|累计|共)?\s*(?:加\s*(?P<bonus>{_NUM_RE})\s*分|未加分|无加分))?\s*[，,；;]\s*"
    # Named by its period too (aa06 `合计扣5分，本月得分95分。`).
    rf"(?:本月|本期|本季度|季度|本年度|年度|月度)?"
    rf"(?:实得分|实际得分|最终得分|得分)(?:为)?\s*[:：]?\s*{_SCORE}\s*分\s*[。；;]?\s*$"
)
# A chapter heading (`二、整改要求`): where a 存在问题 chapter ends.
_CHAPTER = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*、|第[一二三四五六七八九十]{1,3}部分)")
# The characters _SECTION_END and _CHAPTER can start with: the patterns run on every line, and a
# first character outside these (most lines) answers without them.
_SECTION_END_FIRST = frozenset("一二三四五六七八九十附抄12二〇○O零")
_CHAPTER_FIRST = frozenset("一二三四五六七八九十第")
# `乙街道：背街小巷乱堆乱放3处，每处扣0.5分…`: a unit's entries or problems on its own line.
_UNIT_PREFIX = regex.compile(
    r"^(?:[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．]\s*)?(?P<unit>[\p{Han}·]{2,24}?)\s*[:：]\s*(?P<rest>\S.*)$"
)


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


def extract_sections(lines: list[Line], known: list[str], skip: set[int]) -> SectionResult:
    """Find each unit's section and parse its entries.

    Args:
        lines: normalised lines.
        known: the units of the document's score tables (may be empty).
        skip: line numbers already consumed as table rows.
    """
    reader = _SectionReader(known, skip)
    for line in lines:
        reader.read(line)
    reader.close()
    _detach_doubtful(reader.result.sections)
    return reader.result


@dataclass(slots=True)
class _Doubt:
    """A heading-like line that names no unit of the circular, and the entry lines under it."""

    heading: Line
    name: str
    lines: list[Line] = field(default_factory=list)


class _SectionReader:
    """Reads the lines in order: which unit's section each belongs to, and what it holds."""

    def __init__(self, known: list[str], skip: set[int]) -> None:
        self.known = known
        self.skip = skip
        self.result = SectionResult(sections=[], unmatched=[])
        self.current: Section | None = None
        self.current_by_prefix: bool | None = None  # whether the current heading is a `X：…` line, once asked
        self.previous: Line | None = None  # the current section's last line read for entries
        self.pending: Line | None = None  # a problem listed by item whose amount is on the next line
        self.doubt: _Doubt | None = None
        self.problem_context = False  # inside a 存在问题 / 督查发现 chapter
        self.candidates: list[tuple[Line, str]] = []  # the current section's lines listing problems
        self.bare: list[Line] = []  # the current section's lines holding a number and nothing else
        self.bare_block: UnreadBlock | None = None

    def read(self, line: Line) -> None:
        """Read one line."""
        if line.line_no in self.skip:
            self.close()
            return
        self._note_context(line)
        head = heading_of(line, self.known)
        prefix = (
            _UNIT_PREFIX.match(line.text)
            if head is None and ("：" in line.text or ":" in line.text) and self._one_line_per_unit(line)
            else None
        )
        if prefix is not None and body_name(prefix.group("unit")) is None:
            prefix = None  # `各县区：现将…`, `存在问题：`: an addressee or a label, not a unit
        if prefix is not None and is_unit(prefix.group("unit"), self.known):
            head = self._prefix_heading(prefix)
        if head is not None:
            self.close()
            self._open(line, head)
            return
        name = heading_like(line)
        if name is None and prefix is not None:
            name = body_name(prefix.group("unit"))
        if name is not None and prefix is None and self._next_in_sequence(line, name):
            self.close()
            self._open(line, (name, None, "", None))
            return
        if name is not None and prefix is not None and self._next_prefix_line(name, line):
            self.close()
            self._open(line, self._prefix_heading(prefix))
            return
        if name is not None:
            # field-survey.md: a unit missing from the score table (`（三）滨江片区管理处`) had its
            # deductions hung on the unit above. Its entries are a doubt, not that unit's.
            self.close()
            self.doubt = _Doubt(line, name)
            if prefix is not None:
                self._read_doubtful(line)  # `丁社区：…扣1分` holds its entries on its own line
            return
        if self.doubt is not None:
            self._read_doubtful(line)
        elif self.current is None:
            self._read_outside(line)
        else:
            self._read_in_section(self.current, line)

    def _next_in_sequence(self, line: Line, name: str) -> bool:
        """Whether a heading naming an administrative unit the score table lacks continues the
        numbered headings of the units before it (x13: `（四）南湾经开区` after `（一）东湖区` …
        `（三）北川县`): then it is that unit's section, its score missing, not a doubt. A body of
        another kind (`（三）滨江片区管理处`, a project team) stays a doubt."""
        if not _ADMIN_UNIT.search(name) or not self.result.sections:
            return False
        previous = self.result.sections[-1]
        if previous.match is None:
            return False  # only after a unit of the score table
        here, before = _ORDINAL_HEAD.match(line.text), _ORDINAL_HEAD.match(previous.heading.text)
        if here is None or before is None or here.group("open") != before.group("open"):
            return False
        k, j = chinese_to_int(here.group("k")), chinese_to_int(before.group("k"))
        return k is not None and j is not None and k == j + 1

    def _next_prefix_line(self, name: str, line: Line) -> bool:
        """Whether a `X镇：…扣2分；…` line naming an administrative unit the score table lacks follows
        the same kind of line of a unit of the table at the same level (y15: `桥头镇：` after `黄坡乡：`,
        left out of the ranking for its missing papers): then it is that unit's own line, its score
        missing, as a numbered heading in sequence is (`_next_in_sequence`). A body of another kind
        or level (`丁社区：` after `乙街道：`) stays a doubt, unless the lines are numbered and this one
        comes next (p15: `5.经济开发区：` after `4.坪上乡：`, a zone run as a township)."""
        current = self.current
        if current is None or current.match is None or not self.current_by_prefix:
            return False
        level = _admin_level(name)
        if level is not None and level == _admin_level(current.unit):
            return True
        if _COUNTY_BODY.match(name) and _admin_level(current.unit) in ("township", "village"):
            return True  # n12: `县体育中心：…` after `梅岭乡：…` — a county's body is no place in a township
        here, before = _LIST_HEAD.match(line.text), _LIST_HEAD.match(current.heading.text)
        return (
            bool(_ADMIN_UNIT.search(name))
            and here is not None
            and before is not None
            and int(here.group("k")) == int(before.group("k")) + 1
        )

    def close(self) -> None:
        """End the current section or doubt: its problems, or its unread block."""
        section, self.current = self.current, None
        if section is not None and self.bare and not section.entries:
            self._report_bare_numbers(section)
        self.bare = []
        if section is not None and _names_only(section) and not self.candidates:
            # A name alone on its line that nothing followed — most often the issuer's signature
            # above the date (`县住房和城乡建设局` / `2024年4月2日`) — is no unit's section.
            self.result.sections.remove(section)
            section = None
        if section is not None and self.candidates:
            if not section.entries and not section.veto:
                listed = {id(line) for line, _ in self.candidates}
                self.result.unmatched[:] = [line for line in self.result.unmatched if id(line) not in listed]
                for line, text in self.candidates:
                    self.result.problems.extend(problems_of(section.unit, section.unit_raw, text, line))
            self.candidates = []
        doubt, self.doubt = self.doubt, None
        if doubt is not None and doubt.lines:
            why = "not a unit of the score table" if self.known else "not shaped like a unit name"
            self.result.unread.append(
                UnreadBlock(
                    doubt.heading,
                    doubt.lines[-1],
                    f"entries under the heading '{doubt.name}', {why}: not attributed to any unit",
                    kind="heading",
                )
            )

    def _report_bare_numbers(self, section: Section) -> None:
        """Numbers alone on their lines under a unit's name: one unread block for the run of units.

        field-survey.md §1: a table flattened one cell per line puts each unit's name, then its
        count, score or prize money on lines of their own; none is an amount (entries.py reads
        none), but a person should know the block was there and not read.
        """
        unread = self.result.unread
        if unread and unread[-1] is self.bare_block and self.bare_block is not None:
            self.bare_block.last = self.bare[-1]  # the next unit of the same flattened table
            return
        self.bare_block = UnreadBlock(
            section.heading,
            self.bare[-1],
            "numbers on lines of their own under unit names, with no amount clause (a table flattened "
            "one cell per line?): not read as deductions",
            kind="entries",
        )
        unread.append(self.bare_block)

    def _note_context(self, line: Line) -> None:
        if opens_problems(line.text):
            self.problem_context = True
        elif line.text[:1] in _CHAPTER_FIRST and _CHAPTER.match(line.text):
            self.problem_context = False

    def _one_line_per_unit(self, line: Line) -> bool:
        """Whether a `X：…` line may be a unit's own line: outside any section, or after another one.

        Under a unit's heading (`（一）甲镇`), `1.东关村：垃圾未清理，扣0.5分` names a place inside
        that unit, not a unit of its own.
        """
        if line.cells is not None:
            return False
        if self.current is None:
            return True
        if self.current_by_prefix is None:  # asked of the section's lines with a colon: match once
            self.current_by_prefix = _UNIT_PREFIX.match(self.current.heading.text) is not None
        return self.current_by_prefix

    def _prefix_heading(self, match: regex.Match[str]) -> Heading:
        """`乙街道：背街小巷乱堆乱放3处…`: the unit's own line, however long (heading_of takes short ones)."""
        found = match_unit(match.group("unit"), self.known) if self.known else None
        return match.group("unit"), None, match.group("rest"), found

    def _open(self, line: Line, head: Heading) -> None:
        self.previous = None
        unit_raw, score, rest, found = head
        unit = found.unit if found else unit_key(unit_raw)
        self.current = section = Section(unit=unit, unit_raw=unit_raw, heading=line, score=score, match=found)
        self.current_by_prefix = None
        self.result.sections.append(section)
        rest = _REST_CUE.sub("", rest, count=1)
        closing = _CLOSING_SCORE.search(rest) if score is None else None
        if closing is not None:
            # `…加0.5分；实得分99分。`: the unit's score closes its paragraph.
            section.score = Decimal(closing.group("score"))
            rest = rest[: closing.start()]
        if _NO_DEDUCTION.search(rest) and not _DEDUCT_DIGIT.search(rest):
            section.no_deductions = True
        elif rest.strip() and not self._add_entries(section, rest, line) and self.problem_context:
            self.candidates.append((line, rest))

    def _check_total(self, section: Section, total: Entry, line: Line) -> None:
        """A `共扣3分` after a unit's entries restates their sum (x05); one that does not add up to
        them (on its line or in the whole section) is said, not taken as another deduction."""
        on_line = [e for e in section.entries if e.line is line]
        if total.points not in (_summed(section.entries, total.kind), _summed(on_line, total.kind)):
            why = f"a total of {total.points:g} points that is not the sum of the entries before it: not read as an entry"
            self.result.unread.append(UnreadBlock(line, line, why, kind="entries"))

    def _check_closing_totals(self, section: Section, closing: regex.Match[str], line: Line) -> None:
        """The totals of a closing line restate the entries above; one that does not add up to them
        is said, never taken as another entry (as `_check_total`)."""
        for kind in ("deduction", "bonus"):
            printed = closing.group(kind)
            if printed is None:
                continue
            if Decimal(printed) != _summed(section.entries, kind):
                why = f"a {kind} total of {printed} points that is not the sum of the entries before it"
                self.result.unread.append(UnreadBlock(line, line, why, kind="entries"))

    def _read_outside(self, line: Line) -> None:
        """A line in no unit's section: a problem listed by item may name its units."""
        if not self.known or line.cells is not None:
            return
        if starts_with_label(line.text):
            found_entries = _issue_entries(line, self.known)
            if not found_entries:
                # A numbered line whose clauses each open with their unit (`（1）甲街道…，加2分；（2）
                # 乙街道…，加1分。`, gold set u11): the units are the clauses' subjects, as in prose.
                prose = prose_entries(line, self.known)
                found_entries = [UnitEntry(unit, unit, entry, line) for unit, entry in prose.entries]
            self.result.by_issue.extend(found_entries)
            self.pending = None if found_entries else line
        elif self.pending is not None:
            # The problem's line broke before its amount (a PDF line ending `…，发` / `现2处…扣1分。`).
            self.result.by_issue.extend(_issue_entries(join_lines(self.pending, line), self.known))
            self.pending = None
        else:
            # Units as the subjects of a paragraph's clauses (`甲镇、乙镇…，各扣1分；丙乡…，扣0.5分。`, x01).
            prose = prose_entries(line, self.known)
            self.result.by_issue.extend(UnitEntry(unit, unit, entry, line) for unit, entry in prose.entries)
            self.result.unread.extend(prose.unread)

    def _read_doubtful(self, line: Line) -> None:
        """A line under an unrecognised heading: kept for the unread block when it looks like a result."""
        if line.cells is not None or _ends_section(line.text):
            self.close()
            return
        text = line.text
        if (
            any(parse_entry(piece) is not None for piece in split_entries(text))
            or _AMOUNT_DIGIT.search(text)
            or (self.problem_context and may_list_problems(text))
        ):
            assert self.doubt is not None
            self.doubt.lines.append(line)

    def _read_in_section(self, section: Section, line: Line) -> None:
        if line.cells is not None and _add_row_entry(section, line):
            return
        if line.cells is not None or _ends_section(line.text):
            self.close()
            return
        unmatched = self.result.unmatched
        # The score words stand at the start, after a two-character qualifier at most.
        stated = _SCORE_LINE.match(line.text) if "得分" in line.text[:4] or "成绩" in line.text[:4] else None
        if stated and section.score is None and not section.entries:
            self.previous = None
            # The unit's name on one line, its score on the next (`甲县` / `得分：95分`).
            section.score = Decimal(stated.group("score"))
            rest = _REST_CUE.sub("", stated.group("rest"), count=1)
            if rest.strip():
                self._add_entries(section, rest, line)
            return
        if stated and section.score is None and not stated.group("rest").strip(" 。；;"):
            # z10: `考核得分：99.25分。` on its own line after the unit's entries closes its section.
            self.previous = None
            section.score = Decimal(stated.group("score"))
            return
        if section.score is None and not section.entries and "得分" in line.text:
            # `本月未发现问题，得分100分。` under the unit's heading (aa06): nothing taken, its score.
            ending = _CLOSING_SCORE.search(line.text)
            if ending is not None and _NOTHING_FOUND.fullmatch(
                line.text[: ending.start()].strip(" ，,。；;")
            ):
                self.previous = None
                section.score = Decimal(ending.group("score"))
                section.no_deductions = True
                return
        closing = _TOTALS_THEN_SCORE.match(line.text) if section.entries and section.score is None else None
        if closing is not None:
            self.previous = None
            section.score = Decimal(closing.group("score"))
            self._check_closing_totals(section, closing, line)
            return
        if unmatched and unmatched[-1] is self.previous and _wraps_into(self.previous, line):
            # variants §3 "An entry can wrap onto the next line": a labelled line without its
            # amount, then an unlabelled line that carries it, is one entry (fb-08:
            # `28、建筑施工领域违法分包转包打击力度` / `不够（扣2分）`).
            line = join_lines(unmatched.pop(), line)
        if self._add_entries(section, line.text, line):
            pass
        elif NUMBER_CELL.match(line.text.replace(" ", "")):
            self.bare.append(line)
        elif self.problem_context and may_list_problems(line.text) and not _AMOUNT_DIGIT.search(line.text):
            self.candidates.append((line, line.text))
        self.previous = line

    def _add_entries(self, section: Section, text: str, line: Line) -> bool:
        """Parse the entries of `text` into `section`; whether the line was read as entries or a veto."""
        parsed_any = False
        unread_pieces: list[str] = []
        # Every amount ends in 分 (parse_entry, doubtful_amount): a line without one holds none.
        has_points = "分" in text
        for piece in split_entries(text) if has_points else ():
            entry = parse_entry(piece)
            if entry is None:
                if self._add_charged_elsewhere(piece, line):
                    parsed_any = True
                elif _TAKEN_UNREAD.search(piece):
                    unread_pieces.append(piece)
                continue
            parsed_any = True
            if "。" in entry.reason.rstrip("。") and not entry.items:
                # n08 `东关中队：本季度查处占道经营86起，扣押物品43件。执法记录仪未全程开启，扣1分`: the
                # sentences before the last full stop report the unit's work, not the problem charged.
                entry.reason = entry.reason.rstrip("。").rsplit("。", 1)[1]
            if states_a_persons_points(piece):
                # n03: `党员钱某某因…被扣5分，年度积分为80分` in a branch's section: the member's own points.
                said = f"a person's own points, not the unit's: '{piece[:40]}'"
                self.result.unread.append(UnreadBlock(line, line, said, kind="entries"))
                continue
            if section.entries and restates_total(entry):
                self._check_total(section, entry, line)
                continue
            section.entries.append(UnitEntry(section.unit, section.unit_raw, entry, line))
        if parsed_any and unread_pieces:
            # A clause taking points off that no rule read, beside entries that were (p12 before
            # `扣丙镇0.5分` was read): said, never dropped without a word.
            self.result.unread.append(
                UnreadBlock(
                    line,
                    line,
                    f"a clause taking points off that matched no entry rule: '{unread_pieces[0][:40]}'",
                    kind="entries",
                )
            )
        if parsed_any:
            return True
        # variants §4: `（20）发生较大生产安全责任事故，一票否决。` — a veto, not an unparsed amount.
        # (A deduction whose reason merely mentions 一票否决 has an amount and parsed above.)
        if "一票否决" in text:
            section.veto = True
            return True
        if has_points and (why := doubtful_amount(text)) is not None:
            self.result.unread.append(UnreadBlock(line, line, why, kind="entries"))
            return True
        if starts_with_label(text) or _AMOUNT_DIGIT.search(text):
            self.result.unmatched.append(line)
        return False

    def _add_charged_elsewhere(self, piece: str, line: Line) -> bool:
        """`…，经县森防办核实，扣丙镇0.5分。` in 戊镇's section (p12, a cross check): the amount names the
        unit it is taken from, a unit of the score table other than the section's, so it is that
        unit's entry. Whether the piece was read so."""
        found = _CHARGED_TO.search(piece) if self.known else None
        if found is None:
            return False
        unit = unit_key(found.group("unit"))
        if unit not in self.known:
            return False
        entry = parse_entry(_ALSO.sub("", piece[: found.start("unit")] + piece[found.end("unit") :], count=1))
        if entry is None:
            return False
        self.result.by_issue.append(UnitEntry(unit, found.group("unit"), entry, line))
        return True


# Points taken off or added within a clause (`扣丙镇0.5分`, `扣除…1分`; no 分 between, so `加强…得分90分`
# is none): a piece holding one that parse_entry did not read is reported.
_TAKEN_UNREAD = regex.compile(r"[扣减加][^，,。；;\d分]{0,15}\d+(?:\.\d+)?分")
# An amount naming the unit it is taken from: `扣丙镇0.5分`, `扣除乙街道1分`.
_CHARGED_TO = regex.compile(r"(?:扣除|扣减|扣)(?P<unit>\p{Han}{2,15}?)\d+(?:\.\d+)?分")
# `另，` / `此外，` opening a further problem: no part of its reason.
_ALSO = regex.compile(r"^\s*(?:另外|另|此外)\s*[，,]\s*")


def _summed(entries: list[UnitEntry], kind: str) -> Decimal:
    """The points of the entries of one kind (deduction or bonus)."""
    return sum((e.entry.points for e in entries if e.entry.kind == kind), Decimal(0))


def _ends_section(text: str) -> bool:
    return text[:1] in _SECTION_END_FIRST and _SECTION_END.match(text) is not None


def _names_only(section: Section) -> bool:
    """A section of a bare name outside the score table, with nothing under it."""
    return (
        section.match is None
        and section.score is None
        and not section.entries
        and not section.veto
        and not section.no_deductions
        and unit_key(section.heading.text) == unit_key(section.unit_raw)
    )


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


# The ordinal a heading opens with (`（四）`, `四、`), and the administrative level a unit's name ends with.
_ORDINAL_HEAD = regex.compile(r"^(?P<open>[（(]?)(?P<k>[一二三四五六七八九十]{1,3})[）)、]")
# A line's own list number (`5.经济开发区：…`).
_LIST_HEAD = regex.compile(r"^\s*(?P<k>\d{1,2})[.、．]")
_ADMIN_UNIT = regex.compile(r"(?:县|市|区|镇|乡|街道|管委会)$")
# A body of the county or the city itself (`县体育中心`, `市政务服务中心`; not `市场监管所`): listed after
# townships, it is a unit of its own, never a place within the township above it.
_COUNTY_BODY = regex.compile(
    r"^(?:县|市)(?!场|城|区)\p{Han}{1,10}(?:中心|局|委员会|委|办公室|办|馆|院|站|队|公司)$"
)
# The level of an administrative unit by its last word: a 社区 is no district (`丁社区` after
# `乙街道` is a body of another level, a doubt; `桥头镇` after `黄坡乡` is a sibling).
_ADMIN_LEVEL = regex.compile(r"(?P<village>社区|村|居委会)$|(?P<township>镇|乡|街道)$|(?P<county>县|市|区)$")


def _admin_level(name: str) -> str | None:
    match = _ADMIN_LEVEL.search(name)
    return match.lastgroup if match else None


# A sequence-number cell (`3`) before a problem.
_SEQ_CELL = regex.compile(r"^\d{1,3}$")
# The date a problem was found, before it (q08 `检查日期 | 问题描述 | 扣分`: `2025-04-01` as a workbook
# reader prints a date cell, `4月1日`, `2025.4.1`).
_DATE_CELL = regex.compile(r"^(?:\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?|\d{1,2}月\d{1,2}日)$")
# A unit's own table closed by its total (`合计 | | 2.5`): the sum of the rows above, never an entry.
_TOTAL_CELL = regex.compile(r"^(?:合计|小计|总计|共计|累计)$")


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
    if all(roles) and set(roles) <= {"reason", "points", "seq", "date"}:
        return True  # its header row: `扣分事项 | 扣分`
    if len(cells) < 2 or not NUMBER_CELL.match(cells[-1].replace(" ", "")):
        return False
    text = cells[:-1]
    if len(text) == 1 and _TOTAL_CELL.match(squash(text[0])):
        return True  # `合计 | 2.5`: the rows above summed, not a deduction of its own
    if not Decimal(cells[-1].replace(" ", "").lstrip("+-").removesuffix("分")):
        return True  # `— | 本月未发现扣分问题 | 0`: nothing taken off, no entry
    if len(text) > 1 and (_SEQ_CELL.match(text[0]) or _DATE_CELL.match(squash(text[0]))):
        text = text[1:]  # a 序号 or 日期 column
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


def scores_from_headings(sections: list[Section], problems: list[Problem] | None = None) -> list[ScoreRow]:
    """Score rows for a circular with no score table whose units' headings state their scores.

    `黄柏镇（得分97分）` / `乔庄镇：扣1.5分，得分98.5分。` over each unit's entries (gold h01, r20): the
    heading is where the circular prints the score, one row per unit. Only when every section
    states one (a unit without it would otherwise read as missing from a score table), and the
    circular lists deductions under them, or problems without points (aa07: `（一）区教育局。1件申请办理
    超过法定期限5个工作日。本季度考核得分89.5分。`): a line of scores (`金桥镇88.31分、银杏镇88.01分…`, w14)
    is a list for the results reader, not a row of headings.
    """
    listed = any(section.entries for section in sections) or bool(problems)
    if not listed or any(section.score is None for section in sections):
        return []
    return [
        ScoreRow(section.unit_raw, None, None, section.score, None, None, line=section.heading)
        for section in sections
    ]


def entries_from_table(
    rows: list[DeductionRow], known: list[str], *, itemised: bool = False
) -> tuple[list[UnitEntry], list[Line], list[str]]:
    """Entries of a deduction table (`| 序号 | 单位 | 扣分事项 | 扣分 |`), unparsed rows, and vetoed units.

    `itemised`: the circular lists deductions entry by entry elsewhere, so the amounts of a score
    table's plain 扣分 column (`DeductionRow.summary`) are their sums, not entries of their own.
    """
    entries: list[UnitEntry] = []
    unmatched: list[Line] = []
    vetoed: list[str] = []
    for row in rows:
        if row.summary and (itemised or any(not r.summary for r in rows)):
            continue
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
