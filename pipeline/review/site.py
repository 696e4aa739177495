"""Build the static review site of an output folder: OUT/review/index.html and one page per file.

The site opens from disk with no server and no network: the CSS and script are copied beside the
pages, charts are inline SVG (pipeline/review/charts.py), and the index's finding and circular
lists are JSON inside the page, filtered, sorted and paged by the script (100 rows at a time, so
an archive of thousands of circulars stays responsive). All document text goes through jinja2's
autoescape; the JSON is escaped for a <script> block and the script writes it with textContent.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from pipeline.export import connect
from pipeline.i18n import Messages
from pipeline.review.charts import (
    DEFAULT_MAX_HEATMAP_ITEMS,
    DEFAULT_MAX_HEATMAP_UNITS,
    DEFAULT_MAX_LINES,
    heatmap_svg,
    histogram_svg,
    line_chart_svg,
)
from pipeline.review.source import SourceLine, SourceText, read_source

STATIC_FILES = ("review.css", "review.js")
_HERE = Path(__file__).parent


@dataclass(slots=True)
class ReviewSummary:
    """What `build_site` wrote."""

    path: Path
    documents: int
    pages: int
    seconds: float
    sources: dict[str, int]  # source status (reread, missing, changed, unreadable) → documents


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,  # every template, whatever its extension: document text is never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    return env


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def script_json(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no `</script>`, `<!--` or `&` can end it."""
    text = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def page_name(doc_id: str) -> str:
    """The review page of one document."""
    return f"{doc_id}.html"


def series_page_name(rubric_key: str) -> str:
    """The series page of one rubric (a hash: keys are Chinese text of any length)."""
    return "series-" + hashlib.sha256(rubric_key.encode()).hexdigest()[:12] + ".html"


def _by_doc(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["doc_id"]].append(row)
    return grouped


def _period_of(doc: dict[str, Any]) -> str:
    if doc.get("period_label"):
        return str(doc["period_label"])
    if doc.get("period_start"):
        return str(doc["period_start"])
    return ""


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    return con.sql(sql).to_arrow_table().to_pylist()


def build_site(
    out: Path,
    dest: Path | None = None,
    *,
    lang: str = "en",
    page_images: bool = True,
) -> ReviewSummary:
    """Write the review site of `out` into `dest` (default OUT/review) and say what was written."""
    started = time.perf_counter()
    out = Path(out)
    dest = Path(dest) if dest is not None else out / "review"
    con = connect(out)
    documents = _rows(
        con,
        "SELECT d.*, c.circular, c.is_primary, c.rubric_key, c.rubric_title FROM documents d "
        "JOIN circulars c USING (doc_id) ORDER BY d.issuer, d.period_start, d.title, d.source_path",
    )
    scores = _by_doc(_rows(con, "SELECT * FROM scores ORDER BY doc_id, line_start NULLS LAST"))
    deductions = _by_doc(
        _rows(con, "SELECT * FROM deductions ORDER BY doc_id, line_start NULLS LAST, unit, entry_no")
    )
    reconciliation = _by_doc(_rows(con, "SELECT * FROM reconciliation ORDER BY doc_id, unit"))
    findings = _by_doc(
        _rows(con, 'SELECT * FROM findings ORDER BY doc_id, line_start NULLS LAST, severity, "check"')
    )
    copies: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in documents:
        copies[doc["circular"]].append(doc)

    dest.mkdir(parents=True, exist_ok=True)
    for name in STATIC_FILES:
        shutil.copyfile(_HERE / "static" / name, dest / name)
    env = _environment()
    m = Messages(lang)
    common = {"m": m, "lang": lang}
    circular_template = env.get_template("circular.html")
    sources: dict[str, int] = defaultdict(int)
    pages = 0
    series_pages = {
        d["rubric_key"]: series_page_name(d["rubric_key"])
        for d in documents
        if d["status"] != "failed" and d["doc_class"] == "result"
    }
    for doc in documents:
        doc_id = doc["doc_id"]
        source = read_source(
            doc_id, doc["source_path"], out, pages_dir=dest / "pages" if page_images else None
        )
        sources[source.status] += 1
        rows = {
            "scores": scores.get(doc_id, []),
            "deductions": deductions.get(doc_id, []),
            "findings": findings.get(doc_id, []),
        }
        view = circular_view(doc, rows, source)
        (dest / page_name(doc_id)).write_text(
            circular_template.render(
                **common,
                doc=doc,
                period=_period_of(doc),
                reconciliation=reconciliation.get(doc_id, []),
                copies=[c for c in copies[doc["circular"]] if c["doc_id"] != doc_id],
                series_page=series_pages.get(doc["rubric_key"]),
                page_name=page_name,
                **view,
            ),
            encoding="utf-8",
        )
        pages += 1

    pages += _write_series_pages(env, common, dest, con, series_pages)
    _write_index(env, common, dest, out, documents, findings, reconciliation, copies, series_pages)
    pages += 1
    return ReviewSummary(dest, len(documents), pages, time.perf_counter() - started, dict(sources))


