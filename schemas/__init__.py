"""The one place that names tongbao's tables, their columns and their types."""

from schemas.tables import (
    SCHEMA_VERSION,
    TABLES,
    DeductionRecord,
    DocumentRecord,
    FindingRecord,
    ItemRecord,
    ProblemRecord,
    ReconciliationRecord,
    ScoreRecord,
    SourceRecord,
    UnstorableValue,
    arrow_schema,
    records_to_table,
    rows_of,
)

__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "DeductionRecord",
    "DocumentRecord",
    "FindingRecord",
    "ItemRecord",
    "ProblemRecord",
    "ReconciliationRecord",
    "ScoreRecord",
    "SourceRecord",
    "UnstorableValue",
    "arrow_schema",
    "records_to_table",
    "rows_of",
]
