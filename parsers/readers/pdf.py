"""Read text-layer PDF circulars into physical lines with page, bbox and wrap hints.

Most archived circulars are PDFs exported from WPS/Word. Their text layer is
read with pypdfium2 character by character (one `FPDFText_GetText` call per
page plus one loose char box per character, in pdf_glyphs.py) and physical lines are rebuilt
from geometry, because the stream order is not reading order: WPS exports put
the curly quotes of a line in a separate text object that pdfium appends at
the end of the line (xinyang-2022-07.pdf: `关于国务院安委会 十五条硬措施 “ ”`).

Ruled score tables are rebuilt from the page's path objects (the rules Word
draws as one stroked segment per border) rather than with pdfplumber's
`find_tables`: on the dev corpus pdfplumber took 40-260 ms for the table pages
of one file, more than pdfium needs for the whole document, and a rule grid
is all these tables need. Rows become `Line(cells=...)`.

Artefacts removed here: fake bold (a glyph drawn twice a fraction of its width
apart), running page numbers (`— 3 —`, `- 3 -`, `第3页`), headers/footers
repeated on most pages, and text layers that map to nothing usable (pages
listed in `pages_needing_ocr`). Kangxi radicals, full-width forms and spaces
between CJK characters are left to the normaliser.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from parsers.headers import header_roles
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, Line, ReadResult, UnsupportedInput
from parsers.normalize import placements_by_position, squash
from parsers.numbers import NUMBER_CELL
from parsers.readers.pdf_glyphs import (
    COLUMN_SEPARATOR,
    DEFAULT_COLUMN_GAP_EM,
    _Char,
    _PageLine,
    chars_to_lines,
    iter_page_chars,
    page_path_bounds,
)

# Circulars run to a few dozen pages; a cap bounds the work a hostile or mislabelled
# file (a 2,000-page scanned yearbook) can cause. The pipeline can raise it.
DEFAULT_MAX_PAGES = 300

# Share of a page's visible characters that map to nothing usable (U+FFFD, private use,
# control codes, `(cid:N)`) above which the text layer is garbage and the page needs OCR.
# Real pages with a broken font have nearly all chars bad; a good page has none.
DEFAULT_MAX_BAD_SHARE = 0.3

# Top and bottom share of the page where running headers, footers and page numbers live.
DEFAULT_MARGIN_SHARE = 0.12

# Bytes at the start of a file searched for the `%PDF-` header; the spec allows junk
# before it and Acrobat accepts up to 1 KB.
HEADER_WINDOW = 1024

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－~～一_·.•\s]*\d{1,4}[—–\-－~～一_·.•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
# Punctuation that ends a sentence or clause: a full line ending in one may end its paragraph.
_TERMINAL = frozenset("。；：！？.;:!?")

# Path segment codes of the pdfium C API (fpdf_edit.h).
_SEG_LINETO, _SEG_MOVETO = 0, 2

# A path whose bounds are thinner than this (pt) is a rule, whatever its segments.
_RULE_THICKNESS = 3.0
# Rules closer than this (pt) are the same grid line (Word draws cell borders twice).
_SNAP = 2.5


@dataclass(slots=True)
class _Grid:
    """A ruled table: sorted x of its column borders, sorted y (top-down) of its row borders."""

    xs: list[float]
    ys: list[float]
    h_rules: list[tuple[float, float, float]]
    v_rules: list[tuple[float, float, float]]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_PageLine] = field(default_factory=list)
    needs_ocr: bool = False


def read_pdf(
    data: bytes, name: str, *, password: str | None = None, max_pages: int = DEFAULT_MAX_PAGES
) -> ReadResult:
    """Read a text-layer PDF into physical lines in reading order.

    Raises:
        UnsupportedInput: the bytes are not a PDF.
        EncryptedInput: a password is needed, or the one given is wrong.
        DamagedInput: the file is truncated or corrupt.
        EmptyInput: no bytes at all.
    """
    pdf = open_pdf(data, name, password=password)
    try:
        page_count = len(pdf)
        warnings: list[str] = []
        if page_count > max_pages:
            warnings.append(
                f"{name}: has {page_count} pages; read only the first {max_pages} "
                "(raise max_pages to read them all)."
            )
        pages = [read_page(pdf, index) for index in range(min(page_count, max_pages))]
    finally:
        pdf.close()
    drop_page_furniture(pages)
    lines = pages_to_lines(pages)
    return ReadResult(
        lines=lines,
        source_format="pdf",
        pages=page_count,
        pages_needing_ocr=[page.number for page in pages if page.needs_ocr],
        warnings=warnings,
    )


def open_pdf(data: bytes, name: str, *, password: str | None = None):  # -> pypdfium2.PdfDocument
    """Open PDF bytes with pdfium, turning its failures into tongbao errors that say what to do."""
    import pypdfium2 as pdfium

    if not data:
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise UnsupportedInput(
            f"{name}: is not a PDF (no %PDF- header); it looks like {sniff_format(data)}. "
            "Give tongbao the original file with its real extension."
        )
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            if password:
                raise EncryptedInput(
                    f"{name}: the password given does not open this encrypted PDF; "
                    "check it and pass the right one with --password."
                ) from exc
            raise EncryptedInput(f"{name}: the PDF is encrypted; pass its password with --password.") from exc
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise EncryptedInput(
                f"{name}: the PDF uses an unsupported security handler; "
                "remove the protection (print to a new PDF) and try again."
            ) from exc
        raise DamagedInput(
            f"{name}: the PDF is damaged or truncated and cannot be opened ({exc}); "
            "get a complete copy of the file, or re-save it from a PDF viewer."
        ) from exc


def sniff_format(data: bytes) -> str:
    """Name what non-PDF bytes look like, for the error message."""
    head = data[:512].lstrip().lower()
    signatures = [
        (b"<!doctype html", "an HTML page"),
        (b"<html", "an HTML page"),
        (b"<?xml", "an XML file"),
        (b"pk\x03\x04", "a ZIP archive (a .docx or .xlsx?)"),
        (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls)"),
        (b"\x89png", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"gif8", "a GIF image"),
        (b"ii*\x00", "a TIFF image"),
        (b"mm\x00*", "a TIFF image"),
        (b"{\\rtf", "an RTF document"),
        (b"{", "a JSON file"),
    ]
    for magic, label in signatures:
        if head.startswith(magic):
            return label
    if b"<html" in head or b"<body" in head or b"<div" in head:
        return "an HTML page"
    try:
        data[:4096].decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "binary data of an unknown kind"


def read_page(pdf, index: int) -> _Page:  # pdf: pypdfium2.PdfDocument
    """Read one page: characters into lines, rules into tables; flag a garbage text layer."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    # The C API, not pypdfium2's PdfPage/PdfTextPage: their bookkeeping (finalizers, kid
    # lists) cost ~0.15 ms a page, 20 ms over the 129 text-layer pages of the dev corpus.
    raw_page = pdfium_c.FPDF_LoadPage(pdf, index)
    if not raw_page:
        raise pdfium.PdfiumError("Failed to load page.")
    try:
        width, height = pdfium_c.FPDF_GetPageWidthF(raw_page), pdfium_c.FPDF_GetPageHeightF(raw_page)
        result = _Page(number=index + 1, width=width, height=height)
        raw_textpage = pdfium_c.FPDFText_LoadPage(raw_page)
        if not raw_textpage:
            raise pdfium.PdfiumError("Failed to load text page.")
        try:
            chars, bad = iter_page_chars(raw_textpage, height)
        finally:
            pdfium_c.FPDFText_ClosePage(raw_textpage)
        h_rules, v_rules, images, paths = page_rules(raw_page, height)
        if bad > DEFAULT_MAX_BAD_SHARE * max(1, len(chars) + bad) or (
            len(chars) < 3 and (images or paths >= 10 or bad)
        ):
            # No usable text while the page shows something: a scan, text drawn as curves,
            # or a font with a broken ToUnicode map. OCR must read it; emit nothing.
            result.needs_ocr = bool(images or paths or bad or chars)
            return result
        grids = rules_to_grids(h_rules, v_rules)
        grids += row_ruled_grids(h_rules, grids, chars)
        rest = chars
        for table_index, grid in enumerate(grids):
            inside, rest = split_chars(rest, grid)
            result.lines.extend(grid_to_rows(grid, inside, table_index))
        result.lines.extend(chars_to_lines(rest))
        # Reading order: top to bottom, but a table's rows stay together, so two tables side by
        # side (a score table beside a deduction table on a landscape page, fresh-G g03) are read
        # one after the other instead of row by row across both.
        corners = {k: (grid.ys[0], grid.xs[0]) for k, grid in enumerate(grids)}
        result.lines.sort(
            key=lambda line: (
                (*corners.get(line.table, (line.top, line.x0)), line.top, line.x0)
                if line.table is not None
                else (line.top, line.x0, line.top, line.x0)
            )
        )
        place_short_unruled_rows(result.lines, rest)
        return result
    finally:
        pdfium_c.FPDF_ClosePage(raw_page)


