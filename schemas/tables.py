"""Record dataclasses and the pyarrow schema of every table, built from one list.

Each table is a dataclass; its pyarrow schema is derived from the field
annotations, so a column is declared once. The columns the shared output
contract (`../shared/corpus/README.md`) requires keep its names and types;
the rest are provenance an analyst needs to trust and trace a row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

SCHEMA_VERSION = "3"
"""Stored in every Parquet file's metadata under b"tongbao.schema_version". 2: the problems table and
the parts' max (files of version 1 have neither). 3: the sources table (every path a document was
seen at; folders of version 2 have none, and their documents.source_path is the only path), and
deductions' raw_start/raw_end with raw_text the entry's own span of its line (version 2 held the
whole line in every entry's raw_text)."""


# --- documents -------------------------------------------------------------------


@dataclass(slots=True)
class DocumentRecord:
    """One row per input file — every input gets one, whether it parsed or not."""

    doc_id: str  # sha256 of the file's bytes, first 16 hex digits: stable across paths and runs
    source_path: str
    source_format: str  # txt, md, pdf, docx, html, image
    byte_size: int
    status: str  # ok | partial | failed | skipped (a format tongbao does not read)
    error_stage: str | None = None  # discover | read | ocr | classify | extract | timeout | usage
    error: str | None = None
    parser_version: str = ""
    encoding: str | None = None
    pages: int | None = None
    ocr_pages: list[int] = field(default_factory=list)
    pages_needing_ocr: list[int] = field(default_factory=list)
    ocr_confidence: float | None = None
    doc_class: str | None = None  # result | rubric | other
    doc_number: str | None = None  # 发文字号
    doc_number_issuer_code: str | None = None  # 机关代字, e.g. 信安委办
    doc_number_kind: str | None = None  # e.g. 明电
    doc_number_year: int | None = None
    doc_number_serial: int | None = None
    issuer: str | None = None  # 发文机关
    title: str | None = None  # 标题
    doc_type: str | None = None  # 文种: 通报, 通知, ...
    urgency: str | None = None  # 紧急程度: 特急 / 加急 / 平急
    marking: str | None = None  # e.g. 内部明电
    addressees: list[str] = field(default_factory=list)  # 主送机关
    issue_date: dt.date | None = None  # 成文日期
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_label: str | None = None  # the period as printed: 7月份, 第二季度...
    base_score: float | None = None
    attachments: list[str] = field(default_factory=list)  # 附件说明
    unit_count: int = 0
    deduction_count: int = 0
    finding_count: int = 0
    mismatch_count: int = 0
    unmatched_lines: int = 0  # lines in deduction sections that matched no rule
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SourceRecord:
    """One row per path a document's bytes were found at: the same content at two paths is one
    documents row and two sources rows. Size and modification time let a later run skip a file
    whose path, size and mtime are unchanged without reading it."""

    doc_id: str
    source_path: str  # resolved (absolute, symlinks followed)
    byte_size: int
    mtime_ns: int | None = None


# --- rows with provenance -------------------------------------------------------------


@dataclass(slots=True)
class ScoreRecord:
    """One row per unit listed in a ranking, score table or grade list."""

    doc_id: str
    unit: str  # as the score table prints it, whitespace removed
    unit_raw: str  # exactly as printed
    group: str | None = None  # ranking block: 县区组, 市直部门组...
    rank: int | None = None  # as printed; ties share a rank
    rank_raw: str | None = None  # 第一名, 并列第3, 倒数第1...
    score: float | None = None
    grade: str | None = None  # 等次: 优秀/良好/合格...
    # parts of the score: name, weight (a weighted part), max (a part scored out of its own maximum), score
    parts: list[dict[str, Any]] = field(default_factory=list)
    adcode: str | None = None  # GB/T 2260 code when the place resolves
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: list[float] | None = None
    raw_text: str = ""


@dataclass(slots=True)
class DeductionRecord:
    """One row per deduction or bonus entry."""

    doc_id: str
    unit: str
    unit_raw: str
    items: list[int]  # rubric item numbers cited, in order
    points: float  # the positive amount actually applied (after count × rate and caps)
    kind: str  # deduction | bonus
    reason: str  # entry text without its item label and trailing amount clause
    entry_no: int = 0  # 1-based order within the unit
    stated_points: float | None = None  # the amount as written, before a cap
    count: int | None = None  # 发现3处…
    rate: float | None = None  # …每处扣0.5分
    cap: float | None = None  # 扣完2分为止 / 最高扣5分
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: list[float] | None = None
    raw_text: str = ""
    # raw_text is the entry's own span of its line: raw_text == line[raw_start:raw_end] (0-based
    # characters into the line as read); both None when the span was not found, and raw_text is
    # then the whole line (or, on a line over 2,000 characters, the entry's text as read).
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass(slots=True)
class ProblemRecord:
    """One row per problem a circular lists for a unit without points (`甲镇：垃圾清运不及时2处`)."""

    doc_id: str
    unit: str
    unit_raw: str
    problem: str  # the problem as stated, without its count
    count: int | None = None  # 2处 → 2; None when no count is printed
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: list[float] | None = None
    raw_text: str = ""


@dataclass(slots=True)
class ReconciliationRecord:
    """One row per unit: does base − deductions + bonuses give the stated score?"""

    doc_id: str
    unit: str
    status: str  # ok | mismatch | incomplete
    base: float | None = None
    total_deducted: float | None = None
    total_bonus: float | None = None
    computed: float | None = None
    section_score: float | None = None  # stated in the unit's own section
    table_score: float | None = None  # stated in the score table
    delta: float | None = None  # stated − computed
    entries: int = 0
    veto: bool = False  # 一票否决 applied
    note: str | None = None


@dataclass(slots=True)
class FindingRecord:
    """One row per problem found."""

    doc_id: str
    unit: str | None
    check: str  # score_mismatch, table_mismatch, rank_order, missing_section, ...
    severity: str  # error | warning | info
    message: str
    expected: str | None = None
    actual: str | None = None
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: list[float] | None = None
    raw_text: str = ""


@dataclass(slots=True)
class ItemRecord:
    """One row per rubric item a document deducts: which items units fail most."""

    doc_id: str
    item: int
    description: str  # the most common reason text cited for it
    units: list[str]
    unit_count: int
    entries: int
    total_points: float


TABLES: dict[str, type] = {
    "documents": DocumentRecord,
    "scores": ScoreRecord,
    "deductions": DeductionRecord,
    "problems": ProblemRecord,
    "reconciliation": ReconciliationRecord,
    "findings": FindingRecord,
    "items": ItemRecord,
    "sources": SourceRecord,
}

# --- arrow schemas from annotations ---------------------------------------------------------

_PART = pa.struct(
    [("name", pa.string()), ("weight", pa.float64()), ("max", pa.float64()), ("score", pa.float64())]
)

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
}


