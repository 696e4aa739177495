"""The ingest's writer thread: batches written in order, one at a time; a write's error reaches
the caller; what was handed over is written before an error elsewhere goes up."""

from __future__ import annotations

import threading

import pytest

from pipeline.batch_writer import BatchWriter


def test_batches_are_written_in_the_order_submitted_on_another_thread() -> None:
    written: list[tuple[int, str]] = []
    writer: BatchWriter[int] = BatchWriter(lambda n: written.append((n, threading.current_thread().name)))
    for n in range(20):
        writer.submit(n)
    writer.close()
    assert [n for n, _ in written] == list(range(20))
    assert {name for _, name in written} == {"tongbao-writer"}


def test_a_failed_write_is_raised_by_close_and_stops_later_writes() -> None:
    written: list[int] = []

    def write(n: int) -> None:
        if n == 2:
            raise OSError(28, "No space left on device")
        written.append(n)

    writer: BatchWriter[int] = BatchWriter(write, depth=10)
    for n in range(5):
        writer.submit(n)
    with pytest.raises(OSError, match="No space left"):
        writer.close()
    assert written == [0, 1]
    writer.close()  # reported once: closing again is quiet


def test_a_failed_write_is_raised_by_the_next_submit() -> None:
    failed = threading.Event()

    def write(n: int) -> None:
        failed.set()
        raise RuntimeError("disk gone")

    writer: BatchWriter[int] = BatchWriter(write)
    writer.submit(1)
    failed.wait(5)
    writer.close(quiet=True)  # joins the thread, so the error is set
    with pytest.raises(RuntimeError, match="disk gone"):
        writer.submit(2)


def test_a_quiet_close_still_writes_what_was_submitted() -> None:
    written: list[int] = []
    writer: BatchWriter[int] = BatchWriter(written.append, depth=5)
    for n in range(5):
        writer.submit(n)
    writer.close(quiet=True)
    assert written == [0, 1, 2, 3, 4]


def test_submit_after_close_says_so() -> None:
    writer: BatchWriter[int] = BatchWriter(lambda n: None)
    writer.close()
    with pytest.raises(RuntimeError, match="after close"):
        writer.submit(1)
