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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, NoReturn

from parsers.model import DamagedInput, EmptyInput, EncryptedInput, TongbaoError, UnsupportedInput

ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGIC = b"Rar!\x1a\x07"
_MIB = 1024 * 1024
_CHUNK = _MIB
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path: the UTF-8 name beside a legacy one


class ArchiveRefused(TongbaoError):
    """The whole archive is refused: it exceeds a limit (members, total size, depth)."""


@dataclass(frozen=True, slots=True)
class ContainerLimits:
    max_members: int = 5000
    max_total_bytes: int = 2 * 1024 * _MIB
    max_member_bytes: int = 256 * _MIB
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
class _Budget:
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
        return not self.names_only or _is_archive_name(full)


def archive_kind(data: bytes) -> str | None:
    """zip, 7z or rar by the first bytes; None for anything else."""
    if data.startswith(ZIP_MAGIC):
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
    budget = _Budget(limits or ContainerLimits(), select=select, names_only=names_only)
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


def _members(data: BinaryIO, name: str, prefix: str, budget: _Budget, depth: int) -> Iterator[ArchiveMember]:
    data.seek(0)
    kind = archive_kind(data.read(8))
    data.seek(0)
    if kind == "zip":
        entries = _zip_members(data, name, prefix, budget)
    elif kind == "7z":
        entries = _seven_zip_members(data, name, prefix, budget)
    elif kind == "rar":
        entries = _rar_members(data, name, prefix, budget)
    else:
        raise UnsupportedInput(f"{name}: is not a .zip, .7z or .rar archive (its first bytes match none).")
    for member in entries:
        path = prefix + member.path
        if member.data is not None and archive_kind(member.data) and _is_archive_name(member.path):
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


