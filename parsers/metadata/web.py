"""The 信息公开 block of a government web page: labelled fields above or beside the article.

Sites print it as a table (`索引号： | 0231/2024-00417 | 主题分类： | 农业`), a definition list
(`索引号` / `0231/2024-00417`), bullets (`• 发布机构：…`, `- 文号：…`) or one line (`来源：X　发布时间：
Y`); a text copy of the page keeps the same lines (field survey §6). Labels are spaced to the
width of the long ones (`文　　号：`), and mirror sites print them in traditional characters
(`發布機構：`), so labels are matched on the folded text and values taken as printed.

Keys: title, issuer (发布机构/发文机关), publish_date (发布日期), issue_date (成文日期),
generated_date (公文生成日期), doc_number (文号), remark (备注: some sites put the 文号 there),
source (来源), index_number (索引号), subject (主题分类), validity (有效性). Dates are ISO
(YYYY-MM-DD) when they parse.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import regex

from parsers.model import Line
from parsers.traditional import to_simplified

# A visible metadata value longer than this is prose that happens to start with 来源：.
DEFAULT_MAX_META_VALUE = 200

# Visible labels of the 信息公开 block and of the source line under the title.
LABELS = {
    "索引号": "index_number",
    "主题分类": "subject",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发布单位": "issuer",
    "发文机构": "issuer",
    "成文日期": "issue_date",
    "成文时间": "issue_date",
    # 公文生成日期 stands where 成文日期 does on some provincial templates.
    "公文生成日期": "generated_date",
    "生成日期": "generated_date",
    "发布日期": "publish_date",
    "发布时间": "publish_date",
    "公开日期": "publish_date",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发文文号": "doc_number",
    "备注": "remark",
    "有效性": "validity",
    "标题": "title",
    "信息名称": "title",
    "来源": "source",
    "信息来源": "source",
    "文章来源": "source",
}
# Labels that share those lines but carry nothing the pipeline uses.
NOISE_LABELS = (
    "浏览次数",
    "点击数",
    "访问次数",
    "阅读次数",
    "字体",
    "字号",
    "作者",
    "责任编辑",
    "编辑",
    "时效",
    "信息类别",
    "公开时限",
    "公开属性",
    "所属机构",
    "体裁分类",
    "组配分类",
    "信息分类",
    "公开方式",
    "公开范围",
    "公开形式",
    "废止日期",
    "主题词",
    "关键词",
    "分类",
)
_SPACED = {
    label: r"\s*".join(map(re.escape, label))
    for label in sorted([*LABELS, *NOISE_LABELS], key=len, reverse=True)
}
# Sites space short labels out to the width of the long ones (`文　　号：`, `来 源：`).
# A label ends at its colon, or at the bracket some templates print it in (`【发布时间】2024-03-07`).
_LABEL = re.compile(
    r"(?:^|(?<=[\s\u3000【\[|]))(" + "|".join(_SPACED.values()) + r")\s*(?:[：:]|[】\]]\s*[：:]?)"
)
# A label alone in its block (`<dt>索引号</dt>`, `<dt>发布机构：</dt>`): its value is the next block.
_LABEL_ALONE = re.compile(r"(" + "|".join(_SPACED.values()) + r")\s*[：:]?")
_LABEL_UNPUNCTUATED = re.compile(r"(?:^|(?<=[\s\u3000]))(" + "|".join(_SPACED.values()) + r")\s*")
# A list bullet before the label (`- 文号：`, `• 发布机构：`, `· 索引号：`).
_BULLET = re.compile(r"^\s*(?:[-–—•·●▪◆◇■□*]\s*)+")
# A 文号 in a 备注 value: a year in brackets and a serial (`柳应急〔2024〕21号`).
_NUMBER_LIKE = re.compile(r"[〔\[［（(【﹝]\s*(?:19|20)\d{2}\s*[〕\]］）)】﹞]\s*\d{1,5}\s*[号號]")
_HTML_SPACE = re.compile(r"[ \t\n\r\f\xa0]+")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_KEYS = ("publish_date", "issue_date", "generated_date")


# A label alone: its characters and a colon (t2s folds one Han character to one, spaces kept).
_LABEL_ALONE_MAX_CHARS = max(map(len, _SPACED)) + 1
# The first characters _printed may take off (a bullet of _BULLET, or 【 [).
_BULLET_OR_BRACKET = frozenset("-–—•·●▪◆◇■□*【[")
_HAN = regex.compile(r"\p{Han}")


def _printed(text: str) -> str:
    return _BULLET.sub("", text.strip()).lstrip("【[")


# Cached: split_labelled_lines asks of most lines several times (as a line, as a label alone, as
# the value after one), and each ask folds the line through OpenCC.
@functools.lru_cache(maxsize=8192)
def _matchable(text: str) -> tuple[str, str]:
    """(text as printed, text to match labels on): bullets and brackets off, traditional folded."""
    printed = _printed(text)
    folded = to_simplified(printed)
    # t2s maps one character to one: the value keeps the printed spelling at the same offsets.
    return (printed, folded) if len(folded) == len(printed) else (folded, folded)


def meta_from_line(text: str) -> dict[str, str] | None:
    """Parse a visible metadata line (来源：X　发布时间：Y　浏览次数：N); None if it is not one."""
    # What ends a label in _LABEL (t2s folds Han characters only, so the printed text has it too).
    if "：" not in text and ":" not in text and "】" not in text and "]" not in text:
        return None  # no label ends in the line
    printed, folded = _matchable(text)
    matches = list(_LABEL.finditer(folded))
    if not matches or matches[0].start() != 0:
        return None
    found: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(printed)
        value = printed[match.end() : end].strip().strip("【】[]|").strip()
        label = "".join(match.group(1).split())
        if len(value) > DEFAULT_MAX_META_VALUE:
            return None
        if LABELS.get(label) == "remark" and value and not _NUMBER_LIKE.search(value):
            return None  # `备注：…` in the body is a note on the results, not the page's 文号
        if label in LABELS and value:
            found.setdefault(LABELS[label], clean_value(LABELS[label], value))
    return found


def meta_from_unpunctuated(text: str) -> dict[str, str] | None:
    """Labels run into their values with no colon (`发文机关青禾县农业农村局`); None if not such.

    Only for text outside the article (the HTML reader's page chrome), and only for labels that
    name nothing else (`标题栏`, `来源于…` are no fields). Several pairs in one block are parted
    at a label after a space (`索引号 0012/2024-3　主题分类 农业`).
    """
    printed, folded = _matchable(text)
    starts = [m for m in _LABEL_UNPUNCTUATED.finditer(folded)]
    if not starts or starts[0].start() != 0 or _LABEL.search(folded):
        return None
    found: dict[str, str] = {}
    for match, following in zip(starts, [*starts[1:], None], strict=True):
        key = LABELS.get("".join(match.group(1).split()), "")
        value = printed[match.end() : following.start() if following else len(printed)].strip()
        if (key and key not in _PAIRED_KEYS) or not value or len(value) > DEFAULT_MAX_META_VALUE:
            return None
        if key:
            found.setdefault(key, clean_value(key, value))
    return found or None


def meta_from_cells(cells: Iterable[str]) -> dict[str, str] | None:
    """Parse a row of the 信息公开 table (索引号： | 3249… | 主题分类： | …); None if it is not one."""
    parts = [
        cell.strip() + "："
        if _label_key(cell) is not None and cell.strip()[-1:] not in "：:"
        else cell.strip()
        for cell in cells
    ]
    if not any(parts):
        return None
    return meta_from_line("\u3000".join(parts))


def label_alone(text: str) -> str | None:
    """The key of a block that is only a label (`索引号`, `发布机构：`); "" for a noise label; else None.

    A lone `备注` heads a note or a table column far more often than a 文号: it is no label here.
    """
    key = _label_key(text)
    return None if key == "remark" else key


@functools.lru_cache(maxsize=8192)
def _label_key(text: str) -> str | None:
    squashed = "".join(text.split())
    if len(squashed) > _LABEL_ALONE_MAX_CHARS and (
        squashed[0] not in _BULLET_OR_BRACKET or len("".join(_printed(text).split())) > _LABEL_ALONE_MAX_CHARS
    ):
        return None  # a line of prose: cheaper to count than to fold through OpenCC and match
    if not _HAN.search(text):
        # Every label is Han and t2s changes no other character: a figure or a code (`85.7`,
        # `0231/2024-00417`, a quarter of the cells OpenCC was given) can be no label.
        return None
    match = _LABEL_ALONE.fullmatch(_matchable(text)[1])
    if match is None:
        return None
    return LABELS.get("".join(match.group(1).split()), "")


def clean_value(key: str, value: str) -> str:
    """A value with whitespace folded; dates as ISO YYYY-MM-DD."""
    value = _HTML_SPACE.sub(" ", value).strip()
    if key in _DATE_KEYS:
        match = _DATE.search(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
    return value


# Labels whose value a text copy may print on the next line (a flattened 信息公开 table):
# `标题` or `来源` alone on a line is as likely a heading of the body.
_PAIRED_KEYS = frozenset(
    {
        "index_number",
        "issuer",
        "issue_date",
        "generated_date",
        "publish_date",
        "doc_number",
        "subject",
        "validity",
    }
)


def split_labelled_lines(lines: list[Line]) -> tuple[list[Line], dict[str, str]]:
    """Take the 信息公开 lines of a text copy out of `lines`: (other lines, their fields).

    A line counts when each of its physical lines is a labelled line (normalisation may have
    joined `- 索引号：…` with `- 发布机构：…`; the joined line keeps them apart in `raw`), when it
    is a table row of labels and values, or when it is a label alone (`发布机构`) and the next
    line its value (a table flattened one cell per line).
    """
    # The memo is per document: a page's lines, not every line ever seen.
    _matchable.cache_clear()
    _label_key.cache_clear()
    kept: list[Line] = []
    found: dict[str, str] = {}
    skip_next = False
    for k, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        parsed = _labelled_fields(line)
        if parsed is None and k + 1 < len(lines):
            parsed = _label_and_value(line, lines[k + 1])
            skip_next = parsed is not None
        if parsed is None:
            kept.append(line)
            continue
        for key, value in parsed.items():
            found.setdefault(key, value)
    return kept, found


def _labelled_fields(line: Line) -> dict[str, str] | None:
    """The fields of a line made only of labelled lines (or a row of label and value cells)."""
    if line.cells is not None:
        return meta_from_cells(line.cells)
    found: dict[str, str] = {}
    parts = 0
    for part in line.raw_text.split("\n"):  # a paragraph's first line most often settles it
        if not part.strip():
            continue
        parts += 1
        fields = meta_from_line(part)
        if fields is None:
            return None
        found.update((key, value) for key, value in fields.items() if key not in found)
    return found if parts else None


def _label_and_value(line: Line, value: Line) -> dict[str, str] | None:
    """`发布机构` / `某县农业农村局` on two lines: the field; None when they are not a pair."""
    if line.cells is not None or value.cells is not None:
        return None
    key = label_alone(line.text)
    if (
        key not in _PAIRED_KEYS
        or label_alone(value.text) is not None
        or meta_from_line(value.text) is not None
    ):
        return None
    if len(value.text) > DEFAULT_MAX_META_VALUE:
        return None
    return {key: clean_value(key, value.text)}
