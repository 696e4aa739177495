"""The parser version stored with every document: tongbao's release and a digest of the code that
turns bytes into records (parsers/, pipeline/, schemas/).

An incremental run skips a file whose bytes and parser version are already stored. With the release
alone ("0.1.0" since the first commit) an upgraded tongbao skipped every file an older one had read,
keeping the older records; with the digest, any change of that code parses them again once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from parsers import PARSER_VERSION as RELEASE

CODE_FOLDERS = ("parsers", "pipeline", "schemas")


def code_digest(root: Path, folders: tuple[str, ...] = CODE_FOLDERS) -> str:
    """A digest of every .py file under `folders` of `root` (names and bytes), 12 hex digits."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


PARSER_VERSION = f"{RELEASE}+{code_digest(Path(__file__).resolve().parent.parent)}"
