"""Find the article body of a government CMS page and drop the boilerplate inside it."""

from __future__ import annotations

import re
from typing import Any

from parsers.metadata.web import meta_from_line
from parsers.readers.html.blocks import HTML_SPACE, SKIP_TAGS, count_cjk

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


def _cjk_outside_links(node: Any) -> int:
    """Chinese characters in a node's text that is not link text (navigation is links)."""
    total = count_cjk(node.text(deep=True))
    for link in node.css("a"):
        total -= count_cjk(link.text(deep=True))
    return total


def find_article(root: Any) -> Any | None:
    """Return the element holding the article body, or None when the page has no Chinese text."""
    scores: dict[int, int] = {}
    nodes: dict[int, Any] = {}
    is_meta: dict[int, bool] = {}
    for node in root.traverse(include_text=True):
        if node.tag != "-text":
            continue
        count = count_cjk(node.text_content or "")
        if not count:
            continue
        block, skipped = _text_block_of(node)
        if skipped or block is None:
            continue
        # A short notice's 信息公开 bullets (• 索引号：… • 发布机构：…) can hold more Chinese
        # than its article (w17): a metadata line is not article text, whatever its length. The
        # line is the text's own element (an <li>, <dd>, <span>), which need not be a text block.
        holder = node.parent
        if holder is not None and holder.mem_id not in is_meta:
            is_meta[holder.mem_id] = bool(meta_from_line(holder.text(deep=True)))
        if holder is not None and is_meta[holder.mem_id]:
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
        if tag in SKIP_TAGS or tag == "a":
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


def drop_boilerplate(body: Any) -> None:
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
                total = len(HTML_SPACE.sub("", node.text(deep=True)))
                linked = sum(len(HTML_SPACE.sub("", a.text(deep=True))) for a in links)
                if total and linked >= DEFAULT_LINK_BOX_SHARE * total:
                    doomed.append(node)
                    doomed_ids.add(node.mem_id)
    for node in doomed:
        node.decompose()
