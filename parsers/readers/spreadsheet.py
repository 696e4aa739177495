"""Read spreadsheets (.xlsx, .xls, .et, .ods): every sheet's rows as table Lines with cells.

Circulars' score tables (附件1 得分表) are often published as a workbook of their own. The
reader hands the rows to the same table layer as the DOCX and HTML readers:

- Each non-empty row is one Line whose `cells` are the row's cells from the first to the last
  column any row of the sheet uses, so every row of a sheet has the same column count.
- A row with a single non-empty cell (a caption such as 各县区得分表, a group heading such as
  县区组, a note under the table) is a plain Line, as the DOCX reader does for a cell spanning
  the whole grid: the table layer reads captions from text, not from a one-cell row.
- Merged cells: calamine gives the value in the range's top-left cell and "" in the others.
  That is the shape the DOCX reader gives for gridSpan (text in the first column) and vMerge
  (continuation cells ""), so the table layer carries vertical merges down as it does there.
- Several non-empty sheets: each sheet's name is a plain Line before its rows, so two sheets'
  tables do not run together into one.
- Numbers: see `cell_text`.
- Hidden sheets are not read (every workbook format: calamine says which are hidden).
- An .xlsx is read as it shows (parsers/readers/xlsx_view.py): hidden rows and columns left out,
  numbers rounded to the decimals their cell format shows (94.0622 under `0.00` is 94.06).

A .csv is read with the csv module (UTF-8 or GB18030), cells as written.

python-calamine (Rust calamine) reads the four workbook formats; .et (WPS 表格) is an OLE2 workbook
with BIFF8 records like .xls, and calamine reads it as one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from typing import Any

from parsers.formats import OLE_MAGIC
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, Line, ReadResult, UnsupportedInput
from parsers.readers.sniff import sniff_bytes
from parsers.readers.xlsx_view import SheetView, sheet_views, shown_number

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv")

# A password-protected .xlsx is an OLE container holding this stream (MS-OFFCRYPTO).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WS = re.compile(r"\s+")


def read_spreadsheet(data: bytes, name: str) -> ReadResult:
    """Read every sheet of a workbook into Lines (one per non-empty row).

    Raises:
        EmptyInput: no bytes, or no sheet holds any value.
        UnsupportedInput: the bytes are not a workbook (a PDF, a DOCX, an HTML page...).
        EncryptedInput: the workbook needs a password to open.
        DamagedInput: a truncated or corrupt workbook.
    """
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    if name.lower().endswith(".csv") and not data.startswith((OLE_MAGIC, b"PK")):
        return _lines_of([("", _trimmed(_csv_rows(data, name)))], "csv", name)
    fmt = _workbook_format(data, name)
    workbook = _open_workbook(data, name, fmt)
    views = sheet_views(data) if fmt == "xlsx" else {}
    sheets: list[tuple[str, list[list[str]]]] = []
    for sheet_name in _shown_sheets(workbook):
        try:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types per sheet
            raise DamagedInput(
                f"{name}: sheet '{sheet_name}' cannot be read ({type(exc).__name__}: {exc}); "
                "open the workbook in Excel or WPS and save it again."
            ) from exc
        view = views.get(sheet_name)
        rows = _trimmed(
            _shown_rows(values, view) if view else [[cell_text(v) for v in row] for row in values]
        )
        if rows:
            sheets.append((sheet_name, rows))
    read = _lines_of(sheets, fmt, name)
    read.warnings.extend(_uncached_formulas(views, name))
    return read


def _uncached_formulas(views: dict[str, SheetView], name: str) -> list[str]:
    """A warning per sheet whose formula cells hold no saved value: they read as empty."""
    out = []
    for sheet_name, view in views.items():
        if view.uncached:
            shown = "、".join(view.uncached[:5]) + ("…" if len(view.uncached) > 5 else "")
            out.append(
                f"{name}: sheet '{sheet_name}' has {len(view.uncached)} formula cell(s) saved without "
                f"their value ({shown}), read as empty; the program that wrote the workbook did not "
                "compute them: open it in Excel or WPS and save it again to store the values."
            )
    return out


def _shown_sheets(workbook: Any) -> list[str]:
    """The sheets a person sees: a hidden sheet (a helper, last period's figures) is not read, as a
    hidden `上期` sheet's ranks were read as the units' ranks beside the shown sheet's. All of them
    when none is shown (a workbook Excel would not save)."""
    import python_calamine

    visible = python_calamine.SheetVisibleEnum.Visible
    shown = [m.name for m in workbook.sheets_metadata if m.visible == visible]
    return shown or list(workbook.sheet_names)


def _shown_rows(values: list[list[Any]], view: SheetView) -> list[list[str]]:
    """The rows and columns the sheet shows, numbers as their cell format rounds them (xlsx_view)."""
    rows: list[list[str]] = []
    hidden = view.hidden_cols
    for r, row in enumerate(values):
        if r in view.hidden_rows:
            continue
        formats = view.decimals.get(r)
        if formats:
            row = list(row)
            for c, decimals in formats.items():
                if c < len(row) and isinstance(row[c], float):
                    shown = shown_number(row[c], decimals)
                    if shown is not None:
                        row[c] = shown
        rows.append([cell_text(v) for c, v in enumerate(row) if c not in hidden])
    return rows


def _lines_of(sheets: list[tuple[str, list[list[str]]]], fmt: str, name: str) -> ReadResult:
    sheets = [(sheet_name, rows) for sheet_name, rows in sheets if rows]
    if not sheets:
        raise EmptyInput(f"{name}: no sheet of the workbook holds a value; nothing to read.")
    lines: list[Line] = []
    for sheet_name, rows in sheets:
        if len(sheets) > 1:
            lines.append(Line(sheet_name, len(lines) + 1, wrapped=False))
        for row in rows:
            filled = [c for c in row if c]
            if len(filled) == 1:
                lines.append(Line(filled[0], len(lines) + 1, wrapped=False))
            else:
                lines.append(Line("| " + " | ".join(row) + " |", len(lines) + 1, cells=tuple(row)))
    return ReadResult(lines=lines, source_format=fmt)


def _csv_rows(data: bytes, name: str) -> list[list[str]]:
    """A CSV's rows; Excel on Chinese Windows saves CSV in GBK, other tools in UTF-8 (with a BOM)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnsupportedInput(f"{name}: is not a text CSV (neither UTF-8 nor GB18030); save it as .xlsx.")
    if "\x00" in text:
        raise UnsupportedInput(f"{name}: holds binary bytes, so it is not a CSV; give it its real extension.")
    return [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(text))]