def page_rules(
    page, page_height: float
) -> tuple[
    list[tuple[float, float, float]],  # page: FPDF_PAGE
    list[tuple[float, float, float]],
    int,
    int,
]:
    """Return the page's horizontal rules (y, x0, x1), vertical rules (x, top, bottom), image and path counts.

    Word/WPS draw each table border as its own stroked segment (xinyang-2022-07.pdf
    p.7: 16 two-point paths); other producers draw thin filled rectangles or one
    path with a rectangle per cell. Thin bounds cover the first two; segments of
    other paths are read through the object's matrix.
    """
    import pypdfium2.raw as pdfium_c

    h_rules: list[tuple[float, float, float]] = []
    v_rules: list[tuple[float, float, float]] = []
    path_bounds, images, paths = page_path_bounds(page)
    for k, x0, y_bottom, x1, y_top in path_bounds:
        y0, y1 = page_height - y_top, page_height - y_bottom
        if y1 - y0 <= _RULE_THICKNESS and x1 - x0 > _RULE_THICKNESS:
            h_rules.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= _RULE_THICKNESS and y1 - y0 > _RULE_THICKNESS:
            v_rules.append(((x0 + x1) / 2, y0, y1))
        elif x1 - x0 > _RULE_THICKNESS and y1 - y0 > _RULE_THICKNESS:
            _path_segments(pdfium_c, pdfium_c.FPDFPage_GetObject(page, k), page_height, h_rules, v_rules)
    return h_rules, v_rules, images, paths


