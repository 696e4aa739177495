"""Normalise lines from any reader into the logical lines the extractors read.

Steps, each for a quirk seen in real circulars:
- characters: Kangxi radicals (⼀⽂⾏, from PDF fonts that map CJK to the radical
  block), CJK compatibility ideographs, full-width digits and Latin letters,
  full-width space and the full-width full stop used as a decimal point;
- Markdown: `**emphasis**`, `#` headings, list bullets, pipe tables (rows become
  cells, separator rows are dropped);
- running page numbers (`- 3 -`, `— 3 —`, `第3页`) are dropped;
- whitespace-aligned table rows (`1      大安区     92.35`) become cells;
- whitespace next to CJK text is removed (`新 县` → `新县`, `仅 3 人` → `仅3人`);
- lines broken mid-sentence are joined (the real circular breaks `贯彻落` /
  `实工作` and `…双向互动，` / `扣 1 分；`, often with blank lines between); structural lines
  are never joined: headings, entry labels, grade lists, dates, table captions, attachment
  titles, the signature, and table cells printed one per line.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

import regex

from parsers.model import Line
from parsers.traditional import fold_lines

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
# A number cell: `92.35`, `95.5分`, `第1名`, `3（并列）`.
_NUMBER_CELL = regex.compile(r"第?[\d.]+(?:分|名)?(?:[（(]并列[)）])?")

# A physical line at least this long that stops without sentence-final punctuation was
# wrapped by the page, not ended by the author: PDF-derived text of the real circular
# breaks paragraphs at 20–40 characters; headings, signatures and table cells are shorter.
DEFAULT_MIN_WRAP_CHARS = 20

CJK = r"\p{Han}\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014"
_CJK_CHAR = regex.compile(rf"[{CJK}]")
# Plain character classes: the re module reads them as regex does, at a third of the cost per call.
_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}|\t")
_PAGE_NUMBER = regex.compile(
    r"^\s*(?:[-—–―－~·•]+\s*\d{1,4}\s*[-—–―－~·•]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|Page\s+\d+(?:\s+of\s+\d+)?)\s*$",
    regex.IGNORECASE,
)
# List marks: Markdown's need a space after them; the symbols copied from web and WeChat pages
# (`▲津城街道  得分99.5分`, `●（4）…扣0.5分`, fresh-F) often have none.
_BULLET_SYMBOLS = "•●▪◆■▲△▶►◇◦☆◎※✓✔"
_BULLET = regex.compile(rf"^\s*(?:[-*+]\s+|[{_BULLET_SYMBOLS}]\s*|#{{1,6}}\s+|>\s*)")
_EMPHASIS = regex.compile(r"\*\*(.+?)\*\*|__(.+?)__")
# Longest running page number line (`第 12 页 共 30 页` with spaces); longer lines are text.
_PAGE_NUMBER_MAX = 24
# The buttons under a WeChat or web article copied with it (`分享　收藏　　赞 18　　在看 6`, fresh-F):
# with their counts they line up like a table row.
_PAGE_CHROME = regex.compile(
    r"(?:(?:分享|收藏|点赞|赞|在看|转发|阅读原文|阅读|写留言|留言|打印|关闭窗口|返回顶部)[\d.万+]*)+"
)
_PAGE_CHROME_MAX = 40
_PAGE_CHROME_FIRST = frozenset("分收点赞在转阅写留打关返")
_MARKDOWN_HINT = regex.compile(rf"[*_]|^\s*(?:[-+#>{_BULLET_SYMBOLS}])")
# The marks _MARKDOWN_HINT starts a line with: the pattern, searched at every position, runs only on
# lines holding `*` or `_` or starting with one of these.
_MARKDOWN_FIRST = frozenset(f"-+#>{_BULLET_SYMBOLS}")
_PIPE_SEPARATOR = regex.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")

# Sentence-final punctuation: a line ending in one of these is not wrapped.
_TERMINAL = set("。；;：:！？!?")
# Endings that show the sentence goes on, whatever the line's length.
_CONTINUES = set("，,、（(“‘《〔【")
# An entry whose amount clause closes the line is complete even without a full stop
# (`(87) 县财政局未设立安全生产举报专项资金，扣 1 分` followed by the next unit's heading).
_ENDS_WITH_AMOUNT = regex.compile(r"(?:[扣减加]|计|共)[^，。；]{0,6}?\d+(?:\.\d+)?\s*分[)）]?$")
# Header lines end where they end (GB/T 9704): a title with its 文种 (`…情况的通报`, then the
# addressees), the 发文机关标志 `…办公室文件`, the 发文字号 `…〔2021〕58号`.
_ENDS_TITLE = regex.compile(
    r"(?:的(?:通报|通知|决定|意见|报告|请示|批复|函|公告|通告)|^关于.*(?:通报|通知|决定|意见)|文件"
    r"|[〔\[（(【]\s*\d{4}\s*[〕\]）)】]\s*\d{1,5}\s*号)$"
)
# A grade word, maybe a count of the units listed, and a colon: the start of a grade list (variants
# §1.4). The count names units as 个, or by their kind: schools 所 (fd-11 `优秀等次（8所）：`),
# firms 家, people 人/名.
# The grade may stand in quotes: k04 `三、“一般”等次（1个）：竹溪乡（78.6分）`.
_GRADE_LIST = (
    r"(?:评为|评定为)?[“\"「]?(?:基本合格|不合格|优秀|良好|较好|合格|一般|较差|先进|达标|不达标|基本达标)[”\"」]?"
    r"(?:等次|等级|单位)?\s*(?:[（(]\s*共?\s*[\d一二三四五六七八九十]+\s*[个所家人名][^（）()]{0,6}[）)])?\s*[:：]"
)
# The next line starts a new structural element, so the previous one cannot run on into it.
_STARTS_ELEMENT = regex.compile(
    r"^(?:[（(【\[〔]\s*\d{1,3}\s*[）)】\]〕]"  # (6) （6） 【6】
    r"|\d{1,3}\s*[.、．](?!\d)"  # 6. 6、
    r"|第\s*\d{1,3}\s*[项条]"  # 第6项
    r"|[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]"  # ⑥ ㉑ ㊱
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"  # 一、
    r"|[（(][一二三四五六七八九十]{1,3}[）)]"  # （一）
    r"|附件|附表|抄送|等级|发电单位|签发"
    r"|[12]\d{3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"  # 2022 年 8 月 9 日
    r"|[二〇○O零]{1}[〇○O零一二三四五六七八九]{3}年"
    # A grade list (variants §1.4): `优秀（4个）：A、B` / `良好：C` each start a list, even when
    # blank lines are all that separate them (fresh-06: one list per line, blank lines between).
    rf"|{_GRADE_LIST}"
    r"|\|)"
)
# The first characters of _STARTS_ELEMENT's branches, digits aside (an ordinal's bracket or numeral,
# 第, a circled number, 附/抄/等/发/签, a year's first numeral, a grade word, a pipe).
_ELEMENT_FIRST = frozenset(
    "（(【[〔第一二三四五六七八九十附抄等发签二〇○O零评基不优良较合先达|"
    + "".join(map(chr, [*range(0x2460, 0x2474), *range(0x3251, 0x3260), *range(0x32B1, 0x32C0)]))
)
# What the title and amount endings of continues_into end with (before `$`).
_TITLE_ENDINGS = ("通报", "通知", "决定", "意见", "报告", "请示", "批复", "函", "公告", "通告", "文件", "号")
# A line that is a grade list, maybe under an ordinal (`（一）优秀：A、B`).
_GRADE_LIST_LINE = regex.compile(
    rf"^(?:[（(][一二三四五六七八九十]{{1,3}}[）)]|[一二三四五六七八九十]{{1,3}}[、.．])?{_GRADE_LIST}"
)
# What may follow a grade list that stops without a separator: more names, up to the end of the
# line or of the sentence. A clause break (`，`) before that shows a new sentence, not names.
_LIST_GOES_ON = regex.compile(r"^[^，,：:。；;！？!?]*(?:[。；;！？!?]|$)")
# A date line (成文日期, GB/T 9704): `2023年3月20日`, `二〇二三年三月二日`.
_DATE_LINE = regex.compile(
    r"^(?:[12]\d{3}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[二〇○O零][〇○O零一二三四五六七八九]{3}年[一二三四五六七八九十]{1,2}月"
    r"[一二三四五六七八九十]{1,3}日)\s*$"
)
# A line that is only an organisation's name: the signature (发文机关署名) above the date, or one of
# several joint issuers. It never runs on from the line above (fresh-08: an attachment title, then
# `潜山市全面推行河长制工作领导小组办公室`, then `二〇二三年三月二日`).
_ORGANISATION_LINE = regex.compile(
    r"^[\p{Han}（）()·、]{2,40}(?:办公室|委员会|人民政府|政府|领导小组|指挥部|联席会议|局|委|厅|办|中心|党委|公司)$"
)
# Its endings, tested first: the pattern backtracks over the whole line, and this runs on every line.
_ORGANISATION_ENDINGS = (
    "办公室",
    "委员会",
    "政府",
    "领导小组",
    "指挥部",
    "联席会议",
    "局",
    "委",
    "厅",
    "办",
    "中心",
    "党委",
    "公司",
)
# An attachment's title ends its line when it closes a bracket (`附件：…考核细则（2023年修订）`,
# `附件：1.…得分表（12月份）`, `附件：《…办法》`): the next line is the next attachment or the signature.
_ATTACHMENT_TITLE_END = regex.compile(r"^附[件表].*[）)》」〕】]$")
# A table's caption ends in 表, maybe with its period (`各县区安全生产工作考核得分表（12 月份）`); the
# header cells follow on lines of their own (fb-01: one cell per line under the caption).
_TABLE_CAPTION = regex.compile(r"^[^，,。；;：:！？!?《“]{2,60}表(?:[（(][^（）()]{1,16}[）)])?$")
# A bare number (a rank or a score cell of a table printed one cell per line).
_BARE_NUMBER = regex.compile(r"^[+-]?\d+(?:\.\d+)?[%％]?$")
# A unit's name alone with a colon (`鹤垣县：`): the heading of that unit's list, never the rest of
# a sentence (r24: an attachment's caption without a full stop ran on into it, the unit lost).
_UNIT_COLON_HEADING = regex.compile(
    r"^\p{Han}{1,20}(?:县|区|市|旗|州|盟|镇|乡|街道|社区|村|场|园区|开发区|管委会|局|委|办)[：:]$"
)

_KANGXI = {c: unicodedata.normalize("NFKC", chr(c)) for c in (*range(0x2F00, 0x2FD6), *range(0x2E80, 0x2EF4))}
_TRANSLATE = {
    **{c: v for c, v in _KANGXI.items() if v != chr(c)},
    **{
        c: unicodedata.normalize("NFKC", chr(c))
        for c in range(0xF900, 0xFB00)
        if unicodedata.name(chr(c), "")
    },
    **{0xFF10 + i: chr(0x30 + i) for i in range(10)},  # full-width digits
    **{0xFF21 + i: chr(0x41 + i) for i in range(26)},  # full-width A-Z
    **{0xFF41 + i: chr(0x61 + i) for i in range(26)},  # full-width a-z
    0x3000: " ",  # ideographic space
    0x00A0: " ",
    0xFF0E: ".",  # full-width full stop, used as a decimal point in 0．5
    0xFF05: "%",
    0xFF0B: "+",
    0xFF0D: "-",
    0xFF0F: "/",
    0xFE0F: None,
    0x200B: None,  # zero-width space (web copies)
    0x200C: None,
    0x200D: None,
    0xFEFF: None,  # BOM inside text
}


# Whether a text holds any code point to map: str.translate looks every character up in a dict,
# and most lines of a circular hold none (a search in C is ten times cheaper).
def _code_point_class(codes: Iterable[int]) -> str:
    """A character class of code points written as ranges (a class of 762 single characters is slow)."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]"


