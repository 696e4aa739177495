"""7z (py7zr) and rar (rarfile with an unrar tool) members, within the limits of archive_limits.py."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from parsers.model import DamagedInput, EncryptedInput, UnsupportedInput
from parsers.readers.archive_limits import (
    ArchiveMember,
    ArchiveRefused,
    Budget,
    bomb,
    check_directory,
    is_bookkeeping,
    ratio_exceeded,
    size_text,
    too_big,
)

# ---------------------------------------------------------------- 7z


def seven_zip_members(data: BinaryIO, name: str, prefix: str, budget: Budget) -> Iterator[ArchiveMember]:
    archive, infos = _open_seven_zip(data, name)
    limits = budget.limits
    declared = sum(i.uncompressed or 0 for i in infos)
    check_directory(name, len(infos), declared, budget)
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
    if ratio_exceeded(packed, declared, limits):
        raise ArchiveRefused(
            f"{name}: declares {size_text(declared)} unpacked from {size_text(packed)} (more than "
            f"{limits.max_ratio:g} times; a bomb?); refused without unpacking."
        )
    for info in infos:
        if (info.uncompressed or 0) > limits.max_member_bytes:
            yield ArchiveMember(info.filename, None, too_big(name, info.filename, limits))
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
        return archive, [i for i in archive.list() if not i.is_directory and not is_bookkeeping(i.filename)]
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


def _unpack_seven_zip_member(archive: Any, path: str, name: str, budget: Budget) -> ArchiveMember:
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
                f"{name}: unpacked more than {size_text(limits.max_total_bytes)} in all; refused."
            ) from None
        return ArchiveMember(path, None, too_big(name, path, limits))
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


def rar_members(data: BinaryIO, name: str, prefix: str, budget: Budget) -> Iterator[ArchiveMember]:
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
        infos = [i for i in archive.infolist() if not i.is_dir() and not is_bookkeeping(i.filename)]
    except rarfile.PasswordRequired as exc:
        raise EncryptedInput(f"{name}: the rar archive is password-protected; extract it yourself.") from exc
    except Exception as exc:
        raise DamagedInput(f"{name}: the rar archive is damaged ({type(exc).__name__}: {exc}).") from exc
    check_directory(name, len(infos), sum(i.file_size for i in infos), budget)
    for info in infos:
        if not budget.wanted(prefix + info.filename):
            continue
        if info.needs_password():
            yield ArchiveMember(
                info.filename,
                None,
                EncryptedInput(f"{name}!/{info.filename}: the member is password-protected."),
            )
        elif ratio_exceeded(info.compress_size, info.file_size, limits):
            yield ArchiveMember(
                info.filename, None, bomb(name, info.filename, info.compress_size, info.file_size, limits)
            )
        elif info.file_size > limits.max_member_bytes:
            yield ArchiveMember(info.filename, None, too_big(name, info.filename, limits))
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
                raise ArchiveRefused(
                    f"{name}: unpacked more than {size_text(limits.max_total_bytes)} in all."
                )
            yield ArchiveMember(info.filename, body)
