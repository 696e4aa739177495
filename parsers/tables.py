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
from functools import lru_cache
from itertools import pairwise

import regex

from parsers.model import Line
from parsers.normalize import cells_to_text, collapse_spaces, normalize_chars, squash
from parsers.numbers import parse_rank, to_decimal

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_SCORE_TOKEN = regex.compile(r"(?P<i>0|[1-9]\d{0,3})(?:\.(?P<f>\d{1,3}))?")
_NUMBER_KEY = regex.compile(r"[+-]?\d+(?:\.\d+)?分?")
_NAME_KEY = regex.compile(r"[\p{Han}（）()·]{2,30}")
_SHORT_HAN = regex.compile(r"\p{Han}{1,6}")
_DIGIT = regex.compile(r"\d")

_HEADERS: dict[str, regex.Pattern[str]] = {
    "rank": regex.compile(r"^(?:排名|名次|位次|排序|排位|综合排名|总排名|得分排名|本月排名|本期排名)$"),
    "seq": regex.compile(r"^(?:序号|编号|序)$"),
    "unit": regex.compile(
        r"^(?:单位|单位名称|被考核单位|被考评单位|被检查单位|责任单位|考核对象|考核单位|地区|区域|名称"
        r"|县区|区县|县市区|县\(市、区\)|县（市、区）|县\(市\)区|县（市）区|市县|县（区）|县\(区\)|乡镇|乡镇（街道）"
        r"|乡镇\(街道\)|街道|镇街|镇（街道）|村|村（居）|村\(居\)|村居|社区|部门|市直部门|单位（部门）|县（市、区）名称"
        # More names of the unit column seen across the family (variants §2 "Columns vary").
        r"|城区|市州|市（州）|市\(州\)|地市|设区市|旗县|县市|县（市）|区（县）|区县（市）|县（区、市）|乡（镇）"
        r"|乡镇（街道、场）|开发区|园区|镇（街道、园区）|成员单位|责任部门|牵头单位|被考核对象)$"
    ),
    "score": regex.compile(
        r"^(?:得分|分数|成绩|总分|总得分|考评成绩|考核成绩|考核得分|考评得分|检查得分|督查得分|综合得分|最终得分"
        r"|合计|总成绩|测评得分|评分|得分（分）|得分\(分\)|综合成绩|考核总分|总计)$"
    ),
    "grade": regex.compile(r"^(?:等次|等级|档次|评定等次|考核等次|考评等次|评价等次|评定结果|考核结果|结果)$"),
    "points": regex.compile(r"^(?:扣分|扣分值|扣减分值|扣分分值|分值|扣分（分）|扣分\(分\)|扣除分值|加减分|加扣分)$"),
    "reason": regex.compile(r"^(?:扣分事项|存在问题|扣分原因|扣分情况|问题|主要问题|扣分项目|扣分内容|扣分说明|问题描述|扣分依据|扣分明细|具体问题|加扣分事项|加减分事项)$"),
    "remark": regex.compile(r"^(?:备注|说明)$"),
}
# A weighted part: `系统考核(占40%)`, `现场考核（60%）`, `日常考核 权重30%`.
_PART = regex.compile(r"^(?P<name>.+?)[（(]?(?:占|权重)?(?P<w>\d+(?:\.\d+)?)\s*%[)）]?$")
# A header cell when cells are glued together (`名次镇（街道）得分`): a part's name must be
# Chinese so that the segmentation cannot swallow a neighbouring cell.
_GLUED_PART = regex.compile(r"^\p{Han}{2,10}[（(]?(?:占|权重)?\d+(?:\.\d+)?%[)）]?$")
# Rows that are not units: a total or an average line under the table (variants §2).
_NOT_A_UNIT_ROW = regex.compile(r"^(?:合计|总计|小计|平均|平均分|平均值|均值|(?:全市|全省|全县|全区)(?:平均|合计)?(?:分|得分)?)$")
# A ranking block's caption: `（一）县区组`, `二、市直部门组排名：` (variants §2 several blocks).
_GROUP_CAPTION = regex.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.、．])?\s*"
    r"(?P<g>[\p{Han}（）()、]{1,12}组)(?:考核|考评)?(?:排名|得分|成绩|结果|情况|名次)*(?:如下)?[:：]?$"
)
# Cell roles whose values are numbers; in glued rows they share runs of digits.
_NUMERIC_ROLES = {"rank", "seq", "score", "part"}
_GRADE_WORD = regex.compile(r"(?:优秀|良好|较好|合格|基本合格|不合格|一般|较差|好|差)(?:等次)?")


