"""Turn one extraction into table records (documents, scores, deductions, items)."""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter, defaultdict
from typing import Any

from parsers.document import Extraction
from parsers.model import Line
from pipeline.code_version import PARSER_VERSION
from pipeline.gazetteer import adcode_of
from schemas import DeductionRecord, DocumentRecord, ItemRecord, ProblemRecord, ScoreRecord


def provenance_of(line: Line | None) -> dict[str, Any]:
    """The provenance columns (page, line range, bbox, raw text) of a row read from `line`."""
    if line is None:
        return {"page": None, "line_start": None, "line_end": None, "bbox": None, "raw_text": ""}
    return {
        "page": line.page,
        "line_start": line.line_no,
        "line_end": line.last_line,
        "bbox": list(line.bbox) if line.bbox else None,
        "raw_text": line.raw_text,
    }


def document_record(ex: Extraction, doc_id: str, source_path: str, byte_size: int) -> DocumentRecord:
    """The documents row of a successfully read circular."""
    meta = ex.metadata
    number = meta.doc_number
    read = ex.read
    status = "partial" if read.pages_needing_ocr else "ok"
    return DocumentRecord(
        doc_id=doc_id,
        source_path=source_path,
        source_format=read.source_format,
        byte_size=byte_size,
        status=status,
        parser_version=PARSER_VERSION,
        encoding=read.encoding,
        pages=read.pages,
        ocr_pages=list(read.ocr_pages),
        pages_needing_ocr=list(read.pages_needing_ocr),
        ocr_confidence=read.ocr_confidence,
        doc_class=meta.doc_class,
        doc_number=number.text if number else None,
        doc_number_issuer_code=number.issuer_code if number else None,
        doc_number_kind=number.kind if number else None,
        doc_number_year=number.year if number else None,
        doc_number_serial=number.serial if number else None,
        issuer=meta.issuer,
        title=meta.title,
        doc_type=meta.doc_type,
        urgency=meta.urgency,
        marking=meta.marking,
        addressees=list(meta.addressees),
        issue_date=meta.issue_date,
        period_start=meta.period_start,
        period_end=meta.period_end,
        period_label=meta.period_label,
        base_score=float(meta.base_score) if meta.base_score is not None else None,
        attachments=list(meta.attachments),
        unit_count=len(set(ex.score_units) | {s.unit for s in ex.sections}),
        deduction_count=len(ex.entries),
        unmatched_lines=len(ex.unmatched),
        warnings=list(read.warnings),
    )


def score_records(ex: Extraction, doc_id: str) -> list[ScoreRecord]:
    records = []
    for row, unit in zip(ex.scores, ex.score_units, strict=True):
        records.append(
            ScoreRecord(
                doc_id=doc_id,
                unit=unit,
                unit_raw=row.unit_raw,
                group=row.group,
                rank=row.rank,
                rank_raw=row.rank_raw,
                score=float(row.score) if row.score is not None else None,
                grade=row.grade,
                parts=[part_record(part) for part in row.parts],
                adcode=adcode_of(unit, ex.metadata.issuer),
                **provenance_of(row.line),
            )
        )
    return records


def part_record(part: tuple[Any, ...]) -> dict[str, Any]:
    """One part of a score as the `parts` struct stores it (parsers.model.Part or a 3-tuple)."""
    name, weight, score = part[0], part[1], part[2]
    maximum = getattr(part, "max", None)
    return {
        "name": name,
        "weight": float(weight) if weight is not None else None,
        "max": float(maximum) if maximum is not None else None,
        "score": float(score) if score is not None else None,
    }


def problem_records(ex: Extraction, doc_id: str) -> list[ProblemRecord]:
    """The problems listed per unit without points (field-survey.md §5), never as deductions."""
    return [
        ProblemRecord(
            doc_id=doc_id,
            unit=p.unit,
            unit_raw=p.unit_raw,
            problem=p.problem,
            count=p.count,
            **provenance_of(p.line),
        )
        for p in ex.problems
    ]


# A line longer than this whose entry's span is not found keeps the entry's own text as raw_text,
# not the whole line (bounded memory whatever the line: issue 15).
LONG_LINE = 2000


