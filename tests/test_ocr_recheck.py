"""The second pass a unit's arithmetic asks for (issue 14): pages of a unit that does not add up
are read again at full resolution before the mismatch is reported; cheap pages are read once.

The OCR is replaced by prepared readings (lines of an invented circular) so the rule is tested,
not the engine: the engine's full-resolution pass is tested in test_ocr_hard.py.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from parsers.document import extract_document
from parsers.model import ReadResult
from parsers.readers.text import read_text

CIRCULAR = """关于2025年第二季度示范镇环境卫生考评情况的通报

各村委会：

现将2025年第二季度环境卫生考评情况通报如下。

一、得分情况

名次 村名 得分
1 东坡村 98.5
2 西岭村 97

二、扣分情况

东坡村（得分98.5分）：(3)公厕保洁不到位，扣 1 分；(8)垃圾分类台账缺失，扣 0.5 分。

西岭村（得分97分）：(2)河道漂浮物未清理，扣 2 分；(5)宣传栏破损，扣 1 分。

示范镇人民政府
2025年7月3日
"""


def ocr_reading(text: str, page: int = 2) -> ReadResult:
    """The circular as if OCR had read it: every line on `page`, an OCR'd page of a scanned PDF."""
    read = read_text(text.encode("utf-8"), "scan.txt")
    lines = [replace(line, page=page, confidence=0.99) for line in read.lines]
    return replace(read, lines=lines, source_format="pdf", pages=3, ocr_pages=[1, 2, 3])


def install_second_reading(monkeypatch: pytest.MonkeyPatch, text: str) -> list[list[int]]:
    """Make the full-resolution pass return `text`'s lines; return the pages it was asked for."""
    import pipeline.ocr as ocr

    asked: list[list[int]] = []

    def reread(_data: bytes, _fmt: str, pages: list[int]) -> list[SimpleNamespace]:
        asked.append(pages)
        return [SimpleNamespace(page=p) for p in pages]

    monkeypatch.setattr(ocr, "reread_at_full_resolution", reread)
    monkeypatch.setattr(ocr, "page_ocr_to_lines", lambda _pages: ocr_reading(text).lines)
    return asked


def test_pages_of_a_unit_that_does_not_add_up_are_read_again_and_the_better_reading_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.arithmetic import unit_arithmetic
    from pipeline.ocr_recheck import recheck_unreconciled

    misread = CIRCULAR.replace("扣 0.5 分", "扣 6.5 分")  # the cheap pass read 0.5 as 6.5
    first = ocr_reading(misread)
    asked = install_second_reading(monkeypatch, CIRCULAR)
    ex = recheck_unreconciled(b"%PDF", first, extract_document(first))
    assert asked == [[2]]
    assert {a.facts.unit: a.status for a in unit_arithmetic(ex)} == {"东坡村": "ok", "西岭村": "ok"}
    assert any("second reading was kept" in w and "东坡村" in w for w in ex.read.warnings)


def test_a_real_mismatch_is_reported_from_the_first_reading_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.arithmetic import unit_arithmetic
    from pipeline.ocr_recheck import recheck_unreconciled

    wrong = CIRCULAR.replace("西岭村 97", "西岭村 96")  # the circular itself does not add up
    first = ocr_reading(wrong)
    install_second_reading(monkeypatch, wrong)
    ex = recheck_unreconciled(b"%PDF", first, extract_document(first))
    assert {a.facts.unit: a.status for a in unit_arithmetic(ex)}["西岭村"] == "mismatch"
    assert any("the first is reported" in w and "西岭村" in w for w in ex.read.warnings)


def test_pages_that_reconcile_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr_recheck import recheck_unreconciled

    first = ocr_reading(CIRCULAR)
    asked = install_second_reading(monkeypatch, CIRCULAR)
    ex = extract_document(first)
    assert recheck_unreconciled(b"%PDF", first, ex) is ex
    assert asked == []


def test_a_text_layer_is_never_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr_recheck import recheck_unreconciled

    misread = ocr_reading(CIRCULAR.replace("扣 0.5 分", "扣 6.5 分"))
    text_layer = replace(misread, ocr_pages=[])
    asked = install_second_reading(monkeypatch, CIRCULAR)
    ex = extract_document(text_layer)
    assert recheck_unreconciled(b"%PDF", text_layer, ex) is ex
    assert asked == []


# 西岭村's printed score is wrong in the table and its section alike: a score_mismatch.
MISPRINTED = CIRCULAR.replace("西岭村 97", "西岭村 96").replace("西岭村（得分97分）", "西岭村（得分96分）")


def _messages(ex: object, unit: str) -> list[str]:
    from pipeline.reconcile import reconcile

    _rows, findings = reconcile(ex, "d")  # type: ignore[arg-type]
    return [f.message for f in findings if f.unit == unit and f.check == "score_mismatch"]


def test_a_mismatch_kept_from_the_first_reading_says_the_second_pass_read_no_better(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.ocr_recheck import recheck_unreconciled

    wrong = MISPRINTED
    first = ocr_reading(wrong)
    install_second_reading(monkeypatch, wrong)
    ex = recheck_unreconciled(b"%PDF", first, extract_document(first))
    assert ex.read.ocr_second_pass == {2: False}
    [message] = _messages(ex, "西岭村")
    assert message.endswith(
        "Read by OCR's first pass (page 2 read again at full resolution reconciled no more, "
        "so the first reading is reported)."
    )


def test_a_mismatch_on_the_second_reading_says_that_reading_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.ocr_recheck import recheck_unreconciled

    # The cheap pass misread 东坡村's 0.5; the full-resolution pass reads it right and settles
    # 东坡村, while 西岭村's own printed error stays: its finding stands on the second reading.
    wrong = MISPRINTED
    first = ocr_reading(wrong.replace("扣 0.5 分", "扣 6.5 分"))
    install_second_reading(monkeypatch, wrong)
    ex = recheck_unreconciled(b"%PDF", first, extract_document(first))
    assert ex.read.ocr_second_pass == {2: True}
    [message] = _messages(ex, "西岭村")
    assert message.endswith(
        "Read by OCR's second pass (page 2 again at full resolution; that reading is reported)."
    )


def test_a_mismatch_on_a_page_read_once_says_one_pass() -> None:
    first = ocr_reading(MISPRINTED)
    [message] = _messages(extract_document(first), "西岭村")
    assert message.endswith("Read by OCR (page 2, one pass).")


def test_a_mismatch_on_a_text_layer_names_no_ocr_pass() -> None:
    text_layer = replace(ocr_reading(MISPRINTED), ocr_pages=[])
    [message] = _messages(extract_document(text_layer), "西岭村")
    assert "OCR" not in message
