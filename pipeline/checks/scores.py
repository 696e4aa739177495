"""Checks on score rows: ranks against scores, units listed twice, weighted totals and averages."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Literal

from parsers.model import Line
from parsers.tables import ScoreRow
from pipeline.arithmetic import fmt
from pipeline.checks.registry import Context
from schemas import FindingRecord

Convention = Literal["competition", "dense"]
_Ranked = tuple[str, int, Decimal, Line | None]


def ranking_convention(ranks_by_group: list[list[tuple[int, Decimal | None]]]) -> Convention:
    """How the document ranks after a tie, told from its own ties: competition (1, 2, 2, 4) unless
    its ties are only ever followed by the next number (dense: 1, 2, 2, 3).

    Both are issuer conventions (field-survey.md §2: some circulars rank 8, 8, 9); without a tie
    followed by another rank the two agree, and competition is assumed. A tie is a rank shared by
    units with the same score (or no score): two different scores printed with one rank are a
    rank error, not a convention.
    """
    dense = competition = False
    for ranked in ranks_by_group:
        counts = Counter(rank for rank, _ in ranked)
        for rank, n in counts.items():
            later = [r for r in counts if r > rank]
            if n < 2 or not later or len({score for r, score in ranked if r == rank}) > 1:
                continue
            following = min(later)
            dense = dense or following == rank + 1
            competition = competition or following == rank + n
    return "dense" if dense and not competition else "competition"


def rank_order(ctx: Context) -> list[FindingRecord]:
    """Ranks against the order of scores, per ranking group (ties share a rank)."""
    groups: dict[str | None, list[_Ranked]] = {}
    unranked: dict[str | None, list[Decimal]] = {}
    ranks: dict[str | None, list[tuple[int, Decimal | None]]] = {}
    for row, unit in zip(ctx.ex.scores, ctx.ex.score_units, strict=True):
        if row.rank is not None:
            ranks.setdefault(row.group, []).append((row.rank, row.score))
        if row.rank is not None and row.score is not None:
            groups.setdefault(row.group, []).append((unit, row.rank, row.score, row.line))
        elif row.score is not None:
            unranked.setdefault(row.group, []).append(row.score)
    convention = ranking_convention(list(ranks.values()))
    findings = []
    for group, rows in groups.items():
        if len(rows) < 2:
            continue
        others = unranked.get(group, [])
        # Ranks printed past the number of units listed (top three and bottom three of twelve):
        # the units between are not printed, so a rank is only bounded by the listed units.
        partial = max(r[1] for r in rows) > len(rows) + len(others)
        for unit, rank, score, line in rows:
            best, worst = _rank_bounds(score, [r[2] for r in rows], others, convention)
            if partial:
                worst = min((r[1] - 1 for r in rows if r[2] < score), default=rank)
            if not best <= rank <= worst:
                expected = best if rank < best else worst
                dense = " (ranked densely, as the document's ties are)" if convention == "dense" else ""
                findings.append(
                    ctx.finding(
                        "rank_order",
                        unit,
                        f"{unit}: printed rank {rank}, but its score {fmt(score)} ranks {expected} among the listed scores{dense}.",
                        line,
                        str(expected),
                        str(rank),
                    )
                )
    return findings


def _rank_bounds(
    score: Decimal, ranked: list[Decimal], unranked: list[Decimal], convention: Convention
) -> tuple[int, int]:
    """The lowest and highest rank a unit with `score` may print.

    Units scored but not ranked (ranks printed for the top and bottom three only, or a unit
    marked 不参与排名) may or may not count: the printed rank must lie between the rank among
    ranked units and the rank among all scored ones.
    """
    if convention == "dense":
        above = {other for other in ranked if other > score}
        return 1 + len(above), 1 + len(above | {other for other in unranked if other > score})
    best = 1 + sum(1 for other in ranked if other > score)
    return best, best + sum(1 for other in unranked if other > score)


def duplicate_unit(ctx: Context) -> list[FindingRecord]:
    """A unit listed twice in one ranking block (the second listing is not used for arithmetic)."""
    findings = []
    seen: dict[tuple[str | None, str], ScoreRow] = {}
    for row, unit in zip(ctx.ex.scores, ctx.ex.score_units, strict=True):
        first = seen.setdefault((row.group, unit), row)
        if first is row:
            continue
        same = first.score == row.score and first.rank == row.rank
        findings.append(
            ctx.finding(
                "duplicate_unit",
                unit,
                f"{unit}: listed twice in the {'same ' if row.group is None else row.group + ' '}ranking"
                + (
                    "."
                    if same
                    else f" (scores {fmt(first.score)} and {fmt(row.score)}); the first listing is used."
                ),
                row.line,
                severity="info" if same else None,
            )
        )
    return findings


def weighted_totals(ctx: Context) -> list[FindingRecord]:
    """A weighted total must equal the weighted sum of its parts, and an average the mean of its
    months, to the total's printed precision (rounded, or truncated where the issuer truncates)."""
    findings = []
    for row, unit in zip(ctx.ex.scores, ctx.ex.score_units, strict=True):
        if row.mean_of_parts:
            findings += _mean_findings(ctx, row, unit)
            continue
        additive = _additive_parts(row, ctx.ex.metadata.base_score)
        if additive is not None:
            total = sum(additive, Decimal(0))
            what = f"parts {' + '.join(fmt(v) for v in additive)} = {fmt(total)}"
            findings += _total_findings(ctx, row, unit, what, total, total)
            continue
        weighted = [(p[1], p[2]) for p in row.parts if p[1] is not None and p[2] is not None]
        if row.score is None or not weighted or len(weighted) != len(row.parts):
            continue
        if _already_weighted(row, weighted, ctx.ex.metadata.base_score):
            continue
        total = sum((w * s for w, s in weighted), Decimal(0))
        parts = " + ".join(f"{fmt(w)}×{fmt(s)}" for w, s in weighted)
        findings += _total_findings(ctx, row, unit, f"weighted total {parts} = {fmt(total)}", total, total)
    return findings


