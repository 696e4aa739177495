"""Where the parts of a circular sit: header block, title, addressees, opening, signature and date.

GB/T 9704 §7; header lines glued by normalisation are split back first.
"""

from __future__ import annotations

import regex

from parsers.metadata.common import (
    DEFAULT_HEADER_SCAN_LINES,
    DEFAULT_INTRO_LINES,
    DEFAULT_MAX_TITLE_CHARS,
    DEFAULT_MAX_TITLE_LINES,
    DOC_NUMBER,
    DOC_TYPE_END,
    HEADING,
    MARKINGS,
    ORG_NAME,
    ORG_SUFFIX,
    URGENCIES,
    Layout,
    parse_doc_number,
    prose_lines,
)
from parsers.metadata.dates import closing_date
from parsers.model import Line
from parsers.normalize import collapse_spaces, squash
from parsers.traditional import physical_text


# ---------------------------------------------------------------- header repair
def is_header_element(text: str) -> bool:
    """A GB/T 9704 header element that always stands on a line of its own."""
    text = squash(text)
    return (
        text.startswith(("发电单位", "等级", "签发人"))
        or text in URGENCIES
        or text in MARKINGS
        or (text.endswith("文件") and bool(ORG_NAME.match(text[:-2])))
        or parse_doc_number(text) is not None
    )


def split_header_lines(lines: list[Line]) -> list[Line]:
    """Undo line joins in the header block that glued header elements to each other or to the title.

    `normalize_lines` joins a line of 20+ characters that lacks final punctuation with the next
    one; in the header that glues `六安市…办公室文件` + `六人居办〔2021〕58号` + the title, and
    `等级加急蚌环攻坚办明电〔2023〕145号` + the title. The physical lines survive in `raw`
    (joined with newlines), so split them back where a part is a header element. Parts other
    than the first and last keep the joined line's first line number (the lines between are unknown).
    """
    out: list[Line] = []
    for k, ln in enumerate(lines):
        if k >= DEFAULT_HEADER_SCAN_LINES or ln.cells is not None:
            out.append(ln)
            continue
        raw = physical_text(ln)
        if "\n" not in raw:
            out.append(ln)
            continue
        parts = [collapse_spaces(p) for p in raw.split("\n") if p.strip()]
        flags = [is_header_element(p) for p in parts]
        if not any(flags) and not any(DOC_TYPE_END.search(p) for p in parts[:-1]):
            out.append(ln)
            continue
        groups: list[tuple[int, str]] = []
        for n, (part, flag) in enumerate(zip(parts, flags, strict=True)):
            # A part after a title's 文种 starts a new element (the addressee line).
            if flag or not groups or flags[n - 1] or DOC_TYPE_END.search(groups[-1][1]):
                groups.append((n, part))
            else:
                groups[-1] = (groups[-1][0], groups[-1][1] + part)
        for n, text in groups:
            line_no = ln.last_line if n > 0 and n == len(parts) - 1 else ln.line_no
            out.append(
                Line(
                    text=text, line_no=line_no, page=ln.page, bbox=ln.bbox, confidence=ln.confidence, raw=None
                )
            )
    return out


