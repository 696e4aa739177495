"""Read .docx circulars: the body's paragraphs and tables, in document order.

Decisions on the parts of a Word file that are not plain body paragraphs:

- Tables become one Line per row with `cells`; a row whose single cell spans the
  whole grid (a caption such as 各县区得分表 or a group heading such as 县区组) is a
  plain Line instead, as a reader would see it.
- Horizontally merged cells (gridSpan) keep the text in their first grid column and
  give "" for the columns they cover, so every row has the grid's column count.
  Vertically merged continuation cells (vMerge) give "", so the table parser carries
  the value down (the `单位 | 存在问题 | 扣分` layout in variants.md §3).
- Nested tables are flattened into the text of the cell that holds them: circulars
  use them mostly for layout, and a row must keep its outer column count. One exception:
  a column whose cells each hold only a small table under the same header row (a unit's
  `事项 | 扣分` inside its cell, gold q05) is spread into those columns, one row per
  nested row (`_nested_columns_spread`).
- Text boxes (w:txbxContent) become Lines after the paragraph that anchors them;
  only the DrawingML branch of mc:AlternateContent is read, because the VML fallback
  repeats the same text.
- Headers, footers, footnotes and comments are not read: in the corpus the footer
  holds only the running page number (— 3 —, real/xinyang-2022-07.docx), which
  the text rendering does not carry either. One exception: a 文号 typed into the first
  page's header, when the body's head has none, becomes the first Line (gold q03).
- Automatic list numbers (w:numPr) are rendered from numbering.xml, because item
  labels such as （5） or 一、 may exist only there and deduction entries need them.
- Tracked changes: insertions are read, deletions (w:delText) and field codes
  (w:instrText) are not.
- Hidden text (a run with w:vanish) is not read: it is neither shown nor printed.
- Digits in a superscript or subscript run become Unicode super/subscript digits, so a note mark typed
  after a score (96.5¹) is not read as part of it (96.51).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from parsers.formats import OLE_MAGIC
from parsers.limits import check_table_cells
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, Line, ReadResult, UnsupportedInput
from parsers.readers.sniff import sniff_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# A password-protected .docx is not a zip but an OLE container holding this stream
# (MS-OFFCRYPTO); its directory entry names are UTF-16LE.
ENCRYPTED_PACKAGE_NAME = "EncryptedPackage".encode("utf-16-le")

_WS = re.compile(r"\s+")


def read_docx(data: bytes, name: str) -> ReadResult:
    """Read a .docx circular into one Line per paragraph (split at line breaks) and per table row.

    Raises:
        EmptyInput: no bytes, or a document without any text.
        UnsupportedInput: the bytes are not a DOCX (a legacy .doc, a PDF, an HTML page...).
        EncryptedInput: the DOCX is password-protected.
        DamagedInput: a ZIP that is truncated or lacks word/document.xml, or broken XML.
    """
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty; nothing to read.")
    document = _open_document(data, name)
    numbering = _Numbering.from_document(document)
    styles = _style_numbering(document)
    body = document.element.body
    lines: list[Line] = []
    for block_no, block in enumerate(_iter_blocks(body), start=1):
        lines.extend(_block_to_lines(block, block_no, numbering, styles))
    number = _header_doc_number(document, lines)
    if number:
        lines.insert(0, Line(text=number, line_no=1, wrapped=False))
    if not lines:
        raise EmptyInput(
            f"{name}: the DOCX has no text in its body (no paragraph or table cell has text); "
            "if it holds only scanned images, export it to PDF and read that."
        )
    return ReadResult(lines=lines, source_format="docx")


def _open_document(data: bytes, name: str) -> Any:
    """Open the bytes with python-docx, turning every failure into a domain error."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE_NAME in data:
            raise EncryptedInput(
                f"{name}: the DOCX is password-protected (an encrypted OLE package); "
                "open it in Word, remove the password, save it and try again."
            )
        raise UnsupportedInput(
            f"{name}: is not a DOCX but a legacy Word 97-2003 .doc (or WPS) file "
            "(OLE2 compound file, starts with D0 CF 11 E0); open it in Word, WPS or "
            "LibreOffice and save it as .docx or PDF, then read that."
        )
    if not data.startswith(b"PK"):
        what = sniff_bytes(data)
        looks = f"it looks like {what}" if what else "its bytes match no format tongbao knows"
        raise UnsupportedInput(
            f"{name}: is not a DOCX (a DOCX is a ZIP archive; {looks}); "
            "give tongbao the file with its real extension, or save it as .docx or PDF."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise DamagedInput(
            f"{name}: the DOCX is damaged — its ZIP structure cannot be read ({exc}); "
            "the file is probably truncated: download or copy it again."
        ) from exc
    if "word/document.xml" not in names:
        other = _other_zip_format(names)
        if other:
            raise UnsupportedInput(
                f"{name}: is not a DOCX but {other}; give tongbao the circular itself "
                "as .docx, PDF, HTML or text."
            )
        raise DamagedInput(
            f"{name}: the ZIP has no word/document.xml, so it is not a readable DOCX "
            "(damaged, or another kind of archive); "
            "open it in Word and save it again as .docx."
        )
    import docx  # python-docx: imported here so that `import parsers` stays light

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError) as exc:
        raise DamagedInput(
            f"{name}: the DOCX cannot be opened ({type(exc).__name__}: {exc}); "
            "open it in Word and save it again as .docx."
        ) from exc
    except Exception as exc:  # lxml raises XMLSyntaxError on a corrupt part
        if type(exc).__name__ == "XMLSyntaxError":
            raise DamagedInput(
                f"{name}: the DOCX has broken XML ({exc}); open it in Word and save it again as .docx."
            ) from exc
        raise


