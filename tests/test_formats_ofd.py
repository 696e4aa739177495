"""OFD (GB/T 33190): the text layer into the PDF line model; ruled rows as table rows."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from parsers.document import extract_document
from parsers.model import DamagedInput, EmptyInput, EncryptedInput, UnsupportedInput
from parsers.readers.ofd import MM_TO_PT, read_ofd
from pipeline.parse import build_result, doc_id_of
from pipeline.store import Store
from tests.fixtures.formats.make_formats import OFD_NS, OfdRule, OfdText, ofd_bytes, ofd_from_text
from tests.formats_scoring import assert_perfect, gold_beside, real_source, score_figures


def test_real_circular_as_ofd_scores_one_on_every_figure(tmp_path: Path) -> None:
    text = real_source(".txt").read_text(encoding="utf-8")
    path = tmp_path / "xinyang-2022-07.ofd"
    path.write_bytes(ofd_from_text(text))
    data = path.read_bytes()
    read = read_ofd(data, path.name)
    assert read.source_format == "ofd" and read.pages and read.pages > 1
    result = build_result(extract_document(read), doc_id_of(data), str(path), len(data))
    Store(tmp_path / "out").write_batch(result.records)
    assert_perfect(score_figures(tmp_path / "out", gold_beside(tmp_path, path.name)))


def test_lines_carry_page_and_bbox_in_points_and_ruled_rows_carry_cells() -> None:
    page = [
        OfdText("甲县考核得分表", 30, 40),
        OfdRule(30, 50, 130, 50),
        OfdRule(30, 60, 130, 60),
        OfdRule(30, 50, 30, 60),
        OfdRule(80, 50, 80, 60),
        OfdRule(130, 50, 130, 60),
        OfdText("甲县", 32, 57),
        OfdText("91.5", 82, 57),
    ]
    lines = read_ofd(ofd_bytes([[OfdText("封面", 30, 40)], page]), "t.ofd").lines
    assert [(ln.page, ln.text, ln.cells) for ln in lines] == [
        (1, "封面", None),
        (2, "甲县考核得分表", None),
        (2, "| 甲县 | 91.5 |", ("甲县", "91.5")),
    ]
    x0, top, _, bottom = lines[1].bbox
    assert x0 == pytest.approx(30 * MM_TO_PT) and top < 40 * MM_TO_PT < bottom


def _package(content: str) -> bytes:
    """One page whose Content.xml layer holds `content` (hand-written objects)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "OFD.xml",
            f'<ofd:OFD xmlns:ofd="{OFD_NS}"><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml'
            "</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        z.writestr(
            "Doc_0/Document.xml",
            f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:Pages><ofd:Page ID="1" '
            'BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        )
        z.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer>'
            f"{content}</ofd:Layer></ofd:Content></ofd:Page>",
        )
    return out.getvalue()


def test_one_text_object_per_glyph_reads_as_one_line_in_x_order() -> None:
    # Converters (数科, 福昕) often place every glyph in its own TextObject, not in reading order.
    glyphs = [("县", 40), ("甲", 35), ("得", 45), ("分", 50), ("9", 60), ("0", 62)]
    content = "".join(
        f'<ofd:TextObject ID="{i}" Boundary="{x} 20 5 6" Font="1" Size="5"><ofd:TextCode X="0" Y="5">{ch}'
        "</ofd:TextCode></ofd:TextObject>"
        for i, (ch, x) in enumerate(glyphs)
    )
    assert [ln.text for ln in read_ofd(_package(content), "g.ofd").lines] == ["甲县得分 90"]


def test_ctm_scaled_text_and_abbreviated_deltas() -> None:
    content = (
        '<ofd:TextObject ID="1" Boundary="10 10 100 10" Font="1" Size="1" CTM="5 0 0 5 0 0">'
        '<ofd:TextCode X="0" Y="1" DeltaX="g 3 1">扣分原因</ofd:TextCode></ofd:TextObject>'
    )
    (line,) = read_ofd(_package(content), "c.ofd").lines
    assert line.text == "扣分原因"
    assert line.bbox[0] == pytest.approx(10 * MM_TO_PT)
    assert line.bbox[2] == pytest.approx(30 * MM_TO_PT)  # four glyphs of 5 mm


def test_truncated_ofd_is_damaged() -> None:
    data = ofd_bytes([[OfdText("通报", 30, 40)]])
    with pytest.raises(DamagedInput, match=r"t\.ofd: the OFD is damaged.*truncated"):
        read_ofd(data[: len(data) - 60], "t.ofd")


def encrypted_flag_set(data: bytes) -> bytes:
    """The zip with bit 0 (encrypted) set in every local and central header, as a zip tool
    writing a password-protected archive leaves it (zipfile cannot write one)."""
    out = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at != -1:
            out[at + flag_at] |= 0x1
            at = out.find(signature, at + 4)
    return bytes(out)


def test_encrypted_ofd_is_refused_with_what_to_do() -> None:
    data = encrypted_flag_set(ofd_bytes([[OfdText("通报", 30, 40)]]))
    with pytest.raises(EncryptedInput, match="the OFD is encrypted; open it in an OFD reader"):
        read_ofd(data, "e.ofd")


def test_wrong_suffix_is_named() -> None:
    with pytest.raises(UnsupportedInput, match=r"is not an OFD .*it looks like a PDF\)"):
        read_ofd(b"%PDF-1.4\n", "x.ofd")
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(UnsupportedInput, match=r"a ZIP without OFD\.xml"):
        read_ofd(other.getvalue(), "x.ofd")


def test_pages_without_text_and_broken_xml() -> None:
    with pytest.raises(EmptyInput, match="hold no text objects"):
        read_ofd(_package('<ofd:PathObject ID="1" Boundary="0 0 10 10"/>'), "img.ofd")
    with pytest.raises(DamagedInput, match="has broken XML"):
        read_ofd(_package("<ofd:TextObject"), "b.ofd")


def test_template_text_is_read_and_an_unknown_template_ignored() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "OFD.xml",
            f'<ofd:OFD xmlns:ofd="{OFD_NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
            "</ofd:DocBody></ofd:OFD>",
        )
        z.writestr(
            "Doc_0/Document.xml",
            f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:TemplatePage ID="7" '
            'BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="1" '
            'BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        )
        z.writestr(
            "Doc_0/Tpls/Tpl_0/Content.xml",
            f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer><ofd:TextObject ID="1" '
            'Boundary="20 10 50 6" Size="5"><ofd:TextCode X="0" Y="5">红头文件</ofd:TextCode>'
            "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>",
        )
        z.writestr(
            "Doc_0/Pages/Page_0/Content.xml",
            f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Template TemplateID="7"/><ofd:Template TemplateID="9"/>'
            '<ofd:Content><ofd:Layer><ofd:TextObject ID="2" Boundary="20 30 50 6" Size="5">'
            '<ofd:TextCode X="0" Y="5">正文</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>',
        )
    assert [ln.text for ln in read_ofd(out.getvalue(), "t.ofd").lines] == ["红头文件", "正文"]
