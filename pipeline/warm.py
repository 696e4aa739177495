"""The readers, loaded before any file worker is made: importing this module loads them.

Workers start warm instead of paying on their first file for imports and caches (a worker's
first files cost ~1 s of CPU more than the rest without this): the text-layer readers and their
libraries, the county gazetteer (cpca, with pandas: ~0.4 s and 60 MiB) and the
traditional-character converter. OCR stays lazy: it is heavy and only scans need it.

It is a module rather than a function because multiprocessing's forkserver, which workers are
forked from (pipeline/workers.py, worker_context), can only be told which modules to import.
"""

from __future__ import annotations

import importlib


def warm_readers() -> None:
    """Import the readers and fill the caches their first file would fill."""
    for name in (
        "parsers.readers.text",
        "parsers.readers.html",
        "parsers.readers.docx",
        "parsers.readers.pdf",
        "pipeline.parse",
    ):
        importlib.import_module(name)
    for name in ("docx", "selectolax.lexbor", "pypdfium2"):
        try:
            importlib.import_module(name)
        except ImportError:  # an optional reader not installed: its files say so when met
            pass
    from parsers.traditional import to_simplified
    from pipeline.gazetteer import adcode_of

    to_simplified("國")
    adcode_of("浉河区", "信阳市人民政府")


warm_readers()