def cell_text(value: Any) -> str:
    """A cell's value as the text a person reads in the sheet.

    Floats are written with at most 10 significant digits: a score typed as 89.7 is stored
    as the double nearest 89.7 and prints back as 89.7, but a score a formula computed
    (=100-10.3) is 89.69999999999999, and Excel only hides that noise by showing 15 digits
    at most. Scores and points never carry more than 4 decimals, so 10 significant digits
    keep every real value and drop binary noise, which sits at the 15th-17th digit.
    Whole numbers print without `.0` (85 not 85.0), as the sheet shows them.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return _WS.sub(" ", str(value)).strip()


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10g}"
    if "e" in text:
        # .10g switches to exponent form below 1e-4 or at 1e10 and above; a sheet shows digits.
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Drop empty rows, and the columns no row uses at the left and the right."""
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    used = [i for row in rows for i, c in enumerate(row) if c]
    first, last = min(used), max(used)
    return [(row + [""] * (last + 1 - len(row)))[first : last + 1] for row in rows]


def _workbook_format(data: bytes, name: str) -> str:
    """xls (also .et) for an OLE2 workbook, xlsx or ods for a zip; refuse anything else."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            raise EncryptedInput(
                f"{name}: the workbook is password-protected; open it in Excel or WPS, remove the "
                "password, save it and try again."
            )
        return "et" if name.lower().endswith(".et") else "xls"
    if data.startswith(b"PK"):
        head = data[:4096]
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head:
            return "ods"
        if b"mimetypeapplication/vnd.oasis.opendocument" in head:
            raise UnsupportedInput(
                f"{name}: is an OpenDocument file but not a spreadsheet (.odt text or .odp "
                "slides); save it as .docx or PDF and read that."
            )
        return "xlsx"
    what = sniff_bytes(data)
    looks = f"it looks like {what}" if what else "its bytes match no format tongbao knows"
    raise UnsupportedInput(
        f"{name}: is not a spreadsheet (.xlsx/.xls/.et/.ods; {looks}); "
        "give tongbao the file with its real extension."
    )


def _open_workbook(data: bytes, name: str, fmt: str) -> Any:
    import python_calamine  # imported here so that `import parsers` stays light

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise EncryptedInput(
            f"{name}: the workbook is password-protected; open it in Excel or WPS, remove the "
            "password, save it and try again."
        ) from exc
    except Exception as exc:  # ZipError, XmlError, CalamineError, or an OSError-like on bad bytes
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise EncryptedInput(
                f"{name}: the workbook is password-protected ({exc}); open it in Excel or WPS, "
                "remove the password, save it and try again."
            ) from exc
        raise DamagedInput(
            f"{name}: the {fmt} workbook is damaged and cannot be read ({type(exc).__name__}: {exc}); "
            "the file is probably truncated: download or copy it again."
        ) from exc
    if fmt == "xlsx" and not workbook.sheet_names:
        raise DamagedInput(f"{name}: the zip holds no workbook sheets; is it really an .xlsx?")
    return workbook


__all__ = ["SPREADSHEET_SUFFIXES", "cell_text", "read_spreadsheet"]
