"""Imported at start-up by every interpreter of a test's ingest (the folder is put on its
PYTHONPATH): the parser slowed to 0.3 s a file, so a stop lands in the middle of the run.

A start-up hook rather than a patch in the ingest's own script because a long run's workers are
forked from multiprocessing's forkserver, a fresh interpreter that never runs that script."""

import time

import pipeline.parse as parse

_original = parse.extract_document


def _slow(read):  # type: ignore[no-untyped-def]
    time.sleep(0.3)
    return _original(read)


parse.extract_document = _slow
