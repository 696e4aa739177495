"""A page as blocks in document order: paragraphs and <br>-separated lines, table rows as cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parsers.limits import check_table_cells

SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "object",
        "embed",
        "canvas",
        "select",
        "button",
        "input",
        "textarea",
        "nav",
        "footer",
        "head",
        "title",
        "meta",
        "link",
        "map",
        "audio",
        "video",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "section",
        "article",
        "header",
        "main",
        "aside",
        "address",
        "center",
        "pre",
        "figure",
        "figcaption",
        "hr",
        "form",
        "fieldset",
        "details",
        "summary",
        "caption",
        "body",
        "html",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
    }
)
# Blocks that hold running text, for the density score (table cells and list items
# are attributed to the block around their table or list).
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
HTML_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")


@dataclass(slots=True)
class Block:
    """One paragraph, <br>-separated line or table row of the page, and whether it is in the body."""

    text: str
    cells: tuple[str, ...] | None
    in_body: bool
    wrapped: bool | None


@dataclass(slots=True)
class BlockBuilder:
    """Accumulates inline text and emits blocks at block boundaries and <br>."""

    blocks: list[Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    in_body: bool = False

    def add(self, text: str) -> None:
        self.buffer.append(text)

    def flush(self, wrapped: bool | None = False) -> None:
        raw = "".join(self.buffer)
        text = HTML_SPACE.sub(" ", raw).strip()
        self.buffer.clear()
        if text or "\xa0" in raw:
            # A paragraph of only `&nbsp;` is an empty line the editor kept on purpose (a blank cell
            # of a table flattened one <p> per cell, gold w22): an empty block, its place counted.
            self.blocks.append(Block(text=text, cells=None, in_body=self.in_body, wrapped=wrapped))

    def row(self, cells: tuple[str, ...]) -> None:
        self.flush()
        self.blocks.append(
            Block(text="| " + " | ".join(cells) + " |", cells=cells, in_body=self.in_body, wrapped=False)
        )


def count_cjk(text: str) -> int:
    return len(CJK.findall(text))


def _walk(node: Any, out: BlockBuilder, body: Any | None, pre: bool = False) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            content = child.text_content or ""
            if pre and "\n" in content:
                first, *rest = content.split("\n")
                out.add(first)
                for piece in rest:
                    out.flush(wrapped=None)
                    out.add(piece)
            else:
                out.add(content)
        elif tag == "br":
            # <br> ends a visual line; CMS bodies also use it between paragraphs, so
            # whether the text continues is left to normalisation (wrapped=None).
            out.flush(wrapped=None)
        elif not isinstance(tag, str) or tag.startswith("-") or tag in SKIP_TAGS:
            continue
        elif body is not None and child.mem_id == body.mem_id:
            out.flush()
            out.in_body = True
            _table(child, out, body) if tag == "table" else _walk(child, out, body, pre)
            out.flush()
            out.in_body = False
        elif tag == "table":
            out.flush()
            _table(child, out, body)
        elif tag in _BLOCK_TAGS:
            out.flush()
            _walk(child, out, body, pre or tag == "pre")
            out.flush()
        else:
            _walk(child, out, body, pre)


def _rows(table: Any) -> list[Any]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child.iter() if r.tag == "tr")
    return rows


def _cells(row: Any) -> list[Any]:
    return [c for c in row.iter() if c.tag in ("td", "th")]


def _span(cell: Any, attribute: str) -> int:
    raw = (cell.attributes.get(attribute) or "1").strip()
    try:
        return min(max(int(re.sub(r"\D.*$", "", raw) or "1"), 1), 1000)
    except ValueError:
        return 1


def _is_layout_table(table: Any, rows: list[Any]) -> bool:
    """A table used for page layout (the body inside a cell), not a data table."""
    if any(r.css_first("table") is not None for r in rows):
        return True
    widest = max((sum(_span(c, "colspan") for c in _cells(r)) for r in rows), default=0)
    if widest <= 1:
        return True
    # A cell holding several paragraphs of running text, alone in its row or in a table of
    # at most three rows, is a page column; a 单位 | 存在问题 | 扣分 table may have long
    # multi-paragraph cells too, but beside other cells and over many rows.
    for row in rows:
        cells = _cells(row)
        for cell in cells:
            paragraphs = [p for p in cell.css("p, div") if count_cjk(p.text(deep=True)) > 20]
            heavy = len(paragraphs) >= 4 and count_cjk(cell.text(deep=True)) > 300
            if heavy and (len(cells) == 1 or len(rows) <= 3):
                return True
    return False


def _table(table: Any, out: BlockBuilder, body: Any | None) -> None:
    rows = _rows(table)
    if not rows:
        return
    if _is_layout_table(table, rows):
        for row in rows:
            for cell in _cells(row):
                out.flush()
                is_body = body is not None and cell.mem_id == body.mem_id
                out.in_body = out.in_body or is_body
                _walk(cell, out, body)
                out.flush()
                out.in_body = out.in_body and not is_body
        return
    grid: list[list[str]] = []
    lone_spans: list[int] = []
    carried: dict[int, set[int]] = {}  # row -> columns a rowspan from above covers
    grid_cells = 0  # cells the spans fill: a colspan × rowspan bomb stops here (parsers/limits.py)
    for r, row in enumerate(rows):
        cells: list[str] = []
        column = 0
        spans: list[int] = []
        covered = carried.pop(r, set())
        for cell in _cells(row):
            while column in covered:
                covered.discard(column)
                cells.append("")  # under a rowspan: "" so the table parser carries the value down
                column += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            grid_cells += colspan * min(rowspan, len(rows) - r)
            check_table_cells(grid_cells)
            cells.append(cell_text(cell))
            cells.extend([""] * (colspan - 1))
            spans.append(colspan)
            for dr in range(1, min(rowspan, len(rows) - r)):
                carried.setdefault(r + dr, set()).update(range(column, column + colspan))
            column += colspan
        # Cells carried down past the row's own cells; a column left behind a wide cell that
        # overlapped it ends with the row (looking each key up per column was quadratic, and such
        # a key never matched and never ended the loop).
        last = max(covered, default=-1)
        while column <= last:
            cells.append("")
            column += 1
        grid.append(cells)
        lone_spans.append(spans[0] if len(spans) == 1 else 0)
    width = max(len(cells) for cells in grid)
    for cells, lone_span in zip(grid, lone_spans, strict=True):
        cells.extend([""] * (width - len(cells)))
        if not any(cells):
            continue
        if width > 1 and lone_span == width:
            # One cell across the whole table: a caption or group heading (县区组), not a data row.
            out.flush()
            out.add(cells[0])
            out.flush()
            continue
        out.row(tuple(cells))


def cell_text(cell: Any) -> str:
    """A cell's text with its paragraphs and line breaks joined by spaces, whitespace-normalised."""
    inner = BlockBuilder()
    _walk(cell, inner, None)
    inner.flush()
    return " ".join(block.text for block in inner.blocks).strip()


def page_blocks(root: Any, body: Any | None) -> list[Block]:
    """The page's blocks in document order, each marked whether it lies inside `body`."""
    builder = BlockBuilder()
    _walk(root, builder, body)
    builder.flush()
    return builder.blocks
