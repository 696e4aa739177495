"""Rankings and grades stated in prose rather than in a score table, added to a document's rows.

Grade lists and score bands: parsers.rankings.grades; rankings in sentences and one-line lists:
parsers.rankings.places; the unit lists both read: parsers.rankings.lists.
"""

from __future__ import annotations

from parsers.model import Line, UnreadBlock
from parsers.rankings.grades import GRADES, extract_grade_lists, grade_list_rows
from parsers.rankings.lists import groups_if_several
from parsers.rankings.places import extract_prose_ranks, population_of, prose_rank_rows
from parsers.tables import ScoreRow
from parsers.units import unit_key

__all__ = ["GRADES", "extract_grade_lists", "extract_prose_ranks", "merge_prose_rows", "population_of"]


def merge_prose_rows(
    scores: list[ScoreRow],
    lines: list[Line],
    table_lines: set[int],
    issuer: str | None = None,
    unread: list[UnreadBlock] | None = None,
) -> list[ScoreRow]:
    """Add grade-list and prose-ranking rows to a document's table rows.

    A grade list fills the grade of a table row that has none and adds units the tables
    lack. Prose rankings count only in a circular without a score table: where a table
    exists, the prose restates it (or ranks something else, such as the city in the
    province). Groups from chapter headings count over both kinds together: fd-11 ranks
    three offices under `一、县区教育主管部门` and grades schools under `二、平安校园建设优秀学校`.
    A line that is only a unit's result sentence (`X综合得分89.12分，排名全市第一`) joins
    `table_lines`, so that no section reads it again as a heading with a score.
    """
    text_lines = [ln for ln in lines if ln.line_no not in table_lines]
    graded = grade_list_rows(text_lines)
    ranked = [] if scores else prose_rank_rows(text_lines, [issuer or ""], unread, table_lines)
    groups_if_several(graded + ranked)
    out = list(scores)
    by_unit = {unit_key(row.unit_raw): row for row in out}
    for row in graded:
        existing = by_unit.get(row.unit_raw)
        if existing is None:
            by_unit[row.unit_raw] = row
            out.append(row)
        elif existing.grade is None:
            existing.grade = row.grade
    if not scores:
        for row in ranked:
            if row.unit_raw not in by_unit:
                by_unit[row.unit_raw] = row
                out.append(row)
    return out
