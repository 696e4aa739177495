"""Shared parts of metadata extraction: the records, the word lists, the 发文字号 pattern."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import regex

from parsers.model import Line
from parsers.normalize import squash

# Compiled once: the regex module looks string patterns up in a slow cache on every call.
SENTENCE_END = regex.compile(r"(?<=[。；])")
TABLE_CAPTION_END = regex.compile(r"[表单][（(][^）)]*[）)]$")

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

DOC_TYPES = (
    "通报",
    "通知",
    "决定",
    "意见",
    "报告",
    "请示",
    "批复",
    "函",
    "公告",
    "通告",
    "纪要",
    "命令",
    "议案",
    "公报",
    "决议",
    "细则",
    "办法",
    "方案",
    "规定",
)
URGENCIES = ("特急", "加急", "平急")
MARKINGS = ("内部明电", "明电", "密电", "绝密", "机密", "秘密", "内部")

# Suffixes of an issuing body's name (发文机关); used to tell a signature line from a heading.
ORG_SUFFIX = (
    r"(?:办公室|委员会|委|办|局|厅|部|署|院|政府|支队|大队|总队|指挥部|领导小组|小组|中心"
    r"|联席会议|会议|公司|集团|党组|工作组|督导组|站|所|处|科|队|组|会|庭"
    # A government's inspection office signs its own 督查通报 (x18: `望江县人民政府督查室`).
    r"|督查室|督导室|督办室|研究室"
    # A task force set up for one campaign signs its results (y01: `…整治提升行动工作专班`).
    r"|工作专班|专班"
    # A county's archives signs its own appraisal of departments' archives work (v14 `澧水县档案馆`).
    r"|档案馆)"
)
# A hotline's centre is named by its number (v01 `清河市12345政务服务便民热线管理中心`): one run of 3 to
# 5 digits inside the name; the name still starts with a character.
ORG_NAME = regex.compile(
    rf"^(?:[\p{{Han}}（）()·]{{2,40}}|\p{{Han}}[\p{{Han}}（）()·]{{0,30}}\d{{3,5}}[\p{{Han}}（）()·]{{1,30}}){ORG_SUFFIX}$"
)

DOC_TYPE_END = regex.compile(rf"(?:{'|'.join(DOC_TYPES)})$")
HEADING = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])")

# ---------------------------------------------------------------- doc number (发文字号)
# Brackets seen around the year (§5 `〔2022〕`, `[2023]`, `（2023）`; §7 OCR reads 〔 as [ and
# web copies use the small ﹝﹞); either one may be lost or replaced by a different kind.
OPEN_BRACKET = r"[〔\[［（(【﹝〖〘{]"
_CLOSE = r"[〕\]］）)】﹞〗〙}]"
DOC_NUMBER = regex.compile(
    rf"(?P<code>[\p{{Han}}A-Za-z]{{1,20}}?)\s*"
    rf"(?:(?P<open>{OPEN_BRACKET})\s*(?P<year>(?:19|20)\d{{2}})\s*(?P<close>{_CLOSE})?"
    rf"|(?P<open1>[1lI|])(?P<year1>(?:19|20)\d{{2}})\s*{_CLOSE}"  # §7: 〔 OCR'd as 1 or l
    rf"|(?P<year2>(?:19|20)\d{{2}})\s*(?P<close2>{_CLOSE})?)"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
# Words that can precede the number on its line (`等级 加急 X〔Y〕N号`, `文号：…`) and are not
# part of the issuer code.
_NUMBER_PREFIX = regex.compile(
    r"^(?:等级|紧急程度|发文字号|文号|字号|[:：]|" + "|".join(URGENCIES + MARKINGS) + ")+"
)
# What may follow the number on its line: the signer (签发人, GB/T 9704 §7.2.6) or nothing; a
# 紧急程度 set after the number on its line (gold s04's PDF: `白河办[2024]9号　　加急`).
_NUMBER_TAIL = regex.compile(
    r"^(?:(?:" + "|".join(URGENCIES) + r")?(?:签发人.*|签批.*)|(?:" + "|".join(URGENCIES) + r")?[\s　]*)$"
)
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


def prose_lines(lines: list[Line]) -> list[tuple[int, Line]]:
    return [(i, ln) for i, ln in enumerate(lines) if ln.cells is None]


# ---------------------------------------------------------------- field extractors
def parse_doc_number(text: str, line_no: int = 0) -> DocNumber | None:
    """Parse a line that *is* a 发文字号 (optionally after 等级/紧急程度 and before 签发人).

    A number inside a sentence is a citation (§5: the rules a circular is based on), so the
    match must cover the line apart from those prefixes and tails.
    """
    text = squash(text)
    text = _NUMBER_PREFIX.sub("", text)
    m = DOC_NUMBER.match(text)
    if m is None or not _NUMBER_TAIL.match(text[m.end() :]):
        return None
    code = m["code"]
    year = int(m["year"] or m["year1"] or m["year2"])
    serial = int(m["serial"])
    kind = next((k for k in _KINDS if code.endswith(k) and len(code) > len(k)), None)
    issuer_code = code[: -len(kind)] if kind else code
    return DocNumber(
        text=f"{code}〔{year}〕{serial}号",
        issuer_code=issuer_code,
        kind=kind,
        year=year,
        serial=serial,
        line_no=line_no,
    )
