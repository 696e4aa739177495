"""What an archive may hold before tongbao refuses it, and the budget that counts it as it is read.

Shared by the zip reader (parsers/readers/containers.py) and the 7z/rar readers
(parsers/readers/archive_7z_rar.py); the limits themselves are described in containers.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from parsers.model import TongbaoError

ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
MIB = 1024 * 1024
CHUNK = MIB


class ArchiveRefused(TongbaoError):
    """The whole archive is refused: it exceeds a limit (members, total size, depth)."""


@dataclass(frozen=True, slots=True)
class ContainerLimits:
    max_members: int = 5000
    max_total_bytes: int = 2 * 1024 * MIB
    max_member_bytes: int = 256 * MIB
    max_ratio: float = 200.0
    max_depth: int = 2
    """Levels of archives: 2 = an archive and the archives it holds, not deeper."""


@dataclass(slots=True)
class ArchiveMember:
    path: str
    """Inside the outermost archive; nested archives joined by `!/` (`年度.zip!/一月.docx`)."""
    data: bytes | None
    error: TongbaoError | None = None
    """Why the member was not expanded (bomb, encrypted, damaged, too deep); None when read."""


@dataclass(slots=True)
class Budget:
    """Bytes unpacked so far over the whole tree of archives."""

    limits: ContainerLimits
    unpacked: int = 0
    declared: int = 0
    members: int = 0
    select: str | None = None
    """Only this member (a full path, nested parts joined by `!/`) and the archives holding it."""
    names_only: bool = False
    """List members without unpacking them (nested archives are still unpacked, to list them)."""

    def wanted(self, full: str) -> bool:
        return self.select is None or full == self.select or self.select.startswith(full + "!/")

    def unpacks(self, full: str) -> bool:
        return not self.names_only or is_archive_name(full)


def is_archive_name(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in ARCHIVE_SUFFIXES


def is_bookkeeping(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def check_directory(name: str, count: int, declared: int, budget: Budget) -> None:
    limits = budget.limits
    budget.members += count
    budget.declared += declared
    if budget.members > limits.max_members:
        raise ArchiveRefused(
            f"{name}: holds {count} members; tongbao expands {limits.max_members} at most per "
            "archive (a bomb made of many members?). Extract it and give tongbao the folders in parts."
        )
    if budget.declared > limits.max_total_bytes:
        raise ArchiveRefused(
            f"{name}: its members declare {size_text(declared)} unpacked, more than the "
            f"{size_text(limits.max_total_bytes)} tongbao unpacks from one archive (a zip bomb?); refused "
            "without unpacking. Extract it yourself if you trust it."
        )


def size_text(n: int) -> str:
    if n >= 1024 * MIB:
        return f"{n / (1024 * MIB):.1f} GiB"
    if n >= MIB:
        return f"{n / MIB:.1f} MiB"
    return f"{n} bytes"


def bomb(name: str, path: str, packed: int, unpacked: int, limits: ContainerLimits) -> ArchiveRefused:
    return ArchiveRefused(
        f"{name}!/{path}: unpacks to {size_text(unpacked)} from {size_text(packed)} "
        f"(more than {limits.max_ratio:g} times; a zip bomb?); refused without unpacking it."
    )


def too_big(name: str, path: str, limits: ContainerLimits) -> ArchiveRefused:
    return ArchiveRefused(
        f"{name}!/{path}: larger than the {size_text(limits.max_member_bytes)} tongbao reads from one "
        "archive member; extract it and give tongbao the file."
    )


def ratio_exceeded(packed: int, unpacked: int, limits: ContainerLimits) -> bool:
    return unpacked > MIB and unpacked > limits.max_ratio * max(packed, 1)
