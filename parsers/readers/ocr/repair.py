"""Repairs of OCR confusions that the surrounding pattern proves (a digit is never changed), and confidence summaries."""

from __future__ import annotations

from collections.abc import Iterable

import regex

from parsers.model import Line

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# 发文字号: agency abbreviation, year in brackets, serial, 号. The opening 〔 is
# read as [ 【 ( （ or the digit 1 (its hook looks like a 1 at 150 dpi); the
# closing 〕 as ] 】 ) ）. A `1` is accepted as an opening bracket only when a
# four-digit year and a real closing bracket follow, so 明电12022]1号 is fixed
# but 明电1202211号 (ambiguous) is left alone.
_DOC_NUMBER = regex.compile(r"(?<=\p{Han})\s*[\[【(（〔1]\s*((?:19|20)\d{2})\s*[\]】)）〕]\s*(\d{1,4})\s*号")
# A year in Chinese numerals: 二〇二三年. 〇 is read as O, o, 0 or Ｏ.
_CN_YEAR = regex.compile(r"[一二][〇○零OoＯｏ0０][〇○零OoＯｏ0０一二三四五六七八九]{2}年")
# An amount: 扣0。5分, 得分89，4分. A point read as 。 ， , or · between the digits,
# with 分 right after the decimals, is a decimal point (a list would need a
# second amount and its own 分).
_AMOUNT_POINT = regex.compile(r"((?:扣除?|减|加|得分|共扣|共计扣|计)\s*\d{1,3})\s*[。，,·]\s*(\d{1,2}\s*分)")
# Running page number 「— 3 —」 read as -3- or 一3一.
_PAGE_NUMBER = regex.compile(r"^\s*[-—–一－]{1,2}\s*(\d{1,3})\s*[-—–一－]{1,2}\s*$")


def repair_ocr_line(text: str) -> str:
    """Repair OCR confusions that the surrounding pattern proves; never change a digit.

    - full-width digits → ASCII digits (same value);
    - 〔 〕 read as [ ] 【 】 ( ) or 1 inside a 发文字号 such as 信安委办明电〔2022〕1号;
    - 〇 read as O/o/0 inside a Chinese-numeral year such as 二〇二三年;
    - a decimal point read as 。 or ， inside an amount such as 扣0.5分;
    - a running page number -3- → — 3 —.
    """
    text = text.translate(_FULLWIDTH_DIGITS)
    text = _DOC_NUMBER.sub(lambda m: f"〔{m[1]}〕{m[2]}号", text)
    text = _CN_YEAR.sub(lambda m: regex.sub(r"[OoＯｏ0０]", "〇", m[0]), text)
    text = _AMOUNT_POINT.sub(lambda m: f"{m[1]}.{m[2]}", text)
    text = _PAGE_NUMBER.sub(lambda m: f"— {m[1]} —", text)
    return text


_CELL_DECIMAL = regex.compile(r"^(\d{1,4})\s*[。，,·．]\s*(\d{1,3})$")


def repair_ocr_cell(text: str) -> str:
    """Repair a table cell: a number cell `85。7` can only be 85.7 (one mark between digits)."""
    text = text.translate(_FULLWIDTH_DIGITS).strip()
    return _CELL_DECIMAL.sub(r"\1.\2", text)


def mean_confidence(lines: Iterable[Line]) -> float | None:
    """Mean of the lines' OCR confidences (None when no line was OCR'd)."""
    values = [ln.confidence for ln in lines if ln.confidence is not None]
    return round(sum(values) / len(values), 4) if values else None


_DIGIT = regex.compile(r"\d")


def low_confidence_warnings(lines: Iterable[Line], threshold: float) -> list[str]:
    """Warnings for OCR'd lines holding a number read with confidence below `threshold`.

    A number OCR got wrong changes a score; these lines are the ones to check by eye.
    """
    out = []
    for ln in lines:
        if ln.confidence is None or ln.confidence >= threshold or not _DIGIT.search(ln.text):
            continue
        # The running page number `— 5 —` is read at 0.65–0.80 (the dashes), and
        # carries no figure the tables use.
        if _PAGE_NUMBER.match(ln.text):
            continue
        out.append(
            f"page {ln.page} line {ln.line_no}: OCR confidence {ln.confidence:.2f} "
            f"on a line with numbers: {ln.text[:60]!r}"
        )
    return out