def _path_segments(pdfium_c, obj, page_height: float, h_rules: list, v_rules: list) -> None:
    """Add the axis-aligned segments of a stroked multi-segment path (cell rectangles)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value:
        return  # a filled shape (seal, shading) is not a rule
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count > 400:
        return  # a drawing (seal, logo), not a grid
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for s in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, s)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px = matrix.a * x.value + matrix.c * y.value + matrix.e
        py = page_height - (matrix.b * x.value + matrix.d * y.value + matrix.f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        point = (px, py)
        if kind == _SEG_MOVETO or prev is None:
            start = prev = point
            continue
        if kind == _SEG_LINETO:
            _add_segment(prev, point, h_rules, v_rules)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_segment(point, start, h_rules, v_rules)
        prev = point


def _add_segment(a: tuple[float, float], b: tuple[float, float], h_rules: list, v_rules: list) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 0.5 and abs(ax - bx) > _RULE_THICKNESS:
        h_rules.append((ay, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) < 0.5 and abs(ay - by) > _RULE_THICKNESS:
        v_rules.append((ax, min(ay, by), max(ay, by)))


def _snap(values: list[float]) -> list[float]:
    """Merge values closer than _SNAP into their mean, sorted."""
    merged: list[list[float]] = []
    for value in sorted(values):
        if merged and value - merged[-1][-1] <= _SNAP:
            merged[-1].append(value)
        else:
            merged.append([value])
    return [sum(group) / len(group) for group in merged]


def rules_to_grids(
    h_rules: list[tuple[float, float, float]], v_rules: list[tuple[float, float, float]]
) -> list[_Grid]:
    """Group rules that touch into ruled tables (at least 2 rows of cells and 2 columns)."""
    if len(h_rules) < 2 or len(v_rules) < 2:
        return []
    # Union-find over rules: a horizontal and a vertical rule that cross or touch belong together.
    rules = [("h", *r) for r in h_rules] + [("v", *r) for r in v_rules]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    n_h = len(h_rules)
    for i, (y, hx0, hx1) in enumerate(h_rules):
        for j, (x, vy0, vy1) in enumerate(v_rules):
            if hx0 - _SNAP <= x <= hx1 + _SNAP and vy0 - _SNAP <= y <= vy1 + _SNAP:
                parent[find(i)] = find(n_h + j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(i)
    grids = []
    for members in groups.values():
        hs = [h_rules[i] for i in members if i < n_h]
        vs = [v_rules[i - n_h] for i in members if i >= n_h]
        ys = _snap([r[0] for r in hs])
        xs = _snap([r[0] for r in vs])
        if hs and vs:
            # A table drawn without its outer frame (Word's "inside borders" only, fresh-G g02): the
            # inner rules run on past the outermost rules across them, to the table's real edges.
            left, right = min(r[1] for r in hs), max(r[2] for r in hs)
            top, bottom = min(r[1] for r in vs), max(r[2] for r in vs)
            xs = (
                ([left] if left < xs[0] - 2 * _SNAP else [])
                + xs
                + ([right] if right > xs[-1] + 2 * _SNAP else [])
            )
            ys = (
                ([top] if top < ys[0] - 2 * _SNAP else [])
                + ys
                + ([bottom] if bottom > ys[-1] + 2 * _SNAP else [])
            )
        if len(ys) >= 2 and len(xs) >= 3:
            grids.append(_Grid(xs=xs, ys=ys, h_rules=hs, v_rules=vs))
    grids.sort(key=lambda g: g.ys[0])
    return grids


def row_ruled_grids(
    h_rules: list[tuple[float, float, float]], grids: list[_Grid], chars: list[_Char]
) -> list[_Grid]:
    """Tables ruled under every row but with no vertical rules (fresh-G g02): columns from the header.

    Four or more rules of one width, one under another, each band between two of them a
    row; the header band's words, apart by more than an em, give the columns, and the
    border between two columns is the widest gap no row's glyph crosses. Without rules
    between rows (a 三线表) rows cannot be told apart from wrapped cell text, so those
    tables stay text.
    """
    free = [
        r
        for r in h_rules
        if not any(
            g.xs[0] - _SNAP <= r[1]
            and r[2] <= g.xs[-1] + _SNAP
            and g.ys[0] - _SNAP <= r[0] <= g.ys[-1] + _SNAP
            for g in grids
        )
    ]
    found: list[_Grid] = []
    for run in _rule_runs(free):
        ys = _snap([r[0] for r in run])
        if len(ys) < 5:
            continue  # a header and at least three rows, each under its rule
        x0, x1 = min(r[1] for r in run), max(r[2] for r in run)
        spans = _x_runs(
            (c[0], c[2], DEFAULT_COLUMN_GAP_EM * (c[3] - c[1]))
            for c in chars
            if ys[0] < (c[1] + c[3]) / 2 < ys[1] and x0 <= (c[0] + c[2]) / 2 <= x1
        )
        if len(spans) < 2:
            continue
        # Between two header words, the column border is where no glyph of any row stands: a
        # header word sits centred over a wide column whose text runs on past it.
        inside = sorted(
            (c[0], c[2]) for c in chars if ys[0] < (c[1] + c[3]) / 2 < ys[-1] and x0 <= c[0] and c[2] <= x1
        )
        borders = [_widest_gap(inside, a[1], b[0]) for a, b in pairwise(spans)]
        if any(border is None for border in borders):
            continue  # some row's text crosses from one column into the next: no clear columns
        xs = [x0] + [border for border in borders if border is not None] + [x1]
        v_rules = [(x, ys[0], ys[-1]) for x in xs]
        found.append(_Grid(xs=xs, ys=ys, h_rules=run, v_rules=v_rules))
    return found


def _widest_gap(spans: list[tuple[float, float]], left: float, right: float) -> float | None:
    """The middle of the widest x interval in [left, right] that no span covers, or None."""
    best: tuple[float, float] | None = None
    at = left
    for x0, x1 in spans:
        if x1 <= at or x0 >= right:
            continue
        if x0 > at and (best is None or x0 - at > best[1] - best[0]):
            best = (at, x0)
        at = max(at, x1)
    if at < right and (best is None or right - at > best[1] - best[0]):
        best = (at, right)
    return None if best is None or best[1] - best[0] < 1.0 else (best[0] + best[1]) / 2


def _rule_runs(rules: list[tuple[float, float, float]]) -> list[list[tuple[float, float, float]]]:
    """Horizontal rules of the same extent, grouped (a table's row rules share their ends)."""
    runs: list[list[tuple[float, float, float]]] = []
    for rule in sorted(rules, key=lambda r: (round(r[1]), round(r[2]), r[0])):
        if (
            runs
            and abs(runs[-1][-1][1] - rule[1]) <= 2 * _SNAP
            and abs(runs[-1][-1][2] - rule[2]) <= 2 * _SNAP
        ):
            runs[-1].append(rule)
        else:
            runs.append([rule])
    return runs


def split_chars(chars: list[_Char], grid: _Grid) -> tuple[list[_Char], list[_Char]]:
    """Split characters into those whose centre lies inside the grid and the rest."""
    x0, top, x1, bottom = grid.bbox
    inside: list[_Char] = []
    outside: list[_Char] = []
    for char in chars:
        cx, cy = (char[0] + char[2]) / 2, (char[1] + char[3]) / 2
        (inside if x0 <= cx <= x1 and top <= cy <= bottom else outside).append(char)
    return inside, outside


def grid_borders(grid: _Grid) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Return which cell borders are drawn: {(row border i, column j)} and {(row i, column border j)}.

    A border is drawn when a rule runs along it through its middle; a missing one
    means the cells on both sides are one merged cell.
    """
    xs, ys = grid.xs, grid.ys
    x_mids = [(xs[j] + xs[j + 1]) / 2 for j in range(len(xs) - 1)]
    y_mids = [(ys[i] + ys[i + 1]) / 2 for i in range(len(ys) - 1)]
    horizontal: set[tuple[int, int]] = set()
    for y, x0, x1 in grid.h_rules:
        i = _nearest(ys, y)
        if i is not None:
            horizontal.update((i, j) for j, mid in enumerate(x_mids) if x0 - _SNAP <= mid <= x1 + _SNAP)
    vertical: set[tuple[int, int]] = set()
    for x, y0, y1 in grid.v_rules:
        j = _nearest(xs, x)
        if j is not None:
            vertical.update((i, j) for i, mid in enumerate(y_mids) if y0 - _SNAP <= mid <= y1 + _SNAP)
    return horizontal, vertical


def _nearest(values: list[float], value: float) -> int | None:
    """Index of the grid line within _SNAP of value, if any."""
    k = bisect_right(values, value)
    for index in (k - 1, k):
        if 0 <= index < len(values) and abs(values[index] - value) <= _SNAP:
            return index
    return None


def grid_to_rows(grid: _Grid, chars: list[_Char], table_index: int) -> list[_PageLine]:
    """Turn a rule grid and the characters inside it into one table row per grid row.

    A cell merged across columns (no rule between them) keeps its text in its first
    column and leaves the others blank; a cell merged down several rows keeps its
    text in its top row and is blank below — the table parser carries it down —
    so every row has one cell per grid column.
    """
    xs, ys = grid.xs, grid.ys
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # anchor[r][c]: the top-left grid cell of the merged cell that (r, c) belongs to.
    anchor = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    horizontal, vertical = grid_borders(grid)
    for r in range(n_rows):
        for c in range(n_cols):
            if c > 0 and (r, c) not in vertical:
                anchor[r][c] = anchor[r][c - 1]
            elif r > 0 and (r, c) not in horizontal:
                anchor[r][c] = anchor[r - 1][c]
    buckets: dict[tuple[int, int], list[_Char]] = {}
    for char in chars:
        c = bisect_right(xs, (char[0] + char[2]) / 2) - 1
        r = bisect_right(ys, (char[1] + char[3]) / 2) - 1
        if 0 <= r < n_rows and 0 <= c < n_cols:
            buckets.setdefault(anchor[r][c], []).append(char)
    rows = []
    for r in range(n_rows):
        cells = tuple(
            cell_text(buckets.get((r, c), [])) if anchor[r][c] == (r, c) else "" for c in range(n_cols)
        )
        if not any(cells):
            continue  # an empty spacer row of the grid
        em = max((ch[3] - ch[1] for c in range(n_cols) for ch in buckets.get((r, c), [])), default=12.0)
        rows.append(
            _PageLine(
                text="| " + " | ".join(cells) + " |",
                x0=xs[0],
                top=ys[r],
                x1=xs[-1],
                bottom=ys[r + 1],
                em=em,
                cells=cells,
                table=table_index,
            )
        )
    return rows


def cell_text(chars: list[_Char]) -> str:
    """Join a cell's lines into one whitespace-normalised string (wrapped cell text joined)."""
    parts: list[str] = []
    for line in chars_to_lines(chars):
        text = " ".join(line.text.split())
        if (
            parts
            and parts[-1][-1:].isascii()
            and parts[-1][-1:].isalnum()
            and text[:1].isascii()
            and text[:1].isalpha()
        ):
            parts.append(" ")  # a Latin word broken across cell lines keeps its space
        parts.append(text)
    return "".join(parts)


def place_short_unruled_rows(lines: list[_PageLine], chars: list[_Char]) -> None:
    """Give rows of an unruled table that leave a cell blank their cells, placed under the header's columns.

    Text placed at fixed x positions (`名次  乡镇  扣分  得分` / `1  西湖镇  [blank]  100`, fresh-E e05)
    comes out of a line with one column separator per gap, however wide: the blank cell's
    place is lost, and a row one cell short cannot be read. The glyphs still say where each
    cell sits: each is put under the header column whose span its centre falls nearest.
    """
    k = 0
    while k < len(lines):
        end = k
        while end < len(lines) and lines[end].cells is None and COLUMN_SEPARATOR in lines[end].text:
            end += 1
        if end - k >= 2:
            _place_block(lines[k:end], chars)
        k = max(end, k + 1)


def _place_block(block: list[_PageLine], chars: list[_Char]) -> None:
    widths = [len(line.text.split(COLUMN_SEPARATOR)) for line in block]
    columns = widths[0]
    # The header comes first and names every column; a block whose first line is narrower
    # than a later one is not a table this can place (a header whose words sit close together).
    if columns < 3 or max(widths) != columns or all(width == columns for width in widths):
        return
    header_cells = tuple(text.strip() for text in block[0].text.split(COLUMN_SEPARATOR))
    roles = header_roles(header_cells)
    header_spans = _cell_spans(block[0], chars)
    if roles is None or len(header_spans) != columns:
        return
    for line, width in zip(block, widths, strict=True):
        if width == columns:
            continue
        texts = [text.strip() for text in line.text.split(COLUMN_SEPARATOR)]
        spans = _cell_spans(line, chars)
        if len(spans) != len(texts):
            continue
        placed = _best_placement(texts, spans, header_spans, roles)
        if placed is None:
            continue
        cells = [""] * columns
        for column, text in zip(placed, texts, strict=True):
            cells[column] = text
        line.cells = tuple(cells)
        line.text = "| " + " | ".join(cells) + " |"


def _best_placement(
    texts: list[str],
    spans: list[tuple[float, float]],
    header_spans: list[tuple[float, float]],
    roles: list[str | None],
) -> tuple[int, ...] | None:
    """The header columns of a short row's cells: the placement, in order, whose cells stand nearest
    their header words, among those where numbers sit in number columns and names do not."""
    numbers = [NUMBER_CELL.match(squash(text)) is not None for text in texts]
    return next(
        (
            placed
            for placed in placements_by_position(spans, header_spans)
            if all(
                number == (roles[c] in _NUMBER_ROLES)
                for number, c in zip(numbers, placed, strict=True)
                if roles[c] not in _EITHER_ROLES
            )
        ),
        None,
    )


# Columns whose cells are numbers; a rank or a sequence number may be written 第一名, and a column
# no header word names may hold anything.
_NUMBER_ROLES = {"score", "part", "points"}
_EITHER_ROLES = {"rank", "seq", None}


def _cell_spans(line: _PageLine, chars: list[_Char]) -> list[tuple[float, float]]:
    """The x extent of each cell of an unruled row: its glyphs split at gaps wider than a column gap."""
    gap = DEFAULT_COLUMN_GAP_EM * line.em
    return _x_runs(
        (c[0], c[2], gap)
        for c in chars
        if line.top <= (c[1] + c[3]) / 2 <= line.bottom and line.x0 - 1 <= c[0] and c[2] <= line.x1 + 1
    )


def _x_runs(glyphs: Iterable[tuple[float, float, float]]) -> list[tuple[float, float]]:
    """Glyphs (x0, x1, widest gap inside a cell) joined left to right into the x extents of cells."""
    runs: list[tuple[float, float]] = []
    for x0, x1, gap in sorted(glyphs):
        if runs and x0 - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], max(runs[-1][1], x1))
        else:
            runs.append((x0, x1))
    return runs


