"""Tables for every reader: column roles, cell placement, damaged tables, score and deduction tables.

- `roles`: what a header cell names (rank, unit, score, part, points, reason, …).
- `placement`: where a short row's cells go, one rule set for text, PDF and OCR rows.
- `damaged`: rows whose cells were glued together or printed one per line, given back.
- `blocks`: runs of rows that make one table; `score_tables`: the passes that read them.

Readers hand over lines (with cells, or with the x extents of their cells); they never
import this package.
"""

from parsers.tables.damaged import restore_table_rows, split_glued_row
from parsers.tables.placement import place_unruled_rows
from parsers.tables.roles import header_roles
from parsers.tables.rows import DeductionRow, ScoreRow, Tables
from parsers.tables.score_tables import extract_tables

__all__ = [
    "DeductionRow",
    "ScoreRow",
    "Tables",
    "extract_tables",
    "header_roles",
    "place_unruled_rows",
    "restore_table_rows",
    "split_glued_row",
]
