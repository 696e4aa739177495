"""Document metadata of a circular: the GB/T 9704 elements plus the assessed period.

Fields (Chinese terms once): `doc_number` 发文字号, `issuer` 发文机关, `title` 标题,
`doc_type` 文种, `urgency` 紧急程度, `marking` 密级/明电标识, `addressees` 主送机关,
`issue_date` 成文日期, `period_*` 考核期间, `base_score` 基础分, `attachments` 附件说明,
`doc_class` result / rubric / other.

Everything works on normalised lines (`parsers.normalize.normalize_lines`). The layout of a
circular is found once (`find_layout`): the header block above the title (份号, 密级, 紧急程度,
发文机关标志, 发文字号 — GB/T 9704 §7.2), the title, the addressee line, the opening
paragraph, and the signature/date block that closes the body (§7.3.5). Each field is read from
the part of the layout where GB/T 9704 puts it, so a number or date quoted in the narrative
(`根据《…》（X〔2021〕3号）`, `10月16日至19日`) is never mistaken for the circular's own.

Section numbers in comments (§5 Metadata, §1 Document shapes, §4 Bases, §7 Text artefacts)
refer to the variant categories in ../shared/corpus/variants.md.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field

import regex

from parsers.model import Line
from parsers.normalize import collapse_spaces

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
_SENTENCE_END = regex.compile(r"(?<=[。；])")
_TABLE_CAPTION_END = regex.compile(r"[表单][（(][^）)]*[）)]$")

# The header block, title and addressees of a circular sit in its first lines; a title
# further down than this is a heading inside an attachment, not the document's title.
DEFAULT_HEADER_SCAN_LINES = 15
# Longest plausible title (characters, after whitespace removal). The longest seen in the
# family is ~60; anything longer is a narrative sentence that happens to contain 关于…的通报.
DEFAULT_MAX_TITLE_CHARS = 90
# A title split over physical lines (drawn PDFs, scans) is rejoined from at most this many.
DEFAULT_MAX_TITLE_LINES = 3
# The score a unit starts from when the document states none (§4: base 100 is usual).
DEFAULT_BASE_SCORE = 100.0
# Opening paragraphs read for the period (before the first `一、` heading).
DEFAULT_INTRO_LINES = 4

DOC_TYPES = ("通报", "通知", "决定", "意见", "报告", "请示", "批复", "函", "公告", "通告", "纪要",
             "命令", "议案", "公报", "决议", "细则", "办法", "方案", "规定")
URGENCIES = ("特急", "加急", "平急")
MARKINGS = ("内部明电", "明电", "密电", "绝密", "机密", "秘密", "内部")

# Suffixes of an issuing body's name (发文机关); used to tell a signature line from a heading.
_ORG_SUFFIX = (r"(?:办公室|委员会|委|办|局|厅|部|署|院|政府|支队|大队|总队|指挥部|领导小组|小组|中心"
               r"|联席会议|会议|公司|集团|党组|工作组|督导组|站|所|处|科|队|组|会|庭)")
_ORG = regex.compile(rf"^[\p{{Han}}（）()·]{{2,40}}{_ORG_SUFFIX}$")

_TYPE_END = regex.compile(rf"(?:{'|'.join(DOC_TYPES)})$")
_HEADING = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])")

# ---------------------------------------------------------------- doc number (发文字号)
# Brackets seen around the year (§5 `〔2022〕`, `[2023]`, `（2023）`; §7 OCR reads 〔 as [ and
# web copies use the small ﹝﹞); either one may be lost or replaced by a different kind.
_OPEN = r"[〔\[［（(【﹝〖〘{]"
_CLOSE = r"[〕\]］）)】﹞〗〙}]"
_DOC_NUMBER = regex.compile(
    rf"(?P<code>[\p{{Han}}A-Za-z]{{1,20}}?)\s*"
    rf"(?:(?P<open>{_OPEN})\s*(?P<year>(?:19|20)\d{{2}})\s*(?P<close>{_CLOSE})?"
    rf"|(?P<open1>[1lI|])(?P<year1>(?:19|20)\d{{2}})\s*{_CLOSE}"  # §7: 〔 OCR'd as 1 or l
    rf"|(?P<year2>(?:19|20)\d{{2}})\s*(?P<close2>{_CLOSE})?)"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
# Words that can precede the number on its line (`等级 加急 X〔Y〕N号`, `文号：…`) and are not
# part of the issuer code.
_NUMBER_PREFIX = regex.compile(
    r"^(?:等级|紧急程度|发文字号|文号|字号|[:：]|" + "|".join(URGENCIES + MARKINGS) + ")+"
)
# What may follow the number on its line: the signer (签发人, GB/T 9704 §7.2.6) or nothing.
_NUMBER_TAIL = regex.compile(r"^(?:签发人.*|签批.*|[\s　]*)$")
_KINDS = ("明电", "密电", "函")


@dataclass(slots=True)
class DocNumber:
    """A 发文字号 such as 信安委办明电〔2022〕1号."""

    text: str
    """Canonical form with 〔〕 around the year, as the gold stores it."""
    issuer_code: str
    """机关代字: 信安委办."""
    kind: str | None
    """明电 / 函 / None."""
    year: int
    serial: int
    line_no: int


@dataclass(slots=True)
class Period:
    """The period a circular assesses (考核期间), as printed and as dates."""

    label: str
    start: datetime.date | None
    end: datetime.date | None
    line_no: int


@dataclass(slots=True)
class Metadata:
    """Everything the documents table records about one circular."""

    doc_class: str
    doc_number: DocNumber | None
    issuer: str | None
    title: str | None
    doc_type: str | None
    urgency: str | None
    marking: str | None
    addressees: list[str]
    issue_date: datetime.date | None
    period_start: datetime.date | None
    period_end: datetime.date | None
    period_label: str | None
    base_score: float
    attachments: list[str]
    lines: dict[str, int] = field(default_factory=dict)
    """Field name -> line_no where it was found (provenance)."""


@dataclass(slots=True)
class Layout:
    """Where the GB/T 9704 parts of a circular are, as indexes into the line list."""

    title_start: int | None
    title_end: int | None
    """Inclusive index of the title's last line."""
    addressee: int | None
    body_start: int
    """First index after the title/addressee block."""
    intro_end: int
    """Index of the first `一、` heading (exclusive end of the opening paragraphs)."""
    date: int | None
    """The 成文日期 line (GB/T 9704 §7.3.5), which closes the body."""
    header_limit: int = 0
    """End of the header block when there is no title (the addressee line or first paragraph)."""

    @property
    def header_end(self) -> int:
        """Exclusive end of the header block above the title."""
        return self.title_start if self.title_start is not None else self.header_limit


