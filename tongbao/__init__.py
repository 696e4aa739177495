"""tongbao for analysts: `tongbao.load(OUT)` returns an output folder's tables as DataFrames.

    import tongbao
    t = tongbao.load("output")                # {"documents": DataFrame, "scores": ..., "series": ...}
    t["series"].query("unit == '罗山县'")      # one unit, period after period

Tables: documents, scores, deductions, reconciliation, findings, items (the Parquet folders), and
the views circulars, rubric_items and series. Joins: every table to documents on `doc_id`; the
rows of one unit within a circular on `(doc_id, unit)`; circulars to documents on `doc_id`
(`is_primary` keeps one copy of a circular archived in several files, `rubric_key` groups item
numbers within one rubric). `tongbao.load(OUT, polars=True)` gives polars DataFrames.
"""

from pipeline.export import connect, load

__all__ = ["connect", "load"]
