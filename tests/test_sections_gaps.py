"""Scores printed in units' headings when a circular has no score table (gold h01, r20 shapes)."""

from __future__ import annotations

from decimal import Decimal

from parsers.document import Extraction, parse_document

D = Decimal

HEAD = "关于5月份秸秆禁烧督查情况的通报\n\n各乡镇：\n\n5月中旬，县督查组对各乡镇秸秆禁烧工作进行了督查，基础分100分。情况如下：\n\n"
TAIL = "\n\n请各乡镇抓好整改。\n\n青河县农业农村局\n2024年5月28日\n"


def parse_text(body: str) -> Extraction:
    return parse_document(body.encode("utf-8"), "circular.txt")


def scores(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def test_scores_in_headings_are_the_score_rows_when_there_is_no_table() -> None:
    body = HEAD + (
        "柳湾镇（得分98分）\n1.田间焚烧点1处未及时处置，扣1.5分。\n2.巡查台账不全，扣0.5分。\n\n"
        "杏林乡（得分99.5分）\n1.禁烧宣传横幅缺失，扣0.5分。"
    )
    ex = parse_text(body + TAIL)
    assert scores(ex) == [("柳湾镇", None, D("98")), ("杏林乡", None, D("99.5"))]
    assert [row.line.text for row in ex.scores if row.line] == ["柳湾镇（得分98分）", "杏林乡（得分99.5分）"]


def test_no_heading_scores_when_one_heading_states_none() -> None:
    # A unit without its score would read as missing from a score table: none are rows.
    body = HEAD + (
        "柳湾镇（得分98分）\n1.田间焚烧点1处未及时处置，扣1.5分。\n2.巡查台账不全，扣0.5分。\n\n"
        "杏林乡：\n1.禁烧宣传横幅缺失，扣0.5分。"
    )
    assert parse_text(body + TAIL).scores == []


def test_a_line_of_scores_without_entries_is_no_heading() -> None:
    # `甲镇88.31分、乙镇88.01分…` is a list of results (the results reader's), not a run of headings:
    # no unit is given the first score alone.
    body = HEAD + "各乡镇得分如下：\n\n柳湾镇88.5分、杏林乡87.25分、石门镇86分。"
    ex = parse_text(body + TAIL)
    assert ex.entries == []
    assert scores(ex) == [
        ("柳湾镇", None, D("88.5")),
        ("杏林乡", None, D("87.25")),
        ("石门镇", None, D("86")),
    ]
