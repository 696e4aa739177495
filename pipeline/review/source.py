"""A circular's source text (and page images) for the review page, re-read from its file.

The tables keep each row's `raw_text` but not the whole document, so the review re-reads the
source file when it is still where it was ingested from and still has the same bytes (its
sha256 is the doc_id); otherwise the page shows the rows' own text only, and says why. Images
and pages that needed OCR are not OCR'd again here (seconds per page): their lines are the rows'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.identity import doc_id_of

# Pages are drawn at 72 dpi: the bboxes are in PDF points, so one point is one pixel — enough
# to see which box a row came from, not to read fine print.
DEFAULT_PAGE_SCALE = 1.0
# Text on a grey page stays legible at this quality; a page is ~50 KB.
DEFAULT_JPEG_QUALITY = 70
# A 300-page annual report would make the review site hundreds of MB: draw the first pages only.
DEFAULT_MAX_PAGE_IMAGES = 20


@dataclass(slots=True)
class SourceLine:
    """One line as the reader returned it, with its physical line numbers."""

    start: int
    end: int
    page: int | None
    text: str


@dataclass(slots=True)
class PageImage:
    """A rendered page: file name under review/pages/, size in pixels, scale from PDF points."""

    page: int
    file: str
    width: int
    height: int
    scale: float


@dataclass(slots=True)
class SourceText:
    """What the review shows of a document's source."""

    status: str  # reread | missing | changed | unreadable
    path: str
    lines: list[SourceLine] = field(default_factory=list)
    pages: list[PageImage] = field(default_factory=list)


def resolve_source(source_path: str, out: Path) -> Path | None:
    """Where the ingested file is now: its path as recorded (relative to the working directory
    it was ingested from), else relative to the output folder's parent."""
    path = Path(source_path)
    candidates = [path] if path.is_absolute() else [path, out.parent / path, out.resolve().parent / path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def read_source(
    doc_id: str,
    source_path: str,
    out: Path,
    *,
    pages_dir: Path | None = None,
    max_pages: int = DEFAULT_MAX_PAGE_IMAGES,
) -> SourceText:
    """Re-read one document's lines (and draw its PDF pages into `pages_dir` when given)."""
    from parsers.document import read_document
    from parsers.formats import detect_format

    path = resolve_source(source_path, out)
    if path is None:
        return SourceText("missing", source_path)
    data = path.read_bytes()
    if doc_id_of(data) != doc_id:
        return SourceText("changed", str(path))
    try:
        found = detect_format(data, path.name).format
        # Images and formats read only by OCR have no lines to re-read without running OCR again.
        if found is None or found.reader is None:
            return SourceText("unreadable", str(path))
        read = read_document(data, path.name)
    except Exception:  # a file that failed at ingest fails here too; its row already says why
        return SourceText("unreadable", str(path))
    lines = [
        SourceLine(line.line_no, line.last_line, line.page, line.raw if line.raw is not None else line.text)
        for line in read.lines
    ]
    images = (
        _page_images(data, doc_id, pages_dir, max_pages)
        if pages_dir is not None and found.name == "pdf"
        else []
    )
    return SourceText("reread", str(path), lines, images)


def _page_images(data: bytes, doc_id: str, pages_dir: Path, max_pages: int) -> list[PageImage]:
    import pypdfium2 as pdfium

    pages_dir.mkdir(parents=True, exist_ok=True)
    images = []
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:  # encrypted: the password is not kept after ingest
        return []
    try:
        for index in range(min(len(pdf), max_pages)):
            page = pdf[index]
            # Grey JPEG: encoding a page as PNG took 48 ms (55 of 94 s for 1,000 circulars), JPEG
            # takes a few; the boxes are drawn over it in SVG, so no detail of ours is lost.
            bitmap = page.render(scale=DEFAULT_PAGE_SCALE, grayscale=True)
            image = bitmap.to_pil()
            name = f"{doc_id}-p{index + 1}.jpg"
            image.save(pages_dir / name, quality=DEFAULT_JPEG_QUALITY)
            images.append(PageImage(index + 1, name, image.width, image.height, DEFAULT_PAGE_SCALE))
            page.close()
    finally:
        pdf.close()
    return images
