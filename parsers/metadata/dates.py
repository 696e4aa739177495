"""Dates as circulars print them: `2022年8月9日`, `2022 年 8 月 9 日`, `二〇二三年三月五日`, ISO (§5 Dates)."""

from __future__ import annotations

import datetime

import regex

from parsers.metadata.common import ORG_NAME
from parsers.normalize import squash

# ---------------------------------------------------------------- dates
CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "O": 0,
    "o": 0,
    "0": 0,
    "零": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUM = r"[一二三四五六七八九十]{1,3}"
_DATE_ARABIC = regex.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
# §5: `二〇二三年三月五日`; §7: 〇 OCR'd as O or 0, and ○ (U+25CB) typed for 〇.
CN_YEAR = r"[二一][〇○Oo0零一二三四五六七八九]{3}"
_DATE_CHINESE = regex.compile(rf"(?P<y>{CN_YEAR})年(?P<m>{_CN_NUM})月(?P<d>{_CN_NUM})日")
_DATE_ISO = regex.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")


def cn_number(text: str) -> int | None:
    """Value of a small Chinese numeral (一 … 三十一) or ASCII digits; None when not one."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def make_date(y: int | None, m: int | None, d: int | None) -> datetime.date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def parse_date(text: str) -> datetime.date | None:
    """Parse the first date in `text`: `2022年8月9日`, `二〇二三年三月五日` or ISO `2022-08-09`."""
    if m := _DATE_ARABIC.search(text):
        return make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _DATE_CHINESE.search(text):
        year = int("".join(str(CN_DIGITS[c]) for c in m["y"]))
        return make_date(year, cn_number(m["m"]), cn_number(m["d"]))
    if m := _DATE_ISO.search(text):
        return make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


_RUN_ON_SIGNATURE = regex.compile(r"[。！？；!?;]([^。！？；!?;]+)$")


def closing_date(text: str) -> tuple[datetime.date, str] | None:
    """The date of a line that is a 成文日期 line: the date alone, or a signature glued before it.

    Returns (date, signature text before it). `印发` lines are the 版记 printing date, not the
    成文日期, and a date inside a sentence is narrative.
    """
    text = squash(text)
    if "印发" in text:
        return None
    if text[:1] in "（(" and text[-1:] in "）)":
        text = text[1:-1]  # `（2024年3月1日）` under the document number
    if not text.endswith("日"):
        return None  # both date patterns end in 日, and the date must close the line
    for pattern in (_DATE_ARABIC, _DATE_CHINESE):
        # The last date: a line with the signature run on may cite another date before it.
        m = next(iter(reversed(list(pattern.finditer(text)))), None)
        if m is None or m.end() != len(text):
            continue
        before = text[: m.start()].strip("（()）")
        if before and not ORG_NAME.match(before):
            # Web copies run the signature onto the last body line (field survey §6:
            # `…确保整改到位。县农业农村局 2024年5月8日`): the name after the last full stop signs.
            tail = _RUN_ON_SIGNATURE.search(before)
            if tail is None or not ORG_NAME.match(tail[1]):
                continue
            before = tail[1]
        date = parse_date(m.group(0))
        if date is not None:
            return date, before
    return None
