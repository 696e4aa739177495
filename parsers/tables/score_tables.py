"""Score tables and deduction tables from table rows (Lines with cells), as named passes.

variants §2: columns vary in set and order (排名/名次/序号, 单位/县区/乡镇, 得分/
考评成绩/总分, 等次, 备注, 存在问题), rank may come last, weighted parts
`系统考核(占40%)`, several ranking blocks, tables split across pages with or
without a repeated header row, deduction tables `单位 | 存在问题 | 扣分` whose
unit cell is blank below its first row.

The passes: each block of rows either opens a table at its header (`open_table`) or runs on
the table above it (`continues_table`); its rows are read under that header (`read_rows`);
after every block, the post-passes settle what needs the whole document (`drop_single_groups`,
`seq_ranks_in_score_order`, `ranks_from_bottom`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise, takewhile

import regex

from parsers.entries import starts_with_label
from parsers.model import Line, UnreadBlock
from parsers.normalize import squash
from parsers.numbers import parse_rank, to_decimal
from parsers.tables.blocks import group_caption, has_number, table_blocks
from parsers.tables.damaged import split_glued_row
from parsers.tables.flattened import unread_flattened_blocks
from parsers.tables.placement import aligned_columns, cell_fits, place_short_row
from parsers.tables.roles import (
    GRADE_MARK,
    PART_HEADER,
    PART_MAX_HEADER,
    SCORE_SCALE,
    SCORE_WITH_GRADE,
    cell_role,
    header_roles,
    table_kind,
)
from parsers.tables.rows import DeductionRow, ScoreRow, Tables
from parsers.tables.stated_parts import with_stated_part_maxima

_DIGIT = regex.compile(r"\d")
_HAN_START = regex.compile(r"^\p{Han}")

# Rows that are not units: a total or an average line under the table (variants §2).
_NOT_A_UNIT_ROW = regex.compile(
    r"^(?:合计|总计|小计|平均|平均分|平均值|均值|(?:全市|全省|全县|全区)(?:平均|合计)?(?:分|得分)?)$"
)
# A deduction column named by the way the points were found: `暗访扣分`, `明查扣分`.
_FOUND_BY = regex.compile(r"\p{Han}{2,4}扣分")
# An amount in a deduction column: `4`, `-4`, `0.5`, `2分`.
_AMOUNT = regex.compile(r"[+-]?\d+(?:\.\d+)?分?")
# The reason cell of a deduction table's total row (z14 `东湖学校 | 合计 | -0.75`).
_TOTAL_ROW = regex.compile(r"(?:合计|小计|共计|总计|累计|合计扣分|小计扣分)")
_AMOUNT_IN_CELL = regex.compile(r"[扣减加]\s*(?:除|减)?\s*\d")
_ALSO = regex.compile(r"^(?:另外|另|此外)\s*[：:，,]\s*")


@dataclass(slots=True)
class OpenTable:
    """The table whose header was read last: its header row, cells, column roles and kind."""

    header_line: Line
    header: tuple[str, ...]
    roles: list[str | None]
    kind: str
    """score | deduction"""
    seq_rows: list[ScoreRow] | None = None
    """The rows of a score table whose only order column is 序号 (None for other tables)."""


@dataclass(slots=True)
class _Reading:
    """What the passes have read so far."""

    scores: list[ScoreRow] = field(default_factory=list)
    deductions: list[DeductionRow] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    score_blocks: int = 0
    seq_tables: list[tuple[Line, list[ScoreRow]]] = field(default_factory=list)
    """Each score table whose only order column is 序号: its header row and its rows."""
    unread: list[UnreadBlock] = field(default_factory=list)
    """Rows seen and not read: a unit's 合计 row that is not the sum of its rows above."""
    table_stated: list[ScoreRow] = field(default_factory=list)
    """Scores a deduction table states beside its problems: used for units no score table lists."""
    base_stated: bool = False
    """The circular states its base score in its text (column_deductions)."""


def extract_tables(lines: list[Line], *, base_stated: bool = False) -> Tables:
    """Find score tables and deduction tables among the document's table rows. `base_stated`: the
    circular states its units' base score (`每个乡镇基础分100分`; metadata's base_score line)."""
    reading = _Reading(base_stated=base_stated)
    table: OpenTable | None = None
    lines = with_stated_part_maxima(lines)
    for block in table_blocks(lines):
        opened = open_table(block, lines, reading)
        if opened is not None:
            table, rows, group = opened
            read_rows(table, rows, group, reading)
        elif table is not None and continues_table(table, block):
            # A continuation keeps the previous block's group.
            group = reading.scores[-1].group if reading.scores else None
            read_rows(table, block, group, reading)
    # A circular with a ranking and a deduction table repeating each unit's score beside its
    # problems (f06) lists each unit once: the ranking's row is the unit's.
    ranked = {squash(row.unit_raw) for row in reading.scores}
    reading.scores.extend(row for row in reading.table_stated if squash(row.unit_raw) not in ranked)
    drop_single_groups(reading)
    seq_ranks_in_score_order(reading.seq_tables, lines)
    ranks_from_bottom(reading.scores)
    unread = reading.unread + unread_flat_blocks(lines, reading.consumed)
    return Tables(
        scores=reading.scores, deductions=reading.deductions, table_lines=reading.consumed, unread=unread
    )


