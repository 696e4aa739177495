"""Read OFD documents (GB/T 33190, the national fixed-layout format) into the PDF line model.

An OFD file is a zip: OFD.xml names each document's Document.xml (DocBody/DocRoot), which lists
its pages (Pages/Page/@BaseLoc) and the templates they draw on (CommonData/TemplatePage). A
page's Content.xml holds layers of TextObjects (Boundary "x y w h" in mm, top-left origin; each
TextCode's X/Y is the baseline start relative to the Boundary, DeltaX the advance per glyph,
`g N d` meaning N advances of d) and PathObjects (AbbreviatedData: M/L/B/Q/A/C commands), each
with an optional CTM.

The packages on PyPI (easyofd, ofdkit) render pages or read invoice fields; neither returns text
with positions for a table reconstruction, so the XML is read with the standard library.

Decisions:
- Text fragments (converters write one TextObject per run, per line, or per glyph) are grouped
  into printed lines by baseline and ordered by x, as the PDF reader orders glyphs. A gap wider
  than one glyph between fragments becomes a space, as the PDF text layer shows it.
- A table's ruled rows: where vertical rules (three or more, so two columns at least) span the
  band between two horizontal rules, the fragments inside the band are one row, split into
  cells at the rules (text wrapped inside a cell joined in reading order). Rows of other tables
  are plain lines, like a PDF's unruled rows.
- bbox is in PDF points (mm × 72/25.4) with the page's top-left origin, so coordinates mean the
  same as the PDF reader's.
- Annotations (stamps, handwritten notes) and signatures are not read: the seal over the issuer
  repeats the issuer's name, which the body already states.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from parsers.model import DamagedInput, EmptyInput, EncryptedInput, Line, ReadResult, UnsupportedInput
from parsers.readers.sniff import sniff_bytes

OFD_SUFFIXES = (".ofd",)
MM_TO_PT = 72 / 25.4
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# A page of an official document holds a few thousand objects; the cap bounds a crafted file.
MAX_PART_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class _Fragment:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass(slots=True)
class _Segment:
    x0: float
    y0: float
    x1: float
    y1: float


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def read_ofd(data: bytes, name: str) -> ReadResult:
    """Read every page of an OFD package into Lines with page and bbox.

    Raises:
        EmptyInput: no bytes, or no page holds text.
        UnsupportedInput: the bytes are not an OFD (a PDF, a DOCX, another zip...).
        EncryptedInput: the package's parts are encrypted.
        DamagedInput: a truncated zip, a missing part or broken XML.
    """
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    archive = _open_package(data, name)
    lines: list[Line] = []
    page_no = 0
    for doc_root in _doc_roots(archive, name):
        document = _xml(archive, doc_root, name)
        base = posixpath.dirname(doc_root)
        templates = {
            t.get("ID"): _join(base, t.get("BaseLoc", ""))
            for t in document.iter()
            if _local(t.tag) == "TemplatePage"
        }
        for page in document.iter():
            if _local(page.tag) != "Page" or page.get("BaseLoc") is None:
                continue
            page_no += 1
            content_path = _join(base, page.get("BaseLoc", ""))
            content = _xml(archive, content_path, name)
            # A page naming a template the document does not declare draws without it.
            parts = [
                _xml(archive, templates[t.get("TemplateID")], name)
                for t in _templates_of(content)
                if t.get("TemplateID") in templates
            ]
            fragments: list[_Fragment] = []
            segments: list[_Segment] = []
            for part in [*parts, content]:
                _collect(part, _IDENTITY, fragments, segments)
            lines.extend(_page_lines(fragments, segments, page_no, len(lines)))
    if page_no == 0:
        raise DamagedInput(f"{name}: the OFD lists no pages; open it in an OFD reader and export it again.")
    if not lines:
        raise EmptyInput(
            f"{name}: the OFD's {page_no} page(s) hold no text objects (only images or paths); "
            "if it is a scan, export its pages to PDF and read that with --ocr auto."
        )
    return ReadResult(lines=lines, source_format="ofd", pages=page_no)


# ---------------------------------------------------------------- package


def _open_package(data: bytes, name: str) -> zipfile.ZipFile:
    if not data.startswith(b"PK"):
        what = sniff_bytes(data)
        looks = f"it looks like {what}" if what else "its bytes match no format tongbao knows"
        raise UnsupportedInput(
            f"{name}: is not an OFD (an OFD is a ZIP package; {looks}); "
            "give tongbao the file with its real extension."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise DamagedInput(
            f"{name}: the OFD is damaged — its ZIP structure cannot be read ({exc}); "
            "the file is probably truncated: download or copy it again."
        ) from exc
    names = {i.filename for i in infos}
    if "OFD.xml" not in names:
        raise UnsupportedInput(
            f"{name}: is a ZIP without OFD.xml, so not an OFD package "
            "(a .docx, .xlsx or another archive renamed .ofd?)."
        )
    if any(i.flag_bits & 0x1 for i in infos) or any(n.endswith("Encryptions.xml") for n in names):
        raise EncryptedInput(
            f"{name}: the OFD is encrypted; open it in an OFD reader with its password and export "
            "an unencrypted copy (or a PDF)."
        )
    return archive


def _doc_roots(archive: zipfile.ZipFile, name: str) -> list[str]:
    root = _xml(archive, "OFD.xml", name)
    found = [
        (el.text or "").strip().lstrip("/") for el in root.iter() if _local(el.tag) == "DocRoot" and el.text
    ]
    if not found:
        raise DamagedInput(f"{name}: OFD.xml names no document (no DocRoot); the package is damaged.")
    return found


def _xml(archive: zipfile.ZipFile, path: str, name: str) -> ET.Element:
    try:
        info = archive.getinfo(path)
    except KeyError:
        raise DamagedInput(f"{name}: the OFD lacks its part {path}; the package is damaged.") from None
    if info.file_size > MAX_PART_BYTES:
        raise DamagedInput(
            f"{name}: the OFD part {path} declares {info.file_size} bytes, more than the "
            f"{MAX_PART_BYTES // (1024 * 1024)} MiB a page part may hold; refused."
        )
    try:
        with archive.open(info) as stream:
            raw = stream.read(MAX_PART_BYTES + 1)
        return ET.fromstring(raw[:MAX_PART_BYTES])
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise DamagedInput(
            f"{name}: the OFD part {path} cannot be unpacked ({exc}); the file is probably truncated."
        ) from exc
    except ET.ParseError as exc:
        raise DamagedInput(f"{name}: the OFD part {path} has broken XML ({exc}).") from exc


def _templates_of(content: ET.Element) -> list[ET.Element]:
    return [t for t in content if _local(t.tag) == "Template" and t.get("TemplateID")]


def _join(base: str, loc: str) -> str:
    if loc.startswith("/"):
        return posixpath.normpath(loc.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, loc))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------- objects


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUM.findall(text or "")]


def _matrix(el: ET.Element, outer: Matrix) -> Matrix:
    ctm = _numbers(el.get("CTM"))
    if len(ctm) != 6:
        return outer
    a, b, c, d, e, f = ctm
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _collect(el: ET.Element, outer: Matrix, fragments: list[_Fragment], segments: list[_Segment]) -> None:
    """Walk layers and page blocks; TextObject/PathObject give fragments and rule segments."""
    for child in el:
        tag = _local(child.tag)
        if tag == "TextObject":
            _text_object(child, outer, fragments)
        elif tag == "PathObject":
            _path_object(child, outer, segments)
        elif tag in ("Content", "Layer", "PageBlock", "CompositeObject"):
            _collect(child, outer, fragments, segments)


def _text_object(obj: ET.Element, outer: Matrix, out: list[_Fragment]) -> None:
    box = _numbers(obj.get("Boundary"))
    if len(box) < 2:
        return
    bx, by = box[0], box[1]
    size = (_numbers(obj.get("Size")) or [3.5])[0]
    # The CTM maps object space into the Boundary's space; the Boundary offset is then added.
    local = _matrix(obj, _IDENTITY)
    to_page = (outer[0], outer[1], outer[2], outer[3], outer[4] + bx, outer[5] + by)
    scale = abs(local[3]) or abs(local[0]) or 1.0
    x = y = 0.0
    for code in obj:
        if _local(code.tag) != "TextCode":
            continue
        text = code.text or ""
        if not text:
            continue
        x = (_numbers(code.get("X")) or [x])[0]
        y = (_numbers(code.get("Y")) or [y])[0]
        deltas = _deltas(code.get("DeltaX"), len(text))
        # One fragment per glyph run whose advances are regular; converters that place each glyph
        # by DeltaX still read as one run, and the page's line grouping puts runs in order.
        advance = sum(deltas) + size * (0.5 if ord(text[-1]) < 0x2000 else 1.0)
        x0, base = _apply(local, x, y)
        x1, _ = _apply(local, x + advance, y)
        px0, pbase = _apply(to_page, x0, base)
        px1, _ = _apply(to_page, x1, base)
        out.append(_Fragment(text, min(px0, px1), max(px0, px1), pbase, size * scale))
        x += advance


def _deltas(spec: str | None, count: int) -> list[float]:
    """DeltaX as a list of advances; `g N d` repeats d N times (GB/T 33190 §11.3)."""
    if not spec:
        return []
    tokens = spec.split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
        else:
            try:
                out.append(float(tokens[i]))
            except ValueError:
                pass
            i += 1
    return out[: max(count - 1, 0)]


def _path_object(obj: ET.Element, outer: Matrix, out: list[_Segment]) -> None:
    box = _numbers(obj.get("Boundary"))
    if len(box) < 4:
        return
    bx, by, bw, bh = box[:4]
    local = _matrix(obj, _IDENTITY)
    to_page = (outer[0], outer[1], outer[2], outer[3], outer[4] + bx, outer[5] + by)
    data = ""
    for child in obj:
        if _local(child.tag) == "AbbreviatedData":
            data = child.text or ""
    points: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    tokens = re.findall(r"[A-Za-z]|" + _NUM.pattern, data)
    i = 0
    while i < len(tokens):
        cmd = tokens[i]
        i += 1
        args: list[float] = []
        while i < len(tokens) and not tokens[i].isalpha():
            args.append(float(tokens[i]))
            i += 1
        if cmd in ("S", "M") and len(args) >= 2:
            points = [(args[0], args[1])]
            start = points[0]
        elif cmd == "L" and len(args) >= 2 and points:
            points.append((args[0], args[1]))
            _add_segment(points[-2], points[-1], local, to_page, out)
        elif cmd == "C" and points and start is not None:
            points.append(start)
            _add_segment(points[-2], points[-1], local, to_page, out)
        elif cmd in ("B", "Q", "A") and len(args) >= 2:
            points = [(args[-2], args[-1])]  # curves are never table rules; move on
    if not tokens or (bw < 1.0 or bh < 1.0):
        # A rule drawn as a thin filled rectangle: its Boundary is the rule.
        if bw < 1.0 and bh >= 1.0:
            _add_segment((bw / 2, 0), (bw / 2, bh), _IDENTITY, to_page, out)
        elif bh < 1.0 and bw >= 1.0:
            _add_segment((0, bh / 2), (bw, bh / 2), _IDENTITY, to_page, out)


def _add_segment(
    p: tuple[float, float], q: tuple[float, float], local: Matrix, to_page: Matrix, out: list[_Segment]
) -> None:
    ax, ay = _apply(to_page, *_apply(local, *p))
    bx, by = _apply(to_page, *_apply(local, *q))
    out.append(_Segment(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))


# ---------------------------------------------------------------- layout


_RULE_SLACK = 0.6  # mm: rules of one grid meet within a line width or two


def _ruled_bands(segments: list[_Segment]) -> list[tuple[float, float, list[float]]]:
    """Row bands of ruled tables: (top, bottom, column rule xs) where 3+ vertical rules span."""
    horizontal = sorted({round(s.y0, 1) for s in segments if s.y1 - s.y0 < _RULE_SLACK and s.x1 - s.x0 > 2})
    vertical = [s for s in segments if s.x1 - s.x0 < _RULE_SLACK and s.y1 - s.y0 > 1]
    bands = []
    for top, bottom in itertools.pairwise(horizontal):
        if bottom - top < 1.5:
            continue
        mid = (top + bottom) / 2
        xs = sorted({round(s.x0, 1) for s in vertical if s.y0 - _RULE_SLACK <= mid <= s.y1 + _RULE_SLACK})
        merged: list[float] = []
        for x in xs:
            if not merged or x - merged[-1] > 1.0:
                merged.append(x)
        if len(merged) >= 3:
            bands.append((top, bottom, merged))
    return bands


def _joined(fragments: list[_Fragment]) -> str:
    """Fragments of one printed line, in x order; a gap wider than a glyph becomes a space."""
    out = ""
    last_x1: float | None = None
    for frag in sorted(fragments, key=lambda f: f.x0):
        if last_x1 is not None and frag.x0 - last_x1 > frag.size * 0.9:
            out += " "
        out += frag.text
        last_x1 = frag.x1
    return out.strip()


def _printed_lines(fragments: list[_Fragment]) -> list[list[_Fragment]]:
    """Group fragments whose baselines lie within a third of the type size, top to bottom."""
    groups: list[list[_Fragment]] = []
    for frag in sorted(fragments, key=lambda f: (f.baseline, f.x0)):
        if groups and abs(frag.baseline - groups[-1][0].baseline) <= groups[-1][0].size / 3:
            groups[-1].append(frag)
        else:
            groups.append([frag])
    return groups


def _bbox(fragments: list[_Fragment]) -> tuple[float, float, float, float]:
    x0 = min(f.x0 for f in fragments)
    x1 = max(f.x1 for f in fragments)
    top = min(f.baseline - f.size for f in fragments)
    bottom = max(f.baseline + f.size * 0.2 for f in fragments)
    return (x0 * MM_TO_PT, top * MM_TO_PT, x1 * MM_TO_PT, bottom * MM_TO_PT)


def _page_lines(fragments: list[_Fragment], segments: list[_Segment], page: int, before: int) -> list[Line]:
    bands = _ruled_bands(segments)
    rows: dict[int, list[_Fragment]] = {}
    free: list[_Fragment] = []
    for frag in fragments:
        mid_y = frag.baseline - frag.size / 2
        mid_x = (frag.x0 + frag.x1) / 2
        for k, (top, bottom, xs) in enumerate(bands):
            if top <= mid_y <= bottom and xs[0] <= mid_x <= xs[-1]:
                rows.setdefault(k, []).append(frag)
                break
        else:
            free.append(frag)
    placed: list[tuple[float, Line]] = []
    for k, frags in rows.items():
        top, _, xs = bands[k]
        cells = []
        for left, right in itertools.pairwise(xs):
            inside = [f for f in frags if left <= (f.x0 + f.x1) / 2 < right]
            cells.append("".join(_joined(g) for g in _printed_lines(inside)))
        text = "| " + " | ".join(cells) + " |"
        placed.append((top, Line(text, 0, page=page, bbox=_bbox(frags), cells=tuple(cells))))
    for group in _printed_lines(free):
        text = _joined(group)
        if text:
            placed.append(
                (min(f.baseline - f.size for f in group), Line(text, 0, page=page, bbox=_bbox(group)))
            )
    placed.sort(key=lambda item: item[0])
    return [
        Line(ln.text, before + i, page=ln.page, bbox=ln.bbox, cells=ln.cells)
        for i, (_, ln) in enumerate(placed, start=1)
    ]


__all__ = ["OFD_SUFFIXES", "read_ofd"]
