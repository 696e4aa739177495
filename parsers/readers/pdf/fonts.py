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
chars, rights on 1,726 (mostly digits), lefts on 1,231 (ideographs), bottoms on 8, tight boxes on nearly all;
origins, font sizes, char matrices and the descriptor's ascent and descent on none; 8 of the
12 lost 7-32 chars to pdfium's overprint check. Origins, sizes and /W advances would give a
box, but pdfium's public API offers neither a loose box without the union nor the /FontBBox
that clamps its ascent and descent, and the lost chars would still differ. So the reader takes
pdfium's system-font lookup away while it reads (`FPDF_SetSystemFontInfo(NULL)`: pdfium then
uses only the fonts compiled into it — the same on every machine — for every unembedded font)
and puts the platform default back afterwards for rendering (OCR needs real glyphs).

The lookup is process-wide pdfium state: pdfium must not be used from another thread while a
read is under way (it never may: pdfium is not thread-safe). Putting the default back makes
pdfium scan the font folders again the next time a render needs a substitute.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# The FPDF_SYSFONTINFO this module put back last time; freed once pdfium has let go of it.
_restored = None
_depth = 0


@contextmanager
def builtin_fonts_only() -> Iterator[None]:
    """Within the block, pdfium substitutes unembedded fonts with its built-in fonts only.

    Documents must be opened and their pages loaded inside the block: pdfium picks a
    substitute when it first parses a page that uses the font, and keeps it with the document.
    """
    global _depth, _restored
    import pypdfium2.raw as pdfium_c

    _depth += 1
    if _depth == 1:
        pdfium_c.FPDF_SetSystemFontInfo(None)  # pdfium deletes its lookup (and Releases ours)
        if _restored is not None:
            pdfium_c.FPDF_FreeDefaultSystemFontInfo(_restored)
            _restored = None
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
            if default:  # NULL on a platform without a default lookup: leave none
                pdfium_c.FPDF_SetSystemFontInfo(default)
                _restored = default