_TO_TRANSLATE = re.compile(_code_point_class(_TRANSLATE))


def normalize_chars(text: str) -> str:
    """Map look-alike code points to the ordinary characters (see module docstring)."""
    return text.translate(_TRANSLATE) if _TO_TRANSLATE.search(text) else text


def collapse_spaces(text: str) -> str:
    """Remove whitespace next to CJK text; fold other runs to one space.

    A run of spaces goes when the character before it or the one after it is CJK, else it
    becomes one space. Split at the runs once and look at their two neighbours, instead of a
    pattern with a look-behind tried at every position (a PDF's justified CJK lines are full of
    spaces between glyphs: most lines of a circular come here).
    """
    parts = _SPACE_RUN.split(text)
    if len(parts) == 1:
        return text.strip()
    out = [parts[0]]
    for before, after in itertools.pairwise(parts):
        if not (_is_cjk(before[-1:]) or _is_cjk(after[:1])):
            out.append(" ")
        out.append(after)
    return "".join(out).strip()


def _is_cjk(char: str) -> bool:
    """Whether a character (or "") is in the CJK class; the common blocks answered without the pattern."""
    if char < "\u2014":  # below the class's lowest character (\p{Han} starts at U+2E80): ASCII, Latin
        return False
    if "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef":
        return True
    return _CJK_CHAR.match(char) is not None


