"""The records a table gives: score rows, deduction rows, and what was seen but not read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from parsers.model import Line, UnreadBlock


@dataclass(slots=True)
class ScoreRow:
    unit_raw: str
    rank: int | None
    rank_raw: str | None
    score: Decimal | None
    grade: str | None
    group: str | None
    parts: list[tuple[str, Decimal | None, Decimal | None]] = field(
        default_factory=list
    )  # name, weight, score
    mean_of_parts: bool = False
    """The score is the mean of the parts (`季度平均` over `1月 | 2月 | 3月`)."""
    line: Line | None = None
    part_maxima: list[Decimal | None] = field(default_factory=list)
    """Each part's maximum, in the order of `parts`, where its header states one (`物业(40分) | 社区(30分)
    | 城管(30分) | 总分`, field-survey §4): additive parts, not weights. Empty when no part states one."""
    score_max: Decimal | None = None
    """The maximum the score column's header states (`总分（24分）`, `得分（满分100分）`): the base a
    unit's deductions are taken from (field-survey §4)."""


@dataclass(slots=True)
class DeductionRow:
    unit_raw: str
    text: str
    points_text: str | None
    line: Line
    summary: bool = False
    """A signed amount of a score table's plain deduction column (`扣分值` … `-4`): the sum of the
    unit's deductions, which a circular may also itemise elsewhere (gold e05, g01, f07). It is a
    row of its own only when the circular itemises none (r31: `乡镇 | 扣分值 | 得分`, nothing else)."""


@dataclass(slots=True)
class Tables:
    scores: list[ScoreRow]
    deductions: list[DeductionRow]
    table_lines: set[int]  # line_no of every row consumed
    unread: list[UnreadBlock] = field(default_factory=list)
    """Table blocks seen but not read with confidence (no rows came from them)."""
