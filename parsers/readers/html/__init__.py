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

import re
from dataclasses import replace

from parsers.metadata.web import (
    DEFAULT_MAX_META_VALUE,
    clean_value,
    label_alone,
    meta_from_cells,
    meta_from_line,
    meta_from_unpunctuated,
)
from parsers.model import EmptyInput, Line, ReadResult
from parsers.readers.html.article import drop_boilerplate, find_article
from parsers.readers.html.blocks import HTML_SPACE, Block, page_blocks
from parsers.readers.html.decode import HTML_MARKUP, decode_html
from parsers.readers.html.meta import meta_tags


def read_html(data: bytes, name: str) -> ReadResult:
    """Read a government web page into body Lines and web metadata.

    Raises:
        EmptyInput: no bytes, or a page without text.
        UnsupportedInput: the bytes are binary (a PDF, DOCX, image... named .html).
        DamagedInput: the bytes decode in none of the declared charset, UTF-8 and GB18030.
    """
    text, encoding, warnings = decode_html(data, name)
    if not HTML_MARKUP.search(text):
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
    web_meta = meta_tags(tree)
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        raise EmptyInput(f"{name}: the page has no body; nothing to read.")
    body = find_article(root)
    if body is not None:
        drop_boilerplate(body)
    blocks = page_blocks(root, body)

    visible, lines = _split_page_meta(blocks, body is not None)
    web_meta.update(visible)
    if "title" not in web_meta:
        title = tree.css_first("title")
        if title is not None and title.text().strip():
            web_meta["title"] = title_of_page(title.text())
    if body is not None and lines:
        lines = _with_title(lines, blocks, web_meta.get("title"))
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


def _split_page_meta(blocks: list[Block], has_body: bool) -> tuple[dict[str, str], list[Line]]:
    """(The page's visible metadata, the body's lines): label blocks anywhere go to the metadata.

    A label alone in its block (`<dt>索引号</dt>` / `<dd>…</dd>`) takes the next block as its value.
    """
    visible: dict[str, str] = {}
    lines: list[Line] = []
    pending: str | None = None
    number = 0
    for block in blocks:
        if not block.text and block.cells is None:
            # An empty paragraph: no line, but its place counts, as a blank line's does in a text file.
            number += 1 if lines else 0
            continue
        if pending is not None and block.cells is None and label_alone(block.text) is None:
            if pending and len(block.text) <= DEFAULT_MAX_META_VALUE:
                visible.setdefault(pending, clean_value(pending, block.text))
            pending = None
            continue
        pending = label_alone(block.text) if block.cells is None else None
        if pending is not None:
            continue
        found = meta_from_cells(block.cells) if block.cells is not None else meta_from_line(block.text)
        if found is not None:
            for key, value in found.items():
                visible.setdefault(key, value)
            continue
        if has_body and not block.in_body:
            # Outside the article, a label run into its value (`<span>发文机关</span><em>X</em>`).
            for key, value in (meta_from_unpunctuated(block.text) or {}).items():
                visible.setdefault(key, value)
            continue
        number += 1
        lines.append(Line(text=block.text, line_no=number, cells=block.cells, wrapped=block.wrapped))
    return visible, lines


# A circular's title among the parts of a <title>: `关于…的通报`, or a name ending in its 文种.
_CIRCULAR_TITLE = re.compile(r"关于|關於|(?:通报|通報|通知|决定|決定|意见|意見|报告|報告)$")


def title_of_page(text: str) -> str:
    """The article title in a page's <title>: "article_site", "site - article" or "article | site".

    The part that reads as a circular's title wins (`望川区城市管理局 - 关于12月份…的通报`); else
    the first part, where most templates put the article.
    """
    parts = [p for p in re.split(r"\s*(?:_|\s-\s|\|)\s*", text.strip()) if p]
    found = next((p for p in parts if _CIRCULAR_TITLE.search(p)), parts[0] if parts else text.strip())
    # Many CMS templates join the two with a bare hyphen (`关于3月份…的通报-东港区人民政府`); a hyphen
    # inside a title (`2024-2025学年`, `1-6月`) is kept: only a site name after the 文种 goes.
    bare = _SITE_AFTER_HYPHEN.match(found)
    return bare.group(1) if bare else found


_SITE_AFTER_HYPHEN = re.compile(
    r"^(.*(?:通报|通報|通知|决定|決定|意见|意見|报告|報告))\s*[-－—]+\s*[^-－—]+$"
)


def _with_title(lines: list[Line], blocks: list[Block], title: str | None) -> list[Line]:
    """Put the article's heading first when the template prints it above the body container.

    TRS and Hanweb templates often show the title in an <h1> beside the container of the
    paragraphs (<div class="article"><h1>…</h1><div class="article-content">…), so the body
    alone would start with the addressees.
    """
    if not title:
        return lines
    key = HTML_SPACE.sub("", title)
    # The body may print the title over several <br>-separated lines (issuer, then 关于…).
    if key in HTML_SPACE.sub("", "".join(line.text for line in lines[:6])):
        return lines
    first_body = next((i for i, block in enumerate(blocks) if block.in_body), None)
    if first_body is None:
        return lines
    for block in reversed(blocks[:first_body]):
        if block.cells is None and HTML_SPACE.sub("", block.text) == key:
            heading = Line(text=block.text, line_no=1, wrapped=False)
            return [heading, *(replace(line, line_no=line.line_no + 1) for line in lines)]
    return lines


__all__ = ["decode_html", "find_article", "meta_from_cells", "meta_from_line", "read_html"]
