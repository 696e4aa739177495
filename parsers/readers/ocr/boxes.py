"""What the OCR engine returns, as records: one `OcrBox` per text run, and a ruled `TableGrid`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parsers.model import BBox

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One text run the engine found: polygon (image pixels), text, score 0..1."""

    quad: tuple[Point, Point, Point, Point]
    text: str
    score: float

    @property
    def x0(self) -> float:
        return min(p[0] for p in self.quad)

    @property
    def x1(self) -> float:
        return max(p[0] for p in self.quad)

    @property
    def top(self) -> float:
        return min(p[1] for p in self.quad)

    @property
    def bottom(self) -> float:
        return max(p[1] for p in self.quad)

    @property
    def height(self) -> float:
        # Left and right edge heights: on a slightly skewed box the bounding height
        # overstates the text height by width * tan(skew).
        (_, y0), (_, y1), (_, y2), (_, y3) = self.quad
        return max(1.0, (abs(y3 - y0) + abs(y2 - y1)) / 2)

    @property
    def cy(self) -> float:
        return sum(p[1] for p in self.quad) / 4

    @property
    def cx(self) -> float:
        return sum(p[0] for p in self.quad) / 4


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A ruled table on a page: its column and row edges in image pixels."""

    col_edges: tuple[float, ...]
    row_edges: tuple[float, ...]

    @property
    def bbox(self) -> BBox:
        return (self.col_edges[0], self.row_edges[0], self.col_edges[-1], self.row_edges[-1])

    def contains(self, x: float, y: float) -> bool:
        return self.col_edges[0] <= x <= self.col_edges[-1] and self.row_edges[0] <= y <= self.row_edges[-1]


def boxes_from_engine(
    polygons: Iterable[Sequence[Sequence[float]]], texts: Iterable[str], scores: Iterable[float]
) -> list[OcrBox]:
    """Zip the engine's parallel outputs into `OcrBox` records, dropping empty texts."""
    boxes = []
    for poly, text, score in zip(polygons, texts, scores, strict=True):
        if not text.strip():
            continue
        pts = tuple((float(p[0]), float(p[1])) for p in poly)
        if len(pts) != 4:
            raise ValueError(f"OCR box polygon has {len(pts)} points, expected 4: {pts!r}")
        boxes.append(OcrBox(quad=pts, text=text.strip(), score=float(score)))  # type: ignore[arg-type]
    return boxes