_WHITESPACE = regex.compile(r"\s+")
# A plain character class: the re module reads it as regex does, at a third of the cost per call.
_SPACE_RUN = re.compile(r"[ \t\u00a0]+")


def squash(text: str) -> str:
    """Remove all whitespace (unit names, numbers in cells)."""
    # str.split() splits on the same Unicode whitespace as \s, several times faster than a regex.
    return "".join(text.split())


# What a running page number starts with (after spaces): a dash, 第, P of Page, or a digit.
_PAGE_NUMBER_FIRST = frozenset("-—–―－~·•第Pp")


def is_page_number(text: str) -> bool:
    """True for running page numbers: `- 3 -`, `— 3 —`, `第3页`, `第 3 页 共 5 页`, `3/5`."""
    head = text.lstrip()[:1]  # str.strip's whitespace takes in every \s
    # \d is any decimal digit; the regex module also knows astral digits newer than Python's tables.
    if not (head in _PAGE_NUMBER_FIRST or head.isdecimal() or head >= "\U00010000"):
        return False
    return bool(_PAGE_NUMBER.match(text))


def strip_markdown(text: str) -> str:
    """Drop Markdown emphasis, headings and list bullets."""
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return _BULLET.sub("", text, count=1)


def pipe_row_cells(text: str) -> tuple[str, ...] | None:
    """Cells of a Markdown pipe row `| a | b |`, or None when the line is not one."""
    stripped = text.strip()
    if not (stripped.startswith("|") and stripped.count("|") >= 2):
        return None
    inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
    return tuple(_WHITESPACE.sub(" ", c).strip() for c in inner.split("|"))