def unread_flat_blocks(lines: list[Line], consumed: set[int]) -> list[UnreadBlock]:
    """Name the flattened tables no reading restored, and keep every other pass off their numbers."""
    blocks = []
    index = {line.line_no: k for k, line in enumerate(lines)}
    for first, last, why in unread_flattened_blocks(lines):
        for line in lines[index[first.line_no] : index[last.line_no] + 1]:
            consumed.add(line.line_no)
        blocks.append(UnreadBlock(first, last, why, "table"))
    return blocks


def open_table(
    block: list[Line], lines: list[Line], reading: _Reading
) -> tuple[OpenTable, list[Line], str | None] | None:
    """The table a block's header row opens, the block's data rows and the group caption above it."""
    roles = header_roles(block[0].cells or ())
    if roles is None:
        return None
    rows = block[1:]
    header = block[0].cells or ()
    two_rows = _two_row_header(header, rows[0].cells or ()) if rows else None
    if two_rows is not None:
        header, roles = two_rows
        reading.consumed.add(rows[0].line_no)
        rows = rows[1:]
    reading.consumed.add(block[0].line_no)
    header, roles = items_summed_by_total(header, roles, rows, reading)
    header, roles = items_taken_from_the_score(header, roles, rows)
    kind = table_kind(roles)
    table = OpenTable(block[0], header, roles, kind)
    if kind == "score":
        reading.score_blocks += 1
        if "seq" in roles and "rank" not in roles:
            table.seq_rows = []
            reading.seq_tables.append((block[0], table.seq_rows))
    return table, rows, group_caption(lines, block[0])


def continues_table(table: OpenTable, block: list[Line]) -> bool:
    """Whether a block without a header runs on the table above (split by a page break).

    Not when its first row is a header of another kind (a unit's own `扣分事项 | 扣分`, read by
    sections), nor when it has no number where a ranking's rows have their scores (an appendix
    table `序号 | 责任单位 | 整改事项 | 整改要求` whose header names no score, fresh-F f11), nor when
    its first row does not fit the table's columns.
    """
    first = block[0]
    if _is_other_header(first) or (table.kind == "score" and not has_number(first)):
        return False
    if _names_the_unit_column(first, table):
        return False
    cells = row_cells(first, table)
    if cells is None:
        return False
    # The first row must read as a row of the ranking: `指标 | 2024年 | 2025年 | 增减` after `序号 | 单位 |
    # 得分 | 排名` put `2024年` in the unit column and `2025年` in the score's (a year read as a score).
    return table.kind != "score" or all(
        cell_fits(cells[i], role, _ANY_RANK)
        for i, role in enumerate(table.roles)
        if role in ("unit", "score")
    )


_ANY_RANK = 10_000  # cell_fits' bound on a rank: not asked here


def _names_the_unit_column(line: Line, table: OpenTable) -> bool:
    """A row whose cell under the unit column is the table's own unit header word (`乡镇`) heads a
    table of its own: n01 follows `乡镇 | 得分 | 排名` with `乡镇 | 交通违法驾驶人数 | 记满12分人数`, whose
    counts read as scores and ranks when taken for rows of the ranking."""
    cells = line.cells or ()
    at = [i for i, role in enumerate(table.roles) if role == "unit"]
    if len(at) == 1 and at[0] < len(cells) and squash(cells[at[0]]) == squash(table.header[at[0]]):
        return True
    # Another unit header word anywhere in a row without a bare number (`县区 | 2024年（万元） |
    # 2025年（万元） | 增减` after `序号 | 单位 | 得分 | 排名`: funds read as scores, `增减` as ranks, the
    # header's cells as units). A row of the ranking holds its score (`开发区 | 95 | 3`).
    return any(cell_role(cell) == "unit" for cell in cells) and not any(
        _BARE_FIGURE.fullmatch(squash(cell)) for cell in cells
    )


_BARE_FIGURE = regex.compile(r"[+-]?\d+(?:\.\d+)?[%％]?")


def read_rows(table: OpenTable, rows: list[Line], group: str | None, reading: _Reading) -> None:
    """Read a block's data rows under the table's header into score or deduction rows."""
    carried_unit = ""
    carried_group = group
    stated: list[tuple[Line, tuple[str, ...], str, str]] = []  # a deduction table's rows with a 得分 column
    for line in rows:
        cells = row_cells(line, table)
        if cells is None:
            continue
        if header_roles(cells) is not None:  # header repeated after a page break
            reading.consumed.add(line.line_no)
            continue
        by_role = {role: cells[i] for i, role in enumerate(table.roles) if role}
        if table.kind == "deduction" and "reason" not in table.roles:
            # `单位 | 暗访扣分 | 明查扣分`: the amounts' headers are the reasons.
            carried_unit = by_role.get("unit", "").strip() or carried_unit
            found = (
                column_deductions(table, cells, carried_unit, line, base_stated=reading.base_stated)
                if carried_unit
                else []
            )
            reading.deductions.extend(found)
            if found:
                reading.consumed.add(line.line_no)
        elif table.kind == "deduction":
            unit_cell = by_role.get("unit", "").strip()
            carried_unit = _read_deduction_row(line, by_role, carried_unit, reading)
            if "score" in table.roles:
                stated.append((line, cells, unit_cell, carried_unit))
        else:
            # A 组别 cell names the group of its row and, merged down, of the rows below (v06).
            carried_group = squash(by_role.get("group", "")) or carried_group
            _read_score_row(table, line, cells, by_role, carried_group, reading)
    if stated:
        reading.table_stated.extend(deduction_table_scores(table, stated, group))


