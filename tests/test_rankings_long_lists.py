"""Graded prose lists and runs of Han text longer than any list of names."""

from __future__ import annotations

from parsers.model import Line
from parsers.rankings import extract_grade_lists


def _lines(*texts: str) -> list[Line]:
    return [Line(text=t, line_no=i) for i, t in enumerate(texts, start=1)]


def test_graded_prose_list_names_its_units() -> None:
    rows = extract_grade_lists(_lines("经综合评定，东湖镇、西岭乡等2个单位被评为优秀等次。"))
    assert [(r.unit_raw, r.grade) for r in rows] == [("东湖镇", "优秀"), ("西岭乡", "优秀")]


def test_run_of_names_longer_than_any_list_gives_no_rows() -> None:
    # 600 characters with no clause break before the verb: where the list starts is not known,
    # so no unit is named rather than one cut in half.
    run = "、".join(["甲乙丙镇"] * 120)
    assert extract_grade_lists(_lines(f"{run}被评为优秀等次。")) == []
