"""Results lists whose lead-in stands on the line above them (gold w14, w15 shapes), and a score
column named by how the score was given. Invented circulars."""

from __future__ import annotations

from decimal import Decimal

from parsers.document import Extraction, parse_document

D = Decimal
HEAD = "关于9月份各镇街市容秩序考评情况的通报\n\n各镇人民政府、街道办事处：\n\n区城管局对9月份各镇街市容秩序进行了考评，"
TAIL = "\n\n请各镇街对照整改。\n\n石滩区城市管理局\n2024年10月9日\n"


def parse_text(body: str, name: str = "circular.txt") -> Extraction:
    return parse_document(body.encode("utf-8"), name)


def rows(ex: Extraction) -> list[tuple[str, int | None, Decimal | None]]:
    return [(row.unit_raw, row.rank, row.score) for row in ex.scores]


def test_a_scored_list_under_a_lead_in_on_the_line_above() -> None:
    body = HEAD + "各镇街得分如下：\n\n柳湾镇88.5分、杏林街道87.25分、石门镇86分。"
    assert rows(parse_text(body + TAIL)) == [
        ("柳湾镇", None, D("88.5")),
        ("杏林街道", None, D("87.25")),
        ("石门镇", None, D("86")),
    ]


def test_a_numbered_ranking_under_a_lead_in_on_the_line_above() -> None:
    body = HEAD + "排名情况如下：\n1.柳湾镇；2.杏林街道、石门镇；4.新桥街道。"
    assert rows(parse_text(body + TAIL)) == [
        ("柳湾镇", 1, None),
        ("杏林街道", 2, None),
        ("石门镇", 2, None),
        ("新桥街道", 4, None),
    ]


def test_a_list_after_a_line_that_leads_in_to_nothing_of_scores_is_not_read() -> None:
    # The line above leads in to problems, not results: the amounts are no scores.
    body = HEAD + "发现的主要问题：\n\n柳湾镇3处、杏林街道2处、石门镇1处。"
    assert parse_text(body + TAIL).scores == []


def test_a_score_column_named_by_how_it_was_given() -> None:
    body = (
        HEAD
        + "结果如下：\n\n| 排名 | 镇街 | 检查评分 |\n|---|---|---|\n| 1 | 柳湾镇 | 97 |\n| 2 | 石门镇 | 95.5 |"
    )
    assert rows(parse_text(body + TAIL)) == [("柳湾镇", 1, D("97")), ("石门镇", 2, D("95.5"))]
