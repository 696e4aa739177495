"""Score tables and deduction tables from table rows (Lines with cells).

variants §2: columns vary in set and order (排名/名次/序号, 单位/县区/乡镇, 得分/
考评成绩/总分, 等次, 备注, 存在问题), rank may come last, weighted parts
`系统考核(占40%)`, several ranking blocks, tables split across pages with or
without a repeated header row, deduction tables `单位 | 存在问题 | 扣分` whose
unit cell is blank below its first row.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise

import regex

from parsers.damaged_tables import place_short_row, restore_table_rows, split_glued_row
from parsers.entries import starts_with_label
from parsers.headers import PART_HEADER, cell_role, header_roles
from parsers.model import Line, UnreadBlock
from parsers.normalize import aligned_columns, cells_to_text, squash
from parsers.numbers import parse_rank, to_decimal

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_SCORE_TOKEN = regex.compile(r"(?P<i>0|[1-9]\d{0,3})(?:\.(?P<f>\d{1,3}))?")
_NUMBER_KEY = regex.compile(r"[+-]?\d+(?:\.\d+)?分?")
_NAME_KEY = regex.compile(r"[\p{Han}（）()·]{2,30}")
_SHORT_HAN = regex.compile(r"\p{Han}{1,6}")
_DIGIT = regex.compile(r"\d")

# Rows that are not units: a total or an average line under the table (variants §2).
_NOT_A_UNIT_ROW = regex.compile(
    r"^(?:合计|总计|小计|平均|平均分|平均值|均值|(?:全市|全省|全县|全区)(?:平均|合计)?(?:分|得分)?)$"
)
_AMOUNT_IN_CELL = regex.compile(r"[扣减加]\s*(?:除|减)?\s*\d")
# A ranking block's caption: `（一）县区组`, `二、市直部门组排名：` (variants §2 several blocks).
_GROUP_CAPTION = regex.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.、．])?\s*"
    r"(?P<g>[\p{Han}（）()、]{1,12}组)(?:考核|考评)?(?:排名|得分|成绩|结果|情况|名次)*(?:如下)?[:：]?$"
)


@dataclass(slots=True)
class ScoreRow:
    unit_raw: str
    rank: int | None
    rank_raw: str | None
    score: Decimal | None
    grade: str | None
    group: str | None
    parts: list[tuple[str, Decimal | None, Decimal | None]] = field(
        default_factory=list
    )  # name, weight, score
    mean_of_parts: bool = False
    """The score is the mean of the parts (`季度平均` over `1月 | 2月 | 3月`)."""
    line: Line | None = None


@dataclass(slots=True)
class DeductionRow:
    unit_raw: str
    text: str
    points_text: str | None
    line: Line


@dataclass(slots=True)
class Tables:
    scores: list[ScoreRow]
    deductions: list[DeductionRow]
    table_lines: set[int]  # line_no of every row consumed
    unread: list[UnreadBlock] = field(default_factory=list)
    """Table blocks seen but not read with confidence (no rows came from them)."""


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Consecutive runs of table rows."""
    blocks: list[list[Line]] = []
    previous: Line | None = None
    for line in lines:
        if line.cells is None:
            previous = None
            continue
        if previous is None or _starts_other_table(blocks[-1], line):
            blocks.append([line])
        else:
            blocks[-1].append(line)
        previous = line
    return [_unfolded(block) for block in blocks]


def _has_number(line: Line) -> bool:
    """Whether a row has a digit in any cell: data rows do, header rows do not."""
    return any(_DIGIT.search(cell) for cell in line.cells or ())


def _starts_other_table(block: list[Line], line: Line) -> bool:
    """A header row unlike the block's own: two tables with nothing but a blank line between them."""
    if len(block) < 2 or line.cells == block[0].cells or _has_number(line):
        return False  # data rows hold numbers; this runs on every row
    cells = tuple(squash(cell) for cell in line.cells or ())
    return cells != tuple(squash(cell) for cell in block[0].cells or ()) and header_roles(cells) is not None


def _unfolded(block: list[Line]) -> list[Line]:
    """A ranking printed in two halves side by side (`排名 | 市（州） | 得分 | 排名 | 市（州） | 得分`,
    fresh-F) as one table: the left half's rows, then the right half's."""
    header = [squash(cell) for cell in block[0].cells or ()]
    half = len(header) // 2
    if (
        half < 2
        or len(header) != 2 * half
        or header[:half] != header[half:]
        or header_roles(tuple(header[:half])) is None
    ):
        return block
    left = [
        replace(line, cells=(line.cells or ())[:half], text=cells_to_text((line.cells or ())[:half]))
        for line in block
    ]
    right = [
        replace(line, cells=cells[half:], text=cells_to_text(cells[half:]))
        for line in block[1:]
        if len(cells := line.cells or ()) == 2 * half and any(c.strip() for c in cells[half:])
    ]
    return left + right


