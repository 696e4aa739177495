"""A PDF page's characters and the lines they make: the reader's per-character work.

Each character's loose box comes from pdfium (`FPDFText_GetLooseCharBox`), and the
characters are grouped into physical lines by geometry, dropping fake bold and
marking column gaps. These loops run once per character (~4,000 in a circular) and
per page object, so they are also written in C (`_pdfchars.c`, built at install when
a compiler is present); the Python versions here are the fallback and the reference
the C is tested against (tests/test_pdf_reader.py).
"""

from __future__ import annotations

import ctypes
import functools
import operator
import re
import struct
import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from types import SimpleNamespace

try:  # the per-character loops compiled at install (setup.py); optional, same output
    from parsers.readers.pdf._pdfchars import chars_to_lines as _chars_to_lines_c
    from parsers.readers.pdf._pdfchars import page_chars as _page_chars
    from parsers.readers.pdf._pdfchars import page_paths as _page_paths
except ImportError:  # pragma: no cover - installs without a C compiler
    _chars_to_lines_c = _page_chars = _page_paths = None

# A character drawn again within this fraction of its width is fake bold (WPS and
# drawn PDFs overprint titles 0.2-0.5 pt apart); genuinely repeated characters
# (`各县县委`, `看看`) sit one full width apart.
DEFAULT_FAKE_BOLD_SHIFT = 1 / 3

# Horizontal gap, in ems, above which two characters of a line belong to different
# columns (an unruled table: `1    大安区    92.35`); justified prose never spreads
# characters this far apart.
DEFAULT_COLUMN_GAP_EM = 1.0

# Gap, in ems, above which a single space is kept (Latin words, `16 个` in WPS
# exports); CJK glyph boxes touch, so smaller gaps are kerning noise.
DEFAULT_SPACE_GAP_EM = 0.15

# The narrowest gap that can hold a space: the space gap of the smallest em a line is given.
_NARROWEST_SPACE_GAP = DEFAULT_SPACE_GAP_EM * 1.0

# Radians off upright beyond which a glyph is turned (the C helper's TURNED_ANGLE); glyphs whose
# angles round to the same multiple of _ONE_ANGLE share an angle, and when this share of the
# turned glyphs does, they are text set at an angle, not a seal's arc (whose angles all differ).
_TURNED = 0.1
_TWO_PI = 6.283185307179586
_ONE_ANGLE = 0.05
DEFAULT_MIN_SAME_ANGLE_SHARE = 0.8

# Times the median upright glyph height above which a turned glyph's box, on both sides, is a
# watermark's (44 pt over 15 pt body text: about 4x; a turned table's cells are the body's size).
DEFAULT_WATERMARK_SCALE = 2.0

# Separator written between columns of an unruled table, so the normaliser can
# split them back into cells (it splits on two or more spaces).
COLUMN_SEPARATOR = "    "

# Share of a page's characters in Latin-1's upper half (U+00A1-U+00FF) above which its text
# is GBK bytes read as Latin-1, mojibake: the page needs OCR.
DEFAULT_MAX_LATIN1_SHARE = 0.5

# A page with no ideograph and at least this many characters is tested for subset-font codes: a
# page of a few numbers or a page number alone says too little.
DEFAULT_MIN_SUBSET_CODE_CHARS = 20
# Share of such a page's characters that are symbols prose and tables never use, above which the
# page is a subset font's codes read as ASCII (English prose: under 1 %; m05's page: over 20 %).
DEFAULT_MAX_RARE_SYMBOL_SHARE = 0.1
_RARE_SYMBOLS = frozenset("!\"#$&'*+<=>?@[\\]^_`{|}~")

_CID = re.compile(r"\(cid:\d+\)")
_TEXT_OF = operator.itemgetter(4)  # a Char's text
# Page object types of the pdfium C API (fpdf_edit.h).
_PAGEOBJ_PATH, _PAGEOBJ_IMAGE = 2, 3


# Four floats, the FS_RECTF pdfium fills. One type for the module's lifetime: ctypes keeps
# array types only while an instance lives, and making one costs ~20 us.
_FloatRect = ctypes.c_float * 4
# Read the four floats at once: slicing a ctypes array costs twice as much.
_READ_FLOAT_RECT = struct.Struct("4f").unpack_from
# pdfium writes text as UTF-16 code units in the machine's byte order.
_UTF16_NATIVE = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"