@dataclass(slots=True)
class ScoreRow:
    unit_raw: str
    rank: int | None
    rank_raw: str | None
    score: Decimal | None
    grade: str | None
    group: str | None
    parts: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)  # name, weight, score
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


def header_roles(cells: tuple[str, ...]) -> list[str | None] | None:
    """Map each header cell to a column role; None if the row is not a header."""
    roles: list[str | None] = [_cell_role(cell) for cell in cells]
    known = {r for r in roles if r}
    if "unit" in known and known & {"score", "rank", "grade", "part", "points", "reason"}:
        return roles
    return None


@lru_cache(maxsize=16384)
def _cell_role(cell: str) -> str | None:
    """The column role a header cell names (cached: every table row is asked whether it is a header)."""
    key = squash(cell)
    if not key or key[0].isdigit() or len(key) > _MAX_HEADER_CELL:
        return None  # a value (`1`, `85.7`) or a sentence, never a header word
    role = next((name for name, pattern in _HEADERS.items() if pattern.match(key)), None)
    if role is None and _PART.match(key):
        role = "part"
    return role


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Consecutive runs of table rows."""
    blocks: list[list[Line]] = []
    previous: Line | None = None
    for line in lines:
        if line.cells is None:
            previous = None
            continue
        if previous is None:
            blocks.append([line])
        else:
            blocks[-1].append(line)
        previous = line
    return blocks


def _group_caption(lines: list[Line], first: Line) -> str | None:
    """A ranking block's caption just above its table: `（一）县区组`, `市直部门组排名`."""
    index = next(i for i, line in enumerate(lines) if line is first)
    for line in reversed(lines[max(0, index - 2):index]):
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
    score_blocks = 0
    # Score tables whose only order column is 序号: the rows of each such table.
    seq_tables: list[list[ScoreRow]] = []
    for block in _blocks(lines):
        roles = header_roles(block[0].cells or ())
        rows = block
        if roles is not None:
            rows = block[1:]
            current_roles = roles
            current_header = block[0].cells or ()
            current_kind = "deduction" if ("points" in roles or "reason" in roles) and "score" not in roles else "score"
            group = _group_caption(lines, block[0])
            if current_kind == "score":
                score_blocks += 1
                if "seq" in roles and "rank" not in roles:
                    seq_tables.append([])
        elif current_roles is None or len(block[0].cells or ()) != len(current_roles):
            # A headerless block that does not continue the previous table's columns.
            continue
        else:
            group = None  # a continuation keeps the previous block's group (set below)
        if current_roles is None:
            continue
        carried_unit = ""
        for line in rows:
            cells = line.cells or ()
            if len(cells) != len(current_roles):
                # `| 1 | 唐闸镇94.17 |`: cells glued inside a ruled table (variants §2 "Damage").
                glued = split_glued_row(" ".join(cells), current_roles, header=current_header)
                if glued is None:
                    continue
                cells = glued
            if header_roles(cells) is not None:  # header repeated after a page break
                consumed.add(line.line_no)
                continue
            by_role = {role: cells[i] for i, role in enumerate(current_roles) if role}
            unit_raw = by_role.get("unit", "").strip()
            if current_kind == "deduction":
                # variants §3: the unit cell is blank below its first row.
                unit_raw = unit_raw or carried_unit
                carried_unit = unit_raw
                text = by_role.get("reason", "")
                if unit_raw and (text or by_role.get("points")):
                    deductions.append(DeductionRow(unit_raw, text, by_role.get("points"), line))
                    consumed.add(line.line_no)
                continue
            if not squash(unit_raw) or _NOT_A_UNIT_ROW.match(squash(unit_raw)):
                continue
            row = _score_row(cells, current_header, current_roles, unit_raw, line)
            row.group = group if group is not None else (scores[-1].group if scores and roles is None else None)
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


