"""A document's identity (its bytes' hash) and a path's stored form, without the parsers.

Kept apart from pipeline/parse.py so that a re-run that finds everything unchanged looks paths
up in the store without importing the parsers (~1.3 s of a re-run's start-up).
"""

from __future__ import annotations

import hashlib


def doc_id_of(data: bytes) -> str:
    """A stable id from the file's content: the same bytes are the same document wherever they live."""
    return hashlib.sha256(data).hexdigest()[:16]


def shown_path(text: str) -> str:
    """A path or name as a str every writer and terminal takes: bytes that were not UTF-8 (a GBK
    name unzipped from a Windows archive, held by Python as surrogates) become `\\xNN`."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


__all__ = ["doc_id_of", "shown_path"]
