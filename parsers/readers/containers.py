"""Expand archives (.zip, .7z, .rar) into their members, within limits, never onto disk.

Government archives publish batches of circulars as one archive, often made on Chinese Windows,
so zip member names are GBK bytes without the UTF-8 flag (bit 11): Python's zipfile decodes
those as cp437 (鍏充簬… mojibake), and they are decoded again here as UTF-8 (tools that write
UTF-8 without the flag: macOS, 7-Zip on Linux) or else GB18030.

Every member becomes an `ArchiveMember` with its bytes or with the reason it was not expanded;
the caller gives each one its own documents row (`source_path` = `archive.zip!/member`).

Limits (`ContainerLimits`), each with its own message:
- member count, checked on the archive's directory before anything is unpacked;
- total uncompressed size, by the sizes the directory declares AND by the bytes actually
  unpacked (a directory may lie), counted over nested archives too;
- the size of one member, since a member is held in memory while it is read;
- compression ratio per member: a member that declares or unpacks to more than `max_ratio`
  times its packed size (and past 1 MiB: small text compresses well legitimately) is a bomb and
  is refused without being unpacked further;
- nesting depth: an archive inside an archive is expanded to `max_depth` levels.

Skipped without a row, as discovery skips hidden files in folders: directories, `__MACOSX/`
resource forks and dot-files (.DS_Store), which are the archiver's bookkeeping, not documents.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

from parsers.formats import EMPTY_ZIP_MAGIC, RAR_MAGIC, SEVEN_ZIP_MAGIC, ZIP_MAGIC
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, TongbaoError, UnsupportedInput
from parsers.readers.archive_limits import (
    ARCHIVE_SUFFIXES,
    CHUNK,
    ArchiveMember,
    ArchiveRefused,
    Budget,
    ContainerLimits,
    bomb,
    check_directory,
    is_archive_name,
    is_bookkeeping,
    ratio_exceeded,
    size_text,
    too_big,
)

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path: the UTF-8 name beside a legacy one


def archive_kind(data: bytes) -> str | None:
    """zip, 7z or rar by the first bytes; None for anything else."""
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "zip"
    if data.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    if data.startswith(RAR_MAGIC):
        return "rar"
    return None


def archive_members(
    data: bytes | Path,
    name: str,
    limits: ContainerLimits | None = None,
    *,
    select: str | None = None,
    names_only: bool = False,
) -> Iterator[ArchiveMember]:
    """Yield the documents an archive holds, expanding nested archives to `limits.max_depth`.

    `select` yields only the member of that path (`内.zip!/b.txt`), unpacking nothing else but
    the archives on its way; `names_only` yields members with `data` None, unpacking only nested
    archives (to list their members): discovery lists an archive's documents that way, and each
    worker then unpacks its one member with `select`. Every limit holds in both modes.

    Raises (before any member is yielded, where the directory tells):
        ArchiveRefused: too many members or too many bytes declared in all.
        DamagedInput: the archive's directory cannot be read (truncated).
        EncryptedInput: a 7z whose member names are encrypted.
        UnsupportedInput: the bytes are no archive tongbao opens (or .rar without a tool).
        EmptyInput: no bytes.
    """
    budget = Budget(limits or ContainerLimits(), select=select, names_only=names_only)
    if isinstance(data, Path):
        # From the file itself: the archive's directory and the wanted member are read, not the
        # whole archive (a worker unpacking one member of a large archive reads that member).
        with data.open("rb") as stream:
            if not stream.read(1):
                raise EmptyInput(f"{name}: the file is empty; nothing to read.")
            yield from _members(stream, name, "", budget, depth=1)
        return
    if not data:
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    yield from _members(io.BytesIO(data), name, "", budget, depth=1)


def _members(data: BinaryIO, name: str, prefix: str, budget: Budget, depth: int) -> Iterator[ArchiveMember]:
    data.seek(0)
    kind = archive_kind(data.read(8))
    data.seek(0)
    if kind == "zip":
        entries = _zip_members(data, name, prefix, budget)
    elif kind == "7z":
        from parsers.readers.archive_7z_rar import seven_zip_members

        entries = seven_zip_members(data, name, prefix, budget)
    elif kind == "rar":
        from parsers.readers.archive_7z_rar import rar_members

        entries = rar_members(data, name, prefix, budget)
    else:
        raise UnsupportedInput(f"{name}: is not a .zip, .7z or .rar archive (its first bytes match none).")
    for member in entries:
        path = prefix + member.path
        if member.data is not None and archive_kind(member.data) and is_archive_name(member.path):
            if depth >= budget.limits.max_depth:
                yield ArchiveMember(
                    path,
                    None,
                    ArchiveRefused(
                        f"{name}!/{member.path}: an archive nested {depth + 1} levels deep; tongbao "
                        f"expands {budget.limits.max_depth} levels at most: extract it and give "
                        "tongbao the folder."
                    ),
                )
                continue
            try:
                yield from _members(
                    io.BytesIO(member.data), f"{name}!/{member.path}", path + "!/", budget, depth + 1
                )
            except ArchiveRefused:
                raise
            except TongbaoError as exc:
                yield ArchiveMember(path, None, exc)
            continue
        yield ArchiveMember(path, member.data, member.error)


# ---------------------------------------------------------------- zip


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker wrote it: UTF-8 when flagged or carried in the Info-ZIP
    Unicode Path extra field, else the raw bytes as UTF-8 if they are valid, else GB18030."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    unicode_path = _unicode_path_extra(info.extra)
    if unicode_path is not None:
        return unicode_path
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unicode_path_extra(extra: bytes) -> str | None:
    at = 0
    while at + 4 <= len(extra):
        tag = int.from_bytes(extra[at : at + 2], "little")
        size = int.from_bytes(extra[at + 2 : at + 4], "little")
        body = extra[at + 4 : at + 4 + size]
        if tag == _UNICODE_PATH_EXTRA and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        at += 4 + size
    return None


def _zip_members(data: BinaryIO, name: str, prefix: str, budget: Budget) -> Iterator[ArchiveMember]:
    try:
        archive = zipfile.ZipFile(data)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DamagedInput(
            f"{name}: the zip archive is damaged — its directory cannot be read ({exc}); the file "
            "is probably truncated: download or copy it again."
        ) from exc
    named = [(zip_member_name(i), i) for i in infos]
    named = [(path, i) for path, i in named if not is_bookkeeping(path)]
    check_directory(name, len(named), sum(i.file_size for _, i in named), budget)
    limits = budget.limits
    for path, info in named:
        if not budget.wanted(prefix + path):
            continue
        if info.flag_bits & _ENCRYPTED_FLAG:
            yield ArchiveMember(
                path,
                None,
                EncryptedInput(
                    f"{name}!/{path}: the member is password-protected; extract it with its password "
                    "and give tongbao the file."
                ),
            )
            continue
        if ratio_exceeded(info.compress_size, info.file_size, limits):
            yield ArchiveMember(path, None, bomb(name, path, info.compress_size, info.file_size, limits))
            continue
        if info.file_size > limits.max_member_bytes:
            yield ArchiveMember(path, None, too_big(name, path, limits))
            continue
        if not budget.unpacks(prefix + path):
            yield ArchiveMember(path, None)
            continue
        yield _read_zip_member(archive, info, name, path, budget)


def _read_zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, path: str, budget: Budget
) -> ArchiveMember:
    """Unpack one member in chunks, counting bytes against the limits as they come."""
    limits = budget.limits
    chunks: list[bytes] = []
    got = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                got += len(chunk)
                budget.unpacked += len(chunk)
                if ratio_exceeded(info.compress_size, got, limits):
                    return ArchiveMember(path, None, bomb(name, path, info.compress_size, got, limits))
                if got > limits.max_member_bytes:
                    return ArchiveMember(path, None, too_big(name, path, limits))
                if budget.unpacked > limits.max_total_bytes:
                    raise ArchiveRefused(
                        f"{name}: unpacked more than {size_text(limits.max_total_bytes)} in all; refused "
                        "(the members' declared sizes were false)."
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        return ArchiveMember(
            path,
            None,
            DamagedInput(
                f"{name}!/{path}: the member cannot be unpacked ({exc}); the archive is damaged: "
                "download or copy it again."
            ),
        )
    except NotImplementedError as exc:  # a compression method zipfile lacks (deflate64, PPMd)
        return ArchiveMember(
            path,
            None,
            UnsupportedInput(
                f"{name}!/{path}: packed with a method tongbao cannot unpack ({exc}); extract it "
                "with 7-Zip and give tongbao the file."
            ),
        )
    return ArchiveMember(path, b"".join(chunks))


def read_archive(data: bytes, name: str) -> NoReturn:
    """The reader for an archive that reaches parsing as itself, because discovery could not list
    its members: raise why (limits, damage, encryption, no unpacker), or that it holds nothing.

    Raises:
        TongbaoError: always; ArchiveRefused, DamagedInput, EncryptedInput, UnsupportedInput or
            EmptyInput from the listing, else UnsupportedInput.
    """
    if not any(True for _ in archive_members(data, name, names_only=True)):
        raise EmptyInput(f"{name}: the archive holds no documents (only folders or hidden files).")
    raise UnsupportedInput(
        f"{name}: an archive is read member by member: ingest its path, and each member becomes "
        "a document of its own (archive.zip!/member)."
    )


__all__ = [
    "ARCHIVE_SUFFIXES",
    "ArchiveMember",
    "ArchiveRefused",
    "ContainerLimits",
    "archive_kind",
    "archive_members",
    "read_archive",
    "zip_member_name",
]