def deduction_table_scores(
    table: OpenTable, rows: list[tuple[Line, tuple[str, ...], str, str]], group: str | None
) -> list[ScoreRow]:
    """The scores a deduction table states beside its problems (`企业名称 | 扣分情况 | 合计扣分 | 得分`,
    v15; `乡镇 | 扣分 | 扣分原因 | 得分 | 排名`, v03): one per unit, on the row that names it.

    Only when every score stands on a row that names its unit (a cell merged down the unit's
    rows): a score on a row whose unit is carried from above is an item's own score
    (`单位 | 考核项目 | 扣分 | 得分`), and then none of the column is a unit's.
    """
    at = table.roles.index("score")
    found: list[ScoreRow] = []
    for line, cells, unit_cell, unit in rows:
        value = squash(cells[at])
        if not value:
            continue
        if not unit_cell or to_decimal(value) is None:
            return []
        row = score_row(cells, table.header, table.roles, unit, line)
        row.group = group
        found.append(row)
    return found


def _read_deduction_row(line: Line, by_role: dict[str, str], carried_unit: str, reading: _Reading) -> str:
    """Add a deduction table's row (or the rest of the row above, broken by a page); the unit carried on."""
    unit_raw = by_role.get("unit", "").strip()
    text = by_role.get("reason", "")
    deductions = reading.deductions
    if _NOT_A_UNIT_ROW.match(squash(unit_raw)):
        # `合计 | | 3.5` under every unit's rows (q14): the table's sum, no unit and no entry.
        reading.consumed.add(line.line_no)
        return ""
    if (
        not unit_raw
        and carried_unit
        and not by_role.get("points", "").strip()
        and text
        and deductions
        and deductions[-1].line.line_no in reading.consumed
        and not starts_with_label(text)
    ):
        # A row Word broke across a page: the rest of the previous row's text under the
        # repeated header, with its unit and amount cells blank (fresh-E e08).
        previous = deductions[-1]
        deductions[-1] = DeductionRow(
            previous.unit_raw, previous.text + text, previous.points_text, previous.line
        )
        reading.consumed.add(line.line_no)
        return carried_unit
    # variants §3: the unit cell is blank below its first row.
    unit_raw = unit_raw or carried_unit
    reason = squash(text)
    total = reason if _TOTAL_ROW.fullmatch(reason) else None
    if total is None and not reason:
        # `| | 小计 | | 1 |` (aa08): the total word in the 序号 column, the problem cell blank.
        total = next(
            (
                squash(v)
                for r, v in by_role.items()
                if r not in ("points", "unit") and _TOTAL_ROW.fullmatch(squash(v))
            ),
            None,
        )
    if unit_raw and total:
        _check_total_row(line, unit_raw, total, by_role.get("points", ""), reading)
        return unit_raw
    points = squash(by_role.get("points", ""))
    if points and _AMOUNT.fullmatch(points) and not to_decimal(points.lstrip("+-").removesuffix("分")):
        # `城关镇 | 100 | 0 | — | 100` (v03): a unit with nothing deducted, no entry.
        reading.consumed.add(line.line_no)
        return unit_raw
    if unit_raw and (text or by_role.get("points")):
        deductions.append(DeductionRow(unit_raw, text, by_role.get("points"), line))
        reading.consumed.add(line.line_no)
    return unit_raw


def _check_total_row(line: Line, unit_raw: str, word: str, points: str, reading: _Reading) -> None:
    """A unit's `合计 | -0.75` row in a deduction table restates the sum of its rows above (z14):
    never an entry of its own. One that is not that sum is said, not read."""
    reading.consumed.add(line.line_no)
    run = list(takewhile(lambda row: row.unit_raw == unit_raw, reversed(reading.deductions)))
    # The unit's rows just above the total (the run it closes), not its rows of another table.
    amounts = [to_decimal(squash(row.points_text or "").lstrip("+-").removesuffix("分")) for row in run]
    printed = (
        to_decimal(squash(points).lstrip("+-").removesuffix("分"))
        if _AMOUNT.fullmatch(squash(points))
        else None
    )
    if not run or printed is None or None in amounts or printed != sum(a for a in amounts if a is not None):
        why = (
            f"a {word} row of {squash(points) or 'no amount'} that is not the sum of {unit_raw}'s rows above"
        )
        reading.unread.append(UnreadBlock(line, line, why, kind="table"))


