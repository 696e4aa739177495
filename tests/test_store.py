"""Parquet output: schema, round trips, replacing re-ingested files, atomic writes, other readers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.store import Store, read_table, schema_version_of, write_batch
from schemas import SCHEMA_VERSION, TABLES, DeductionRecord, DocumentRecord, arrow_schema, records_to_table


def doc(doc_id: str, path: str) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id,
        source_path=path,
        source_format="txt",
        byte_size=10,
        status="ok",
        issue_date=dt.date(2022, 8, 9),
        base_score=100.0,
    )


def test_contract_columns_have_contract_types() -> None:
    import pyarrow as pa

    expect = {
        "documents": {"doc_id": pa.string(), "issue_date": pa.date32(), "base_score": pa.float64()},
        "scores": {"rank": pa.int64(), "score": pa.float64(), "group": pa.string(), "grade": pa.string()},
        "deductions": {"items": pa.list_(pa.int64()), "points": pa.float64(), "kind": pa.string()},
        "reconciliation": {"status": pa.string()},
        "findings": {"check": pa.string()},
    }
    for table, columns in expect.items():
        schema = arrow_schema(table)
        for name, kind in columns.items():
            assert schema.field(name).type == kind, (table, name)


_deduction = st.builds(
    DeductionRecord,
    doc_id=st.text(min_size=1, max_size=8),
    unit=st.text(max_size=6),
    unit_raw=st.text(max_size=6),
    items=st.lists(st.integers(0, 500), max_size=4),
    points=st.floats(0, 1000, allow_nan=False),
    kind=st.sampled_from(["deduction", "bonus"]),
    reason=st.text(max_size=30),
    page=st.none() | st.integers(1, 300),
    bbox=st.none() | st.lists(st.floats(0, 900, allow_nan=False), min_size=4, max_size=4),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_deduction, max_size=5))
def test_records_round_trip_through_arrow(records: list[DeductionRecord]) -> None:
    table = records_to_table("deductions", records)
    back = [DeductionRecord(**row) for row in table.to_pylist()]
    assert back == records


def test_reingest_replaces_rows_and_writes_schema_version(tmp_path: Path) -> None:
    write_batch(tmp_path, {"documents": [doc("a", "x.txt"), doc("b", "y.txt")]})
    write_batch(tmp_path, {"documents": [doc("a", "x.txt")]})
    ids = sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist())
    assert ids == ["a", "b"]
    # The same path with new content replaces the old document too.
    write_batch(tmp_path, {"documents": [doc("c", "y.txt")]})
    assert sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist()) == ["a", "c"]
    for table in TABLES:
        files = list((tmp_path / table).glob("*.parquet"))
        assert files and all(schema_version_of(f) == SCHEMA_VERSION for f in files)
    assert not list(tmp_path.rglob(".*.tmp"))


def test_output_reads_in_pandas_polars_and_duckdb(tmp_path: Path) -> None:
    import duckdb
    import pandas as pd
    import polars as pl

    write_batch(tmp_path, {"documents": [doc("a", "x.txt")]})
    assert pd.read_parquet(tmp_path / "documents")["doc_id"].tolist() == ["a"]
    assert pl.read_parquet(tmp_path / "documents" / "*.parquet")["doc_id"].to_list() == ["a"]
    glob = str(tmp_path / "documents" / "*.parquet")
    assert duckdb.connect().execute(f"SELECT issue_date FROM read_parquet('{glob}')").fetchone() == (
        dt.date(2022, 8, 9),
    )
    # An empty table still has its schema.
    assert pq.read_schema(next((tmp_path / "findings").glob("*.parquet"))).names[:3] == [
        "doc_id",
        "unit",
        "check",
    ]


def test_a_store_keeps_its_index_across_batches(tmp_path: Path) -> None:
    from pipeline.store import Store

    store = Store(tmp_path)
    store.write_batch({"documents": [doc("a", "x.txt"), doc("b", "y.txt")]})
    store.write_batch({"documents": [doc("c", "z.txt")]})
    store.write_batch({"documents": [doc("b2", "y.txt"), doc("a", "x.txt")]})  # y.txt changed, x.txt again
    assert sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist()) == ["a", "b2", "c"]
    # A store opened later sees what the first one wrote.
    Store(tmp_path).write_batch({"documents": [doc("c", "z.txt")]})
    assert sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist()) == ["a", "b2", "c"]
    assert len(list((tmp_path / "documents").glob("*.parquet"))) == 2


def test_problems_and_parts_with_a_maximum_are_written_and_read_back(tmp_path: Path) -> None:
    from decimal import Decimal

    from parsers.document import parse_document
    from parsers.model import Line, Part, Problem
    from pipeline.parse import build_result

    ex = parse_document((Path(__file__).parent / "fixtures" / "text" / "utf8_bom.txt").read_bytes(), "c.txt")
    ex.problems = [Problem("甲镇", "甲 镇", "垃圾清运不及时", 2, Line("甲 镇：垃圾清运不及时2处", 9))]
    from parsers.tables import ScoreRow

    ex.scores = [
        ScoreRow(
            "新县", 1, "1", Decimal("99"), None, None, [Part("物业", None, Decimal("38"), Decimal("40"))]
        )
    ]
    ex.score_units = ["新县"]
    result = build_result(ex, "d1", "c.txt", 10)
    write_batch(tmp_path, result.records)
    problems = read_table(tmp_path, "problems").to_pylist()
    assert problems == [
        {
            "doc_id": "d1",
            "unit": "甲镇",
            "unit_raw": "甲 镇",
            "problem": "垃圾清运不及时",
            "count": 2,
            "page": None,
            "line_start": 9,
            "line_end": 9,
            "bbox": None,
            "raw_text": "甲 镇：垃圾清运不及时2处",
        }
    ]
    assert read_table(tmp_path, "deductions").column("reason").to_pylist() == ["未见辖区《安全生产职责清单》"]
    (parts,) = read_table(tmp_path, "scores").column("parts").to_pylist()
    assert parts == [{"name": "物业", "weight": None, "max": 40.0, "score": 38.0}]


def test_a_folder_written_before_the_sources_table_is_read_and_updated(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from pipeline.store import Store

    # Schema 2's layout: part-<digest>.parquet, no sources folder; source_path is the only path.
    old = {"documents": [doc("a", "/x.txt"), doc("b", "/y.txt")], "deductions": []}
    for table in TABLES:
        if table == "sources":
            continue
        folder = tmp_path / table
        folder.mkdir()
        pq.write_table(records_to_table(table, old.get(table, [])), folder / "part-0123456789abcdef.parquet")
    store = Store(tmp_path)
    assert store.repaired == 0 and store.source("/y.txt").doc_id == "b"
    store.write_batch({"documents": [doc("b2", "/y.txt")]})  # y.txt changed
    assert sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist()) == ["a", "b2"]
    assert sorted(read_table(tmp_path, "sources").column("source_path").to_pylist()) == ["/x.txt", "/y.txt"]


def test_deferred_rewrites_rewrite_each_older_batch_once_and_a_crash_before_them_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.store import Store

    store = Store(tmp_path)
    store.write_batch({"documents": [doc("a", "x.txt"), doc("b", "y.txt"), doc("c", "z.txt")]})
    rewritten: list[str] = []
    rewrite = Store._rewrite

    def counted(self: Store, name: str, *rest: object) -> None:
        rewritten.append(name)
        rewrite(self, name, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_rewrite", counted)
    older = store.batch_files()
    store.defer_rewrites()
    store.write_batch({"documents": [doc("a2", "x.txt")]})  # x.txt changed: its old document leaves
    store.write_batch({"documents": [doc("b2", "y.txt")]})  # and y.txt, in a later batch
    assert rewritten == []
    # Until the rewrites, the older rows are still there: what a crash here leaves, and what the
    # recovery pass of the next open puts right (protocol step 4).
    assert sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist()) == [
        "a",
        "a2",
        "b",
        "b2",
        "c",
    ]
    crashed = tmp_path.parent / "crashed"
    shutil.copytree(tmp_path, crashed)
    Store(crashed)
    assert sorted(read_table(crashed, "documents").column("doc_id").to_pylist()) == ["a2", "b2", "c"]
    rewritten.clear()  # the recovery pass rewrote the copy's older batch
    store.finish_rewrites()
    assert rewritten == older  # once, for both batches that took from it
    assert sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist()) == ["a2", "b2", "c"]
    assert sorted(read_table(tmp_path, "sources").column("source_path").to_pylist()) == [
        "x.txt",
        "y.txt",
        "z.txt",
    ]
    # After finish_rewrites, a batch rewrites what it takes at once again.
    store.write_batch({"documents": [doc("c2", "z.txt")]})
    assert sorted(read_table(tmp_path, "documents").column("doc_id").to_pylist()) == ["a2", "b2", "c2"]
    assert rewritten == older


def _three_documents(out: Path) -> Store:
    store = Store(out)
    store.write_batch({"documents": [doc("a", "x.txt"), doc("b", "y.txt"), doc("c", "z.txt")]})
    return store


def _staged_written(store: Store) -> None:
    for staged in store._staged.values():
        staged.files()  # waits for it


def _ids(out: Path, table: str = "documents", column: str = "doc_id") -> list[str]:
    return sorted(read_table(out, table).column(column).to_pylist())


def test_a_foreseen_rewrite_is_staged_while_files_parse_and_moved_into_place(tmp_path: Path) -> None:
    store = _three_documents(tmp_path)
    store.defer_rewrites(claimed=["x.txt"])
    _staged_written(store)
    staged = list(tmp_path.glob("*/.part-*.staged.tmp"))
    assert {p.parent.name for p in staged} == {"documents", "sources"}  # no other table had rows
    assert _ids(tmp_path) == ["a", "b", "c"]  # nothing visible changed
    store.write_batch({"documents": [doc("a2", "x.txt")]})
    store.finish_rewrites()
    assert not list(tmp_path.rglob(".*.tmp"))
    assert _ids(tmp_path) == ["a2", "b", "c"]
    assert _ids(tmp_path, "sources", "source_path") == ["x.txt", "y.txt", "z.txt"]


def test_a_staged_rewrite_the_run_did_not_foresee_is_deleted_and_the_batch_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _three_documents(tmp_path)
    store.write_batch({"documents": [doc("d", "w.txt")]})
    store.write_batch(
        {"documents": [doc("a", "x.txt"), doc("b", "y.txt"), doc("c", "z.txt"), doc("d", "w.txt")]}
    )
    # Foreseen: x.txt changes. What happens: y.txt does.
    store.defer_rewrites(claimed=["x.txt"])
    _staged_written(store)
    writes: list[str] = []
    write_kept = Store._write_kept
    monkeypatch.setattr(
        Store,
        "_write_kept",
        lambda self, name, *rest: (writes.append(name), write_kept(self, name, *rest))[1],
    )
    store.write_batch({"documents": [doc("b2", "y.txt")]})
    store.finish_rewrites()
    assert len(writes) == 1  # the staged file did not hold what the batch should keep
    assert not list(tmp_path.rglob(".*.tmp"))
    assert _ids(tmp_path) == ["a", "b2", "c", "d"]
    assert _ids(tmp_path, "sources", "source_path") == ["w.txt", "x.txt", "y.txt", "z.txt"]


def test_a_staged_rewrite_that_failed_is_written_again_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _three_documents(tmp_path)
    write_kept = Store._write_kept

    def full_disk(self: Store, name: str, keep: set[str], sources: list, target):  # type: ignore[no-untyped-def]
        if ".staged" in str(target("documents")):
            raise OSError(28, "No space left on device")
        return write_kept(self, name, keep, sources, target)

    monkeypatch.setattr(Store, "_write_kept", full_disk)
    store.defer_rewrites(claimed=["x.txt"])
    store.write_batch({"documents": [doc("a2", "x.txt")]})
    store.finish_rewrites()
    assert _ids(tmp_path) == ["a2", "b", "c"] and not list(tmp_path.rglob(".*.tmp"))