def _score_row(cells: tuple[str, ...], header: tuple[str, ...], roles: list[str | None], unit_raw: str,
               line: Line) -> ScoreRow:
    rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "rank"), None)
    if rank_raw is None:
        rank_raw = next((cells[i] for i, r in enumerate(roles) if r == "seq"), None)
    score_text = next((cells[i] for i, r in enumerate(roles) if r == "score"), None)
    grade = next((cells[i].strip() or None for i, r in enumerate(roles) if r == "grade"), None)
    parts = []
    for i, role in enumerate(roles):
        if role == "part":
            match = _PART.match(squash(header[i]))
            name = match.group("name") if match else squash(header[i])
            weight = Decimal(match.group("w")) / 100 if match else None
            parts.append((name, weight, to_decimal(cells[i])))
    score = to_decimal(score_text) if score_text is not None else None
    return ScoreRow(unit_raw=unit_raw, rank=parse_rank(rank_raw), rank_raw=rank_raw, score=score,
                    grade=grade, group=None, parts=parts, line=line)



# ---------------------------------------------------------------- damaged tables (variants §2)
# The largest rank or value a glued number may take: scores run to 1000-point scales with
# bonuses; a rank above the number of rows that follow is a wrong split.
DEFAULT_MAX_SCORE = Decimal(1200)
_GLUED_ROLES = {"rank", "seq", "unit", "score", "part", "grade", "remark"}
# Every score-table header names a score, rank or grade column; a line without one of these
# words is not a glued header, and the segmentation below need not run on it.
_HEADER_HINT = regex.compile(r"得分|分数|成绩|总分|排名|名次|位次|序号|等次|等级|档次|扣分|合计|评分")
_AMOUNT_IN_CELL = regex.compile(r"[扣减加]\s*(?:除|减)?\s*\d")
# The longest header word a cell holds (`县（市、区）名称`, `系统考核（占40%）`, `综合得分（分）`).
_MAX_HEADER_CELL = 16
_PROSE_PUNCT = regex.compile(r"[，。；：:、！？!?,;]")
_GLUED_RANK_MARK = regex.compile(r"^第\s*(\d{1,3})\s*名")
_GLUED_UNIT_MARK = regex.compile(r"(\d)\s*分(?=\s*\d|\s*$)")
_RUN = regex.compile(r"[\d.]+(?:\s+[\d.]+)*|[^\d.]+")
_TEXT_RANK = r"(?:并列|倒数)?第?[一二三四五六七八九十]{1,3}名?(?:[（(]?并列[)）]?)?"


@lru_cache(maxsize=8192)
def _header_cell_role(cell: str) -> str | None:
    key = squash(cell)
    if len(key) > _MAX_HEADER_CELL:
        return None  # a sentence, not a header word: skip the patterns
    role = next((name for name, pattern in _HEADERS.items() if pattern.match(key)), None)
    if role is None and _GLUED_PART.match(key):
        role = "part"
    return role


