"""A PDF's page lines numbered into one document: page furniture dropped, wrap hints set.

Artefacts removed here: running page numbers (`— 3 —`, `- 3 -`, `第3页`), running heads and feet
repeated on most pages, and the header row Word repeats after a page break. Each prose line
gets a hint whether it continues on the next (justified CJK text reaches the margin).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from parsers.model import Line
from parsers.readers.pdf.glyphs import COLUMN_SEPARATOR, PageLine

# Top and bottom share of the page where running heads, feet and page numbers live.
DEFAULT_MARGIN_SHARE = 0.12

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－~～一_·.•\s]*\d{1,4}[—–\-－~～一_·.•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
_DIGITS = re.compile(r"\d+")
# Punctuation that ends a sentence or clause: a full line ending in one may end its paragraph.
_TERMINAL = frozenset("。；：！？.;:!?")


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[PageLine] = field(default_factory=list)
    needs_ocr: bool = False
    ocr_layer: bool = False
    """The page is an image under an invisible text layer: a scanner's OCR, read as it is."""


def drop_page_furniture(pages: list[Page]) -> None:
    """Remove running page numbers, heads and feet repeated on most pages, in place."""

    def margin_lines(page: Page) -> list[PageLine]:
        margin = DEFAULT_MARGIN_SHARE * page.height
        low = page.height - margin
        return [
            line for line in page.lines if line.cells is None and (line.bottom <= margin or line.top >= low)
        ]

    def key(line: PageLine) -> str:
        return _DIGITS.sub("#", "".join(line.text.split()))

    text_pages = [page for page in pages if page.lines]
    # The prose lines in each page's margins, found once: only they can be furniture.
    in_margins = [margin_lines(page) for page in text_pages]
    repeats: Counter[str] = Counter()
    for lines in in_margins:
        repeats.update({key(line) for line in lines})
    needed = max(2, (len(text_pages) + 1) // 2)
    furniture = {text for text, count in repeats.items() if count >= needed and len(text_pages) >= 2}
    for page, lines in zip(text_pages, in_margins, strict=True):
        dropped = {
            id(line)
            for line in lines
            if _PAGE_NUMBER.match(line.text) or (furniture and key(line) in furniture)
        }
        if dropped:
            page.lines = [line for line in page.lines if id(line) not in dropped]


def pages_to_lines(pages: list[Page]) -> list[Line]:
    """Number the lines of all pages, set wrap hints and drop a grid's header row repeated after a page break."""
    # A landscape page (a wide score table in an attachment) has its own type area: its edges
    # must not move the portrait pages' margin, or no portrait line reaches it (fresh-E e07).
    by_shape: dict[bool, list[Page]] = {}
    for page in pages:
        by_shape.setdefault(page.width > page.height, []).append(page)
    shape_edges = {shape: text_block_edges(group) for shape, group in by_shape.items()}
    edges = {page.number: shape_edges[page.width > page.height] for page in pages}
    prose = [line for page in pages for line in page.lines if line.cells is None]
    body_em = _median_em(prose) if prose else 0.0
    kept: list[tuple[int, PageLine]] = []
    prev_table: tuple[int, tuple[str, ...], int] | None = None  # (columns, header, page) of the open table
    for page in pages:
        last_table_key = None
        for position, line in enumerate(page.lines):
            if line.cells is None:
                if prev_table is not None and prev_table[2] == page.number:
                    prev_table = None  # text after the table on its page: the table ended
                kept.append((page.number, line))
                continue
            table_key = (page.number, line.table)
            if table_key != last_table_key:
                last_table_key = table_key
                header = tuple("".join(cell.split()) for cell in line.cells)
                # A table at the top of the page right after a table that ended its page,
                # with as many columns, is the same table running on.
                continues = (
                    prev_table is not None
                    and position == 0
                    and prev_table[2] == page.number - 1
                    and prev_table[0] == len(line.cells)
                )
                if continues and prev_table is not None:
                    prev_table = (prev_table[0], prev_table[1], page.number)
                    if header == prev_table[1]:
                        continue  # the header row Word repeats on the continuation page
                else:
                    prev_table = (len(line.cells), header, page.number)
            kept.append((page.number, line))
    lines: list[Line] = []
    for index, (page_number, line) in enumerate(kept):
        following = kept[index + 1][1] if index + 1 < len(kept) else None
        left, right = edges[page_number]
        wrapped = False if line.cells is not None else wrap_hint(line, following, left, right, body_em)
        bbox = (round(line.x0, 2), round(line.top, 2), round(line.x1, 2), round(line.bottom, 2))
        lines.append(
            Line(
                text=line.text,
                line_no=index + 1,
                page=page_number,
                bbox=bbox,
                cells=line.cells,
                wrapped=wrapped,
                cell_spans=line.cell_spans,
            )
        )
    return lines


def text_block_edges(pages: list[Page]) -> tuple[float, float]:
    """Return the left and right edge of the body text block, from where most long lines start and stop.

    The right edge is the rightmost x1 that at least a few lines reach (full lines
    of justified prose all stop there); a lone wide line (a table caption pushed
    into the margin) does not move it.
    """
    prose = [line for page in pages for line in page.lines if line.cells is None]
    if not prose:
        return 0.0, 0.0
    need = max(2, len(prose) // 20)
    right_bins = Counter(round(line.x1 / 4) for line in prose)
    left_bins = Counter(round(line.x0 / 4) for line in prose)
    left = min((b for b, n in left_bins.items() if n >= need), default=min(left_bins)) * 4
    # A short document of short lines (a grade list: `（一）优秀（3个）` / `小冀镇、朗公庙镇`) has
    # no full line at all: an edge that several short lines happen to share is not the margin.
    # The margin is near the widest line; only edges within a fifth of the text width count.
    widest = max(right_bins)
    near_margin = [
        b for b, n in right_bins.items() if n >= need and b * 4 - left >= 0.8 * (widest * 4 - left)
    ]
    right = max(near_margin, default=widest) * 4
    # Nor is the widest short line: the type area is centred on the page (GB/T 9704 §5.2.2:
    # 156 mm on A4, margins 28 mm and 26 mm; Word's default margins are equal), so the right
    # edge lies at least as far from the page's right side as the left edge from its left.
    # A document of short lines (`（2）…扣1.5分。`, a grade list) then has no line at the margin.
    page_width = max(page.width for page in pages)
    symmetric = page_width - left - 0.5 * _median_em(prose)
    return left, max(right, symmetric)


def _median_em(lines: list[PageLine]) -> float:
    ems = sorted(line.em for line in lines)
    return ems[len(ems) // 2]


def wrap_hint(
    line: PageLine, following: PageLine | None, left: float, right: float, body_em: float = 0.0
) -> bool | None:
    """Say whether a prose line continues on the next one (which may be on the next page).

    CJK text is justified to the margin, so a full line ends within about an em of
    it (one more glyph did not fit); a line stopping two ems short ends its
    paragraph. A full line ending a clause (`，扣 0.5 分；`) followed by an indented
    line ended its paragraph: Word continues a paragraph at the left edge and
    indents only first lines (xinyang-2022-07.pdf p.8, one deduction per paragraph).
    Centred title lines followed by another centred line of the same size continue
    (`信阳市安全生产委员会办公室` / `关于国务院安委会……` / `贯彻落实情况的通报`).
    """
    if right <= left:
        return None
    em = line.em
    if (
        following is not None
        and following.cells is None
        and _is_centred(line, left, right)
        and _is_centred(following, left, right)
        and abs(following.em - em) < 1.0
        and 0 <= following.top - line.bottom < 1.2 * em
    ):
        return True
    if (
        following is not None
        and following.cells is None
        and body_em
        and em >= 1.15 * body_em
        and abs((following.x0 + following.x1) - (line.x0 + line.x1)) < 3 * em
        and following.x0 > line.x0 + 1.5 * em
        and abs(following.em - em) < 1.0
        and 0 <= following.top - line.bottom < 1.2 * em
        and line.text[-1] not in _TERMINAL
    ):
        # A heading set larger than the body, too long for one line, fills the first line and
        # centres the rest under it (`六安市农村人居环境整治工作领导小组办` / `公室`).
        return True
    shortfall = right - line.x1
    if shortfall <= 1.2 * em + 2:
        if COLUMN_SEPARATOR in line.text or following is None or following.cells is not None:
            return False if following is None or following.cells is not None else None
        if following.x0 >= left + 1.5 * following.em:
            return False if line.text[-1] in _TERMINAL else None
        return True
    if shortfall >= 2 * em:
        return False
    return None


def _is_centred(line: PageLine, left: float, right: float) -> bool:
    indent, outdent = line.x0 - left, right - line.x1
    return indent > 0.5 * line.em and abs(indent - outdent) < 1.5 * line.em
