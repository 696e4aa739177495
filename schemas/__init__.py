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
    batches_to_table,
    records_to_batch,
    records_to_table,
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
    "batches_to_table",
    "records_to_batch",
    "records_to_table",
]