def aligned_cells(text: str) -> tuple[str, ...] | None:
    """Cells of a whitespace-aligned table row (columns apart by 2+ spaces or a tab).

    Needs three cells, or two of which one is a number, so that prose with a stray
    double space stays prose.
    """
    parts = [p.strip() for p in _MULTI_SPACE.split(text.strip()) if p.strip()]
    if len(parts) >= 3 or (len(parts) == 2 and any(_NUMBER_CELL.fullmatch(squash(p)) for p in parts)):
        return tuple(_WHITESPACE.sub(" ", p) for p in parts)
    return None


def _single_spaced(text: str) -> str:
    """Whitespace runs folded to one space, the ends stripped.

    A cell that is printable (no whitespace but the space: \\s holds no other printable
    character), with no two spaces together and none at its ends, is already so: most cells of
    a ruled table, given back without the pattern.
    """
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    return _WHITESPACE.sub(" ", text).strip()


def cells_to_text(cells: Iterable[str]) -> str:
    """Render cells as the Markdown row every reader uses for table rows."""
    return "| " + " | ".join(cells) + " |"


def normalize_line(line: Line) -> Line | None:
    """Normalise one line; None when it carries nothing (page number, table rule)."""
    text = normalize_chars(line.text)
    # Each pattern below runs only when the line holds the character it needs: most lines of a
    # circular are plain CJK prose, and this runs on every line of an archive.
    if not text.strip() or (len(text) <= _PAGE_NUMBER_MAX and is_page_number(text)):
        return None
    if (
        len(text) <= _PAGE_CHROME_MAX
        and text.lstrip()[:1] in _PAGE_CHROME_FIRST
        and _PAGE_CHROME.fullmatch(squash(text))
    ):
        return None
    cells = line.cells
    if cells is not None:
        cells = tuple(_single_spaced(normalize_chars(c)) for c in cells)
    elif "-" in text and _PIPE_SEPARATOR.match(text):
        return None
    else:
        cells = pipe_row_cells(text) if "|" in text else None
        if cells is None:
            if ("*" in text or "_" in text or text.lstrip()[:1] in _MARKDOWN_FIRST) and _MARKDOWN_HINT.search(
                text
            ):
                text = strip_markdown(text)
                if is_page_number(text):
                    return None
            cells = aligned_cells(text) if ("  " in text or "\t" in text) else None
    if cells is not None:
        # Emphasis needs `**` or `__`: most cells have neither, and the pattern scans each one.
        cells = tuple(
            _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), c) if ("**" in c or "__" in c) else c
            for c in cells
        )
        if not any(cells):
            return None
        return line.with_cells(cells_to_text(cells), cells)
    if " " in text or "\t" in text:
        text = collapse_spaces(text)
    else:
        text = text.strip()
    if not text:
        return None
    if ("名" in text or "人" in text) and ("：" in text or ":" in text):
        text = without_head_count(text)
    return line.with_text(text)