# ---------------------------------------------------------------- layout
def _title_span(lines: list[Line]) -> tuple[int, int] | None:
    """Indexes (first, last) of the title lines in the first lines of the document."""
    prose = prose_lines(lines)[:DEFAULT_HEADER_SCAN_LINES]
    for pos, (i, ln) in enumerate(prose):
        text = squash(ln.text)
        if _is_addressee(text) or HEADING.match(text):
            break
        if "关于" not in text or len(text) > DEFAULT_MAX_TITLE_CHARS or text.endswith(("。", "：", ":")):
            continue
        # The title may run on over the next physical lines (drawn PDF, scan): join until the 文种.
        end, joined = i, text
        for j, nxt in prose[pos + 1 : pos + DEFAULT_MAX_TITLE_LINES]:
            if DOC_TYPE_END.search(joined):
                break
            nxt_text = squash(nxt.text)
            if _is_addressee(nxt_text) or len(joined + nxt_text) > DEFAULT_MAX_TITLE_CHARS:
                break
            joined += nxt_text
            end = j
        if not DOC_TYPE_END.search(joined):
            continue
        start = i
        head = text.partition("关于")[0]
        if not head:
            start = _title_issuer_start(prose, pos, i)
        elif pos > 0 and regex.fullmatch(rf"{ORG_SUFFIX}+", head):
            # A long issuer name wrapped onto the title's line: `赣州市…工作领导小组` / `办公室关于…` (g02).
            j, prev = prose[pos - 1]
            if ORG_NAME.match(squash(prev.text) + head) and not _has_header_word(squash(prev.text)):
                start = j
        return start, end
    # Titles without 关于 (`2022年7月份安全生产考核情况通报`): the line before the addressees.
    for pos, (_, ln) in enumerate(prose):
        text = squash(ln.text)
        if _is_addressee(text):
            if pos == 0:
                return None
            j, prev = prose[pos - 1]
            prev_text = squash(prev.text)
            if DOC_TYPE_END.search(prev_text) and len(prev_text) <= DEFAULT_MAX_TITLE_CHARS:
                return j, j
            return None
    return None


def _title_issuer_start(prose: list[tuple[int, Line]], pos: int, start: int) -> int:
    """The first line of the issuer names printed right above `关于…`, which belong to the title.

    Joint issuers stack their names, one per line (`中共雁北市委办公室` / `雁北市人民政府办公室` /
    `关于…`, gold r11).
    """
    for j, prev in reversed(prose[max(0, pos - DEFAULT_MAX_TITLE_LINES) : pos]):
        prev_text = squash(prev.text)
        if not ORG_NAME.match(prev_text) or prev_text.endswith("文件") or _has_header_word(prev_text):
            break
        start = j
    return start


def _has_header_word(text: str) -> bool:
    return text.startswith(("发电单位", "等级", "签发人")) or bool(DOC_NUMBER.search(text))


def _is_addressee(text: str) -> bool:
    """The 主送机关 line: `各县（市、区）人民政府，市直有关单位：`."""
    return (
        text.endswith(("：", ":"))
        and len(text) <= 120
        and "如下" not in text
        and not HEADING.match(text)
        and not text.startswith(("附件", "根据"))
    )


def find_layout(lines: list[Line]) -> Layout:
    """Locate the title, addressees, opening paragraphs and 成文日期 line (computed once per document)."""
    span = _title_span(lines)
    title_start, title_end = span if span else (None, None)
    prose = prose_lines(lines)
    addressee = None
    if title_end is not None:
        # GB/T 9704 §7.3.2: the 主送机关 is the line under the title.
        nxt = [i for i, _ in prose if i > title_end][:2]
        addressee = next((i for i in nxt if _is_addressee(squash(lines[i].text))), None)
    else:
        head = prose[:DEFAULT_HEADER_SCAN_LINES]
        addressee = next((i for i, ln in head if _is_addressee(squash(ln.text))), None)
    if addressee is not None:
        body_start = addressee + 1
    elif title_end is not None:
        body_start = title_end + 1
    else:
        # No title and no addressees (a bare body): the header ends at the first paragraph.
        body_start = next(
            (
                i
                for i, ln in prose[:DEFAULT_HEADER_SCAN_LINES]
                if len(squash(ln.text)) > 40 or HEADING.match(ln.text)
            ),
            0,
        )
    intro_end = body_start
    while intro_end < len(lines) and intro_end - body_start < DEFAULT_INTRO_LINES:
        ln = lines[intro_end]
        if ln.cells is not None or HEADING.match(ln.text):
            break
        intro_end += 1
    date = next((i for i, ln in prose if i >= body_start and closing_date(ln.text)), None)
    layout = Layout(title_start, title_end, addressee, body_start, intro_end, date)
    if title_start is None:
        layout.header_limit = addressee if addressee is not None else body_start
    return layout