def _squash(text: str) -> str:
    return "".join(text.split())


def _prose(lines: list[Line]) -> list[tuple[int, Line]]:
    return [(i, ln) for i, ln in enumerate(lines) if ln.cells is None]


# ---------------------------------------------------------------- dates
_CN_DIGITS = {"〇": 0, "○": 0, "O": 0, "o": 0, "0": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = r"[一二三四五六七八九十]{1,3}"
_DATE_ARABIC = regex.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
# §5: `二〇二三年三月五日`; §7: 〇 OCR'd as O or 0, and ○ (U+25CB) typed for 〇.
_CN_YEAR = r"[二一][〇○Oo0零一二三四五六七八九]{3}"
_DATE_CHINESE = regex.compile(rf"(?P<y>{_CN_YEAR})年(?P<m>{_CN_NUM})月(?P<d>{_CN_NUM})日")
_DATE_ISO = regex.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")


def cn_number(text: str) -> int | None:
    """Value of a small Chinese numeral (一 … 三十一) or ASCII digits; None when not one."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _make_date(y: int | None, m: int | None, d: int | None) -> datetime.date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    """Parse the first date in `text`: `2022年8月9日`, `二〇二三年三月五日` or ISO `2022-08-09`."""
    if m := _DATE_ARABIC.search(text):
        return _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _DATE_CHINESE.search(text):
        year = int("".join(str(_CN_DIGITS[c]) for c in m["y"]))
        return _make_date(year, cn_number(m["m"]), cn_number(m["d"]))
    if m := _DATE_ISO.search(text):
        return _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


def _date_line(text: str) -> tuple[datetime.date, str] | None:
    """The date of a line that is a 成文日期 line: the date alone, or a signature glued before it.

    Returns (date, signature text before it). `印发` lines are the 版记 printing date, not the
    成文日期, and a date inside a sentence is narrative.
    """
    text = _squash(text)
    if "印发" in text:
        return None
    for pattern in (_DATE_ARABIC, _DATE_CHINESE):
        m = pattern.search(text)
        if m is None or m.end() != len(text):
            continue
        before = text[: m.start()].strip("（()）")
        if before and not _ORG.match(before):
            continue
        date = parse_date(m.group(0))
        if date is not None:
            return date, before
    return None


# ---------------------------------------------------------------- header repair
def _is_header_element(text: str) -> bool:
    """A GB/T 9704 header element that always stands on a line of its own."""
    text = _squash(text)
    return (text.startswith(("发电单位", "等级", "签发人")) or text in URGENCIES or text in MARKINGS
            or (text.endswith("文件") and bool(_ORG.match(text[:-2])))
            or parse_doc_number(text) is not None)


_last_split: tuple[list[Line], list[Line]] | None = None


def split_header_lines(lines: list[Line]) -> list[Line]:
    """Split header lines that normalisation glued together (cached for the last list, see find_layout)."""
    global _last_split
    if _last_split is not None and (lines is _last_split[0] or lines is _last_split[1]):
        return _last_split[1]
    out = _split_header_lines(lines)
    _last_split = (lines, out)
    return out


def _split_header_lines(lines: list[Line]) -> list[Line]:
    """Undo line joins in the header block that glued header elements to each other or to the title.

    `normalize_lines` joins a line of 20+ characters that lacks final punctuation with the next
    one; in the header that glues `六安市…办公室文件` + `六人居办〔2021〕58号` + the title, and
    `等级加急蚌环攻坚办明电〔2023〕145号` + the title. The physical lines survive in `raw`
    (joined with newlines), so split them back where a part is a header element. Parts other
    than the first and last keep the joined line's first line number (the lines between are unknown).
    """
    out: list[Line] = []
    for k, ln in enumerate(lines):
        raw = ln.raw_text
        if k >= DEFAULT_HEADER_SCAN_LINES or ln.cells is not None or "\n" not in raw:
            out.append(ln)
            continue
        parts = [collapse_spaces(p) for p in raw.split("\n") if p.strip()]
        flags = [_is_header_element(p) for p in parts]
        if not any(flags) and not any(_TYPE_END.search(p) for p in parts[:-1]):
            out.append(ln)
            continue
        groups: list[tuple[int, str]] = []
        for n, (part, flag) in enumerate(zip(parts, flags, strict=True)):
            # A part after a title's 文种 starts a new element (the addressee line).
            if flag or not groups or flags[n - 1] or _TYPE_END.search(groups[-1][1]):
                groups.append((n, part))
            else:
                groups[-1] = (groups[-1][0], groups[-1][1] + part)
        for n, text in groups:
            line_no = ln.last_line if n > 0 and n == len(parts) - 1 else ln.line_no
            out.append(Line(text=text, line_no=line_no, page=ln.page, bbox=ln.bbox, confidence=ln.confidence,
                            raw=None))
    return out


# ---------------------------------------------------------------- layout
def _title_span(lines: list[Line]) -> tuple[int, int] | None:
    """Indexes (first, last) of the title lines in the first lines of the document."""
    prose = _prose(lines)[:DEFAULT_HEADER_SCAN_LINES]
    for pos, (i, ln) in enumerate(prose):
        text = _squash(ln.text)
        if _is_addressee(text) or _HEADING.match(text):
            break
        if "关于" not in text or len(text) > DEFAULT_MAX_TITLE_CHARS or text.endswith(("。", "：", ":")):
            continue
        # The title may run on over the next physical lines (drawn PDF, scan): join until the 文种.
        end, joined = i, text
        for j, nxt in prose[pos + 1 : pos + DEFAULT_MAX_TITLE_LINES]:
            if _TYPE_END.search(joined):
                break
            nxt_text = _squash(nxt.text)
            if _is_addressee(nxt_text) or len(joined + nxt_text) > DEFAULT_MAX_TITLE_CHARS:
                break
            joined += nxt_text
            end = j
        if not _TYPE_END.search(joined):
            continue
        start = i
        # The issuer's name printed on a line of its own above `关于…` belongs to the title.
        if text.startswith("关于") and pos > 0:
            j, prev = prose[pos - 1]
            prev_text = _squash(prev.text)
            if _ORG.match(prev_text) and not prev_text.endswith("文件") and not _has_header_word(prev_text):
                start = j
        return start, end
    # Titles without 关于 (`2022年7月份安全生产考核情况通报`): the line before the addressees.
    for pos, (_, ln) in enumerate(prose):
        text = _squash(ln.text)
        if _is_addressee(text):
            if pos == 0:
                return None
            j, prev = prose[pos - 1]
            prev_text = _squash(prev.text)
            if _TYPE_END.search(prev_text) and len(prev_text) <= DEFAULT_MAX_TITLE_CHARS:
                return j, j
            return None
    return None


def _has_header_word(text: str) -> bool:
    return text.startswith(("发电单位", "等级", "签发人")) or bool(_DOC_NUMBER.search(text))


def _is_addressee(text: str) -> bool:
    """The 主送机关 line: `各县（市、区）人民政府，市直有关单位：`."""
    return (text.endswith(("：", ":")) and len(text) <= 120 and "如下" not in text
            and not _HEADING.match(text) and not text.startswith(("附件", "根据")))


# The last list laid out and its layout: every field's locator asks for the layout of the same
# list, and computing it is most of metadata's cost. Holding the list keeps its id from being
# reused; lists are never changed after normalisation.
_last_layout: tuple[list[Line], Layout] | None = None


def find_layout(lines: list[Line]) -> Layout:
    """Locate the title, addressees, opening paragraphs and 成文日期 line."""
    global _last_layout
    if _last_layout is not None and _last_layout[0] is lines:
        return _last_layout[1]
    layout = _find_layout(lines)
    _last_layout = (lines, layout)
    return layout


def _find_layout(lines: list[Line]) -> Layout:
    span = _title_span(lines)
    title_start, title_end = span if span else (None, None)
    prose = _prose(lines)
    addressee = None
    if title_end is not None:
        # GB/T 9704 §7.3.2: the 主送机关 is the line under the title.
        nxt = [i for i, _ in prose if i > title_end][:2]
        addressee = next((i for i in nxt if _is_addressee(_squash(lines[i].text))), None)
    else:
        head = prose[:DEFAULT_HEADER_SCAN_LINES]
        addressee = next((i for i, ln in head if _is_addressee(_squash(ln.text))), None)
    if addressee is not None:
        body_start = addressee + 1
    elif title_end is not None:
        body_start = title_end + 1
    else:
        # No title and no addressees (a bare body): the header ends at the first paragraph.
        body_start = next((i for i, ln in prose[:DEFAULT_HEADER_SCAN_LINES]
                           if len(_squash(ln.text)) > 40 or _HEADING.match(ln.text)), 0)
    intro_end = body_start
    while intro_end < len(lines) and intro_end - body_start < DEFAULT_INTRO_LINES:
        ln = lines[intro_end]
        if ln.cells is not None or _HEADING.match(ln.text):
            break
        intro_end += 1
    date = next((i for i, ln in prose if i >= body_start and _date_line(ln.text)), None)
    layout = Layout(title_start, title_end, addressee, body_start, intro_end, date)
    if title_start is None:
        layout.header_limit = addressee if addressee is not None else body_start
    return layout


# ---------------------------------------------------------------- field extractors
def parse_doc_number(text: str, line_no: int = 0) -> DocNumber | None:
    """Parse a line that *is* a 发文字号 (optionally after 等级/紧急程度 and before 签发人).

    A number inside a sentence is a citation (§5: the rules a circular is based on), so the
    match must cover the line apart from those prefixes and tails.
    """
    text = _squash(text)
    text = _NUMBER_PREFIX.sub("", text)
    m = _DOC_NUMBER.match(text)
    if m is None or not _NUMBER_TAIL.match(text[m.end():]):
        return None
    code = m["code"]
    year = int(m["year"] or m["year1"] or m["year2"])
    serial = int(m["serial"])
    kind = next((k for k in _KINDS if code.endswith(k) and len(code) > len(k)), None)
    issuer_code = code[: -len(kind)] if kind else code
    return DocNumber(text=f"{code}〔{year}〕{serial}号", issuer_code=issuer_code, kind=kind, year=year,
                     serial=serial, line_no=line_no)


def extract_doc_number(lines: list[Line], web_meta: dict[str, str] | None = None) -> DocNumber | None:
    """Find the circular's own 发文字号: in the header block, or a line of its own before `一、`.

    Never from a sentence (a cited basis document); web metadata (文号) is the last resort.
    """
    lines = split_header_lines(lines)
    layout = find_layout(lines)
    # Header first (GB/T 9704 §7.2.4: the number sits between the 发文机关标志 and the title),
    # then any standalone number line in the opening part (web copies print it under the title).
    candidates = list(range(layout.header_end)) + list(range(layout.header_end, layout.intro_end))
    for i in candidates:
        if lines[i].cells is None and (number := parse_doc_number(lines[i].text, lines[i].line_no)):
            return number
    for key in ("doc_number", "文号", "发文字号"):
        if web_meta and web_meta.get(key) and (number := parse_doc_number(web_meta[key], 0)):
            return number
    return None


def _locate_urgency(lines: list[Line]) -> tuple[str | None, int | None]:
    layout = find_layout(lines)
    pattern = regex.compile(
        rf"^(?:等级|紧急程度[:：]?)?({'|'.join(URGENCIES)})(?:[·★].*)?(?=$|\p{{Han}}*(?:{_OPEN}|\d))"
    )
    return _first_header_match(lines, layout, pattern)


def _first_header_match(lines: list[Line], layout: Layout, pattern: regex.Pattern[str]) -> tuple[str | None, int | None]:
    """The first header-block line the pattern matches: (its group 1, line number)."""
    for i in range(layout.header_end):
        if lines[i].cells is None and (m := pattern.match(_squash(lines[i].text))):
            return m[1], lines[i].line_no
    return None, None


def extract_urgency(lines: list[Line]) -> str | None:
    """紧急程度 (特急/加急/平急) from the header block; None when not printed (§5: web copies)."""
    return _locate_urgency(split_header_lines(lines))[0]


def _locate_marking(lines: list[Line]) -> tuple[str | None, int | None]:
    layout = find_layout(lines)
    pattern = regex.compile(rf"^({'|'.join(MARKINGS)})(?:★.*)?$")
    return _first_header_match(lines, layout, pattern)


def extract_marking(lines: list[Line]) -> str | None:
    """Marking above the header (内部明电, 机密…), from its own line in the header block."""
    return _locate_marking(split_header_lines(lines))[0]


def _locate_title(lines: list[Line], web_meta: dict[str, str] | None = None) -> tuple[str | None, int | None]:
    layout = find_layout(lines)
    if layout.title_start is not None and layout.title_end is not None:
        span = lines[layout.title_start : layout.title_end + 1]
        text = "".join(_squash(ln.text) for ln in span if ln.cells is None)
        return text, lines[layout.title_start].line_no
    for key in ("title", "ArticleTitle", "标题"):
        if web_meta and web_meta.get(key):
            return _squash(web_meta[key]), 0
    return None, None


def extract_title(lines: list[Line], web_meta: dict[str, str] | None = None) -> str | None:
    """标题, whitespace removed, including the issuer's name when printed with it."""
    return _locate_title(split_header_lines(lines), web_meta)[0]


def doc_type_of(title: str | None) -> str | None:
    """文种: the title's last word (通报, 通知, 决定, 意见…)."""
    if not title:
        return None
    m = _TYPE_END.search(title.rstrip("》”\""))
    return m.group(0) if m else None


def _split_orgs(text: str) -> list[str]:
    """Split joint issuers printed on one line: by whitespace in the raw text or by 、."""
    parts = [p for p in regex.split(r"[\s、，,]+", text) if p]
    return parts if parts and all(_ORG.match(_squash(p)) for p in parts) else [_squash(text)]


def _join_orgs(orgs: list[str]) -> str:
    seen: list[str] = []
    for org in orgs:
        if org not in seen:
            seen.append(org)
    return "、".join(seen)


def _locate_issuer(lines: list[Line], web_meta: dict[str, str] | None = None,
                   ) -> tuple[str | None, int | None]:
    layout = find_layout(lines)
    header = [(i, lines[i]) for i in range(layout.header_end) if lines[i].cells is None]
    # 1. Telegram: `发电单位 X` (the gold's issuer for every 明电).
    for _, ln in header:
        text = _squash(ln.text)
        if text.startswith("发电单位"):
            name = regex.sub(r"^发电单位[:：]?|(?:签批|签发|盖章).*$", "", text)
            if name:
                return _join_orgs(_split_orgs(regex.sub(r"^发电单位[:：]?", "", ln.raw_text.strip()))
                                  if " " in ln.raw_text.strip() else [name]), ln.line_no
    # 2. 发文机关标志 `X文件`; joint issuers print one line each (`A文件` / `B文件`, or `A` / `B` / `文件`).
    orgs: list[str] = []
    first_no = None
    for k, (i, ln) in enumerate(header):
        text = _squash(ln.text)
        if text == "文件":
            above = (_squash(lines[j].text) for j in range(max(0, i - 3), i))
            orgs.extend(t for t in above if _ORG.match(t))
        elif text.endswith("文件") and k > 0 and _is_name_tail(text[:-2], _squash(header[k - 1][1].text)):
            # A long name wrapped by the page: `六安市…领导小组` / `办公室文件` (drawn/Word PDFs).
            orgs.append(_squash(header[k - 1][1].text) + text[:-2])
        elif text.endswith("文件") and _ORG.match(text[:-2]):
            orgs.append(text[:-2])
        else:
            continue
        first_no = first_no or ln.line_no
    if orgs:
        return _join_orgs(orgs), first_no
    # 3. The issuer printed in the title (`X关于…的通报`; joint: `X、Y关于…`).
    title, title_no = _locate_title(lines)
    if title and (m := regex.match(r"^(.+?)关于", title)):
        parts = [p for p in regex.split(r"[、，,]", m[1]) if p]
        if parts and all(_ORG.match(p) for p in parts):
            return _join_orgs(parts), title_no
    # 4. The signature (发文机关署名) on the line(s) just above the 成文日期, or glued before it.
    if layout.date is not None:
        sig = _signature(lines, layout)
        if sig:
            return _join_orgs(sig), lines[layout.date].line_no
    # 5. Web metadata (发布机构 / 来源) of a government-website copy.
    for key in ("issuer", "发布机构", "source", "来源"):
        if web_meta and web_meta.get(key) and _ORG.match(_squash(web_meta[key])):
            return _squash(web_meta[key]), 0
    return None, None


def _signature(lines: list[Line], layout: Layout) -> list[str]:
    """Issuer names signed above the 成文日期 (one per line or side by side for joint issuers)."""
    assert layout.date is not None
    date_line = lines[layout.date]
    found = _date_line(date_line.text)
    if found and found[1]:
        # `信阳市安委办 2022年8月9日` on one line: the raw text still has the spaces between names.
        raw = regex.split(rf"(?:19|20)\d{{2}}\s*年|{_CN_YEAR}年", date_line.raw_text)[0]
        return [p for p in _split_orgs(raw.strip()) if _ORG.match(p)] or [found[1]]
    sig: list[str] = []
    j = layout.date - 1
    while j >= layout.body_start and len(sig) < 4 and lines[j].cells is None:
        text = _squash(lines[j].text)
        has_above = j - 1 >= layout.body_start and lines[j - 1].cells is None
        above = _squash(lines[j - 1].text) if has_above else ""
        if above and _is_name_tail(text, above):
            # A long signature wrapped onto a second line (`…领导小组` / `办公室`).
            sig = [above + text, *sig]
            j -= 2
            continue
        parts = _split_orgs(lines[j].raw_text.strip())
        if not all(_ORG.match(p) for p in parts):
            break
        sig = parts + sig
        j -= 1
    return sig


def _is_name_tail(text: str, above: str) -> bool:
    """Whether `text` is the wrapped end of an issuer name begun on the line `above`.

    True when `text` is only suffix words (`办公室`, `领导小组办公室`) and the two lines together
    form a name; `above` must be plain Han text, not a header element of its own.
    """
    if not text or not regex.fullmatch(rf"{_ORG_SUFFIX}+", text):
        return False
    if not regex.fullmatch(r"[\p{Han}（）()·]+", above) or _is_header_element(above) or above in MARKINGS:
        return False
    return bool(_ORG.match(above + text))


def extract_issuer(lines: list[Line], web_meta: dict[str, str] | None = None) -> str | None:
    """发文机关: 发电单位, then `X文件`, the title's prefix, the signature, web metadata.

    Joint issuers are joined with 、 in the order printed.
    """
    return _locate_issuer(split_header_lines(lines), web_meta)[0]


def _split_addressees(text: str) -> list[str]:
    """Split a 主送机关 line on 、，, outside brackets; keep `各县、区（…）安委会` whole."""
    text = _squash(text).rstrip("：:")
    parts: list[str] = []
    seps: list[str] = []
    depth, buf = 0, ""
    for ch in text:
        if ch in "（([【〔":
            depth += 1
        elif ch in "）)]】〕":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            parts.append(buf)
            seps.append(ch)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    out: list[str] = []
    pending = ""
    for k, part in enumerate(parts):
        # `各县、区（…）安委会`: a bare 县/市/乡镇 before 、 qualifies the next piece, not an addressee.
        if k < len(seps) and seps[k] == "、" and len(part.removeprefix("各")) <= 2:
            pending += part + "、"
            continue
        out.append(pending + part)
        pending = ""
    return [p for p in out if p]


def _locate_addressees(lines: list[Line]) -> tuple[list[str], int | None]:
    layout = find_layout(lines)
    if layout.addressee is None:
        return [], None
    return _split_addressees(lines[layout.addressee].text), lines[layout.addressee].line_no


def extract_addressees(lines: list[Line]) -> list[str]:
    """主送机关, the line ending in ： under the title, split into addressees."""
    return _locate_addressees(split_header_lines(lines))[0]


def _locate_issue_date(lines: list[Line], web_meta: dict[str, str] | None = None,
                       ) -> tuple[datetime.date | None, int | None]:
    layout = find_layout(lines)
    if layout.date is not None and (found := _date_line(lines[layout.date].text)):
        return found[0], lines[layout.date].line_no
    # A date line in the header (some web copies print the date above the title).
    for i in range(layout.header_end):
        if lines[i].cells is None and (found := _date_line(lines[i].text)):
            return found[0], lines[i].line_no
    # Last resort: the website's publication date (§5), a few days after the 成文日期 at most.
    for key in ("issue_date", "成文日期", "publish_date", "PubDate", "发布日期", "发布时间"):
        if web_meta and web_meta.get(key) and (date := parse_date(web_meta[key])):
            return date, 0
    return None, None


def extract_issue_date(lines: list[Line], web_meta: dict[str, str] | None = None) -> datetime.date | None:
    """成文日期: the date line closing the body (after the signature), else web metadata."""
    return _locate_issue_date(split_header_lines(lines), web_meta)[0]


# ---------------------------------------------------------------- period (§5 Periods)
_YEAR = r"(?:(?P<y>(?:19|20)\d{2})\s*年|(?P<cy>[二一][〇○Oo0零一二三四五六七八九]{3})年)?"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_NOT_DAY = r"(?!\s*(?:\d|[一二三四五六七八九十]{1,3}日|[初底中旬]))"
_PERIODS = [
    ("range", regex.compile(
        rf"{_YEAR}(?P<m1>{_MON})\s*(?:月份?)?\s*[-—–~～至到]\s*(?P<m2>{_MON})\s*月份?{_NOT_DAY}")),
    ("quarter", regex.compile(rf"{_YEAR}第?(?P<q>[一二三四1-4])季度")),
    ("first_quarters", regex.compile(rf"{_YEAR}前(?P<q>[二两三])季度")),
    ("half", regex.compile(rf"{_YEAR}(?P<h>上|下)半年")),
    ("month", regex.compile(rf"{_YEAR}(?P<m>{_MON})\s*(?P<fen>月份|月){_NOT_DAY}")),
    ("year", regex.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:年度|全年)")),
    # `关于2022年安全生产目标考核结果的通报`: a bare year, trusted in the title only.
    ("bare_year", regex.compile(r"(?P<y>(?:19|20)\d{2})\s*年(?=[\p{Han}])(?![第上下前度])")),
]
_ROUND = regex.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?第[一二三四五六七八九十\d]{1,3}轮\s*[（(]\s*$")


@dataclass(slots=True)
class _PeriodMatch:
    kind: str
    label: str
    year: int | None
    first: int
    last: int


def _match_period(text: str, allow_bare_year: bool) -> _PeriodMatch | None:
    """The first period mentioned in `text` (earliest position; longer forms win ties)."""
    best: tuple[int, int, _PeriodMatch] | None = None
    for order, (kind, pattern) in enumerate(_PERIODS):
        if kind == "bare_year" and not allow_bare_year:
            continue
        for m in pattern.finditer(text):
            got = _period_from_match(kind, m)
            if got is None:
                continue
            key = (m.start(), order)
            if best is None or key < best[:2]:
                best = (m.start(), order, got)
            break
    if best is None:
        return None
    found = best[2]
    # `第一轮(1-2月)`: keep the round in the label as printed.
    start = text.find(found.label)
    if start > 0 and (r := _ROUND.search(text[:start])):
        close = text[start + len(found.label):start + len(found.label) + 1]
        found.label = r.group(0) + found.label + (close if close in "）)" else "")
        if found.year is None and r["y"]:
            found.year = int(r["y"])
    return found


def _period_from_match(kind: str, m: regex.Match[str]) -> _PeriodMatch | None:
    year = None
    if m.groupdict().get("y"):
        year = int(m["y"])
    elif m.groupdict().get("cy"):
        year = int("".join(str(_CN_DIGITS[c]) for c in m["cy"]))
    label = m.group(0)
    if kind == "range":
        first, last = cn_number(m["m1"]), cn_number(m["m2"])
        if first is None or last is None or not 1 <= first < last <= 12:
            return None
        return _PeriodMatch(kind, label, year, first, last)
    if kind == "quarter":
        q = cn_number(m["q"]) or 0
        return _PeriodMatch(kind, label, year, 3 * q - 2, 3 * q)
    if kind == "first_quarters":
        q = 2 if m["q"] in "二两" else 3
        return _PeriodMatch(kind, label, year, 1, 3 * q)
    if kind == "half":
        return _PeriodMatch(kind, label, year, 1 if m["h"] == "上" else 7, 6 if m["h"] == "上" else 12)
    if kind == "month":
        month = cn_number(m["m"])
        # `7月` without 份 or a year is too often a narrative date (`截至7月`); require one of them.
        if month is None or not 1 <= month <= 12 or (m["fen"] == "月" and year is None):
            return None
        return _PeriodMatch(kind, label, year, month, month)
    return _PeriodMatch(kind, label, year, 1, 12)


def _period_texts(lines: list[Line], layout: Layout) -> list[tuple[str, int, bool]]:
    """Where a period is printed, most reliable first: (text, line_no, bare year allowed)."""
    out: list[tuple[str, int, bool]] = []
    if layout.title_start is not None and layout.title_end is not None:
        title = "".join(_squash(ln.text) for ln in lines[layout.title_start : layout.title_end + 1])
        # Text inside 《》 names another document (`印发《2023年度…细则》`), not this period.
        out.append((regex.sub(r"《[^》]*》", "", title), lines[layout.title_start].line_no, True))
    intro = [(lines[i].text, lines[i].line_no) for i in range(layout.body_start, layout.intro_end)]
    # The sentence that introduces the results (`现将7月份工作开展情况通报如下`) names the period.
    for text, no in intro:
        for sentence in _SENTENCE_END.split(text):
            if "通报如下" in sentence or "现将" in sentence:
                out.append((sentence, no, False))
    out.extend((text, no, False) for text, no in intro)
    # 附件说明 and table captions: `得分表（2022年7月）`.
    for i in range(layout.body_start, len(lines)):
        text = lines[i].text
        if lines[i].cells is None and ("附件" in text or _TABLE_CAPTION_END.search(text)):
            out.append((text, lines[i].line_no, False))
    return out


def _context_years(texts: list[tuple[str, int, bool]], kind: str, first: int, last: int) -> int | None:
    """The year printed with the same period elsewhere (title, caption)."""
    for text, _, _ in texts:
        for pkind, pattern in _PERIODS:
            if pkind in ("year", "bare_year"):
                continue
            for m in pattern.finditer(text):
                got = _period_from_match(pkind, m)
                if got and got.year is not None and (got.first, got.last) == (first, last):
                    return got.year
    return None


def extract_period(lines: list[Line], issue_date: datetime.date | None = None) -> Period | None:
    """The assessed period from the title, the opening paragraph or the attachment captions.

    Never from the issue date alone; the issue date only supplies a missing year, and a period
    that would end after the document was issued belongs to the year before (§5: December
    assessed, circular issued in January).
    """
    lines = split_header_lines(lines)
    layout = find_layout(lines)
    if issue_date is None:
        issue_date = _locate_issue_date(lines)[0]
    texts = _period_texts(lines, layout)
    bare: tuple[_PeriodMatch, int] | None = None
    for text, line_no, allow_year in texts:
        found = _match_period(text, allow_year)
        if found is None:
            continue
        if found.kind == "bare_year" and bare is None:
            # A bare year in the title may only be the year of a month or quarter named below.
            bare = (found, line_no)
            continue
        if found.kind == "bare_year":
            continue
        year = found.year or _context_years(texts, found.kind, found.first, found.last)
        if year is None and bare is not None:
            year = bare[0].year
        return _period_of(found, year, issue_date, line_no)
    if bare is not None:
        return _period_of(bare[0], bare[0].year, issue_date, bare[1])
    return None


def _period_of(found: _PeriodMatch, year: int | None, issue_date: datetime.date | None,
               line_no: int) -> Period:
    if year is None and issue_date is not None:
        year = issue_date.year
        if datetime.date(year, found.first, 1) > issue_date:
            year -= 1
    if year is None:
        return Period(found.label, None, None, line_no)
    start = datetime.date(year, found.first, 1)
    end = datetime.date(year, found.last, calendar.monthrange(year, found.last)[1])
    return Period(found.label, start, end, line_no)


# ---------------------------------------------------------------- base score (§4 Bases)
_BASE = regex.compile(
    r"(?<![项条类每])(?:基础分值|基础分|基准分值|基准分|基本分|满分)\s*(?:值)?\s*(?:为|是|按|[:：])?\s*"
    r"(?P<v>\d+(?:\.\d+)?)\s*分"
)
_SCALE = regex.compile(r"(?P<s>百|千)分制")


def _locate_base_score(lines: list[Line]) -> tuple[float, int | None]:
    found: list[tuple[float, int]] = []
    for ln in lines:
        if ln.cells is not None:
            continue
        text = _squash(ln.text)
        for m in _BASE.finditer(text):
            # An item's own maximum (`该项满分5分`, `本项基础分10分`) is not the document's base.
            if regex.search(r"(?:该项|本项|每项|此项|单项)$", text[max(0, m.start() - 4):m.start()]):
                continue
            found.append((float(m["v"]), ln.line_no))
        if m := _SCALE.search(text):
            found.append((100.0 if m["s"] == "百" else 1000.0, ln.line_no))
    if not found:
        return DEFAULT_BASE_SCORE, None
    # Section weights (`组织领导（20分）`) never beat the whole-document base: take the largest.
    return max(found, key=lambda f: f[0])


def extract_base_score(lines: list[Line]) -> float:
    """基础分: 100 unless the document states another base (`基础分100分`, `满分1000分`, `千分制`)."""
    return _locate_base_score(split_header_lines(lines))[0]


# ---------------------------------------------------------------- attachments
_ATTACH_NUMBERED = regex.compile(r"^(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[）)])")
_ATTACH_ITEM = regex.compile(r"^(?:附件[:：]?)?\s*(?:\d{1,2}\s*[.、．:：]|[（(]\d{1,2}[）)])\s*")


def _locate_attachments(lines: list[Line]) -> tuple[list[str], int | None]:
    layout = find_layout(lines)
    end = layout.date if layout.date is not None else len(lines)
    found = _locate_attachments_in(lines, layout.body_start, end)
    if found[0] or layout.date is None:
        return found
    # Some copies print the 附件说明 under the date instead of above it.
    return _locate_attachments_in(lines, layout.date + 1, len(lines))


_ATTACH_HEAD = regex.compile(r"^附件[:：]")


def _locate_attachments_in(lines: list[Line], begin: int, end: int) -> tuple[list[str], int | None]:
    for i in range(begin, end):
        text = _squash(lines[i].text)
        if lines[i].cells is not None or not _ATTACH_HEAD.match(text):
            continue
        items = [_ATTACH_ITEM.sub("", _ATTACH_HEAD.sub("", text))]
        # Entries after the first are on their own lines, numbered (`2.各县区扣分原因`).
        for j in range(i + 1, end):
            nxt = _squash(lines[j].text)
            if lines[j].cells is not None or not _ATTACH_NUMBERED.match(nxt):
                break
            items.append(_ATTACH_ITEM.sub("", nxt))
        return [it for it in items if it], lines[i].line_no
    return [], None


def extract_attachments(lines: list[Line]) -> list[str]:
    """附件说明 entries (GB/T 9704 §7.3.4), numbering removed, text as printed."""
    return _locate_attachments(split_header_lines(lines))[0]


# ---------------------------------------------------------------- document class (§1)
_RUBRIC_WORDS = regex.compile(r"细则|办法|标准|评分表|指标|规则|方案|实施意见|制度")
_RESULT_WORDS = regex.compile(r"通报|情况|结果|排名|得分")
_RESULT_EVIDENCE = regex.compile(
    r"得分(?:为)?\s*\d+(?:\.\d+)?\s*分(?![以及至到]|-)|扣分原因|得分位居|得分相对靠后|位列第|排名第|倒数第[一二三四五六七八九十\d]|"
    r"第[一二三四五六七八九十]名|评为(?:优秀|良好|合格|不合格)|[共合]计扣\s*\d|"
    # Grade circulars (§1.4): `优秀等次：甲县、乙县`.
    r"(?m:^(?:优秀|良好|合格|较好|一般|不合格|达标|基本合格)(?:等次|单位)?[:：]\S)"
)
_RUBRIC_EVIDENCE = regex.compile(r"每处扣|扣完为止|该项不得分|视情况扣|最高扣|不得分")
_SCORE_HEADER = regex.compile(r"得分|分数|总分|成绩|考评分|考核分")
_NUMBER_CELL = regex.compile(r"\d+(?:\.\d+)?")
_RANK_HEADER = regex.compile(r"排名|名次|等次|等级")


def _has_score_table(lines: list[Line]) -> bool:
    """A table whose header names scores or ranks and whose rows hold units (§2)."""
    for i, ln in enumerate(lines):
        if ln.cells is None or not any(_SCORE_HEADER.search(c) or _RANK_HEADER.search(c) for c in ln.cells):
            continue
        rows = [r for r in lines[i + 1 : i + 6] if r.cells is not None]
        numeric = [r for r in rows if any(_NUMBER_CELL.fullmatch(_squash(c)) for c in r.cells or ())]
        if len(numeric) >= 2:
            return True
    return False


def classify_document(lines: list[Line], title: str | None = None) -> str:
    """`result` (units' results), `rubric` (rules, no results) or `other` (§1 Document shapes)."""
    lines = split_header_lines(lines)
    if title is None:
        title = _locate_title(lines)[0]
    title = title or ""
    # `关于印发《…考核细则》的通知` is a rubric; `关于印发《…情况通报》的通知` wraps a result circular.
    inner = "".join(regex.findall(r"《([^》]*)》", title))
    if "印发" in title and inner and _RUBRIC_WORDS.search(inner) and not _RESULT_WORDS.search(inner):
        return "rubric"
    text = "\n".join(_squash(ln.text) for ln in lines if ln.cells is None)
    results = len(_RESULT_EVIDENCE.findall(text))
    if results or _has_score_table(lines):
        return "result"
    if len(_RUBRIC_EVIDENCE.findall(text)) >= 2 or (_RUBRIC_WORDS.search(inner or title) and "考" in title):
        return "rubric"
    return "other"


# ---------------------------------------------------------------- assembly
def extract_metadata(lines: list[Line], web_meta: dict[str, str] | None = None) -> Metadata:
    """Extract every metadata field of one circular from its normalised lines."""
    prov: dict[str, int] = {}
    lines = split_header_lines(lines)

    def keep(name: str, value: object, line_no: int | None) -> None:
        if value not in (None, [], "") and line_no is not None:
            prov[name] = line_no

    doc_number = extract_doc_number(lines, web_meta)
    keep("doc_number", doc_number, doc_number.line_no if doc_number else None)
    title, no = _locate_title(lines, web_meta)
    keep("title", title, no)
    issuer, no = _locate_issuer(lines, web_meta)
    keep("issuer", issuer, no)
    urgency, no = _locate_urgency(lines)
    keep("urgency", urgency, no)
    marking, no = _locate_marking(lines)
    keep("marking", marking, no)
    addressees, no = _locate_addressees(lines)
    keep("addressees", addressees, no)
    issue_date, no = _locate_issue_date(lines, web_meta)
    keep("issue_date", issue_date, no)
    attachments, no = _locate_attachments(lines)
    keep("attachments", attachments, no)
    base_score, no = _locate_base_score(lines)
    keep("base_score", base_score, no)
    doc_class = classify_document(lines, title)
    # A rubric assesses no period: `按月（季）通报` in its rules is not one.
    period = extract_period(lines, issue_date) if doc_class != "rubric" else None
    if period is not None:
        prov["period"] = period.line_no
    return Metadata(
        doc_class=doc_class,
        doc_number=doc_number,
        issuer=issuer,
        title=title,
        doc_type=doc_type_of(title),
        urgency=urgency,
        marking=marking,
        addressees=addressees,
        issue_date=issue_date,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        period_label=period.label if period else None,
        base_score=base_score,
        attachments=attachments,
        lines=prov,
    )
