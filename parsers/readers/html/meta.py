"""The page's own metadata from its <meta> tags; the visible 信息公开 labels are read by parsers.metadata.web."""

from __future__ import annotations

from typing import Any

from parsers.metadata.web import clean_value, label_alone, meta_from_cells, meta_from_line

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


def meta_tags(tree: Any) -> dict[str, str]:
    """The fields of the page's <meta> tags (ArticleTitle, PubDate, ContentSource ...)."""
    found: dict[str, str] = {}
    for meta in tree.css("meta"):
        key = (meta.attributes.get("name") or meta.attributes.get("property") or "").strip().lower()
        value = (meta.attributes.get("content") or "").strip()
        if key in _META_NAMES and value:
            field_name = _META_NAMES[key]
            found.setdefault(field_name, clean_value(field_name, value))
    return found


__all__ = ["label_alone", "meta_from_cells", "meta_from_line", "meta_tags"]