# `机关第一党支部（党员23名）：“三会一课”记录不完整，扣1分；…` (a Party branch, its members counted after
# its name): the count belongs to no unit's name, and with it there the name read as no unit at all
# (digits are no part of a name), so no branch's result was read.
_HEAD_COUNT = regex.compile(
    r"^(?P<name>(?:[（(]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})[)）、.．]\s*)?\p{Han}{2,24}?)"
    r"[（(](?:党员|职工|干部|人员|在职|在册|在编|共有?)?\s*\d{1,5}\s*[名人][^（）()\d]{0,4}[)）]\s*(?=[：:])"
)


def without_head_count(text: str) -> str:
    """`X（党员23名）：…` → `X：…`: a head count in brackets between a line's opening name and its
    colon taken out (the line's `raw` keeps it)."""
    return _HEAD_COUNT.sub(lambda m: m.group("name"), text, count=1)


def continues_into(a: Line, b: Line, after: Line | None = None) -> bool:
    """Whether line `a` was broken mid-sentence and `b` carries on its text.

    `after` is the line below `b`, when known: a signature is told by the date under it.
    """
    if a.cells is not None or b.cells is not None:
        return False
    if a.wrapped is False:
        return False
    if _MULTI_SPACE.search(a.raw_text.rsplit("\n", 1)[-1].strip()):
        # A physical line with a column gap is a table row, whatever its length: rows do not
        # wrap into the next line (a PDF's `第1名    信阳市浉河区    95.5分` reaches the margin).
        return False
    if _starts_element(b.text):
        return False
    if (
        " " in b.raw_text
        and _is_text_row(b.raw_text)
        and _is_text_row(a.raw_text.rsplit("\n", 1)[-1], header=True)
    ):
        return False
    if b.text.endswith("|") or _last_physical_line(a).endswith("|"):
        # A table cell printed one per line ending in ` |` (field-survey §1): never part of a
        # sentence, nor is a caption above it (r24 `…考核得分` over `序号 |`).
        return False
    if (
        after is not None
        and b.text.endswith(_ORGANISATION_ENDINGS)
        and _ORGANISATION_LINE.match(b.text)
        and (_DATE_LINE.match(after.text) or _ORGANISATION_LINE.match(after.text))
    ):
        return False  # the signature (or one of joint issuers') above the date
    if a.wrapped is True:
        return True
    last = a.text[-1]
    # `$` may stand before a final newline: the endings are looked for in the text without it.
    ending = a.text[:-1] if a.text.endswith("\n") else a.text
    if (
        last in _TERMINAL
        or (ending.endswith(("分", "分)", "分）")) and _ENDS_WITH_AMOUNT.search(a.text))
        or (ending.endswith(_TITLE_ENDINGS) and _ENDS_TITLE.search(a.text))
    ):
        return False
    if (a.text.endswith(("表", "）", ")")) and _TABLE_CAPTION.match(a.text)) or (
        a.text.startswith("附") and _ATTACHMENT_TITLE_END.match(a.text)
    ):
        return False
    if last in _CONTINUES:
        return True
    # A grade list ends its element unless the next line carries on its names: fd-11 prints
    # `优秀等次（8所）：A、…、H` with no full stop, then a blank line and the paragraph `希望受到表扬的单位
    # 珍惜荣誉、再接再厉，…`, which the length rule below would run on into the list.
    if _GRADE_LIST_LINE.match(a.text) and not _LIST_GOES_ON.match(b.text):
        return False
    if _BARE_NUMBER.match(b.text):
        return False  # a rank or a score cell on a line of its own, not the rest of a sentence
    if b.text.endswith(("：", ":")) and _UNIT_COLON_HEADING.match(b.text):
        return False  # a unit's heading after a line that did not stop mid-clause (r24)
    # The physical line that ends `a` decides, not all of `a`: once a long line has been joined,
    # the short lines after it (fb-01: `排名` / `县区` / `得分` / `1` / `新 县` / `94.5`, one table
    # cell per line) must not run on into it one by one.
    return len(_last_physical_line(a)) >= DEFAULT_MIN_WRAP_CHARS


