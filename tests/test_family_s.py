"""Shapes of the s gold set (tests/fixtures/make_gold_s.py: periods in every wording, the GB/T 9704
head, web metadata and the document's class), each in a small invented page named by the case it
covers (tests/fixtures/family9/): what it must yield, and nothing more.

Precision first: a wrong period or number is worse than none, so each shape's near miss is pinned too.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from parsers.document import parse_document
from parsers.metadata import Metadata

FIXTURES = Path(__file__).parent / "fixtures" / "family9"


def meta(name: str) -> Metadata:
    return parse_document((FIXTURES / name).read_bytes(), name).metadata


def period(m: Metadata) -> tuple[datetime.date | None, datetime.date | None]:
    return m.period_start, m.period_end


def test_a_week_with_its_days_in_brackets_is_those_days() -> None:
    """s07: `第12周（3月18日—3月24日），市城管局对…进行了考评` names the week by its days."""
    m = meta("week-with-its-days-in-brackets.txt")
    assert period(m) == (datetime.date(2024, 3, 18), datetime.date(2024, 3, 24))


def test_a_season_in_the_title_is_its_days_in_the_body_not_the_whole_year() -> None:
    """s08: `关于2024年汛期…` read as 2024-01-01..12-31 (wrong); the body's `汛期（5月15日—9月15日）`
    states the season's days."""
    m = meta("season-in-the-title-its-days-in-the-body.txt")
    assert period(m) == (datetime.date(2024, 5, 15), datetime.date(2024, 9, 15))


def test_a_season_in_the_title_without_its_days_gives_no_period() -> None:
    """`2024年汛期` is the year of a season: no whole year, and no invented days."""
    m = meta("season-in-the-title-no-days.txt")
    assert period(m) == (None, None)


def test_a_cumulative_figure_to_a_month_end_runs_from_the_year_start() -> None:
    """s13: `今年以来…截至9月底，全县累计完成…` assesses the year to the end of September."""
    m = meta("cumulative-to-a-month-end.txt")
    assert period(m) == (datetime.date(2024, 1, 1), datetime.date(2024, 9, 30))


def test_a_month_end_without_a_cumulative_word_is_no_period() -> None:
    """`截至9月底，各乡镇要完成问题整改` is a deadline, not what was assessed."""
    m = meta("month-end-as-a-deadline.txt")
    assert period(m) == (None, None)


def test_an_urgency_after_the_number_on_its_line_keeps_both() -> None:
    """s04's PDF: `丁河办[2024]5号　　加急` gave neither the 文号 nor the 紧急程度."""
    m = meta("urgency-after-the-number-on-its-line.txt")
    assert m.doc_number is not None and m.doc_number.text == "丁河办〔2024〕5号"
    assert m.urgency == "加急"


def test_a_number_only_in_the_source_line_is_the_number() -> None:
    """s03: a page printing no 文号 in its article but `来源：己县教育局（己教〔2024〕21号）`."""
    m = meta("number-only-in-the-source-line.html")
    assert m.doc_number is not None and m.doc_number.text == "己教〔2024〕21号"
    assert m.issue_date == datetime.date(2024, 9, 12)  # the date signed, not the 发布时间


def test_a_commendation_listing_prize_money_is_no_result() -> None:
    """s12: `序号 | 单位 | 奖励等次 | 奖金（万元）` named a rank (等次) over no numbers; the numbers
    were the row's 序号 and its money."""
    m = meta("commendation-with-prize-money.txt")
    assert m.doc_class == "other"


def test_a_dekad_in_the_title_is_its_days() -> None:
    """`关于11月下旬…的通报` (s06's 中旬 was read only from the body's days): 下旬 runs from the 21st to
    the month's end; the year from the date signed."""
    m = meta("dekad-in-the-title.txt")
    assert period(m) == (datetime.date(2024, 11, 21), datetime.date(2024, 11, 30))


def test_a_dekad_in_the_body_is_when_the_work_was_done() -> None:
    """`3月下旬，县创文办组织测评组…开展了实地测评` (gold r22): when, not the period assessed."""
    m = meta("dekad-when-the-work-was-done.txt")
    assert period(m) == (None, None)


def test_a_marking_and_an_urgency_on_one_line_keep_both() -> None:
    """`机密★6个月　特急` (the 密级 line and the 紧急程度 line joined by extraction): the 紧急程度 was lost."""
    m = meta("marking-and-urgency-on-one-line.txt")
    assert (m.marking, m.urgency) == ("机密", "特急")
    assert m.issue_date == datetime.date(2024, 10, 10)