def drop_page_furniture(pages: list[_Page]) -> None:
    """Remove running page numbers and headers/footers repeated on most pages, in place."""

    def in_margin(page: _Page, line: _PageLine) -> bool:
        margin = DEFAULT_MARGIN_SHARE * page.height
        return line.bottom <= margin or line.top >= page.height - margin

    def key(line: _PageLine) -> str:
        return re.sub(r"\d+", "#", "".join(line.text.split()))

    text_pages = [page for page in pages if page.lines]
    repeats: Counter[str] = Counter()
    for page in text_pages:
        repeats.update({key(line) for line in page.lines if line.cells is None and in_margin(page, line)})
    needed = max(2, (len(text_pages) + 1) // 2)
    furniture = {text for text, count in repeats.items() if count >= needed and len(text_pages) >= 2}
    for page in text_pages:
        page.lines = [
            line
            for line in page.lines
            if line.cells is not None
            or not in_margin(page, line)
            or not (_PAGE_NUMBER.match(line.text) or key(line) in furniture)
        ]


def pages_to_lines(pages: list[_Page]) -> list[Line]:
    """Number the lines of all pages, set wrap hints and drop table headers repeated after a page break."""
    # A landscape page (a wide score table in an attachment) has its own type area: its edges
    # must not move the portrait pages' margin, or no portrait line reaches it (fresh-E e07).
    by_shape: dict[bool, list[_Page]] = {}
    for page in pages:
        by_shape.setdefault(page.width > page.height, []).append(page)
    shape_edges = {shape: text_block_edges(group) for shape, group in by_shape.items()}
    edges = {page.number: shape_edges[page.width > page.height] for page in pages}
    prose = [line for page in pages for line in page.lines if line.cells is None]
    body_em = _median_em(prose) if prose else 0.0
    kept: list[tuple[int, _PageLine]] = []
    prev_table: tuple[int, tuple[str, ...], int] | None = None  # (columns, header, page) of the open table
    for page in pages:
        last_table_key = None
        for position, line in enumerate(page.lines):
            if line.cells is None:
                if prev_table is not None and prev_table[2] == page.number:
                    prev_table = None  # text after the table on its page: the table ended
                kept.append((page.number, line))
                continue
            table_key = (page.number, line.table)
            if table_key != last_table_key:
                last_table_key = table_key
                header = tuple("".join(cell.split()) for cell in line.cells)
                # A table at the top of the page right after a table that ended its page,
                # with as many columns, is the same table running on.
                continues = (
                    prev_table is not None
                    and position == 0
                    and prev_table[2] == page.number - 1
                    and prev_table[0] == len(line.cells)
                )
                if continues and prev_table is not None:
                    prev_table = (prev_table[0], prev_table[1], page.number)
                    if header == prev_table[1]:
                        continue  # the header row Word repeats on the continuation page
                else:
                    prev_table = (len(line.cells), header, page.number)
            kept.append((page.number, line))
    lines: list[Line] = []
    for index, (page_number, line) in enumerate(kept):
        following = kept[index + 1][1] if index + 1 < len(kept) else None
        left, right = edges[page_number]
        wrapped = False if line.cells is not None else wrap_hint(line, following, left, right, body_em)
        bbox = (round(line.x0, 2), round(line.top, 2), round(line.x1, 2), round(line.bottom, 2))
        lines.append(
            Line(
                text=line.text,
                line_no=index + 1,
                page=page_number,
                bbox=bbox,
                cells=line.cells,
                wrapped=wrapped,
            )
        )
    return lines


def text_block_edges(pages: list[_Page]) -> tuple[float, float]:
    """Return the left and right edge of the body text block, from where most long lines start and stop.

    The right edge is the rightmost x1 that at least a few lines reach (full lines
    of justified prose all stop there); a lone wide line (a table caption pushed
    into the margin) does not move it.
    """
    prose = [line for page in pages for line in page.lines if line.cells is None]
    if not prose:
        return 0.0, 0.0
    need = max(2, len(prose) // 20)
    right_bins = Counter(round(line.x1 / 4) for line in prose)
    left_bins = Counter(round(line.x0 / 4) for line in prose)
    left = min((b for b, n in left_bins.items() if n >= need), default=min(left_bins)) * 4
    # A short document of short lines (a grade list: `（一）优秀（3个）` / `小冀镇、朗公庙镇`) has
    # no full line at all: an edge that several short lines happen to share is not the margin.
    # The margin is near the widest line; only edges within a fifth of the text width count.
    widest = max(right_bins)
    near_margin = [
        b for b, n in right_bins.items() if n >= need and b * 4 - left >= 0.8 * (widest * 4 - left)
    ]
    right = max(near_margin, default=widest) * 4
    # Nor is the widest short line: the type area is centred on the page (GB/T 9704 §5.2.2:
    # 156 mm on A4, margins 28 mm and 26 mm; Word's default margins are equal), so the right
    # edge lies at least as far from the page's right side as the left edge from its left.
    # A document of short lines (`（2）…扣1.5分。`, a grade list) then has no line at the margin.
    page_width = max(page.width for page in pages)
    symmetric = page_width - left - 0.5 * _median_em(prose)
    return left, max(right, symmetric)


def _median_em(lines: list[_PageLine]) -> float:
    ems = sorted(line.em for line in lines)
    return ems[len(ems) // 2]


def wrap_hint(
    line: _PageLine, following: _PageLine | None, left: float, right: float, body_em: float = 0.0
) -> bool | None:
    """Say whether a prose line continues on the next one (which may be on the next page).

    CJK text is justified to the margin, so a full line ends within about an em of
    it (one more glyph did not fit); a line stopping two ems short ends its
    paragraph. A full line ending a clause (`，扣 0.5 分；`) followed by an indented
    line ended its paragraph: Word continues a paragraph at the left edge and
    indents only first lines (xinyang-2022-07.pdf p.8, one deduction per paragraph).
    Centred title lines followed by another centred line of the same size continue
    (`信阳市安全生产委员会办公室` / `关于国务院安委会……` / `贯彻落实情况的通报`).
    """
    if right <= left:
        return None
    em = line.em
    if (
        following is not None
        and following.cells is None
        and _is_centred(line, left, right)
        and _is_centred(following, left, right)
        and abs(following.em - em) < 1.0
        and 0 <= following.top - line.bottom < 1.2 * em
    ):
        return True
    if (
        following is not None
        and following.cells is None
        and body_em
        and em >= 1.15 * body_em
        and abs((following.x0 + following.x1) - (line.x0 + line.x1)) < 3 * em
        and following.x0 > line.x0 + 1.5 * em
        and abs(following.em - em) < 1.0
        and 0 <= following.top - line.bottom < 1.2 * em
        and line.text[-1] not in _TERMINAL
    ):
        # A heading set larger than the body, too long for one line, fills the first line and
        # centres the rest under it (`六安市农村人居环境整治工作领导小组办` / `公室`).
        return True
    shortfall = right - line.x1
    if shortfall <= 1.2 * em + 2:
        if COLUMN_SEPARATOR in line.text or following is None or following.cells is not None:
            return False if following is None or following.cells is not None else None
        if following.x0 >= left + 1.5 * following.em:
            return False if line.text[-1] in _TERMINAL else None
        return True
    if shortfall >= 2 * em:
        return False
    return None


def _is_centred(line: _PageLine, left: float, right: float) -> bool:
    indent, outdent = line.x0 - left, right - line.x1
    return indent > 0.5 * line.em and abs(indent - outdent) < 1.5 * line.em


__all__ = ["DEFAULT_MAX_PAGES", "open_pdf", "read_pdf", "sniff_format"]
