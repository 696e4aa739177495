"""Read a PDF with pdfium's built-in fonts only, so what it gives does not depend on the fonts installed.

A circular exported from Word or WPS names its fonts (宋体, 仿宋_GB2312, Times New Roman) without
embedding them. pdfium then substitutes an installed font of the same charset (WenQuanYi,
Liberation, LibreOffice's fonts), and the substitute leaks into everything the reader uses:

- a loose char box is the font's ascent-to-descent box *unioned with the glyph's outline box*
  (pdfium's `GetLooseBounds`), so tall substitute glyphs raise a line's top (g01: 249.71 with
  WenQuanYi installed, 251.47 without), change its em and the gaps between lines: g02's
  title lost its first line (`赣州市…领导小组`) with WenQuanYi installed;
- pdfium drops a text object drawn again over the previous one (fake bold) by comparing the
  objects' glyph boxes, so the substitute decides which chars exist (e01: 2,479 with
  WenQuanYi, 2,490 without);
- tight boxes are the outlines themselves (zero height when no font has the glyph).

Measured on the 12 PDFs whose records changed (14,424 chars present both ways, all in the
unembedded STSong-Light; the standard-14 Times-Roman never moved): loose tops moved on 10,350
chars, rights on 1,726 (mostly digits), lefts on 1,231 (ideographs), bottoms on 8, tight boxes
on nearly all; origins, font sizes, char matrices and the descriptor's ascent and descent on
none; 8 of the 12 lost 7-32 chars to pdfium's overprint check. Origins, sizes and /W advances
would give a box, but pdfium's public API offers neither a loose box without the union nor the
/FontBBox that clamps its ascent and descent, and the lost chars would still differ. So the
reader takes pdfium's system-font lookup away while it reads (`FPDF_SetSystemFontInfo(NULL)`:
pdfium then uses only the fonts compiled into it — the same on every machine — for every
unembedded font) and puts a lookup back afterwards for rendering (OCR and the review site's
page images need real glyphs).

The lookup is process-wide pdfium state: pdfium must not be used from another thread while a
read is under way (it never may: pdfium is not thread-safe). What is put back is one lookup for
the whole process that forwards to the platform default and lists the installed fonts to pdfium
only the first time it asks: pdfium asks again every time a lookup is set, and the default would
scan the font folders anew each time (a read then a render took 110 ms against 68 ms; the
review site's 1,000 circulars took 69 s against its 60 s floor) and pdfium would append the
list to the one it already holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

_state = SimpleNamespace(depth=0, lookup=None, listed=False, keep=[])


def _forwarding_lookup():  # -> ctypes.pointer(FPDF_SYSFONTINFO) | None
    """One FPDF_SYSFONTINFO for the process: the platform default's answers, its font list once.

    pdfium calls it when it picks a substitute (a few times a document), never per char.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
    if not default:  # a platform without a default lookup: put none back
        return None
    inner = default.contents
    kinds = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)

    def release(this):  # pdfium drops the lookup at every read; the default lives on
        return None

    def enum_fonts(this, mapper):
        if not _state.listed:  # pdfium keeps the list it was given: the first one still holds
            _state.listed = True
            inner.EnumFonts(default, mapper)

    def forward(name: str):
        return kinds[name](lambda this, *args: getattr(inner, name)(default, *args))

    lookup = pdfium_c.FPDF_SYSFONTINFO(version=1)
    callbacks = {"Release": kinds["Release"](release), "EnumFonts": kinds["EnumFonts"](enum_fonts)}
    for name in ("MapFont", "GetFont", "GetFontData", "GetFaceName", "GetFontCharset", "DeleteFont"):
        callbacks[name] = forward(name)
    for name, callback in callbacks.items():
        setattr(lookup, name, callback)
    _state.keep = [default, lookup, callbacks]  # pdfium holds bare pointers to all of them
    return ctypes.pointer(lookup)


@contextmanager
def builtin_fonts_only() -> Iterator[None]:
    """Within the block, pdfium substitutes unembedded fonts with its built-in fonts only.

    Documents must be opened and their pages loaded inside the block: pdfium picks a
    substitute when it first parses a page that uses the font, and keeps it with the document.
    """
    import pypdfium2.raw as pdfium_c

    _state.depth += 1
    if _state.depth == 1:
        pdfium_c.FPDF_SetSystemFontInfo(None)  # pdfium deletes its lookup object (ours: Release)
    try:
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0:
            if _state.lookup is None:
                _state.lookup = _forwarding_lookup() or False
            if _state.lookup:
                pdfium_c.FPDF_SetSystemFontInfo(_state.lookup)