def _other_zip_format(names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx)"
    if "mimetype" in names and "content.xml" in names:
        return "an OpenDocument file (.odt/.ods)"
    if any(n.startswith("Documents/") and n.endswith(".fpage") for n in names) or "OFD.xml" in names:
        return "an OFD document (the Chinese fixed-layout format)"
    return None


# ---------------------------------------------------------------- page header
# The lines of the body a 文号 is looked for in: the head of a circular (GB/T 9704 puts it above
# the title), with room for an issuer's mark of several lines and an addressee.
_HEAD_LINES = 12


def _header_doc_number(document: Any, lines: list[Line]) -> str | None:
    """The 文号 a page header states, when the body's head states none (q03: `临泉县教育局⇥临教〔2025〕
    33号` typed into the header of a template, the body opening at the title).

    Only a piece of a header paragraph that is a 发文字号 by itself (split at tabs and runs of
    spaces, as headers align their parts) is taken; a header's other text (the issuer's name, a
    running title, the page number) is not read, as before.
    """
    from parsers.metadata.common import parse_doc_number

    head = [line for line in lines[:_HEAD_LINES] if line.cells is None]
    if any(parse_doc_number(line.text) for line in head):
        return None
    try:
        section = document.sections[0]
        headers = (
            [section.first_page_header, section.header]
            if section.different_first_page_header_footer
            else [section.header]
        )
    except (IndexError, KeyError, AttributeError, NotImplementedError):
        return None
    for header in headers:
        if header.is_linked_to_previous:
            continue
        for paragraph in header._element.iter(f"{W}p"):
            text, _ = _paragraph_text(paragraph)
            for piece in re.split(r"\t|\s{2,}|　", text):
                if piece.strip() and parse_doc_number(piece.strip()):
                    return piece.strip()
    return None


# ---------------------------------------------------------------- body walk