def _group_caption(lines: list[Line], first: Line) -> str | None:
    """A ranking block's caption just above its table: `（一）县区组`, `市直部门组排名`."""
    index = next(i for i, line in enumerate(lines) if line.line_no == first.line_no)
    for line in reversed(lines[max(0, index - 2) : index]):
        if line.cells is not None:
            return None
        match = _GROUP_CAPTION.match(squash(line.text))
        if match:
            return match.group("g")
    return None


def extract_tables(lines: list[Line]) -> Tables:
    """Find score tables and deduction tables among the document's table rows."""
    scores: list[ScoreRow] = []
    deductions: list[DeductionRow] = []
    consumed: set[int] = set()
    current_roles: list[str | None] | None = None
    current_kind: str | None = None
    current_header: tuple[str, ...] = ()
    header_line: Line | None = None
    score_blocks = 0
    # Score tables whose only order column is 序号: the rows of each such table.
    seq_tables: list[list[ScoreRow]] = []
    for block in _blocks(lines):
        roles = header_roles(block[0].cells or ())
        rows = block
        if roles is not None:
            rows = block[1:]
            current_header = block[0].cells or ()
            two_rows = _two_row_header(current_header, rows[0].cells or ()) if rows else None
            if two_rows is not None:
                current_header, roles = two_rows
                consumed.add(rows[0].line_no)
                rows = rows[1:]
            current_roles = roles
            header_line = block[0]
            # `街道 | 扣分项目 | 扣分 | 得分` with the score merged down each unit's rows (fresh-F f06)
            # lists deductions: a table with both a reason and an amount column is a deduction table.
            current_kind = (
                "deduction"
                if (("points" in roles or "reason" in roles) and "score" not in roles)
                or {"points", "reason"} <= set(roles)
                else "score"
            )
            group = _group_caption(lines, block[0])
            if current_kind == "score":
                score_blocks += 1
                if "seq" in roles and "rank" not in roles:
                    seq_tables.append([])
        elif (
            current_roles is None
            or header_line is None
            or _is_other_header(block[0])
            or (current_kind == "score" and not _has_number(block[0]))
            or _row_cells(block[0], header_line, current_header, current_roles, current_kind == "deduction")
            is None
        ):
            # A headerless block that does not continue the previous table's columns; one whose
            # first row is a header of another kind (a unit's own `扣分事项 | 扣分`, read by sections);
            # or one without a number where a ranking's rows have their scores (an appendix table
            # `序号 | 责任单位 | 整改事项 | 整改要求` whose header names no score, fresh-F f11).
            continue
        else:
            group = None  # a continuation keeps the previous block's group (set below)
        if current_roles is None or header_line is None:
            continue
        carried_unit = ""
        for line in rows:
            fitted = _row_cells(line, header_line, current_header, current_roles, current_kind == "deduction")
            if fitted is None:
                continue
            cells = fitted
            if header_roles(cells) is not None:  # header repeated after a page break
                consumed.add(line.line_no)
                continue
            by_role = {role: cells[i] for i, role in enumerate(current_roles) if role}
            unit_raw = by_role.get("unit", "").strip()
            if current_kind == "deduction":
                text = by_role.get("reason", "")
                if (
                    not unit_raw
                    and carried_unit
                    and not by_role.get("points", "").strip()
                    and text
                    and deductions
                    and deductions[-1].line.line_no in consumed
                    and not starts_with_label(text)
                ):
                    # A row Word broke across a page: the rest of the previous row's text under the
                    # repeated header, with its unit and amount cells blank (fresh-E e08).
                    previous = deductions[-1]
                    deductions[-1] = DeductionRow(
                        previous.unit_raw, previous.text + text, previous.points_text, previous.line
                    )
                    consumed.add(line.line_no)
                    continue
                # variants §3: the unit cell is blank below its first row.
                unit_raw = unit_raw or carried_unit
                carried_unit = unit_raw
                if unit_raw and (text or by_role.get("points")):
                    deductions.append(DeductionRow(unit_raw, text, by_role.get("points"), line))
                    consumed.add(line.line_no)
                continue
            if not squash(unit_raw) or _NOT_A_UNIT_ROW.match(squash(unit_raw)):
                continue
            row = _score_row(cells, current_header, current_roles, unit_raw, line)
            row.group = (
                group if group is not None else (scores[-1].group if scores and roles is None else None)
            )
            scores.append(row)
            # variants §2: a score table may carry a 存在问题 column whose cell lists the unit's
            # deductions (`（3）河道保洁不到位，扣1分；（7）…`): those are its entries.
            problems = by_role.get("reason", "")
            if problems and _AMOUNT_IN_CELL.search(problems):
                deductions.append(DeductionRow(unit_raw, problems, None, line))
            if "seq" in current_roles and "rank" not in current_roles and seq_tables:
                seq_tables[-1].append(row)
            consumed.add(line.line_no)
        if roles is not None:
            consumed.add(block[0].line_no)
    if score_blocks < 2 and not any(r.group for r in scores[1:]):
        for row in scores:
            row.group = None
    for table in seq_tables:
        # 序号 is a rank only when the rows are printed in order of score (a ranked list
        # numbered 1..N); under rows in another order (by district code) it is a row number.
        values = [row.score for row in table]
        if any(v is None for v in values) or any(a < b for a, b in pairwise(values)):  # type: ignore[operator]
            for row in table:
                row.rank = None
    total = len(scores)
    for row in scores:
        if row.rank is None and row.rank_raw and "倒数" in row.rank_raw:
            row.rank = parse_rank(row.rank_raw, total)
    return Tables(scores=scores, deductions=deductions, table_lines=consumed)


