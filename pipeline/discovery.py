"""Which files an ingest reads: every file under the folders given, hidden ones counted, symlinks
out of the folders refused (each with a skipped row), archives replaced by their members.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from parsers.formats import READ_SUFFIXES, detect_format
from pipeline.containers import expand_archives
from pipeline.options import UsageError


@dataclass(slots=True)
class Discovery:
    """The files an ingest reads, how many hidden ones it left out, and what it would not open."""

    files: list[Path]
    hidden: int = 0
    """Files under a hidden name (.git/, .DS_Store): not searched, only counted in the summary."""
    refused: list[tuple[Path, str]] = field(default_factory=list)
    """(path, why) of entries not followed: symlinks leading out of the folders given. Each gets a
    skipped documents row, so the archive's every name is accounted for."""


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every file under the given files and folders (recursive), in a stable order (see discover_files)."""
    return discover_files(paths).files


def discover_files(paths: Iterable[str | Path]) -> Discovery:
    """Every file under the given files and folders (recursive), in a stable order.

    Nothing is filtered by name or format: a file tongbao does not read still gets its documents
    row (status skipped, with the reason), so a run never leaves part of an archive out unsaid.
    Hidden files and folders (names starting with '.': .git, .DS_Store) are not searched; the
    summary says how many there were. A symlink under a folder is followed only when it leads
    inside one of the folders given (an archive holding `hostname -> /etc/hostname` must not
    make tongbao read outside it); one leading out gets a skipped row. FIFOs, sockets and
    devices are listed, and parse_file gives them a skipped row without opening them.

    Raises:
        UsageError: a path does not exist, or a folder holds no file tongbao reads.
    """
    given = [Path(raw) for raw in paths]
    roots = [p.resolve() for p in given if p.is_dir()]
    found: list[Path] = []
    refused: list[tuple[Path, str]] = []
    hidden = 0
    for path in given:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder.")
        if not path.is_dir():
            found.append(path)
            continue
        inside, left_out, outside = _files_under(path, roots)
        hidden += left_out
        refused.extend(outside)
        if not any(_is_read(p) for p in inside):
            listed = ", ".join(p.name for p in inside[:5]) + (", …" if len(inside) > 5 else "")
            held = f"{len(inside)} file(s), none of a format it reads: {listed}" if inside else "no files"
            raise UsageError(
                f"{path}: the folder holds no file tongbao reads ({held}); it reads {' '.join(READ_SUFFIXES)}."
            )
        found.extend(inside)
    return Discovery(expand_archives(list(dict.fromkeys(found))), hidden, list(dict.fromkeys(refused)))


def _files_under(folder: Path, roots: list[Path]) -> tuple[list[Path], int, list[tuple[Path, str]]]:
    """The files under `folder` (sorted), the number of hidden ones left out, and the symlinks
    leading out of `roots` (not followed)."""
    files: list[Path] = []
    outside: list[tuple[Path, str]] = []
    hidden = 0
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:  # gone or unreadable since it was listed: its files are simply not there
            continue
        for entry in entries:
            path = Path(entry.path)
            # Only the entry's own name is looked at: a hidden folder is never descended into.
            if entry.name.startswith("."):
                hidden += _files_in(path) if _is_dir(entry) else 1
                continue
            if entry.is_symlink():
                target = path.resolve()
                if not any(target.is_relative_to(root) for root in roots):
                    outside.append((path, _outside_reason(path, folder, target)))
                    continue
                if target.is_dir():
                    continue  # inside the folders given: its files are found where they are
            if _is_dir(entry):
                pending.append(path)
            elif entry.is_symlink() and not target.exists():
                outside.append((path, f"{path.name}: a broken symlink (to {target}); nothing to read."))
            else:
                files.append(path)
    return sorted(files), hidden, sorted(outside)


def _files_in(folder: Path) -> int:
    """How many files a hidden folder holds (counted for the summary, never read)."""
    return sum(len(names) for _, _, names in os.walk(folder))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _outside_reason(path: Path, folder: Path, target: Path) -> str:
    return (
        f"{path.name}: a symlink leading out of the folders given (to {target}); not followed. Give "
        "the target itself if it should be read."
    )


def _is_read(path: Path) -> bool:
    """Whether tongbao reads the file (its name says so, or else its bytes)."""
    if path.suffix.lower() in READ_SUFFIXES:
        return True
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the read below
            return False
        return detect_format(path.read_bytes(), path.name).readable
    except OSError:
        return False


__all__ = ["Discovery", "discover", "discover_files"]
