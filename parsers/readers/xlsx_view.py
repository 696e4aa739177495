"""What an .xlsx sheet shows beyond its values: hidden rows and columns, and numbers shown rounded.

calamine gives every cell's stored value; a person reading the sheet (or its printout attached to
a circular) sees less:
- Rows and columns the office hid (`<row hidden="1">`, `<col hidden="1">`; rows filtered out by an
  AutoFilter are stored the same way): a unit that did not take part, a helper column of last
  period's scores. The circular states what is shown, so they are not read.
- Formulas saved without the value they compute (a workbook written by a library such as openpyxl,
  never opened in Excel): calamine reads them as empty, and tongbao computes nothing, so such
  cells are named in a warning instead (q13).
- Numbers formatted to fewer decimals than stored: a weighted total =C3*0.4+D3*0.6 stores 94.0622
  in a cell formatted `0.00`, and the sheet says 94.06 (Excel rounds the decimal digits half away
  from zero). The shown figure is the one the circular states and ranks by.

Only fixed-decimal formats (`0`, `0.00`, `#,##0.0`, WPS's `0.00_ `) are applied; percentages,
dates and scientific formats keep calamine's value. The view is read from the package's XML with
a streaming parser; a part it cannot read gives no view (calamine's values are read as they are).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from xml.etree import ElementTree as ET

# A sheet part larger than this is read for its values only (calamine has its own limits).
MAX_SHEET_XML_BYTES = 256 * 1024 * 1024

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Built-in number formats with fixed decimals (ECMA-376 §18.8.30): 1 `0`, 2 `0.00`, 3 `#,##0`,
# 4 `#,##0.00`.
_BUILTIN_DECIMALS = {1: 0, 2: 2, 3: 0, 4: 2}
_FIXED = re.compile(r"^[#,]*0(?:\.(0+))?$")
_REF = re.compile(r"^([A-Z]+)(\d+)$")


@dataclass(slots=True)
class SheetView:
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    hidden_cols: set[int] = field(default_factory=set)
    decimals: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) -> decimals shown
    uncached: list[str] = field(default_factory=list)  # formula cells saved without their value (`E4`)


def sheet_views(data: bytes) -> dict[str, SheetView]:
    """Each sheet's view by sheet name; {} when the package's parts cannot be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        targets = _sheet_parts(archive)
        styles = _style_decimals(archive)
        return {name: _sheet_view(archive, part, styles) for name, part in targets.items()}
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, ValueError, ET.ParseError):
        return {}


def shown_number(value: float, decimals: int) -> float | None:
    """The value as a cell formatted with `decimals` shows it, or None when that is the value itself."""
    try:
        stored = Decimal(repr(value))
        shown = stored.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return None if shown == stored else float(shown)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    out: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        path = target.get(sheet.get(f"{_REL}id"), "")
        if not path:
            continue
        path = path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path))
        out[sheet.get("name", "")] = path
    return out


def _style_decimals(archive: zipfile.ZipFile) -> list[int | None]:
    """Decimals shown by each cellXfs entry (None: not a fixed-decimal format)."""
    try:
        root = ET.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return []
    custom = {
        int(f.get("numFmtId", "-1")): _format_decimals(f.get("formatCode", ""))
        for f in root.iter(f"{_MAIN}numFmt")
    }
    xfs = root.find(f"{_MAIN}cellXfs")
    out: list[int | None] = []
    for xf in xfs.iter(f"{_MAIN}xf") if xfs is not None else []:
        fmt_id = int(xf.get("numFmtId", "0"))
        out.append(custom[fmt_id] if fmt_id in custom else _BUILTIN_DECIMALS.get(fmt_id))
    return out


def _format_decimals(code: str) -> int | None:
    """Decimals of a fixed-decimal format code (`0.00`, `#,##0.0`, WPS `0.00_ `); None otherwise."""
    first = code.split(";")[0]
    first = re.sub(r'"[^"]*"|\\.|_.', "", first).strip()  # literals, escapes and padding
    match = _FIXED.match(first)
    if not match:
        return None
    return len(match.group(1) or "")


def _sheet_view(archive: zipfile.ZipFile, part: str, styles: list[int | None]) -> SheetView:
    view = SheetView()
    info = archive.getinfo(part)
    if info.file_size > MAX_SHEET_XML_BYTES:
        return view
    with archive.open(info) as stream:
        for _, element in ET.iterparse(stream, events=("end",)):
            tag = element.tag
            if tag == f"{_MAIN}c":
                if element.find(f"{_MAIN}f") is not None and element.find(f"{_MAIN}v") is None:
                    view.uncached.append(element.get("r", "?"))
                style = int(element.get("s", "0"))
                shown = styles[style] if 0 <= style < len(styles) else None
                ref = _REF.match(element.get("r", ""))
                if shown is not None and ref:
                    view.decimals[(int(ref.group(2)) - 1, _column_index(ref.group(1)))] = shown
                element.clear()
            elif tag == f"{_MAIN}row":
                if element.get("hidden") in ("1", "true") and element.get("r"):
                    view.hidden_rows.add(int(element.get("r", "0")) - 1)
                element.clear()
            elif tag == f"{_MAIN}col" and element.get("hidden") in ("1", "true"):
                first, last = int(element.get("min", "1")), int(element.get("max", "1"))
                view.hidden_cols.update(range(first - 1, min(last, first + 16384)))
    return view


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


__all__ = ["SheetView", "sheet_views", "shown_number"]