def _is_archive_name(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in ARCHIVE_SUFFIXES


def _bookkeeping(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def _check_directory(name: str, count: int, declared: int, budget: _Budget) -> None:
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
            f"{name}: its members declare {_size(declared)} unpacked, more than the "
            f"{_size(limits.max_total_bytes)} tongbao unpacks from one archive (a zip bomb?); refused "
            "without unpacking. Extract it yourself if you trust it."
        )


def _size(n: int) -> str:
    if n >= 1024 * _MIB:
        return f"{n / (1024 * _MIB):.1f} GiB"
    if n >= _MIB:
        return f"{n / _MIB:.1f} MiB"
    return f"{n} bytes"


def _bomb(name: str, path: str, packed: int, unpacked: int, limits: ContainerLimits) -> ArchiveRefused:
    return ArchiveRefused(
        f"{name}!/{path}: unpacks to {_size(unpacked)} from {_size(packed)} "
        f"(more than {limits.max_ratio:g} times; a zip bomb?); refused without unpacking it."
    )


def _too_big(name: str, path: str, limits: ContainerLimits) -> ArchiveRefused:
    return ArchiveRefused(
        f"{name}!/{path}: larger than the {_size(limits.max_member_bytes)} tongbao reads from one "
        "archive member; extract it and give tongbao the file."
    )


def _ratio_exceeded(packed: int, unpacked: int, limits: ContainerLimits) -> bool:
    return unpacked > _MIB and unpacked > limits.max_ratio * max(packed, 1)


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


def _zip_members(data: BinaryIO, name: str, prefix: str, budget: _Budget) -> Iterator[ArchiveMember]:
    try:
        archive = zipfile.ZipFile(data)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DamagedInput(
            f"{name}: the zip archive is damaged — its directory cannot be read ({exc}); the file "
            "is probably truncated: download or copy it again."
        ) from exc
    named = [(zip_member_name(i), i) for i in infos]
    named = [(path, i) for path, i in named if not _bookkeeping(path)]
    _check_directory(name, len(named), sum(i.file_size for _, i in named), budget)
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
        if _ratio_exceeded(info.compress_size, info.file_size, limits):
            yield ArchiveMember(path, None, _bomb(name, path, info.compress_size, info.file_size, limits))
            continue
        if info.file_size > limits.max_member_bytes:
            yield ArchiveMember(path, None, _too_big(name, path, limits))
            continue
        if not budget.unpacks(prefix + path):
            yield ArchiveMember(path, None)
            continue
        yield _read_zip_member(archive, info, name, path, budget)


def _read_zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, path: str, budget: _Budget
) -> ArchiveMember:
    """Unpack one member in chunks, counting bytes against the limits as they come."""
    limits = budget.limits
    chunks: list[bytes] = []
    got = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                got += len(chunk)
                budget.unpacked += len(chunk)
                if _ratio_exceeded(info.compress_size, got, limits):
                    return ArchiveMember(path, None, _bomb(name, path, info.compress_size, got, limits))
                if got > limits.max_member_bytes:
                    return ArchiveMember(path, None, _too_big(name, path, limits))
                if budget.unpacked > limits.max_total_bytes:
                    raise ArchiveRefused(
                        f"{name}: unpacked more than {_size(limits.max_total_bytes)} in all; refused "
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


# ---------------------------------------------------------------- 7z


def _seven_zip_members(data: BinaryIO, name: str, prefix: str, budget: _Budget) -> Iterator[ArchiveMember]:
    archive, infos = _open_seven_zip(data, name)
    limits = budget.limits
    declared = sum(i.uncompressed or 0 for i in infos)
    _check_directory(name, len(infos), declared, budget)
    infos = [i for i in infos if budget.wanted(prefix + i.filename)]
    if archive.needs_password():
        for info in infos:
            yield ArchiveMember(
                info.filename,
                None,
                EncryptedInput(
                    f"{name}!/{info.filename}: the member is password-protected; extract it with its "
                    "password and give tongbao the file."
                ),
            )
        return
    # A solid 7z packs members together, so a ratio is known only for the archive as a whole.
    packed = data.seek(0, io.SEEK_END)
    data.seek(0)
    if _ratio_exceeded(packed, declared, limits):
        raise ArchiveRefused(
            f"{name}: declares {_size(declared)} unpacked from {_size(packed)} (more than "
            f"{limits.max_ratio:g} times; a bomb?); refused without unpacking."
        )
    for info in infos:
        if (info.uncompressed or 0) > limits.max_member_bytes:
            yield ArchiveMember(info.filename, None, _too_big(name, info.filename, limits))
        elif not budget.unpacks(prefix + info.filename):
            yield ArchiveMember(info.filename, None)
        else:
            yield _unpack_seven_zip_member(archive, info.filename, name, budget)


def _open_seven_zip(data: BinaryIO, name: str) -> tuple[Any, list[Any]]:
    try:
        import py7zr
    except ImportError:
        raise UnsupportedInput(
            f"{name}: a .7z archive, and the py7zr package that unpacks it is not installed "
            "(pip install py7zr); or extract it with 7-Zip and give tongbao the folder."
        ) from None
    try:
        archive = py7zr.SevenZipFile(data)
        return archive, [i for i in archive.list() if not i.is_directory and not _bookkeeping(i.filename)]
    except py7zr.PasswordRequired as exc:
        raise EncryptedInput(
            f"{name}: the 7z archive is password-protected (even its member names); extract it "
            "with its password and give tongbao the folder."
        ) from exc
    except Exception as exc:  # py7zr raises Bad7zFile, EOFError, LZMAError... on damaged bytes
        raise DamagedInput(
            f"{name}: the 7z archive is damaged — its directory cannot be read "
            f"({type(exc).__name__}: {exc}); download or copy it again."
        ) from exc


def _unpack_seven_zip_member(archive: Any, path: str, name: str, budget: _Budget) -> ArchiveMember:
    """Unpack one member through a writer that counts bytes and stops at the limits."""
    from py7zr.io import Py7zIO, WriterFactory

    limits = budget.limits

    class Counted(Py7zIO):
        def __init__(self) -> None:
            self.buffer = io.BytesIO()

        def write(self, s: bytes | bytearray) -> int:
            budget.unpacked += len(s)
            if self.buffer.tell() + len(s) > limits.max_member_bytes:
                raise _Overflow("member")
            if budget.unpacked > limits.max_total_bytes:
                raise _Overflow("total")
            return self.buffer.write(s)

        def read(self, size: int | None = None) -> bytes:
            return self.buffer.read(size)

        def seek(self, offset: int, whence: int = 0) -> int:
            return self.buffer.seek(offset, whence)

        def flush(self) -> None:
            return None

        def size(self) -> int:
            return self.buffer.getbuffer().nbytes

    class Factory(WriterFactory):
        def __init__(self) -> None:
            self.files: dict[str, Counted] = {}

        def create(self, filename: str) -> Py7zIO:
            self.files[filename] = Counted()
            return self.files[filename]

    factory = Factory()
    try:
        archive.reset()
        archive.extract(targets=[path], factory=factory)
    except _Overflow as over:
        if str(over) == "total":
            raise ArchiveRefused(
                f"{name}: unpacked more than {_size(limits.max_total_bytes)} in all; refused."
            ) from None
        return ArchiveMember(path, None, _too_big(name, path, limits))
    except Exception as exc:
        return ArchiveMember(
            path,
            None,
            DamagedInput(
                f"{name}!/{path}: the member cannot be unpacked ({type(exc).__name__}: {exc}); the "
                "archive is damaged: download or copy it again."
            ),
        )
    written = factory.files.get(path)
    return ArchiveMember(path, written.buffer.getvalue() if written else b"")


class _Overflow(Exception):
    """Raised inside py7zr's writer to stop unpacking at a limit."""


# ---------------------------------------------------------------- rar


def _rar_members(data: BinaryIO, name: str, prefix: str, budget: _Budget) -> Iterator[ArchiveMember]:
    """RAR is a closed format: rarfile reads its directory but needs an unrar tool to unpack."""
    try:
        import rarfile
    except ImportError:
        rarfile = None
    tool_ok = False
    if rarfile is not None:
        try:
            rarfile.tool_setup()
            tool_ok = True
        except Exception:  # rarfile.RarCannotExec: no unrar, unar, bsdtar or 7z found
            tool_ok = False
    if not tool_ok:
        raise UnsupportedInput(
            f"{name}: a .rar archive, and no RAR unpacker is installed: `pip install rarfile` and "
            "an unrar tool (`apt-get install libarchive-tools` or unrar), or extract it with "
            "WinRAR/7-Zip and give tongbao the folder."
        )
    limits = budget.limits
    try:
        archive = rarfile.RarFile(data)
        infos = [i for i in archive.infolist() if not i.is_dir() and not _bookkeeping(i.filename)]
    except rarfile.PasswordRequired as exc:
        raise EncryptedInput(f"{name}: the rar archive is password-protected; extract it yourself.") from exc
    except Exception as exc:
        raise DamagedInput(f"{name}: the rar archive is damaged ({type(exc).__name__}: {exc}).") from exc
    _check_directory(name, len(infos), sum(i.file_size for i in infos), budget)
    for info in infos:
        if not budget.wanted(prefix + info.filename):
            continue
        if info.needs_password():
            yield ArchiveMember(
                info.filename,
                None,
                EncryptedInput(f"{name}!/{info.filename}: the member is password-protected."),
            )
        elif _ratio_exceeded(info.compress_size, info.file_size, limits):
            yield ArchiveMember(
                info.filename, None, _bomb(name, info.filename, info.compress_size, info.file_size, limits)
            )
        elif info.file_size > limits.max_member_bytes:
            yield ArchiveMember(info.filename, None, _too_big(name, info.filename, limits))
        elif not budget.unpacks(prefix + info.filename):
            yield ArchiveMember(info.filename, None)
        else:
            try:
                with archive.open(info) as stream:
                    body = stream.read(limits.max_member_bytes + 1)
            except Exception as exc:
                yield ArchiveMember(
                    info.filename, None, DamagedInput(f"{name}!/{info.filename}: cannot be unpacked ({exc}).")
                )
                continue
            budget.unpacked += len(body)
            if budget.unpacked > limits.max_total_bytes:
                raise ArchiveRefused(f"{name}: unpacked more than {_size(limits.max_total_bytes)} in all.")
            yield ArchiveMember(info.filename, body)


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