Char = tuple[float, float, float, float, str]
"""A visible character: x0, top, x1, bottom (loose box, top-left origin), text.
A plain tuple, not a dataclass: a page has ~600 of them and building them is the
reader's hot loop (bench/bench_pdf.py)."""


@dataclass(slots=True)
class PageLine:
    """A physical line of one page before numbering; `cells` for table rows."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    em: float
    cells: tuple[str, ...] | None = None
    table: int | None = None
    """Index of the table on its page, for table rows."""
    cell_spans: tuple[tuple[float, float], ...] | None = None
    """For a line with column gaps outside any ruled table: the x extent of each of its cells."""


@functools.cache
def _pdfium_calls() -> SimpleNamespace:
    """Return copies of the pdfium functions called per character or page object, without ctypes argtypes.

    pypdfium2 declares every argument's pointer type, and ctypes then checks each
    argument on every call: 1.3-1.5 us per `FPDFText_GetLooseCharBox` call against
    0.5 us without the checks (a circular has ~4,000 characters, the dev corpus 60,000),
    more than pdfium's own text extraction. Callers must pass handles as ctypes pointer
    instances (pypdfium2's typed handles), not `c_void_p` (ctypes looks its type code up
    on every call of a simple type: a tenth of the call) nor bare ints (truncated to a C
    int), and ints as ints.

    The copies keep the GIL during the call (`PYFUNCTYPE`, as `ctypes.pythonapi` does):
    these calls take well under a microsecond, and releasing and taking back the GIL was
    a tenth of each (cachegrind). None of them calls back into Python.
    """
    import pypdfium2.raw as pdfium_c

    def untyped(function, restype=ctypes.c_int):
        return ctypes.PYFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value)

    def address(function) -> int:
        return ctypes.cast(function, ctypes.c_void_p).value or 0

    return SimpleNamespace(
        # For the C helper, which calls these four itself: (count, text, unicode, loose box).
        addresses=tuple(
            address(f)
            for f in (
                pdfium_c.FPDFText_CountChars,
                pdfium_c.FPDFText_GetText,
                pdfium_c.FPDFText_GetUnicode,
                pdfium_c.FPDFText_GetLooseCharBox,
                pdfium_c.FPDFText_GetCharAngle,
            )
        ),
        object_addresses=tuple(
            address(f)
            for f in (
                pdfium_c.FPDFPage_CountObjects,
                pdfium_c.FPDFPage_GetObject,
                pdfium_c.FPDFPageObj_GetType,
                pdfium_c.FPDFPageObj_GetBounds,
            )
        ),
        count_chars=untyped(pdfium_c.FPDFText_CountChars),
        get_text=untyped(pdfium_c.FPDFText_GetText),
        get_unicode=untyped(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint),
        loose_box=untyped(pdfium_c.FPDFText_GetLooseCharBox),
        char_angle=untyped(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float),
        count_objects=untyped(pdfium_c.FPDFPage_CountObjects),
        get_object=untyped(pdfium_c.FPDFPage_GetObject, pdfium_c.FPDF_PAGEOBJECT),
        object_type=untyped(pdfium_c.FPDFPageObj_GetType),
        object_bounds=untyped(pdfium_c.FPDFPageObj_GetBounds),
    )


def iter_page_chars(textpage, page_height: float) -> tuple[list[Char], int]:  # textpage: FPDF_TEXTPAGE
    """Return the page's visible characters with loose boxes (top-left origin) and the count of unusable ones.

    Loose boxes cover the font's full em, so lines of one font size have equal
    heights and glyphs of a CJK line touch: gaps then mean real spaces or columns.
    The loop runs in C (`_pdfchars`, built at install) when it was compiled, else in Python.
    """
    if _page_chars is None:
        return _iter_page_chars_python(textpage, page_height)
    calls = _pdfium_calls()
    chars, bad, has_paren, latin1, turned, angles = _page_chars(
        ctypes.cast(textpage, ctypes.c_void_p).value or 0, *calls.addresses, page_height
    )
    chars = _upright(chars, turned, angles)
    return chars, (
        bad
        + (_cid_chars(chars) if has_paren else 0)
        + _mojibake_chars(latin1, len(chars))
        + _subset_code_chars(chars)
    )


def _upright(chars: list[Char], turned: list[Char], angles: list[float]) -> list[Char]:
    """Drop glyphs drawn at angles that vary from glyph to glyph: the text running round a seal's arc.

    A vector seal over the signature (`桐柏县安全生产委员会办公室` round a star, fresh-E) would
    otherwise be read into the signature and date lines — on a last page holding only the
    signature, its glyphs are a good share of the page (fresh-G). Text set at one angle (a
    page turned a quarter, a vertical table header) keeps its glyphs.
    """
    if not turned:
        return chars
    counts = Counter(round(angle / _ONE_ANGLE) for angle in angles)
    if counts.most_common(1)[0][1] >= DEFAULT_MIN_SAME_ANGLE_SHARE * len(angles):
        return chars + _without_watermark(chars, turned)
    return chars


def _without_watermark(chars: list[Char], turned: list[Char]) -> list[Char]:
    """Drop turned glyphs far larger than the page's upright text: a diagonal watermark.

    `内部资料 注意保存` set at 35° in 44 pt across every page (gold m01) shares one angle, so it
    would pass for a turned table and its glyphs would join the lines they cross (`第一季意度安注全`,
    `注白沙镇`). A turned table or page is set in the size of the text around it; a watermark's box
    is several times the body's em on both sides.
    """
    if not chars:
        return turned
    heights = sorted(bottom - top for _, top, _, bottom, _ in chars)
    body = heights[len(heights) // 2]
    limit = DEFAULT_WATERMARK_SCALE * body
    return [g for g in turned if min(g[2] - g[0], g[3] - g[1]) <= limit]


def _iter_page_chars_python(textpage, page_height: float) -> tuple[list[Char], int]:
    """`iter_page_chars` without the C helper: the same rules, one ctypes call per character."""
    calls = _pdfium_calls()
    count = calls.count_chars(textpage)
    if count <= 0:
        return [], 0
    # A bytearray, not a `c_ushort * (count + 1)` array: ctypes would make (and the garbage
    # collector later unmake) a new array type for every page length.
    buffer = bytearray(2 * (count + 1))  # UTF-16 code units and a terminating NUL
    written = calls.get_text(textpage, 0, count, ctypes.byref(ctypes.c_char.from_buffer(buffer)))
    # One str character per pdfium character index: surrogates stay separate code units.
    text: str
    if written - 1 == count:
        text = buffer[: 2 * count].decode(_UTF16_NATIVE, "surrogatepass")
        if len(text) != count:  # a surrogate pair was joined
            text = "".join(map(chr, memoryview(buffer).cast("H")[:count].tolist()))
    else:  # pdfium dropped or inserted chars in its text view: ask per character
        get_unicode = calls.get_unicode
        text = "".join([chr(get_unicode(textpage, i)) for i in range(count)])
    rect = _FloatRect()  # FS_RECTF: left, top, right, bottom
    rect_ref = ctypes.byref(rect)  # made once: passing `rect` makes a new reference every call
    read_rect = _READ_FLOAT_RECT
    get_box = calls.loose_box
    get_angle = calls.char_angle
    chars: list[Char] = []
    turned: list[Char] = []
    angles: list[float] = []
    bad = latin1 = 0
    pending_high = 0
    for i, char in enumerate(text):
        # CJK ideographs, nine in ten characters of a circular, are none of the cases below.
        if not "\u4e00" <= char <= "\u9fff":
            code = ord(char)
            if code <= 32 or code in (0xA0, 0x3000, 0xFEFF, 0x200B):
                continue  # spaces and pdfium's generated \r\n: spacing comes from geometry
            if 0xD800 <= code < 0xDC00:
                pending_high = code
                continue
            if 0xDC00 <= code < 0xE000 and pending_high:
                char = chr(0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00))
                pending_high = 0
            if (
                code == 0xFFFD
                or 0xE000 <= code <= 0xF8FF
                or code < 32
                or 0x7F <= code < 0xA0
                or code == 0xFFFE
            ):
                bad += 1
                continue
            if 0xA1 <= code <= 0xFF:
                latin1 += 1
        if not get_box(textpage, i, rect_ref):
            continue
        left, top, right, bottom = read_rect(rect)
        angle = get_angle(textpage, i)
        if _TURNED < angle < _TWO_PI - _TURNED:
            turned.append((left, page_height - top, right, page_height - bottom, char))
            angles.append(angle)
        else:
            chars.append((left, page_height - top, right, page_height - bottom, char))
    chars = _upright(chars, turned, angles)
    if "(" in text:
        bad += _cid_chars(chars)
    return chars, bad + _mojibake_chars(latin1, len(chars)) + _subset_code_chars(chars)


def _mojibake_chars(latin1: int, visible: int) -> int:
    """Count a page's Latin-1 letters as unusable when they are most of it: GBK text read as Latin-1.

    A font without a ToUnicode map whose codes are the GBK bytes of the text shows every
    Chinese character as two Latin-1 letters (`扣0.5分` → `¿Û0.5·Ö`); no circular is mostly
    accented Latin. (Decoding them back is a guess at the encoding; OCR reads what is printed.)
    """
    return latin1 if latin1 > DEFAULT_MAX_LATIN1_SHARE * visible else 0


def _subset_code_chars(chars: list[Char]) -> int:
    """Count a page's characters as unusable when they are a subset font's codes read as ASCII.

    A subset font without a ToUnicode map numbers its glyphs in order of first use from `!`
    (gold m05's deductions page: `*/.0123456789#0$:`): extractors give punctuation, digits and
    letters that are not the text, and its digits would be read as points. A circular's page
    holds ideographs; one with none whose ASCII is full of symbols prose and tables never use
    (`#$&'*+<=>@^_{|}~`, square brackets, the backslash and the backquote) is such a page.
    """
    if len(chars) < DEFAULT_MIN_SUBSET_CODE_CHARS:
        return 0
    texts = list(map(_TEXT_OF, chars))
    if any("\u4e00" <= text <= "\u9fff" for text in texts):
        return 0
    symbols = sum(1 for text in texts if text in _RARE_SYMBOLS)
    return len(chars) if symbols > DEFAULT_MAX_RARE_SYMBOL_SHARE * len(chars) else 0


def _cid_chars(chars: list[Char]) -> int:
    """Count characters spelling `(cid:N)`: text of a PDF re-made from a broken extraction."""
    cid_text = "".join(map(_TEXT_OF, chars))
    if "(cid:" not in cid_text:
        return 0
    return sum(len(match) for match in _CID.findall(cid_text))


def chars_to_lines(chars: list[Char]) -> list[PageLine]:
    """Group characters into physical lines by vertical position, each in x order (in C when compiled)."""
    if _chars_to_lines_c is None:
        return _chars_to_lines_python(chars)
    return [PageLine(text, x0, top, x1, bottom, em) for text, x0, top, x1, bottom, em in _c_line_items(chars)]


def _c_line_items(chars: list[Char]) -> list[tuple[str, float, float, float, float, float]]:
    """(text, x0, top, x1, bottom, em) of each line, from the C helper with the reader's gap settings."""
    assert _chars_to_lines_c is not None
    return _chars_to_lines_c(
        chars,
        DEFAULT_FAKE_BOLD_SHIFT,
        _NARROWEST_SPACE_GAP,
        DEFAULT_SPACE_GAP_EM,
        DEFAULT_COLUMN_GAP_EM,
        COLUMN_SEPARATOR,
    )


def line_texts(chars: list[Char]) -> list[str]:
    """The text of each line the characters make, as chars_to_lines gives it, without the line boxes
    (a ruled cell's lines: a table has a few hundred cells, each a call)."""
    if not chars:
        return []
    if _chars_to_lines_c is None:
        return [line.text for line in _chars_to_lines_python(chars)]
    return [item[0] for item in _c_line_items(chars)]


def _chars_to_lines_python(chars: list[Char]) -> list[PageLine]:
    """`chars_to_lines` without the C helper."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: c[1] + c[3])
    groups: list[list[Char]] = []
    centre = -1e9
    tolerance = 0.0
    group: list[Char] = []
    for char in ordered:
        mid = (char[1] + char[3]) / 2
        if mid - centre <= tolerance:
            group.append(char)
            continue
        group = [char]
        groups.append(group)
        centre = mid
        # A char belongs to the line when its centre is within a third of the line's
        # height: next lines sit a full line height (or more) away even at single spacing.
        tolerance = max(1.0, 0.35 * (char[3] - char[1]))
    return [line for group in groups if (line := chars_to_line(group)) is not None]


def chars_to_line(group: list[Char]) -> PageLine | None:
    """Join one line's characters left to right, dropping fake bold and spacing by gaps."""
    group.sort()
    first = group[0]
    prev_x0, top, right, bottom, prev_text = first
    prev_x1 = right
    texts = [prev_text]
    heights = [bottom - top]
    # Gaps that may hold a space, as (index in texts, gap): which do depends on the line's
    # em, known only once every char is seen; em is at least 1, so narrower gaps never do.
    gaps: list[tuple[int, float]] = []
    for x0, char_top, x1, char_bottom, text in group[1:]:
        if text == prev_text and x0 - prev_x0 < DEFAULT_FAKE_BOLD_SHIFT * max(prev_x1 - prev_x0, 0.1):
            continue  # fake bold: the same glyph overprinted a fraction of its width away
        prev_x0, prev_x1, prev_text = x0, x1, text
        gap = x0 - right  # right: the right edge of the text so far
        if gap > _NARROWEST_SPACE_GAP:
            gaps.append((len(texts), gap))
        texts.append(text)
        heights.append(char_bottom - char_top)
        if char_top < top:
            top = char_top
        if char_bottom > bottom:
            bottom = char_bottom
        if x1 > right:
            right = x1
    heights.sort()
    em = max(heights[len(heights) // 2], 1.0)
    column_gap, space_gap = DEFAULT_COLUMN_GAP_EM * em, DEFAULT_SPACE_GAP_EM * em
    for index, gap in gaps:
        if gap > space_gap:
            texts[index] = (COLUMN_SEPARATOR if gap > column_gap else " ") + texts[index]
    text = "".join(texts).strip()
    if not text:
        return None
    return PageLine(text=text, x0=first[0], top=top, x1=right, bottom=bottom, em=em)


def page_path_bounds(
    page,
) -> tuple[list[tuple[int, float, float, float, float]], int, int]:  # page: FPDF_PAGE
    """Return (index, left, bottom, right, top) of the page's path objects, and its image and path counts.

    A page has ~30 text objects for every path (17,560 and 565 over the dev corpus);
    the C helper walks them in one call when it was compiled.
    """
    calls = _pdfium_calls()
    if _page_paths is not None:
        return _page_paths(ctypes.cast(page, ctypes.c_void_p).value or 0, *calls.object_addresses)
    count = calls.count_objects(page)
    # One call per object, looped in C: a page has thirty text objects per path.
    objects = list(map(calls.get_object, repeat(page, count), range(count)))
    kinds = list(map(calls.object_type, objects))  # a null object has type 0 (unknown)
    bounds = _FloatRect()  # left, bottom, right, top
    left, bottom, right, top = (ctypes.byref(bounds, 4 * k) for k in range(4))
    found = []
    for k in [k for k, kind in enumerate(kinds) if kind == _PAGEOBJ_PATH]:
        if calls.object_bounds(objects[k], left, bottom, right, top):
            x0, y_bottom, x1, y_top = bounds[:]
            found.append((k, x0, y_bottom, x1, y_top))
    return found, kinds.count(_PAGEOBJ_IMAGE), kinds.count(_PAGEOBJ_PATH)


def cell_spans(line: PageLine, chars: list[Char]) -> list[tuple[float, float]]:
    """The x extent of each cell of an unruled row: its glyphs split at gaps wider than a column gap."""
    gap = DEFAULT_COLUMN_GAP_EM * line.em
    return x_runs(
        (c[0], c[2], gap)
        for c in chars
        if line.top <= (c[1] + c[3]) / 2 <= line.bottom and line.x0 - 1 <= c[0] and c[2] <= line.x1 + 1
    )


def x_runs(glyphs: Iterable[tuple[float, float, float]]) -> list[tuple[float, float]]:
    """Glyphs (x0, x1, widest gap inside a cell) joined left to right into the x extents of cells."""
    runs: list[tuple[float, float]] = []
    for x0, x1, gap in sorted(glyphs):
        if runs and x0 - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], max(runs[-1][1], x1))
        else:
            runs.append((x0, x1))
    return runs


def set_cell_spans(lines: list[PageLine], chars: list[Char]) -> None:
    """Give each line with column gaps outside a ruled table the x extent of each of its cells.

    An unruled table's row is written with one COLUMN_SEPARATOR per gap, however wide, so a
    blank cell leaves no trace in the text (fresh-E e05 `1  西湖镇  [blank]  100`); the glyphs'
    extents still say where each cell stands, and the table layer places the cells by them.
    """
    gapped = [line for line in lines if line.cells is None and COLUMN_SEPARATOR in line.text]
    if not gapped:
        return
    # Doubled centres: halving and doubling are exact in binary floating point.
    by_centre = sorted(chars, key=lambda c: c[1] + c[3])
    centres = [c[1] + c[3] for c in by_centre]
    for line in gapped:
        near = by_centre[bisect_left(centres, 2 * line.top) : bisect_right(centres, 2 * line.bottom)]
        line.cell_spans = tuple(cell_spans(line, near))
