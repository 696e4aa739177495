"""Decoding what OCR reads: a PDF's pages (opened with tongbao's errors) and an image's frames."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from parsers.formats import IMAGE_SUFFIXES
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, UnsupportedInput


def open_pdf(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    if not data:
        raise EmptyInput(f"{name}: the file is empty (0 bytes)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedInput(f"{name}: the PDF is password-protected; save an unprotected copy") from e
        raise DamagedInput(f"{name}: cannot open the PDF ({e}); the file may be truncated or corrupt") from e


def pdf_page_count(data: bytes, name: str) -> int:
    """Number of pages of a PDF, with tongbao's errors for unreadable files."""
    doc = open_pdf(data, name)
    try:
        return len(doc)
    finally:
        doc.close()


def decode_image_frames(data: bytes, name: str) -> list[np.ndarray]:
    """Decode an image file into RGB (or grey) arrays, one per frame (multi-page TIFF).

    Which files are images is parsers.formats' decision (bytes first, then the name); this only
    decodes, so a scan is read whatever its suffix.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    if not data:
        raise EmptyInput(f"{name}: the file is empty (0 bytes)")
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as e:
        kinds = ", ".join(s.lstrip(".") for s in IMAGE_SUFFIXES)
        raise UnsupportedInput(
            f"{name}: the bytes are not an image tongbao decodes ({kinds}); "
            "check the file is what its name says"
        ) from e
    frames = []
    try:
        for frame in ImageSequence.Iterator(img):
            mode = "L" if frame.mode in ("1", "L", "I;16", "I") else "RGB"
            frames.append(np.asarray(frame.convert(mode)))
    except (OSError, SyntaxError, ValueError) as e:
        raise DamagedInput(f"{name}: the image cannot be decoded ({e}); the file may be truncated") from e
    if not frames:
        raise EmptyInput(f"{name}: the image has no frames")
    return frames
