"""Views over an output folder: one copy per circular, rubric keys, items per rubric, series.

An item number means something only within its rubric: item 25 of one issuer's safety rubric
and item 25 of another's river-chief rubric are different rules (issue 12). Each circular gets
a `rubric_key`: the issuer and the title of the rubric document when one (doc_class=rubric) of
the same issuer and subject is in the archive, else the issuer and the circular's title stem
(the title without issuer, period and document-kind words: `2024年2月份安全生产工作考核情况的通报`
→ `安全生产工作`), so the monthly circulars of one rubric share a key.

The keys are computed here, at query time, from the documents table; the Parquet tables are
not changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import regex

# Words that say which period, which kind of document or which audience, not which rules:
# `关于印发《2024年度安全生产工作考核细则》的通知` and `关于2024年2月份全市安全生产工作考核情况的通报`
# share the subject 安全生产工作.
_PERIOD = regex.compile(
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年(?:度)?"
    r"|(?:第?[一二三四1-4]|[上下])(?:季度|半年)|[上下]半年"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[-—至~～]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:份|度)?"
    r"|第[一二三四五六七八九十\d]+(?:期|轮|次)"
)
_KIND_WORDS = regex.compile(
    r"^关于|印发|[《》〈〉“”\"]|的?(?:通报|通知|决定|报告|函)$|情况|结果"
    r"|考核|考评|评估|评比|评价|督查|督导|检查|暗访|细则|实施方案|办法|评分标准|标准|方案"
    r"|^(?:全市|全县|全区|全省|全州|全盟|各县区|各县（区）|各县市区|各地)"
)
_SPACE = regex.compile(r"\s+")


def title_stem(title: str | None, issuer: str | None = None) -> str:
    """The subject of a circular's or rubric's title: without issuer, period and kind words."""
    if not title:
        return ""
    text = _SPACE.sub("", title)
    if issuer and text.startswith(issuer):
        text = text[len(issuer) :]
    text = _PERIOD.sub("", text)
    # Kind words can uncover others (`…考核情况的通报` → `…考核情况` → `…`): repeat until stable.
    for _ in range(4):
        stripped = _KIND_WORDS.sub("", text)
        if stripped == text:
            break
        text = stripped
    return text.strip("的和及与、，,.。 ")


@dataclass(slots=True)
class CircularKey:
    """How one documents row groups: its circular (copies in several files) and its rubric."""

    doc_id: str
    circular: str  # 发文字号|issuer|title|date, or the doc_id when untitled
    is_primary: bool  # the one copy of its circular that counts in archive-wide figures
    rubric_key: str  # issuer · rubric title (or title stem)
    rubric_title: str | None  # the rubric document's title when one is ingested
    rubric_doc_id: str | None
    topic: str  # the title stem


def _circular_of(doc: Mapping[str, Any]) -> str:
    # The same circular is often archived twice (the PDF and the web page): same 发文字号, issuer,
    # title and date — the rule `tongbao report` uses.
    if not doc.get("title"):
        return str(doc["doc_id"])
    date = doc.get("issue_date")
    return "|".join(
        (
            doc.get("doc_number") or "",
            doc.get("issuer") or "",
            doc["title"],
            date.isoformat() if isinstance(date, dt.date) else (str(date) if date else ""),
        )
    )


def circular_keys(documents: Iterable[Mapping[str, Any]]) -> list[CircularKey]:
    """The circular and rubric key of every documents row (failed rows key to their doc_id)."""
    docs = [d for d in documents]
    rubrics: dict[str, list[tuple[str, str, str]]] = {}  # issuer → (topic, title, doc_id)
    for d in sorted(docs, key=lambda d: str(d["doc_id"])):
        if d.get("doc_class") == "rubric" and d.get("status") != "failed" and d.get("title"):
            topic = title_stem(d["title"], d.get("issuer"))
            if topic:
                rubrics.setdefault(d.get("issuer") or "", []).append((topic, d["title"], d["doc_id"]))
    circulars = {d["doc_id"]: _circular_of(d) for d in docs}
    primary: dict[str, str] = {}
    for doc_id, circular in circulars.items():
        if circular not in primary or doc_id < primary[circular]:
            primary[circular] = doc_id
    keys = []
    for d in docs:
        issuer = d.get("issuer") or ""
        topic = title_stem(d.get("title"), d.get("issuer"))
        rubric = _matching_rubric(topic, rubrics.get(issuer, []))
        if rubric is not None:
            key = f"{issuer} · {rubric[1]}"
        elif topic:
            key = f"{issuer} · {topic}" if issuer else topic
        else:
            # Nothing to group by: a circular of its own, rather than merged with strangers.
            key = str(d["doc_id"])
        keys.append(
            CircularKey(
                doc_id=d["doc_id"],
                circular=circulars[d["doc_id"]],
                is_primary=primary[circulars[d["doc_id"]]] == d["doc_id"],
                rubric_key=key,
                rubric_title=rubric[1] if rubric else None,
                rubric_doc_id=rubric[2] if rubric else None,
                topic=topic,
            )
        )
    return keys


def _matching_rubric(topic: str, rubrics: list[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """The issuer's rubric whose subject is this circular's (equal, else the longest contained)."""
    if not topic:
        return None
    for rubric in rubrics:
        if rubric[0] == topic:
            return rubric
    contained = [r for r in rubrics if len(r[0]) >= 2 and (r[0] in topic or topic in r[0])]
    return max(contained, key=lambda r: len(r[0])) if contained else None


# The views every connection gets, beside one view per table. `circulars` is registered from
# circular_keys(); the rest are SQL over it.
VIEW_SQL: dict[str, str] = {
    "rubric_items": """
        SELECT c.rubric_key, i.item,
               mode(i.description) AS description,
               sum(i.unit_count)::BIGINT AS units,
               sum(i.entries)::BIGINT AS entries,
               round(sum(i.total_points), 4) AS total_points,
               count(DISTINCT i.doc_id)::BIGINT AS circulars
        FROM items i JOIN circulars c USING (doc_id)
        WHERE c.is_primary
        GROUP BY c.rubric_key, i.item""",
    "series": """
        WITH points AS (
            SELECT doc_id, unit,
                   sum(points) FILTER (WHERE kind = 'deduction') AS deducted,
                   sum(points) FILTER (WHERE kind = 'bonus') AS bonus,
                   count(*)::BIGINT AS entries
            FROM deductions GROUP BY doc_id, unit)
        SELECT d.issuer, c.rubric_key, s.unit, s."group",
               d.period_start, d.period_end, d.period_label, d.issue_date,
               s.score, s.rank, s.grade,
               round(coalesce(p.deducted, 0), 4) AS deducted, round(coalesce(p.bonus, 0), 4) AS bonus,
               coalesce(p.entries, 0) AS entries,
               r.delta, r.status,
               s.doc_id, d.title, d.doc_number
        FROM scores s
        JOIN documents d USING (doc_id)
        JOIN circulars c USING (doc_id)
        LEFT JOIN points p ON p.doc_id = s.doc_id AND p.unit = s.unit
        LEFT JOIN reconciliation r ON r.doc_id = s.doc_id AND r.unit = s.unit
        WHERE c.is_primary AND d.status <> 'failed'""",
}

VIEW_DOCS: dict[str, str] = {
    "circulars": "one row per document: its circular (copies share it), is_primary, rubric_key",
    "rubric_items": "items per rubric (rubric_key, item): units, entries, points, one copy per circular",
    "series": "per issuer, rubric and unit: score, rank, deductions and delta in each period",
}