def _read_score_row(
    table: OpenTable,
    line: Line,
    cells: tuple[str, ...],
    by_role: dict[str, str],
    group: str | None,
    reading: _Reading,
) -> None:
    """Add a score table's row, and the deductions its 存在问题 cell lists."""
    unit_raw = by_role.get("unit", "").strip()
    if not squash(unit_raw) or _NOT_A_UNIT_ROW.match(squash(unit_raw)):
        return
    row = score_row(cells, table.header, table.roles, unit_raw, line)
    row.group = group
    if _states_a_result(row):
        reading.scores.append(row)
    # variants §2: a score table may carry a 存在问题 column whose cell lists the unit's
    # deductions (`（3）河道保洁不到位，扣1分；（7）…`): those are its entries.
    # A 备注 adding a deduction to the items beside it opens with `另：` (t10): a connective, no reason.
    problems = _ALSO.sub("", by_role.get("reason", "").strip())
    if problems and _AMOUNT_IN_CELL.search(problems):
        reading.deductions.append(DeductionRow(unit_raw, problems, None, line))
    reading.deductions.extend(
        column_deductions(table, cells, unit_raw, line, base_stated=reading.base_stated)
    )
    if table.seq_rows is not None:
        table.seq_rows.append(row)
    reading.consumed.add(line.line_no)


def _states_a_result(row: ScoreRow) -> bool:
    """Whether a score table's row states anything of the unit's own: a score, rank, grade or part.

    A row whose 得分 cell is blank says nothing (q13: a workbook saved by openpyxl keeps the formula
    `=100-SUM(B4:D4)` and no value, so the cell reads empty); the unit stays in its deductions."""
    return (
        row.score is not None
        or row.rank is not None
        or row.grade is not None
        or any(value is not None for _, _, value in row.parts)
    )


def column_deductions(
    table: OpenTable, cells: tuple[str, ...], unit_raw: str, line: Line, *, base_stated: bool = False
) -> list[DeductionRow]:
    """A row's deductions printed in columns whose header names them (`暗访扣分 | 明查扣分`, `扣分值`):
    one per non-zero amount, the header as its reason (field-survey §1: `-4` or `4`).

    Only under a header that names deductions: a bare number in any other column (a rank, a
    count of villages, prize money) is never a deduction. In a score table, a plain `扣分` column
    is the sum of deductions the circular may itemise elsewhere (gold e05, g01, f07): its amounts
    are rows outright only when the column says how they were found (`暗访扣分`), or the score is
    stated as a base minus them (`扣分值 | 总分（24分）`, field-survey §4). Otherwise only an amount
    printed as a change (`-4`), or any amount beside a 得分 column of a circular that states its
    base in its text (gold k10: `每个乡镇基础分100分` over `乡镇 | 发现问题（个） | 扣分 | 得分`, the
    score the base minus the column), is kept, marked `summary`: a row only if the circular
    itemises no deduction (sections.entries_from_table). Elsewhere an unsigned `2.5` there stays a
    figure (gold v10: `扣分 | 得分` under `每发现一处问题扣0.5分` and no base).
    """
    found = []
    # A matrix's item columns (lost_item_columns) print the points lost on each item: each is a
    # deduction of its own, as is the 加分 beside them (`-2` and `2` alike; a `/` or `—` none).
    based = table.kind == "deduction" or score_scale(table) is not None or "lost" in table.roles
    for cell, head, role in zip(cells, table.header, table.roles, strict=True):
        amount = squash(cell)
        if role == "lost" and _AMOUNT.fullmatch(amount) and not amount.startswith("+") and to_decimal(amount):
            found.append(DeductionRow(unit_raw, squash(head), amount.lstrip("-"), line))
    # A 基础分 column beside 扣分 and 加分 (x03: `基础分 | 扣分 | 加分 | 得分`) says the score is the base
    # minus the one plus the other; the amounts are still the sums of what a circular may itemise
    # elsewhere (e07, f07), so they are summary rows, used only where nothing is itemised.
    summed = "base" in table.roles or (base_stated and "score" in table.roles)
    for cell, head, role in zip(cells, table.header, table.roles, strict=True):
        amount = squash(cell)
        if role not in ("points", "bonus") or not _AMOUNT.fullmatch(amount) or not to_decimal(amount):
            continue
        if role == "bonus":
            if (based or summed) and not amount.startswith("-"):
                found.append(
                    DeductionRow(unit_raw, squash(head), "+" + amount.lstrip("+"), line, summary=not based)
                )
            continue
        if based:
            found.append(DeductionRow(unit_raw, squash(head), amount, line))
        elif _FOUND_BY.fullmatch(squash(head)):
            # `明查扣分 | 暗访扣分 | 综合得分` (p11): what each check took off, a unit's row where nothing
            # else is itemised; where the 明查 and 暗访 tables list the problems, it is their sum.
            found.append(DeductionRow(unit_raw, squash(head), amount, line, summary=True))
        elif summed or amount.startswith("-"):
            # `扣分值 | 得分` with `-4` (field-survey §1): the sign prints the change applied to the score.
            found.append(DeductionRow(unit_raw, squash(head), amount, line, summary=True))
    return found


