"""Open a PDF and read its pages: characters into lines, rules into table rows, garbage into OCR's list."""

from __future__ import annotations

from parsers.formats import is_pdf
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, ReadResult, UnsupportedInput
from parsers.readers.pdf.columns import split_text_columns
from parsers.readers.pdf.fonts import builtin_fonts_only
from parsers.readers.pdf.glyphs import chars_to_lines, iter_page_chars, set_cell_spans
from parsers.readers.pdf.lines import Page, drop_page_furniture, pages_to_lines
from parsers.readers.pdf.rules import grid_to_rows, page_rules, row_ruled_grids, rules_to_grids, split_chars
from parsers.readers.sniff import sniff_bytes

# Circulars run to a few dozen pages; a cap bounds the work a hostile or mislabelled
# file (a 2,000-page scanned yearbook) can cause. The pipeline can raise it.
DEFAULT_MAX_PAGES = 300

# Share of a page's visible characters that map to nothing usable (U+FFFD, private use,
# control codes, `(cid:N)`) above which the text layer is garbage and the page needs OCR.
# Real pages with a broken font have nearly all chars bad; a good page has none.
DEFAULT_MAX_BAD_SHARE = 0.3

# Share of a page's text objects drawn invisible above which, over an image, the text is a
# scanner's OCR layer (a searchable PDF draws all of it invisible; a Word page none).
DEFAULT_MIN_INVISIBLE_SHARE = 0.5

# Text objects with no extent, and their share of the page's text objects, from which the page's
# text is not all readable (m02's turned table: 15 of 15 names and headers; a stray empty run is one).
DEFAULT_MIN_UNPLACED = 3
DEFAULT_MIN_UNPLACED_SHARE = 0.2


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
    # Unembedded fonts get pdfium's built-in substitutes, never the machine's: boxes and which
    # overprinted copy pdfium keeps must not depend on the fonts installed (fonts.py).
    with builtin_fonts_only():
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
    layered = [page.number for page in pages if page.ocr_layer]
    if layered:
        warnings.append(
            f"{name}: pages {', '.join(map(str, layered))} are images under an invisible text layer (a "
            "scanner's OCR); tongbao reads them with its own OCR, and where it could not (--ocr never) "
            "their text is the scanner's as it is: check names and numbers against the page."
        )
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
    if not is_pdf(data):
        what = sniff_bytes(data)
        looks = f"it looks like {what}" if what else "its bytes match no format tongbao knows"
        raise UnsupportedInput(
            f"{name}: is not a PDF (no %PDF- header); {looks}. "
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


def invisible_text_share(raw_page) -> float:  # raw_page: FPDF_PAGE
    """Share of the page's text objects drawn invisible (render mode 3), as a scanner lays its OCR
    over the page image (gold m04); 0.0 for a page without text objects."""
    import pypdfium2.raw as pdfium_c

    texts = invisible = 0
    for k in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, k)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        texts += 1
        if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
            invisible += 1
    return invisible / texts if texts else 0.0


def unplaced_text_objects(raw_page, raw_textpage) -> bool:  # FPDF_PAGE, FPDF_TEXTPAGE
    """Whether several of the page's text objects have no extent and give no character.

    pdfium gives no character for the ideographs of an unembedded CJK font set at 90° or 270°
    (STSong-Light in a turned table; 30° and 89° are read), so the page reads as its digits
    alone. Such a font's upright runs have no extent either (no outline to measure: e07's
    headers) but give their text. Looked at only when the page has fewer characters than objects.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    texts = unplaced = 0
    box = [ctypes.c_float() for _ in range(4)]
    for k in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, k)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        texts += 1
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *map(ctypes.byref, box)):
            continue
        left, bottom, right, top = (v.value for v in box)
        # The text's length in UTF-16 units with its NUL: 2 bytes for an object that gives none.
        if (right - left < 0.01 or top - bottom < 0.01) and pdfium_c.FPDFTextObj_GetText(
            obj, raw_textpage, None, 0
        ) <= 2:
            unplaced += 1
    return unplaced >= DEFAULT_MIN_UNPLACED and unplaced >= DEFAULT_MIN_UNPLACED_SHARE * texts


def read_page(pdf, index: int) -> Page:  # pdf: pypdfium2.PdfDocument
    """Read one page: characters into lines, rules into grid rows; flag a garbage text layer."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    # The C API, not pypdfium2's PdfPage/PdfTextPage: their bookkeeping (finalizers, kid
    # lists) cost ~0.15 ms a page, 20 ms over the 129 text-layer pages of the dev corpus.
    raw_page = pdfium_c.FPDF_LoadPage(pdf, index)
    if not raw_page:
        raise pdfium.PdfiumError("Failed to load page.")
    try:
        width, height = pdfium_c.FPDF_GetPageWidthF(raw_page), pdfium_c.FPDF_GetPageHeightF(raw_page)
        result = Page(number=index + 1, width=width, height=height)
        raw_textpage = pdfium_c.FPDFText_LoadPage(raw_page)
        if not raw_textpage:
            raise pdfium.PdfiumError("Failed to load text page.")
        try:
            chars, bad = iter_page_chars(raw_textpage, height)
            if len(chars) < pdfium_c.FPDFPage_CountObjects(raw_page) and unplaced_text_objects(
                raw_page, raw_textpage
            ):
                # Text pdfium draws but gives no character for (gold m02, m09: a table turned a
                # quarter in an unembedded CJK font gives its digits and none of its names): what
                # is read is part of the page, so OCR must read it; its lines stay for a run
                # without OCR.
                result.needs_ocr = True
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
        result.ocr_layer = bool(images) and invisible_text_share(raw_page) > DEFAULT_MIN_INVISIBLE_SHARE
        # A scanner's OCR layer is text of unknown quality (gold m04: 98.5 laid as 96.5, 渔溪镇 as
        # 渔谿镇): OCR reads the page like any scan; its lines stay for a run without OCR.
        result.needs_ocr = result.needs_ocr or result.ocr_layer
        grids = rules_to_grids(h_rules, v_rules)
        grids += row_ruled_grids(h_rules, grids, chars)
        rest = chars
        for table_index, grid in enumerate(grids):
            inside, rest = split_chars(rest, grid)
            result.lines.extend(grid_to_rows(grid, inside, table_index))
        result.lines.extend(chars_to_lines(rest))
        # Reading order: top to bottom, but a grid's rows stay together, so two ruled grids side by
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
        set_cell_spans(result.lines, rest)
        result.lines = split_text_columns(result.lines, width)
        return result
    finally:
        pdfium_c.FPDF_ClosePage(raw_page)
