"""The page's own metadata: <meta> tags and the visible 信息公开 labels (索引号, 发布机构, 文号 ...)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from parsers.readers.html.blocks import HTML_SPACE

# A visible metadata value longer than this is prose that happens to start with 来源：.
DEFAULT_MAX_META_VALUE = 200


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


def meta_tags(tree: Any) -> dict[str, str]:
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
    value = HTML_SPACE.sub(" ", value).strip()
    if key in ("publish_date", "issue_date"):
        match = _DATE.search(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
    return value