def score_scale(table: OpenTable) -> Decimal | None:
    """The maximum a score table's score column states (`总分（24分）`, `得分（满分100分）`), if any."""
    for head, role in zip(table.header, table.roles, strict=True):
        match = SCORE_SCALE.search(squash(head)) if role == "score" else None
        if match:
            return Decimal(match.group("max"))
    return None


def drop_single_groups(reading: _Reading) -> None:
    """A group caption means something only when there are several ranking blocks."""
    if reading.score_blocks < 2 and not any(r.group for r in reading.scores[1:]):
        for row in reading.scores:
            row.group = None


def seq_ranks_in_score_order(seq_tables: list[tuple[Line, list[ScoreRow]]], lines: list[Line]) -> None:
    """Keep 序号 as a rank only where the circular says its list runs by score.

    序号 numbers rows; it is a rank only when the lead-in above the table says the rows are
    ranked (`按得分高低排列`, `得分及排名如下`), the rows stand in order of score, and no tied
    scores are numbered apart (w25: 94.5 and 94.5 at 序号 3 and 4 are rows 3 and 4, not a rank).
    Rows in another order (by district code), or a list the text does not call a ranking (w31:
    schools in score order under `二、考核结果`), print no rank.
    """
    index = {line.line_no: k for k, line in enumerate(lines)}
    for header, table in seq_tables:
        values = [row.score for row in table]
        ranked = (
            all(v is not None for v in values)
            and all(a >= b for a, b in pairwise(values))  # type: ignore[operator]
            and not any(a.score == b.score and a.rank != b.rank for a, b in pairwise(table))
            and _says_ranked(lines, index.get(header.line_no, 0))
        )
        if not ranked:
            for row in table:
                row.rank = None


# A lead-in calling the list below a ranking: `按得分高低排列`, `得分及排名如下`, `由高到低`.
_RANKED_LEAD_IN = regex.compile(
    r"排名|排序|名次|按(?:考核|考评)?(?:得分|分数|成绩)|(?:由|从)高(?:到|至)低|高低排"
)
# How far above a table its lead-in may stand (a caption and a blank between).
_LEAD_IN_LINES = 3


def _says_ranked(lines: list[Line], header: int) -> bool:
    """Whether a line just above the table (not a row) calls its list a ranking."""
    above = [line for line in lines[max(0, header - _LEAD_IN_LINES) : header] if line.cells is None]
    return any(_RANKED_LEAD_IN.search(line.text) for line in above)


def ranks_from_bottom(scores: list[ScoreRow]) -> None:
    """`倒数第二` counts from the last of all rows read."""
    total = len(scores)
    for row in scores:
        if row.rank is None and row.rank_raw and "倒数" in row.rank_raw:
            row.rank = parse_rank(row.rank_raw, total)


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
    matrix = lost_item_columns(upper, lower)
    if matrix is not None:
        return matrix
    if not any(cell_role(c) for c in lower if squash(c)):
        return None
    cells = tuple(
        top
        if not squash(below)
        else top + below
        if squash(top) and cell_role(top + below) and not _own_word(below)
        else below
        for top, below in zip(upper, lower, strict=True)
    )
    cells = _weighted_part_columns(upper, lower, cells)
    roles = header_roles(cells)
    return (cells, roles) if roles is not None else None


# A word over a matrix's item columns saying each cell is the points lost on that item
# (`扣分情况`, `考核扣分`, `扣分项目`, `各项扣分`, `扣分`).
_LOST_OVER_ITEMS = regex.compile(r"^(?:\p{Han}{0,4}扣分|扣分(?:情况|项目|明细|项))$")
# The sum of a matrix's items in a column under the same word (`扣分情况` over `… | 小计`).
_SUBTOTAL = regex.compile(r"^(?:小计|合计|总计|共计|累计|扣分合计|合计扣分|扣分小计|扣分总计)$")
# A rubric item heading a column: its list label and its maximum are not its name
# (`一、组织领导（10分）`, `巡河履职（25分）`, `安全管理`).
_ITEM_COLUMN = regex.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．])?(?P<name>\p{Han}{2,12})"
    r"(?:[（(](?:满分)?\d+(?:\.\d+)?分[)）])?$"
)