def split_glued_header(text: str) -> tuple[str, ...] | None:
    """Header cells of a header whose cells were glued (`名次镇（街道）得分`), or None.

    Segments the line into header words only; among several segmentations the one with
    the most cells wins (`得分排名` is one header word, but `总分|排名` beside a unit is two).
    """
    key = squash(text)
    # A header row is words only: a line with sentence punctuation is prose or an entry.
    if not 4 <= len(key) <= 80 or _PROSE_PUNCT.search(key) or not _HEADER_HINT.search(key):
        return None
    best: dict[int, list[str] | None] = {len(key): []}
    for start in range(len(key) - 1, -1, -1):
        options = []
        for end in range(start + 1, min(len(key), start + 20) + 1):
            rest = best.get(end)
            if rest is not None and _header_cell_role(key[start:end]):
                options.append([key[start:end], *rest])
        best[start] = max(options, key=len) if options else None
    cells = best[0]
    if cells is None or len(cells) < 2 or header_roles(tuple(cells)) is None:
        return None
    return tuple(cells)


def _number_fits(token: str, role: str, max_rank: int) -> bool:
    if role in ("rank", "seq"):
        return token.isdigit() and not token.startswith("0") and 1 <= int(token) <= max_rank
    match = _SCORE_TOKEN.fullmatch(token)
    return bool(match) and Decimal(token) <= DEFAULT_MAX_SCORE


def _split_numbers(run: str, roles: list[str], max_rank: int) -> list[list[str]]:
    """Every way to cut a run of digits into one number per role (spaces are hard cuts)."""
    results: list[list[str]] = []

    def walk(pos: int, index: int, taken: list[str]) -> None:
        while pos < len(run) and run[pos].isspace():
            pos += 1
        if index == len(roles):
            if pos == len(run):
                results.append(list(taken))
            return
        for end in range(pos + 1, len(run) + 1):
            token = run[pos:end]
            if token[-1].isspace():
                break
            if end < len(run) and run[end] == "." :
                continue  # never cut just before a decimal point
            if _number_fits(token, roles[index], max_rank):
                walk(end, index + 1, [*taken, token])

    walk(0, 0, [])
    # `93.7395.8094.911`: cut only where the glued decimals keep the same number of places.
    consistent = []
    for numbers in results:
        places = {len(n.partition(".")[2]) for n, r in zip(numbers, roles, strict=True) if r in ("score", "part")}
        glued = squash(run) == run
        if not glued or len(places) <= 1:
            consistent.append(numbers)
    return consistent


def _split_text(run: str, roles: list[str]) -> list[list[str]]:
    patterns = {"rank": _TEXT_RANK, "unit": r"[\p{Han}（）()·]{2,30}?", "grade": _GRADE_WORD.pattern,
                "remark": r".*?"}
    if any(r not in patterns for r in roles):
        return []
    match = regex.fullmatch("".join(f"({patterns[r]})" for r in roles), squash(run))
    return [list(match.groups())] if match else []