def _already_weighted(
    row: ScoreRow, weighted: list[tuple[Decimal, Decimal]], base: float | Decimal | None
) -> bool:
    """Whether a row's parts are printed already weighted: each within its share of the total's
    maximum and their plain sum the total (y06 `政务服务满意度指数（70%）` 59.97 + `市场主体发展指数
    （30%）` 26 = 85.97: the header names each part's share, the cells are points of it). Weighting
    them again raised a score_mismatch on every row."""
    assert row.score is not None
    ceiling = row.score_max if row.score_max is not None else Decimal(str(base if base is not None else 100))
    if any(s > w * ceiling for w, s in weighted):
        return False
    exponent = row.score.as_tuple().exponent
    places = max(-exponent if isinstance(exponent, int) else 2, 0)
    return abs(sum((s for _, s in weighted), Decimal(0)) - row.score) <= Decimal(1).scaleb(-places) / 2


def _additive_parts(row: ScoreRow, base: float | Decimal | None) -> list[Decimal] | None:
    """The part scores of a total made of parts with their own maxima (物业 of 40 + 社区 of 30 +
    城管 of 30: field-survey.md §4), when the maxima add up to the total's own maximum (a base in
    its header, else the document's base); None when the row is not such a total."""
    maxima = row.part_maxima
    if row.score is None or not row.parts or len(maxima) != len(row.parts) or None in maxima:
        return None
    if any(p[1] is not None or p[2] is None for p in row.parts):
        return None
    ceiling = row.score_max if row.score_max is not None else Decimal(str(base if base is not None else 100))
    if sum((m for m in maxima if m is not None), Decimal(0)) != ceiling:
        return None
    return [p[2] for p in row.parts if p[2] is not None]


def _mean_findings(ctx: Context, row: ScoreRow, unit: str) -> list[FindingRecord]:
    """A quarter's average must equal the mean of its months, to the average's printed precision."""
    values = [p[2] for p in row.parts]
    if row.score is None or not values or any(v is None for v in values):
        return []
    known = [v for v in values if v is not None]
    mean = sum(known, Decimal(0)) / len(known)
    shown = mean.quantize(Decimal("0.01")).normalize()
    return _total_findings(
        ctx, row, unit, f"the mean of {', '.join(fmt(v) for v in known)} is {fmt(shown)}", mean, shown
    )


def _truncated(exact: Decimal, quantum: Decimal) -> Decimal | None:
    """`exact` cut to `quantum`; None for a value past the context's precision (a fuzzed 10^400)."""
    try:
        return exact.quantize(quantum, rounding=ROUND_DOWN)
    except InvalidOperation:
        return None


def _total_findings(
    ctx: Context, row: ScoreRow, unit: str, what: str, exact: Decimal, shown: Decimal
) -> list[FindingRecord]:
    """score_mismatch when `exact` is off the printed score by more than rounding explains;
    truncated_total when the printed score is `exact` cut (not rounded) to its digits."""
    stated = row.score
    assert stated is not None
    exponent = stated.as_tuple().exponent
    places = max(-exponent if isinstance(exponent, int) else 2, 0)
    quantum = Decimal(1).scaleb(-places)
    if abs(exact - stated) <= quantum / 2 + Decimal("1e-9"):
        return []
    if _truncated(exact, quantum) == stated:
        return [
            ctx.finding(
                "truncated_total",
                unit,
                f"{unit}: {what}; the table prints {fmt(stated)}, the exact value cut to {places} decimal "
                "place(s) rather than rounded: the issuer truncates, which is not an error.",
                row.line,
                exact,
                stated,
            )
        ]
    return [
        ctx.finding(
            "score_mismatch",
            unit,
            f"{unit}: {what}, but the table states {fmt(stated)}.",
            row.line,
            shown,
            stated,
        )
    ]