def lost_item_columns(
    upper: tuple[str, ...], lower: tuple[str, ...]
) -> tuple[tuple[str, ...], list[str | None]] | None:
    """A matrix of points lost per rubric item: `扣分情况` merged over `一、组织领导（10分）| 二、隐患排查
    （20分）| …` beside `加分 | 总分 | 排名` (archives' 考核得分情况表; gold t01, t02, t05, t12).

    Each item column is `lost`, named by its item; the other columns keep their own header's role.
    Only when the word over the items says deductions, spans at least two item columns (blank to
    its right in the upper row, under each an item name that names no column: `扣分情况` over
    `存在问题 | 扣分` is a deduction table's header), and the rest of the header is a table's
    (a unit column and a score, rank or bonus): a matrix of points earned, or one whose header
    says neither, gives no deductions.
    """
    cells = list(upper)
    lost: list[int] = []
    sums: list[int] = []
    j = 0
    while j < len(upper):
        if not squash(lower[j]):
            j += 1
            continue
        run = [j, *takewhile(lambda k: bool(squash(lower[k])), range(j + 1, len(upper)))]
        j = run[-1] + 1
        spans = _spans_under_words(upper, run)
        if spans is None:
            return None  # lower cells under no deduction word: another kind of two-row header
        for span in spans:
            # `小计`/`合计` under the word sums the items beside it: never an item of its own.
            summed = [k for k in span if _SUBTOTAL.fullmatch(squash(lower[k]))]
            items = [k for k in span if k not in summed]
            names = [_ITEM_COLUMN.fullmatch(squash(lower[k])) for k in items]
            # A word a column is named by (`扣分情况` over `存在问题 | 扣分`) is no rubric item.
            if len(items) < 2 or not all(name and cell_role(name.group("name")) is None for name in names):
                return None
            for k, name in zip(items, names, strict=True):
                cells[k] = name.group("name") if name else ""
            for k in summed:
                cells[k] = squash(lower[k])
            lost.extend(items)
            sums.extend(summed)
    if not lost:
        return None
    roles = [None if k in lost or k in sums else cell_role(cell) for k, cell in enumerate(cells)]
    if "unit" not in roles or not set(roles) & {"score", "rank", "bonus"}:
        return None
    return tuple(cells), [
        "lost" if k in lost else "total" if k in sums else role for k, role in enumerate(roles)
    ]


def _spans_under_words(upper: tuple[str, ...], run: list[int]) -> list[list[int]] | None:
    """The columns each deduction word of the upper row is merged over, within a run of columns
    with a word below (bounded by columns merged down both rows, such as 乡镇 and 总分).

    A word at the run's start spans up to the next word (Word and WPS put a merged cell's text in
    its first column); a run with one word elsewhere is all that word's (a PDF or a paste keeps
    a centred word where it was printed, `| | 扣分情况 | |`). None when a word is not a deduction
    word, or a blank upper cell could belong to either of two words."""
    words = [k for k in run if squash(upper[k])]
    if not words or not all(_LOST_OVER_ITEMS.fullmatch(squash(upper[k])) for k in words):
        return None
    if words[0] == run[0]:
        bounds = [*words, run[-1] + 1]
        return [list(range(a, b)) for a, b in pairwise(bounds)]
    return [run] if len(words) == 1 else None


# A unit's deductions summed in one column (`扣分合计`, `合计扣分`, `扣分小计`).
_TOTAL_LOST = regex.compile(r"^(?:合计|累计|共计|总)扣分(?:值)?$|^扣分(?:合计|小计|总计)$")
# A column of scores (`上期得分`, t10's hidden column) is no item whatever its name.
_SCORE_ENDINGS = ("得分", "分数", "成绩", "总分")
# A matrix cell holding no points: blank, `/`, `—`, `-`, `无`.
_NO_POINTS = regex.compile(r"^(?:|/|／|—|－|-|——|无)$")


def _lost_amount(cell: str) -> Decimal | None:
    """A matrix cell's points (`-2` as 2); 0 for a cell holding none; None for anything else."""
    key = squash(cell)
    if _NO_POINTS.fullmatch(key):
        return Decimal(0)
    if not _AMOUNT.fullmatch(key) or key.startswith("+"):
        return None
    return to_decimal(key.lstrip("-").removesuffix("分"))


def _unit_rows(rows: Sequence[Line], width: int, unit_at: int) -> Iterator[tuple[str, ...]]:
    """The cells of the rows that are a unit's, as wide as the header (合计/小计 rows and rows
    without a unit left out)."""
    for line in rows:
        cells = line.cells or ()
        unit = squash(cells[unit_at]) if len(cells) == width else ""
        if unit and not _NOT_A_UNIT_ROW.match(unit):
            yield cells