_NAME_TOKEN = regex.compile(r"\p{Han}{2,}")


def _is_text_row(raw: str, *, header: bool = False) -> bool:
    """A table row printed as text with single spaces between its cells (x04: `序号 单位 日常考核（40%）
    年终考核（60%） 综合得分 排名` / `1 城关镇 96.5 95.0 95.6 3`): three cells or more, a name among
    them (glyph-by-glyph justified text has single characters only), no sentence punctuation, and
    two numbers unless it is the header. Rows do not wrap into one another."""
    if any(mark in raw for mark in "，。；：,;"):
        return False  # a sentence (`扣 1 分；`), not cells
    tokens = raw.split()
    if len(tokens) < 3 or not any(_NAME_TOKEN.match(t) for t in tokens):
        return False
    return header or sum(1 for t in tokens if _NUMBER_CELL.fullmatch(t)) >= 2


def _starts_element(text: str) -> bool:
    head = text[:1]
    # \d is any decimal digit; the regex module also knows astral digits newer than Python's tables.
    if not (head in _ELEMENT_FIRST or head.isdecimal() or head >= "\U00010000"):
        return False
    return _STARTS_ELEMENT.match(text) is not None


def _last_physical_line(line: Line) -> str:
    """The text of the last physical line of a (possibly joined) line, whitespace removed."""
    if "\n" not in line.raw_text:
        return line.text
    return squash(normalize_chars(line.raw_text.rsplit("\n", 1)[-1]))


def join_lines(a: Line, b: Line) -> Line:
    """Join a wrapped line with its continuation, keeping provenance of both."""
    sep = (
        " "
        if (a.text[-1].isascii() and a.text[-1].isalnum() and b.text[0].isascii() and b.text[0].isalnum())
        else ""
    )
    bbox = a.bbox
    if a.bbox and b.bbox and a.page == b.page:
        bbox = (
            min(a.bbox[0], b.bbox[0]),
            min(a.bbox[1], b.bbox[1]),
            max(a.bbox[2], b.bbox[2]),
            max(a.bbox[3], b.bbox[3]),
        )
    confidence = min((c for c in (a.confidence, b.confidence) if c is not None), default=None)
    return Line(
        a.text + sep + b.text,
        a.line_no,
        b.last_line,
        a.page,
        bbox,
        a.cells,
        confidence,
        b.wrapped,
        a.raw_text + "\n" + b.raw_text,
    )


