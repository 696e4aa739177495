"""Archives at the pipeline level: each member is a document of its own, `archive.zip!/member`.

Discovery replaces an archive by its members' paths (listing the archive without unpacking
its members); each worker then unpacks only its member (`read_source`), under the worker's
time limit, so one bad member costs that member only and the members of a large archive are
read in parallel like files of a folder. An archive refused as a whole (too many members, too
large, damaged, a .rar without an unpacker) stays in the list as itself: its reader raises the
refusal, and the archive gets a failed documents row with the message.
"""

from __future__ import annotations

from pathlib import Path

from parsers.model import TongbaoError
from parsers.readers.containers import ARCHIVE_SUFFIXES, archive_kind, archive_members

MEMBER_SEPARATOR = "!/"


def expand_archives(paths: list[Path]) -> list[Path]:
    """The paths, with every readable archive replaced by its members' paths (in archive order)."""
    out: list[Path] = []
    for path in paths:
        out.extend(archive_member_paths(path))
    return list(dict.fromkeys(out))


def archive_member_paths(path: Path) -> list[Path]:
    """`path!/member` for each member of an archive; [path] for any other file, and for an
    archive that is refused as a whole (its documents row then says why)."""
    if path.suffix.lower() not in ARCHIVE_SUFFIXES:
        return [path]
    try:
        with path.open("rb") as stream:
            if archive_kind(stream.read(8)) is None:
                return [path]
        members = [m.path for m in archive_members(path, path.name, names_only=True)]
    except (OSError, TongbaoError):
        return [path]
    if not members:
        return [path]
    return [Path(f"{path}{MEMBER_SEPARATOR}{member}") for member in members]


def split_member_path(path: str) -> tuple[Path, str] | None:
    """(archive file, member path) for `archive.zip!/member`; None for a plain file's path."""
    at = path.find(MEMBER_SEPARATOR)
    while at != -1:
        archive = Path(path[:at])
        if archive.suffix.lower() in ARCHIVE_SUFFIXES and archive.is_file():
            return archive, path[at + len(MEMBER_SEPARATOR) :]
        at = path.find(MEMBER_SEPARATOR, at + 1)
    return None


def read_source(path: str) -> bytes:
    """The bytes of a file, or of one archive member (`archive.zip!/member`), unpacked alone.

    Raises:
        OSError: the file cannot be read.
        TongbaoError: the member is refused (a bomb, encrypted, too large, nested too deep) or
            the archive is damaged; the message says which and what to do.
    """
    split = split_member_path(path)
    if split is None:
        return Path(path).read_bytes()
    archive, member = split
    for found in archive_members(archive, archive.name, select=member):
        if found.path != member:
            continue
        if found.error is not None:
            raise found.error
        if found.data is not None:
            return found.data
    raise FileNotFoundError(f"{archive.name} holds no member {member}")


__all__ = ["MEMBER_SEPARATOR", "archive_member_paths", "expand_archives", "read_source"]