def items_summed_by_total(
    header: tuple[str, ...], roles: list[str | None], rows: list[Line], reading: _Reading
) -> tuple[tuple[str, ...], list[str | None]]:
    """Item columns proven to hold points lost by the `扣分合计` column right of them (gold t11: a
    CSV of `组织保障（10分）| 日常监管（30分）| … | 扣分合计 | 得分 | 排名` under a title saying 扣分明细).

    The run of item columns (a name and maybe its maximum, no other role) just left of the one
    `扣分合计` column is `lost` when on every unit's row its cells add up to that total (a unit
    with none lost included), and at least one is not blank: the total says what they are. A row
    whose total also holds the one `扣N分` its 备注 states (t10: `另：…超期未处置，扣2分`) adds up
    with it, and the 备注 is then read as that row's entry. A run that does not add up on some row
    is not read, and said (an unread block naming the rows): its cells may be points earned.
    """
    totals = [k for k, cell in enumerate(header) if _TOTAL_LOST.fullmatch(squash(cell))]
    if len(totals) != 1 or "unit" not in roles or "lost" in roles:
        return header, roles
    at = totals[0]
    run = _item_run(header, roles, at)
    if len(run) < 2:
        return header, roles
    unit_at = roles.index("unit")
    note_at = roles.index("remark") if roles.count("remark") == 1 else None
    seen = noted = nonzero = False
    for cells in _unit_rows(rows, len(header), unit_at):
        seen = True
        total = _lost_amount(cells[at])
        added = _items_added(cells, run, None if note_at is None else cells[note_at])
        if total is None or added is None or total not in added:
            reading.unread.append(
                UnreadBlock(
                    rows[0],
                    rows[-1],
                    f"item columns {'、'.join(squash(header[k]) for k in run)} that do not add up to "
                    f"{squash(header[at])} on {squash(cells[unit_at])}'s row",
                    kind="table",
                )
            )
            return header, roles
        noted = noted or total != added[0]
        nonzero = nonzero or bool(total)
    if not seen or not nonzero:
        return header, roles
    named = list(header)
    for k in run:
        found = _ITEM_COLUMN.fullmatch(squash(header[k]))
        named[k] = found.group("name") if found else header[k]
    new_roles = ["lost" if k in run else "total" if k == at else role for k, role in enumerate(roles)]
    if noted and note_at is not None:
        new_roles[note_at] = "reason"  # the 备注 states an entry the total counts
    return tuple(named), new_roles


# An item column stating its maximum: `组织领导（10分）`, `一、隐患排查（满分20分）`.
_ITEM_MAX = regex.compile(r"[（(](?:满分)?\d+(?:\.\d+)?分[)）]$")


def items_taken_from_the_score(
    header: tuple[str, ...], roles: list[str | None], rows: list[Line]
) -> tuple[tuple[str, ...], list[str | None]]:
    """Item columns stating their maxima whose cells are what each unit lost, as its score proves:
    `组织领导（10分）| 隐患排查（20分）| … | 加分 | 得分` where on every unit's row the score is the
    base (100, or the score header's scale) less the items plus the 加分. Read as parts, such a
    row's items (0.5 + 1 + 2) were compared with its score (96.5) as its parts: a false
    score_mismatch on every row with all items filled (gold t11 before its 扣分合计 was read).

    Only with two or more rows, one item not blank, and every item's maximum in its header: items
    without one (t13) say neither lost nor earned, and points earned add up to the score instead.
    """
    if "unit" not in roles or roles.count("score") != 1 or set(roles) & {"lost", "total", "points"}:
        return header, roles
    at = roles.index("score")
    bonus_at = at - 1 if at and roles[at - 1] == "bonus" else None
    run = _item_run(header, roles, at if bonus_at is None else bonus_at)
    if len(run) < 2 or not all(_ITEM_MAX.search(squash(header[k])) for k in run):
        return header, roles
    scale = SCORE_SCALE.search(squash(header[at]))
    ceiling = Decimal(scale.group("max")) if scale else Decimal(100)
    unit_at = roles.index("unit")
    proven = nonzero = 0
    for cells in _unit_rows(rows, len(header), unit_at):
        added = _items_added(cells, run, None)
        score = to_decimal(squash(cells[at]))
        bonus = Decimal(0) if bonus_at is None else _lost_amount(cells[bonus_at])
        if added is None or score is None or bonus is None or score != ceiling - added[0] + bonus:
            return header, roles
        proven += 1
        nonzero += bool(added[0])
    if proven < 2 or not nonzero:
        return header, roles
    named = list(header)
    for k in run:
        found = _ITEM_COLUMN.fullmatch(squash(header[k]))
        named[k] = found.group("name") if found else header[k]
    return tuple(named), ["lost" if k in run else role for k, role in enumerate(roles)]


def _item_run(header: tuple[str, ...], roles: list[str | None], at: int) -> list[int]:
    """The columns just left of `at` that name rubric items: no role of their own but a part's
    maximum, no weight, no score (`上期得分`, t10's hidden column)."""
    return list(
        takewhile(
            lambda k: (
                roles[k] in (None, "part")
                and bool(_ITEM_COLUMN.fullmatch(squash(header[k])))
                and not PART_HEADER.match(squash(header[k]))
                and not squash(header[k]).endswith(_SCORE_ENDINGS)
            ),
            range(at - 1, -1, -1),
        )
    )[::-1]


# The one amount a 备注 states as deducted: `另：信息迟报，扣2分`.
_NOTE_LOST = regex.compile(r"扣\s*(?:除|减)?\s*(\d+(?:\.\d+)?)\s*分")


def _items_added(cells: tuple[str, ...], run: list[int], note: str | None) -> tuple[Decimal, ...] | None:
    """What a row's item cells add up to, and that plus the one `扣N分` its 备注 states if any;
    None when a cell holds something other than points."""
    amounts = [_lost_amount(cells[k]) for k in run]
    if any(a is None for a in amounts):
        return None
    added = sum((a for a in amounts if a is not None), Decimal(0))
    stated = _NOTE_LOST.findall(squash(note or ""))
    if len(stated) == 1 and (extra := to_decimal(stated[0])):
        return added, added + extra
    return (added,)


