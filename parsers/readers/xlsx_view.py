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


@dataclass(slots=True)
class SheetView:
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    hidden_cols: set[int] = field(default_factory=set)
    decimals: dict[int, dict[int, int]] = field(default_factory=dict)  # row -> column -> decimals shown
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
    text = repr(value)
    if "e" not in text and len(text) - text.find(".") - 1 <= decimals:
        return None  # no more decimals stored than shown (most cells)
    try:
        stored = Decimal(text)
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
    """Read a sheet part's hidden rows and columns, shown decimals and unsaved formula values.

    The part's bytes are scanned for the few tags that matter rather than parsed: a tree parse of a
    50,000-row sheet cost more than calamine's whole read of it, the scan a tenth of that. Excel,
    WPS and the libraries write these start tags plainly (attributes in double quotes, a namespace
    prefix, if any, the one the root element uses)."""
    view = SheetView()
    info = archive.getinfo(part)
    if info.file_size > MAX_SHEET_XML_BYTES:
        return view
    with archive.open(info) as stream:
        data = stream.read(MAX_SHEET_XML_BYTES + 1)
    root = _ROOT.search(data, 0, 4096)
    prefix = root.group(1) if root and root.group(1) else b""
    tag = re.escape(prefix)
    if b"hidden" in data:
        for match in re.finditer(rb"<" + tag + rb"row\s([^>]*)>", data):
            attrs = dict(_ATTR.findall(match.group(1)))
            if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"r", b"").isdigit():
                view.hidden_rows.add(int(attrs[b"r"]) - 1)
        for match in re.finditer(rb"<" + tag + rb"col\s([^>]*)>", data):
            attrs = dict(_ATTR.findall(match.group(1)))
            first, last = attrs.get(b"min", b""), attrs.get(b"max", b"")
            if attrs.get(b"hidden") in (b"1", b"true") and first.isdigit() and last.isdigit():
                view.hidden_cols.update(range(int(first) - 1, min(int(last), int(first) + 16384)))
    shown = {str(i).encode(): d for i, d in enumerate(styles) if d is not None}
    if shown:
        styled = rb"<" + tag + rb"c\s[^>]*?\bs=\"(" + b"|".join(shown) + rb")\"[^>]*>"
        for match in re.finditer(styled, data):
            ref = _CELL_REF.search(match.group(0))
            if ref:
                row = view.decimals.setdefault(int(ref.group(2)) - 1, {})
                row[_column_index(ref.group(1).decode("ascii"))] = shown[match.group(1)]
    view.uncached = _formulas_without_value(data, prefix)
    return view


_ROOT = re.compile(rb"<([\w.-]+:)?worksheet\b")
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_ATTR = re.compile(rb'([\w:.-]+)="([^"]*)"')


def _formulas_without_value(data: bytes, prefix: bytes) -> list[str]:
    """The references of formula cells (`<c r="E4"><f>…</f></c>`) that hold no `<v>`."""
    found: list[str] = []
    formula = re.compile(rb"<" + re.escape(prefix) + rb"f[\s>/]")
    cell_open, cell_close, value = b"<" + prefix + b"c ", b"</" + prefix + b"c>", b"<" + prefix + b"v"
    for match in formula.finditer(data):
        start = data.rfind(cell_open, 0, match.start())
        end = data.find(cell_close, match.start())
        if start < 0 or end < 0 or value in data[match.start() : end]:
            continue
        ref = dict(_ATTR.findall(data[start : data.find(b">", start)])).get(b"r", b"?")
        found.append(ref.decode("ascii", "replace"))
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


__all__ = ["SheetView", "sheet_views", "shown_number"]
