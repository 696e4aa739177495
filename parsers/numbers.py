"""Numbers as circulars print them: decimals, Chinese numerals, ranks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

from parsers.normalize import squash

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
UNSIGNED_DECIMAL = r"\d+(?:\.\d+)?"
"""A number as circulars print points and scores (`2`, `0.5`, `95.65`): the one spelling of it the
parsers' patterns build on."""
_DECIMAL = regex.compile(rf"[+-]?{UNSIGNED_DECIMAL}")
# A table cell holding one number, perhaps with 分 (`0.5`, `1分`, `-1.5`).
NUMBER_CELL = regex.compile(r"^[+-]?\d+(?:\.\d+)?分?$")


def chinese_to_int(text: str) -> int | None:
    """Parse 一, 十二, 二十三, 一百零五 (and plain digits); None when it is not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        else:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
    return total + current


def to_decimal(text: str | None) -> Decimal | None:
    """The first decimal number in `text` (`85.7`, `85.7分`, `+1`), exactly; None if there is none."""
    if text is None:
        return None
    match = _DECIMAL.search(squash(text))
    if match is None:
        return None
    try:
        return Decimal(match.group())
    except InvalidOperation:
        return None


_RANK = regex.compile(
    r"^(?P<rev>倒数)?(?:并列)?第?(?P<n>\d{1,4}|[一二三四五六七八九十百零两]{1,5})(?:名|位)?(?:[（(]?并列[)）]?)?$"
)


def parse_rank(text: str | None, total: int | None = None) -> int | None:
    """Parse a printed rank: `3`, `第三名`, `并列第3`, `3（并列）`, `倒数第1` (needs `total`)."""
    if text is None:
        return None
    match = _RANK.match(squash(text))
    if match is None:
        return None
    n = chinese_to_int(match.group("n"))
    if n is None:
        return None
    if match.group("rev"):
        return total + 1 - n if total else None
    return n