def _iter_blocks(container: Any) -> Iterator[Any]:
    """Yield w:p and w:tbl elements of a body or cell in document order.

    Content controls (w:sdt) and custom XML wrap blocks; python-docx's
    iter_inner_content skips them, which would drop whole sections of
    template-made documents, so they are unwrapped here.
    """
    for child in container.iterchildren():
        tag = child.tag
        if tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _iter_blocks(content)
        elif tag in (f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            yield from _iter_blocks(child)


def _block_to_lines(
    block: Any, block_no: int, numbering: _Numbering, styles: dict[str, tuple[str, int]]
) -> list[Line]:
    if block.tag == f"{W}tbl":
        return _table_to_lines(block, block_no, _Labels(numbering, styles))
    text, boxes = _paragraph_text(block)
    label = numbering.label_for(block, styles)
    if label and text.strip():
        text = label + text
    lines: list[Line] = []
    kept = [piece.strip() for piece in text.split("\n") if piece.strip()]
    for position, piece in enumerate(kept):
        # A <w:br/> inside a paragraph is a soft break: it may be a title wrapped by
        # hand (信阳市安全生产委员会办公室<br/>关于…通报) or a list typed with
        # Shift+Enter, so only the paragraph's end is known (wrapped=False).
        last = position == len(kept) - 1
        lines.append(Line(text=piece, line_no=block_no, wrapped=False if last else None))
    for box in boxes:
        for inner in _iter_blocks(box):
            lines.extend(_block_to_lines(inner, block_no, numbering, styles))
    return lines


def _paragraph_text(paragraph: Any) -> tuple[str, list[Any]]:
    """Return a paragraph's text ("\\n" at line breaks) and the text boxes it anchors."""
    parts: list[str] = []
    boxes: list[Any] = []
    _collect_text(paragraph, parts, boxes)
    return "".join(parts), boxes


def _collect_text(element: Any, parts: list[str], boxes: list[Any]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str):  # comments and processing instructions
            continue
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{W}txbxContent":
            boxes.append(child)
        elif tag in (f"{W}delText", f"{W}instrText", f"{W}pPr", f"{W}rPr", f"{W}del", f"{W}moveFrom"):
            continue
        elif tag == f"{MC}AlternateContent":
            choice = child.find(f"{MC}Choice")
            _collect_text(choice if choice is not None else child, parts, boxes)
        elif tag == f"{MC}Fallback":
            continue
        elif tag == f"{W}r" and _hidden(child):
            continue
        elif tag == f"{W}r" and _vertical_align(child) in _SHIFTED_DIGITS:
            run: list[str] = []
            _collect_text(child, run, boxes)
            parts.append("".join(run).translate(_SHIFTED_DIGITS[_vertical_align(child)]))
        else:
            _collect_text(child, parts, boxes)


# A note mark typed as a raised digit after a score (96.5 then a superscript 1, meaning 注1) reads
# as 96.51 when the run's text is joined as printed; the digits of a superscript or subscript run
# become Unicode superscripts (¹), which no number pattern reads, so the mark stays visible but
# apart from the number. m2 typed with a raised 2 reads m² the same way; subscripts likewise (₂).
_SHIFTED_DIGITS = {
    "superscript": str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"),
    "subscript": str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"),
}


def _hidden(run: Any) -> bool:
    """Whether a run is hidden text (w:vanish, Word's 隐藏文字): neither shown nor printed, so not
    read — a hidden `97` before the shown `98` in a score cell read as 9798."""
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("0", "false", "off")


def _vertical_align(run: Any) -> str:
    align = run.find(f"{W}rPr/{W}vertAlign")
    return "" if align is None else str(align.get(f"{W}val", ""))


def _table_to_lines(table: Any, block_no: int, labels: _Labels | None = None) -> list[Line]:
    grid = table.find(f"{W}tblGrid")
    width = len(grid.findall(f"{W}gridCol")) if grid is not None else 0
    rows: list[tuple[list[str], int]] = []
    nested: dict[tuple[int, int], list[list[str]]] = {}  # (row, grid column) -> a cell's lone table
    grid_cells = 0  # cells the gridSpans fill: a gridSpan bomb stops here (parsers/limits.py)
    for tr in _iter_rows(table):
        cells: list[str] = []
        spans: list[int] = []
        trpr = tr.find(f"{W}trPr")
        cells.extend([""] * _int_attr(trpr, "gridBefore", 0))
        for tc in _iter_cells(tr):
            tcpr = tc.find(f"{W}tcPr")
            span = _int_attr(tcpr, "gridSpan", 1)
            grid_cells += span
            check_table_cells(grid_cells)
            vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            # <w:vMerge/> without a value, or val="continue", continues the cell above.
            continues = vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"
            text = "" if continues else _cell_text(tc, labels)
            inner = None if continues else _lone_table(tc)
            if inner is not None:
                nested[(len(rows), len(cells))] = inner
            cells.append(text)
            cells.extend([""] * (span - 1))
            spans.append(span)
        cells.extend([""] * _int_attr(trpr, "gridAfter", 0))
        # The span of a row's only cell (0 when it has several): a full-width cell is a caption.
        rows.append((cells, spans[0] if len(spans) == 1 else 0))
    width = max([width, *(len(r) for r, _ in rows)]) if rows else width
    for cells, _ in rows:
        cells.extend([""] * (width - len(cells)))
    if nested:
        rows, width = _nested_columns_spread(rows, nested, width)
    lines: list[Line] = []
    for cells, lone_span in rows:
        cells.extend([""] * (width - len(cells)))
        if not any(cells):
            continue
        if width > 1 and lone_span == width:
            # One cell across the whole grid: a caption or group heading, not a data row.
            lines.append(Line(text=cells[0], line_no=block_no, wrapped=False))
            continue
        text = "| " + " | ".join(cells) + " |"
        lines.append(Line(text=text, line_no=block_no, cells=tuple(cells), wrapped=False))
    return lines


def _lone_table(cell: Any) -> list[list[str]] | None:
    """The rows of the one table a cell holds and nothing else (beside empty paragraphs), when every
    row has the same two or more cells and none is merged; else None."""
    tables = []
    for block in _iter_blocks(cell):
        if block.tag == f"{W}tbl":
            tables.append(block)
        elif _paragraph_text(block)[0].strip():
            return None
    if len(tables) != 1:
        return None
    grid: list[list[str]] = []
    for tr in _iter_rows(tables[0]):
        row = []
        for tc in _iter_cells(tr):
            tcpr = tc.find(f"{W}tcPr")
            if _int_attr(tcpr, "gridSpan", 1) != 1 or (
                tcpr is not None and tcpr.find(f"{W}vMerge") is not None
            ):
                return None
            row.append(_cell_text(tc))
        grid.append(row)
    if len(grid) < 2 or len({len(row) for row in grid}) != 1 or len(grid[0]) < 2:
        return None
    return grid


def _nested_columns_spread(
    rows: list[tuple[list[str], int]], nested: dict[tuple[int, int], list[list[str]]], width: int
) -> tuple[list[tuple[list[str], int]], int]:
    """Spread the tables nested in one column's cells over the outer table (q05: `单位 | 扣分事项 |
    合计扣分 | 得分`, each unit's problems a small `事项 | 扣分` table inside its cell).

    Flattened into its cell's text (`事项 扣分 信访件未办结 1 回访不足 0.5`) such a table loses which
    number belongs to which problem. When every nested table of the column has the same header row,
    the column becomes the nested columns: the outer header keeps its word over the first and takes
    the nested header's for the others, each nested row becomes a row of its own, the unit's other
    cells left blank below its first (as a vertical merge gives them). Otherwise nothing changes.
    """
    columns = {col for _, col in nested}
    if len(columns) != 1:
        return rows, width
    (col,) = columns
    heads = {tuple(grid[0]) for grid in nested.values()}
    first = min(r for r, _ in nested)
    if len(heads) != 1 or first == 0:
        return rows, width
    (head,) = heads
    k = len(head)
    for r, (cells, lone_span) in enumerate(rows):
        if r > first and (r, col) not in nested and cells[col] and lone_span != width:
            return rows, width  # a data row with text of its own in the column: not a spread table
    out: list[tuple[list[str], int]] = []
    for r, (cells, lone_span) in enumerate(rows):
        grid = nested.get((r, col))
        if lone_span == width and width > 1:
            out.append(([*cells, *[""] * (k - 1)], width + k - 1))
        elif grid is not None:
            for i, sub in enumerate(grid[1:]):
                kept = cells if i == 0 else [""] * len(cells)
                out.append(([*kept[:col], *sub, *kept[col + 1 :]], 0))
        else:
            names = list(head[1:]) if r == first - 1 else [""] * (k - 1)
            out.append(([*cells[: col + 1], *names, *cells[col + 1 :]], lone_span))
    return out, width + k - 1


def _iter_children(parent: Any, tag: str) -> Iterator[Any]:
    """Children with `tag`, looking through content controls (w:sdt) and custom XML wrappers."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from _iter_children(content, tag)


def _iter_rows(table: Any) -> Iterator[Any]:
    return _iter_children(table, f"{W}tr")


def _iter_cells(row: Any) -> Iterator[Any]:
    return _iter_children(row, f"{W}tc")


@dataclass(slots=True)
class _Labels:
    """The document's list numbering, to render the labels of paragraphs inside table cells."""

    numbering: _Numbering
    styles: dict[str, tuple[str, int]]

    def of(self, paragraph: Any) -> str:
        return self.numbering.label_for(paragraph, self.styles)


def _cell_text(cell: Any, labels: _Labels | None = None) -> str:
    """Join a cell's paragraphs (and any nested table's cells) with spaces, whitespace-normalised.

    A paragraph's automatic list number is rendered as in the body (q16: a unit's problems as a
    numbered list inside its cell, `1.…扣1分` `2.…扣0.5分`, the numbers only in numbering.xml)."""
    texts: list[str] = []
    for block in _iter_blocks(cell):
        if block.tag == f"{W}tbl":
            for tr in _iter_rows(block):
                texts.extend(_cell_text(tc, labels) for tc in _iter_cells(tr))
        else:
            text, boxes = _paragraph_text(block)
            label = labels.of(block) if labels is not None else ""
            texts.append(label + text if label and text.strip() else text)
            texts.extend(_cell_text(box, labels) for box in boxes)
    return _WS.sub(" ", " ".join(texts)).strip()


def _int_attr(parent: Any, tag: str, default: int) -> int:
    if parent is None:
        return default
    element = parent.find(f"{W}{tag}")
    if element is None:
        return default
    try:
        return max(int(element.get(f"{W}val", default)), 0)
    except ValueError:
        return default


# ---------------------------------------------------------------- list numbering


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"


@dataclass(slots=True)
class _Numbering:
    """Automatic list numbers of numbering.xml, rendered as Word shows them."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    """numId -> ilvl -> level definition."""
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def from_document(cls, document: Any) -> _Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls()
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.findall(f"{W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in node.findall(f"{W}lvl"):
                level = _Level()
                level.start = _int_attr(lvl, "start", 1)
                fmt = lvl.find(f"{W}numFmt")
                level.fmt = fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal"
                text = lvl.find(f"{W}lvlText")
                level.text = text.get(f"{W}val", "") if text is not None else ""
                suff = lvl.find(f"{W}suff")
                level.suffix = suff.get(f"{W}val", "tab") if suff is not None else "tab"
                levels[int(lvl.get(f"{W}ilvl", "0"))] = level
            abstract[node.get(f"{W}abstractNumId", "")] = levels
        numbering = cls()
        for num in root.findall(f"{W}num"):
            num_id = num.get(f"{W}numId", "")
            ref = num.find(f"{W}abstractNumId")
            numbering.levels[num_id] = abstract.get(ref.get(f"{W}val", "") if ref is not None else "", {})
            for override in num.findall(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    numbering.overrides.setdefault(num_id, {})[int(override.get(f"{W}ilvl", "0"))] = int(
                        start.get(f"{W}val", "1")
                    )
        return numbering

    def label_for(self, paragraph: Any, styles: dict[str, tuple[str, int]]) -> str:
        """Advance the paragraph's list counter and return its rendered label ("" if none)."""
        num_id, ilvl = _paragraph_numbering(paragraph, styles)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = self.overrides.get(num_id, {}).get(ilvl, levels[ilvl].start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""

        def render(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            fmt = levels[lvl].fmt if lvl in levels else "decimal"
            value = counters.get(lvl, levels[lvl].start if lvl in levels else 1)
            return format_number(value, fmt)

        label = re.sub(r"%(\d)", render, level.text)
        return label + (" " if level.suffix == "space" else "")


def _paragraph_numbering(paragraph: Any, styles: dict[str, tuple[str, int]]) -> tuple[str, int]:
    ppr = paragraph.find(f"{W}pPr")
    if ppr is None:
        return "", 0
    numpr = ppr.find(f"{W}numPr")
    if numpr is not None:
        num = numpr.find(f"{W}numId")
        lvl = numpr.find(f"{W}ilvl")
        return (
            num.get(f"{W}val", "") if num is not None else "",
            int(lvl.get(f"{W}val", "0")) if lvl is not None else 0,
        )
    style = ppr.find(f"{W}pStyle")
    if style is not None:
        return styles.get(style.get(f"{W}val", ""), ("", 0))
    return "", 0


def _style_numbering(document: Any) -> dict[str, tuple[str, int]]:
    """Map paragraph style ids to the list they number (heading styles often do)."""
    result: dict[str, tuple[str, int]] = {}
    try:
        root = document.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return result
    for style in root.findall(f"{W}style"):
        numpr = style.find(f"{W}pPr/{W}numPr")
        if numpr is None:
            continue
        num = numpr.find(f"{W}numId")
        lvl = numpr.find(f"{W}ilvl")
        if num is not None:
            result[style.get(f"{W}styleId", "")] = (
                num.get(f"{W}val", ""),
                int(lvl.get(f"{W}val", "0")) if lvl is not None else 0,
            )
    return result


_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def format_number(value: int, fmt: str) -> str:
    """Render a list counter in one of Word's w:numFmt formats (decimal, chineseCounting, ...)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital"):
        return _chinese_number(value)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "ideographTraditional" and 1 <= value <= len(_TIANGAN):
        return _TIANGAN[value - 1]
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and value >= 1:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _chinese_number(value: int) -> str:
    if value <= 0 or value >= 1000:
        return str(value)
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _CN_DIGITS[hundreds] + "百"
        if tens == 0 and ones:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _CN_DIGITS[tens]) + "十"
    if ones:
        out += _CN_DIGITS[ones]
    return out


def _roman(value: int) -> str:
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = ""
    for number, letters in numerals:
        while value >= number:
            out += letters
            value -= number
    return out