def rows_without_outer_pipes(lines: list[Line]) -> list[Line]:
    """Markdown rows typed without their outer pipes (` 竹林街道 | 99 `, `甲 | 1 |`) under a pipe row of
    as many cells: rows of that table, as GFM reads them (gold set u: tables pasted into .md by hand).

    Only under a row that was typed with a leading pipe, so prose with a `|` in it stays prose.
    """
    out: list[Line] = []
    in_table = False  # the line above is a row of a pipe table
    for line in lines:
        raw = line.raw_text
        if line.cells is not None and raw.lstrip().startswith("|"):
            in_table = True
        # The row may have been taken for a whitespace-aligned one (` 乙街道 | 98.5 |  2`: two cells
        # apart by two spaces): its pipes are what separate its cells.
        elif in_table and "|" in raw and out[-1].cells is not None:
            cells = tuple(_WHITESPACE.sub(" ", c).strip() for c in raw.strip().strip("|").split("|"))
            in_table = len(cells) == len(out[-1].cells) and all(cells)
            if in_table:
                line = line.with_cells(cells_to_text(cells), cells)
        else:
            in_table = False
        out.append(line)
    return out


# A row pasted from a spreadsheet: cells apart by single tabs, no run of spaces.
_TAB_ROW = re.compile(r"[^\t]*\t[^\t]*\t.*")


def _tab_fields(raw: str) -> list[str] | None:
    """A pasted row's fields, empty ones kept; None when the line is no tab row."""
    text = raw.rstrip("\r\n")
    if "  " in text or not _TAB_ROW.fullmatch(text):
        return None
    return [_single_spaced(normalize_chars(field)) for field in text.split("\t")]


def tab_rows_with_empty_cells(lines: list[Line]) -> list[Line]:
    """Rows pasted from a spreadsheet into a .txt keep their empty cells where they stand (a matrix's
    blank items, `乙乡\t\t2\t—\t1\t99\t1`; a two-row header `乡镇\t扣分情况\t\t\t加分…` over
    `\t一、组织领导（10分）\t…`): a tab is one column, not a gap to collapse.

    Only for a run of three or more tab rows with as many tabs each, whose empty cells stand in
    different columns on different rows: tabs typed to line up columns by eye leave the same gaps
    on every row, and those rows keep the gap-collapsing reading (aligned_cells).
    """
    out = list(lines)
    k = 0
    while k < len(out):
        fields = _tab_fields(out[k].raw_text) if out[k].cells is not None else None
        if fields is None:
            k += 1
            continue
        run = [fields]
        while k + len(run) < len(out) and out[k + len(run)].cells is not None:
            more = _tab_fields(out[k + len(run)].raw_text)
            if more is None or len(more) != len(fields):
                break
            run.append(more)
        gaps = {tuple(i for i, field in enumerate(row) if not field) for row in run}
        if len(run) >= 3 and len(gaps) > 1:
            for j, row in enumerate(run):
                out[k + j] = out[k + j].with_cells(cells_to_text(row), tuple(row))
        k += len(run)
    return out


def normalize_lines(lines: Iterable[Line]) -> list[Line]:
    """Normalise every line and join lines broken mid-sentence."""
    normalized = tab_rows_with_empty_cells(
        rows_without_outer_pipes([norm for line in lines if (norm := normalize_line(line)) is not None])
    )
    # A mirror site's traditional characters (field survey §6), before the joins read the text.
    normalized = fold_lines(normalized)
    out: list[Line] = []
    for i, norm in enumerate(normalized):
        after = normalized[i + 1] if i + 1 < len(normalized) else None
        if out and continues_into(out[-1], norm, after):
            out[-1] = join_lines(out[-1], norm)
        else:
            out.append(norm)
    return out