def split_glued_row(text: str, roles: list[str | None], max_rank: int = 999,
                    header: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
    """Cells of a row whose cells were glued (`1唐闸镇94.17`, `金安区93.7395.8094.971`), or None.

    Runs of digits and runs of text alternate; each run takes a block of consecutive roles.
    Only a single plausible reading is accepted: an ambiguous row is left alone (None).
    `header` (the cells) lets weighted parts rule out readings whose total is impossible.
    """
    if any(r not in _GLUED_ROLES for r in roles):
        return None
    # `第1名信阳市浉河区95.5分`: the rank's 第…名 and the score's 分 are print, not cells.
    text = _GLUED_UNIT_MARK.sub(r"\1", _GLUED_RANK_MARK.sub(r"\1", text.strip()))
    runs = [r.strip() for r in _RUN.findall(text) if r.strip()]
    solutions: list[list[str]] = []

    def assign(run_i: int, role_i: int, cells: list[str]) -> None:
        if len(solutions) > 1:
            return
        if run_i == len(runs) or role_i == len(roles):
            if run_i == len(runs) and role_i == len(roles):
                solutions.append(cells)
            return
        run = runs[run_i]
        numeric = run[0].isdigit()
        for j in range(role_i + 1, len(roles) + 1):
            block = [r for r in roles[role_i:j] if r is not None]
            if len(block) != j - role_i:
                break
            if numeric and not all(r in _NUMERIC_ROLES for r in block):
                break
            if not numeric and any(r in ("seq", "score", "part") for r in block):
                break
            splits = _split_numbers(run, block, max_rank) if numeric else _split_text(run, block)
            for split in splits:
                assign(run_i + 1, j, cells + split)

    assign(0, 0, [])
    if header is not None:
        solutions = [cells for cells in solutions if _weighted_total_possible(cells, header, roles)]
    if len(solutions) != 1:
        return None
    cells = solutions[0]
    return tuple(cells)


def _weighted_total_possible(cells: list[str], header: tuple[str, ...], roles: list[str | None]) -> bool:
    """With weights summing to 100%, a total lies between its smallest and largest part.

    `舒城县91.2588.489.544` reads 91.25|88.48|9.54|4 with consistent decimals, but a total of
    9.54 from parts near 90 is impossible: that reading is a wrong cut.
    """
    parts: list[tuple[Decimal, Decimal]] = []
    total = None
    for cell, head, role in zip(cells, header, roles, strict=True):
        if role == "part":
            match = _PART.match(squash(head))
            if match is None:
                return True
            parts.append((Decimal(match.group("w")), Decimal(cell)))
        elif role == "score":
            total = Decimal(cell)
    if total is None or not parts or sum(w for w, _ in parts) != 100:
        return True
    values = [v for _, v in parts]
    return min(values) - Decimal("0.01") <= total <= max(values) + Decimal("0.01")


def _cell_fits(value: str, role: str | None, max_rank: int) -> bool:
    key = squash(value)
    if role in ("rank", "seq"):
        return parse_rank(key, max_rank) is not None or (role == "rank" and key.startswith("倒数"))
    if role in ("score", "part", "points"):
        return bool(_NUMBER_KEY.fullmatch(key))
    if role == "unit":
        return bool(_NAME_KEY.fullmatch(key)) and header_roles((key, "得分")) is None
    if role == "grade":
        return bool(_SHORT_HAN.fullmatch(key))
    return bool(key)


def _row_line(first: Line, last: Line, cells: tuple[str, ...], raw: str) -> Line:
    return replace(first, text=cells_to_text(cells), cells=cells, line_end=last.last_line, raw=raw)


def restore_table_rows(lines: list[Line]) -> list[Line]:
    """Give table rows back their cells where the way to text lost them (variants §2 "Damage").

    Two kinds of damage: one cell per line (header cells `名次` / `县区` / `得分` each on a
    line, then the values cycling) and cells glued into one line (`名次镇（街道）得分`, then
    `1唐闸镇94.17`, or `金安区93.7395.8094.971` under weighted parts). Rows are restored only
    under a recognised header and only while every row reads one way; the first line that
    does not ends the table.
    """
    out: list[Line] = []
    lines = [piece for line in lines for piece in _unjoin_glued_table(line)]
    i = 0
    while i < len(lines):
        consumed = _try_glued_table(lines, i, out) or _try_cell_per_line_table(lines, i, out)
        if consumed:
            i += consumed
        else:
            out.append(lines[i])
            i += 1
    return out


def _unjoin_glued_table(line: Line) -> list[Line]:
    """Split a line that normalisation joined across a glued table back into its physical lines.

    Glued rows have no sentence-final punctuation, so the wrapped-line joiner runs a glued
    header and its rows into one line (`县区系统考核(占40%)…排名金安区93.73…`). The physical
    lines survive in `raw`; their line numbers are counted from the first (blank lines
    between them, if any, are not known any more).
    """
    if line.cells is not None or "\n" not in line.raw_text or not _HEADER_HINT.search(line.raw_text):
        return [line]
    pieces = [collapse_spaces(normalize_chars(p)) for p in line.raw_text.split("\n")]
    start = next((k for k, p in enumerate(pieces) if split_glued_header(p)), None)
    if start is None:
        return [line]
    split = [replace(line, text=p, line_no=line.line_no + k, line_end=None, raw=None)
             for k, p in enumerate(pieces) if p and k >= start]
    if _try_glued_table(split, 0, []) < 2:
        return [line]
    head = "".join(pieces[:start])
    before = [replace(line, text=head, line_end=line.line_no + start - 1, raw="\n".join(line.raw_text.split("\n")[:start]))] if head else []
    return before + split


def _rows_ahead(lines: list[Line], start: int) -> int:
    """How many rows a table starting at `start` can have at most (the bound for glued ranks)."""
    count = 0
    for line in lines[start:]:
        if (line.cells is not None and not _misread_cells(line)) or not _DIGIT.search(_glued_text(line)):
            break
        count += 1
    return max(count, 1)


def _glued_text(line: Line) -> str:
    """A line's text with any cells joined back: a row split at the wrong places is re-split whole."""
    return "".join(line.cells) if line.cells is not None else line.text


def _misread_cells(line: Line, width: int | None = None) -> bool:
    """Cells found from spacing that do not make a row of the table (`第2名 平桥区 | 94.2分` under
    a 3-column header, when a PDF set some column gaps narrower than others)."""
    return line.cells is not None and (width is None or len(line.cells) != width) and header_roles(line.cells) is None


def _try_glued_table(lines: list[Line], i: int, out: list[Line]) -> int:
    head = lines[i]
    if head.cells is not None and not _misread_cells(head):
        return 0
    header = split_glued_header(_glued_text(head))
    if header is None:
        return 0
    roles = [_header_cell_role(c) for c in header]
    rows: list[Line] = []
    j = i + 1
    max_rank = _rows_ahead(lines, j)
    while j < len(lines):
        if lines[j].cells is not None and len(lines[j].cells or ()) == len(header):
            # Rows the spacing already split right, under a header whose words it could not
            # (`排名 县区    得分` above `1    新 县    96.5`): keep them as they are.
            rows.append(lines[j])
            j += 1
            continue
        if lines[j].cells is not None and not _misread_cells(lines[j], len(header)):
            break
        text = _glued_text(lines[j])
        if split_glued_header(text) == header:  # header repeated after a page break
            rows.append(_row_line(lines[j], lines[j], header, lines[j].raw_text))
            j += 1
            continue
        cells = split_glued_row(text, roles, max_rank, header)
        if cells is None:
            break
        rows.append(_row_line(lines[j], lines[j], cells, lines[j].raw_text))
        j += 1
    if not any(r.cells != header for r in rows):
        return 0
    out.append(_row_line(head, head, header, head.raw_text))
    out.extend(rows)
    return j - i


def _try_cell_per_line_table(lines: list[Line], i: int, out: list[Line]) -> int:
    header: list[str] = []
    j = i
    while j < len(lines) and lines[j].cells is None and _header_cell_role(lines[j].text):
        header.append(squash(lines[j].text))
        j += 1
    width = len(header)
    if width < 2 or header_roles(tuple(header)) is None:
        return 0
    roles = [_header_cell_role(c) for c in header]
    rows: list[Line] = []
    max_rank = max((len(lines) - j) // width, 1)
    while j + width <= len(lines):
        group = lines[j:j + width]
        values = tuple(squash(g.text) for g in group)
        if any(g.cells is not None for g in group):
            break
        if list(values) == header:  # header repeated after a page break
            j += width
            continue
        if not all(_cell_fits(v, r, max_rank) for v, r in zip(values, roles, strict=True)):
            break
        rows.append(_row_line(group[0], group[-1], values, "\n".join(g.raw_text for g in group)))
        j += width
    if not rows:
        return 0
    out.append(_row_line(lines[i], lines[i + width - 1], tuple(header), "\n".join(ln.raw_text for ln in lines[i:i + width])))
    out.extend(rows)
    return j - i
