"""Read Word 97-2003 `.doc` and WPS `.wps` files by converting them to .docx with LibreOffice.

RTF and OpenDocument text (.odt) take the same road: LibreOffice reads both natively.

Many archives publish circulars as .doc, and WPS Office saves .wps in the same OLE2 binary
layout (WPS 2005 and later); no maintained Python package reads that layout's tables, so
LibreOffice's Word import does the reading (`soffice --headless --convert-to docx`) and the DOCX
reader reads the result, giving the same Lines as the .docx of the same circular.

- Each conversion runs in a new session with a time limit (`DEFAULT_TIMEOUT`); on expiry the
  whole process group (oosplash and soffice.bin) is killed, so a hung import cannot stall a run.
- Each process uses its own LibreOffice profile (-env:UserInstallation): two soffice processes
  sharing a profile block each other, and tongbao converts in parallel workers.
- Magic bytes win over the suffix: a `.doc` that is really a .docx (Word 2007 saving with the old
  name), an HTML page (web systems' "export to Word"), or RTF is read as what it is.
- Without `soffice` on PATH the file fails with a message naming the package to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path, PurePath

from parsers.formats import BY_NAME, OLE_MAGIC
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, ReadResult, UnsupportedInput
from parsers.readers.sniff import sniff_format

WORD97_SUFFIXES = (".doc", ".wps", ".dot", ".wpt", ".rtf", ".odt")
ODT_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.text"
DEFAULT_TIMEOUT = 120.0
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
INSTALL_HINT = (
    "install LibreOffice so that `soffice` is on PATH (Debian/Ubuntu: apt-get install "
    "libreoffice-writer-nogui), or open the file in Word or WPS and save it as .docx or PDF"
)


class ConverterMissing(UnsupportedInput):
    """The file needs an external converter that is not installed."""


def soffice_path() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_word97(data: bytes, name: str, *, timeout: float = DEFAULT_TIMEOUT) -> ReadResult:
    """Read a .doc/.wps (or an .rtf) through LibreOffice; other bytes by what they really are.

    Raises:
        ConverterMissing: LibreOffice is not installed.
        EmptyInput, UnsupportedInput, EncryptedInput, DamagedInput: as the DOCX reader, and a
            conversion that fails or exceeds `timeout` seconds.
    """
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    fmt = PurePath(name).suffix.lower().lstrip(".") or "doc"
    odt = data.startswith(b"PK") and ODT_MIMETYPE in data[:200]
    if data.startswith(b"PK") and not odt:
        from parsers.readers.docx import read_docx

        read = read_docx(data, name)  # a .doc that is really a .docx
        read.warnings.append(f"{name}: is a .docx under the name .{fmt}; read as .docx.")
        return read
    head = data[:2048].lstrip().lower()
    if not data.startswith(OLE_MAGIC) and not head.startswith(b"{\\rtf") and not odt:
        found = sniff_format(data)
        if found is BY_NAME["html"]:
            from parsers.readers.html import read_html

            read = read_html(data, name)  # web systems' "export to Word" writes HTML as .doc
            read.warnings.append(f"{name}: is an HTML page under the name .{fmt}; read as HTML.")
            return read
        looks = f"it looks like {found.label}" if found else "its bytes match no format tongbao knows"
        raise UnsupportedInput(
            f"{name}: is not a Word 97-2003 or WPS document ({looks}); "
            "give tongbao the file with its real extension."
        )
    if data.startswith(OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        raise EncryptedInput(
            f"{name}: the document is password-protected; open it in Word or WPS, remove the "
            "password, save it and try again."
        )
    soffice = soffice_path()
    if soffice is None:
        raise ConverterMissing(
            f"{name}: a Word 97-2003/WPS document is read through LibreOffice, which is not "
            f"installed here (no `soffice` on PATH): {INSTALL_HINT}."
        )
    from parsers.readers.docx import read_docx

    converted = _converted_to_docx(data, name, soffice, timeout)
    read = read_docx(converted, name)
    read.source_format = "odt" if odt else fmt if fmt in ("doc", "wps", "rtf") else "doc"
    return read


def _profile_dir() -> Path:
    """One LibreOffice profile per process: created on first use (a few seconds), then reused."""
    return Path(tempfile.gettempdir()) / f"tongbao-soffice-{os.getuid()}-{os.getpid()}"


def _input_suffix(data: bytes, name: str) -> str:
    """The suffix the bytes deserve: LibreOffice picks its import filter partly by the suffix, and
    a .doc named .docx must not be written where the converted .docx will be."""
    if data.startswith(b"PK"):
        return ".odt"
    if data.lstrip()[:5].lower() == b"{\\rtf":
        return ".rtf"
    suffix = PurePath(name).suffix.lower()
    return suffix if suffix in (".doc", ".dot", ".wps", ".wpt") else ".doc"


def _converted_to_docx(data: bytes, name: str, soffice: str, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="tongbao-convert-") as tmp:
        source = Path(tmp) / f"input{_input_suffix(data, name)}"
        source.write_bytes(data)
        out_dir = Path(tmp) / "out"
        command = [
            soffice,
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise DamagedInput(
                f"{name}: LibreOffice did not convert the document within {timeout:g} s; the file "
                "may be damaged or very large: open it in Word or WPS and save it as .docx or PDF."
            ) from None
        out = out_dir / "input.docx"
        if process.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()
            shown = next((ln for ln in detail if "javaldx" not in ln), "no output")
            raise DamagedInput(
                f"{name}: LibreOffice could not convert the document ({shown}); it is damaged or "
                "password-protected: open it in Word or WPS and save it as .docx or PDF."
            )
        return out.read_bytes()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


__all__ = ["DEFAULT_TIMEOUT", "WORD97_SUFFIXES", "ConverterMissing", "read_word97", "soffice_path"]