def circular_view(doc: dict[str, Any], rows: dict[str, list[dict[str, Any]]], source: SourceText) -> dict:
    """The rows of one page with their ids, and the source lines each tagged with the rows they hold."""
    spans = []
    for prefix, kind in (("s", "scores"), ("d", "deductions"), ("f", "findings")):
        for n, row in enumerate(rows[kind], 1):
            row = dict(row, ref=f"{prefix}{n}", kind=kind)
            spans.append(row)
    refs_at: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for span in spans:
        if span.get("line_start") is None:
            continue
        end = span["line_end"] if span.get("line_end") is not None else span["line_start"]
        for n in range(span["line_start"], end + 1):
            refs_at[n].append(span)
    # Without the file, the rows' own text stands in for the lines they came from; so it does for
    # lines the re-read lacks (pages OCR'd at ingest are not OCR'd again here).
    lines = list(source.lines) if source.status == "reread" else []
    covered = {n for line in lines for n in range(line.start, line.end + 1)}
    seen: dict[tuple[int, int], SourceLine] = {}
    for span in spans:
        if span.get("line_start") is None or span["line_start"] in covered:
            continue
        key = (span["line_start"], span["line_end"] or span["line_start"])
        seen.setdefault(key, SourceLine(key[0], key[1], span.get("page"), span.get("raw_text") or ""))
    if seen:
        lines = sorted([*lines, *seen.values()], key=lambda line: (line.start, line.end))
    tagged = []
    for line in lines:
        held: dict[str, dict[str, Any]] = {}
        for n in range(line.start, line.end + 1):
            for span in refs_at.get(n, ()):
                held[span["ref"]] = span
        kinds = sorted({s["kind"] for s in held.values()})
        tagged.append({"line": line, "refs": " ".join(held), "kinds": kinds})
    boxes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for span in spans:
        if span.get("bbox") and span.get("page"):
            boxes[span["page"]].append(span)
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for span in spans:
        by_kind[span["kind"]].append(span)
    return {
        "source": source,
        "lines": tagged,
        "score_rows": by_kind["scores"],
        "deduction_rows": by_kind["deductions"],
        "finding_rows": by_kind["findings"],
        "boxes": boxes,
    }


