"""The document class (§1 Document shapes): a result circular, a rubric (rules without results) or other."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from parsers.metadata.fields import locate_title
from parsers.metadata.layout import find_layout, split_header_lines
from parsers.model import Line
from parsers.normalize import squash
from parsers.numbers import UNSIGNED_DECIMAL

# ---------------------------------------------------------------- document class (§1)
_RUBRIC_WORDS = regex.compile(r"细则|办法|标准|评分表|指标|规则|方案|实施意见|制度")
_RESULT_WORDS = regex.compile(r"通报|情况|结果|排名|得分")
# A title that, beside what it issues, reports results: `并通报…结果`, `及…排名情况`.
_REPORTS_RESULTS = regex.compile(r"(?:并|及|和|同时)\s*(?:通报|公布)?.{0,20}(?:结果|排名|得分|情况)")
_RESULT_EVIDENCE = regex.compile(
    r"得分(?:为)?\s*\d+(?:\.\d+)?\s*分(?![以及至到]|-)|扣分原因|得分位居|得分相对靠后|位列第|排名第|倒数第[一二三四五六七八九十\d]|"
    r"第[一二三四五六七八九十]名|评为(?:优秀|良好|合格|不合格)|[共合]计扣\s*\d|"
    # Grade circulars (§1.4): `优秀等次：甲县、乙县`.
    r"(?m:^(?:优秀|良好|合格|较好|一般|不合格|达标|基本合格)(?:等次|单位)?[:：]\S)"
)
# A 通报 whose title names an assessment's outcome (`关于…考核结果的通报`, `…暗访情况通报`) reports
# results even when its rows could not be read (field survey §7: such circulars were refused).
_RESULTS_TITLE = regex.compile(
    # x07 `…农贸市场星级评定结果的通报`, its results only in an attachment.
    r"(?:考核|考评|督查|督导|暗访|测评|评比|评估|评价|巡查|检查|排名|评定|评选|评审|抽查|核查|验收)(?:工作)?"
    r"(?:评分|打分)?(?:结果|情况|得分|排名)的?通报$"
)
_RUBRIC_EVIDENCE = regex.compile(r"每处扣|扣完为止|该项不得分|视情况扣|最高扣|不得分")
_SCORE_HEADER = regex.compile(r"得分|分数|总分|成绩|考评分|考核分")
_NUMBER_CELL = regex.compile(UNSIGNED_DECIMAL)
_RANK_HEADER = regex.compile(r"排名|名次|等次|等级")


def _scored_cells(header: Sequence[str], row: Sequence[str], marked: list[int]) -> list[str]:
    """The cells of `row` under a score or rank header, where the row lines up with the header; the
    whole row where it does not (a merged header). A 表彰决定's `序号 | 单位 | 奖励等次 | 奖金（万元）`
    (gold s12) has numbers only under 序号 and the money, none under its 等次."""
    if len(row) != len(header):
        return list(row)
    return [row[j] for j in marked]


def _has_score_table(lines: list[Line]) -> bool:
    """A table whose header names scores or ranks and whose rows hold units (§2)."""
    for i, ln in enumerate(lines):
        if ln.cells is None or not any(_SCORE_HEADER.search(c) or _RANK_HEADER.search(c) for c in ln.cells):
            continue
        rows = [r for r in lines[i + 1 : i + 6] if r.cells is not None]
        marked = [j for j, c in enumerate(ln.cells) if _SCORE_HEADER.search(c) or _RANK_HEADER.search(c)]
        numeric = [
            r
            for r in rows
            if any(_NUMBER_CELL.fullmatch(squash(c)) for c in _scored_cells(ln.cells, r.cells or [], marked))
        ]
        if len(numeric) >= 2:
            return True
    return False


def classify_document(lines: list[Line], title: str | None = None) -> str:
    """`result` (units' results), `rubric` (rules, no results) or `other` (§1 Document shapes)."""
    lines = split_header_lines(lines)
    if title is None:
        title = locate_title(lines, find_layout(lines))[0]
    return document_class(lines, title)


def document_class(lines: list[Line], title: str | None) -> str:
    """The class of lines whose header lines are split, given their title (see classify_document)."""
    title = title or ""
    # `关于印发《…考核细则》的通知` is a rubric; `关于印发《…情况通报》的通知` wraps a result circular.
    inner = "".join(regex.findall(r"《([^》]*)》", title))
    # `关于印发《…实施方案》并通报第一季度评价结果的通知` (fd-06) issues rules and reports results too.
    reports_too = bool(_REPORTS_RESULTS.search(regex.sub(r"《[^》]*》", "", title)))
    if (
        "印发" in title
        and inner
        and _RUBRIC_WORDS.search(inner)
        and not _RESULT_WORDS.search(inner)
        and not reports_too
    ):
        return "rubric"
    if _RESULTS_TITLE.search(regex.sub(r"《[^》]*》", "", title)):
        return "result"
    text = "\n".join(squash(ln.text) for ln in lines if ln.cells is None)
    results = len(_RESULT_EVIDENCE.findall(text))
    if results or _has_score_table(lines):
        return "result"
    if len(_RUBRIC_EVIDENCE.findall(text)) >= 2 or (_RUBRIC_WORDS.search(inner or title) and "考" in title):
        return "rubric"
    return "other"
