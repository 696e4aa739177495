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

from parsers.metadata.common import (
    DEFAULT_BASE_SCORE,
    DOC_TYPES,
    MARKINGS,
    URGENCIES,
    DocNumber,
    Layout,
    Metadata,
    Period,
    parse_doc_number,
)
from parsers.metadata.dates import cn_number, parse_date
from parsers.metadata.doc_class import classify_document, document_class
from parsers.metadata.fields import (
    doc_type_of,
    extract_addressees,
    extract_attachments,
    extract_base_score,
    extract_doc_number,
    extract_issue_date,
    extract_issuer,
    extract_marking,
    extract_title,
    extract_urgency,
    locate_addressees,
    locate_attachments,
    locate_base_score,
    locate_doc_number,
    locate_issue_date,
    locate_issuer,
    locate_marking,
    locate_title,
    locate_urgency,
)
from parsers.metadata.layout import find_layout, split_header_lines
from parsers.metadata.period import extract_period, locate_period
from parsers.metadata.web import split_labelled_lines
from parsers.model import Line
from parsers.traditional import fold_values


# ---------------------------------------------------------------- assembly
def extract_metadata(lines: list[Line], web_meta: dict[str, str] | None = None) -> Metadata:
    """Extract every metadata field of one circular from its normalised lines."""
    prov: dict[str, int] = {}
    # A text copy of a web page carries the 信息公开 block as lines (field survey §6): read it as
    # the page's metadata, and lay the circular out without it.
    lines, labelled = split_labelled_lines(split_header_lines(lines))
    web_meta = fold_values({**labelled, **(web_meta or {})}, (ln.raw_text for ln in lines))

    def keep(name: str, value: object, line_no: int | None) -> None:
        if value not in (None, [], "") and line_no is not None:
            prov[name] = line_no

    layout = find_layout(lines)
    doc_number = locate_doc_number(lines, layout, web_meta)
    keep("doc_number", doc_number, doc_number.line_no if doc_number else None)
    title, no = locate_title(lines, layout, web_meta)
    keep("title", title, no)
    issuer, no = locate_issuer(lines, layout, web_meta)
    keep("issuer", issuer, no)
    urgency, no = locate_urgency(lines, layout)
    keep("urgency", urgency, no)
    marking, no = locate_marking(lines, layout)
    keep("marking", marking, no)
    addressees, no = locate_addressees(lines, layout)
    keep("addressees", addressees, no)
    issue_date, no = locate_issue_date(lines, layout, web_meta)
    keep("issue_date", issue_date, no)
    attachments, no = locate_attachments(lines, layout)
    keep("attachments", attachments, no)
    base_score, no = locate_base_score(lines)
    keep("base_score", base_score, no)
    doc_class = document_class(lines, title)
    # A rubric assesses no period: `按月（季）通报` in its rules is not one.
    period = locate_period(lines, layout, issue_date) if doc_class != "rubric" else None
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


__all__ = [
    "DEFAULT_BASE_SCORE",
    "DOC_TYPES",
    "MARKINGS",
    "URGENCIES",
    "DocNumber",
    "Layout",
    "Metadata",
    "Period",
    "classify_document",
    "cn_number",
    "doc_type_of",
    "document_class",
    "extract_addressees",
    "extract_attachments",
    "extract_base_score",
    "extract_doc_number",
    "extract_issue_date",
    "extract_issuer",
    "extract_marking",
    "extract_metadata",
    "extract_period",
    "extract_title",
    "extract_urgency",
    "find_layout",
    "parse_date",
    "parse_doc_number",
    "split_header_lines",
]
