"""Read text-layer PDF circulars into physical lines with page, bbox and wrap hints.

Most archived circulars are PDFs exported from WPS/Word. Their text layer is
read with pypdfium2 character by character (one `FPDFText_GetText` call per
page plus one loose char box per character, in glyphs.py) and physical lines are rebuilt
from geometry, because the stream order is not reading order: WPS exports put
the curly quotes of a line in a separate text object that pdfium appends at
the end of the line (xinyang-2022-07.pdf: `关于国务院安委会 十五条硬措施 “ ”`).

Ruled score grids are rebuilt from the page's path objects (the rules Word
draws as one stroked segment per border) rather than with pdfplumber's
table finder: on the dev corpus pdfplumber took 40-260 ms for the ruled pages
of one file, more than pdfium needs for the whole document, and a rule grid
is all a circular's score grid needs (rules.py). Rows become `Line(cells=...)`; a line with wide gaps outside
any ruled grid keeps its text and carries the x extent of each cell (`Line.cell_spans`), for
the parsers downstream to place under their header: a reader knows geometry, not columns.

Artefacts removed here: fake bold (a glyph drawn twice a fraction of its width
apart), running page numbers (`— 3 —`, `- 3 -`, `第3页`), running heads and feet
repeated on most pages, and text layers that map to nothing usable (pages
listed in `pages_needing_ocr`; lines.py). Kangxi radicals, full-width forms and spaces
between CJK characters are left to the normaliser.
"""

from parsers.readers.pdf.pages import DEFAULT_MAX_PAGES, open_pdf, read_pdf

__all__ = ["DEFAULT_MAX_PAGES", "open_pdf", "read_pdf"]
