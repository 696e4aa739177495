"""Read circulars published as government-website pages (.html).

A gov CMS page wraps the circular in navigation, breadcrumbs, an information
table (索引号 / 发布机构 / 成文日期 / 文号 ...), a source line (来源：… 发布时间：…),
share buttons, related links and a footer. The reader:

1. decodes the bytes (BOM, then the declared charset, then UTF-8, then GB18030,
   all strictly; GB2312 and GBK are read as GB18030, their superset);
2. finds the article body: a known CMS container (#zoom, .TRS_Editor, ...) that
   holds the densest Chinese text, else the densest block itself;
3. turns block elements into Lines in document order and table rows into Lines
   with `cells` (colspan / rowspan spread over a fixed grid);
4. moves the page's metadata (from <meta> tags and from visible label lines
   anywhere on the page) into `ReadResult.web_meta`, and keeps those lines out of
   the body.

web_meta keys: title, issuer (发布机构/发文机关), publish_date (发布日期),
issue_date (成文日期), doc_number (文号), source (来源), index_number (索引号),
subject (主题分类). Dates are ISO (YYYY-MM-DD) when they parse.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from parsers.limits import check_table_cells
from parsers.model import DamagedInput, EmptyInput, Line, ReadResult, UnsupportedInput
from parsers.readers.sniff import sniff_bytes

# How far into the file a charset declaration is looked for; the HTML standard's
# prescan reads 1024 bytes, but CMS pages often put long <title>s and scripts first.
DEFAULT_CHARSET_PRESCAN = 8192

# Containers that gov CMSs (TRS WCM, Hanweb/UCAP, Dayu, generic templates) put the
# article body in, most specific first.
DEFAULT_BODY_SELECTORS = (
    "#zoom",
    "#Zoom",
    ".TRS_Editor",
    ".Custom_UnionStyle",
    "#UCAP-CONTENT",
    ".article-content",
    ".article_content",
    ".article-con",
    ".art_con",
    "#art_content",
    ".pages_content",
    ".wzcon",
    "#fontzoom",
    "#content",
    ".content",
    "article",
    ".view",
)

# A container that holds less than this share of the densest block's Chinese text
# is a fragment (a caption, a summary box), not the body.
DEFAULT_MIN_CONTAINER_SHARE = 0.6

# Climb from the densest block to its parent while the parent adds at most this share
# of Chinese text: picks up the title or attachment beside the paragraphs' container
# but not a whole page column.
DEFAULT_EXPAND_SHARE = 1.1

# A list or box whose text is at least this share link text, with at least
# DEFAULT_LINK_BOX_MIN_LINKS links, is navigation or "related links".
DEFAULT_LINK_BOX_SHARE = 0.8
DEFAULT_LINK_BOX_MIN_LINKS = 3

# A visible metadata value longer than this is prose that happens to start with 来源：.
DEFAULT_MAX_META_VALUE = 200

# GB2312 and GBK pages regularly contain characters outside those sets (names such as 浉
# are GBK-only, rarer ones GB18030-only); GB18030 decodes all of them.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "csgb2312": "gb18030",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "big5": "big5hkscs",
}

_SKIP_TAGS = frozenset(
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
_TEXT_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "center",
        "body",
        "td",
        "th",
    }
)
# Class or id words of boilerplate inside an article container.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(share|bdshare|print|close|crumb|breadcrumb|position|location|nav|menu|footer|"
    r"copyright|related|xgxx|xglj|pagination|pager|fontsize|font-size|toolbar)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HTML_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
_TAG = re.compile(r"<\s*(?:!doctype|html|head|body|meta|div|p|table|br|span|title|a)\b", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

_META_NAMES = {
    "articletitle": "title",
    "og:title": "title",
    "dc.title": "title",
    "pubdate": "publish_date",
    "publishdate": "publish_date",
    "firstpublishedtime": "publish_date",
    "dc.date": "publish_date",
    "contentsource": "source",
    "source": "source",
}
# Visible labels of the 信息公开 table and of the source line under the title.
_META_LABELS = {
    "索引号": "index_number",
    "主题分类": "subject",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发布单位": "issuer",
    "发文机构": "issuer",
    "成文日期": "issue_date",
    "成文时间": "issue_date",
    "发布日期": "publish_date",
    "发布时间": "publish_date",
    "公开日期": "publish_date",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发文文号": "doc_number",
    "标题": "title",
    "信息名称": "title",
    "来源": "source",
    "信息来源": "source",
    "文章来源": "source",
}
# Labels that share those lines but carry nothing the pipeline uses.
_NOISE_LABELS = (
    "浏览次数",
    "点击数",
    "访问次数",
    "阅读次数",
    "字体",
    "字号",
    "作者",
    "责任编辑",
    "编辑",
    "有效性",
    "时效",
    "体裁分类",
    "组配分类",
    "信息分类",
    "公开方式",
    "公开范围",
    "公开形式",
    "生成日期",
    "废止日期",
    "主题词",
    "关键词",
    "分类",
)
# Sites space short labels out to the width of the long ones (`文　　号：`, `来 源：`).
_LABEL = re.compile(
    r"(?:^|(?<=[\s\u3000【\[|]))("
    + "|".join(
        r"\s*".join(map(re.escape, label))
        for label in sorted([*_META_LABELS, *_NOISE_LABELS], key=len, reverse=True)
    )
    + r")\s*[：:]"
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass(slots=True)
class _Block:
    text: str
    cells: tuple[str, ...] | None
    in_body: bool
    wrapped: bool | None


@dataclass(slots=True)
class _Builder:
    """Accumulates inline text and emits blocks at block boundaries and <br>."""

    blocks: list[_Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    in_body: bool = False

    def add(self, text: str) -> None:
        self.buffer.append(text)

    def flush(self, wrapped: bool | None = False) -> None:
        text = _HTML_SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if text:
            self.blocks.append(_Block(text=text, cells=None, in_body=self.in_body, wrapped=wrapped))

    def row(self, cells: tuple[str, ...]) -> None:
        self.flush()
        self.blocks.append(
            _Block(text="| " + " | ".join(cells) + " |", cells=cells, in_body=self.in_body, wrapped=False)
        )


def read_html(data: bytes, name: str) -> ReadResult:
    """Read a government web page into body Lines and web metadata.

    Raises:
        EmptyInput: no bytes, or a page without text.
        UnsupportedInput: the bytes are binary (a PDF, DOCX, image... named .html).
        DamagedInput: the bytes decode in none of the declared charset, UTF-8 and GB18030.
    """
    text, encoding, warnings = decode_html(data, name)
    if not _TAG.search(text):
        # A text file named .html (some portals serve 纯文本 versions): read it as text.
        plain = [
            Line(text=raw.strip(), line_no=n)
            for n, raw in enumerate(text.splitlines(), start=1)
            if raw.strip()
        ]
        warnings.append(f"{name}: no HTML markup found; read as plain text, one line per line.")
        return ReadResult(lines=plain, source_format="html", encoding=encoding, warnings=warnings)

    from selectolax.lexbor import LexborHTMLParser  # imported here so `import parsers` stays light

    tree = LexborHTMLParser(text)
    web_meta = _meta_tags(tree)
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        raise EmptyInput(f"{name}: the page has no body; nothing to read.")
    body = find_article(root)
    if body is not None:
        _drop_boilerplate(body)
    builder = _Builder()
    _walk(root, builder, body)
    builder.flush()

    visible: dict[str, str] = {}
    lines: list[Line] = []
    for block in builder.blocks:
        found = meta_from_cells(block.cells) if block.cells is not None else meta_from_line(block.text)
        if found is not None:
            for key, value in found.items():
                visible.setdefault(key, value)
            continue
        if body is not None and not block.in_body:
            continue
        lines.append(Line(text=block.text, line_no=len(lines) + 1, cells=block.cells, wrapped=block.wrapped))
    web_meta.update(visible)
    if "title" not in web_meta:
        title = tree.css_first("title")
        if title is not None and title.text().strip():
            # <title> is "article_site" or "article - site"; the article title comes first.
            web_meta["title"] = re.split(r"\s*(?:_|\s-\s|\|)\s*", title.text().strip())[0]
    if body is not None and lines:
        lines = _with_title(lines, builder.blocks, web_meta.get("title"))
    if not lines:
        raise EmptyInput(
            f"{name}: the page has no text outside navigation and metadata; "
            "if the site loads the article with JavaScript, save the page after it has "
            "rendered, or use the PDF."
        )
    if body is None:
        warnings.append(
            f"{name}: no article container found; read the whole page except navigation and footer."
        )
    return ReadResult(
        lines=lines, source_format="html", encoding=encoding, web_meta=web_meta, warnings=warnings
    )


def _with_title(lines: list[Line], blocks: list[_Block], title: str | None) -> list[Line]:
    """Put the article's heading first when the template prints it above the body container.

    TRS and Hanweb templates often show the title in an <h1> beside the container of the
    paragraphs (<div class="article"><h1>…</h1><div class="article-content">…), so the body
    alone would start with the addressees.
    """
    if not title:
        return lines
    key = _HTML_SPACE.sub("", title)
    # The body may print the title over several <br>-separated lines (issuer, then 关于…).
    if key in _HTML_SPACE.sub("", "".join(line.text for line in lines[:6])):
        return lines
    first_body = next((i for i, block in enumerate(blocks) if block.in_body), None)
    if first_body is None:
        return lines
    for block in reversed(blocks[:first_body]):
        if block.cells is None and _HTML_SPACE.sub("", block.text) == key:
            heading = Line(text=block.text, line_no=1, wrapped=False)
            return [heading, *(replace(line, line_no=line.line_no + 1) for line in lines)]
    return lines


# ---------------------------------------------------------------- decoding


def decode_html(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode a web page; return (text, encoding used, warnings).

    Raises:
        EmptyInput: no bytes, or only whitespace.
        UnsupportedInput: binary bytes (NULs, or a known binary signature).
        DamagedInput: no candidate encoding decodes the bytes strictly.
    """
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise DamagedInput(
                    f"{name}: starts with a {encoding} byte-order mark but does not decode "
                    f"as {encoding} ({exc.reason} at byte {exc.start}); "
                    "re-save it as UTF-8."
                ) from exc
    what = sniff_bytes(data)
    if b"\x00" in data[:4096] or (what is not None and what not in ("an HTML page", "plain text")):
        looks = f"it looks like {what}" if what else "it contains NUL bytes"
        raise UnsupportedInput(
            f"{name}: is not a web page ({looks}); give tongbao the file with its real extension."
        )
    warnings: list[str] = []
    candidates: list[str] = []
    declared = _declared_charset(data[:DEFAULT_CHARSET_PRESCAN])
    if declared is not None:
        encoding = _CHARSET_ALIASES.get(declared.lower(), declared.lower())
        try:
            codecs.lookup(encoding)
            candidates.append(encoding)
        except LookupError:
            warnings.append(
                f"{name}: the page declares an unknown charset {declared!r}; tried UTF-8 and GB18030."
            )
    candidates += [e for e in ("utf-8", "gb18030") if e not in candidates]
    errors: list[str] = []
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding}: {exc.reason} at byte {exc.start}")
            continue
        if declared is not None and errors and encoding != candidates[0]:
            warnings.append(
                f"{name}: the page declares charset {declared} but is not valid {candidates[0]}; "
                f"decoded as {encoding}."
            )
        return text, encoding, warnings
    raise DamagedInput(
        f"{name}: cannot decode the page as {', '.join(candidates)} ({'; '.join(errors)}); "
        "save it again from the browser as UTF-8."
    )