def deduction_records(ex: Extraction, doc_id: str) -> list[DeductionRecord]:
    records = []
    cursors: dict[int, int] = {}  # id(line) -> where the next entry's span is looked for
    folded: dict[tuple[int, int], Folded] = {}  # (id(line), raw or text) -> folded, once per line
    for item in ex.entries:
        e = item.entry
        provenance = provenance_of(item.line)
        if item.line is not None:
            span = entry_span(item.line, e.text, cursors.get(id(item.line), 0), folded)
            if span is not None:
                cursors[id(item.line)] = span[1]
                provenance.update(
                    raw_text=item.line.raw_text[span[0] : span[1]], raw_start=span[0], raw_end=span[1]
                )
            elif len(item.line.raw_text) > LONG_LINE and e.text:
                # Not found in a long line: the entry's text as read, never the whole line per entry.
                provenance.update(raw_text=e.text)
        records.append(
            DeductionRecord(
                doc_id=doc_id,
                unit=item.unit,
                unit_raw=item.unit_raw,
                items=list(e.items),
                points=float(e.points),
                kind=e.kind,
                reason=e.reason,
                entry_no=item.entry_no,
                stated_points=float(e.stated_points),
                count=e.count,
                rate=float(e.rate) if e.rate is not None else None,
                cap=float(e.cap) if e.cap is not None else None,
                **provenance,
            )
        )
    return records


def entry_span(
    line: Line, text: str, start: int, folded: dict[tuple[int, int], Folded] | None = None
) -> tuple[int, int] | None:
    """Where an entry's own text sits in its line's raw text: (start, end), from `start` on.

    A paragraph of entries on one line (`乙街道：…扣0.5分；…扣1分。`) gave every entry the whole
    line as raw_text — 4,000 entries on a 190 KB line were 760 MB of one table. Each entry keeps
    its own span and its offsets instead. The entry's text is the normalised text (`扣 1 分` read
    as `扣1分`, full-width forms folded), so it is looked for in the raw line folded the same
    way, each folded character remembering its raw offset. None (the whole line is kept) when
    the span cannot be found.
    """
    entry = text.strip()
    if not entry:
        return None
    raw = line.raw_text
    # The normalised text keeps the raw offsets when it kept the length (traditional characters
    # read as simplified, 記 → 记, one for one): it is searched too.
    sources = [(0, raw)] + ([(1, line.text)] if line.text != raw and len(line.text) == len(raw) else [])
    cache = folded if folded is not None else {}
    for kind, source in sources:
        at = source.find(entry, start)
        if at >= 0:
            return at, at + len(entry)
        key = (id(line), kind)
        if key not in cache:
            cache[key] = fold_with_offsets(source)
        chars, offsets = cache[key]
        wanted = fold_with_offsets(entry)[0]
        found = chars.find(wanted, bisect.bisect_left(offsets, start)) if wanted else -1
        if found >= 0:
            return offsets[found], offsets[found + len(wanted) - 1] + 1
    return None


Folded = tuple[str, list[int]]


def fold_with_offsets(text: str) -> Folded:
    """`text` without whitespace and NFKC-folded, with the offset in `text` of each folded character."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char):
            if not folded.isspace():
                chars.append(folded)
                offsets.append(i)
    return "".join(chars), offsets


def item_records(ex: Extraction, doc_id: str) -> list[ItemRecord]:
    """Per rubric item: the most common reason, the units deducted and the points in all."""
    reasons: dict[int, Counter[str]] = defaultdict(Counter)
    units: dict[int, dict[str, None]] = defaultdict(dict)
    entries: Counter[int] = Counter()
    points: dict[int, float] = defaultdict(float)
    for item in ex.entries:
        if item.entry.kind != "deduction":
            continue
        share = float(item.entry.points) / len(item.entry.items) if item.entry.items else 0.0
        for number in item.entry.items:
            reasons[number][item.entry.reason] += 1
            units[number][item.unit] = None
            entries[number] += 1
            points[number] += share
    return [
        ItemRecord(
            doc_id=doc_id,
            item=n,
            description=reasons[n].most_common(1)[0][0],
            units=list(units[n]),
            unit_count=len(units[n]),
            entries=entries[n],
            total_points=round(points[n], 4),
        )
        for n in sorted(reasons)
    ]
