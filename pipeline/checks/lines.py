"""Checks on entries and lines: items deducted twice, uncertain attachments, lines not read."""

from __future__ import annotations

from collections import Counter

from parsers.document import circular_marks
from parsers.model import Line
from pipeline.checks.registry import Context
from schemas import FindingRecord


def duplicate_item(ctx: Context) -> list[FindingRecord]:
    """The same rubric item deducted twice for one unit."""
    findings = []
    seen: dict[str, Counter[int]] = {}
    first_line: dict[tuple[str, int], Line] = {}
    for item in ctx.ex.entries:
        if item.entry.kind != "deduction":
            continue
        counter = seen.setdefault(item.unit, Counter())
        for number in dict.fromkeys(item.entry.items):
            counter[number] += 1
            if counter[number] == 2:
                findings.append(
                    ctx.finding(
                        "duplicate_item",
                        item.unit,
                        f"{item.unit}: item {number} is deducted twice (lines {first_line[(item.unit, number)].line_no} "
                        f"and {item.line.line_no}).",
                        item.line,
                    )
                )
            first_line.setdefault((item.unit, number), item.line)
    return findings


def unit_uncertain(ctx: Context) -> list[FindingRecord]:
    """Headings and table rows attached to a unit by a one-character difference (an OCR or typing slip)."""
    findings = [
        ctx.finding(
            "unit_uncertain",
            section.unit,
            f"section heading '{section.unit_raw}' was attached to '{section.unit}' (one character differs); "
            "check the name.",
            section.heading,
        )
        for section in ctx.ex.sections
        if section.match is not None and not section.match.exact
    ]
    seen: set[tuple[str, str]] = set()
    for item in ctx.ex.entries:
        if item.uncertain and (item.unit, item.unit_raw) not in seen:
            seen.add((item.unit, item.unit_raw))
            findings.append(
                ctx.finding(
                    "unit_uncertain",
                    item.unit,
                    f"deduction table row names '{item.unit_raw}', attached to '{item.unit}' (one character differs); "
                    "check the name.",
                    item.line,
                )
            )
    return findings


def unparsed_entry(ctx: Context) -> list[FindingRecord]:
    return [
        ctx.finding(
            "unparsed_entry",
            None,
            "a line in a deduction section states an amount but matched no entry rule; check it by hand.",
            line,
        )
        for line in ctx.ex.unmatched
    ]


def unread_block(ctx: Context) -> list[FindingRecord]:
    """One warning per block that looked like results but was not read (parsers.model.UnreadBlock)."""
    findings = []
    for block in ctx.ex.unread:
        first, last = block.first, block.last
        span = (
            f"lines {first.line_no}–{last.last_line}"
            if last.last_line != first.line_no
            else f"line {first.line_no}"
        )
        where = f"page {first.page}, {span}" if first.page else span
        record = ctx.finding(
            "unread_block",
            None,
            f"{where} look like {_KIND_WORDS.get(block.kind, block.kind)} but were not read: {block.reason}; "
            f"no rows came from them, read them by hand (first line: '{first.raw_text}').",
            first,
        )
        record.line_end = last.last_line
        findings.append(record)
    return findings


_KIND_WORDS = {
    "table": "a table",
    "entries": "deduction entries",
    "ranking": "a ranking",
    "heading": "a unit's heading and entries",
}


def no_results(ctx: Context) -> list[FindingRecord]:
    """A circular of which nothing was read says so, with the blocks that were not understood."""
    ex = ctx.ex
    if ex.metadata.doc_class == "rubric" or ex.scores or ex.entries or ex.sections:
        return []
    marks = circular_marks(ex)
    if not marks:
        return []
    blocks = [f"{_span(block.first, block.last)} ({block.reason})" for block in ex.unread] + [
        f"{_span(line, line)} (an amount no entry rule matched)" for line in ex.unmatched
    ]
    said = f"not understood: {'; '.join(blocks)}" if blocks else "no block of it looked like results"
    # A notice classed `other` (a meeting notice, a 整改通知, a 表彰决定 with prize money: s09–s12)
    # is expected to hold no results: said as information, so an archive's mixed notices do not
    # fill the warnings; still said, since a result circular in unusual words is classed so too.
    other = ex.metadata.doc_class == "other"
    return [
        ctx.finding(
            "no_results",
            None,
            f"read as a circular ({', '.join(marks)}), but no score, ranking or deduction was read: "
            f"{said}. Its metadata is kept."
            + (
                " It is classed `other` (no assessment results expected); check it if it reports results."
                if other
                else ""
            ),
            ex.unread[0].first if ex.unread else None,
            severity="info" if other else None,
        )
    ]


def _span(first: Line, last: Line) -> str:
    span = (
        f"lines {first.line_no}–{last.last_line}"
        if last.last_line != first.line_no
        else f"line {first.line_no}"
    )
    return f"page {first.page}, {span}" if first.page else span