def _declared_charset(head: bytes) -> str | None:
    for pattern in (_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            return match.group(1).decode("ascii", "ignore").strip(".:") or None
    return None


# ---------------------------------------------------------------- finding the body


def _cjk_outside_links(node: Any) -> int:
    """Chinese characters in a node's text that is not link text (navigation is links)."""
    total = _count_cjk(node.text(deep=True))
    for link in node.css("a"):
        total -= _count_cjk(link.text(deep=True))
    return total


def _count_cjk(text: str) -> int:
    return len(_CJK.findall(text))


def find_article(root: Any) -> Any | None:
    """Return the element holding the article body, or None when the page has no Chinese text."""
    scores: dict[int, int] = {}
    nodes: dict[int, Any] = {}
    for node in root.traverse(include_text=True):
        if node.tag != "-text":
            continue
        count = _count_cjk(node.text_content or "")
        if not count:
            continue
        block, skipped = _text_block_of(node)
        if skipped or block is None:
            continue
        # Credit the block and its parent, so a container of many <p>s outscores any one <p>.
        for credited in (block, block.parent):
            if credited is not None:
                scores[credited.mem_id] = scores.get(credited.mem_id, 0) + count
                nodes[credited.mem_id] = credited
    if not scores:
        return None
    depth = {mem_id: _depth(node) for mem_id, node in nodes.items()}
    best_id = max(scores, key=lambda k: (scores[k], depth[k]))
    best = nodes[best_id]
    best_cjk = _cjk_outside_links(best)
    best_ancestors = {id_ for id_ in _ancestor_ids(best)}
    for selector in DEFAULT_BODY_SELECTORS:
        for candidate in root.css(selector):
            if candidate.tag in ("body", "html"):
                continue
            if candidate.mem_id == best.mem_id or candidate.mem_id in best_ancestors:
                return candidate
            if best.mem_id in _ancestor_ids(candidate) and _cjk_outside_links(candidate) >= (
                DEFAULT_MIN_CONTAINER_SHARE * best_cjk
            ):
                return candidate
    while best.parent is not None and best.parent.tag not in ("body", "html"):
        if _cjk_outside_links(best.parent) > DEFAULT_EXPAND_SHARE * best_cjk:
            break
        best = best.parent
    return best


def _text_block_of(node: Any) -> tuple[Any | None, bool]:
    """Return the innermost running-text block around a text node, and whether it is skipped/link text."""
    block = None
    current = node.parent
    while current is not None:
        tag = current.tag
        if tag in _SKIP_TAGS or tag == "a":
            return None, True
        if block is None and tag in _TEXT_BLOCK_TAGS:
            block = current
        current = current.parent
    return block, False


def _ancestor_ids(node: Any) -> set[int]:
    ids = set()
    current = node.parent
    while current is not None:
        ids.add(current.mem_id)
        current = current.parent
    return ids


def _depth(node: Any) -> int:
    return len(_ancestor_ids(node))


def _drop_boilerplate(body: Any) -> None:
    """Remove share bars, breadcrumbs and link lists that CMS templates put inside the body container."""
    doomed: list[Any] = []
    doomed_ids: set[int] = set()
    for node in body.traverse():
        if node.mem_id == body.mem_id or not node.is_element_node:
            continue
        if _ancestor_ids(node) & doomed_ids:
            continue  # inside a box already removed
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _BOILERPLATE.search(marks):
            doomed.append(node)
            doomed_ids.add(node.mem_id)
        elif node.tag in ("ul", "ol", "div"):
            links = node.css("a")
            if len(links) >= DEFAULT_LINK_BOX_MIN_LINKS:
                total = len(_HTML_SPACE.sub("", node.text(deep=True)))
                linked = sum(len(_HTML_SPACE.sub("", a.text(deep=True))) for a in links)
                if total and linked >= DEFAULT_LINK_BOX_SHARE * total:
                    doomed.append(node)
                    doomed_ids.add(node.mem_id)
    for node in doomed:
        node.decompose()


# ---------------------------------------------------------------- linearising


def _walk(node: Any, out: _Builder, body: Any | None, pre: bool = False) -> None:
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
        elif not isinstance(tag, str) or tag.startswith("-") or tag in _SKIP_TAGS:
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
            paragraphs = [p for p in cell.css("p, div") if _count_cjk(p.text(deep=True)) > 20]
            heavy = len(paragraphs) >= 4 and _count_cjk(cell.text(deep=True)) > 300
            if heavy and (len(cells) == 1 or len(rows) <= 3):
                return True
    return False


def _table(table: Any, out: _Builder, body: Any | None) -> None:
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
    inner = _Builder()
    _walk(cell, inner, None)
    inner.flush()
    return " ".join(block.text for block in inner.blocks).strip()


# ---------------------------------------------------------------- metadata


def _meta_tags(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.css("meta"):
        key = (meta.attributes.get("name") or meta.attributes.get("property") or "").strip().lower()
        value = (meta.attributes.get("content") or "").strip()
        if key in _META_NAMES and value:
            field_name = _META_NAMES[key]
            found.setdefault(field_name, _clean_value(field_name, value))
    return found


def meta_from_line(text: str) -> dict[str, str] | None:
    """Parse a visible metadata line (来源：X　发布时间：Y　浏览次数：N); None if it is not one."""
    stripped = text.strip().lstrip("【[")
    matches = list(_LABEL.finditer(stripped))
    if not matches or matches[0].start() != 0:
        return None
    found: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(stripped)
        value = stripped[match.end() : end].strip().strip("【】[]|").strip()
        label = "".join(match.group(1).split())
        if len(value) > DEFAULT_MAX_META_VALUE:
            return None
        if label in _META_LABELS and value:
            found.setdefault(_META_LABELS[label], _clean_value(_META_LABELS[label], value))
    return found


def meta_from_cells(cells: Iterable[str]) -> dict[str, str] | None:
    """Parse a row of the 信息公开 table (索引号： | 3249… | 主题分类： | …); None if it is not one."""
    labels = {*_META_LABELS, *_NOISE_LABELS}
    parts = [cell.strip() + "：" if "".join(cell.split()) in labels else cell.strip() for cell in cells]
    if not any(parts):
        return None
    return meta_from_line("\u3000".join(parts))


def _clean_value(key: str, value: str) -> str:
    value = _HTML_SPACE.sub(" ", value).strip()
    if key in ("publish_date", "issue_date"):
        match = _DATE.search(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
    return value