def _write_series_pages(
    env: Any, common: dict[str, Any], dest: Path, con: Any, series_pages: dict[str, str]
) -> int:
    template = env.get_template("series.html")
    series = _rows(
        con,
        "SELECT rubric_key, unit, period_start, period_label, score, rank, deducted, delta, doc_id "
        "FROM series ORDER BY rubric_key, period_start NULLS LAST, period_label, unit",
    )
    heat = _rows(
        con,
        "SELECT rubric_key, unit, item, sum(share) AS points FROM ("
        + """SELECT c.rubric_key, d.unit, unnest(d.items) AS item, d.points / len(d.items) AS share
           FROM deductions d JOIN circulars c ON c.doc_id = d.doc_id
           WHERE c.is_primary AND d.kind = 'deduction' AND len(d.items) > 0"""
        + ") GROUP BY ALL",
    )
    items = _rows(
        con,
        "SELECT * FROM rubric_items ORDER BY rubric_key, units DESC, total_points DESC, item",
    )
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in series:
        by_key[row["rubric_key"]].append(row)
    heat_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in heat:
        heat_by_key[row["rubric_key"]].append(row)
    items_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in items:
        items_by_key[row["rubric_key"]].append(row)
    m = common["m"]
    for key, name in series_pages.items():
        rows = by_key.get(key, [])
        periods: list[str] = []
        for row in rows:
            label = row["period_label"] or (str(row["period_start"]) if row["period_start"] else "")
            row["period"] = label
            if label not in periods:
                periods.append(label)
        table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for row in rows:
            table[row["unit"]].setdefault(row["period"], row)
        units = sorted(table)
        # The chart shows the units with the most periods (then the lowest mean score): the ones
        # a reader follows; every unit is in the table under it.
        charted = sorted(
            units,
            key=lambda u: (
                -len(table[u]),
                sum(r["score"] or 0 for r in table[u].values()) / max(len(table[u]), 1),
                u,
            ),
        )[:DEFAULT_MAX_LINES]
        chart = line_chart_svg(
            periods,
            {u: [table[u][p]["score"] if p in table[u] else None for p in periods] for u in charted},
            m("score_over_periods"),
        )
        cells = {(r["unit"], r["item"]): r["points"] for r in heat_by_key.get(key, [])}
        unit_points: dict[str, float] = defaultdict(float)
        item_points: dict[int, float] = defaultdict(float)
        for (unit, item), value in cells.items():
            unit_points[unit] += value
            item_points[item] += value
        heat_units = sorted(unit_points, key=lambda u: (-unit_points[u], u))[:DEFAULT_MAX_HEATMAP_UNITS]
        heat_items = sorted(sorted(item_points, key=lambda i: -item_points[i])[:DEFAULT_MAX_HEATMAP_ITEMS])
        heatmap = heatmap_svg(heat_units, heat_items, cells, m("heatmap"))
        (dest / name).write_text(
            template.render(
                **common,
                rubric_key=key,
                periods=periods,
                units=units,
                table=table,
                chart=chart,
                heatmap=heatmap,
                items=items_by_key.get(key, [])[:50],
                page_name=page_name,
            ),
            encoding="utf-8",
        )
    return len(series_pages)


def _write_index(
    env: Any,
    common: dict[str, Any],
    dest: Path,
    out: Path,
    documents: list[dict[str, Any]],
    findings: dict[str, list[dict[str, Any]]],
    reconciliation: dict[str, list[dict[str, Any]]],
    copies: dict[str, list[dict[str, Any]]],
    series_pages: dict[str, str],
) -> None:
    finding_rows = []
    circular_rows = []
    deltas: list[float] = []
    for doc in documents:
        doc_id = doc["doc_id"]
        href = page_name(doc_id)
        file = doc["source_path"].replace("\\", "/").rsplit("/", 1)[-1]
        period = _period_of(doc)
        for n, f in enumerate(findings.get(doc_id, []), 1):
            finding_rows.append(
                {
                    "href": f"{href}#f{n}",
                    "severity": f["severity"],
                    "check": f["check"],
                    "unit": f["unit"] or "",
                    "message": f["message"],
                    "issuer": doc["issuer"] or "",
                    "period": period,
                    "sort_period": str(doc["period_start"] or ""),
                    "file": file,
                    "primary": bool(doc["is_primary"]),
                }
            )
        if doc["is_primary"]:
            deltas.extend(
                r["delta"]
                for r in reconciliation.get(doc_id, [])
                if r["status"] == "mismatch" and r["delta"] is not None
            )
        circular_rows.append(
            {
                "href": href,
                "file": file,
                "title": doc["title"] or "",
                "issuer": doc["issuer"] or "",
                "period": period,
                "sort_period": str(doc["period_start"] or ""),
                "status": doc["status"],
                "units": doc["unit_count"],
                "findings": doc["finding_count"],
                "mismatches": doc["mismatch_count"],
                "copies": len(copies[doc["circular"]]) - 1,
                "primary": bool(doc["is_primary"]),
            }
        )
    m = common["m"]
    series = sorted(series_pages.items())
    (dest / "index.html").write_text(
        env.get_template("index.html").render(
            **common,
            out=str(out),
            documents=len(documents),
            finding_count=len(finding_rows),
            findings_json=script_json(finding_rows),
            circulars_json=script_json(circular_rows),
            histogram=histogram_svg(deltas, m("delta_distribution")),
            deltas=len(deltas),
            series=series,
        ),
        encoding="utf-8",
    )