def _weighted_part_columns(
    upper: tuple[str, ...], lower: tuple[str, ...], cells: tuple[str, ...]
) -> tuple[str, ...]:
    """Columns under a weighted part merged over them (v13 `日常考核（权重40%）` over `得分 | 折算分`):
    the first is the part's own score, named by the part (its weight with it); the others (the
    weighted score, `折算分`) are figures of the part, never the unit's score."""
    out = list(cells)
    parent: int | None = None
    for j, (top, below) in enumerate(zip(upper, lower, strict=True)):
        if squash(top):
            parent = j if squash(below) and PART_HEADER.match(squash(top)) else None
            if parent is not None:
                out[j] = squash(top)
        elif parent is not None and squash(below):
            out[j] = ""  # a figure of the part above: no role
        else:
            parent = None
    return tuple(out)


def _own_word(cell: str) -> bool:
    """A lower header cell that names its column by itself (`基础工作（满分30分）` under `考核得分`,
    w02), not a weight or scale completing the word above (`（占40%）` under `系统考核`)."""
    key = squash(cell)
    return bool(_HAN_START.match(key)) and cell_role(key) is not None


def row_cells(line: Line, table: OpenTable) -> tuple[str, ...] | None:
    """A table row's cells, one per header column, or None when the row does not fit the header."""
    cells = line.cells or ()
    roles = table.roles
    if len(cells) == len(roles):
        return cells
    # An aligned row leaves a blank cell out (fresh-04 `第一名       市民政局            98.5` with no
    # 备注; fb-10 `2               第11项：…  10`, its unit blank below the first row): put the cells
    # back under their columns, ranked by where they stand when the text keeps positions.
    header_line = table.header_line
    ranked = (
        aligned_columns(line.raw_text, header_line.raw_text)
        if _keeps_positions(line) and _keeps_positions(header_line)
        else []
    )
    placed = place_short_row(cells, roles, ranked, unit_carried=table.kind == "deduction")
    if placed is not None:
        return placed
    # `| 1 | 唐闸镇94.17 |`: cells glued inside a ruled table (variants §2 "Damage").
    return split_glued_row(" ".join(cells), roles, header=table.header)


def _keeps_positions(line: Line) -> bool:
    """Whether a row's text is one physical line whose spacing shows where its cells stand.

    Not a pipe row or a reader's table row, not a line joined from several, and not from a
    paged reader: PDF and OCR text separate columns by a fixed gap (parsers/readers/pdf).
    """
    raw = line.raw_text
    return line.page is None and "|" not in raw and "\n" not in raw


def _ticked_grade(cells: tuple[str, ...], header: tuple[str, ...], roles: list[str | None]) -> str | None:
    """The grade whose column holds the row's one tick, the others blank (n13); None otherwise."""
    marks = [i for i, r in enumerate(roles) if r == "grade_mark"]
    ticked = [i for i in marks if GRADE_MARK.match(squash(cells[i]))]
    if len(ticked) != 1 or any(squash(cells[i]) for i in marks if i not in ticked):
        return None
    return squash(header[ticked[0]])


def score_row(
    cells: tuple[str, ...], header: tuple[str, ...], roles: list[str | None], unit_raw: str, line: Line
) -> ScoreRow:
    """A score table's row read by its columns' roles (rank, 序号, score, grade, weighted parts)."""
    rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "rank"), None)
    if rank_raw is None:
        rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "seq"), None)
    score_text = next((cells[i] for i, r in enumerate(roles) if r == "score"), None)
    grade = next((cells[i].strip() or None for i, r in enumerate(roles) if r == "grade"), None)
    with_grade = (
        SCORE_WITH_GRADE.match(squash(score_text)) if score_text is not None and grade is None else None
    )
    if with_grade:
        grade = with_grade.group("grade")  # `98.5（优秀）`: the cell states both
    if grade is None and "grade_mark" in roles:
        grade = _ticked_grade(cells, header, roles)
    parts = []
    maxima: list[Decimal | None] = []
    for i, role in enumerate(roles):
        if role == "part":
            match = PART_HEADER.match(squash(header[i]))
            name = match.group("name") if match else squash(header[i])
            weight = Decimal(match.group("w")) / 100 if match else None
            most = PART_MAX_HEADER.match(squash(header[i])) if match is None else None
            if most:
                name = most.group("name")
            maxima.append(Decimal(most.group("max")) if most else None)
            parts.append((name, weight, to_decimal(cells[i])))
    score = to_decimal(score_text) if score_text is not None else None
    score_header = next((squash(header[i]) for i, r in enumerate(roles) if r == "score"), "")
    mean = bool(parts) and "平均" in score_header and all(weight is None for _, weight, _ in parts)
    scale = SCORE_SCALE.search(score_header)
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
        part_maxima=maxima if any(m is not None for m in maxima) else [],
        score_max=Decimal(scale.group("max")) if scale else None,
    )