def _arrow_type(annotation: Any) -> tuple[pa.DataType, bool]:
    """Map a resolved annotation to (arrow type, nullable)."""
    nullable = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = True
        (annotation,) = args
        origin = typing.get_origin(annotation)
    if origin is list:
        (inner,) = typing.get_args(annotation)
        if typing.get_origin(inner) is dict:
            return pa.list_(_PART), nullable
        return pa.list_(_SCALARS[inner]), nullable
    return _SCALARS[annotation], nullable


@functools.cache
def arrow_schema(table: str) -> pa.Schema:
    """Return the pyarrow schema of a table, with the schema version in its metadata."""
    cls = TABLES[table]
    hints = typing.get_type_hints(cls)
    fields = []
    # Every column is nullable, even lists and scalars our records never leave empty: Spark and
    # DuckDB then union files written by older minor versions without a cast.
    for f in dataclasses.fields(cls):
        arrow_type, _ = _arrow_type(hints[f.name])
        fields.append(pa.field(f.name, arrow_type, nullable=True))
    return pa.schema(
        fields,
        metadata={b"tongbao.schema_version": SCHEMA_VERSION.encode(), b"tongbao.table": table.encode()},
    )


@functools.cache
def _values_of(table: str) -> Callable[[Any], tuple[Any, ...]]:
    """A record's field values in the table's column order, in one C call (attrgetter)."""
    names = arrow_schema(table).names
    if len(names) == 1:  # attrgetter of one name gives the value itself, not a 1-tuple
        one = operator.attrgetter(names[0])
        return lambda record: (one(record),)
    return operator.attrgetter(*names)


def records_to_batch(table: str, records: Iterable[Any]) -> pa.RecordBatch:
    """Build a pyarrow record batch of `table`'s schema from record dataclasses."""
    schema = arrow_schema(table)
    # The columns read straight off the records, every field of a row in one attrgetter call:
    # dataclasses.asdict deep-copied every value and was most of the writing process's CPU (the
    # parent's share caps what 2 workers can gain).
    rows = list(map(_values_of(table), records))
    values_by_column = list(zip(*rows, strict=True)) if rows else [() for _ in schema.names]
    columns = []
    for column, column_values in zip(schema, values_by_column, strict=True):
        try:
            columns.append(pa.array(column_values, type=column.type))
        except (OverflowError, pa.ArrowException, UnicodeError, TypeError, ValueError) as exc:
            # A value Arrow cannot hold (a count of 2^63, a lone surrogate) names its column,
            # so the caller can tell the file's `failed` row which value it was.
            raise UnstorableValue(f"{table}.{column.name}: a value cannot be stored ({exc})") from exc
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def records_to_table(table: str, records: Iterable[Any]) -> pa.Table:
    """Build a pyarrow table of `table`'s schema from record dataclasses."""
    return pa.Table.from_batches([records_to_batch(table, records)])


def batches_to_table(table: str, batches: Iterable[pa.RecordBatch]) -> pa.Table:
    """One table of `table`'s schema from the record batches of several files (no copy)."""
    return pa.Table.from_batches(list(batches), schema=arrow_schema(table))


class UnstorableValue(ValueError):
    """A record holds a value its column's Arrow type cannot hold."""