def _is_other_header(line: Line) -> bool:
    """A row of header words only that header_roles cannot make a table of (no unit column)."""
    cells = [cell for cell in line.cells or () if cell.strip()]
    return len(cells) >= 2 and all(cell_role(cell) for cell in cells)


def _two_row_header(
    upper: tuple[str, ...], lower: tuple[str, ...]
) -> tuple[tuple[str, ...], list[str | None]] | None:
    """The cells and roles of a header printed over two rows, or None when `lower` is a data row.

    Merged cells leave blanks (fc-08 `名次 | 乡镇 | 考核结果 |` over ` |  | 得分 | 扣分`): a column
    under a word spanning several is named by its own word below (`得分`, not `考核结果`), or
    by both together (`系统考核` over `（占40%）`). The lower row holds words and blanks only.
    """
    if (
        len(lower) != len(upper)
        or all(squash(c) for c in lower)
        or any(_DIGIT.match(squash(c)) for c in lower)
    ):
        return None
    if not any(cell_role(c) for c in lower if squash(c)):
        return None
    cells = tuple(
        top if not squash(below) else top + below if squash(top) and cell_role(top + below) else below
        for top, below in zip(upper, lower, strict=True)
    )
    roles = header_roles(cells)
    return (cells, roles) if roles is not None else None


def _row_cells(
    line: Line, header_line: Line, header: tuple[str, ...], roles: list[str | None], deduction: bool
) -> tuple[str, ...] | None:
    """A table row's cells, one per header column, or None when the row does not fit the header."""
    cells = line.cells or ()
    if len(cells) == len(roles):
        return cells
    # An aligned row leaves a blank cell out (fresh-04 `第一名       市民政局            98.5` with no
    # 备注; fb-10 `2               第11项：…  10`, its unit blank below the first row): put the cells
    # back under their columns, ranked by where they stand when the text keeps positions.
    ranked = (
        aligned_columns(line.raw_text, header_line.raw_text)
        if _keeps_positions(line) and _keeps_positions(header_line)
        else []
    )
    placed = place_short_row(cells, roles, ranked, unit_carried=deduction)
    if placed is not None:
        return placed
    # `| 1 | 唐闸镇94.17 |`: cells glued inside a ruled table (variants §2 "Damage").
    return split_glued_row(" ".join(cells), roles, header=header)


def _keeps_positions(line: Line) -> bool:
    """Whether a row's text is one physical line whose spacing shows where its cells stand.

    Not a pipe row or a reader's table row, not a line joined from several, and not from a
    paged reader: PDF and OCR text separate columns by a fixed gap (readers/pdf.py).
    """
    raw = line.raw_text
    return line.page is None and "|" not in raw and "\n" not in raw


def _score_row(
    cells: tuple[str, ...], header: tuple[str, ...], roles: list[str | None], unit_raw: str, line: Line
) -> ScoreRow:
    rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "rank"), None)
    if rank_raw is None:
        rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "seq"), None)
    score_text = next((cells[i] for i, r in enumerate(roles) if r == "score"), None)
    grade = next((cells[i].strip() or None for i, r in enumerate(roles) if r == "grade"), None)
    parts = []
    for i, role in enumerate(roles):
        if role == "part":
            match = PART_HEADER.match(squash(header[i]))
            name = match.group("name") if match else squash(header[i])
            weight = Decimal(match.group("w")) / 100 if match else None
            parts.append((name, weight, to_decimal(cells[i])))
    score = to_decimal(score_text) if score_text is not None else None
    score_header = next((squash(header[i]) for i, r in enumerate(roles) if r == "score"), "")
    mean = bool(parts) and "平均" in score_header and all(weight is None for _, weight, _ in parts)
    return ScoreRow(
        unit_raw=unit_raw,
        rank=parse_rank(rank_raw),
        rank_raw=rank_raw,
        score=score,
        grade=grade,
        group=None,
        parts=parts,
        line=line,
        mean_of_parts=mean,
    )


__all__ = [
    "DeductionRow",
    "ScoreRow",
    "Tables",
    "extract_tables",
    "header_roles",
    "restore_table_rows",
    "split_glued_row",
]
